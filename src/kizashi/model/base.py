"""Declarative base, naming convention and the columns every labelled record shares."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, DateTime, ForeignKey, Integer, MetaData, String, Text, func, text
from sqlalchemy.dialects.postgresql import JSONB
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

from kizashi.policy.labels import DEFAULT_LEVEL

# Constraint names must be stable for Alembic to diff and drop them on both backends.
NAMING = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}

Json = JSON().with_variant(JSONB(), "postgresql")


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING)
    type_annotation_map = {dict[str, Any]: Json, list[Any]: Json, list[str]: Json}  # noqa: RUF012 (SQLAlchemy reads it)


class LabelledRecord(Base):
    """A record that carries an access label and knows which import last wrote it.

    `content_hash` lets a re-import tell an update from an unchanged row without comparing every column.
    """

    __abstract__ = True

    id: Mapped[str] = mapped_column(String(300), primary_key=True)
    level: Mapped[str] = mapped_column(String(16), default=DEFAULT_LEVEL)
    compartments: Mapped[list[str]] = mapped_column(default=list)
    # TLP 2.0 (kizashi/policy): the marking, the organisation that shared the record, and those it may go to.
    tlp: Mapped[str | None] = mapped_column(String(16))
    tlp_owner: Mapped[str | None] = mapped_column(Text)
    tlp_recipients: Mapped[list[str]] = mapped_column(default=list, server_default=text("'[]'"))
    content_hash: Mapped[str] = mapped_column(String(32))
    import_id: Mapped[int | None] = mapped_column(Integer, ForeignKey("imports.id"), index=True)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())
    updated_at: Mapped[datetime] = mapped_column(
        DateTime(timezone=True), server_default=func.now(), onupdate=func.now()
    )


class CopiedLabel:
    """The label columns of `LabelledRecord`, for rows that copy the label of the record they are about (decisions,
    reviews, stored proposals): written with `policy.label_columns`, read through kizashi.store.readable."""

    level: Mapped[str] = mapped_column(String(16))
    compartments: Mapped[list[str]] = mapped_column(default=list)
    tlp: Mapped[str | None] = mapped_column(String(16))
    tlp_owner: Mapped[str | None] = mapped_column(Text)
    tlp_recipients: Mapped[list[str]] = mapped_column(default=list, server_default=text("'[]'"))
