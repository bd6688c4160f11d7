"""append_decision: the row stored with its label, the event naming its id; a failure before the commit leaves neither."""

from __future__ import annotations

import dataclasses
from datetime import UTC, datetime
from typing import Any

import pytest
from sqlalchemy import func
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from kizashi.errors import InputError
from kizashi.model import MatchJudgement, MatchRun
from kizashi.policy import Label
from kizashi.protect.people import actor_for as as_user
from kizashi.store import audit
from kizashi.store.decisions import append_decision
from kizashi.store.readable import select_trusted
from kizashi.store.workspace import Workspace

WHY = "a test reads the store"


def _judgement(**columns: Any) -> MatchJudgement:
    values: dict[str, Any] = {
        "need_id": "n1",
        "seed_id": "s1",
        "decision": "accept",
        "user": "ana",
        "at": datetime.now(UTC),
    }
    return MatchJudgement(**{**values, **columns})


def _rows(workspace: Workspace) -> list[MatchJudgement]:
    with workspace.session() as session:
        return list(session.scalars(select_trusted(MatchJudgement, why=WHY).order_by(MatchJudgement.id)))


def _nothing_written(workspace: Workspace) -> None:
    assert _rows(workspace) == []
    assert list(audit.iter_events(workspace)) == []


def test_the_row_is_labelled_and_the_event_names_its_id(workspace: Workspace) -> None:
    label = Label("CONFIDENTIAL", frozenset({"b", "a"}), "AMBER", organisations=frozenset({"lab-x"}))
    # The event's origin and `via` are the actor's (no `origin=` of its own any more).
    ana = dataclasses.replace(as_user(workspace, "ana"), origin="10.0.0.1", via="POST /needs/n1/judgements")
    first = append_decision(
        workspace,
        ana,
        _judgement(),
        label=label,
        records=["n1", "s1"],
        id_key="judgement",
        detail={"decision": "accept"},
    )
    second = append_decision(
        workspace,
        as_user(workspace, "ben"),
        _judgement(decision="reject"),
        label=Label(),
        records=["n1"],
        id_key="j",
        detail={},
    )
    rows = _rows(workspace)
    assert [row.id for row in rows] == [first, second]
    stored = rows[0]
    assert (stored.level, stored.compartments, stored.tlp, stored.tlp_owner, stored.tlp_recipients) == (
        "CONFIDENTIAL",
        ["a", "b"],
        "AMBER",
        None,
        ["lab-x"],
    )
    assert (rows[1].level, rows[1].compartments, rows[1].tlp, rows[1].tlp_recipients) == ("PUBLIC", [], None, [])
    events = list(audit.iter_events(workspace))
    assert [(e["actor"], e["action"], e["records"], e["origin"]) for e in events] == [
        ("ana", "decision", ["n1", "s1"], "10.0.0.1"),
        ("ben", "decision", ["n1"], None),
    ]
    assert events[0]["detail"] == {"judgement": first, "decision": "accept", "via": "POST /needs/n1/judgements"}
    assert events[1]["detail"] == {"j": second}
    assert audit.verify(workspace).ok


def test_a_row_built_in_the_transaction_and_a_detail_read_from_it(workspace: Workspace) -> None:
    seen: list[Session] = []

    def build(session: Session) -> MatchJudgement:
        seen.append(session)
        count = session.scalar(select_trusted(func.count(), why=WHY).select_from(MatchJudgement))
        return _judgement(comment=f"after {count}")

    decision_id = append_decision(
        workspace,
        as_user(workspace, "ana"),
        build,
        label=Label(),
        action="other",
        records=[],
        id_key="id",
        detail=lambda row: {"comment": row.comment, "row_id": row.id},
    )
    assert len(seen) == 1
    [event] = audit.iter_events(workspace)
    assert event["action"] == "other"
    assert event["detail"] == {"id": decision_id, "comment": "after 0", "row_id": decision_id}


def _refuse_building(session: Session) -> MatchJudgement:
    raise InputError("no such entry", field="entry_id")


def _refuse_detail(row: MatchJudgement) -> dict[str, Any]:
    raise ValueError("detail failed")


@pytest.mark.parametrize(
    ("row", "detail", "error"),
    [
        (_refuse_building, {}, InputError),  # the builder refuses
        (_judgement(need_id=None), {}, IntegrityError),  # the database refuses the row
        (_judgement(), _refuse_detail, ValueError),  # the event's detail cannot be made
    ],
    ids=["builder", "constraint", "detail"],
)
def test_a_failure_before_the_commit_leaves_neither_row_nor_event(
    workspace: Workspace, row: Any, detail: Any, error: type[Exception]
) -> None:
    with pytest.raises(error):
        append_decision(
            workspace, as_user(workspace, "ana"), row, label=Label(), records=["n1"], id_key="judgement", detail=detail
        )
    _nothing_written(workspace)


def test_a_row_without_label_columns_is_refused_not_stored_unlabelled(workspace: Workspace) -> None:
    run = MatchRun(created_at=datetime.now(UTC), user="ana", settings={}, needs=0, seeds=0)
    with pytest.raises(TypeError, match="no label column 'level'"):
        append_decision(workspace, as_user(workspace, "ana"), run, label=Label(), records=[], id_key="run", detail={})
    with workspace.session() as session:
        assert session.scalar(select_trusted(func.count(), why=WHY).select_from(MatchRun)) == 0
    assert list(audit.iter_events(workspace)) == []
