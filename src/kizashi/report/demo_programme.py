"""The demo's programme (issue 17): a goal against a threat of the catalogue with its Heilmeier proposal, its
candidate projects chosen under the yearly budgets, and its roadmap drawn with the critical path, in reports/."""

from __future__ import annotations

import json
from importlib import resources
from pathlib import Path

from kizashi.files.export import created
from kizashi.grow.barriers import add_barrier, list_barriers
from kizashi.grow.critical_path import critical_path
from kizashi.grow.gates import assess
from kizashi.grow.goals import add_project, list_goals, list_projects, load_goals
from kizashi.grow.portfolio import optimize
from kizashi.grow.portfolio_model import load
from kizashi.grow.roadmap_model import read_roadmap
from kizashi.grow.roadmap_render import render
from kizashi.grow.roadmaps import list_portfolio_runs, save_portfolio_run, save_roadmap
from kizashi.messages import Message
from kizashi.policy import Actor
from kizashi.store.service import service
from kizashi.store.workspace import Workspace

PROGRAMME = Path(str(resources.files("kizashi") / "data" / "demo" / "programme"))
GOAL = "g-flood"  # the goal of goals.yaml
MANAGER = "山田 花子"  # the demo's programme manager (a name on the projects, not a user)
TRL_EVIDENCE = "提案書の自己評価（公募時）"  # the demo's first TRL of each project
# The register's barriers to the roadmap's demonstration and rollout (its barrier lane, B1 and B2), for the dashboard.
BARRIERS = (
    {
        "id": "bar-forecast-licence",
        "title": "気象業務法の予報業務許可（洪水予測の提供）",
        "kind": "regulation",
        "owner": "気象庁",
        "blocks": ["P1"],
    },
    {
        "id": "bar-procurement-spec",
        "title": "自治体の調達仕様に新型センサーがない",
        "kind": "procurement",
        "owner": "総務省・地方自治体",
        "blocks": ["P2"],
    },
)


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
        if project.trl is not None:  # where each project starts, for the dashboard's TRL progress
            assess(workspace, actor, "project", project.id, project.trl.now, evidence=TRL_EVIDENCE)
    present = {row["id"] for row in list_barriers(workspace, actor)}
    for barrier in BARRIERS:
        if barrier["id"] not in present:
            add_barrier(workspace, actor, barrier)
    created(out / "portfolio.json").write_text(json.dumps(result, ensure_ascii=False, indent=2), encoding="utf-8")
    # The run and the roadmap are kept as labelled records (grow/roadmaps.py): the dashboard shows the stored roadmap.
    # A second run keeps no second portfolio run, and an unchanged roadmap makes no new revision.
    if not list_portfolio_runs(workspace, actor, goal):
        problem = loaded.portfolio.model_dump(mode="json", by_alias=True, exclude_none=True)
        save_portfolio_run(workspace, actor, problem, result, "デモのポートフォリオ", goal)
    roadmap = read_roadmap(PROGRAMME / "roadmap.yaml")
    save_roadmap(workspace, actor, roadmap, "デモ")
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
