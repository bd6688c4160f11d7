"""The pages: login, dashboard, lists with search and filters, detail pages and the intake forms.

Every page that shows records reads them through store/records.py with the session's clearance, and writes a
`read` event naming what it showed. A record the user may not read is a 404, worded like a missing one.
"""

from __future__ import annotations

import secrets
from typing import Annotated, Any

from fastapi import APIRouter, Form, Query, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from kizashi.errors import AccessDenied, InputError, LoginFailed, NotFound, TooManyAttempts
from kizashi.ingest.intake import INTAKE_KINDS, create_statement
from kizashi.model import RECORD_KINDS
from kizashi.model.base import LEVELS
from kizashi.protect import audit
from kizashi.protect.clearances import standing_of
from kizashi.protect.login import log_in, log_out
from kizashi.protect.policy import Label
from kizashi.report.charts import bar_chart
from kizashi.store.records import FILTER_COLUMNS, LIST_COLUMNS, counts, facet, get_record, readable_label, search
from kizashi.web.context import (
    LOGIN_NONCE_COOKIE,
    audit_denial,
    check_csrf,
    checked_form,
    clear_session_cookie,
    config,
    current_session,
    language,
    origin,
    require_session,
    safe_next,
    secure_request,
    session_token,
    start_session_cookie,
    workspace,
)
from kizashi.web.i18n import translate
from kizashi.web.render import render
from kizashi.web.security import login_form_token, login_form_token_ok

router = APIRouter(include_in_schema=False)
PAGE_SIZE = 50
HIDDEN_FIELDS = {"content_hash"}
STATEMENT_FIELDS = ("title", "description", "organization", "country", "trl", "threat", "deadline", "keywords")


def _kind(kind: str) -> str:
    if kind not in RECORD_KINDS:
        raise NotFound("no such page")
    return kind


@router.get("/login", response_class=HTMLResponse)
def login_page(request: Request, next: str = "/") -> Response:
    return _login_form(request, safe_next(next))


def _login_form(
    request: Request, target: str, *, status: int = 200, error: str | None = None, name: str = ""
) -> Response:
    nonce = secrets.token_urlsafe(16)
    settings = config(request)
    response = render(
        request,
        "login.html.j2",
        status=status,
        next=target,
        error=error,
        name=name,
        login_token=login_form_token(settings.secret, nonce),
    )
    response.set_cookie(
        LOGIN_NONCE_COOKIE, nonce, httponly=True, samesite="strict", secure=secure_request(request), max_age=3600
    )
    return response


@router.post("/login")
def login_submit(
    request: Request,
    name: Annotated[str, Form(max_length=200)],
    password: Annotated[str, Form(max_length=1000)],
    login_token: Annotated[str, Form(max_length=200)] = "",
    next: Annotated[str, Form(max_length=2000)] = "/",
) -> Response:
    settings = config(request)
    target = safe_next(next)
    if not login_form_token_ok(settings.secret, request.cookies.get(LOGIN_NONCE_COOKIE), login_token):
        return _login_form(request, target, status=403, error="csrf_failed", name=name)
    try:
        token, _csrf = log_in(
            settings.workspace,
            name.strip(),
            password,
            origin=origin(request),
            user_agent=request.headers.get("user-agent"),
        )
    except TooManyAttempts:
        return _login_form(request, target, status=429, error="too_many", name=name)
    except LoginFailed:
        return _login_form(request, target, status=401, error="login_failed", name=name)
    response = RedirectResponse(target, status_code=303)
    start_session_cookie(request, response, token)
    response.delete_cookie(LOGIN_NONCE_COOKIE, httponly=True, samesite="strict", secure=secure_request(request))
    return response


@router.post("/logout")
def logout(request: Request, csrf_token: Annotated[str, Form(max_length=200)] = "") -> Response:
    active = current_session(request)
    if active is None:
        # Already over (expired, or ended elsewhere): nothing to end, and no reason to come back here after login.
        response = RedirectResponse("/login", status_code=303)
        clear_session_cookie(request, response)
        return response
    check_csrf(request, active, csrf_token)
    token = session_token(request)
    if token:
        log_out(workspace(request), token, origin=origin(request))
    response = RedirectResponse("/login", status_code=303)
    clear_session_cookie(request, response)
    return response


@router.get("/", response_class=HTMLResponse)
def dashboard(request: Request) -> Response:
    active = require_session(request)
    ws = workspace(request)
    by_kind = counts(ws, active.clearance)
    lang = language(request)
    chart = bar_chart(
        [(translate(kind, lang), n) for kind, n in by_kind.items()], title=translate("records_you_may_read", lang)
    )
    audit.record(ws, active.user, "read", detail={"page": "dashboard", "counts": by_kind}, origin=origin(request))
    return render(
        request,
        "dashboard.html.j2",
        counts=by_kind,
        chart=chart,
        standing=standing_of(ws, active.user),
        page_label=readable_label(ws, active.clearance),
    )


@router.get("/api/docs", response_class=HTMLResponse)
def api_docs(request: Request) -> Response:
    """The API reference, rendered here from the OpenAPI document (no CDN)."""
    spec = request.app.openapi()
    operations = [
        {"method": method.upper(), "path": path, **operation}
        for path, methods in spec["paths"].items()
        for method, operation in methods.items()
    ]
    return render(request, "api_docs.html.j2", spec=spec, operations=operations)


@router.get("/{kind}", response_class=HTMLResponse)
def record_list(
    request: Request,
    kind: str,
    q: Annotated[str, Query(max_length=500)] = "",
    page: Annotated[int, Query(ge=1, le=100_000)] = 1,
) -> Response:
    kind = _kind(kind)
    active = require_session(request)
    ws = workspace(request)
    filters = {name: request.query_params[name] for name in FILTER_COLUMNS[kind] if request.query_params.get(name)}
    rows, total = search(
        ws, kind, active.clearance, query=q, filters=filters, limit=PAGE_SIZE, offset=(page - 1) * PAGE_SIZE
    )
    facets = {name: facet(ws, kind, name, active.clearance) for name in FILTER_COLUMNS[kind] if name != "parent"}
    label = Label.highest(Label.of(row) for row in rows)
    audit.record(
        ws,
        active.user,
        "read",
        records=[row["id"] for row in rows],
        detail={"kind": kind, "query": q, "filters": filters, "page": page, "total": total},
        origin=origin(request),
    )
    context: dict[str, Any] = {
        "kind": kind,
        "rows": rows,
        "total": total,
        "columns": LIST_COLUMNS[kind],
        "q": q,
        "filters": filters,
        "facets": facets,
        "page": page,
        "pages": max(1, -(-total // PAGE_SIZE)),
        "page_label": label,
        "can_create": kind in INTAKE_KINDS,
    }
    # htmx asks for the results only; a history restore (back button) needs the whole page.
    partial = request.headers.get("HX-Request") == "true" and "HX-History-Restore-Request" not in request.headers
    template = "_results.html.j2" if partial else "list.html.j2"
    return render(request, template, **context)


@router.get("/{kind}/new", response_class=HTMLResponse)
def intake_form(request: Request, kind: str) -> Response:
    if _kind(kind) not in INTAKE_KINDS:
        raise NotFound("no such page")
    active = require_session(request)
    return _intake(
        request, kind, active.clearance.level, {"level": "INTERNAL" if active.clearance.level != "PUBLIC" else "PUBLIC"}
    )


def _intake(
    request: Request, kind: str, ceiling: str, values: dict[str, Any], *, error: InputError | None = None
) -> Response:
    levels = LEVELS[: LEVELS.index(ceiling) + 1]
    return render(
        request,
        "intake.html.j2",
        status=400 if error else 200,
        kind=kind,
        fields=STATEMENT_FIELDS,
        levels=levels,
        tlp_markings=("", "CLEAR", "GREEN", "AMBER", "AMBER+STRICT"),
        values=values,
        error=error,
        error_field=error.location.field if error else None,
    )


@router.post("/{kind}/new")
async def intake_submit(request: Request, kind: str) -> Response:
    if _kind(kind) not in INTAKE_KINDS:
        raise NotFound("no such page")
    active, form = await checked_form(request)
    values: dict[str, Any] = {name: str(form.get(name, "")).strip() for name in (*STATEMENT_FIELDS, "level", "tlp")}
    values["compartments"] = [str(c) for c in form.getlist("compartments")]
    try:
        record_id = create_statement(workspace(request), kind, values, active.user, origin=origin(request))
    except (InputError, AccessDenied) as error:
        if isinstance(error, AccessDenied):
            audit_denial(request, "access_denied")
        problem = error if isinstance(error, InputError) else InputError(error.detail, field="level")
        return _intake(request, kind, active.clearance.level, values, error=problem)
    return RedirectResponse(f"/{kind}/{record_id}", status_code=303)


@router.get("/{kind}/{record_id:path}", response_class=HTMLResponse)
def record_detail(request: Request, kind: str, record_id: str) -> Response:
    kind = _kind(kind)
    active = require_session(request)
    ws = workspace(request)
    record = get_record(ws, kind, record_id, active.clearance)
    audit.record(ws, active.user, "read", records=[record_id], detail={"kind": kind}, origin=origin(request))
    fields = [(name, value) for name, value in record.items() if name not in HIDDEN_FIELDS]
    return render(request, "detail.html.j2", kind=kind, record=record, fields=fields, page_label=Label.of(record))
