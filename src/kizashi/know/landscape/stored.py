"""Stored scans as the web shows them: the latest one a reader may read, or the latest `--public` one for the public
page. A scan carries the highest label of what it used, so it reaches only those who could read all of that."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import Select

from kizashi.model import LandscapeScan
from kizashi.policy import Actor, Clearance, Label
from kizashi.policy.labels import PUBLIC
from kizashi.store.readable import select_readable
from kizashi.store.service import SHOWN, Delivery, delivered, service
from kizashi.store.workspace import Workspace

# Who reads the public page: nobody logged in, so PUBLIC only.
PUBLIC_READER = Clearance("public", PUBLIC)


@dataclass(frozen=True)
class StoredScan:
    id: int
    created_at: datetime
    user: str
    parameters: dict[str, Any]
    engine: str
    works: int
    public: bool
    label: Label
    tables: dict[str, list[dict[str, Any]]]
    fronts: dict[str, list[str]]


def _latest(workspace: Workspace, clearance: Clearance, *, public: bool | None) -> StoredScan | None:
    table = LandscapeScan.__table__
    statement: Select[Any] = select_readable(clearance, workspace.backend, table).order_by(table.c.id.desc()).limit(1)
    if public is not None:
        statement = statement.where(table.c.public == public)
    with workspace.session() as session:
        row = session.execute(statement).mappings().first()
    if row is None:
        return None
    return StoredScan(
        id=row["id"],
        created_at=row["created_at"],
        user=row["user"],
        parameters=dict(row["parameters"]),
        engine=row["engine"],
        works=row["works"],
        public=row["public"],
        label=Label.of(dict(row)),
        tables=dict(row["tables"]),
        fronts=dict(row["fronts"]),
    )


@service("landscape.latest")
def latest_scan(workspace: Workspace, actor: Actor, *, delivery: Delivery = SHOWN) -> StoredScan | None:
    """The newest scan the actor may read (public or not)."""
    found = _latest(workspace, actor.clearance, public=None)
    if found is not None:
        delivered(workspace, actor, delivery, detail={"scan": found.id})
    return found


def latest_public_scan(workspace: Workspace) -> StoredScan | None:
    """The newest `--public` scan, read as nobody: only a PUBLIC one qualifies (the public page, when it is on)."""
    return _latest(workspace, PUBLIC_READER, public=True)
