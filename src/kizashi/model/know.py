"""What the think tank collects and knows: needs, seeds, works, threats, technologies."""

from __future__ import annotations

from datetime import date
from typing import Any

from sqlalchemy import Boolean, Date, Float, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from kizashi.model.base import LabelledRecord


class _Statement(LabelledRecord):
    """A need or a seed: a short statement of a capability wanted or offered."""

    __abstract__ = True

    title: Mapped[str] = mapped_column(Text)
    description: Mapped[str] = mapped_column(Text, default="")
    lang: Mapped[str | None] = mapped_column(String(8))
    keywords: Mapped[list[str]] = mapped_column(default=list)
    organization: Mapped[str | None] = mapped_column(Text)
    country: Mapped[str | None] = mapped_column(String(8))
    trl: Mapped[int | None] = mapped_column(Integer)
    threat: Mapped[str | None] = mapped_column(String(200))
    deadline: Mapped[date | None] = mapped_column(Date)
    source: Mapped[str | None] = mapped_column(String(64))
    extra: Mapped[dict[str, Any]] = mapped_column(default=dict)


class Need(_Statement):
    __tablename__ = "needs"


class Seed(_Statement):
    __tablename__ = "seeds"


class Work(LabelledRecord):
    """A paper, patent or funded project. Ids are prefixed by source: `openalex:W…`, `cordis:…`."""

    __tablename__ = "works"

    source: Mapped[str] = mapped_column(String(32))
    doi: Mapped[str | None] = mapped_column(String(300), index=True)
    title: Mapped[str] = mapped_column(Text)
    abstract: Mapped[str] = mapped_column(Text, default="")
    year: Mapped[int | None] = mapped_column(Integer, index=True)
    date: Mapped[date | None] = mapped_column(Date)
    type: Mapped[str | None] = mapped_column(String(64))
    language: Mapped[str | None] = mapped_column(String(8))
    authors: Mapped[list[Any]] = mapped_column(default=list)
    institutions: Mapped[list[Any]] = mapped_column(default=list)
    countries: Mapped[list[str]] = mapped_column(default=list)
    cited_by_count: Mapped[int | None] = mapped_column(Integer)
    citation_percentile: Mapped[float | None] = mapped_column(Float)
    is_top10: Mapped[bool | None] = mapped_column(Boolean)
    referenced_works: Mapped[list[str]] = mapped_column(default=list)
    topics: Mapped[list[str]] = mapped_column(default=list)
    keywords: Mapped[list[str]] = mapped_column(default=list)
    funders: Mapped[list[str]] = mapped_column(default=list)
    extra: Mapped[dict[str, Any]] = mapped_column(default=dict)


class Threat(LabelledRecord):
    __tablename__ = "threats"

    category: Mapped[str] = mapped_column(String(64), index=True)
    name_en: Mapped[str] = mapped_column(Text)
    name_ja: Mapped[str] = mapped_column(Text)
    description_en: Mapped[str] = mapped_column(Text, default="")
    description_ja: Mapped[str] = mapped_column(Text, default="")
    likelihood: Mapped[int | None] = mapped_column(Integer)
    impact: Mapped[int | None] = mapped_column(Integer)
    horizon: Mapped[str | None] = mapped_column(String(16))
    technologies: Mapped[list[str]] = mapped_column(default=list)
    sources: Mapped[list[str]] = mapped_column(default=list)


class Technology(LabelledRecord):
    __tablename__ = "technologies"

    parent: Mapped[str | None] = mapped_column(String(300), index=True)
    name_en: Mapped[str] = mapped_column(Text)
    name_ja: Mapped[str] = mapped_column(Text)
    synonyms_en: Mapped[list[str]] = mapped_column(default=list)
    synonyms_ja: Mapped[list[str]] = mapped_column(default=list)
    # Works' topics or keywords (OpenAlex topics and keywords, CORDIS call topics) that put a work under this
    # technology when one equals them whole, width- and case-folded; scan tagging (know/landscape/tagging.py).
    topics: Mapped[list[str]] = mapped_column(default=list)
    description_en: Mapped[str] = mapped_column(Text, default="")
    description_ja: Mapped[str] = mapped_column(Text, default="")
    sources: Mapped[list[str]] = mapped_column(default=list)
