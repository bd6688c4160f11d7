"""The one way a labelled table is selected: for a reader, through the access policy; or, for kizashi's own
bookkeeping, as a trusted read that says why.

A labelled table is any table with the label columns (level, compartments, TLP): the records, and the rows that
copy the label of the records they are about (judgements, decisions, stored proposals, release reviews and their
steps, deemed-export answers). `select_readable` adds `can_read`'s SQL twin (kizashi.policy.sql.readable) for every
table it selects from, and, for a row derived from records (`DERIVED`, schema as data), the condition that the
records it is about are readable *now*: a decision keeps the label of its day, and a record relabelled above the
reader since takes its rows with it, so a row never tells of a record the reader may no longer see.

Every statement executed against a workspace passes a guard (`install_guard`): a SELECT that touches a labelled
table without having been built here, or that reaches one this helper did not filter, fails with `PolicyBypass`
before it runs. The whole test suite runs under the guard, and tests/test_architecture.py checks that nothing else
imports the SQL rule or sets the mark; so "every read goes through the policy" holds by construction, not by review.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from functools import cache
from typing import Any

from sqlalchemy import (
    ColumnElement,
    CompoundSelect,
    Engine,
    FromClause,
    Select,
    Table,
    and_,
    event,
    exists,
    literal,
    or_,
    select,
)
from sqlalchemy.sql import visitors
from sqlalchemy.sql.expression import TableClause

from kizashi.errors import KizashiError
from kizashi.model import Base
from kizashi.policy.labels import Clearance
from kizashi.policy.sql import readable

LABEL_COLUMNS = ("level", "compartments", "tlp", "tlp_owner", "tlp_recipients")
ACCESS_OPTION = "kizashi_access"


@dataclass(frozen=True)
class About:
    """A derived row is about a record: `column` holds its id, in one of `tables` (the one the row's `kind_column`
    names, where it may be about records of several kinds; the kinds are the tables' names)."""

    column: str
    tables: tuple[str, ...]
    kind_column: str | None = None


# Rows derived from records, and the records each is about.
DERIVED: dict[str, tuple[About, ...]] = {
    "match_judgements": (About("need_id", ("needs",)), About("seed_id", ("seeds",))),
    "match_proposals": (About("need_id", ("needs",)), About("seed_id", ("seeds",))),
    "control_decisions": (About("item_id", ("seeds", "works", "technologies"), "item_kind"),),
    "deemed_export_answers": (About("project_id", ("works", "seeds"), "project_kind"),),
    "release_reviews": (About("record_id", ("works", "seeds"), "record_kind"),),
    "release_transitions": (About("review_id", ("release_reviews",)),),
    # Programmes (model/programme.py): nothing under a goal is read by one who may not read the goal.
    "goal_proposals": (About("goal_id", ("goals",)),),
    "programme_projects": (About("goal_id", ("goals",)),),
    "gate_decisions": (About("project_id", ("programme_projects",)),),
    "trl_assessments": (About("subject_id", ("programme_projects", "technologies"), "subject_kind"),),
    "roadmap_revisions": (About("roadmap_id", ("roadmaps",)),),  # an old revision goes with its roadmap
}


class PolicyBypass(KizashiError):
    """A labelled table was selected outside the access policy: a defect in kizashi, refused before it runs."""

    status = 500
    exit_code = 1


@cache
def labelled_tables() -> Mapping[str, Table]:
    """Every table of the model that carries the label columns, by name."""
    return {
        name: table
        for name, table in Base.metadata.tables.items()
        if all(column in table.c for column in LABEL_COLUMNS)
    }


def _table(source: FromClause | str) -> Table:
    """The labelled table `source` names (a table of the model, or its name)."""
    name = source if isinstance(source, str) else getattr(source, "name", None)
    table = labelled_tables().get(str(name))
    if table is None or (not isinstance(source, str) and source is not table):
        raise ValueError(f"{source!r} is not a labelled table of the model")
    return table


def readable_where(table: FromClause | str, clearance: Clearance, backend: str) -> ColumnElement[bool]:
    """The condition under which `clearance` reads a row of `table`: its label, and for a derived row the records it
    is about (each readable now, recursively)."""
    table = _table(table)
    conditions = [readable(table, clearance, backend)]
    for about in DERIVED.get(table.name, ()):
        column = table.c[about.column]

        def readable_now(name: str, column: Any = column) -> ColumnElement[bool]:
            target = _table(name)
            # Never correlated to the outer query's own copy of `target` (the queue joins reviews to their records).
            found = select(literal(1)).select_from(target).where(target.c.id == column)
            found = found.where(readable_where(target, clearance, backend)).correlate_except(target)
            return exists(_marked(found, [target]))

        if about.kind_column is None:
            conditions.append(or_(*(readable_now(name) for name in about.tables)))
        else:
            kind = table.c[about.kind_column]
            conditions.append(or_(*(and_(kind == name, readable_now(name)) for name in about.tables)))
    return and_(*conditions)


def _marked(statement: Select[Any], tables: Sequence[Table]) -> Select[Any]:
    """`statement` marked as filtering exactly `tables` (the guard lets it read those, and only those)."""
    return statement.execution_options(**{ACCESS_OPTION: ("readable", frozenset(table.name for table in tables))})


def select_readable(
    clearance: Clearance,
    backend: str,
    *tables: FromClause | str,
    columns: Sequence[Any] | None = None,
) -> Select[Any]:
    """SELECT `columns` (default: every column of `tables`) FROM `tables`, keeping only the rows `clearance` may read
    of each; more conditions, joins' ON clauses, ordering and grouping may be added to it. `backend` is the
    workspace's ("sqlite" or "postgresql")."""
    resolved = [_table(table) for table in tables]
    if not resolved:
        raise ValueError("select_readable needs at least one table")
    statement = select(*(columns if columns is not None else resolved))
    if columns is not None:
        statement = statement.select_from(*resolved)
    statement = statement.where(*(readable_where(table, clearance, backend) for table in resolved))
    return _marked(statement, resolved)


def select_trusted(*entities: Any, why: str) -> Select[Any]:
    """A select that reads labelled rows whoever may read them, for kizashi's own bookkeeping: what it reads never
    reaches a user (an upsert's existing ids, a cache's invalidation stamp, a route enforced on all decisions). `why`
    says which, for the reviewer and the guard's error."""
    if not why.strip():
        raise ValueError("a trusted read says why")
    return select(*entities).execution_options(**{ACCESS_OPTION: ("trusted", why)})


# ── the guard ───────────────────────────────────────────────────────────────────────────────────────────────────


def labelled_in(statement: Any) -> set[str]:
    """The labelled tables a statement reads anywhere (its FROMs, joins, subqueries)."""
    names = labelled_tables()
    return {
        element.name
        for element in visitors.iterate(statement)
        if isinstance(element, TableClause) and element.name in names
    }


def uncovered(statement: Any, options: Mapping[str, Any] | None = None) -> set[str]:
    """The labelled tables `statement` reads outside any part of it that this module built: each must sit inside a
    select from `select_readable` that filtered it, or inside a trusted one. A select built here may be a subquery
    of one built elsewhere (a join of runs to their readable proposals)."""
    names = labelled_tables()
    found: set[str] = set()
    stack: list[tuple[Any, frozenset[str] | None]] = [(statement, _covered((options or {}).get(ACCESS_OPTION)))]
    seen: set[int] = set()
    while stack:
        element, covered = stack.pop()
        if id(element) in seen:
            continue
        seen.add(id(element))
        if isinstance(element, Select):
            marked = _covered(element.get_execution_options().get(ACCESS_OPTION))
            if marked is not None:
                covered = marked if covered is None else covered | marked
        if (
            isinstance(element, TableClause)
            and element.name in names
            and (covered is None or element.name not in covered)
        ):
            found.add(element.name)
        stack.extend((child, covered) for child in element.get_children())
    return found


def _covered(access: Any) -> frozenset[str] | None:
    """What a mark lets its select read: the tables it filtered, or every table for a trusted read."""
    if access is None:
        return None
    kind, detail = access
    return frozenset(labelled_tables()) if kind == "trusted" else frozenset(detail)


def check(statement: Any, options: Mapping[str, Any] | None = None) -> None:
    """PolicyBypass unless every labelled table a SELECT reads is read through this module (see `uncovered`)."""
    if not isinstance(statement, Select | CompoundSelect):
        return
    bypassed = uncovered(statement, options)
    if bypassed:
        raise PolicyBypass(
            f"a select of {', '.join(sorted(bypassed))} bypasses the access policy: build it with "
            "kizashi.store.readable.select_readable (or select_trusted for bookkeeping)"
        )


def install_guard(engine: Engine) -> None:
    """Check every statement this engine executes (see `check`)."""
    if not event.contains(engine, "before_execute", _before_execute):
        event.listen(engine, "before_execute", _before_execute)


def _before_execute(
    _connection: Any, statement: Any, _multiparams: Any, _params: Any, execution_options: Mapping[str, Any]
) -> None:
    check(statement, execution_options)
