"""The matching workshop page: one need, its proposed seeds with evidence, and a decision form for each.

Proposals come from the seeds the analyst may read; decisions go through know/judgements.py (append-only,
audited), and the page shows the latest decision on each pair with how many came before it.
"""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from kizashi.know.judgements import DECISIONS, judge, latest
from kizashi.know.match import Matcher, Statement, workspace_statements
from kizashi.protect import audit
from kizashi.protect.policy import Label
from kizashi.store.records import get_record
from kizashi.web.context import check_csrf, origin, require_session, workspace
from kizashi.web.render import render

router = APIRouter(include_in_schema=False)
TOP = 10


@router.get("/match/{need_id:path}", response_class=HTMLResponse)
def workshop(request: Request, need_id: str) -> Response:
    active = require_session(request)
    ws = workspace(request)
    need = get_record(ws, "needs", need_id, active.clearance)
    seeds = workspace_statements(ws, "seeds", active.clearance)
    statement = Statement(need["id"], need["title"], need.get("description") or "", need.get("lang"))
    proposals = Matcher(seeds).match_one(statement, TOP) if seeds else []
    by_id = {seed.id: seed for seed in seeds}
    labels = [Label.of(need)] + [by_id[p.seed_id].label or Label() for p in proposals]
    audit.record(
        ws,
        active.user,
        "read",
        records=[need_id, *(p.seed_id for p in proposals)],
        detail={"page": "workshop"},
        origin=origin(request),
    )
    return render(
        request,
        "workshop.html.j2",
        need=need,
        proposals=[(p, by_id[p.seed_id]) for p in proposals],
        judgements=latest(ws, active.user, need_id),
        decisions=DECISIONS,
        page_label=Label.highest(labels),
    )


@router.post("/match/{need_id:path}")
async def decide(request: Request, need_id: str) -> Response:
    active = require_session(request)
    form = await request.form()
    check_csrf(request, active, str(form.get("csrf_token", "")))
    score = str(form.get("score", ""))
    judge(
        workspace(request),
        active.user,
        need_id,
        str(form.get("seed_id", "")),
        str(form.get("decision", "")),
        comment=str(form.get("comment", "")),
        score=float(score) if score.replace(".", "", 1).isdigit() else None,
        origin=origin(request),
    )
    return RedirectResponse(f"/match/{need_id}", status_code=303)
