"""Bookkeeping tables of the store itself."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import DateTime, Integer, String, Text, func
from sqlalchemy.orm import Mapped, mapped_column

from kizashi.model.base import Base


class Import(Base):
    """One committed ingest run. Written in the same transaction as its records, so its presence means they landed."""

    __tablename__ = "imports"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    kind: Mapped[str] = mapped_column(String(32))
    files: Mapped[list[str]] = mapped_column()
    counts: Mapped[dict[str, Any]] = mapped_column()
    user: Mapped[str | None] = mapped_column(String(200))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())


class WorkspaceFact(Base):
    """What a workspace records about itself, as key and value: its `owner` (the operating-system login that ran
    `kizashi init`, who operates it while it has no users)."""

    __tablename__ = "workspace_facts"

    key: Mapped[str] = mapped_column(String(64), primary_key=True)
    value: Mapped[str] = mapped_column(Text)
