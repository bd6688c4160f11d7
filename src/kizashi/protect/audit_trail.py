"""The audit trail as its readers use it: verify the chain (in the store, against an anchor, or an exported range),
export a range with its hashes, and print the head as an anchor. Reading the trail is for those with `audit.read`
(it names who read what); every use is itself audited, and every refusal."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

from kizashi.files.tabular import iter_rows
from kizashi.policy import Actor, require
from kizashi.store import audit
from kizashi.store.audit import Verification
from kizashi.store.service import SHOWN, Delivery, delivered, service
from kizashi.store.workspace import Workspace

EXPORT_COLUMNS = ("seq", "at", "actor", "action", "records", "detail", "origin", "prev_hash", "hash")

__all__ = ["EXPORT_COLUMNS", "Verification", "anchor", "export", "verify", "verify_file"]


@service("audit.verify")
def verify(workspace: Workspace, actor: Actor, anchor: str | None = None) -> Verification:
    """Whether the chain in the store is intact (and, with an anchor SEQ:HASH, still holds the anchored event)."""
    require(actor, "audit.read")
    result = audit.verify(workspace, anchor)
    delivered(
        workspace,
        actor,
        SHOWN,
        detail={"service": "audit verify", "ok": result.ok, "events": result.events, "broken": result.broken_seq},
    )
    return result


def verify_file(path: Path, anchor: str | None = None) -> Verification:
    """Whether an exported range (JSON lines, as `export` writes them) is a valid chain on its own and, with an
    anchor SEQ:HASH kept earlier, still holds the anchored event; needs no workspace."""
    return audit.verify_range((row.values for row in iter_rows(path)), anchor)


@service("audit.export")
def export(
    workspace: Workspace,
    actor: Actor,
    write: Callable[[Iterator[dict[str, Any]]], None],
    *,
    first: int | None = None,
    last: int | None = None,
    delivery: Delivery = SHOWN,
) -> None:
    """Stream events `first`..`last` with their hashes to `write`, so an outside party can re-verify them."""
    require(actor, "audit.read")
    write(audit.iter_events(workspace, first, last))
    delivered(workspace, actor, delivery, detail={"service": "audit export", "from": first, "to": last})


@service("audit.anchor")
def anchor(workspace: Workspace, actor: Actor) -> str:
    """The head of the chain as `SEQ:HASH`, to keep outside the system."""
    require(actor, "audit.read")
    head = audit.anchor(workspace)
    delivered(workspace, actor, SHOWN, detail={"service": "audit anchor", "anchor": head})
    return head
