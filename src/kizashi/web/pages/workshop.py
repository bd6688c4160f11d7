"""The matching pages: the index of needs (`/match`) with their stored proposals and the saved runs, and the
workshop page of one need: its proposed seeds with evidence, and a decision form for each.

Proposals come from kizashi.know.matching, as for `kizashi match` and the API: from the seeds the analyst may read;
`?view=cross` shows only seeds from other fields than the need's. When a stored match run has proposals for the need
that the analyst may read, the page shows the latest such run (ranked over what they may read, without the run's
scores), so that a workshop judges the list everyone was sent; `?source=live` switches to today's matcher.
Decisions go through know/judgements.py (append-only, audited).
"""

from __future__ import annotations

from functools import cache

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from kizashi.know.judgements import DECISIONS, judge
from kizashi.know.match_index import match_index
from kizashi.know.match_runs import runs
from kizashi.know.matching import need_proposals
from kizashi.text.concepts import bundled_taxonomy
from kizashi.web.context import workspace
from kizashi.web.deps import ActorDep, checked_form
from kizashi.web.render import render

router = APIRouter(include_in_schema=False)
TOP = 10
VIEWS = ("all", "cross")


@cache
def area_names() -> dict[str, tuple[str, str]]:
    """Taxonomy area id → (Japanese, English) name, for the areas the evidence names by id."""
    return {str(e["id"]): (str(e["name_ja"]), str(e["name_en"])) for e in bundled_taxonomy() if not e.get("parent")}


@router.get("/match", response_class=HTMLResponse)
def index(request: Request, actor: ActorDep) -> Response:
    """The way into matching: the needs the reader may read, with their stored proposals and decisions, and the
    saved runs they may see (each through its service, audited there)."""
    ws = workspace(request)
    found = match_index(ws, actor)
    return render(request, "match_index.html.j2", needs=found.needs, runs=runs(ws, actor), page_label=found.label)


@router.get("/match/{need_id:path}", response_class=HTMLResponse)
def workshop(request: Request, actor: ActorDep, need_id: str, view: str = "all", source: str = "run") -> Response:
    view = view if view in VIEWS else "all"
    found = need_proposals(
        workspace(request),
        actor,
        need_id,
        top=TOP,
        cross_domain=view == "cross",
        source="live" if source == "live" else "run",
        judgements=True,
    )
    # htmx asks for the proposals only when the view is switched; a history restore needs the whole page.
    partial = request.headers.get("HX-Request") == "true" and "HX-History-Restore-Request" not in request.headers
    return render(
        request,
        "_proposals.html.j2" if partial else "workshop.html.j2",
        partial=partial,
        need=found.need,
        view=view,
        # None: no stored run for this need, so nothing to switch between.
        source=found.source if found.run is not None else None,
        run=found.run,
        proposals=found.proposals,
        judgements=found.judgements,
        decisions=DECISIONS,
        areas=area_names(),
        page_label=found.label,
    )


@router.post("/match/{need_id:path}")
async def decide(request: Request, need_id: str) -> Response:
    actor, form = await checked_form(request)
    score = str(form.get("score", ""))
    judge(
        workspace(request),
        actor,
        need_id,
        str(form.get("seed_id", "")),
        str(form.get("decision", "")),
        comment=str(form.get("comment", "")),
        score=float(score) if score.replace(".", "", 1).isdigit() else None,
    )
    # Back to the view and source the decision was made in; only known values go into the redirect.
    query = [f"{name}={value}" for name, value in (("view", "cross"), ("source", "live")) if form.get(name) == value]
    return RedirectResponse(f"/match/{need_id}" + ("?" + "&".join(query) if query else ""), status_code=303)
