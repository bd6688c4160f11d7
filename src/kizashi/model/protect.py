"""What protects the records: the tamper-evident audit trail."""

from __future__ import annotations

from typing import Any

from sqlalchemy import Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from kizashi.model.base import Base


class AuditEvent(Base):
    """One event of the audit trail, chained to the one before it by hash (protect/audit.py).

    `at` is kept as the exact text that was hashed, so no backend's timestamp handling can change a hash.
    `prev_hash` is unique: two writers can never both extend the chain from the same event.
    `mac` is the HMAC of `hash` under the audit key, kept outside the store (kizashi.store.audit_key): None for an
    event written before the workspace had a key, until `kizashi audit key backfill` seals it.
    """

    __tablename__ = "audit_events"

    seq: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    at: Mapped[str] = mapped_column(String(40))
    actor: Mapped[str] = mapped_column(String(200), index=True)
    action: Mapped[str] = mapped_column(String(40), index=True)
    records: Mapped[list[str]] = mapped_column()
    detail: Mapped[dict[str, Any]] = mapped_column()
    origin: Mapped[str | None] = mapped_column(String(200))
    prev_hash: Mapped[str] = mapped_column(String(64), unique=True)
    hash: Mapped[str] = mapped_column(String(64), unique=True)
    mac: Mapped[str | None] = mapped_column(String(64))
