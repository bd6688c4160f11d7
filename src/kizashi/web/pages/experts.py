"""Expert finding pages (目利き): who has done the work a need, or a technology in words, asks for; from
kizashi.know.experts, as for `kizashi experts` and the API."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query, Request
from fastapi.responses import HTMLResponse, Response

from kizashi.know.experts import find_experts
from kizashi.protect.screening.store import with_screening
from kizashi.web.context import workspace
from kizashi.web.deps import ActorDep
from kizashi.web.render import render

router = APIRouter(include_in_schema=False)
TOP = 10


@router.get("/experts", response_class=HTMLResponse)
def experts_search(request: Request, actor: ActorDep, q: Annotated[str, Query(max_length=2000)] = "") -> Response:
    text = q.strip()
    if not text:
        return render(request, "experts.html.j2", need=None, q="", rows=[], page_label=None)
    found = find_experts(workspace(request), actor, text=text, top=TOP)
    rows = with_screening(workspace(request), actor, found.rows)
    return render(request, "experts.html.j2", need=None, q=text, rows=rows, page_label=found.label)


@router.get("/experts/{need_id:path}", response_class=HTMLResponse)
def experts_for_need(request: Request, actor: ActorDep, need_id: str) -> Response:
    found = find_experts(workspace(request), actor, need_id=need_id, top=TOP)
    need = {"id": found.need.id, "title": found.need.title}
    rows = with_screening(workspace(request), actor, found.rows)
    return render(request, "experts.html.j2", need=need, q="", rows=rows, page_label=found.label)
