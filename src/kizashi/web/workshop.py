"""The matching workshop page: one need, its proposed seeds with evidence, and a decision form for each.

Proposals come from the seeds the analyst may read, through the cached seed index of their readable set
(know/seed_index.py); `?view=cross` shows only seeds from other fields than the need's (the taxonomy areas of both
are on every proposal). When a stored match run (know/match_runs.py) has proposals for the need that the analyst
may read, the page shows the latest such run instead, so that a workshop judges the list everyone was sent;
`?source=live` switches to today's matcher. Decisions go through know/judgements.py (append-only, audited), and the
page shows the latest decision on each pair with how many came before it.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import replace
from functools import cache

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from kizashi.know.judgements import DECISIONS, judge, latest
from kizashi.know.match import Proposal, Statement
from kizashi.know.match_runs import SavedRun, run_proposals
from kizashi.know.seed_index import SEED_INDEXES, need_of
from kizashi.protect import audit
from kizashi.protect.policy import Label
from kizashi.store.records import get_record
from kizashi.text.concepts import bundled_taxonomy
from kizashi.web.context import checked_form, origin, require_session, workspace
from kizashi.web.render import render

router = APIRouter(include_in_schema=False)
TOP = 10
VIEWS = ("all", "cross")


@cache
def area_names() -> dict[str, tuple[str, str]]:
    """Taxonomy area id → (Japanese, English) name, for the areas the evidence names by id."""
    return {str(e["id"]): (str(e["name_ja"]), str(e["name_en"])) for e in bundled_taxonomy() if not e.get("parent")}


@router.get("/match/{need_id:path}", response_class=HTMLResponse)
def workshop(request: Request, need_id: str, view: str = "all", source: str = "run") -> Response:
    active = require_session(request)
    ws = workspace(request)
    view = view if view in VIEWS else "all"
    need = get_record(ws, "needs", need_id, active.clearance)
    statement = need_of(need)
    index = SEED_INDEXES.get(ws, active.clearance)
    run = run_proposals(ws, active.user, need_id=need_id)
    stored = run if source != "live" else None
    if stored is not None:
        proposals = _stored(stored, index.seeds, cross_domain=view == "cross")
    else:
        proposals = index.propose(statement, TOP, cross_domain=view == "cross")
    # None: no stored run for this need, so nothing to switch between (today's matcher, as before runs existed).
    shown_source = None if run is None else "run" if stored is not None else "live"
    audit.record(
        ws,
        active.user,
        "read",
        records=[need_id, *(p.seed_id for p in proposals)],
        detail={"page": "workshop", "view": view, "run": stored.id if stored is not None else None},
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
        source=shown_source,
        run=run,
        proposals=[(p, index.seeds[p.seed_id]) for p in proposals],
        judgements=latest(ws, active.user, need_id),
        decisions=DECISIONS,
        areas=area_names(),
        page_label=index.label(Label.of(need), proposals),
    )


@router.post("/match/{need_id:path}")
async def decide(request: Request, need_id: str) -> Response:
    active, form = await checked_form(request)
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
    # Back to the view and source the decision was made in; only known values go into the redirect.
    query = [f"{name}={value}" for name, value in (("view", "cross"), ("source", "live")) if form.get(name) == value]
    return RedirectResponse(f"/match/{need_id}" + ("?" + "&".join(query) if query else ""), status_code=303)


def _stored(run: SavedRun, seeds: Mapping[str, Statement], *, cross_domain: bool) -> list[Proposal]:
    """The run's proposals whose seed the reader may still read (a seed relabelled above them since the run stays
    hidden, though the proposal kept its old label); in the cross view, those the run found cross-domain, ranked
    from 1 as the live view ranks them."""
    kept = [p for p in run.proposals if p.seed_id in seeds]
    if not cross_domain:
        return kept
    crossing = (p for p in kept if p.evidence.get("cross_domain"))
    return [replace(p, rank=rank) for rank, p in enumerate(crossing, 1)]
