"""The programme pages: the goals the reader may read with their projects, and a goal's dashboard (projects by
status, budget, TRL progress, next gates, open barriers, the roadmap), read through grow/ as the request's actor (a
hidden goal is a 404 like a missing one, audited there). The charts are inline SVG drawn here from the numbers."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, Response

from kizashi.grow import dashboard as programme
from kizashi.grow.critical_path import critical_path
from kizashi.grow.goals import WORDS, list_goals, list_projects
from kizashi.grow.roadmap_render import svg
from kizashi.policy import Label
from kizashi.web.context import language, workspace
from kizashi.web.deps import ActorDep
from kizashi.web.render import render

router = APIRouter(include_in_schema=False)

STATUS_COLOURS = {"on_track": "#2e7d32", "at_risk": "#b26a00", "off_track": "#c0392b"}


def _label(rows: Iterable[Mapping[str, Any]]) -> Label | None:
    """The page's banner: the highest of the rows' labels (level and compartments; goals carry no TLP)."""
    labels = [Label(row["level"], frozenset(row["compartments"] or ())) for row in rows]
    return Label.highest(labels) if labels else None


def _title(goal: Mapping[str, Any], lang: str) -> str:
    return str(goal["title_en"] if lang == "en" and goal["title_en"] else goal["title_ja"])


def trl_chart(projects: Sequence[Mapping[str, Any]]) -> dict[str, Any]:
    """A bar per project on the TRL scale 1–9: the latest assessment filled, the roadmap's plan for today a tick,
    its target a diamond. Sizes in pixels for the template's SVG."""
    left, step, row = 170, 40, 28
    bars = []
    for index, project in enumerate(projects):
        y = 24 + index * row

        def x(level: int) -> int:
            return left + level * step

        bars.append(
            {
                "id": project["id"],
                "title": project["title"],
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
        page_label=_label([*goals, *projects]),
    )


@router.get("/programmes/{goal_id:path}", response_class=HTMLResponse)
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
        roadmap_svg=svg(roadmap, critical_path(roadmap), lang) if roadmap else None,
        page_label=found["label_value"],
    )
