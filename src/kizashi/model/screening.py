"""Partner screening in a workspace: the lists loaded there, version by version, and the officers' decisions.

Lists are public reference data: their rows carry no label. A list version is never updated or deleted; a newer
load of the same list is a new version beside it, and screening uses the newest. Decisions are append-only and
labelled (INTERNAL), so the access policy's filter applies to them as to any record.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import DateTime, ForeignKey, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from kizashi.model.base import Base, CopiedLabel


class ScreeningListVersion(Base):
    """One load of one list: what it was (format, name, the date it states, checksum) and who loaded it when."""

    __tablename__ = "screening_list_versions"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    list_name: Mapped[str] = mapped_column(String(200), index=True)
    source: Mapped[str] = mapped_column(String(32))
    date: Mapped[str] = mapped_column(String(32))
    sha256: Mapped[str] = mapped_column(String(64))
    file: Mapped[str] = mapped_column(Text)  # the file or folder name it was read from (not the full path)
    entries: Mapped[int] = mapped_column(Integer)
    loaded_by: Mapped[str] = mapped_column(String(200))
    loaded_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))


class ScreeningEntry(Base):
    """One entry (a person, organisation, vessel or aircraft) of one list version, with its aliases."""

    __tablename__ = "screening_entries"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    version_id: Mapped[int] = mapped_column(Integer, ForeignKey("screening_list_versions.id"), index=True)
    list_name: Mapped[str] = mapped_column(String(200))
    entry_id: Mapped[str] = mapped_column(String(300))
    name: Mapped[str] = mapped_column(Text)
    aliases: Mapped[list[str]] = mapped_column(default=list)
    type: Mapped[str | None] = mapped_column(String(16))
    countries: Mapped[list[str]] = mapped_column(default=list)
    program: Mapped[str | None] = mapped_column(Text)


class ScreeningDecision(CopiedLabel, Base):
    """An officer's decision on one alert: this screened name against this list entry. Never updated: a changed
    mind is a newer row, and the latest counts.

    Keyed by the normalised name screened, the entry's list and its id, so a later screening of the same name finds
    the decision whichever list version it ran against; `version_id` records the version it was made on.
    """

    __tablename__ = "screening_decisions"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    party_key: Mapped[str] = mapped_column(String(500), index=True)
    party_name: Mapped[str] = mapped_column(Text)
    entry_list: Mapped[str] = mapped_column(String(200))
    entry_id: Mapped[str] = mapped_column(String(300))
    version_id: Mapped[int | None] = mapped_column(Integer)
    decision: Mapped[str] = mapped_column(String(16))
    reason: Mapped[str] = mapped_column(Text)
    user: Mapped[str] = mapped_column(String(200))
    at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
