"""A goal's programme dashboard through the API: the same service as the page (grow/dashboard.py), as JSON."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Path, Request
from fastapi.encoders import jsonable_encoder
from pydantic import BaseModel, Field

from kizashi.grow.critical_path import critical_path
from kizashi.grow.dashboard import dashboard
from kizashi.web.api.schemas import BEARER, LabelOut, errors, label_out
from kizashi.web.context import workspace
from kizashi.web.deps import ActorDep

router = APIRouter()

Rows = list[dict[str, Any]]


class RoadmapOut(BaseModel):
    id: str
    title_ja: str | None
    title_en: str | None
    items: Rows = Field(description="its items as the roadmap format writes them (docs/roadmap.md)")
    critical_path: list[str] = Field(description="the ids on the critical path, in order")


class DashboardOut(BaseModel):
    goal: dict[str, Any] = Field(description="the goal's fields (id, title_ja, title_en, threats, capability, …)")
    threats: Rows = Field(description="the goal's threats: id, name_ja, name_en, readable")
    proposals: Rows = Field(description="the proposals under the goal you may read, with the Heilmeier answers")
    projects: Rows = Field(
        description="each project with `dashboard_status` (on_track, at_risk, off_track), `findings` (code, "
        "severity and values), `last_gate`, `next_gate`, `trl`, `trl_planned`, `trl_target`"
    )
    counts: dict[str, int] = Field(description="projects per dashboard status")
    budget: Rows = Field(description="per year: year, planned, released, committed")
    next_gates: Rows = Field(description="project, title, item, due (YYYY-MM), months_late")
    barriers: Rows = Field(description="open barriers you may read, with `blocks_here`: the roadmap items they block")
    roadmap: RoadmapOut | None = Field(description="the goal's roadmap you may read; null when there is none")
    today: str
    this_month: str
    label: LabelOut = Field(description="this answer's label: the highest of what it shows")


def dashboard_out(found: dict[str, Any]) -> DashboardOut:
    """The service's dashboard as the API answers it: the same data as the page, the roadmap as its document."""
    roadmap = found["roadmap"]
    plain = jsonable_encoder({k: v for k, v in found.items() if k not in ("roadmap", "label", "label_value")})
    return DashboardOut(
        **plain,
        roadmap=RoadmapOut(
            id=roadmap.id,
            title_ja=roadmap.title_ja,
            title_en=roadmap.title_en,
            items=[item.model_dump(mode="json", by_alias=True, exclude_none=True) for item in roadmap.items],
            critical_path=list(critical_path(roadmap).path),
        )
        if roadmap
        else None,
        label=label_out(found["label_value"]),
    )


@router.get(
    "/programmes/{goal_id}/dashboard",
    responses=errors(404),
    summary="A goal's programme dashboard",
    dependencies=BEARER,
)
def dashboard_route(request: Request, actor: ActorDep, goal_id: Annotated[str, Path(max_length=300)]) -> DashboardOut:
    """The goal's projects by status (the rule of docs/programmes.md, with each finding), the budget per year, TRL
    progress, next gates, open barriers and its roadmap, as the page /programmes/{goal_id} shows them; 404 both when
    there is no such goal and when you may not read it."""
    return dashboard_out(dashboard(workspace(request), actor, goal_id))
