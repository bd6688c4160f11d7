"""The shape of a work record shared by every works reader (OpenAlex, CORDIS, ...)."""

from __future__ import annotations

from datetime import date
from typing import Any, TypedDict


class Institution(TypedDict):
    id: str | None
    name: str
    ror: str | None
    country: str | None
    type: str | None


class Author(TypedDict):
    id: str | None
    name: str
    orcid: str | None
    position: str | None
    institutions: list[str]  # institution ids (or names where a source gives no id)
    countries: list[str]


def new_work(id: str, source: str, title: str, **values: Any) -> dict[str, Any]:
    """A complete works row: every column present, so batches insert with one statement."""
    work: dict[str, Any] = {
        "id": id,
        "source": source,
        "title": title,
        "level": "PUBLIC",
        "compartments": [],
        "doi": None,
        "abstract": "",
        "year": None,
        "date": None,
        "type": None,
        "language": None,
        "authors": [],
        "institutions": [],
        "countries": [],
        "cited_by_count": None,
        "citation_percentile": None,
        "is_top10": None,
        "referenced_works": [],
        "topics": [],
        "keywords": [],
        "funders": [],
        "extra": {},
    }
    unknown = set(values) - set(work)
    if unknown:
        raise TypeError(f"not a works column: {', '.join(sorted(unknown))}")
    work.update(values)
    return work


def year_of(value: date | None, year: Any = None) -> int | None:
    if year not in (None, ""):
        return int(year)
    return value.year if value is not None else None


def unique(items: list[str]) -> list[str]:
    return list(dict.fromkeys(item for item in items if item))
