"""Stored match runs: what `kizashi match --save` proposed, so that a workshop discusses the same list everyone saw.

A run is written once and never updated. Each proposal keeps the higher label of its need and seed (as a judgement
does), so the access policy's filter applies to proposals directly; a run is only as visible as its proposals.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import DateTime, Float, ForeignKey, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from kizashi.model.base import Base, CopiedLabel


class MatchRun(Base):
    """One matching over the needs and seeds its author could read, with the settings it ran with.

    `needs` and `seeds` count what the author matched; they are never shown to other readers, who may see fewer.
    """

    __tablename__ = "match_runs"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    user: Mapped[str] = mapped_column(String(200))
    settings: Mapped[dict[str, Any]] = mapped_column()
    needs: Mapped[int] = mapped_column(Integer)
    seeds: Mapped[int] = mapped_column(Integer)


class MatchProposal(CopiedLabel, Base):
    """One proposed seed for one need in one run, with its rank, score and evidence as the matcher gave them."""

    __tablename__ = "match_proposals"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    run_id: Mapped[int] = mapped_column(Integer, ForeignKey("match_runs.id"), index=True)
    need_id: Mapped[str] = mapped_column(String(300), index=True)
    seed_id: Mapped[str] = mapped_column(String(300))
    rank: Mapped[int] = mapped_column(Integer)
    score: Mapped[float] = mapped_column(Float)
    evidence: Mapped[dict[str, Any]] = mapped_column()
