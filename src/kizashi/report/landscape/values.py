"""How the scan's values read: numbers formatted by column, coded values in words, technologies and threats by
name, and the order of the technologies (most critical first)."""

from __future__ import annotations

import numbers
import re
from collections.abc import Mapping, Sequence
from decimal import Decimal
from typing import Any

from kizashi.know.landscape.result import ScanResult
from kizashi.know.landscape.tables import Row
from kizashi.report.landscape.messages import MESSAGES, say

JAPAN = "JP"
ROWS_SHOWN = 30  # rows of a long table in the report; the workbook holds them all

# How a column's values read. Shares and growth are fractions (0.25 = 25 %).
PERCENT = frozenset({"share", "top10_share", "japan_share", "lead_share"})
SIGNED_PERCENT = frozenset({"growth"})
# Differences of shares read as percentage points: the gap to the lead country, the change of Japan's share.
POINTS = frozenset({"japan_gap"})
SIGNED_POINTS = frozenset({"japan_trend"})
INTEGER = frozenset(
    {"year", "works", "top10_works", "rank", "rank_low", "rank_high", "weighted_rank", "top10_institutions"}
    | {"japan_rank", "recent_works", "previous_scan"}
)
ONE_DECIMAL = frozenset({"works_fractional", "top10_fractional"})
ENUMS = {"monopoly_risk": "risk", "status": "status", "relation": "relation", "japan_trend": "trend"}


_LIST_SPLIT = re.compile(r"[;,\s]+")


def technology_name(result: ScanResult, technology: str, lang: str) -> str:
    """A technology's name in `lang` (the other language's, then the id, when the taxonomy has none)."""
    ja, en = result.technologies.get(technology, ("", ""))
    return (ja or en if lang == "ja" else en or ja) or technology


def threat_name(result: ScanResult, row: Mapping[str, Any], lang: str) -> str:
    threat = str(row.get("threat") or "")
    ja, en = result.threats.get(threat, (row.get("threat_name_ja") or "", row.get("threat_name_en") or ""))
    return (ja or en if lang == "ja" else en or ja) or threat


def split_ids(value: Any) -> list[str]:
    """A cell holding several ids (a front's technologies, its previous fronts): separated by ; , or spaces."""
    if value is None or value == "":
        return []
    if isinstance(value, list | tuple):
        return [str(v) for v in value]
    return [part for part in _LIST_SPLIT.split(str(value)) if part]


def _number(value: Any) -> float | None:
    """`value` as a float when it is a number (an engine may hand over numpy or Decimal ones), else None."""
    if isinstance(value, bool) or value is None:
        return None
    if isinstance(value, numbers.Real | Decimal):
        return float(value)
    return None


def enum_text(column: str, value: Any, lang: str) -> str | None:
    """The reader's word for a coded value (emerging, monopoly risk, front status, relation, trend), else None."""
    if column == "emerging" and isinstance(value, bool):
        return say("emerging.yes" if value else "emerging.no", lang)
    if column in ENUMS and isinstance(value, str):
        key = f"{ENUMS[column]}.{value.lower()}"
        return say(key, lang) if key in MESSAGES else None
    return None


def cell_text(result: ScanResult, column: str, value: Any, lang: str) -> str:
    """One value of a table as the report shows it."""
    if value is None or value == "":
        return "—"
    word = enum_text(column, value, lang)
    if word is not None:
        return word
    if isinstance(value, bool):
        return say("yes" if value else "no", lang)
    if column == "technology":
        return technology_name(result, str(value), lang)
    if column == "technologies":
        return say("list_sep", lang).join(technology_name(result, t, lang) for t in split_ids(value))
    number = _number(value)
    if number is None:
        return str(value)
    if column in PERCENT:
        return f"{number:.1%}"
    if column in SIGNED_PERCENT:
        return f"{number:+.1%}"
    if column in POINTS or column in SIGNED_POINTS:
        sign = "+" if column in SIGNED_POINTS else ""
        return f"{number * 100:{sign}.1f}{say('unit.points', lang)}"
    if column in INTEGER:
        return f"{number:,.0f}"
    if column in ONE_DECIMAL:
        return f"{number:,.1f}"
    if column == "lead_ratio":
        return f"{number:.2f}×"
    return f"{int(value):,}" if isinstance(value, numbers.Integral) else f"{number:.3f}"


def rows_of(result: ScanResult, table: str) -> list[Row]:
    return list(result.tables.get(table, []))


def _rank_key(row: Row) -> tuple[float, str]:
    rank = _number(row.get("rank"))
    return (rank if rank is not None else float("inf"), str(row.get("technology")))


def technology_order(result: ScanResult) -> list[str]:
    """Technologies most critical first (by rank), then the unranked by works, most first."""
    ranked = [str(row["technology"]) for row in sorted(rows_of(result, "critical"), key=_rank_key)]
    works: dict[str, float] = {}
    for row in rows_of(result, "trends"):
        works[row["technology"]] = works.get(row["technology"], 0.0) + (_number(row.get("works")) or 0.0)
    for table in ("emergence", "countries"):
        for row in rows_of(result, table):
            works.setdefault(row["technology"], 0.0)
    seen = set(ranked)
    rest = sorted((t for t in works if t not in seen), key=lambda t: (-works[t], t))
    return ranked + rest


def _risk_of(rows: Sequence[Row]) -> str | None:
    """One technology's monopoly risk from its country rows: the lead country's row says it (the scan writes it on
    every row; any row that has one will do when ranks are absent)."""
    rated = sorted((r for r in rows if r.get("monopoly_risk")), key=lambda r: _number(r.get("rank")) or float("inf"))
    return str(rated[0]["monopoly_risk"]) if rated else None


def monopoly_risk(result: ScanResult, technology: str) -> str | None:
    return _risk_of([r for r in rows_of(result, "countries") if r["technology"] == technology])


def front_label(row: Mapping[str, Any], lang: str) -> str:
    ja, en = row.get("label_ja") or "", row.get("label_en") or ""
    return str((ja or en if lang == "ja" else en or ja) or row.get("front"))
