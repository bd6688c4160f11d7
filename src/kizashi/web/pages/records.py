"""The records' pages: lists with search and filters, detail pages, and the intake forms for needs and seeds.

Every page reads through kizashi.know.records as the request's actor: a record the user may not read is a 404, worded
like a missing one, and each read is audited there. These routes hold the catch-all `/{kind}` paths, so their router
is included last.
"""

from __future__ import annotations

from typing import Annotated, Any
from urllib.parse import quote

from fastapi import APIRouter, Depends, Query, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from kizashi.errors import AccessDenied, InputError, NotFound
from kizashi.ingest.intake import INTAKE_KINDS, create_statement
from kizashi.know.records import read_record, search_records
from kizashi.messages import Message
from kizashi.model import RECORD_KINDS
from kizashi.policy import LEVELS, Actor, Label
from kizashi.store.records import FILTER_COLUMNS, LIST_COLUMNS
from kizashi.web.context import config, workspace
from kizashi.web.deps import ActorDep, checked_form, require_session
from kizashi.web.render import render

router = APIRouter(include_in_schema=False)
PAGE_SIZE = 50
SAVED_COOKIE = "kizashi_saved"  # the record just saved from an intake form, for its page to confirm once
STATEMENT_FIELDS = ("title", "description", "organization", "country", "trl", "threat", "deadline", "keywords")


def _kind(kind: str) -> str:
    if kind not in RECORD_KINDS:
        raise NotFound(Message("no such page"))
    return kind


# Declared before the actor, so that it is checked first: a path that is no page (a browser's /favicon.ico) is a 404
# for everyone, not a redirect to the login page (whose fresh login cookie would spoil a login form already shown).
KindDep = Annotated[str, Depends(_kind)]


@router.get("/{kind}", response_class=HTMLResponse)
def record_list(
    request: Request,
    kind: KindDep,
    actor: ActorDep,
    q: Annotated[str, Query(max_length=500)] = "",
    page: Annotated[int, Query(ge=1, le=100_000)] = 1,
    literal: Annotated[bool, Query(description="search the words as typed, without their translations")] = False,
) -> Response:
    filters = {name: request.query_params[name] for name in FILTER_COLUMNS[kind] if request.query_params.get(name)}
    found = search_records(
        workspace(request),
        actor,
        kind,
        query=q,
        filters=filters,
        limit=PAGE_SIZE,
        offset=(page - 1) * PAGE_SIZE,
        facets=True,
        literal=literal,
    )
    context: dict[str, Any] = {
        "kind": kind,
        "rows": found.rows,
        "total": found.total,
        "columns": LIST_COLUMNS[kind],
        "q": q,
        "literal": literal,
        "widened": found.widened,
        "filters": filters,
        "facets": found.facets,
        "page": page,
        "pages": max(1, -(-found.total // PAGE_SIZE)),
        "page_label": found.label,
        "can_create": kind in INTAKE_KINDS,
    }
    # htmx asks for the results only; a history restore (back button) needs the whole page.
    partial = request.headers.get("HX-Request") == "true" and "HX-History-Restore-Request" not in request.headers
    return render(request, "_results.html.j2" if partial else "list.html.j2", **context)


@router.get("/{kind}/new", response_class=HTMLResponse)
def intake_form(request: Request, kind: KindDep, actor: ActorDep) -> Response:
    if kind not in INTAKE_KINDS:
        raise NotFound(Message("no such page"))
    level = actor.clearance.level
    return _intake(request, kind, level, {"level": "INTERNAL" if level != "PUBLIC" else "PUBLIC"})


def _intake(
    request: Request, kind: str, ceiling: str, values: dict[str, Any], *, error: InputError | None = None
) -> Response:
    return render(
        request,
        "intake.html.j2",
        status=400 if error else 200,
        kind=kind,
        fields=STATEMENT_FIELDS,
        levels=LEVELS[: LEVELS.index(ceiling) + 1],
        tlp_markings=("", "CLEAR", "GREEN", "AMBER", "AMBER+STRICT"),
        values=values,
        error=error,
        error_field=error.location.field if error else None,
    )


@router.post("/{kind}/new")
async def intake_submit(request: Request, kind: str) -> Response:
    if _kind(kind) not in INTAKE_KINDS:
        require_session(request)
        raise NotFound(Message("no such page"))
    actor, form = await checked_form(request)
    values: dict[str, Any] = {name: str(form.get(name, "")).strip() for name in (*STATEMENT_FIELDS, "level", "tlp")}
    values["compartments"] = [str(c) for c in form.getlist("compartments")]
    try:
        record_id = create_statement(workspace(request), actor, kind, values)
    except (InputError, AccessDenied) as error:  # the service has audited a refusal
        problem = error if isinstance(error, InputError) else InputError(error.detail, field="level")
        return _intake(request, kind, actor.clearance.level, values, error=problem)
    # To the new record, saying it was saved (a blank form or a silent page would leave the user wondering): a
    # cookie naming the record says it once, so neither a reload nor the address shared later repeats it.
    response = RedirectResponse(f"/{kind}/{record_id}", status_code=303)
    secure = config(request).secure_cookies
    response.set_cookie(
        SAVED_COOKIE, quote(record_id, safe=""), max_age=300, httponly=True, samesite="strict", secure=secure
    )
    return response


@router.get("/{kind}/{record_id:path}", response_class=HTMLResponse)
def record_detail(request: Request, kind: KindDep, actor: ActorDep, record_id: str) -> Response:
    record = read_record(workspace(request), actor, kind, record_id)
    fields = list(record.items())
    threat = _threat_of(request, actor, record)
    # The threat's name is part of the page: the page carries its label too.
    labels = [Label.of(record)] + ([Label.of(threat)] if threat is not None else [])
    saved = request.cookies.get(SAVED_COOKIE) == quote(record_id, safe="")
    response = render(
        request,
        "detail.html.j2",
        kind=kind,
        record=record,
        fields=fields,
        threat=threat,
        page_label=Label.highest(labels),
        saved=saved,
    )
    if saved:
        response.delete_cookie(SAVED_COOKIE, httponly=True, samesite="strict", secure=config(request).secure_cookies)
    return response


def _threat_of(request: Request, actor: Actor, record: dict[str, Any]) -> dict[str, Any] | None:
    """The threat a need or seed names, read as the actor like any record (audited); None when there is none or the
    actor may not read it: the page then shows the bare id it stores, never the threat's name."""
    threat_id = record.get("threat")
    if not threat_id or not isinstance(threat_id, str):
        return None
    try:
        return read_record(workspace(request), actor, "threats", threat_id)
    except NotFound:
        return None
