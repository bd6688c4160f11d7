"""The release-review pages: the queue of what awaits the user's roles, and a record's review history.

Both read through protect/release (the record first, as the user: a hidden record is a 404 like a missing one), and
every button posts one action there (append-only, audited); the forms carry the session's CSRF token.
"""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from kizashi.errors import NotFound
from kizashi.protect import audit, release
from kizashi.protect.policy import Label
from kizashi.web.context import checked_form, origin, require_session, workspace
from kizashi.web.render import render

router = APIRouter(include_in_schema=False)


def _kind(kind: str) -> str:
    if kind not in release.REVIEWABLE:
        raise NotFound("no such page")
    return kind


@router.get("/review", response_class=HTMLResponse)
def review_queue(request: Request) -> Response:
    active = require_session(request)
    ws = workspace(request)
    rows = release.queue(ws, active.user)
    audit.record(
        ws,
        active.user,
        "read",
        records=sorted({row["record_id"] for row in rows}),
        detail={"page": "review queue", "rows": len(rows)},
        origin=origin(request),
    )
    label = Label.highest(row["label"] for row in rows) if rows else None
    return render(request, "review_queue.html.j2", rows=rows, page_label=label)


@router.get("/review/{kind}/{record_id:path}", response_class=HTMLResponse)
def review_record(request: Request, kind: str, record_id: str) -> Response:
    active = require_session(request)
    ws = workspace(request)
    kind, record = release.resolve(ws, active.clearance, record_id, _kind(kind))
    reviews = release.history(ws, active.user, record_id, kind=kind)
    audit.record(
        ws,
        active.user,
        "read",
        records=[record_id],
        detail={"page": "review history", "reviews": len(reviews)},
        origin=origin(request),
    )
    open_review = reviews[-1] if reviews and reviews[-1]["state"] not in release.TERMINAL else None
    return render(
        request,
        "review_record.html.j2",
        kind=kind,
        record=record,
        reviews=reviews,
        can_submit=open_review is None or open_review["state"] == "draft",
        funding=release.FUNDING,
        page_label=Label.highest([Label.of(record), *(r["label"] for r in reviews)]),
    )


@router.post("/review/{kind}/{record_id:path}")
async def review_action(request: Request, kind: str, record_id: str) -> Response:
    active, form = await checked_form(request)
    ws = workspace(request)
    action, comment = str(form.get("action", "")), str(form.get("comment", ""))
    if action == "submit":
        release.submit(
            ws,
            active.user,
            record_id,
            kind=_kind(kind),
            funding=str(form.get("funding", "")),
            publication_clause=form.get("publication_clause") == "on",
            declared_listed=form.get("listed") == "on",
            comment=comment,
            origin=origin(request),
        )
    else:
        role = str(form.get("role", "")) or None
        release.move(
            ws, active.user, record_id, action, kind=_kind(kind), role=role, comment=comment, origin=origin(request)
        )
    target = "/review" if form.get("back") == "queue" else f"/review/{kind}/{record_id}"
    return RedirectResponse(target, status_code=303)
