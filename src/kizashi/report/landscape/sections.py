"""The report's sections as a model the template renders (`Section` of charts and `Table`s of `Cell`s): one
builder per section, and `technology_section` for one technology on its own (the web's technology page)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from markupsafe import Markup

from kizashi.know.landscape.result import ScanResult
from kizashi.know.landscape.tables import Row
from kizashi.report.landscape.figures import country_chart, critical_chart, front_map, trend_chart
from kizashi.report.landscape.messages import check_lang, column_name, say
from kizashi.report.landscape.values import (
    JAPAN,
    ROWS_SHOWN,
    _number,
    _rank_key,
    _risk_of,
    cell_text,
    front_label,
    rows_of,
    split_ids,
    technology_name,
    technology_order,
    threat_name,
)
from kizashi.report.templating import environment

TOP_PAIRS = 5  # collaboration pairs per technology


@dataclass
class Cell:
    text: str
    css: str = ""
    tip: str = ""  # a tooltip: the id behind a name


@dataclass
class Table:
    key: str
    headings: list[str]
    rows: list[list[Cell]]
    row_css: list[str] = field(default_factory=list)
    caption: str = ""
    heading_css: list[str] = field(default_factory=list)


@dataclass
class Section:
    key: str
    heading: str
    intro: list[str] = field(default_factory=list)
    charts: list[Markup] = field(default_factory=list)
    tables: list[Table] = field(default_factory=list)


def _cell(result: ScanResult, column: str, value: Any, lang: str) -> Cell:
    text = cell_text(result, column, value, lang)
    numeric = _number(value) is not None and column != "year"
    tip = str(value) if column == "technology" and text != value else ""
    return Cell(text, "num" if numeric else "", tip)


def _table(
    result: ScanResult, key: str, rows: Sequence[Row], columns: Sequence[str], lang: str, *, limit: int = ROWS_SHOWN
) -> Table:
    shown = rows[:limit]
    table = Table(
        key,
        [column_name(c, lang) for c in columns],
        [[_cell(result, c, row.get(c), lang) for c in columns] for row in shown],
    )
    if len(rows) > limit:
        table.caption = say("more_rows", lang, shown=limit, total=len(rows))
    return table


def critical_section(result: ScanResult, lang: str) -> Section:
    rows = sorted(rows_of(result, "critical"), key=_rank_key)
    columns = ["rank", "technology", "score", "rank_band", "weighted_rank", "threat_relevance", "momentum"]
    columns += ["japan_gap", "japan_trend", "dual_use", "concentration"]
    shown = []
    for row in rows:
        low, high = row.get("rank_low"), row.get("rank_high")
        band = "—" if low is None or high is None else f"{low}–{high}"
        shown.append({**row, "rank_band": band})
    return Section(
        "critical",
        say("section.critical", lang),
        [say("critical.intro", lang)],
        [critical_chart(result, lang)],
        [_table(result, "critical", shown, columns, lang)],
    )


def trends_section(result: ScanResult, lang: str, *, years_shown: int = 8) -> Section:
    rows = rows_of(result, "trends")
    years = sorted({int(r["year"]) for r in rows if _number(r.get("year")) is not None})[-years_shown:]
    works: dict[tuple[str, int], Any] = {(r["technology"], r["year"]): r.get("works") for r in rows}
    totals: dict[str, int] = {}
    for row in rows:
        totals[row["technology"]] = totals.get(row["technology"], 0) + int(_number(row.get("works")) or 0)
    order = [t for t in technology_order(result) if t in totals]
    table = Table(
        "trends",
        [column_name("technology", lang), *(str(y) for y in years), column_name("total", lang)],
        [
            [
                _cell(result, "technology", t, lang),
                *(_cell(result, "works", works.get((t, y)), lang) for y in years),
                _cell(result, "works", totals[t], lang),
            ]
            for t in order[:ROWS_SHOWN]
        ],
    )
    table.heading_css = ["", *("num" for _ in years), "num"]
    if len(order) > ROWS_SHOWN:
        table.caption = say("more_rows", lang, shown=ROWS_SHOWN, total=len(order))
    return Section(
        "trends", say("section.trends", lang), [say("trends.intro", lang)], [trend_chart(result, lang)], [table]
    )


def emergence_section(result: ScanResult, lang: str) -> Section:
    rows = sorted(
        rows_of(result, "emergence"),
        key=lambda r: (-(_number(r.get("emergence_score")) or float("-inf")), str(r["technology"])),
    )
    columns = ["technology", "works", "recent_works", "growth", "emergence_score", "emerging", "burst_years"]
    columns += ["novelty", "persistence", "community"]
    table = _table(result, "emergence", rows, columns, lang)
    table.row_css = ["emerging" if r.get("emerging") is True else "" for r in rows[:ROWS_SHOWN]]
    return Section("emergence", say("section.emergence", lang), [say("emergence.intro", lang)], [], [table])


def japan_position(result: ScanResult, lang: str) -> list[Row]:
    """Per technology: the lead country, its share and ratio to the second, the monopoly risk, and Japan's rank and
    share (Japan's row is always in the scan's countries table)."""
    by_technology: dict[str, list[Row]] = {}
    for row in rows_of(result, "countries"):
        by_technology.setdefault(row["technology"], []).append(row)
    position = []
    for technology in technology_order(result):
        rows = by_technology.get(technology)
        if not rows:
            continue
        lead = min(rows, key=lambda r: (_number(r.get("rank")) or float("inf"), -(_number(r.get("share")) or 0)))
        japan = next((r for r in rows if r.get("country") == JAPAN), {})
        position.append(
            {
                "technology": technology,
                "lead_country": lead.get("country"),
                "lead_share": lead.get("share"),
                "lead_ratio": lead.get("lead_ratio"),
                "monopoly_risk": _risk_of(rows),
                "japan_rank": japan.get("rank"),
                "japan_share": japan.get("share", 0.0),
            }
        )
    return position


def countries_section(result: ScanResult, lang: str, *, charts: int = 12) -> Section:
    position = japan_position(result, lang)
    columns = ["technology", "lead_country", "lead_share", "lead_ratio", "monopoly_risk", "japan_rank", "japan_share"]
    return Section(
        "countries",
        say("section.countries", lang),
        [say("countries.intro", lang)],
        [country_chart(result, row["technology"], lang) for row in position[:charts]],
        [_table(result, "countries", position, columns, lang)],
    )


def collaboration_section(result: ScanResult, lang: str) -> Section:
    by_technology: dict[str, list[Row]] = {}
    for row in rows_of(result, "collaboration"):
        by_technology.setdefault(row["technology"], []).append(row)
    rows = []
    for technology in technology_order(result):
        pairs = sorted(by_technology.get(technology, []), key=lambda r: -(_number(r.get("works")) or 0))
        for pair in pairs[:TOP_PAIRS]:
            rows.append({**pair, "pair": f"{pair['country_a']}–{pair['country_b']}"})
    limit = 2 * ROWS_SHOWN
    table = _table(result, "collaboration", rows, ["technology", "pair", "works"], lang, limit=limit)
    table.row_css = ["japan" if JAPAN in (r["country_a"], r["country_b"]) else "" for r in rows[:limit]]
    intro = say("collaboration.intro", lang, n=TOP_PAIRS)
    return Section("collaboration", say("section.collaboration", lang), [intro], [], [table])


def fronts_section(result: ScanResult, lang: str) -> Section:
    rows = sorted(rows_of(result, "fronts"), key=lambda r: (-(_number(r.get("works")) or 0), str(r["front"])))
    shown = [{**r, "label": front_label(r, lang), "previous": " ".join(split_ids(r.get("previous")))} for r in rows]
    columns = ["front", "label", "works", "growth", "status", "previous", "technologies"]
    intro = [say("fronts.intro", lang)]
    if result.vanished_fronts:
        intro.append(say("fronts.vanished", lang, fronts=say("list_sep", lang).join(result.vanished_fronts)))
    table = _table(result, "fronts", shown, columns, lang)
    return Section("fronts", say("section.fronts", lang), intro, [front_map(result, lang)], [table])


def _with_ids(count: Any, ids: Any, lang: str) -> Any:
    """A count with the ids it counts (the scan lists the first few), e.g. "3（N1、N4、N9）"."""
    listed = split_ids(ids)
    if not listed:
        return count
    opening, closing = ("（", "）") if lang == "ja" else (" (", ")")
    return f"{count}{opening}{say('list_sep', lang).join(listed)}{closing}"


def threats_section(result: ScanResult, lang: str) -> Section:
    rows = sorted(
        rows_of(result, "threats"),
        key=lambda r: (str(r["threat"]), str(r.get("relation")), -(_number(r.get("momentum")) or 0)),
    )
    columns = ["threat_name", "technology", "relation", "momentum", "emerging", "japan_rank", "japan_share"]
    columns += ["needs", "seeds"]
    shown = []
    previous = None
    for row in rows:
        first = row["threat"] != previous
        previous = row["threat"]
        shown.append(
            {
                **row,
                "threat_name": threat_name(result, row, lang) if first else "",
                "needs": _with_ids(row.get("needs"), row.get("need_ids"), lang),
                "seeds": _with_ids(row.get("seeds"), row.get("seed_ids"), lang),
            }
        )
    table = _table(result, "threats", shown, columns, lang, limit=len(shown))
    table.row_css = ["group" if r["threat_name"] else "" for r in shown]
    for row, cells in zip(shown, table.rows, strict=True):
        if row["threat_name"]:
            cells[0].tip = str(row["threat"])
        else:
            cells[0].text = ""
    return Section("threats", say("section.threats", lang), [say("threats.intro", lang)], [], [table])


def sections(result: ScanResult, lang: str) -> list[Section]:
    """The report's sections after its summary, in reading order."""
    return [
        critical_section(result, lang),
        trends_section(result, lang),
        emergence_section(result, lang),
        countries_section(result, lang),
        collaboration_section(result, lang),
        fronts_section(result, lang),
        threats_section(result, lang),
    ]


def technology_section(result: ScanResult, technology: str, lang: str = "ja") -> Markup:
    """One technology on its own (the web's technology page): its trend, its countries with Japan marked, its rank,
    emergence, fronts and threats, as an HTML fragment in the report's style."""
    check_lang(lang)

    def mine(table: str) -> list[Row]:
        return [r for r in rows_of(result, table) if r.get("technology") == technology]

    fronts = [
        {**r, "label": front_label(r, lang)}
        for r in rows_of(result, "fronts")
        if technology in split_ids(r.get("technologies"))
    ]
    threats = [{**r, "threat_name": threat_name(result, r, lang)} for r in mine("threats")]
    tables = [
        _table(result, "critical", mine("critical"), ["rank", "rank_low", "rank_high", "score", "momentum"], lang),
        _table(result, "emergence", mine("emergence"), ["works", "growth", "emergence_score", "emerging"], lang),
        _table(result, "fronts", fronts, ["front", "label", "works", "growth", "status"], lang),
        _table(result, "threats", threats, ["threat_name", "relation", "needs", "seeds"], lang),
    ]
    section = Section(
        f"technology-{technology}",
        say("section.technology", lang, technology=technology_name(result, technology, lang)),
        [],
        [trend_chart(result, lang, [technology]), country_chart(result, technology, lang)],
        [t for t in tables if t.rows],
    )
    return Markup(environment().get_template("landscape.html.j2").render(fragment=section, lang=lang))
