"""The JSON API under /api: the same login, the same policy and the same audit as the pages, and one error shape,
`{"error": {"status", "code", "message"}}`, for every failure.

Clients log in with POST /api/session and send the token back as `Authorization: Bearer …` (or keep the cookie
and send `X-CSRF-Token` on writes, as the pages' scripts would).
"""

from __future__ import annotations

from datetime import date
from enum import StrEnum
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Path, Query, Request, Response
from fastapi.security import HTTPBearer
from pydantic import BaseModel, Field

from kizashi.errors import InputError
from kizashi.ingest.intake import create_statement
from kizashi.know.match import Statement
from kizashi.know.seed_index import SEED_INDEXES, need_of
from kizashi.protect import audit
from kizashi.protect.login import log_in, log_out
from kizashi.protect.policy import Label
from kizashi.protect.screening.screen import Party
from kizashi.protect.screening.store import screen, status_of
from kizashi.store.records import counts, get_record, readable_label, search
from kizashi.web.context import (
    check_csrf,
    clear_session_cookie,
    config,
    origin,
    require_session,
    session_token,
    start_session_cookie,
    workspace,
)
from kizashi.web.experts import experts_for


class ErrorDetail(BaseModel):
    status: int
    code: str = Field(description="machine-readable: not_found, login_required, input_error, …")
    message: str


class ErrorBody(BaseModel):
    error: ErrorDetail


def _errors(*statuses: int) -> dict[int | str, dict[str, Any]]:
    return {status: {"model": ErrorBody} for status in statuses}


router = APIRouter(prefix="/api", tags=["api"], responses=_errors(400, 401, 422, 500))
# Documents the bearer token in the OpenAPI document; the session itself is read by require_session (cookie or token).
BEARER = [Depends(HTTPBearer(auto_error=False, description="the token from POST /api/session"))]


class RecordKind(StrEnum):
    needs = "needs"
    seeds = "seeds"
    works = "works"
    threats = "threats"
    technologies = "technologies"


class IntakeKind(StrEnum):
    needs = "needs"
    seeds = "seeds"


class LoginIn(BaseModel):
    name: str = Field(min_length=1, max_length=200)
    password: str = Field(min_length=1, max_length=1000)


class SessionOut(BaseModel):
    user: str
    token: str = Field(description="send as `Authorization: Bearer <token>`")
    csrf_token: str = Field(description="send as X-CSRF-Token on writes when using the cookie instead")


class LabelOut(BaseModel):
    level: str
    compartments: list[str]
    tlp: str | None = Field(default=None, description="TLP 2.0 marking: CLEAR, GREEN, AMBER, AMBER+STRICT or RED")


class ClearanceOut(BaseModel):
    level: str
    compartments: list[str]


class MeOut(BaseModel):
    user: str
    display_name: str | None
    organisation: str | None
    roles: list[str]
    clearance: ClearanceOut


class CountsOut(BaseModel):
    counts: dict[str, int] = Field(description="records of each kind the caller may read")
    label: LabelOut = Field(description="the highest label among the records counted")


class PageOut(BaseModel):
    kind: str
    total: int = Field(description="matching records the caller may read")
    limit: int
    offset: int
    label: LabelOut = Field(description="the highest label among the items: this page's own label")
    items: list[dict[str, Any]]


class RecordOut(BaseModel):
    kind: str
    label: LabelOut
    record: dict[str, Any]


class StatementIn(BaseModel):
    """A need or a seed as a person enters it; the id is assigned by kizashi."""

    title: str = Field(min_length=1, max_length=2000)
    description: str = Field(default="", max_length=100_000)
    lang: str | None = Field(default=None, max_length=8)
    organization: str | None = Field(default=None, max_length=500)
    country: str | None = Field(default=None, max_length=8)
    trl: int | None = Field(default=None, ge=1, le=9)
    threat: str | None = Field(default=None, max_length=200)
    deadline: date | None = None
    keywords: list[str] = Field(default_factory=list, max_length=100)
    level: str | None = Field(
        default=None,
        max_length=16,
        description="PUBLIC, INTERNAL, CONFIDENTIAL or SECRET, at most yours; default INTERNAL, or yours if lower",
    )
    compartments: list[str] = Field(default_factory=list, max_length=50)
    tlp: str | None = Field(
        default=None,
        max_length=20,
        description="TLP 2.0 marking; AMBER and AMBER+STRICT are owned by your organisation",
    )
    tlp_recipients: list[str] = Field(
        default_factory=list, max_length=100, description="AMBER: further organisations; RED: the people it goes to"
    )


class CreatedOut(BaseModel):
    id: str


def _label(label: Label) -> LabelOut:
    return LabelOut(level=label.level, compartments=sorted(label.compartments), tlp=label.tlp)


@router.post("/session", responses=_errors(429), summary="Log in")
def open_session(request: Request, response: Response, body: LoginIn) -> SessionOut:
    settings = config(request)
    token, csrf = log_in(
        settings.workspace,
        body.name,
        body.password,
        origin=origin(request),
        user_agent=request.headers.get("user-agent"),
    )
    start_session_cookie(request, response, token)
    return SessionOut(user=body.name, token=token, csrf_token=csrf)


@router.delete("/session", status_code=204, responses=_errors(403), summary="Log out", dependencies=BEARER)
def close_session(request: Request) -> Response:
    active = require_session(request)
    check_csrf(request, active, None)
    token = session_token(request)
    if token:
        log_out(workspace(request), token, origin=origin(request))
    response = Response(status_code=204)
    clear_session_cookie(request, response)
    return response


@router.get("/me", summary="Who I am and what I may read", dependencies=BEARER)
def me(request: Request) -> MeOut:
    active = require_session(request)
    clearance = active.clearance
    return MeOut(
        user=active.user,
        display_name=active.display_name,
        organisation=clearance.organisation,
        roles=sorted(active.roles),
        clearance=ClearanceOut(level=clearance.level, compartments=sorted(clearance.compartments)),
    )


@router.get("/counts", summary="How many records of each kind I may read", dependencies=BEARER)
def record_counts(request: Request) -> CountsOut:
    active = require_session(request)
    by_kind = counts(workspace(request), active.clearance)
    audit.record(
        workspace(request), active.user, "read", detail={"api": "counts", "counts": by_kind}, origin=origin(request)
    )
    return CountsOut(counts=by_kind, label=_label(readable_label(workspace(request), active.clearance)))


@router.get("/records/{kind}", summary="Search and list records", dependencies=BEARER)
def list_records(
    request: Request,
    kind: RecordKind,
    q: Annotated[str, Query(max_length=500, description="words that must all occur")] = "",
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
) -> PageOut:
    """Filters that do not apply to a kind are refused with 400 (see each kind's filter columns)."""
    active = require_session(request)
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
    ws = workspace(request)
    rows, total = search(ws, kind.value, active.clearance, query=q, filters=filters, limit=limit, offset=offset)
    audit.record(
        ws,
        active.user,
        "read",
        records=[row["id"] for row in rows],
        detail={"api": "list", "kind": kind.value, "query": q, "filters": filters, "total": total},
        origin=origin(request),
    )
    items = [{key: value for key, value in row.items() if key != "content_hash"} for row in rows]
    label = Label.highest(Label.of(row) for row in rows)
    return PageOut(kind=kind.value, total=total, limit=limit, offset=offset, label=_label(label), items=items)


@router.get("/records/{kind}/{record_id:path}", responses=_errors(404), summary="One record", dependencies=BEARER)
def read_record(request: Request, kind: RecordKind, record_id: Annotated[str, Path(max_length=300)]) -> RecordOut:
    """404 both when there is no such record and when you may not read it."""
    active = require_session(request)
    ws = workspace(request)
    record = get_record(ws, kind.value, record_id, active.clearance)
    audit.record(
        ws,
        active.user,
        "read",
        records=[record_id],
        detail={"api": "record", "kind": kind.value},
        origin=origin(request),
    )
    return RecordOut(
        kind=kind.value,
        label=_label(Label.of(record)),
        record={key: value for key, value in record.items() if key != "content_hash"},
    )


@router.post(
    "/records/{kind}", status_code=201, responses=_errors(403), summary="Enter a need or a seed", dependencies=BEARER
)
def create_record(request: Request, kind: IntakeKind, body: StatementIn) -> CreatedOut:
    active = require_session(request)
    check_csrf(request, active, None)
    record_id = create_statement(workspace(request), kind.value, body.model_dump(), active.user, origin=origin(request))
    return CreatedOut(id=record_id)


class ProposalOut(BaseModel):
    rank: int
    seed_id: str
    seed_title: str
    score: float
    evidence: dict[str, Any] = Field(
        description="why: shared terms, translations, concepts, channel ranks, the taxonomy areas of need and seed, "
        "and cross_domain (the seed is from another field)"
    )
    label: LabelOut = Field(description="the pair's label: the higher of need and seed")


class MatchOut(BaseModel):
    need_id: str
    need_title: str
    cross_domain: bool = Field(description="only seeds from other taxonomy areas than the need's")
    label: LabelOut = Field(description="the highest label of the need and the seeds proposed")
    proposals: list[ProposalOut]


class ExpertRecordOut(BaseModel):
    kind: str = Field(description="seeds or works")
    id: str
    title: str
    score: float


class ExpertOut(BaseModel):
    rank: int
    name: str
    kind: str = Field(description="organisation or person")
    score: float
    record_count: int = Field(description="their records among the best matches, of which `records` lists the first")
    records: list[ExpertRecordOut]
    label: LabelOut = Field(description="the highest label of all their records counted")


class ExpertsOut(BaseModel):
    need_id: str | None
    query: str | None
    label: LabelOut = Field(description="the highest label of the experts' records (and of the need)")
    experts: list[ExpertOut]


@router.get("/match/{need_id:path}", responses=_errors(404), summary="Seeds proposed for a need", dependencies=BEARER)
def match_need(
    request: Request,
    need_id: Annotated[str, Path(max_length=300)],
    top: Annotated[int, Query(ge=1, le=100)] = 10,
    cross_domain: Annotated[bool, Query(description="only seeds from other fields than the need's")] = False,
) -> MatchOut:
    """From the seeds you may read; 404 both when there is no such need and when you may not read it."""
    active = require_session(request)
    ws = workspace(request)
    need = get_record(ws, "needs", need_id, active.clearance)
    index = SEED_INDEXES.get(ws, active.clearance)
    proposals = index.propose(need_of(need), top, cross_domain=cross_domain)
    audit.record(
        ws,
        active.user,
        "read",
        records=[need_id, *(p.seed_id for p in proposals)],
        detail={"api": "match", "top": top, "cross_domain": cross_domain},
        origin=origin(request),
    )
    return MatchOut(
        need_id=need["id"],
        need_title=need["title"],
        cross_domain=cross_domain,
        label=_label(index.label(Label.of(need), proposals)),
        proposals=[
            ProposalOut(
                rank=p.rank,
                seed_id=p.seed_id,
                seed_title=index.seeds[p.seed_id].title,
                score=p.score,
                evidence=p.evidence,
                label=_label(index.label(Label.of(need), [p])),
            )
            for p in proposals
        ],
    )


@router.get("/experts", responses=_errors(404), summary="Experts for a need or a technology", dependencies=BEARER)
def find_experts(
    request: Request,
    need: Annotated[str | None, Query(max_length=300, description="a need's id")] = None,
    q: Annotated[str | None, Query(min_length=1, max_length=2000, description="or a technology in words")] = None,
    top: Annotated[int, Query(ge=1, le=100)] = 10,
) -> ExpertsOut:
    """Organisations and people behind the best-matching seeds and works you may read (目利き). Give `need` or `q`,
    not both (400); an unknown need and one you may not read are both 404."""
    active = require_session(request)
    if (need is None) == (q is None):
        raise InputError("give a need id or q, not both", field="need")
    ws = workspace(request)
    statement = (
        need_of(get_record(ws, "needs", need, active.clearance)) if need is not None else Statement("text", q or "")
    )
    rows, label = experts_for(
        ws, active, statement, top, detail={"api": "experts", "need": need, "query": q}, where=origin(request)
    )
    return ExpertsOut(need_id=need, query=q, label=_label(label), experts=[ExpertOut(**row) for row in rows])


class PartyIn(BaseModel):
    id: str = Field(min_length=1, max_length=300)
    name: str = Field(min_length=1, max_length=1000)
    country: str | None = Field(default=None, max_length=100, description="ISO code or name, when known")
    type: str | None = Field(default=None, max_length=40, description="person, organisation, vessel …")


class ScreeningIn(BaseModel):
    names: list[PartyIn] = Field(min_length=1, max_length=5000)
    threshold: float | None = Field(default=None, ge=0, le=1, description="default: the documented 0.60")
    top: int = Field(default=5, ge=1, le=50)


class ScreenedOut(BaseModel):
    id: str
    name: str
    status: str = Field(description="clear, alert, true_match, false_positive or escalated (the most serious match)")
    matches: list[dict[str, Any]] = Field(
        description="list, entry_id, entry_name, matched_name, score, explanation, list_version and the latest "
        "officer decision on this name and entry (or null)"
    )


class ScreeningOut(BaseModel):
    list_versions: list[dict[str, Any]] = Field(description="the lists' newest versions screened against")
    alerts: int = Field(description="names with a match not decided a false positive")
    results: list[ScreenedOut]


@router.post("/screening", responses=_errors(400, 403), summary="Screen partner names", dependencies=BEARER)
def screen_parties(request: Request, body: ScreeningIn) -> ScreeningOut:
    """Against the newest version of every list loaded in the workspace (`kizashi screen load`); audited. Decisions
    on matches are shown to those who may read them."""
    active = require_session(request)
    check_csrf(request, active, None)
    if len({party.id for party in body.names}) != len(body.names):
        raise InputError("ids must be unique within one request", field="id")
    parties = [Party(p.id, p.name, p.country, p.type) for p in body.names]
    found = screen(
        workspace(request), active.user, parties, threshold=body.threshold, top=body.top, origin=origin(request)
    )
    return ScreeningOut(
        list_versions=found.versions,
        alerts=found.alerts,
        results=[
            ScreenedOut(id=row["id"], name=row["name"], status=status_of(row["matches"]), matches=row["matches"])
            for row in found.rows
        ],
    )
