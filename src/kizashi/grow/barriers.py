"""The barriers register (docs/programmes.md): what keeps a finished technology from being used in society.

A barrier has a kind (procurement, standards, regulation, export control, supply chain, talent), an owner who is to
remove it, the roadmap items it blocks and a status: open, or removed by a named action. Barriers are labelled
records; adding and removing are audited (`create`, `update`), listing and exporting too (`read`, `export`).
`open_blocking` tells a roadmap check which of its items an open barrier the reader may see blocks.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import Table, update

from kizashi.grow.goals import (
    FLAGS,
    MAX_NAME,
    chosen_label,
    identifier,
    names,
    new_id,
    readable_row,
    shown,
    stored,
    taken,
    text,
)
from kizashi.messages import Message
from kizashi.model import Barrier
from kizashi.policy import Actor, Clearance, require
from kizashi.store import audit
from kizashi.store.readable import select_readable
from kizashi.store.service import SHOWN, Delivery, delivered, service
from kizashi.store.workspace import Workspace

KINDS = ("procurement", "standards", "regulation", "export_control", "supply_chain", "talent")
STATUSES = ("open", "removed")
COLUMNS = ["id", "title", "kind", "owner", "status", "blocks", "action", "removed_by", "removed_at", "label"]
MAX_BLOCKS = 500


def _table() -> Table:
    return Barrier.__table__  # type: ignore[return-value]


def _kind(value: str, name: str = "kind") -> str:
    if value not in KINDS:
        raise FLAGS.error(
            Message("unknown barrier kind '{kind}'; use one of {kinds}", kind=value, kinds=", ".join(KINDS)), name
        )
    return value


@service("barriers.add")
def add_barrier(workspace: Workspace, actor: Actor, values: Mapping[str, Any]) -> str:
    """Store one open barrier: id (optional), title, kind, owner, blocks (roadmap item ids), action (the planned
    removing action, optional), label, compartments. Its id."""
    require(actor, "programme.manage")
    barrier_id = text(values, "id", FLAGS, required=False, most=100)
    blocks = names(values, "blocks", FLAGS)
    if len(blocks) > MAX_BLOCKS:
        raise FLAGS.error(Message("at most {most:,} roadmap items", most=MAX_BLOCKS), "blocks")
    barrier: dict[str, Any] = {
        "id": identifier(barrier_id, "id", FLAGS) if barrier_id else new_id("barrier"),
        "title": text(values, "title", FLAGS),
        "kind": _kind(text(values, "kind", FLAGS, most=32)),
        "owner": text(values, "owner", FLAGS, most=MAX_NAME),
        "status": "open",
        "blocks": blocks,
        "action": text(values, "action", FLAGS, required=False),
    }
    label = chosen_label(actor.clearance, values, FLAGS)
    if taken(workspace, _table(), [barrier["id"]]):
        raise FLAGS.error(Message("id '{id}' is taken; choose another or leave it out", id=barrier["id"]), "id")
    with workspace.session() as session:
        session.add(stored(Barrier(**barrier, created_by=actor.user), label, barrier))
    audit.record(
        workspace,
        actor,
        "create",
        records=[barrier["id"]],
        detail={"kind": "barriers", "barrier_kind": barrier["kind"], "blocks": blocks, **label.as_dict()},
    )
    return str(barrier["id"])


@service("barriers.remove")
def remove_barrier(workspace: Workspace, actor: Actor, barrier_id: str, action: str) -> None:
    """Mark an open barrier `actor` may read removed by `action` (NotFound alike for a hidden one)."""
    require(actor, "programme.manage")
    done = text({"action": action}, "action", FLAGS)
    barrier = readable_row(
        workspace, actor.clearance, _table(), barrier_id, Message("no barrier '{id}'", id=barrier_id)
    )
    if barrier["status"] != "open":
        raise FLAGS.error(Message("barrier '{id}' is already removed", id=barrier_id), "id")
    table = _table()
    with workspace.session() as session:
        # Only an open one moves: of two removals at once, one finds it removed.
        moved = session.execute(
            update(table)
            .where(table.c.id == barrier["id"], table.c.status == "open")
            .values(status="removed", action=done, removed_by=actor.user, removed_at=datetime.now(UTC))
        )
        if moved.rowcount != 1:  # type: ignore[attr-defined]
            raise FLAGS.error(Message("barrier '{id}' is already removed", id=barrier_id), "id")
    audit.record(
        workspace,
        actor,
        "update",
        records=[barrier["id"]],
        detail={"kind": "barriers", "status": "removed", "action": done[:500]},
    )


def _readable(
    workspace: Workspace, clearance: Clearance, *, status: str | None = None, kind: str | None = None
) -> list[dict[str, Any]]:
    table = _table()
    statement = select_readable(clearance, workspace.backend, table)
    if status is not None:
        if status not in STATUSES:
            raise FLAGS.error(
                Message(
                    "unknown status '{status}'; use one of {statuses}", status=status, statuses=", ".join(STATUSES)
                ),
                "status",
            )
        statement = statement.where(table.c.status == status)
    if kind is not None:
        statement = statement.where(table.c.kind == _kind(kind))
    with workspace.session() as session:
        return [dict(row) for row in session.execute(statement.order_by(table.c.id)).mappings()]


@service("barriers.list")
def list_barriers(
    workspace: Workspace,
    actor: Actor,
    *,
    status: str | None = None,
    kind: str | None = None,
    delivery: Delivery = SHOWN,
) -> list[dict[str, Any]]:
    """The barriers `actor` may read (of one status or kind when given), for the terminal or a file."""
    rows = _readable(workspace, actor.clearance, status=status, kind=kind)
    delivered(
        workspace, actor, delivery, records=[r["id"] for r in rows], detail={"service": "barriers", "count": len(rows)}
    )
    return [shown(row) for row in rows]


def open_blocking(
    workspace: Workspace, clearance: Clearance, items: Iterable[str], roadmap: str | None = None
) -> dict[str, list[str]]:
    """For a roadmap check (a service, which audits): each of `items` that an open barrier `clearance` may read
    blocks → those barriers' ids. A barrier names an item by its id (`T1`, in any roadmap) or by its roadmap's id and
    its own (`rm-flood/T1`, in that roadmap only)."""
    wanted = set(items)
    found: dict[str, list[str]] = {}
    for barrier in _readable(workspace, clearance, status="open"):
        for item in barrier["blocks"]:
            where, _, bare = item.rpartition("/")
            if bare in wanted and (not where or where == roadmap):
                found.setdefault(bare, []).append(barrier["id"])
    return found
