"""The export-control classification page of a record (該非判定, /controls/{kind}/{id}): the candidate control items
with their evidence, the latest decision and, for officers, the form that records one. Both through
protect/controls/decisions.py as the request's actor (a hidden record is a 404 worded like a missing one; a forged
decision by anyone else is refused there, not here)."""

from __future__ import annotations

from urllib.parse import quote

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from kizashi.errors import NotFound
from kizashi.messages import Message
from kizashi.protect.controls.decisions import DECISIONS, ITEM_KINDS, classification, decide
from kizashi.protect.controls.lists import BUNDLED
from kizashi.web.context import workspace
from kizashi.web.deps import ActorDep, checked_form
from kizashi.web.render import render

router = APIRouter(include_in_schema=False)


@router.get("/controls/{kind}/{record_id:path}", response_class=HTMLResponse)
def controls_page(request: Request, actor: ActorDep, kind: str, record_id: str) -> Response:
    found = classification(workspace(request), actor, kind, record_id)
    return render(
        request,
        "controls.html.j2",
        kind=found.kind,
        record=found.record,
        title=found.statement.title or record_id,
        candidates=found.candidates,
        latest=found.latest,
        can_decide=found.can_decide,
        decisions=DECISIONS,
        lists=BUNDLED,
        page_label=found.label,
    )


@router.post("/controls/{kind}/{record_id:path}")
async def controls_decide(request: Request, kind: str, record_id: str) -> Response:
    actor, form = await checked_form(request)
    if kind not in ITEM_KINDS:
        raise NotFound(Message("no such page"))
    decide(
        workspace(request),
        actor,
        record_id,
        str(form.get("decision", "")),
        reason=str(form.get("reason", "")),
        control_list=str(form.get("list", "")) or None,
        code=str(form.get("code", "")) or None,
        kind=kind,
    )
    return RedirectResponse(f"/controls/{kind}/{quote(record_id)}", status_code=303)
