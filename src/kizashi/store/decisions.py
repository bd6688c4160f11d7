"""Appending one labelled, audited decision: the row with its label columns, then the audit event naming its id.

The decision services (judgements, control classification, screening, deemed export) are append-only: a decision is
a new row, never an update, carrying the label of what it is about, and every one is in the audit trail. This keeps
the order they share in one place: the row is written in a transaction of its own, and only once that has committed
is the event appended (audit writes in its own transaction, after the action: see `audit`). A failure before the
commit (building the row, a constraint, the event's detail) leaves neither row nor event.

It sits beside `audit` and `policy` rather than in either: the trail knows nothing of rows or labels, and the policy
nothing of storing.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from typing import Any, Protocol, TypeVar

from sqlalchemy import inspect
from sqlalchemy.orm import Session

from kizashi.policy import Actor, Label, label_columns
from kizashi.store import audit
from kizashi.store.workspace import Workspace


class _Row(Protocol):
    @property
    def id(self) -> int: ...


RowT = TypeVar("RowT", bound=_Row)


def append_decision(
    workspace: Workspace,
    actor: Actor,
    row: RowT | Callable[[Session], RowT],
    *,
    label: Label,
    records: Sequence[str],
    id_key: str,
    detail: Mapping[str, Any] | Callable[[RowT], Mapping[str, Any]],
    action: str = "decision",
) -> int:
    """Store `row` labelled `label`, then audit it as `action` on `records` with `{id_key: the new id, **detail}`;
    the new id. `row` may be a function building it in the open transaction (from what it reads there); `detail` one
    of the stored row (for what only the row knows)."""
    with workspace.session() as session:
        built = row(session) if callable(row) else row
        columns = inspect(built).mapper.columns
        for name, value in label_columns(label).items():
            if name not in columns:  # a plain attribute would be dropped silently, and the row stored unlabelled
                raise TypeError(f"{type(built).__name__} has no label column '{name}'")
            setattr(built, name, value)
        session.add(built)
        session.flush()
        row_id = built.id
        event_detail = {id_key: row_id, **(detail(built) if callable(detail) else detail)}
    audit.record(workspace, actor, action, records=records, detail=event_detail)
    return row_id
