"""The deemed-export questionnaire of a project (みなし輸出, /deemed-export/{kind}/{id}): its people with their latest
answers, who still has to answer and who falls in a 2022 category (a licence check before controlled technology
reaches them), and the form that records an answer.

Both go through protect/deemed_export.py as the session's user: a project they may not read is a 404 like a missing
one, and who may answer for whom (the person themself, or an officer, PI or admin) is decided there.
"""

from __future__ import annotations

from urllib.parse import quote

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from kizashi.errors import InputError, NotFound
from kizashi.protect import audit, deemed_export, release
from kizashi.web.context import checked_form, origin, require_session, workspace
from kizashi.web.render import render

router = APIRouter(include_in_schema=False)

NONE = "none"  # the form's explicit "no category applies", so an unticked form is not taken for an answer


def _kind(kind: str) -> str:
    if kind not in release.REVIEWABLE:
        raise NotFound("no such page")
    return kind


@router.get("/deemed-export/{kind}/{record_id:path}", response_class=HTMLResponse)
def deemed_export_page(request: Request, kind: str, record_id: str) -> Response:
    active = require_session(request)
    ws = workspace(request)
    result = deemed_export.status(ws, active.user, record_id, kind=_kind(kind))
    audit.record(
        ws,
        active.user,
        "read",
        records=[result["project"]],
        detail={"page": "deemed export", "kind": kind, "people": len(result["people"])},
        origin=origin(request),
    )
    clearance = active.clearance
    return render(
        request,
        "deemed_export.html.j2",
        kind=kind,
        result=result,
        categories=list(deemed_export.CATEGORIES),
        # Anyone who reads the project may answer for themself; these may answer for anyone on it.
        for_anyone=clearance.every_compartment or bool(clearance.roles & deemed_export.RECORDERS),
        page_label=result["label"],
    )


@router.post("/deemed-export/{kind}/{record_id:path}")
async def deemed_export_answer(request: Request, kind: str, record_id: str) -> Response:
    active, form = await checked_form(request)
    chosen = [str(value) for value in form.getlist("categories")]
    if not chosen or (NONE in chosen and len(chosen) > 1):
        raise InputError("tick the categories that apply, or 'none of them' alone", field="categories")
    deemed_export.answer(
        workspace(request),
        active.user,
        record_id,
        str(form.get("person", "")),
        [name for name in chosen if name != NONE],
        kind=_kind(kind),
        evidence=str(form.get("evidence", "")),
        origin=origin(request),
    )
    return RedirectResponse(f"/deemed-export/{kind}/{quote(record_id)}", status_code=303)
