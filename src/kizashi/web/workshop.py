"""The matching workshop page: one need, its proposed seeds with evidence, and a decision form for each.

Proposals come from the seeds the analyst may read, through the cached seed index of their readable set
(know/seed_index.py); `?view=cross` shows only seeds from other fields than the need's (the taxonomy areas of both
are on every proposal). Decisions go through know/judgements.py (append-only, audited), and the page shows the
latest decision on each pair with how many came before it.
"""

from __future__ import annotations

from functools import cache

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from kizashi.know.judgements import DECISIONS, judge, latest
from kizashi.know.seed_index import SEED_INDEXES, need_of
from kizashi.protect import audit
from kizashi.protect.policy import Label
from kizashi.store.records import get_record
from kizashi.text.concepts import bundled_taxonomy
from kizashi.web.context import check_csrf, origin, require_session, workspace
from kizashi.web.render import render

router = APIRouter(include_in_schema=False)
TOP = 10
VIEWS = ("all", "cross")


@cache
def area_names() -> dict[str, tuple[str, str]]:
    """Taxonomy area id → (Japanese, English) name, for the areas the evidence names by id."""
    return {str(e["id"]): (str(e["name_ja"]), str(e["name_en"])) for e in bundled_taxonomy() if not e.get("parent")}


@router.get("/match/{need_id:path}", response_class=HTMLResponse)
def workshop(request: Request, need_id: str, view: str = "all") -> Response:
    active = require_session(request)
    ws = workspace(request)
    view = view if view in VIEWS else "all"
    need = get_record(ws, "needs", need_id, active.clearance)
    statement = need_of(need)
    index = SEED_INDEXES.get(ws, active.clearance)
    proposals = index.propose(statement, TOP, cross_domain=view == "cross")
    audit.record(
        ws,
        active.user,
        "read",
        records=[need_id, *(p.seed_id for p in proposals)],
        detail={"page": "workshop", "view": view},
        origin=origin(request),
    )
    # htmx asks for the proposals only when the view is switched; a history restore needs the whole page.
    partial = request.headers.get("HX-Request") == "true" and "HX-History-Restore-Request" not in request.headers
    return render(
        request,
        "_proposals.html.j2" if partial else "workshop.html.j2",
        partial=partial,
        need=need,
        view=view,
        proposals=[(p, index.seeds[p.seed_id]) for p in proposals],
        judgements=latest(ws, active.user, need_id),
        decisions=DECISIONS,
        areas=area_names(),
        page_label=index.label(Label.of(need), proposals),
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
    view = str(form.get("view", ""))
    return RedirectResponse(f"/match/{need_id}" + ("?view=cross" if view == "cross" else ""), status_code=303)
