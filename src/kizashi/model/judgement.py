"""Analysts' judgements of proposed need–seed matches: append-only, and labelled like the pair they judge."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import DateTime, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from kizashi.model.base import Base, CopiedLabel


class MatchJudgement(CopiedLabel, Base):
    """One decision on one proposal. Never updated: a changed mind is a newer row, and the latest one counts.

    The label columns hold the higher label of the need and the seed at the time, so the access policy's filter
    applies to judgements as to any record: who may not read both may not read the judgement.
    """

    __tablename__ = "match_judgements"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    need_id: Mapped[str] = mapped_column(String(300), index=True)
    seed_id: Mapped[str] = mapped_column(String(300), index=True)
    decision: Mapped[str] = mapped_column(String(16))
    comment: Mapped[str] = mapped_column(Text, default="")
    score: Mapped[float | None] = mapped_column()
    user: Mapped[str] = mapped_column(String(200))
    at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
