"""The R&D landscape pages: the latest scan the reader may read (/landscape), a page per technology
(/landscape/technology/{id}) and, when the setting `public_landscape` is on, the latest `--public` scan for anyone
(/public/landscape, no login).

The services (know/landscape/pages.py, know/landscape/technology.py) read through the policy and audit; this module
renders what they return, with the report's charts (report/landscape.py) so that a chart here is the report's chart.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from datetime import UTC, datetime
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, Response

from kizashi.errors import NotFound
from kizashi.know.landscape.pages import LandscapePage, landscape_page, public_landscape, technology_page
from kizashi.know.landscape.result import ScanResult
from kizashi.know.landscape.technology import technology_works
from kizashi.messages import Message
from kizashi.protect.screening.store import with_screening
from kizashi.report.landscape import (
    cell_text,
    country_chart,
    critical_chart,
    front_label,
    front_map,
    japan_position,
    technology_name,
    technology_order,
    trend_chart,
)
from kizashi.settings import get_settings
from kizashi.web.context import language, workspace
from kizashi.web.deps import ActorDep
from kizashi.web.i18n import translate
from kizashi.web.render import render

router = APIRouter(include_in_schema=False)
WORKS_SHOWN = 20
# Columns whose values are codes, and the message family that words them (landscape_<family>_<value>).
ENUMS = {"monopoly_risk": "risk", "status": "status", "relation": "relation", "emerging": "emerging"}


def cell_formatter(result: ScanResult | None, lang: str) -> Callable[[str, Any], str]:
    """`cell(column, value)` for the templates: coded values in the reader's words, numbers as the report writes them
    (shares as %, growth signed, Japan's gap and trend in points), a technology id as its name."""

    def cell(column: str, value: Any) -> str:
        if column in ENUMS and value not in (None, ""):
            code = ("yes" if value else "no") if isinstance(value, bool) else str(value).lower()
            key = f"landscape_{ENUMS[column]}_{code}"
            return translate(key, lang) if key != translate(key, lang) else str(value)
        if result is None:
            return "—" if value is None else str(value)
        return cell_text(result, column, value, lang)

    return cell


def _utc(moment: datetime) -> str:
    # SQLite gives the stored UTC time back without its zone; PostgreSQL with it.
    return (moment if moment.tzinfo is None else moment.astimezone(UTC)).strftime("%Y-%m-%d %H:%M")


def _period(parameters: Mapping[str, Any], lang: str) -> str:
    start, end = parameters.get("year_from"), parameters.get("year_to")
    if start is None and end is None:
        return translate("landscape_all_years", lang)
    return f"{start or '…'}–{end or '…'}"


def _ranked(result: ScanResult) -> list[dict[str, Any]]:
    """The critical table in rank order, each row with its band as text."""
    rows = sorted(result.tables.get("critical", []), key=lambda r: (r.get("rank") or 1e9, str(r["technology"])))
    return [
        {
            **row,
            "band": "—" if row.get("rank_low") is None else f"{row['rank_low']}–{row['rank_high']}",
        }
        for row in rows
    ]


def _emerging(result: ScanResult) -> list[dict[str, Any]]:
    rows = [row for row in result.tables.get("emergence", []) if row.get("emerging") is True]
    return sorted(rows, key=lambda r: (-(r.get("emergence_score") or 0.0), str(r["technology"])))


def _fronts(result: ScanResult, lang: str) -> list[dict[str, Any]]:
    rows = sorted(result.tables.get("fronts", []), key=lambda r: (-(r.get("works") or 0), str(r["front"])))
    return [
        {
            **row,
            "label": front_label(row, lang),
            "technology_ids": [t for t in str(row.get("technologies") or "").split(";") if t],
            "previous_ids": [p for p in str(row.get("previous") or "").replace(",", ";").split(";") if p.strip()],
        }
        for row in rows
    ]


def _threats(result: ScanResult, lang: str) -> list[dict[str, Any]]:
    """Threat rows grouped by threat, each with its name shown once and the ids of its needs and seeds."""
    rows = sorted(
        result.tables.get("threats", []),
        key=lambda r: (str(r["threat"]), str(r.get("relation")), -(r.get("momentum") or 0.0)),
    )
    shown = []
    previous = None
    for row in rows:
        ja, en = result.threats.get(str(row["threat"]), ("", ""))
        name = (ja or en if lang == "ja" else en or ja) or str(row["threat"])
        shown.append(
            {
                **row,
                "threat_name": name if row["threat"] != previous else "",
                "need_list": [i for i in str(row.get("need_ids") or "").split(";") if i],
                "seed_list": [i for i in str(row.get("seed_ids") or "").split(";") if i],
            }
        )
        previous = row["threat"]
    return shown


def _landscape_context(page: LandscapePage, lang: str, *, public: bool) -> dict[str, Any]:
    result = page.result
    parameters = page.scan.parameters
    yes, no = translate("landscape_yes", lang), translate("landscape_no", lang)
    facts: list[tuple[str, str]] = [
        ("landscape_scan_id", str(page.scan.id)),
        ("landscape_created", _utc(page.scan.created_at)),
        ("landscape_engine", {"duckdb": "DuckDB", "spark": "Apache Spark"}.get(page.scan.engine, page.scan.engine)),
        ("landscape_period", _period(parameters, lang)),
        ("landscape_as_of", str(parameters.get("as_of") or "—")),
        ("landscape_public_only", yes if page.scan.public else no),
        ("landscape_works_read", f"{page.scan.works:,}"),
        ("landscape_technology_count", f"{len(technology_order(result)):,}"),
        ("landscape_front_count", f"{len(result.tables.get('fronts', [])):,}"),
    ]
    if not public:
        facts.insert(2, ("landscape_created_by", page.scan.user))
    return {
        "scan": page.scan,
        "facts": facts,
        "critical": _ranked(result),
        "emerging": _emerging(result),
        "japan": japan_position(result, lang),
        "fronts": _fronts(result, lang),
        "threats": _threats(result, lang),
        "critical_chart": critical_chart(result, lang),
        "trend_chart": trend_chart(result, lang),
        "front_map": front_map(result, lang),
        "name": lambda technology: technology_name(result, str(technology), lang),
        "cell": cell_formatter(result, lang),
        "public": public,
        "page_label": page.label,
    }


@router.get("/landscape", response_class=HTMLResponse)
def landscape(request: Request, actor: ActorDep) -> Response:
    lang = language(request)
    page = landscape_page(workspace(request), actor)
    if page is None:
        return render(request, "landscape.html.j2", scan=None, public=False, page_label=None)
    return render(request, "landscape.html.j2", **_landscape_context(page, lang, public=False))


@router.get("/landscape/technology/{technology_id:path}", response_class=HTMLResponse)
def technology(request: Request, actor: ActorDep, technology_id: str) -> Response:
    lang = language(request)
    ws = workspace(request)
    page = technology_page(ws, actor, technology_id)
    works = technology_works(ws, actor, technology_id, limit=WORKS_SHOWN)
    experts = with_screening(ws, actor, page.experts)
    result = page.result
    charts: list[Any] = []
    if result is not None and (page.trends or page.countries):
        charts = [trend_chart(result, lang, [page.id]), country_chart(result, page.id, lang)]
    names = {page.id: (page.name_ja, page.name_en)}
    if page.parent and page.parent_names:
        names[page.parent] = page.parent_names
    names.update({child: (ja, en) for child, ja, en in page.children})
    return render(
        request,
        "landscape_technology.html.j2",
        page=page,
        works=works,
        experts=experts,
        charts=charts,
        fronts=[{**row, "label": front_label(row, lang)} for row in page.fronts],
        created=_utc(page.scan.created_at) if page.scan else "",
        name=_namer(names, lang),
        cell=cell_formatter(result, lang),
        page_label=page.label,
    )


def _namer(names: Mapping[str, tuple[str, str]], lang: str) -> Callable[[str], str]:
    def name(technology: str) -> str:
        ja, en = names.get(technology, ("", ""))
        return (ja or en if lang == "ja" else en or ja) or technology

    return name


@router.get("/public/landscape", response_class=HTMLResponse)
def public(request: Request) -> Response:
    """Open to anyone while the setting is on: the latest `--public` scan, nothing else; a 404 otherwise."""
    if not get_settings().public_landscape:
        raise NotFound(Message("no such page"))
    page = public_landscape(workspace(request))
    if page is None:
        raise NotFound(Message("no public landscape has been published"))
    return render(request, "landscape_public.html.j2", **_landscape_context(page, language(request), public=True))
