"""The release-review pages: the queue of what awaits the user's roles with their own submissions below it, and a
record's review history.

Both read through protect/release as the request's actor (a hidden record is a 404 like a missing one, audited
there), and every button posts one action there (append-only, audited); the forms carry the session's CSRF token.
A final move (an approval, which cannot be taken back, or a withhold, which ends the review) is asked twice: the
first post answers with a confirmation page saying what will happen, and only its confirmed post moves the review.
"""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from kizashi.errors import NotFound
from kizashi.messages import Message
from kizashi.policy import Label
from kizashi.protect import release
from kizashi.web.context import language, workspace
from kizashi.web.deps import ActorDep, checked_form
from kizashi.web.i18n import translate
from kizashi.web.labels import term
from kizashi.web.render import render

router = APIRouter(include_in_schema=False)

# The moves a reviewer cannot take back: each is confirmed on a page of its own before it is made.
CONFIRMED = ("approve", "approve_with_changes", "withhold")


def _kind(kind: str) -> str:
    if kind not in release.REVIEWABLE:
        raise NotFound(Message("no such page"))
    return kind


def stuck_lines(items: list[dict[str, Any]], lang: str) -> list[str]:
    """One sentence per role nobody can approve (release.Stuck.as_json), with what would unblock it: raise the
    clearance of a holder of the role (named when the reader may see the user directory) or add an approver."""

    def say(key: str, **values: str) -> str:
        return translate(key, lang).format(**values)

    lines = []
    for item in items:
        role, level = term("role", item["role"], lang), term("level", item["level"], lang)
        ways = []
        for holder in item["holders"]:
            if holder["outside_tlp"]:
                continue  # the TLP marking leaves them out: no clearance changes that
            way = (
                say("review_stuck_raise", user=holder["user"], level=level)
                if holder["user"]
                else say("review_stuck_raise_someone", role=role, level=level)
            )
            if holder["compartments"]:
                extra = say("review_stuck_compartments", compartments=", ".join(holder["compartments"]))
                way = f"{way}{'・' if lang == 'ja' else ', '}{extra}" if holder["level"] else extra
            ways.append(way)
        ways.append(say("review_stuck_add", role=role, level=level))
        joined = translate("review_stuck_or", lang).join(dict.fromkeys(ways))
        lines.append(f"{say('review_stuck_role', role=role)} {translate('review_stuck_unblock', lang)}{joined}")
    return lines


@router.get("/review", response_class=HTMLResponse)
def review_queue(request: Request, actor: ActorDep) -> Response:
    ws = workspace(request)
    rows = release.queue(ws, actor)
    mine = release.mine(ws, actor)
    labels = [row["label"] for row in [*rows, *mine]]
    return render(
        request,
        "review_queue.html.j2",
        rows=rows,
        mine=mine,
        stuck_lines=lambda items: stuck_lines(items, language(request)),
        page_label=Label.highest(labels) if labels else None,
    )


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
        submitted=request.query_params.get("submitted") == "1",
        stuck_lines=lambda items: stuck_lines(items, language(request)),
        page_label=found.label,
    )


@router.post("/review/{kind}/{record_id:path}")
async def review_action(request: Request, kind: str, record_id: str) -> Response:
    actor, form = await checked_form(request)
    ws = workspace(request)
    action, comment = str(form.get("action", "")), str(form.get("comment", ""))
    back = "queue" if form.get("back") == "queue" else "record"
    role = str(form.get("role", "")) or None
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
        return RedirectResponse(f"/review/{kind}/{record_id}?submitted=1", status_code=303)
    if action in CONFIRMED and form.get("confirmed") != "yes":
        found = release.history(ws, actor, record_id, kind=_kind(kind))
        latest = found.reviews[-1] if found.reviews else None
        # No open review: the service refuses the move now, with its own error. Otherwise nothing moves before the
        # confirmation (a move the reader may not make is refused, and audited, when confirmed).
        if latest is None or latest["state"] in release.TERMINAL:
            release.move(ws, actor, record_id, action, kind=kind, role=role, comment=comment)
        return render(
            request,
            "review_confirm.html.j2",
            kind=found.kind,
            record=found.record,
            review=latest,
            action=action,
            comment=comment,
            role=role or "",
            back=back,
            page_label=found.label,
        )
    release.move(ws, actor, record_id, action, kind=_kind(kind), role=role, comment=comment)
    target = "/review" if back == "queue" else f"/review/{kind}/{record_id}"
    return RedirectResponse(target, status_code=303)
