"""The report's charts (inline SVG from `kizashi.report.charts`): the critical ranking with its sensitivity band,
works per year, country shares with Japan marked, and the map of research fronts."""

from __future__ import annotations

from collections.abc import Sequence

from markupsafe import Markup

from kizashi.know.landscape.result import ScanResult
from kizashi.report.charts import (
    PALETTE,
    SERIES_COLOURS,
    Bubble,
    bubble_chart,
    dot_whisker_chart,
    line_chart,
    marked_bar_chart,
)
from kizashi.report.landscape.messages import say
from kizashi.report.landscape.values import (
    JAPAN,
    ROWS_SHOWN,
    _number,
    _rank_key,
    cell_text,
    front_label,
    monopoly_risk,
    rows_of,
    technology_name,
    technology_order,
)

STATUS_COLOURS = {"new": "#e69f00", "continued": "#0072b2", "split": "#009e73", "merged": "#cc79a7"}


def critical_chart(result: ScanResult, lang: str, *, limit: int = ROWS_SHOWN) -> Markup:
    """The ranking as dots with whiskers from rank_low to rank_high (the band under weights moved ±20 %)."""
    rows = sorted(rows_of(result, "critical"), key=_rank_key)[:limit]
    items = []
    for row in rows:
        rank = _number(row.get("rank"))
        if rank is None:
            continue
        low = _number(row.get("rank_low"))
        high = _number(row.get("rank_high"))
        low, high = (rank if low is None else low), (rank if high is None else high)
        items.append((technology_name(result, row["technology"], lang), rank, min(low, high), max(low, high)))
    return dot_whisker_chart(
        items,
        title=say("chart.critical", lang),
        axis_title=say("axis.rank", lang),
        integers=True,
        empty=say("empty", lang),
    )


def trend_chart(result: ScanResult, lang: str, technologies: Sequence[str] | None = None) -> Markup:
    """Works per year as lines, one per technology (the most critical ones when none are named)."""
    chosen = list(technologies) if technologies is not None else technology_order(result)[: len(SERIES_COLOURS)]
    points: dict[str, list[tuple[float, float]]] = {t: [] for t in chosen}
    for row in rows_of(result, "trends"):
        year, works = _number(row.get("year")), _number(row.get("works"))
        if row["technology"] in points and year is not None and works is not None:
            points[row["technology"]].append((year, works))
    series = [(technology_name(result, t, lang), points[t]) for t in chosen]
    if technologies is not None and len(chosen) == 1:
        title = say("chart.trend", lang, technology=series[0][0])
    else:
        title = say("chart.trends", lang, n=len(chosen))
    return line_chart(
        series,
        title=title,
        x_title=say("axis.year", lang),
        y_title=say("axis.works", lang),
        empty=say("empty", lang),
    )


def country_chart(result: ScanResult, technology: str, lang: str, *, top: int = 10) -> Markup:
    """Country shares of one technology as bars, the `top` largest and Japan always, Japan's bar marked."""
    rows = [r for r in rows_of(result, "countries") if r["technology"] == technology]
    rows.sort(key=lambda r: (-(_number(r.get("share")) or 0.0), str(r.get("country"))))
    shown = rows[:top]
    if not any(r.get("country") == JAPAN for r in shown):
        japan = next((r for r in rows if r.get("country") == JAPAN), {"country": JAPAN, "share": 0.0})
        shown.append(japan)
    items = [(str(r["country"]), _number(r.get("share")) or 0.0, r["country"] == JAPAN) for r in shown]
    risk = monopoly_risk(result, technology)
    title = say(
        "chart.countries",
        lang,
        technology=technology_name(result, technology, lang),
        risk=cell_text(result, "monopoly_risk", risk, lang),
    )
    return marked_bar_chart(items, title=title, value_format="{:.1%}", empty=say("empty", lang))


def front_map(result: ScanResult, lang: str) -> Markup:
    """The fronts as bubbles: growth across, works up, area by works, coloured by status against the last scan."""
    bubbles = []
    for row in rows_of(result, "fronts"):
        growth, works = _number(row.get("growth")), _number(row.get("works"))
        if growth is None or works is None:
            continue
        colour = STATUS_COLOURS.get(str(row.get("status")), PALETTE[1])
        bubbles.append(Bubble(front_label(row, lang), growth, works, works, colour, str(row["front"])))
    statuses = {str(r.get("status")) for r in rows_of(result, "fronts")}
    legend = [(say(f"status.{s}", lang), c) for s, c in STATUS_COLOURS.items() if s in statuses]
    return bubble_chart(
        bubbles,
        title=say("chart.fronts", lang),
        x_title=say("axis.growth", lang),
        y_title=say("axis.front_works", lang),
        x_format="{:+.0%}",
        legend=legend,
        empty=say("empty", lang),
    )
