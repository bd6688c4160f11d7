"""The R&D landscape through the API: the latest scan the caller may read, and one technology's page, from the same
services as the pages (know/landscape/pages.py, know/landscape/technology.py)."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any

from fastapi import APIRouter, Path, Request
from pydantic import BaseModel, Field

from kizashi.know.landscape.pages import LandscapePage, Linked, landscape_page, technology_page
from kizashi.know.landscape.stored import StoredScan
from kizashi.know.landscape.technology import technology_works
from kizashi.policy import Label
from kizashi.protect.screening.store import with_screening
from kizashi.web.api.match import ExpertOut
from kizashi.web.api.schemas import BEARER, LabelOut, errors, label_out
from kizashi.web.context import workspace
from kizashi.web.deps import ActorDep

router = APIRouter()
WORKS_SHOWN = 20

Rows = list[dict[str, Any]]


class ScanOut(BaseModel):
    id: int
    created_at: datetime
    user: str = Field(description="who ran the scan")
    engine: str = Field(description="duckdb or spark")
    parameters: dict[str, Any] = Field(description="year_from, year_to, as_of, public, … as the scan was asked")
    works: int = Field(description="works the scan read")
    public: bool = Field(description="made with --public from PUBLIC records only")
    label: LabelOut = Field(description="the highest label of what the scan used")


class TechnologyName(BaseModel):
    name_ja: str
    name_en: str


class LandscapeOut(BaseModel):
    scan: ScanOut | None = Field(description="the newest scan you may read; null when there is none")
    label: LabelOut | None = Field(description="this answer's label: the scan's, and the names' it shows")
    technologies: dict[str, TechnologyName] = Field(
        default_factory=dict, description="technology id → its names, for the technologies of the tables"
    )
    tables: dict[str, Rows] = Field(
        default_factory=dict,
        description="the scan's tables by name (trends, emergence, countries, collaboration, fronts, critical, "
        "threats), rows keyed by the columns of `kizashi scan`'s CSV files",
    )
    fronts: dict[str, list[str]] = Field(default_factory=dict, description="front id → the ids of its works")


class LinkedOut(BaseModel):
    id: str
    title: str
    label: LabelOut


class TechnologyWorksOut(BaseModel):
    total: int = Field(description="works tagged with the technology that you may read")
    works: Rows = Field(description="the most cited first: work_id, year, cited_by_count, title, phrase, field, via")


class TechnologyOut(BaseModel):
    id: str
    name_ja: str
    name_en: str
    parent: str | None
    label: LabelOut = Field(description="this answer's label (without the works, which carry their own)")
    scan: ScanOut | None = Field(description="the scan the rows come from; null when you may read none")
    trends: Rows
    emergence: dict[str, Any] | None
    countries: Rows = Field(description="the ten largest shares and Japan's row, always")
    fronts: Rows = Field(description="the research fronts that name the technology")
    critical: dict[str, Any] | None
    threats: Rows
    needs: list[LinkedOut] = Field(description="needs you may read that the taxonomy's phrases tag with it")
    seeds: list[LinkedOut]
    experts: list[ExpertOut]
    works: TechnologyWorksOut


def _scan(scan: StoredScan) -> ScanOut:
    return ScanOut(
        id=scan.id,
        created_at=scan.created_at,
        user=scan.user,
        engine=scan.engine,
        parameters=scan.parameters,
        works=scan.works,
        public=scan.public,
        label=label_out(scan.label),
    )


def landscape_out(page: LandscapePage | None) -> LandscapeOut:
    if page is None:
        return LandscapeOut(scan=None, label=None)
    return LandscapeOut(
        scan=_scan(page.scan),
        label=label_out(page.label),
        technologies={
            technology: TechnologyName(name_ja=ja, name_en=en)
            for technology, (ja, en) in page.result.technologies.items()
        },
        tables={name: rows for name, rows in page.result.tables.items() if name != "front_works"},
        fronts=page.scan.fronts,
    )


def _linked(items: list[Linked]) -> list[LinkedOut]:
    return [LinkedOut(id=item.id, title=item.title, label=label_out(item.label)) for item in items]


@router.get("/landscape", summary="The latest landscape scan I may read", dependencies=BEARER)
def landscape_route(request: Request, actor: ActorDep) -> LandscapeOut:
    """The tables of the newest scan (`kizashi scan`) whose label you may read, as the landscape page shows them."""
    return landscape_out(landscape_page(workspace(request), actor))


@router.get(
    "/landscape/technology/{technology_id:path}",
    responses=errors(404),
    summary="One technology in the landscape",
    dependencies=BEARER,
)
def technology_route(
    request: Request, actor: ActorDep, technology_id: Annotated[str, Path(max_length=300)]
) -> TechnologyOut:
    """A technology's rows of the newest scan you may read, the needs, seeds and experts tagged with it, and its most
    cited works with the phrase that tagged each; 404 both when there is no such technology and when you may not
    read it."""
    ws = workspace(request)
    page = technology_page(ws, actor, technology_id)
    works = technology_works(ws, actor, technology_id, limit=WORKS_SHOWN)
    return TechnologyOut(
        id=page.id,
        name_ja=page.name_ja,
        name_en=page.name_en,
        parent=page.parent,
        label=label_out(page.label),
        scan=_scan(page.scan) if page.scan else None,
        trends=page.trends,
        emergence=page.emergence,
        countries=page.countries,
        fronts=page.fronts,
        critical=page.critical,
        threats=page.threats,
        needs=_linked(page.needs),
        seeds=_linked(page.seeds),
        experts=[
            ExpertOut(**{**row, "label": label_out(Label.from_dict(row["label"]))})
            for row in with_screening(ws, actor, page.experts)
        ],
        works=TechnologyWorksOut(total=works.total, works=works.works),
    )
