"""Expert finding pages (目利き): who has done the work a need, or a technology in words, asks for; from
kizashi.know.experts, as for `kizashi experts` and the API."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Query, Request
from fastapi.responses import HTMLResponse, Response

from kizashi.know.experts import find_experts
from kizashi.policy import Actor
from kizashi.protect.screening.store import party_status
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
    rows = _screened(request, actor, found.rows)
    return render(request, "experts.html.j2", need=None, q=text, rows=rows, page_label=found.label)


@router.get("/experts/{need_id:path}", response_class=HTMLResponse)
def experts_for_need(request: Request, actor: ActorDep, need_id: str) -> Response:
    found = find_experts(workspace(request), actor, need_id=need_id, top=TOP)
    need = {"id": found.need.id, "title": found.need.title}
    rows = _screened(request, actor, found.rows)
    return render(request, "experts.html.j2", need=need, q="", rows=rows, page_label=found.label)


def _screened(request: Request, actor: Actor, rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The rows with each organisation's screening status against the workspace's lists (audited as a screening):
    an expert from a listed organisation is one to know about before asking."""
    names = [row["name"] for row in rows if row["kind"] == "organisation"]
    if not names:
        return rows
    statuses = {found.name: found.status for found in party_status(workspace(request), actor, names)}
    return [{**row, "screening": statuses.get(row["name"])} if row["kind"] == "organisation" else row for row in rows]
