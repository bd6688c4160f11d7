"""What the planted works are made of: identifier ranges, the bilingual taxonomy, the filler word lists and the
countries with their cities and family names."""

from __future__ import annotations

from typing import Any

import numpy as np
import numpy.typing as npt
import yaml

OA = "https://openalex.org/"
WORK_BASE = 4_100_000_000  # the corpus's works are W4100000000, W4100000001, ...
REFERENCE_BASE = 3_900_000_000  # cited works outside the corpus
INSTITUTION_BASE = 4_200_000_000
AUTHOR_BASE = 5_100_000_000
TOPIC_BASE = 17_000
CHUNK = 10_000  # works drawn together; fixed, so the works do not depend on how many are read at a time
OPENALEX_WINDOW = 10  # counts_by_year covers the last ten years
AUTHORS_PER_INSTITUTION = 40
SHARED_REFERENCES = 5_000  # cited works that any work may cite

Ints = npt.NDArray[np.int64]
Floats = npt.NDArray[np.float64]
Bools = npt.NDArray[np.bool_]
Strings = npt.NDArray[np.object_]

# ── the taxonomy ─────────────────────────────────────────────────────────────────────────────────────────
# Kept as the YAML that `write_taxonomy_yaml` writes. Phrases avoid hyphens and stop words, so that every tokeniser
# reads them as the same run of whole words, and no phrase lies inside another technology's phrase.
TAXONOMY_YAML = """
- {id: px-energy, parent: null, name_en: Clean energy systems, name_ja: クリーンエネルギーシステム,
   synonyms_en: [clean energy technologies], synonyms_ja: [クリーンエネルギー技術],
   description_en: Storing and converting energy without fossil fuels.,
   description_ja: 化石燃料に頼らずにエネルギーを貯蔵・変換する技術。}
- {id: px-sensing, parent: null, name_en: Advanced sensing and imaging, name_ja: 先端センシング・イメージング,
   synonyms_en: [advanced sensing], synonyms_ja: [先端センシング],
   description_en: Measuring and imaging the physical world at new precision and range.,
   description_ja: 物理世界を新たな精度と範囲で計測・画像化する技術。}
- {id: px-computing, parent: null, name_en: Secure and intelligent computing, name_ja: セキュア・知的コンピューティング,
   synonyms_en: [trustworthy computing], synonyms_ja: [知的計算基盤],
   description_en: Computing that learns and protects data and moves it fast.,
   description_ja: 学習し、データを守り、高速に伝える計算の技術。}
- {id: px-energy.flow-batteries, parent: px-energy, name_en: Redox flow batteries, name_ja: レドックスフロー電池,
   synonyms_en: [redox flow battery, vanadium flow battery, flow battery], synonyms_ja: [フロー電池, バナジウムフロー電池],
   description_en: Batteries that store energy in liquid electrolytes pumped through a cell stack.,
   description_ja: 電解液を循環させてエネルギーを貯蔵する蓄電池。}
- {id: px-energy.solid-state-batteries, parent: px-energy, name_en: Solid state batteries, name_ja: 全固体電池,
   synonyms_en: [solid electrolyte battery, solid state lithium battery], synonyms_ja: [固体電池, 全固体リチウム電池],
   description_en: Batteries with a solid electrolyte instead of a flammable liquid one.,
   description_ja: 可燃性の電解液の代わりに固体電解質を用いる電池。}
- {id: px-energy.perovskite-solar, parent: px-energy, name_en: Perovskite solar cells, name_ja: ペロブスカイト太陽電池,
   synonyms_en: [perovskite photovoltaics, halide perovskite solar cell], synonyms_ja: [ペロブスカイト型太陽電池],
   description_en: Thin and light solar cells made of perovskite-structured compounds.,
   description_ja: ペロブスカイト構造の化合物を用いた薄く軽い太陽電池。}
- {id: px-energy.green-hydrogen, parent: px-energy, name_en: Green hydrogen, name_ja: グリーン水素,
   synonyms_en: [water electrolysis, renewable hydrogen, PEM electrolyser], synonyms_ja: [水電解, 再エネ水素],
   description_en: Hydrogen made by splitting water with renewable electricity.,
   description_ja: 再生可能エネルギーの電力で水を分解して製造する水素。}
- {id: px-sensing.quantum-sensing, parent: px-sensing, name_en: Quantum sensing, name_ja: 量子センシング,
   synonyms_en: [quantum magnetometry, nitrogen vacancy magnetometer, atomic magnetometer],
   synonyms_ja: [量子センサ, 量子磁気計測],
   description_en: Sensors that use quantum states of atoms or defects to measure fields with extreme sensitivity.,
   description_ja: 原子や欠陥の量子状態を利用して極めて高感度に場を計測するセンサー。}
- {id: px-sensing.hyperspectral, parent: px-sensing, name_en: Hyperspectral imaging, name_ja: ハイパースペクトルイメージング,
   synonyms_en: [imaging spectroscopy, hyperspectral remote sensing], synonyms_ja: [ハイパースペクトル画像, 分光イメージング],
   description_en: Images that record a full spectrum in every pixel.,
   description_ja: 画素ごとに連続したスペクトルを記録する撮像技術。}
- {id: px-sensing.sar, parent: px-sensing, name_en: Synthetic aperture radar, name_ja: 合成開口レーダー,
   synonyms_en: [SAR interferometry, InSAR, interferometric radar], synonyms_ja: [合成開口レーダ, 干渉SAR],
   description_en: Radar that synthesises a large antenna from a moving platform to image the ground day and night.,
   description_ja: 移動するプラットフォームから大きなアンテナを合成し、昼夜を問わず地表を画像化するレーダー。}
- {id: px-sensing.lidar, parent: px-sensing, name_en: Lidar, name_ja: ライダー,
   synonyms_en: [laser scanning, light detection and ranging], synonyms_ja: [レーザー測距, レーザースキャナ],
   description_en: Measuring distance and shape with pulsed laser light.,
   description_ja: パルスレーザー光で距離と形状を計測する技術。}
- {id: px-computing.neuromorphic, parent: px-computing, name_en: Neuromorphic computing,
   name_ja: ニューロモルフィックコンピューティング,
   synonyms_en: [spiking neural network, neuromorphic hardware, brain inspired chip],
   synonyms_ja: [スパイキングニューラルネットワーク, 脳型チップ],
   description_en: Hardware and models that compute with spikes as brains do.,
   description_ja: 脳のようにスパイクで計算するハードウェアとモデル。}
- {id: px-computing.homomorphic, parent: px-computing, name_en: Homomorphic encryption, name_ja: 準同型暗号,
   synonyms_en: [fully homomorphic encryption, encrypted computation], synonyms_ja: [完全準同型暗号, 秘匿計算],
   description_en: Encryption that allows computing on data without decrypting it.,
   description_ja: データを復号せずに計算できる暗号。}
- {id: px-computing.federated, parent: px-computing, name_en: Federated learning, name_ja: 連合学習,
   synonyms_en: [federated optimisation, collaborative edge training],
   synonyms_ja: [フェデレーテッドラーニング, 分散協調学習],
   description_en: Training a shared model across devices that keep their data.,
   description_ja: データを手元に置いたまま複数の端末で共通のモデルを学習する技術。}
- {id: px-computing.terahertz, parent: px-computing, name_en: Terahertz communication, name_ja: テラヘルツ通信,
   synonyms_en: [THz communication, terahertz wireless link], synonyms_ja: [THz通信, テラヘルツ無線],
   description_en: Wireless links in the 0.1 to 10 THz band for very high data rates.,
   description_ja: 0.1〜10 THz帯を用いた超高速の無線通信。}
"""
_ENTRIES: tuple[dict[str, Any], ...] = tuple(
    {**entry, "sources": ["planted"]} for entry in yaml.safe_load(TAXONOMY_YAML)
)
AREAS = tuple(entry for entry in _ENTRIES if entry["parent"] is None)
LEAVES = tuple(entry for entry in _ENTRIES if entry["parent"] is not None)

# General words of scientific prose, shared by all works: no stop words (a tokeniser drops those, and a dropped word
# no longer separates two phrases) and no word (nor stem) of a technology's phrases. The tests check both.
FILLER: tuple[str, ...] = tuple(
    """
    approach method methods results propose proposed framework evaluate evaluation performance experiments
    experimental demonstrate novel analysis model models dataset datasets benchmark benchmarks validation
    measurements parameters algorithm algorithms theoretical empirical simulation simulations prototype architecture
    efficiency efficient robust robustness significant significantly accuracy scalable scalability design designs
    improved improvement compared comparison baseline baselines outperforms achieves reduces increase stability
    stable cost costs lifetime reliability reliable practical applications deployment challenges limitations
    insights mechanism mechanisms properties characterization fabrication structure structures interface
    interfaces process processes conditions temperature pressure field tests trial trials study studies
    investigate explore present report observed shows strategy strategies technique techniques scheme schemes
    module modules component components material materials sample samples signal signals noise resolution
    sensitivity calibration estimation estimate error errors uncertainty quantify metric metrics survey review
    recent future directions scale large small high low fast rapid term cycle cycles enhanced enhancement
    tuning control controlled feedback loop capacity throughput latency bandwidth power consumption protocol
    protocols standard standards toolkit pipeline workflow operation operational environment environmental
    industrial laboratory outdoor indoor world case cases quality target targets layer layers phase phases
    density efficiency gain gains loss losses yield margin regime regimes behaviour response responses
    """.split()  # noqa: SIM905 (a word list reads better as text)
)
# Japanese titles: the technology's Japanese name, then two of these.
FILLER_JA: tuple[str, ...] = (
    "高精度化",
    "評価手法",
    "実証実験",
    "最適設計",
    "性能解析",
    "大規模化",
    "低コスト化",
    "信頼性向上",
    "長寿命化",
    "実用化",
)

# Countries: code | name | share of first authors where no leader is planted (before a per-technology perturbation) |
# the cities of its institutions | family names of its authors.
COUNTRY_TABLE = """
US | United States  | 0.22  | Boston Austin Denver Seattle Atlanta Chicago Phoenix Madison Pittsburgh Houston | Smith Johnson Brown Miller Davis Wilson Moore Taylor
CN | China          | 0.20  | Beijing Shanghai Wuhan Hangzhou Nanjing Chengdu Harbin Hefei Shenzhen Tianjin Xiamen Changsha | Wang Li Zhang Liu Chen Yang Zhao Huang
DE | Germany        | 0.08  | Munich Aachen Dresden Stuttgart Karlsruhe Heidelberg | Müller Schmidt Schneider Fischer Weber Meyer Wagner Becker
GB | United Kingdom | 0.07  | Oxford Leeds Bristol Glasgow Manchester | Jones Williams Evans Thomas Roberts Walker Wright Hughes
JP | Japan          | 0.07  | Sendai Kyoto Osaka Nagoya Sapporo Fukuoka Tsukuba Kobe Hiroshima Kanazawa | Sato Suzuki Takahashi Tanaka Watanabe Ito Yamamoto Nakamura
KR | South Korea    | 0.06  | Daejeon Seoul Pohang Busan Gwangju | Kim Lee Park Choi Jung Kang Cho Yoon
FR | France         | 0.05  | Lyon Grenoble Toulouse Lille Nantes | Martin Bernard Dubois Durand Leroy Moreau Simon Laurent
IN | India          | 0.05  | Chennai Pune Kanpur Mumbai Hyderabad | Sharma Patel Singh Kumar Gupta Reddy Iyer Nair
CA | Canada         | 0.04  | Toronto Waterloo Montreal Calgary Ottawa | Tremblay Gagnon Roy Côté Bouchard Gauthier Morin Lavoie
IT | Italy          | 0.04  | Milan Turin Padua Bologna Pisa | Rossi Russo Ferrari Esposito Bianchi Romano Colombo Ricci
AU | Australia      | 0.03  | Sydney Melbourne Brisbane Perth Canberra | Smith Jones Williams Brown Wilson Taylor White Martin
ES | Spain          | 0.03  | Madrid Valencia Seville Barcelona Bilbao | García Fernández González Rodríguez López Martínez Sánchez Pérez
NL | Netherlands    | 0.025 | Delft Utrecht Eindhoven Leiden Groningen | Jong Jansen Vries Berg Bakker Visser Smit Meijer
CH | Switzerland    | 0.02  | Zurich Basel Lausanne Bern Geneva | Müller Meier Schmid Keller Weber Huber Schneider Frei
SE | Sweden         | 0.015 | Lund Uppsala Stockholm Gothenburg Linkoping | Andersson Johansson Karlsson Nilsson Eriksson Larsson Olsson Persson
"""
_COUNTRY_ROWS = [[cell.strip() for cell in line.split("|")] for line in COUNTRY_TABLE.strip().splitlines()]
COUNTRIES: dict[str, str] = {row[0]: row[1] for row in _COUNTRY_ROWS}
BASE_WEIGHTS = tuple(float(row[2]) for row in _COUNTRY_ROWS)
CITIES: dict[str, tuple[str, ...]] = {row[0]: tuple(row[3].split()) for row in _COUNTRY_ROWS}
FAMILY_NAMES: dict[str, tuple[str, ...]] = {row[0]: tuple(row[4].split()) for row in _COUNTRY_ROWS}
INITIALS = "ABCDEFGHJKLMNPRSTWY"
INSTITUTION_KINDS = (
    ("University", "education"),
    ("Institute of Technology", "education"),
    ("National Laboratory", "facility"),
    ("Research Centre", "facility"),
    ("Industries", "company"),
)
DOMINANT = "CN"  # the country planted to dominate one technology (ASPI's finding for many technologies)
