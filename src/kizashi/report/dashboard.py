"""The dashboard of the web app: how many records of each kind the reader may read, the label of those counts, and
the clearance they hold today with why."""

from __future__ import annotations

from dataclasses import dataclass

from kizashi.policy import Actor, Label
from kizashi.protect.people.standing import Standing, standing
from kizashi.store.records import counts, readable_label
from kizashi.store.service import SHOWN, delivered, service
from kizashi.store.workspace import Workspace


@dataclass(frozen=True)
class Dashboard:
    counts: dict[str, int]
    label: Label
    standing: Standing | None  # None for the operator of a workspace without users


@service("dashboard")
def dashboard(workspace: Workspace, actor: Actor) -> Dashboard:
    by_kind = counts(workspace, actor.clearance)
    held = None
    if actor.managed:
        with workspace.session() as session:
            held = standing(session, actor.user)
    delivered(workspace, actor, SHOWN, detail={"service": "dashboard", "counts": by_kind})
    return Dashboard(by_kind, readable_label(workspace, actor.clearance), held)
