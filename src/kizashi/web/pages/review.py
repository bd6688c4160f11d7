"""The release-review pages: the queue of what awaits the user's roles, and a record's review history.

Both read through protect/release as the request's actor (a hidden record is a 404 like a missing one, audited
there), and every button posts one action there (append-only, audited); the forms carry the session's CSRF token.
"""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from kizashi.errors import NotFound
from kizashi.policy import Label
from kizashi.protect import release
from kizashi.web.context import workspace
from kizashi.web.deps import ActorDep, checked_form
from kizashi.web.render import render

router = APIRouter(include_in_schema=False)


def _kind(kind: str) -> str:
    if kind not in release.REVIEWABLE:
        raise NotFound("no such page")
    return kind


@router.get("/review", response_class=HTMLResponse)
def review_queue(request: Request, actor: ActorDep) -> Response:
    rows = release.queue(workspace(request), actor)
    label = Label.highest(row["label"] for row in rows) if rows else None
    return render(request, "review_queue.html.j2", rows=rows, page_label=label)


@router.get("/review/{kind}/{record_id:path}", response_class=HTMLResponse)
def review_record(request: Request, actor: ActorDep, kind: str, record_id: str) -> Response:
    found = release.history(workspace(request), actor, record_id, kind=_kind(kind))
    reviews = found.reviews
    open_review = reviews[-1] if reviews and reviews[-1]["state"] not in release.TERMINAL else None
    return render(
        request,
        "review_record.html.j2",
        kind=found.kind,
        record=found.record,
        reviews=reviews,
        can_submit=open_review is None or open_review["state"] == "draft",
        funding=release.FUNDING,
        page_label=found.label,
    )


@router.post("/review/{kind}/{record_id:path}")
async def review_action(request: Request, kind: str, record_id: str) -> Response:
    actor, form = await checked_form(request)
    ws = workspace(request)
    action, comment = str(form.get("action", "")), str(form.get("comment", ""))
    if action == "submit":
        release.submit(
            ws,
            actor,
            record_id,
            kind=_kind(kind),
            funding=str(form.get("funding", "")),
            publication_clause=form.get("publication_clause") == "on",
            declared_listed=form.get("listed") == "on",
            comment=comment,
        )
    else:
        role = str(form.get("role", "")) or None
        release.move(ws, actor, record_id, action, kind=_kind(kind), role=role, comment=comment)
    target = "/review" if form.get("back") == "queue" else f"/review/{kind}/{record_id}"
    return RedirectResponse(target, status_code=303)
