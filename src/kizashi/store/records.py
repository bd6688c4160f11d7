"""Reading records back: counts by kind and listings, always through the access policy (kizashi/policy)."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from sqlalchemy import ColumnElement, Select, Table, func, or_

from kizashi.errors import InputError, NotFound
from kizashi.model import RECORD_KINDS
from kizashi.policy import Clearance, Label
from kizashi.store.readable import LABEL_COLUMNS, select_readable, select_trusted
from kizashi.store.workspace import Workspace

# Columns a listing shows by default, per kind; the rest are in --format json.
LIST_COLUMNS = {
    "needs": ["id", "title", "lang", "organization", "country", "trl", "threat", "deadline", "level"],
    "seeds": ["id", "title", "lang", "organization", "country", "trl", "level"],
    "works": ["id", "source", "year", "title", "doi", "countries", "cited_by_count", "level"],
    "threats": ["id", "category", "name_ja", "name_en", "likelihood", "impact", "horizon", "level"],
    "technologies": ["id", "parent", "name_ja", "name_en", "level"],
}

# Columns a free-text search looks in, and columns a listing may be filtered on by equality.
SEARCH_COLUMNS = {
    "needs": ["id", "title", "description", "organization", "threat"],
    "seeds": ["id", "title", "description", "organization"],
    "works": ["id", "title", "abstract", "doi"],
    "threats": ["id", "name_en", "name_ja", "description_en", "description_ja", "category"],
    "technologies": ["id", "name_en", "name_ja", "description_en", "description_ja"],
}
FILTER_COLUMNS = {
    "needs": ["level", "lang", "country", "source"],
    "seeds": ["level", "lang", "country", "source"],
    "works": ["level", "source", "year", "type"],
    "threats": ["level", "category", "horizon"],
    "technologies": ["level", "parent"],
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
                select_readable(clearance, workspace.backend, kind, columns=[func.count()])
            ).scalar_one()
            for kind in RECORD_KINDS
        }


def readable_label(workspace: Workspace, clearance: Clearance) -> Label:
    """The label of a product built from every record `clearance` may read (counts, a dashboard): the highest of
    their distinct labels."""
    labels: list[Label] = []
    with workspace.session() as session:
        for kind in RECORD_KINDS:
            table = table_of(kind)
            columns = [table.c[name] for name in LABEL_COLUMNS]
            statement = select_readable(clearance, workspace.backend, table, columns=columns).distinct()
            labels.extend(Label.of(dict(row)) for row in session.execute(statement).mappings())
    return Label.highest(labels)


def iter_records(
    workspace: Workspace, kind: str, clearance: Clearance, limit: int | None = None
) -> Iterator[dict[str, Any]]:
    """The records of `kind` that `clearance` may read, in id order. An unknown kind raises InputError here."""
    table = table_of(kind)
    statement = select_readable(clearance, workspace.backend, table).order_by(table.c.id)
    if limit is not None:
        statement = statement.limit(limit)
    return _rows(workspace, statement)


def _rows(workspace: Workspace, statement: Select[Any]) -> Iterator[dict[str, Any]]:
    with workspace.session() as session:
        for row in session.execute(statement).mappings():
            yield dict(row)


def get_record(workspace: Workspace, kind: str, record_id: str, clearance: Clearance) -> dict[str, Any]:
    """One record, or NotFound, worded the same whether it is missing or above the reader: the difference would
    tell an outsider that it exists."""
    table = table_of(kind)
    row = None
    if "\x00" not in record_id:  # no stored id holds one (ingest refuses them), and PostgreSQL cannot compare it
        statement = select_readable(clearance, workspace.backend, table).where(table.c.id == record_id)
        with workspace.session() as session:
            row = session.execute(statement).mappings().first()
    if row is None:
        raise NotFound(f"no record '{record_id}' among the {kind}")
    return dict(row)


def _like_pattern(text: str) -> str:
    escaped = text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"%{escaped}%"


def search_conditions(
    table: Table, kind: str, query: str = "", filters: dict[str, str] | None = None
) -> list[ColumnElement[bool]]:
    """WHERE conditions for a search: every word of `query` in some searchable column, and each filter equal."""
    if "\x00" in query or any("\x00" in value for value in (filters or {}).values()):
        raise InputError("a search may not contain a NUL character", field="q")
    conditions: list[ColumnElement[bool]] = []
    for word in query.split():
        pattern = _like_pattern(word)
        conditions.append(or_(*(table.c[name].ilike(pattern, escape="\\") for name in SEARCH_COLUMNS[kind])))
    for name, value in (filters or {}).items():
        if name not in FILTER_COLUMNS[kind]:
            raise InputError(f"cannot filter {kind} on '{name}'; use {', '.join(FILTER_COLUMNS[kind])}", field=name)
        column = table.c[name]
        if value == "":
            continue
        if name == "year":
            if not value.isdigit():
                raise InputError(f"year '{value}' is not a number", field=name)
            conditions.append(column == int(value))
        else:
            conditions.append(column == value)
    return conditions


def search(
    workspace: Workspace,
    kind: str,
    clearance: Clearance,
    *,
    query: str = "",
    filters: dict[str, str] | None = None,
    limit: int = 50,
    offset: int = 0,
) -> tuple[list[dict[str, Any]], int]:
    """A page of the records of `kind` that `clearance` may read and that match; and how many match in all
    (counted under the same filter, so the total never counts what the reader may not see)."""
    table = table_of(kind)
    where = search_conditions(table, kind, query, filters)
    with workspace.session() as session:
        counted = select_readable(clearance, workspace.backend, table, columns=[func.count()]).where(*where)
        total = session.execute(counted).scalar_one()
        page = select_readable(clearance, workspace.backend, table).where(*where).order_by(table.c.id)
        rows = session.execute(page.limit(limit).offset(offset)).mappings()
        return [dict(row) for row in rows], total


def facet(workspace: Workspace, kind: str, column: str, clearance: Clearance) -> list[tuple[Any, int]]:
    """Distinct values of a filter column with their counts, over the readable records only."""
    table = table_of(kind)
    if column not in FILTER_COLUMNS[kind]:
        raise InputError(f"cannot facet {kind} on '{column}'", field=column)
    statement = (
        select_readable(clearance, workspace.backend, table, columns=[table.c[column], func.count()])
        .where(table.c[column].is_not(None))
        .group_by(table.c[column])
        .order_by(table.c[column])
    )
    with workspace.session() as session:
        return [(value, count) for value, count in session.execute(statement)]


def exists(workspace: Workspace, kind: str, record_id: str) -> bool:
    """Whether any record has this id, whoever may read it: for kizashi's own bookkeeping, never shown to a user."""
    table = table_of(kind)
    with workspace.session() as session:
        found = select_trusted(table.c.id, why="a new record's id must be unused").where(table.c.id == record_id)
        return session.execute(found).first() is not None
