"""Release review and the deemed-export questionnaire: append-only rows, each labelled like the record it is about.

Nothing here is ever updated. A review's state is the `to_state` of its latest transition (protect/release), and a
person's deemed-export standing on a project is their latest answer; earlier rows stay as the record of who said what
when. The label columns let the access policy's filter (`kizashi.policy.sql.readable`) apply to these rows directly.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import Date, DateTime, ForeignKey, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from kizashi.model.base import Base, CopiedLabel


class ReleaseReview(CopiedLabel, Base):
    """One review of one work or seed for release, from its first submission to a final decision.

    A record has at most one open review; after a final decision a revised record starts a new one. `number` counts
    a record's reviews; (record_kind, record_id, number) is unique, so two first submissions at once open one review.
    """

    __tablename__ = "release_reviews"
    __table_args__ = (UniqueConstraint("record_kind", "record_id", "number", name="uq_release_reviews_record_number"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    record_kind: Mapped[str] = mapped_column(String(16))
    record_id: Mapped[str] = mapped_column(String(300), index=True)
    number: Mapped[int] = mapped_column(Integer)
    created_by: Mapped[str] = mapped_column(String(200))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))


class ReleaseTransition(CopiedLabel, Base):
    """One step of a review: who moved it from which state to which, acting in which role, and why.

    `seq` numbers a review's steps; (review_id, seq) is unique, so of two reviewers acting on the same state at once
    one fails and sees the other's step (no decision is ever taken on a state that has already moved on).
    A submission carries its `routing`: the funding, the sensitivity and the roles that must approve.
    """

    __tablename__ = "release_transitions"
    __table_args__ = (UniqueConstraint("review_id", "seq", name="uq_release_transitions_review_seq"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    review_id: Mapped[int] = mapped_column(Integer, ForeignKey("release_reviews.id"), index=True)
    seq: Mapped[int] = mapped_column(Integer)
    action: Mapped[str] = mapped_column(String(32))
    from_state: Mapped[str] = mapped_column(String(32))
    to_state: Mapped[str] = mapped_column(String(32))
    role: Mapped[str | None] = mapped_column(String(40))
    user: Mapped[str] = mapped_column(String(200))
    at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    comment: Mapped[str] = mapped_column(Text, default="")
    routing: Mapped[dict[str, Any] | None] = mapped_column()


class DeemedExportAnswer(CopiedLabel, Base):
    """One person's answer to the deemed-export questionnaire for one project (the 2022 specific categories).

    `categories` holds those that apply (empty: none does); the latest answer of a person on a project counts.
    """

    __tablename__ = "deemed_export_answers"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    project_kind: Mapped[str] = mapped_column(String(16))
    project_id: Mapped[str] = mapped_column(String(300), index=True)
    person: Mapped[str] = mapped_column(String(200), index=True)
    categories: Mapped[list[str]] = mapped_column(default=list)
    answered_by: Mapped[str] = mapped_column(String(200))
    answered_on: Mapped[date] = mapped_column(Date)
    evidence: Mapped[str] = mapped_column(Text, default="")
    recorded_by: Mapped[str] = mapped_column(String(200))
    at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
