"""Reading records back: counts by kind and listings, always through the access policy (protect/policy.py)."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from sqlalchemy import Select, Table, func, select

from kizashi.errors import InputError
from kizashi.model import RECORD_KINDS
from kizashi.protect.policy import Clearance, readable
from kizashi.store.workspace import Workspace

# Columns a listing shows by default, per kind; the rest are in --format json.
LIST_COLUMNS = {
    "needs": ["id", "title", "lang", "organization", "country", "trl", "threat", "deadline", "level"],
    "seeds": ["id", "title", "lang", "organization", "country", "trl", "level"],
    "works": ["id", "source", "year", "title", "doi", "countries", "cited_by_count", "level"],
    "threats": ["id", "category", "name_ja", "name_en", "likelihood", "impact", "horizon", "level"],
    "technologies": ["id", "parent", "name_ja", "name_en", "level"],
}


def table_of(kind: str) -> Table:
    model = RECORD_KINDS.get(kind)
    if model is None:
        raise InputError(f"unknown kind '{kind}'; use one of {', '.join(RECORD_KINDS)}")
    return model.__table__  # type: ignore[return-value]


def counts(workspace: Workspace, clearance: Clearance) -> dict[str, int]:
    """How many records of each kind `clearance` may read (a count of the others would leak that they exist)."""
    with workspace.session() as session:
        return {
            kind: session.execute(
                select(func.count())
                .select_from(table_of(kind))
                .where(readable(table_of(kind), clearance, workspace.backend))
            ).scalar_one()
            for kind in RECORD_KINDS
        }


def iter_records(
    workspace: Workspace, kind: str, clearance: Clearance, limit: int | None = None
) -> Iterator[dict[str, Any]]:
    """The records of `kind` that `clearance` may read, in id order. An unknown kind raises InputError here."""
    table = table_of(kind)
    statement = select(table).where(readable(table, clearance, workspace.backend)).order_by(table.c.id)
    if limit is not None:
        statement = statement.limit(limit)
    return _rows(workspace, statement)


def _rows(workspace: Workspace, statement: Select[Any]) -> Iterator[dict[str, Any]]:
    with workspace.session() as session:
        for row in session.execute(statement).mappings():
            yield dict(row)
