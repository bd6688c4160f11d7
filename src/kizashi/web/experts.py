"""Expert finding pages (目利き): who has done the work a need, or a technology in words, asks for.

Organisations and people come ranked by know/experts.py from the seeds and works the reader may read (through the
cached index of that readable set, know/seed_index.py), each with their best records as links. The page carries
the highest label of what it was derived from, and a `read` event names the records it shows.
"""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Query, Request
from fastapi.responses import HTMLResponse, Response

from kizashi.know.experts import find_experts
from kizashi.know.match import Statement
from kizashi.know.seed_index import EXPERT_INDEXES, need_of
from kizashi.protect import audit
from kizashi.protect.login import ActiveSession
from kizashi.protect.policy import Label
from kizashi.store.records import get_record
from kizashi.store.workspace import Workspace
from kizashi.web.context import origin, require_session, workspace
from kizashi.web.render import render

router = APIRouter(include_in_schema=False)
TOP = 10


def experts_for(
    ws: Workspace, active: ActiveSession, need: Statement, top: int, *, detail: dict[str, Any], where: str | None
) -> tuple[list[dict[str, Any]], Label]:
    """The experts for `need` as `active` may see them, the label of the result (with the need's own), and the
    audited read naming every record shown. Shared by the pages and the JSON API."""
    rows = find_experts(ws, active.clearance, need, top=top, index=EXPERT_INDEXES.get(ws, active.clearance))
    # Each row's label is already the highest of all its records counted, not only of the few it lists.
    labels = [Label(r["label"]["level"], frozenset(r["label"]["compartments"]), r["label"]["tlp"]) for r in rows]
    if need.label is not None:
        labels.append(need.label)
    shown = sorted({r["id"] for row in rows for r in row["records"]})
    audit.record(
        ws,
        active.user,
        "read",
        records=[need.id, *shown] if need.label is not None else shown,
        detail={**detail, "experts": len(rows)},
        origin=where,
    )
    return rows, Label.highest(labels)


@router.get("/experts", response_class=HTMLResponse)
def experts_search(request: Request, q: Annotated[str, Query(max_length=2000)] = "") -> Response:
    active = require_session(request)
    text = q.strip()
    rows: list[dict[str, Any]] = []
    label = None
    if text:
        need = Statement("text", text)
        rows, label = experts_for(
            workspace(request), active, need, TOP, detail={"page": "experts", "query": text}, where=origin(request)
        )
    return render(request, "experts.html.j2", need=None, q=text, rows=rows, page_label=label)


@router.get("/experts/{need_id:path}", response_class=HTMLResponse)
def experts_for_need(request: Request, need_id: str) -> Response:
    active = require_session(request)
    ws = workspace(request)
    need = get_record(ws, "needs", need_id, active.clearance)
    rows, label = experts_for(
        ws, active, need_of(need), TOP, detail={"page": "experts", "need": need_id}, where=origin(request)
    )
    return render(request, "experts.html.j2", need=need, q="", rows=rows, page_label=label)
