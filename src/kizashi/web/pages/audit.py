"""The audit trail page, for those with `audit.read`: the events searched and filtered (action, user, record id, a
range of days), newest first a page at a time; the chain verified at the press of a button; a range exported as CSV
or JSON lines.

The page only collects and shows: kizashi.protect.audit_trail's services check the permission, read the trail and
write the reading (and any refusal) to the trail itself. A reader without the permission gets the refusal in their
language.
"""

from __future__ import annotations

import os
import tempfile
from collections.abc import Iterator
from datetime import date
from pathlib import Path
from typing import Annotated, Any

from fastapi import APIRouter, Query, Request
from fastapi.responses import FileResponse, HTMLResponse, Response
from starlette.background import BackgroundTask

from kizashi.errors import AccessDenied
from kizashi.files.export import write_rows
from kizashi.files.tabular import as_date
from kizashi.policy import Actor
from kizashi.protect import audit_trail
from kizashi.protect.audit_trail import EventFilter, Verification
from kizashi.store.service import Delivery
from kizashi.web.context import language, workspace
from kizashi.web.deps import ActorDep, checked_form
from kizashi.web.i18n import MESSAGES, translate
from kizashi.web.render import render

router = APIRouter(include_in_schema=False)
PAGE_SIZE = 50
EXPORT_FORMATS = {"csv": "text/csv; charset=utf-8", "jsonl": "application/x-ndjson"}
FILTERS = ("action", "user", "record", "since", "until")
# The store's reasons for a broken chain (kizashi.store.audit), each with its words in the message table.
REASONS = (
    ("does not follow", "audit_reason_order"),
    ("was changed", "audit_reason_changed"),
    ("MAC", "audit_reason_mac"),
    ("missing fields", "audit_reason_fields"),
    ("sequence number", "audit_reason_fields"),
    ("out of order", "audit_reason_missing"),
    ("are missing", "audit_reason_missing"),
)

Text = Annotated[str, Query(max_length=audit_trail.MAX_FILTER)]


@router.get("/audit", response_class=HTMLResponse)
def audit_page(
    request: Request,
    actor: ActorDep,
    action: Text = "",
    user: Text = "",
    record: Text = "",
    since: Annotated[str, Query(max_length=20)] = "",
    until: Annotated[str, Query(max_length=20)] = "",
    page: Annotated[int, Query(ge=1, le=1_000_000)] = 1,
    upto: Annotated[int | None, Query(ge=0)] = None,
) -> Response:
    values = {"action": action, "user": user, "record": record, "since": since, "until": until}
    return _page(request, actor, {key: value.strip() for key, value in values.items()}, page, upto=upto)


@router.post("/audit/verify", response_class=HTMLResponse)
async def verify_chain(request: Request) -> Response:
    actor, form = await checked_form(request)
    values = {key: str(form.get(key, "")).strip()[: audit_trail.MAX_FILTER] for key in FILTERS}
    ws = workspace(request)
    try:
        # With the workspace's audit key, every event's MAC too: the strongest check there is.
        result = audit_trail.verify(ws, actor, keyed=ws.audit_key is not None)
    except AccessDenied:
        return _forbidden(request)
    return _page(request, actor, values, 1, verification=result)


@router.get("/audit/export")
def export_trail(
    request: Request,
    actor: ActorDep,
    fmt: Annotated[str, Query(alias="format", max_length=10)] = "csv",
    from_seq: Annotated[str, Query(alias="from", max_length=20)] = "",
    to_seq: Annotated[str, Query(alias="to", max_length=20)] = "",
) -> Response:
    # The form's number fields arrive empty when left blank: read as text, so that blank means "from the start".
    first, last = _seq(from_seq), _seq(to_seq)
    if fmt not in EXPORT_FORMATS or first is False or last is False:
        return _page(request, actor, dict.fromkeys(FILTERS, ""), 1, error="audit_bad_export", status=422)
    name = "audit-trail" + (f"-{first or 1}" if first or last else "") + (f"-{last}" if last else "") + f".{fmt}"
    handle, path = tempfile.mkstemp(prefix="kizashi-audit-", suffix=f".{fmt}")
    os.close(handle)
    out = Path(path)

    def write(rows: Iterator[dict[str, Any]]) -> None:
        # CSV cells that a spreadsheet would run as formulas are neutralised by the shared writer.
        write_rows(rows, audit_trail.EXPORT_COLUMNS, fmt, out)

    try:
        audit_trail.export(workspace(request), actor, write, first=first, last=last, delivery=Delivery(name, fmt))
    except AccessDenied:
        out.unlink(missing_ok=True)
        return _forbidden(request)
    except BaseException:
        out.unlink(missing_ok=True)
        raise
    return FileResponse(
        out, media_type=EXPORT_FORMATS[fmt], filename=name, background=BackgroundTask(out.unlink, missing_ok=True)
    )


def _page(
    request: Request,
    actor: Actor,
    values: dict[str, str],
    page: int,
    *,
    upto: int | None = None,
    verification: Verification | None = None,
    error: str | None = None,
    status: int = 200,
) -> Response:
    since, until = _day(values["since"]), _day(values["until"])
    if error is None and (since is False or until is False):
        error, status = "audit_bad_date", 422
    elif error is None and isinstance(since, date) and isinstance(until, date) and since > until:
        error, status = "audit_bad_range", 422
    wanted = EventFilter(
        action=values["action"] or None,
        user=values["user"] or None,
        record=values["record"] or None,
        since=since if isinstance(since, date) and error is None else None,
        until=until if isinstance(until, date) and error is None else None,
        upto=upto,
    )
    try:
        found = audit_trail.events(workspace(request), actor, wanted, page=page, size=PAGE_SIZE)
    except AccessDenied:
        return _forbidden(request)
    query = [(key, value) for key, value in values.items() if value]
    return render(
        request,
        "audit.html.j2",
        status=status,
        found=found,
        values=values,
        query=query,
        verification=verification,
        reason_key=_reason_key(verification),
        error=error,
        keyed=workspace(request).audit_key is not None,
        action_name=lambda name: _action_name(name, language(request)),
    )


def _seq(text: str) -> int | bool | None:
    """An event number typed in the export form, None when empty, False when it is not one."""
    text = text.strip()
    if not text:
        return None
    return int(text) if text.isascii() and text.isdigit() and int(text) >= 1 else False


def _day(text: str) -> date | bool | None:
    """A typed day, None when empty, False when it is not a date (the page says so in the reader's language)."""
    try:
        return as_date(text)
    except ValueError:
        return False


def _action_name(name: str, lang: str) -> str | None:
    """An action in words; None for one the table does not know (a newer kind of event), which the page shows as
    the data it is."""
    key = f"audit_action_{name}"
    return translate(key, lang) if key in MESSAGES else None


def _reason_key(verification: Verification | None) -> str | None:
    if verification is None or verification.ok or not verification.reason:
        return None
    return next((key for part, key in REASONS if part in verification.reason), "audit_reason_other")


def _forbidden(request: Request) -> Response:
    # The service has written the refusal to the trail; the reader is told in their own language.
    message = translate("audit_forbidden", language(request))
    return render(request, "error.html.j2", status=403, code="access_denied", message=message)
