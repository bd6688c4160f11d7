"""What the programme tests share: readers of given clearances, a threat register at two labels, a goal."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from kizashi.grow import goals
from kizashi.ingest.dispatch import ingest
from kizashi.policy import Actor, Clearance
from kizashi.store.workspace import Workspace

BOSS = Actor.operator("boss")  # writes: a trusted operator reads and may do everything


def reader(level: str = "PUBLIC", compartments: tuple[str, ...] = (), roles: tuple[str, ...] = ()) -> Actor:
    """A managed actor of this clearance and roles (services take the actor as given: no user row needed)."""
    return Actor(Clearance("reader", level, frozenset(compartments), roles=frozenset(roles)), via="test")


MANAGER = reader("SECRET", ("alpha",), ("programme_manager",))


def load_threats(workspace: Workspace, folder: Path) -> None:
    """Two threats: `open-threat` PUBLIC, `secret-threat` CONFIDENTIAL in compartment alpha."""
    path = folder / "threats.csv"
    path.write_text(
        "id,category,name_en,name_ja,label,compartments\n"
        "open-threat,disaster,River floods,河川の氾濫,PUBLIC,\n"
        "secret-threat,cyber,Attack on grid control,電力制御系への攻撃,CONFIDENTIAL,alpha\n",
        encoding="utf-8",
    )
    ingest(workspace, BOSS, "threats", [path])


HEILMEIER = {
    "title": "河川水位の短時間予測",
    "what": "6 時間先の水位を予測する",
    "today": "上流観測点の目視と経験則",
    "new": "レーダ雨量と機械学習の組み合わせ",
    "who_cares": "市町村の防災担当",
    "risks": "観測点の欠測",
    "cost": "3 億円",
    "time": "3 年",
    "midterm_exam": "過去 10 洪水で 3 時間先を再現",
    "final_exam": "実運用で 6 時間先の警報",
}


def goal_values(goal_id: str, **more: Any) -> dict[str, Any]:
    return {
        "id": goal_id,
        "title_ja": "洪水の早期警戒",
        "title_en": "Early flood warning",
        "threats": ["open-threat"],
        "capability": "river level nowcast",
        "target_date": "2030-03-31",
        "target": "90% of municipalities warned 6 hours ahead",
        **more,
    }


def add_goal(workspace: Workspace, goal_id: str, proposals: int = 1, **more: Any) -> str:
    return goals.add_goal(
        workspace,
        BOSS,
        goal_values(goal_id, **more),
        [{**HEILMEIER, "id": f"{goal_id}-p{n}"} for n in range(1, proposals + 1)],
    )
