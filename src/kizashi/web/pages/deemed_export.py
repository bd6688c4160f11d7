"""The deemed-export questionnaire of a project (みなし輸出, /deemed-export/{kind}/{id}): its people with their latest
answers, who still has to answer and who falls in a 2022 category (a licence check before controlled technology
reaches them), and the form that records an answer.

Both go through protect/deemed_export.py as the request's actor: a project they may not read is a 404 like a
missing one, and who may answer for whom (the person themself, or one with `deemed_export.answer_for_others`) is
decided there.
"""

from __future__ import annotations

from urllib.parse import quote

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from kizashi.errors import InputError, NotFound
from kizashi.messages import Message
from kizashi.protect import deemed_export, release
from kizashi.web.context import workspace
from kizashi.web.deps import ActorDep, checked_form
from kizashi.web.render import render

router = APIRouter(include_in_schema=False)

NONE = "none"  # the form's explicit "no category applies", so an unticked form is not taken for an answer


def _kind(kind: str) -> str:
    if kind not in release.REVIEWABLE:
        raise NotFound(Message("no such page"))
    return kind


@router.get("/deemed-export/{kind}/{record_id:path}", response_class=HTMLResponse)
def deemed_export_page(request: Request, actor: ActorDep, kind: str, record_id: str) -> Response:
    result = deemed_export.status(workspace(request), actor, record_id, kind=_kind(kind))
    return render(
        request,
        "deemed_export.html.j2",
        kind=kind,
        result=result,
        categories=list(deemed_export.CATEGORIES),
        for_anyone=result["may_answer_for_others"],
        page_label=result["label"],
    )


@router.post("/deemed-export/{kind}/{record_id:path}")
async def deemed_export_answer(request: Request, kind: str, record_id: str) -> Response:
    actor, form = await checked_form(request)
    chosen = [str(value) for value in form.getlist("categories")]
    if not chosen or (NONE in chosen and len(chosen) > 1):
        raise InputError(Message("tick the categories that apply, or 'none of them' alone"), field="categories")
    deemed_export.answer(
        workspace(request),
        actor,
        record_id,
        str(form.get("person", "")),
        [name for name in chosen if name != NONE],
        kind=_kind(kind),
        evidence=str(form.get("evidence", "")),
    )
    return RedirectResponse(f"/deemed-export/{kind}/{quote(record_id)}", status_code=303)
