"""A roadmap's items that an open barrier in the register blocks (issue 17: validation warns about them)."""

from __future__ import annotations

from kizashi.grow.barriers import open_blocking
from kizashi.grow.roadmap_checks import Finding
from kizashi.grow.roadmap_model import Roadmap
from kizashi.messages import Message
from kizashi.policy import Actor
from kizashi.store.service import SHOWN, delivered, service
from kizashi.store.workspace import Workspace


@service("roadmap.barriers")
def blocked_items(workspace: Workspace, actor: Actor, roadmap: Roadmap) -> list[Finding]:
    """A warning for each item of `roadmap` that open barriers the actor may read block, in the file's order."""
    blocked = open_blocking(workspace, actor.clearance, [item.id for item in roadmap.items], roadmap.id)
    found = [
        Finding(
            "warning",
            "blocked_by_open_barrier",
            Message(
                "{item} is blocked by the open barrier(s) {barriers} in the register",
                item=item.id,
                barriers=", ".join(sorted(blocked[item.id])),
            ),
            (item.id,),
        )
        for item in roadmap.items
        if item.id in blocked
    ]
    barriers = sorted({barrier for ids in blocked.values() for barrier in ids})
    delivered(workspace, actor, SHOWN, records=barriers, detail={"service": "roadmap.barriers", "roadmap": roadmap.id})
    return found
