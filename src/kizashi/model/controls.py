"""Export-control classification decisions (該非判定) on technologies: append-only, labelled like their item."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import DateTime, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from kizashi.model.base import Base, CopiedLabel


class ControlDecision(CopiedLabel, Base):
    """A person's decision on whether one record (a seed, work or technology) is on a control list.

    Never updated: a revised decision is a newer row, and the latest counts. The label columns hold the item's
    label at the time, so the access policy's filter applies: who may not read the item may not read its decision.
    """

    __tablename__ = "control_decisions"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    item_kind: Mapped[str] = mapped_column(String(16))
    item_id: Mapped[str] = mapped_column(String(300), index=True)
    decision: Mapped[str] = mapped_column(String(32))
    control_list: Mapped[str | None] = mapped_column(String(64))
    code: Mapped[str | None] = mapped_column(String(64))
    reason: Mapped[str] = mapped_column(Text)
    user: Mapped[str] = mapped_column(String(200))
    at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
