"""Stored landscape scans: what `kizashi scan` computed, with its parameters, so that the web shows it and the next
scan can tell which research fronts are new, continued, split or merged.

A scan is written once and never updated. It carries the highest label of the records it used, so it is read only by
those who could read all of them (a derived product takes the highest label of its inputs).
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import Boolean, DateTime, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from kizashi.model.base import Base, CopiedLabel


class LandscapeScan(CopiedLabel, Base):
    __tablename__ = "landscape_scans"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    user: Mapped[str] = mapped_column(String(200))
    parameters: Mapped[dict[str, Any]] = mapped_column()
    engine: Mapped[str] = mapped_column(String(16))
    fingerprint: Mapped[str] = mapped_column(String(64))
    public: Mapped[bool] = mapped_column(Boolean, index=True)
    works: Mapped[int] = mapped_column(Integer)
    # The output tables (tables.COLUMNS) but front_works, which is `fronts`: front id → its work ids.
    tables: Mapped[dict[str, Any]] = mapped_column()
    fronts: Mapped[dict[str, Any]] = mapped_column()
