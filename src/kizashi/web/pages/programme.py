"""The programme pages: the goals the reader may read with their projects, a goal's dashboard (projects by status,
budget, TRL progress, next gates, open barriers, the roadmap), a project's page (its gates, TRL history, roadmap
items and the barriers blocking them), and the forms for a new goal, a proposal under a goal and a gate decision.
Everything is read and written through grow/ as the request's actor (a hidden goal or project is a 404 like a missing
one, audited there). The charts are inline SVG drawn here from the numbers, scaled to their container."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from kizashi.errors import AccessDenied, InputError
from kizashi.grow import dashboard as programme
from kizashi.grow.critical_path import critical_path
from kizashi.grow.gates import DECISIONS, RATINGS, decide
from kizashi.grow.goals import HEILMEIER, WORDS, add_goal, add_proposal, list_goals, list_projects, show_goal
from kizashi.grow.roadmap_render import svg
from kizashi.policy import LEVELS, Actor, Label, allowed
from kizashi.web.context import language, workspace
from kizashi.web.deps import ActorDep, checked_form
from kizashi.web.render import render

router = APIRouter(include_in_schema=False)

# The bars' fills; the badges' colours (text on a light ground, contrast above 7:1) are in static/programme.css.
STATUS_COLOURS = {"on_track": "#2e7d32", "at_risk": "#b26a00", "off_track": "#c0392b"}
GOAL_FIELDS = ("id", "title_ja", "title_en", "capability", "target_date", "target", "label")
GATE_TEXTS = ("gate", "reason", "reviewers", "must_met", "must_unmet", "should_met", "should_unmet")
LABEL_FONT = 12  # px, the TRL chart's project titles
_SVG_SIZE = re.compile(r'^(<svg\b[^>]*?)\swidth="[^"]*"\sheight="[^"]*"')


def _label(rows: Iterable[Mapping[str, Any]]) -> Label | None:
    """The page's banner: the highest of the rows' labels (level and compartments; goals carry no TLP)."""
    labels = [Label(row["level"], frozenset(row["compartments"] or ())) for row in rows]
    return Label.highest(labels) if labels else None


def _title(goal: Mapping[str, Any], lang: str) -> str:
    return str(goal["title_en"] if lang == "en" and goal["title_en"] else goal["title_ja"])


def text_width(text: str, font_px: float) -> float:
    """About how wide `text` is drawn: a wide (CJK) character one em, any other about 0.6 em."""
    return sum(font_px if unicodedata.east_asian_width(c) in "WF" else font_px * 0.6 for c in text)


def fitted(text: str, width: float, font_px: float = LABEL_FONT) -> str:
    """`text` cut to fit `width` pixels, ending in an ellipsis when cut (the whole text goes in the SVG title)."""
    if text_width(text, font_px) <= width:
        return text
    while text and text_width(text + "…", font_px) > width:
        text = text[:-1]
    return text + "…"


def scaled(drawing: str) -> str:
    """An SVG drawn at a fixed size made to scale to its container (its viewBox kept): the roadmap's legend was cut
    at the right edge of a narrower page."""
    return _SVG_SIZE.sub(r'\1 width="100%" preserveAspectRatio="xMinYMin meet"', drawing, count=1)


def trl_chart(projects: Sequence[Mapping[str, Any]]) -> dict[str, Any]:
    """A bar per project on the TRL scale 1–9: the latest assessment filled, the roadmap's plan for today a tick,
    its target a diamond. Sizes in pixels of the SVG's viewBox (it scales to the page); titles fitted to the left
    margin, whole in their tooltip."""
    left, step, row = 190, 40, 28
    bars = []
    for index, project in enumerate(projects):
        y = 24 + index * row

        def x(level: int) -> int:
            return left + level * step

        bars.append(
            {
                "id": project["id"],
                "title": project["title"],
                "short": fitted(str(project["title"]), left - 14),
                "y": y,
                "width": (project["trl"] or 0) * step,
                "trl": project["trl"],
                "planned_x": x(project["trl_planned"]) if project["trl_planned"] else None,
                "target_x": x(project["trl_target"]) if project["trl_target"] else None,
                "colour": STATUS_COLOURS[project["dashboard_status"]],
            }
        )
    return {"left": left, "step": step, "width": left + 9 * step + 20, "height": 34 + len(bars) * row, "bars": bars}


def budget_chart(lines: Sequence[Mapping[str, Any]]) -> dict[str, Any]:
    """Per year a bar of the plan (outlined) with what stays committed filled inside it; scaled to the largest plan."""
    top = max((line["planned"] for line in lines), default=0.0) or 1.0
    step, height = 70, 140
    bars = [
        {
            **line,
            "x": 40 + index * step,
            "planned_h": round(line["planned"] / top * height),
            "committed_h": round(line["committed"] / top * height),
        }
        for index, line in enumerate(lines)
    ]
    return {"bars": bars, "base": height + 20, "width": 60 + len(bars) * step, "height": height + 44}


def trl_history_chart(history: Sequence[Mapping[str, Any]], planned: int | None, target: int | None) -> dict[str, Any]:
    """A project's TRL assessments in order, a point each joined by a line, on the scale 1–9 upwards; the plan for
    today and the target as dashed lines."""
    left, top, step, level_h = 40, 12, 90, 22
    height = top + 9 * level_h + 40

    def y(level: int) -> int:
        return top + (9 - level) * level_h

    points = [
        {"x": left + 30 + index * step, "y": y(row["trl"]), "trl": row["trl"], "day": str(row["at"])[:10]}
        for index, row in enumerate(history)
    ]
    plot = max(left + 60 + max(len(points) - 1, 0) * step + 20, 300)  # where the legend begins
    width = plot + 160
    return {
        "points": points,
        "line": " ".join(f"{p['x']},{p['y']}" for p in points),
        "levels": [{"level": level, "y": y(level)} for level in range(1, 10)],
        "planned_y": y(planned) if planned else None,
        "target_y": y(target) if target else None,
        "left": left,
        "width": width,
        "plot": plot,
        "legend_x": plot + 12,
        "height": height,
        "axis": y(1) + 14,
    }


# ── a new goal ─────────────────────────────────────────────────────────────────────────────────────────────────


def _levels(actor: Actor) -> tuple[str, ...]:
    return LEVELS[: LEVELS.index(actor.clearance.level) + 1]


def _goal_form(request: Request, actor: Actor, values: Mapping[str, Any], error: InputError | None = None) -> Response:
    may = allowed(actor, "programme.manage")
    return render(
        request,
        "programme_goal_form.html.j2",
        status=400 if error else 200 if may else 403,
        may=may,
        threats=programme.threat_choices(workspace(request), actor) if may else [],
        levels=_levels(actor),
        values=values,
        error=error,
        error_field=(error.location.field or "") if error else "",
    )


@router.get("/programmes/new", response_class=HTMLResponse)
def goal_form(request: Request, actor: ActorDep) -> Response:
    return _goal_form(request, actor, {"threats": []})


def _refusal(error: InputError | AccessDenied, field: str) -> InputError:
    """A refusal shown beside a field: an input error names its own; a label above the author's clearance is the
    label's."""
    return error if isinstance(error, InputError) else InputError(error.detail, field=field)


@router.post("/programmes/new")
async def goal_submit(request: Request) -> Response:
    actor, form = await checked_form(request)
    values: dict[str, Any] = {name: str(form.get(name, "")).strip() for name in GOAL_FIELDS}
    values["threats"] = [str(t) for t in form.getlist("threats") if str(t).strip()]
    values["compartments"] = [str(c) for c in form.getlist("compartments")]
    try:
        goal_id = add_goal(workspace(request), actor, values, [])
    except (InputError, AccessDenied) as error:  # the service has audited a refusal
        if not allowed(actor, "programme.manage"):  # not the label's fault: the form says who may
            return _goal_form(request, actor, values)
        return _goal_form(request, actor, values, _refusal(error, "label"))
    return RedirectResponse(f"/programmes/{goal_id}", status_code=303)


# ── a project ──────────────────────────────────────────────────────────────────────────────────────────────────


def _project_page(
    request: Request,
    actor: Actor,
    project_id: str,
    values: Mapping[str, Any] | None = None,
    error: InputError | None = None,
    status: int | None = None,
) -> Response:
    found = programme.project_page(workspace(request), actor, project_id)
    return render(
        request,
        "programme_project.html.j2",
        status=status or (400 if error else 200),
        d=found,
        p=found["project"],
        goal_title=_title(found["goal"], language(request)),
        words=WORDS,
        decisions=DECISIONS,
        ratings=RATINGS,
        may_decide=allowed(actor, "gates.decide") and found["project"]["status"] != "stopped",
        refused=status == 403,
        history=trl_history_chart(found["trl_history"], found["trl_planned"], found["trl_target"]),
        values=values or {"decision": "go", "achieved": "a", "outlook": "a"},
        error=error,
        error_field=(error.location.field or "") if error else "",
        page_label=found["label_value"],
    )


@router.get("/programmes/projects/{project_id}", response_class=HTMLResponse)
def project(request: Request, actor: ActorDep, project_id: str) -> Response:
    return _project_page(request, actor, project_id)


def _lines(text: str) -> list[str]:
    return [line.strip() for line in text.splitlines() if line.strip()]


@router.post("/programmes/projects/{project_id}/gate")
async def gate_submit(request: Request, project_id: str) -> Response:
    actor, form = await checked_form(request)
    values = {name: str(form.get(name, "")).strip() for name in (*GATE_TEXTS, "decision", "achieved", "outlook")}
    musts = [(c, True) for c in _lines(values["must_met"])] + [(c, False) for c in _lines(values["must_unmet"])]
    shoulds = [(c, True) for c in _lines(values["should_met"])] + [(c, False) for c in _lines(values["should_unmet"])]
    try:
        decide(
            workspace(request),
            actor,
            project_id,
            values["decision"],
            achieved=values["achieved"],
            outlook=values["outlook"],
            reason=values["reason"],
            reviewers=_lines(values["reviewers"]),
            must_meet=musts,
            should_meet=shoulds,
            gate=values["gate"],
        )
    except AccessDenied:  # audited by the service; the page says who may decide (a hidden project: 404 above)
        return _project_page(request, actor, project_id, values, status=403)
    except InputError as error:
        return _project_page(request, actor, project_id, values, error)
    return RedirectResponse(f"/programmes/projects/{project_id}#gates", status_code=303)


# ── the goals and a goal ───────────────────────────────────────────────────────────────────────────────────────


@router.get("/programmes", response_class=HTMLResponse)
def programmes(request: Request, actor: ActorDep) -> Response:
    ws = workspace(request)
    goals = list_goals(ws, actor)
    projects = list_projects(ws, actor)
    under: dict[str, list[dict[str, Any]]] = {}
    for project in projects:
        under.setdefault(project["goal_id"], []).append(project)
    return render(
        request,
        "programme_index.html.j2",
        goals=goals,
        under=under,
        words=WORDS,
        may_manage=allowed(actor, "programme.manage"),
        page_label=_label([*goals, *projects]),
    )


def _proposal_form(
    request: Request, actor: Actor, goal_id: str, values: Mapping[str, Any], error: InputError | None = None
) -> Response:
    may = allowed(actor, "programme.manage")
    # The goal is read first: a proposal form under a goal one may not read is a 404 like a missing goal.
    found = show_goal(workspace(request), actor, goal_id)
    return render(
        request,
        "programme_proposal_form.html.j2",
        status=400 if error else 200 if may else 403,
        may=may,
        goal=found["goal"],
        goal_title=_title(found["goal"], language(request)),
        questions=HEILMEIER,
        levels=_levels(actor),
        values=values,
        error=error,
        error_field=(error.location.field or "") if error else "",
        page_label=_label([found["goal"]]),
    )


@router.get("/programmes/{goal_id}/proposals/new", response_class=HTMLResponse)
def proposal_form(request: Request, actor: ActorDep, goal_id: str) -> Response:
    return _proposal_form(request, actor, goal_id, {})


@router.post("/programmes/{goal_id}/proposals/new")
async def proposal_submit(request: Request, goal_id: str) -> Response:
    actor, form = await checked_form(request)
    values: dict[str, Any] = {name: str(form.get(name, "")).strip() for name in ("id", "title", "label", *HEILMEIER)}
    values["compartments"] = [str(c) for c in form.getlist("compartments")]
    try:
        add_proposal(workspace(request), actor, goal_id, values)
    except (InputError, AccessDenied) as error:
        if not allowed(actor, "programme.manage"):
            return _proposal_form(request, actor, goal_id, values)
        return _proposal_form(request, actor, goal_id, values, _refusal(error, "label"))
    return RedirectResponse(f"/programmes/{goal_id}#proposals", status_code=303)


@router.get("/programmes/{goal_id}", response_class=HTMLResponse)
def programme_dashboard(request: Request, actor: ActorDep, goal_id: str) -> Response:
    found = programme.dashboard(workspace(request), actor, goal_id)
    roadmap = found["roadmap"]
    lang = language(request)
    return render(
        request,
        "programme_dashboard.html.j2",
        d=found,
        goal_title=_title(found["goal"], lang),
        words=WORDS,
        statuses=programme.STATUSES,
        trl=trl_chart(found["projects"]),
        budget=budget_chart(found["budget"]),
        roadmap_svg=scaled(svg(roadmap, critical_path(roadmap), lang)) if roadmap else None,
        may_manage=allowed(actor, "programme.manage"),
        heilmeier=HEILMEIER,
        page_label=found["label_value"],
    )
