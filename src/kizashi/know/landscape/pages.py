"""The landscape as the web shows it: the latest scan a reader may read with the names that show it, one technology's
page, and the public page's scan.

A technology's page gathers its rows of the latest readable scan (trend, emergence, countries with Japan, the fronts
that name it, its critical rank, the threats it counters or could become), the needs and seeds the reader may read
that the taxonomy's phrases tag with it (critical.Links, as the scan tags them), and its experts (know.experts, with
the technology's names, synonyms and descriptions in both languages as the query). Each page is one `read` event
naming what it showed; the pieces are read with the helpers behind the other services, so that no second event is
written for the same page.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from kizashi.errors import InputError, NotFound
from kizashi.know.experts import EXPERT_INDEXES, rank_experts
from kizashi.know.landscape import inputs
from kizashi.know.landscape.critical import Links
from kizashi.know.landscape.indicators import JAPAN
from kizashi.know.landscape.result import ScanResult
from kizashi.know.landscape.stored import PUBLIC_READER, StoredScan, _latest, latest_public_scan
from kizashi.know.landscape.tables import COLUMNS, Row
from kizashi.messages import Message
from kizashi.policy import Actor, Clearance, Label
from kizashi.retrieval import Statement
from kizashi.store.service import SHOWN, Delivery, delivered, service
from kizashi.store.workspace import Workspace

TOP_EXPERTS = 10
TOP_COUNTRIES = 10  # country rows on a technology's page besides Japan's


@dataclass(frozen=True)
class LandscapePage:
    """A stored scan and the same scan as the report reads it (`result`, names from the reader's taxonomy). `label`
    is the scan's, raised by the taxonomy entries whose names it shows."""

    scan: StoredScan
    result: ScanResult
    label: Label


@dataclass(frozen=True)
class Linked:
    """A need or a seed tagged with a technology."""

    kind: str  # needs or seeds
    id: str
    title: str
    label: Label


@dataclass(frozen=True)
class TechnologyPage:
    id: str
    name_ja: str
    name_en: str
    description_ja: str
    description_en: str
    parent: str | None  # None also when the parent is hidden from the reader
    parent_names: tuple[str, str] | None
    children: list[tuple[str, str, str]]  # (id, name_ja, name_en) of the readable children
    scan: StoredScan | None
    result: ScanResult | None
    trends: list[Row]  # by year
    emergence: Row | None
    countries: list[Row]  # the TOP_COUNTRIES best ranked, then Japan's row (a zero row when the scan has none)
    fronts: list[Row]  # the fronts whose `technologies` name it, largest first
    critical: Row | None
    threats: list[Row]
    needs: list[Linked]
    seeds: list[Linked]
    experts: list[dict[str, Any]]  # know.experts rows
    label: Label


def as_result(scan: StoredScan, technologies: Sequence[Mapping[str, Any]]) -> ScanResult:
    """A stored scan as the report's builders take it; names from `technologies` (taxonomy rows), threat names from
    the threats table itself. What a stored scan does not keep (its fingerprint, notes, vanished fronts) is blank."""
    parameters = scan.parameters
    as_of = parameters.get("as_of")
    threats = {
        str(row["threat"]): (str(row.get("threat_name_ja") or ""), str(row.get("threat_name_en") or ""))
        for row in scan.tables.get("threats", [])
    }
    return ScanResult(
        tables={name: list(scan.tables.get(name, [])) for name in COLUMNS if name != "front_works"}
        | {"front_works": [{"front": f, "work_id": w} for f, works in scan.fronts.items() for w in works]},
        technologies={str(t["id"]): (str(t.get("name_ja") or ""), str(t.get("name_en") or "")) for t in technologies},
        threats=threats,
        scan_id=scan.id,
        created_at=scan.created_at,
        engine=scan.engine,
        year_from=parameters.get("year_from"),
        year_to=parameters.get("year_to"),
        as_of=date.fromisoformat(as_of) if as_of else None,
        public=scan.public,
        label=scan.label.level,
        works=scan.works,
        fingerprint="",
    )


def scan_technologies(scan: StoredScan) -> list[str]:
    """The technologies a scan has rows for, in id order."""
    found = {
        str(row["technology"]) for name in ("trends", "emergence", "critical") for row in scan.tables.get(name, [])
    }
    return sorted(found)


def _named(technologies: Iterable[Mapping[str, Any]], wanted: Iterable[str]) -> list[Mapping[str, Any]]:
    ids = set(wanted)
    return [t for t in technologies if str(t["id"]) in ids]


def _page(scan: StoredScan, clearance: Clearance, workspace: Workspace, *, public: bool) -> LandscapePage:
    readable = inputs.records(workspace, clearance, "technologies", public=public)
    named = _named(readable.rows, scan_technologies(scan))
    label = Label.highest([scan.label, *(Label.of(dict(t)) for t in named)])
    return LandscapePage(scan, as_result(scan, named), label)


@service("landscape.page")
def landscape_page(workspace: Workspace, actor: Actor, *, delivery: Delivery = SHOWN) -> LandscapePage | None:
    """The newest scan the actor may read, with the names of its technologies that they may read; None when there
    is none (nothing is shown and nothing audited)."""
    scan = _latest(workspace, actor.clearance, public=None)
    if scan is None:
        return None
    page = _page(scan, actor.clearance, workspace, public=False)
    delivered(
        workspace,
        actor,
        delivery,
        records=scan_technologies(scan),
        detail={"service": "landscape.page", "scan": scan.id, "public": scan.public},
    )
    return page


def public_landscape(workspace: Workspace) -> LandscapePage | None:
    """The newest `--public` scan with the publishable names, read as nobody (the public page, when it is on)."""
    scan = latest_public_scan(workspace)
    return None if scan is None else _page(scan, PUBLIC_READER, workspace, public=True)


def _technology_rows(scan: StoredScan, table: str, technology: str) -> list[Row]:
    return [row for row in scan.tables.get(table, []) if row.get("technology") == technology]


def _share(row: Row) -> float:
    value = row.get("share")
    return float(value) if isinstance(value, int | float) and not isinstance(value, bool) else 0.0


def _rank(row: Row) -> float:
    value = row.get("rank")
    return float(value) if isinstance(value, int | float) and not isinstance(value, bool) else float("inf")


def country_rows(rows: Sequence[Row], technology: str, *, top: int = TOP_COUNTRIES) -> list[Row]:
    """The `top` best ranked countries of a technology (ASPI's rank: by top-10 % share), then Japan's row when it is
    not among them (the scan always writes it; a zero row stands in should it be missing)."""
    ordered = sorted(rows, key=lambda r: (_rank(r), -_share(r), str(r.get("country"))))
    shown = ordered[:top]
    if not any(r.get("country") == JAPAN for r in shown):
        japan = next((r for r in ordered if r.get("country") == JAPAN), None)
        shown.append(japan if japan is not None else _zero_country(technology))
    return shown


def _zero_country(technology: str) -> Row:
    row: Row = {column: None for column in COLUMNS["countries"]}
    row.update(technology=technology, country=JAPAN, works=0, works_fractional=0.0, share=0.0)
    row.update(top10_works=0, top10_share=0.0, top10_fractional=0.0)
    return row


def names_front(row: Row, technology: str) -> bool:
    """Whether a front's `technologies` cell (ids separated by ;) names the technology."""
    value = row.get("technologies") or ""
    listed = value if isinstance(value, list) else str(value).split(";")
    return technology in {str(item).strip() for item in listed} - {""}


def _linked(kind: str, ids: Sequence[str], rows: Sequence[Mapping[str, Any]]) -> list[Linked]:
    by_id = {str(row["id"]): row for row in rows}
    return [
        Linked(kind, i, str(by_id[i].get("title") or i), Label.of(dict(by_id[i])))
        for i in dict.fromkeys(ids)
        if i in by_id
    ]


def _experts(workspace: Workspace, clearance: Clearance, entry: Mapping[str, Any]) -> list[dict[str, Any]]:
    try:
        index = EXPERT_INDEXES.get(workspace, clearance)
    except InputError:  # no seeds or works the reader may read: nobody to name
        return []
    return rank_experts(index, Statement.of(entry), top=TOP_EXPERTS)


@service("landscape.technology_page")
def technology_page(
    workspace: Workspace, actor: Actor, technology: str, *, delivery: Delivery = SHOWN
) -> TechnologyPage:
    """One technology: NotFound when the actor may not read it (or it does not exist); its rows of the newest scan
    they may read (none when there is no such scan); the readable needs and seeds tagged with it; its experts."""
    clearance = actor.clearance
    readable = inputs.records(workspace, clearance, "technologies", public=False)
    entry = next((row for row in readable.rows if row["id"] == technology), None)
    if entry is None:
        raise NotFound(Message("no technology '{technology}'", technology=technology))
    known = {str(row["id"]): row for row in readable.rows}
    # A hidden parent makes a root, as for the scan (inputs.taxonomy): no hidden name is used or shown.
    entries = [{**row, "parent": row["parent"] if row["parent"] in known else None} for row in readable.rows]
    parent = entry["parent"] if entry["parent"] in known else None
    needs = inputs.records(workspace, clearance, "needs", public=False)
    seeds = inputs.records(workspace, clearance, "seeds", public=False)
    links = Links.of(entries, [], needs.rows, seeds.rows)
    tagged_needs = _linked("needs", links.needs.get(technology, []), needs.rows)
    tagged_seeds = _linked("seeds", links.seeds.get(technology, []), seeds.rows)
    experts = _experts(workspace, clearance, entry)
    scan = _latest(workspace, clearance, public=None)
    labels = [Label.of(entry), *(item.label for item in [*tagged_needs, *tagged_seeds])]
    labels += [Label.from_dict(row["label"]) for row in experts]
    if scan is not None:
        labels.append(scan.label)
    page = TechnologyPage(
        id=technology,
        name_ja=str(entry.get("name_ja") or ""),
        name_en=str(entry.get("name_en") or ""),
        description_ja=str(entry.get("description_ja") or ""),
        description_en=str(entry.get("description_en") or ""),
        parent=parent,
        parent_names=(str(known[parent]["name_ja"] or ""), str(known[parent]["name_en"] or "")) if parent else None,
        children=sorted(
            (str(row["id"]), str(row["name_ja"] or ""), str(row["name_en"] or ""))
            for row in readable.rows
            if row["parent"] == technology
        ),
        scan=scan,
        result=None if scan is None else as_result(scan, [entry]),
        trends=sorted(_technology_rows(scan, "trends", technology), key=lambda r: r["year"]) if scan else [],
        emergence=next(iter(_technology_rows(scan, "emergence", technology)), None) if scan else None,
        countries=country_rows(_technology_rows(scan, "countries", technology), technology) if scan else [],
        fronts=sorted(
            (row for row in scan.tables.get("fronts", []) if names_front(row, technology)),
            key=lambda r: (-(r.get("works") or 0), str(r["front"])),
        )
        if scan
        else [],
        critical=next(iter(_technology_rows(scan, "critical", technology)), None) if scan else None,
        threats=_technology_rows(scan, "threats", technology) if scan else [],
        needs=tagged_needs,
        seeds=tagged_seeds,
        experts=experts,
        label=Label.highest(labels),
    )
    shown = [record["id"] for row in experts for record in row["records"]]
    delivered(
        workspace,
        actor,
        delivery,
        records=list(dict.fromkeys([technology, *(n.id for n in tagged_needs), *(s.id for s in tagged_seeds), *shown])),
        detail={
            "service": "landscape.technology_page",
            "technology": technology,
            "scan": scan.id if scan else None,
            "experts": len(experts),
        },
    )
    return page
