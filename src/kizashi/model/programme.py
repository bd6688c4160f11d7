"""Programmes (grow, issue #17): goals set against threats, the Heilmeier proposals under them, projects, their stage
gate decisions and TRL assessments, and the barriers that keep a finished technology from being used.

Goals, proposals, projects and barriers are labelled records. A proposal and a project are also about their goal
(store/readable.py `DERIVED`): whoever may not read the goal reads nothing under it. Gate decisions and TRL
assessments are append-only rows copying the label of what they are about (`CopiedLabel`), never updated: the latest
counts, the earlier ones are the history.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import CheckConstraint, Date, DateTime, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from kizashi.model.base import Base, CopiedLabel, LabelledRecord


class Goal(LabelledRecord):
    """What a programme is for: the threats (ids in the threat register) it answers, the capability needed, by when,
    and a measurable target for use in society."""

    __tablename__ = "goals"

    title_ja: Mapped[str] = mapped_column(Text)
    title_en: Mapped[str] = mapped_column(Text, default="")
    threats: Mapped[list[str]] = mapped_column(default=list)
    capability: Mapped[str] = mapped_column(Text)
    target_date: Mapped[date] = mapped_column(Date)
    target: Mapped[str] = mapped_column(Text)
    created_by: Mapped[str] = mapped_column(String(200))


class GoalProposal(LabelledRecord):
    """A proposal under a goal, answering the Heilmeier questions."""

    __tablename__ = "goal_proposals"

    goal_id: Mapped[str] = mapped_column(String(300), index=True)
    title: Mapped[str] = mapped_column(Text)
    what: Mapped[str] = mapped_column(Text)  # what are you trying to do, without jargon
    today: Mapped[str] = mapped_column(Text)  # how is it done today, and the limits of current practice
    new: Mapped[str] = mapped_column(Text)  # what is new in the approach, and why it will succeed
    who_cares: Mapped[str] = mapped_column(Text)  # who cares; if it succeeds, what difference it makes
    risks: Mapped[str] = mapped_column(Text)
    cost: Mapped[str] = mapped_column(Text)
    time: Mapped[str] = mapped_column(Text)
    midterm_exam: Mapped[str] = mapped_column(Text)  # the mid-term check of success
    final_exam: Mapped[str] = mapped_column(Text)
    created_by: Mapped[str] = mapped_column(String(200))


class ProgrammeProject(LabelledRecord):
    """A project under a goal, led by a programme manager; `status` follows its gate decisions (grow/gates.py)."""

    __tablename__ = "programme_projects"

    goal_id: Mapped[str] = mapped_column(String(300), index=True)
    title: Mapped[str] = mapped_column(Text)
    manager: Mapped[str] = mapped_column(String(200))
    status: Mapped[str] = mapped_column(String(16))
    budget: Mapped[dict[str, Any]] = mapped_column(default=dict)  # {"2027": 30.0, ...}; empty: none given
    created_by: Mapped[str] = mapped_column(String(200))


class GateDecision(CopiedLabel, Base):
    """One stage-gate decision on a project: go, kill, hold or recycle, the a/b/c ratings for "target achieved" and
    "outlook for the final target", each must-meet and should-meet criterion with whether it was met, the reviewers
    and the reasons. Never updated."""

    __tablename__ = "gate_decisions"
    __table_args__ = (
        CheckConstraint("decision IN ('go', 'kill', 'hold', 'recycle')", name="decision"),
        CheckConstraint("achieved IN ('a', 'b', 'c') AND outlook IN ('a', 'b', 'c')", name="ratings"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    project_id: Mapped[str] = mapped_column(String(300), index=True)
    gate: Mapped[str] = mapped_column(String(100))
    decision: Mapped[str] = mapped_column(String(16))
    achieved: Mapped[str] = mapped_column(String(1))
    outlook: Mapped[str] = mapped_column(String(1))
    must_meet: Mapped[list[Any]] = mapped_column(default=list)  # [{"criterion": ..., "met": bool}]
    should_meet: Mapped[list[Any]] = mapped_column(default=list)
    reviewers: Mapped[list[str]] = mapped_column(default=list)
    reason: Mapped[str] = mapped_column(Text)
    user: Mapped[str] = mapped_column(String(200))
    at: Mapped[datetime] = mapped_column(DateTime(timezone=True))


class TrlAssessment(CopiedLabel, Base):
    """One assessment of a project's or a technology's technology readiness level (NASA/EU TRL 1–9), with its
    evidence and assessor. Never updated; the latest counts."""

    __tablename__ = "trl_assessments"
    __table_args__ = (CheckConstraint("trl BETWEEN 1 AND 9", name="trl"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    subject_kind: Mapped[str] = mapped_column(String(32))  # the table: programme_projects or technologies
    subject_id: Mapped[str] = mapped_column(String(300), index=True)
    trl: Mapped[int] = mapped_column(Integer)
    evidence: Mapped[str] = mapped_column(Text)
    assessor: Mapped[str] = mapped_column(String(200))
    user: Mapped[str] = mapped_column(String(200))
    at: Mapped[datetime] = mapped_column(DateTime(timezone=True))


class Barrier(LabelledRecord):
    """What keeps a finished technology from being used: its kind, who owns removing it, the roadmap items it blocks,
    and, once removed, the action that removed it."""

    __tablename__ = "barriers"
    __table_args__ = (CheckConstraint("status IN ('open', 'removed')", name="status"),)

    title: Mapped[str] = mapped_column(Text)
    kind: Mapped[str] = mapped_column(String(32))
    owner: Mapped[str] = mapped_column(Text)
    status: Mapped[str] = mapped_column(String(16))
    blocks: Mapped[list[str]] = mapped_column(default=list)  # roadmap item ids
    action: Mapped[str] = mapped_column(Text, default="")  # the action that removes (removed) it
    created_by: Mapped[str] = mapped_column(String(200))
    removed_by: Mapped[str | None] = mapped_column(String(200))
    removed_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))


class Roadmap(LabelledRecord):
    """A layered roadmap (grow/roadmap_model.py): `body` is its document as the YAML/XLSX gives it, validated; the
    id is the roadmap's own. Every change is a new revision (`RoadmapRevision`) and `revision` counts them."""

    __tablename__ = "roadmaps"

    title_ja: Mapped[str] = mapped_column(Text, default="")
    title_en: Mapped[str] = mapped_column(Text, default="")
    goal_id: Mapped[str | None] = mapped_column(String(300), index=True)
    body: Mapped[dict[str, Any]] = mapped_column(default=dict)
    revision: Mapped[int] = mapped_column(Integer, default=1)
    created_by: Mapped[str] = mapped_column(String(200))
    updated_by: Mapped[str] = mapped_column(String(200))


class RoadmapRevision(CopiedLabel, Base):
    """One stored revision of a roadmap, never updated: who changed it, when, why, and the whole document then."""

    __tablename__ = "roadmap_revisions"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    roadmap_id: Mapped[str] = mapped_column(String(300), index=True)
    revision: Mapped[int] = mapped_column(Integer)
    body: Mapped[dict[str, Any]] = mapped_column(default=dict)
    note: Mapped[str] = mapped_column(Text, default="")
    user: Mapped[str] = mapped_column(String(200))
    at: Mapped[datetime] = mapped_column(DateTime(timezone=True))


class PortfolioRun(LabelledRecord):
    """A portfolio optimisation kept: the problem as the file gave it and the result (chosen, value, spent, binding,
    next_unit), labelled so the access policy applies to both."""

    __tablename__ = "portfolio_runs"

    title: Mapped[str] = mapped_column(Text, default="")
    goal_id: Mapped[str | None] = mapped_column(String(300), index=True)
    problem: Mapped[dict[str, Any]] = mapped_column(default=dict)
    result: Mapped[dict[str, Any]] = mapped_column(default=dict)
    created_by: Mapped[str] = mapped_column(String(200))
