"""Every word a reader of the landscape report sees: `MESSAGES` (key → (Japanese, English)), `say` to fill one in,
and the wording of column headings and of the scan's label."""

from __future__ import annotations

import string
from typing import Any

from kizashi.errors import InputError
from kizashi.messages import Message

LANGS = ("ja", "en")

MESSAGES: dict[str, tuple[str, str]] = {
    # The page
    "title": ("研究開発ランドスケープ", "R&D landscape"),
    "subtitle": (
        "重要技術・動向・国別の状況・研究フロント・脅威",
        "Critical technologies, trends, countries, fronts, threats",
    ),
    "marking": ("取扱区分", "Label"),
    "marking_line": ("取扱区分：{marking}", "Label: {marking}"),
    "footer": (
        "kizashi {version} により作成。数値はすべてスキャンの表と同じ値であり、全件は表計算ファイルにある。",
        "Made by kizashi {version}. Every number is the number in the scan's tables; all rows are in the workbook.",
    ),
    "empty": ("データなし", "no data"),
    "more_rows": (
        "上位{shown}件を表示（全{total}件は表計算ファイルにある）。",
        "Top {shown} of {total} shown; all are in the workbook.",
    ),
    "yes": ("はい", "yes"),
    "no": ("いいえ", "no"),
    "utc": ("（協定世界時）", " UTC"),
    "period": ("{start}〜{end}年", "{start}–{end}"),
    "period.all": ("全期間", "all years"),
    "list_sep": ("、", ", "),
    "unit.points": ("ポイント", " pt"),
    # Classification levels (the names on Japanese government documents, as ingest reads them)
    "level.PUBLIC": ("公開", "PUBLIC"),
    "level.INTERNAL": ("部内限り", "INTERNAL"),
    "level.CONFIDENTIAL": ("秘", "CONFIDENTIAL"),
    "level.SECRET": ("極秘", "SECRET"),
    # Sections
    "section.summary": ("概要", "Summary"),
    "section.critical": ("重要技術", "Critical technologies"),
    "section.trends": ("動向", "Trends"),
    "section.emergence": ("新興性", "Emergence"),
    "section.countries": ("国別の状況と日本の位置", "Countries and Japan's position"),
    "section.collaboration": ("国際共著", "International collaboration"),
    "section.fronts": ("研究フロント", "Research fronts"),
    "section.threats": ("脅威と技術", "Threats and technologies"),
    "section.technology": ("技術：{technology}", "Technology: {technology}"),
    # Scan parameters
    "param.scan": ("スキャン番号", "Scan"),
    "param.created": ("作成日時", "Created"),
    "param.engine": ("計算エンジン", "Engine"),
    "param.period": ("対象期間", "Period"),
    "param.as_of": ("基準日", "As of"),
    "param.public": ("公開区分の記録のみ", "Public records only"),
    "param.works": ("読み込んだ論文数", "Works read"),
    "param.technologies": ("技術数", "Technologies"),
    "param.fronts": ("研究フロント数", "Research fronts"),
    "param.previous": ("比較した前回のスキャン", "Previous scan compared"),
    "param.fingerprint": ("入力の指紋", "Input fingerprint"),
    "param.label": ("取扱区分", "Label"),
    "notes": ("注記", "Notes"),
    "engine.duckdb": ("DuckDB", "DuckDB"),
    "engine.spark": ("Apache Spark", "Apache Spark"),
    # Notes a scan may carry (ScanResult.notes: the key, with or without a "note_" prefix, and its values)
    "note.as_of_citations": (
        "引用数は基準日までの年別引用数から数えた。年別引用数のない{works}件の論文は被引用上位10%の判定から除いた。",
        "Citations are counted up to the as-of date from the citations by year; {works} works without them are left "
        "out of the top-10 % counts.",
    ),
    "note.no_dual_use": (
        "輸出管理の分類器を用いなかったため、デュアルユース性はすべて0とした。",
        "The export-control classifier was not used: every dual-use signal is 0.",
    ),
    "note.dense_fronts": (
        "研究フロントは文書ベクトルのモデル「{model}」で求めた。",
        "Research fronts were found with the document vectors of the model '{model}'.",
    ),
    "note.dense_languages": (
        "文書ベクトルのモデルが読む言語（{languages}）以外の論文が{works}件あったため、研究フロントはTF-IDF/LSAで求めた。",
        "{works} works are in a language the dense model does not read ({languages}): research fronts were found "
        "with TF-IDF/LSA.",
    ),
    "note.no_previous_scan": (
        "比較する前回のスキャンがないため、研究フロントはすべて新規とした。",
        "No earlier scan to compare with: every research front is new.",
    ),
    "note.japan_absent": ("{technology}には日本の論文がない。", "Japan has no works in {technology}."),
    "note.empty_table": ("「{table}」の表は空である。", "The table '{table}' is empty."),
    "note.empty_corpus": ("読み込める論文がなかった。", "There were no works to read."),
    # Section texts
    "critical.intro": (
        "TOPSIS による総合順位。横線は各指標の重みを±20%動かしたときに順位が動く幅を示す。",
        "Overall rank by TOPSIS; the bar shows how far the rank moves when each weight moves by ±20 %.",
    ),
    "chart.critical": ("重要度の順位と感度幅", "Rank and its sensitivity band"),
    "axis.rank": ("順位（左ほど重要）", "Rank (most critical on the left)"),
    "trends.intro": (
        "重要度上位の技術の年別論文数。表は直近の年の論文数。",
        "Works per year of the most critical technologies; the table gives the latest years.",
    ),
    "chart.trends": ("年別論文数（上位{n}技術）", "Works per year (top {n} technologies)"),
    "chart.trend": ("{technology}：年別論文数", "{technology}: works per year"),
    "axis.year": ("出版年", "Publication year"),
    "axis.works": ("論文数", "Works"),
    "col.total": ("合計", "Total"),
    "emergence.intro": (
        "新興性スコアはポーターらの指標（新規性・成長・持続性・コミュニティ）、バースト期間はクラインバーグの方法による。",
        "Emergence score after Porter et al. (novelty, growth, persistence, community); bursts by Kleinberg's method.",
    ),
    "countries.intro": (
        "シェアは分数カウント（1論文を参加国で等分）。日本（JP）は上位に入らなくても常に示し、赤で示す。"
        "独占リスクは、首位国と2位国の比と、被引用上位10%論文の多い10機関のうち首位国にある数による。",
        "Shares are fractional counts (a work split equally among its countries). Japan (JP) is always shown, in "
        "red. Monopoly risk from the lead country's ratio to the second and how many of the ten institutions with "
        "most top-10 % works it holds.",
    ),
    "chart.countries": (
        "{technology}：国別シェア（独占リスク：{risk}）",
        "{technology}: country share (monopoly risk: {risk})",
    ),
    "col.lead_country": ("首位国", "Lead country"),
    "col.lead_share": ("首位国のシェア", "Lead share"),
    "collaboration.intro": (
        "技術ごとに共著論文の多い国の組（上位{n}組）。日本を含む組を強調する。",
        "Country pairs with most co-authored works per technology (top {n}); pairs with Japan are highlighted.",
    ),
    "col.pair": ("国の組", "Country pair"),
    "fronts.intro": (
        "研究フロントは論文の類似関係から求めた論文群。前回のスキャンと共有する論文によって状態を判定した。",
        "Research fronts are communities of similar works, matched to the last scan's fronts by shared works.",
    ),
    "chart.fronts": ("研究フロントの地図", "Map of research fronts"),
    "axis.growth": ("成長率（年率）", "Growth (per year)"),
    "axis.front_works": ("論文数（円の大きさも論文数）", "Works (bubble area also works)"),
    "fronts.vanished": ("消滅したフロント：{fronts}", "Vanished fronts: {fronts}"),
    "col.label": ("ラベル", "Label"),
    "threats.intro": (
        "脅威ごとに、それに対抗する技術と脅威になり得る技術、その勢い、日本の位置、関連するニーズとシーズ。",
        "For each threat, the technologies that counter it or could become it, their momentum, Japan's position, "
        "and the needs and seeds tagged with them.",
    ),
    "col.threat_name": ("脅威", "Threat"),
    "col.technology_name": ("技術名", "Technology name"),
    # Values
    "emerging.yes": ("新興", "Emerging"),
    "emerging.no": ("–", "–"),
    "risk.high": ("高", "High"),
    "risk.medium": ("中", "Medium"),
    "risk.low": ("低", "Low"),
    "status.new": ("新規", "New"),
    "status.continued": ("継続", "Continued"),
    "status.split": ("分裂", "Split"),
    "status.merged": ("統合", "Merged"),
    "status.vanished": ("消滅", "Vanished"),
    "relation.counters": ("対抗する技術", "Counters it"),
    "relation.counter": ("対抗する技術", "Counters it"),
    "relation.mitigates": ("対抗する技術", "Counters it"),
    "relation.becomes": ("脅威になり得る技術", "Could become it"),
    "relation.could_become": ("脅威になり得る技術", "Could become it"),
    "relation.enables": ("脅威になり得る技術", "Could become it"),
    "relation.source": ("脅威になり得る技術", "Could become it"),
    "trend.rising": ("上昇", "Rising"),
    "trend.flat": ("横ばい", "Flat"),
    "trend.falling": ("低下", "Falling"),
    # Sheets (at most 31 characters)
    "sheet.summary": ("概要", "Summary"),
    "sheet.trends": ("動向", "Trends"),
    "sheet.emergence": ("新興性", "Emergence"),
    "sheet.countries": ("国別", "Countries"),
    "sheet.collaboration": ("国際共著", "Collaboration"),
    "sheet.fronts": ("研究フロント", "Fronts"),
    "sheet.front_works": ("フロントの論文", "Front works"),
    "sheet.critical": ("重要技術", "Critical technologies"),
    "sheet.threats": ("脅威と技術", "Threats"),
    "col.item": ("項目", "Item"),
    "sheet_cut": (
        "「{sheet}」のシートは表計算ソフトの上限の{rows:,}行までである。全件は {table} にある。",
        "The sheet '{sheet}' stops at the spreadsheet's limit of {rows:,} rows; all rows are in {table}.",
    ),
    "col.value": ("値", "Value"),
    # Columns of the tables (tables.COLUMNS)
    "col.technology": ("技術", "Technology"),
    "col.year": ("年", "Year"),
    "col.works": ("論文数", "Works"),
    "col.share": ("シェア", "Share"),
    "col.top10_works": ("被引用上位10%論文数", "Top-10 % works"),
    "col.growth": ("成長率（年率）", "Growth (per year)"),
    "col.emergence_score": ("新興性スコア", "Emergence score"),
    "col.emerging": ("新興", "Emerging"),
    "col.burst_years": ("バースト期間", "Bursts"),
    "col.novelty": ("新規性", "Novelty"),
    "col.persistence": ("持続性", "Persistence"),
    "col.community": ("コミュニティ", "Community"),
    "col.recent_works": ("直近の論文数", "Recent works"),
    "col.country": ("国", "Country"),
    "col.works_fractional": ("論文数（分数カウント）", "Works (fractional)"),
    "col.top10_share": ("被引用上位10%のシェア", "Top-10 % share"),
    "col.rank": ("順位", "Rank"),
    "col.lead_ratio": ("首位国と2位国の比", "Lead ratio"),
    "col.top10_institutions": ("上位10機関のうちの数", "Top-10 institutions"),
    "col.monopoly_risk": ("独占リスク", "Monopoly risk"),
    "col.top10_fractional": ("被引用上位10%論文数（分数）", "Top-10 % works (fractional)"),
    "col.country_a": ("国A", "Country A"),
    "col.country_b": ("国B", "Country B"),
    "col.front": ("フロント", "Front"),
    "col.label_en": ("ラベル（英語）", "Label (English)"),
    "col.label_ja": ("ラベル（日本語）", "Label (Japanese)"),
    "col.status": ("状態", "Status"),
    "col.previous": ("前回のフロント", "Previous fronts"),
    "col.technologies": ("関連技術", "Technologies"),
    "col.work_id": ("論文", "Work"),
    "col.score": ("総合スコア", "Score"),
    "col.rank_low": ("順位の幅（上端）", "Rank band (best)"),
    "col.rank_high": ("順位の幅（下端）", "Rank band (worst)"),
    "col.rank_band": ("順位の幅", "Rank band"),
    "col.weighted_score": ("加重和スコア", "Weighted-sum score"),
    "col.weighted_rank": ("加重和による順位", "Weighted-sum rank"),
    "col.threat_relevance": ("脅威との関連", "Threat relevance"),
    "col.momentum": ("勢い", "Momentum"),
    "col.japan_gap": ("日本と首位国の差", "Japan's gap"),
    "col.japan_trend": ("日本の傾向", "Japan's trend"),
    "col.dual_use": ("デュアルユース性", "Dual use"),
    "col.concentration": ("集中度", "Concentration"),
    "col.threat": ("脅威", "Threat"),
    "col.threat_name_ja": ("脅威名（日本語）", "Threat (Japanese)"),
    "col.threat_name_en": ("脅威名（英語）", "Threat (English)"),
    "col.relation": ("関係", "Relation"),
    "col.japan_rank": ("日本の順位", "Japan's rank"),
    "col.japan_share": ("日本のシェア", "Japan's share"),
    "col.needs": ("ニーズ", "Needs"),
    "col.seeds": ("シーズ", "Seeds"),
    "col.need_ids": ("ニーズの番号", "Need ids"),
    "col.seed_ids": ("シーズの番号", "Seed ids"),
}


def check_lang(lang: str) -> str:
    if lang not in LANGS:
        raise InputError(
            Message("unknown language '{lang}'; use one of {choices}", lang=lang, choices=", ".join(LANGS)),
            field="lang",
        )
    return lang


class _Blank(dict[str, Any]):
    """Values of a message: one the caller left out reads as "—" instead of failing the whole report."""

    def __missing__(self, key: str) -> str:
        return "—"


def say(key: str, lang: str, **values: Any) -> str:
    """The message `key` in `lang` with its {placeholders} filled."""
    ja, en = MESSAGES[key]
    text = ja if lang == "ja" else en
    return string.Formatter().vformat(text, (), _Blank(values)) if "{" in text else text


def column_name(column: str, lang: str) -> str:
    return say(f"col.{column}", lang) if f"col.{column}" in MESSAGES else column


def marking(label: str, lang: str) -> str:
    """The scan's label as a classification marking: the level's name, then its compartments (ids)."""
    level, *compartments = [part.strip() for part in label.split("//")]
    key = f"level.{level}"
    name = say(key, lang) if key in MESSAGES else level
    shown = f"{name}（{level}）" if lang == "ja" and name != level else name
    return " // ".join([shown, *compartments])
