"""`can_read` as SQL: a WHERE clause that keeps exactly the rows a clearance may read, on SQLite and PostgreSQL.

Only `kizashi.store.readable`, the one helper through which labelled tables are selected for a reader, uses it (an
architecture test keeps it so): listings, counts, facets and exports then never fetch a row the reader may not see.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import (
    ColumnElement,
    FromClause,
    Select,
    String,
    and_,
    case,
    exists,
    func,
    inspect,
    literal_column,
    or_,
    select,
    true,
    type_coerce,
)
from sqlalchemy.dialects.postgresql import JSONB
from sqlalchemy.orm.util import AliasedClass

from kizashi.policy.labels import LEVELS, RANK, Clearance

ColumnSource = FromClause | type[Any] | AliasedClass[Any]


def readable(source: ColumnSource, clearance: Clearance, dialect_name: str) -> ColumnElement[bool]:
    """`can_read` as a WHERE clause over `source` (a table, an alias of one, a labelled model or an aliased model)
    for the dialect `dialect_name` ("sqlite" or "postgresql", e.g. `workspace.backend`)."""
    if dialect_name not in ("sqlite", "postgresql"):
        raise ValueError(f"no access filter for database '{dialect_name}'; use sqlite or postgresql")
    selectable = source if isinstance(source, FromClause) else inspect(source).selectable
    level, compartments = selectable.c["level"], selectable.c["compartments"]
    if clearance.every_compartment:
        return true()
    level_ok = level.in_(LEVELS[: RANK[clearance.level] + 1])
    held = sorted(clearance.compartments)
    if dialect_name == "sqlite":
        # Most records have no compartments: a plain text comparison spares them the JSON parse. The others are
        # readable when no element of the array is outside the held set (or is not a string at all).
        each = func.json_each(compartments).table_valued("type", "value")
        elements: Select[tuple[Any]] = select(literal_column("1")).select_from(each)
        if held:
            elements = elements.where(or_(each.c.type != "text", each.c.value.not_in(held)))
        compartments_ok = or_(type_coerce(compartments, String()) == "[]", ~exists(elements))
    else:
        compartments_ok = type_coerce(compartments, JSONB).contained_by(held)
    if "tlp" not in selectable.c:
        return and_(level_ok, compartments_ok)
    return and_(level_ok, compartments_ok, _tlp_ok(selectable, clearance, dialect_name))


def _tlp_ok(selectable: FromClause, clearance: Clearance, dialect_name: str) -> ColumnElement[bool]:
    """`tlp_constraints` + `can_read`'s TLP part as SQL: unknown markings are never readable."""
    tlp, owner, recipients = selectable.c["tlp"], selectable.c["tlp_owner"], selectable.c["tlp_recipients"]

    def holds(name: str) -> ColumnElement[bool]:
        if dialect_name == "sqlite":
            each = func.json_each(recipients).table_valued("type", "value")
            return exists(
                select(literal_column("1")).select_from(each).where(each.c.type == "text", each.c.value == name)
            )
        return type_coerce(recipients, JSONB).contains([name])

    marked: list[ColumnElement[bool]] = [tlp.in_(("CLEAR", "GREEN")), and_(tlp == "RED", holds(clearance.user))]
    organisation = clearance.organisation
    if organisation is not None:
        marked.append(and_(tlp == "AMBER+STRICT", owner == organisation))
        marked.append(and_(tlp == "AMBER", or_(owner == organisation, holds(organisation))))
    # Most records carry no marking: CASE makes sure they never pay for the JSON tests (an OR may be reordered).
    return case((tlp.is_(None), true()), else_=or_(*marked))
