"""The words a name matcher must know: legal forms (recognised, set aside, shown in the explanation) and the common
organisation words that Japanese (and Chinese) names translate rather than transliterate.

Data, not logic: add a row here when a list uses a form or a word the matcher does not know yet.
"""

from __future__ import annotations

from functools import lru_cache

__all__ = [
    "COMPANY_FORMS",
    "COMPANY_KIND",
    "GENERIC_WEIGHT",
    "GENERIC_WORDS",
    "KINDS",
    "KINDS_ALIKE",
    "LEGAL_FORMS",
    "LEGAL_FORMS_CJK",
    "ORGANISATION_WORDS",
    "STOP_WORDS",
    "TRANSLATIONS",
    "kinds_differ",
    "legal_family",
    "organisation_kinds",
]

# Latin legal forms as normalised token sequences → canonical code. Families group the codes that registers use for
# the same kind of company (a Japanese 株式会社 is "K.K." or "Co., Ltd." in English; a Russian ООО is "LLC").
LEGAL_FORMS: dict[tuple[str, ...], str] = {
    ("co", "ltd"): "co_ltd", ("co", "limited"): "co_ltd", ("company", "limited"): "co_ltd",
    ("company", "ltd"): "co_ltd", ("corporation", "limited"): "co_ltd", ("corp", "ltd"): "co_ltd",
    ("limited",): "ltd", ("ltd",): "ltd", ("ltda",): "ltd",
    ("private", "limited"): "ltd", ("pvt", "ltd"): "ltd", ("pvt",): "ltd", ("pte", "ltd"): "ltd", ("pte",): "ltd",
    ("llc",): "llc", ("l", "l", "c"): "llc", ("limited", "liability", "company"): "llc",
    ("limited", "liability", "partnership"): "llp", ("llp",): "llp", ("lp",): "lp",
    ("ooo",): "llc", ("tov",): "llc", ("too",): "llc", ("gmbh",): "gmbh", ("sarl",): "sarl", ("srl",): "sarl",
    ("s", "r", "l"): "sarl", ("bv",): "bv", ("b", "v"): "bv", ("sdn", "bhd"): "sdn_bhd", ("bhd",): "sdn_bhd",
    ("inc",): "inc", ("incorporated",): "inc", ("corp",): "corp", ("corporation",): "corp",
    ("co",): "co", ("company",): "co", ("plc",): "plc", ("p", "l", "c"): "plc",
    ("jsc",): "jsc", ("ojsc",): "jsc", ("cjsc",): "jsc", ("pjsc",): "jsc", ("oao",): "jsc", ("zao",): "jsc",
    ("pao",): "jsc", ("ao",): "jsc", ("jsco",): "jsc", ("joint", "stock", "company"): "jsc",
    ("open", "joint", "stock", "company"): "jsc", ("closed", "joint", "stock", "company"): "jsc",
    ("public", "joint", "stock", "company"): "jsc", ("kk",): "kk", ("k", "k"): "kk", ("kabushiki", "kaisha"): "kk",
    ("yugen", "kaisha"): "yk", ("godo", "kaisha"): "gk",
    ("ag",): "ag", ("sa",): "sa", ("s", "a"): "sa", ("spa",): "sa", ("s", "p", "a"): "sa", ("nv",): "nv",
    ("as",): "as", ("ab",): "ab", ("oy",): "oy", ("oyj",): "oy",
    ("anonim", "sirketi"): "as_tr", ("a", "s"): "as_tr", ("limited", "sirketi"): "ltd", ("ltd", "sti"): "ltd",
    ("sti",): "ltd",
    ("fze",): "fze", ("fzc",): "fzc", ("fzco",): "fzco", ("fz", "llc"): "fz_llc", ("dmcc",): "dmcc",
    ("sfp",): "sfp", ("sftue",): "sftue", ("rue",): "rue", ("cjsc", "co"): "jsc",
    # the same forms spelled out, as lists transliterate them (Russian, Ukrainian, German, Romance, pinyin)
    ("otkrytoe", "aktsionernoe", "obshchestvo"): "jsc", ("zakrytoe", "aktsionernoe", "obshchestvo"): "jsc",
    ("publichnoe", "aktsionernoe", "obshchestvo"): "jsc", ("aktsionernoe", "obshchestvo"): "jsc",
    ("obshchestvo", "s", "ogranichennoi", "otvetstvennostyu"): "llc",
    ("obshchestvo", "s", "ogranichennoy", "otvetstvennostyu"): "llc",
    ("tovarystvo", "z", "obmezhenoyu", "vidpovidalnistyu"): "llc", ("pryvatne", "aktsionerne", "tovarystvo"): "jsc",
    ("federalnoe", "gosudarstvennoe", "unitarnoe", "predpriyatie"): "sue", ("fgup",): "sue", ("gup",): "sue",
    ("gosudarstvennoe", "unitarnoe", "predpriyatie"): "sue", ("state", "unitary", "enterprise"): "sue",
    ("gesellschaft", "mit", "beschrankter", "haftung"): "gmbh", ("aktiengesellschaft",): "ag",
    ("societe", "anonyme"): "sa", ("sociedad", "anonima"): "sa", ("societa", "per", "azioni"): "sa",
    ("sociedad", "limitada"): "sarl", ("societe", "a", "responsabilite", "limitee"): "sarl",
    ("youxian", "gongsi"): "co_ltd", ("gufen", "youxian", "gongsi"): "co_ltd", ("you", "xian", "gong", "si"): "co_ltd",
    ("youxian", "zeren", "gongsi"): "llc",
}  # fmt: skip

# Japanese and Chinese legal forms, matched anywhere in the name (they are unambiguous words of their own).
LEGAL_FORMS_CJK: dict[str, str] = {
    "株式会社": "kk", "(株)": "kk", "（株）": "kk", "有限会社": "ltd", "(有)": "ltd", "（有）": "ltd",
    "合同会社": "llc", "合資会社": "gs", "合名会社": "gm", "非公開会社": "ltd",
    "一般社団法人": "association", "公益社団法人": "association", "一般財団法人": "foundation",
    "公益財団法人": "foundation", "独立行政法人": "iai", "国立研究開発法人": "iai", "国立大学法人": "nup",
    "学校法人": "school_corp", "股份有限公司": "co_ltd", "有限责任公司": "llc", "有限責任公司": "llc",
    "有限公司": "co_ltd", "责任公司": "llc",
    # Korean: 주식회사 (joint-stock company, also written (주)), 유한회사 (limited company)
    "주식회사": "co_ltd", "(주)": "co_ltd", "（주）": "co_ltd", "유한회사": "ltd", "유한책임회사": "llc",
}  # fmt: skip

# Codes in one family are the same kind of company in different languages; a mismatch across families costs a little.
_FAMILIES = (
    {"ltd", "co_ltd", "llc", "llp", "lp", "gmbh", "sarl", "bv", "sdn_bhd", "yk", "gk", "fz_llc", "fzco", "fze", "fzc"},
    {"jsc", "kk", "co_ltd", "ag", "sa", "nv", "as", "ab", "oy", "as_tr", "plc", "inc", "corp"},
    {"sue", "sftue", "sfp", "rue"},
)


@lru_cache(maxsize=1024)
def legal_family(codes: tuple[str, ...]) -> frozenset[int]:
    """The families the legal-form codes of a name belong to; 'co' (company) and the unknown belong to all."""
    found: set[int] = set()
    for code in codes:
        found |= {i for i, family in enumerate(_FAMILIES) if code in family} or set(range(len(_FAMILIES)))
    return frozenset(found)


# Words that carry no identity in a name; dropped before matching (they are still in the name shown).
STOP_WORDS = frozenset(
    "of the and for de del la le les du des di da von van und et y e & in on at to".split()  # noqa: SIM905
)

# Common organisation words, Japanese (kanji and katakana) and Chinese → English, longest matched first. Katakana
# loanwords are listed because a katakana rendering of an English word ("テクノロジー") sounds nothing like its
# spelling to a string metric.
TRANSLATIONS: dict[str, str] = {
    # kanji: institutions and kinds of organisation
    "大学": "university", "大學": "university", "大学校": "academy", "研究所": "institute", "研究院": "institute",
    "研究センター": "research center", "研究機構": "research organization", "研究開発": "research development",
    "研究": "research", "開発": "development", "科学院": "academy of sciences",
    "技術院": "institute of technology", "科学技術院": "institute of science and technology", "機構": "organization", "協会": "association", "財団": "foundation",
    "学院": "institute", "学会": "society", "病院": "hospital", "銀行": "bank", "公社": "corporation",
    "公団": "corporation", "工場": "plant", "製作所": "works", "造船所": "shipyard", "造船": "shipbuilding",
    "海運": "shipping", "船舶": "shipping", "運輸": "transport", "輸送": "transport", "物流": "logistics",
    "貿易": "trading", "商事": "trading", "商社": "trading", "物産": "trading", "実業": "industrial",
    "産業": "industry", "工業": "industry", "重工業": "heavy industries", "重工": "heavy industries",
    "化学": "chemical", "化工": "chemical", "電子": "electronics", "電機": "electric", "電気": "electric",
    "電力": "power", "電信": "telegraph", "通信": "communications", "情報": "information", "技術": "technology",
    "科技": "technology", "科学": "science", "科学技術": "science technology", "工学": "engineering",
    "工程": "engineering", "機械": "machinery", "精密": "precision", "光学": "optical", "航空": "aviation",
    "宇宙": "space", "航空宇宙": "aerospace", "航天": "aerospace", "衛星": "satellite", "原子力": "atomic energy",
    "エネルギー": "energy", "能源": "energy", "資源": "resources", "鉱業": "mining", "金属": "metal",
    "冶金": "metallurgy", "材料": "materials", "素材": "materials", "製薬": "pharmaceutical", "医薬": "pharmaceutical",
    "薬品": "pharmaceutical", "医療": "medical", "国際": "international", "國際": "international",
    "国家": "state", "國家": "state", "国立": "national", "国営": "state", "共和国": "republic",
    "共和國": "republic", "人民": "people", "中央": "central", "総合": "general",
    "集団": "group", "集团": "group", "集團": "group", "グループ": "group", "控股": "holdings",
    "ホールディングス": "holdings", "ホールディング": "holding", "本社": "headquarters", "支店": "branch",
    "委員会": "committee", "委員": "committee", "省": "ministry", "局": "bureau",
    "庁": "agency", "軍": "forces", "軍需": "military industry", "防衛": "defense", "国防": "national defense",
    "国防省": "ministry of defense", "内務省": "ministry of internal affairs", "内務": "internal affairs",
    "保安": "security", "安全保障": "security", "安全": "security", "警察": "police", "諜報": "intelligence",
    "偵察": "reconnaissance", "修理": "repair", "航空機": "aircraft", "無線": "radio", "装備": "equipment",
    "装備品": "equipment", "機材": "equipment", "設備": "equipment", "輸出": "export", "輸入": "import",
    "対外": "foreign", "外国": "foreign", "特殊": "special", "新技術": "new technologies", "管制": "control",
    "システム": "systems", "地理情報": "geoinformation", "運営": "managing", "執行": "executive",
    "州": "region", "東京": "tokyo", "香港": "hong kong", "北京": "beijing", "上海": "shanghai",
    "深圳": "shenzhen", "广州": "guangzhou", "廣州": "guangzhou", "広州": "guangzhou", "朝鮮": "korea",
    "北朝鮮": "north korea", "中国": "china", "中國": "china", "ロシア": "russia", "イラン": "iran",
    "発展": "development", "發展": "development", "发展": "development", "贸易": "trading", "貿易公司": "trading",
    "电子": "electronics", "電子公司": "electronics", "技术": "technology", "国际": "international",
    "实业": "industrial", "實業": "industrial", "创新": "innovation", "創新": "innovation", "卫星": "satellite",
    "工业": "industry", "信息": "information", "网络": "network", "網絡": "network", "物流公司": "logistics",
    "公司": "company", "会社": "company", "社": "company", "商会": "trading", "商店": "store",
    # katakana loanwords common in company names
    "テクノロジー": "technology", "テクノロジーズ": "technologies", "テクノロジ": "technology",
    "インターナショナル": "international", "トレーディング": "trading", "トレード": "trade",
    "カンパニー": "company", "コーポレーション": "corporation", "リミテッド": "limited",
    "エレクトロニクス": "electronics", "エレクトロニック": "electronic", "エレクトリック": "electric",
    "エンジニアリング": "engineering", "エンタープライズ": "enterprise", "ソリューションズ": "solutions",
    "ソリューション": "solution", "サービス": "services", "サービシズ": "services", "システムズ": "systems",
    "インダストリー": "industry", "インダストリーズ": "industries", "インダストリアル": "industrial",
    "ロジスティクス": "logistics", "ロジスティック": "logistic", "アビエーション": "aviation",
    "エアロスペース": "aerospace", "サテライト": "satellite", "マイクロシステムズ": "microsystems",
    "ネットワーク": "network", "ネットワークス": "networks", "デザイン": "design", "ディベロップメント": "development",
    "デベロップメント": "development", "インベストメンツ": "investments", "インベストメント": "investment",
    "マネジメント": "management", "コンサルティング": "consulting", "プロモーション": "promotion",
    "リサーチ": "research", "インスティチュート": "institute", "インスティテュート": "institute",
    "サイエンス": "science", "スペース": "space", "アジア": "asia", "パシフィック": "pacific", "グローバル": "global",
    "ミドルイースト": "middle east", "ドメスティック": "domestic", "フォーリン": "foreign", "フリー": "free",
    "ゾーン": "zone", "ブランチ": "branch", "マテリアルズ": "materials", "コンピューター": "computer",
    "コンピュータ": "computer", "ハイテク": "high tech", "イノベーション": "innovation", "センター": "center",
    "ハードウェア": "hardware", "ソフトウェア": "software", "エネルギ": "energy", "ケミカル": "chemical",
    "シッピング": "shipping", "マリン": "marine", "オーシャン": "ocean", "ホールディングズ": "holdings",
    "トランスポーテーション": "transportation", "トランスポート": "transport", "エアラインズ": "airlines",
    "エアライン": "airline", "オートメーション": "automation", "コミュニケーションズ": "communications",
    "ファイナンス": "finance", "バンク": "bank", "キャピタル": "capital", "パートナーズ": "partners",
    "ユニバーシティ": "university", "アカデミー": "academy", "ラボ": "lab", "ラボラトリー": "laboratory",
    "アンド": "and", "スター": "star", "ニュー": "new", "ジェネラル": "general", "ユナイテッド": "united",
    "ナショナル": "national", "オプティクス": "optics", "フォトニクス": "photonics",
    "セミコンダクター": "semiconductor", "マイクロエレクトロニクス": "microelectronics", "チップ": "chip",
    "チップス": "chips", "デバイス": "devices", "コンポーネンツ": "components", "パーツ": "parts",
    "レーダー": "radar", "レーザー": "laser", "ドローン": "drone", "ロボティクス": "robotics",
}  # fmt: skip


# Words that say what kind of organisation a name is, not which one ("Ministry of Defence", "ABC Technology"): they
# weigh GENERIC_WEIGHT times their rarity, so two names do not match on them alone. Long-vowel folded, as keys are.
GENERIC_WEIGHT = 0.4
GENERIC_WORDS = frozenset(
    {word.replace("ee", "e").replace("oo", "o") for english in TRANSLATIONS.values() for word in english.split()}
    | set(
        """
        group holding holdings international company trading trade services service industries industry industrial
        technologies technology tech systems system engineering enginering ministry national general global
        solutions solution development research institute university center centre foundation association bank
        corporation enterprises enterprise manufacturing production products factory plant works shipping logistics
        electronics electronic energy import export investment investments management consulting partners capital
        agency office department directorate administration committe council army forces front organization
        organisation network networks science sciences scientific laboratory laboratories academy school college
        defence defense interior affairs justice finance financial health education culture economy economic
        transport communications commerce commercial credit maritime naval navy air armed military security police
        public state federal republic government governmental ministerio ministere ministerium ministero
        universidad universite universitat universita universiteit universitet instituto institut istituto
        fundacion fondazione stiftung verein hochschule
        """.split()  # noqa: SIM905
    )
)

# The kind of organisation a word states, for the words that state one (long-vowel folded, as keys are). Two names
# that state kinds that cannot be one organisation are not one party, whatever proper name they share: Korea
# University (高麗大学, 고려대학교, コリョ大学) is not KORYO BANK, a ministry is not a company. Japanese, Chinese and
# Korean names meet this table through their translations (大学, 대학 → university; 銀行, 은행 → bank; 省 → ministry;
# 会社, 회사 → company; 研究所, 연구소 → institute). Universities and institutes are one kind (Chinese universities
# call themselves institutes in English: 北京理工大学, Beijing Institute of Technology); a ministry, its bureaus,
# agencies and committees are one (the DPRK's General Bureau of Atomic Energy is also its Ministry of Atomic Energy
# Industry); a bank is a company, but a company is no bank's other kind. A name without any of these words but with a
# legal form (COMPANY_FORMS) states "company".
COMPANY_KIND = "company"
KINDS: dict[str, str] = {
    **dict.fromkeys(
        """
        university universities college schol academy hochschule universidad universite universitat universita
        universiteit universitet institute institutes institut instituto istituto laboratory laboratories
        """.split(),  # noqa: SIM905
        "university or institute",
    ),
    **dict.fromkeys("bank banks banking banque banco".split(), "bank"),  # noqa: SIM905
    **dict.fromkeys(
        """
        ministry ministries ministerio ministere ministerium ministero bureau agency directorate committee
        commission department government administration
        """.split(),  # noqa: SIM905
        "ministry or agency",
    ),
    **dict.fromkeys("hospital clinic".split(), "hospital"),  # noqa: SIM905
    **dict.fromkeys("company corporation enterprise enterprises".split(), COMPANY_KIND),  # noqa: SIM905
}
# Kinds one organisation may state in one name and another in its other: a bank is a company.
KINDS_ALIKE = frozenset({frozenset({COMPANY_KIND, "bank"})})
# Legal-form codes (LEGAL_FORMS, LEGAL_FORMS_CJK) that are no company's: associations, foundations, Japan's
# incorporated administrative agencies, national university corporations and school corporations.
_NOT_COMPANY_FORMS = frozenset({"association", "foundation", "iai", "nup", "school_corp"})
COMPANY_FORMS = frozenset(
    code for code in {*LEGAL_FORMS.values(), *LEGAL_FORMS_CJK.values()} if code not in _NOT_COMPANY_FORMS
)


@lru_cache(maxsize=100_000)
def organisation_kinds(words: tuple[str, ...], legal_forms: tuple[str, ...]) -> tuple[str, ...]:
    """The words of a name that state its kind (KINDS), in order, company words only when no other kind is stated
    (KORYO BANK CORPORATION states a bank), then a company's legal form: a design institute or bureau that is a
    joint-stock company (ULYANOVSK … INSTITUTE, OAO) is a company as well. () when it states none."""
    stated = [word for word in words if word in KINDS]
    other = [word for word in stated if KINDS[word] != COMPANY_KIND]
    forms = [code for code in legal_forms if code in COMPANY_FORMS][:1]
    return (*dict.fromkeys(other or stated), *forms)


def kinds_differ(ours: tuple[str, ...], theirs: tuple[str, ...]) -> bool:
    """Whether two names that both state kinds (organisation_kinds) state none that one organisation could have."""
    if not ours or not theirs:
        return False
    mine = {KINDS.get(word, COMPANY_KIND) for word in ours}
    others = {KINDS.get(word, COMPANY_KIND) for word in theirs}
    return not any(a == b or frozenset({a, b}) in KINDS_ALIKE for a in mine for b in others)


# Words that make a name an organisation's, not a person's (a partner file that does not state the type, a list
# entry whose list does not say): "Israel Electric Corporation" is no match for a person called Israel.
ORGANISATION_WORDS = frozenset(KINDS) | frozenset(
    """
    bank ministry university institute company corporation agency committee commission association foundation
    group holding holdings trading industries industry enterprise enterprises services technologies technology
    systems laboratory laboratories academy school college hospital department directorate bureau council
    organization organisation army forces shipping logistics airlines airline factory plant works electronics
    engineering solutions consulting partners investment investments management manufacturing products
    production establishment authority office society federation union centre center ministerio ministere
    ministerium ministero universidad universite universitat universita universiteit universitet instituto
    institut istituto fundacion fondazione stiftung verein hochschule gmbh
    """.split()  # noqa: SIM905
)


# Abbreviations lists and registers use inside names (a trailing "Corp." is a legal form and is set aside before this).
ABBREVIATIONS: dict[str, str] = {
    "corp": "corporation", "co": "company", "intl": "international", "int'l": "international", "mfg": "manufacturing",
    "univ": "university", "inst": "institute", "natl": "national", "nat'l": "national", "dept": "department",
    "govt": "government", "assn": "association", "assoc": "association", "bros": "brothers", "svcs": "services",
    "eng": "engineering", "engg": "engineering", "sci": "science", "res": "research", "dev": "development",
    "ind": "industrial", "inds": "industries", "hldgs": "holdings", "grp": "group", "mgmt": "management",
    "mohd": "mohammed", "muhd": "muhammad", "md": "mohammed",
}  # fmt: skip
