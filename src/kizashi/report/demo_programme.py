"""The demo's programme (issue 17): a goal against a threat of the catalogue with its Heilmeier proposal, its
candidate projects chosen under the yearly budgets, and its roadmap drawn with the critical path, in reports/."""

from __future__ import annotations

import json
from importlib import resources
from pathlib import Path

from kizashi.files.export import created
from kizashi.grow.critical_path import critical_path
from kizashi.grow.goals import add_project, list_goals, list_projects, load_goals
from kizashi.grow.portfolio import optimize
from kizashi.grow.portfolio_model import load
from kizashi.grow.roadmap_model import read_roadmap
from kizashi.grow.roadmap_render import render
from kizashi.messages import Message
from kizashi.policy import Actor
from kizashi.store.service import service
from kizashi.store.workspace import Workspace

PROGRAMME = Path(str(resources.files("kizashi") / "data" / "demo" / "programme"))
GOAL = "g-flood"  # the goal of goals.yaml
MANAGER = "山田 花子"  # the demo's programme manager (a name on the projects, not a user)


@service("demo.programme")
def programme(workspace: Workspace, actor: Actor, out: Path) -> tuple[Message, Path]:
    """Store the goal and its projects, choose the portfolio and draw the roadmap; the roadmap's page is returned."""
    out.mkdir(parents=True, exist_ok=True)
    # A second run finds the goal and its projects stored already, as the other steps find their records.
    goal = GOAL
    if goal not in {row["id"] for row in list_goals(workspace, actor)}:
        (goal, *_) = load_goals(workspace, actor, PROGRAMME / "goals.yaml")
    present = {row["id"] for row in list_projects(workspace, actor, goal_id=goal)}
    loaded = load(PROGRAMME / "portfolio.yaml")
    result = optimize(loaded)
    chosen = set(result["chosen"])
    for project in loaded.portfolio.projects:
        if project.id in present:
            continue
        add_project(
            workspace,
            actor,
            goal,
            {
                "id": project.id,
                "title": project.title_ja or project.title_en or project.id,
                "manager": MANAGER,
                "status": "active" if project.id in chosen else "on_hold",
                "budget": {str(year): amount for year, amount in project.cost.items()},
            },
        )
    created(out / "portfolio.json").write_text(json.dumps(result, ensure_ascii=False, indent=2), encoding="utf-8")
    roadmap = read_roadmap(PROGRAMME / "roadmap.yaml")
    path = critical_path(roadmap)
    page = out / "roadmap.html"
    created(page).write_bytes(render(roadmap, path, "html", "ja"))
    created(out / "roadmap.pdf").write_bytes(render(roadmap, path, "pdf", "ja"))
    return (
        Message(
            "programme {goal}: {chosen} of {projects} projects chosen under the budgets (value {value}); roadmap of "
            "{items} items, critical path {months} months",
            goal=goal,
            chosen=len(chosen),
            projects=len(loaded.portfolio.projects),
            value=round(result["value"], 1),
            items=len(roadmap.items),
            months=path.length_months,
        ),
        page,
    )
