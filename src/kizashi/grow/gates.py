"""Stage gates and TRL assessments of projects (docs/programmes.md).

A gate decision is go, kill, hold or recycle, with a/b/c ratings for "target achieved" and "outlook for the final
target", the must-meet and should-meet criteria each marked met or not, the reviewers and the reasons. The rule:

- go needs every must-meet criterion met and neither rating c (a should-meet criterion unmet is noted, not blocking);
- a killed project takes no further decision (its history stays);
- the project's status follows the decision: go → active, hold → on_hold, recycle → rework, kill → stopped.

Decisions and TRL assessments are append-only rows through store/decisions.py `append_decision`, labelled like the
project (or technology) of the day and audited (`gate_decision`, `trl_assessment`); one may not read a project's
decisions without being able to read the project and its goal now (store/readable.py `DERIVED`).
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import Table, update
from sqlalchemy.orm import Session

from kizashi.grow.goals import FLAGS, MAX_NAME, readable_project, shown, text
from kizashi.messages import Message
from kizashi.model import GateDecision, ProgrammeProject, TrlAssessment
from kizashi.policy import Actor, Clearance, Label, require
from kizashi.store.decisions import append_decision
from kizashi.store.readable import select_readable
from kizashi.store.records import get_record
from kizashi.store.service import SHOWN, Delivery, delivered, service
from kizashi.store.workspace import Workspace

DECISIONS = ("go", "kill", "hold", "recycle")
RATINGS = ("a", "b", "c")
STATUS_AFTER = {"go": "active", "hold": "on_hold", "recycle": "rework", "kill": "stopped"}
# What a TRL assessment may be about: the word a user gives → the table (the kind DERIVED names).
SUBJECTS = {"project": "programme_projects", "technology": "technologies"}
MAX_CRITERIA = 50


def _criteria(given: Sequence[tuple[str, bool]], name: str) -> list[dict[str, Any]]:
    if len(given) > MAX_CRITERIA:
        raise FLAGS.error(Message("at most {most:,} criteria", most=MAX_CRITERIA), name)
    found = []
    for criterion, met in given:
        found.append({"criterion": text({name: criterion}, name, FLAGS, most=1000), "met": bool(met)})
    return found


def gate_rule(decision: str, achieved: str, outlook: str, must_meet: Sequence[dict[str, Any]]) -> Message | None:
    """Why the decision may not be taken with these ratings and criteria (None: it may)."""
    if decision != "go":
        return None
    unmet = [c["criterion"] for c in must_meet if not c["met"]]
    if unmet:
        return Message("go needs every must-meet criterion met; not met: {criteria}", criteria="; ".join(unmet))
    if "c" in (achieved, outlook):
        return Message("go needs neither rating to be c; decide hold, recycle or kill")
    return None


def _history(workspace: Workspace, clearance: Clearance, project_id: str) -> list[dict[str, Any]]:
    table: Table = GateDecision.__table__  # type: ignore[assignment]
    statement = select_readable(clearance, workspace.backend, table).where(table.c.project_id == project_id)
    with workspace.session() as session:
        return [dict(row) for row in session.execute(statement.order_by(table.c.id)).mappings()]


@service("gates.decide")
def decide(
    workspace: Workspace,
    actor: Actor,
    project_id: str,
    decision: str,
    *,
    achieved: str,
    outlook: str,
    reason: str,
    reviewers: Sequence[str],
    must_meet: Sequence[tuple[str, bool]] = (),
    should_meet: Sequence[tuple[str, bool]] = (),
    gate: str = "",
) -> int:
    """Record a gate decision on a project `actor` may read (NotFound alike for a hidden one); its id."""
    require(actor, "gates.decide")
    if decision not in DECISIONS:
        raise FLAGS.error(
            Message(
                "unknown decision '{decision}'; use one of {choices}", decision=decision, choices=", ".join(DECISIONS)
            ),
            "decision",
        )
    for name, rating in (("achieved", achieved), ("outlook", outlook)):
        if rating not in RATINGS:
            raise FLAGS.error(Message("a rating is a, b or c, not '{rating}'", rating=rating), name)
    why = text({"reason": reason}, "reason", FLAGS)
    people = [text({"reviewer": r}, "reviewer", FLAGS, required=False, most=MAX_NAME) for r in reviewers]
    people = [p for p in dict.fromkeys(people) if p]
    if not people:
        raise FLAGS.error(Message("a gate decision names at least one reviewer"), "reviewer")
    musts, shoulds = _criteria(must_meet, "must_meet"), _criteria(should_meet, "should_meet")
    refusal = gate_rule(decision, achieved, outlook, musts)
    if refusal is not None:
        raise FLAGS.error(refusal, "decision")
    project = readable_project(workspace, actor.clearance, project_id)
    past = _history(workspace, actor.clearance, project_id)
    killed = Message("project '{id}' was killed; it takes no further gate decision", id=project_id)
    if (past and past[-1]["decision"] == "kill") or project["status"] == "stopped":
        raise FLAGS.error(killed, "decision")
    gate_name = text({"gate": gate}, "gate", FLAGS, required=False, most=100) or f"gate {len(past) + 1}"
    projects: Table = ProgrammeProject.__table__  # type: ignore[assignment]

    def row(session: Session) -> GateDecision:
        # The project's status moves in the same transaction as the decision that moves it; a project stopped
        # meanwhile (a kill decided at the same moment) moves no more, and this decision is not stored.
        moved = session.execute(
            update(projects)
            .where(projects.c.id == project["id"], projects.c.status != "stopped")
            .values(status=STATUS_AFTER[decision])
        )
        if moved.rowcount != 1:  # type: ignore[attr-defined]
            raise FLAGS.error(killed, "decision")
        return GateDecision(
            project_id=project["id"],
            gate=gate_name,
            decision=decision,
            achieved=achieved,
            outlook=outlook,
            must_meet=musts,
            should_meet=shoulds,
            reviewers=people,
            reason=why,
            user=actor.user,
            at=datetime.now(UTC),
        )

    return append_decision(
        workspace,
        actor,
        row,
        label=Label.of(project),
        records=[project["id"], project["goal_id"]],
        id_key="gate_decision",
        action="gate_decision",
        detail={
            "gate": gate_name,
            "decision": decision,
            "achieved": achieved,
            "outlook": outlook,
            "must_meet_unmet": sum(not c["met"] for c in musts),
            "should_meet_unmet": sum(not c["met"] for c in shoulds),
            "reviewers": people,
            "reason": why[:500],
            "status": STATUS_AFTER[decision],
        },
    )


@service("gates.history")
def gate_history(
    workspace: Workspace, actor: Actor, project_id: str, *, delivery: Delivery = SHOWN
) -> list[dict[str, Any]]:
    """A project's gate decisions, oldest first; NotFound alike for a project `actor` may not read."""
    project = readable_project(workspace, actor.clearance, project_id)
    rows = _history(workspace, actor.clearance, project["id"])
    delivered(
        workspace, actor, delivery, records=[project["id"]], detail={"service": "gate history", "decisions": len(rows)}
    )
    return [shown(row) for row in rows]


def _subject(workspace: Workspace, clearance: Clearance, kind: str, subject_id: str) -> dict[str, Any]:
    if kind not in SUBJECTS:
        raise FLAGS.error(
            Message("a TRL assessment is about a project or a technology, not '{kind}'", kind=kind), "kind"
        )
    if kind == "project":
        return readable_project(workspace, clearance, subject_id)
    return get_record(workspace, "technologies", subject_id, clearance)


@service("trl.assess")
def assess(
    workspace: Workspace,
    actor: Actor,
    kind: str,
    subject_id: str,
    trl: int,
    *,
    evidence: str,
    assessor: str | None = None,
) -> int:
    """Record a TRL (1–9) of a project or technology `actor` may read, with its evidence; its id."""
    require(actor, "trl.assess")
    if not 1 <= trl <= 9:
        raise FLAGS.error(Message("a TRL is a whole number from 1 to 9, not {trl}", trl=trl), "trl")
    why = text({"evidence": evidence}, "evidence", FLAGS)
    who = text({"assessor": assessor or actor.user}, "assessor", FLAGS, most=MAX_NAME)
    subject = _subject(workspace, actor.clearance, kind, subject_id)
    row = TrlAssessment(
        subject_kind=SUBJECTS[kind],
        subject_id=subject["id"],
        trl=trl,
        evidence=why,
        assessor=who,
        user=actor.user,
        at=datetime.now(UTC),
    )
    return append_decision(
        workspace,
        actor,
        row,
        label=Label.of(subject),
        records=[subject["id"]],
        id_key="trl_assessment",
        action="trl_assessment",
        detail={"kind": kind, "trl": trl, "assessor": who, "evidence": why[:500]},
    )


@service("trl.history")
def trl_history(
    workspace: Workspace, actor: Actor, kind: str, subject_id: str, *, delivery: Delivery = SHOWN
) -> list[dict[str, Any]]:
    """The TRL assessments of a project or technology, oldest first; NotFound alike for one `actor` may not read."""
    subject = _subject(workspace, actor.clearance, kind, subject_id)
    table: Table = TrlAssessment.__table__  # type: ignore[assignment]
    statement = (
        select_readable(actor.clearance, workspace.backend, table)
        .where(table.c.subject_kind == SUBJECTS[kind], table.c.subject_id == subject["id"])
        .order_by(table.c.id)
    )
    with workspace.session() as session:
        rows = [dict(row) for row in session.execute(statement).mappings()]
    delivered(workspace, actor, delivery, records=[subject["id"]], detail={"service": "trl history", "kind": kind})
    return [shown(row) for row in rows]


@service("projects.show")
def show_project(workspace: Workspace, actor: Actor, project_id: str, *, delivery: Delivery = SHOWN) -> dict[str, Any]:
    """A project with its gate decisions and TRL assessments; NotFound alike for one `actor` may not read."""
    project = readable_project(workspace, actor.clearance, project_id)
    gates = _history(workspace, actor.clearance, project["id"])
    table: Table = TrlAssessment.__table__  # type: ignore[assignment]
    statement = select_readable(actor.clearance, workspace.backend, table).where(
        table.c.subject_kind == "programme_projects", table.c.subject_id == project["id"]
    )
    with workspace.session() as session:
        trls = [dict(row) for row in session.execute(statement.order_by(table.c.id)).mappings()]
    delivered(workspace, actor, delivery, records=[project["id"]], detail={"service": "project"})
    label = Label.highest(Label.of(row) for row in [project, *gates, *trls])
    return {
        "project": shown(project),
        "gates": [shown(g) for g in gates],
        "trl": [shown(t) for t in trls],
        "latest_trl": trls[-1]["trl"] if trls else None,
        "label": label.shown(),
    }
