"""Records through the API: counts, search and listing, one record, and entering a need or a seed."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Path, Query, Request
from pydantic import Field

from kizashi.ingest.intake import create_statement
from kizashi.know.records import read_record, record_counts, search_records
from kizashi.policy import Label
from kizashi.web.api.schemas import (
    BEARER,
    CountsOut,
    CreatedOut,
    IntakeKind,
    PageOut,
    RecordKind,
    RecordOut,
    StatementIn,
    errors,
    label_out,
)
from kizashi.web.context import workspace
from kizashi.web.deps import ActorDep, check_write

router = APIRouter()


class SearchPageOut(PageOut):
    literal: bool = Field(description="whether the words were searched as typed only")
    widened: dict[str, list[str]] = Field(
        default_factory=dict,
        description="each word of q that also matched through its translations (Japanese ↔ English), with them",
    )


@router.get("/counts", summary="How many records of each kind I may read", dependencies=BEARER)
def record_counts_route(request: Request, actor: ActorDep) -> CountsOut:
    found = record_counts(workspace(request), actor)
    return CountsOut(counts=found.counts, label=label_out(found.label))


@router.get("/records/{kind}", summary="Search and list records", dependencies=BEARER)
def list_records(
    request: Request,
    actor: ActorDep,
    kind: RecordKind,
    q: Annotated[
        str,
        Query(
            max_length=500,
            description="words that must all occur, each as typed or as one of its translations (Japanese ↔ English)",
        ),
    ] = "",
    literal: Annotated[bool, Query(description="search the words as typed, without their translations")] = False,
    limit: Annotated[int, Query(ge=1, le=500)] = 50,
    offset: Annotated[int, Query(ge=0, le=10_000_000)] = 0,
    level: Annotated[str | None, Query(max_length=16)] = None,
    lang: Annotated[str | None, Query(max_length=8)] = None,
    country: Annotated[str | None, Query(max_length=8)] = None,
    source: Annotated[str | None, Query(max_length=64)] = None,
    year: Annotated[int | None, Query(ge=0, le=9999)] = None,
    type: Annotated[str | None, Query(max_length=64)] = None,
    category: Annotated[str | None, Query(max_length=64)] = None,
    horizon: Annotated[str | None, Query(max_length=16)] = None,
    parent: Annotated[str | None, Query(max_length=300)] = None,
) -> SearchPageOut:
    """Filters that do not apply to a kind are refused with 400 (see each kind's filter columns)."""
    given = {
        "level": level,
        "lang": lang,
        "country": country,
        "source": source,
        "year": year,
        "type": type,
        "category": category,
        "horizon": horizon,
        "parent": parent,
    }
    filters = {name: str(value) for name, value in given.items() if value is not None}
    page = search_records(
        workspace(request), actor, kind.value, query=q, filters=filters, limit=limit, offset=offset, literal=literal
    )
    return SearchPageOut(
        kind=kind.value,
        total=page.total,
        limit=limit,
        offset=offset,
        label=label_out(page.label),
        items=page.rows,
        literal=page.literal,
        widened={" ".join(group.words): list(group.alternatives) for group in page.widened},
    )


@router.get("/records/{kind}/{record_id:path}", responses=errors(404), summary="One record", dependencies=BEARER)
def one_record(
    request: Request, actor: ActorDep, kind: RecordKind, record_id: Annotated[str, Path(max_length=300)]
) -> RecordOut:
    """404 both when there is no such record and when you may not read it."""
    record = read_record(workspace(request), actor, kind.value, record_id)
    return RecordOut(kind=kind.value, label=label_out(Label.of(record)), record=record)


@router.post(
    "/records/{kind}", status_code=201, responses=errors(403), summary="Enter a need or a seed", dependencies=BEARER
)
def create_record(request: Request, kind: IntakeKind, body: StatementIn) -> CreatedOut:
    active = check_write(request)
    return CreatedOut(id=create_statement(workspace(request), active.actor, kind.value, body.model_dump()))
