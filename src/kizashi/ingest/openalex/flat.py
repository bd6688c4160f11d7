"""An OpenAlex work from the flattened CSV export, with its repr-encoded institutions.

The flattened CSV has OpenAlex's fields flattened with `.` and multi-valued fields joined with `|`; its
`authorships.institutions` holds Python-repr dicts.
"""

from __future__ import annotations

import ast
from pathlib import Path
from typing import Any

import orjson

from kizashi.errors import InputError
from kizashi.ingest.openalex.fields import (
    ID_PREFIX,
    SOURCE,
    Bad,
    abstract,
    bare_doi,
    boolean,
    cited_by_year,
    day,
    extra,
    integer,
    kind,
    number,
    text,
)
from kizashi.ingest.works import Author, Institution, new_work
from kizashi.messages import Message

_CSV_ID_COLUMNS = ("id", "ids.openalex")
_CSV_NULLS = frozenset(("", "None", "nan", "NaN", "null"))


class FlatReader:
    """Extraction of flattened CSV rows, with what repeats across rows parsed once (institution dicts)."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.checked = False
        self.institutions: dict[str, Institution | None] = {}  # a repr dict's text → its institution

    def __call__(self, values: dict[str, Any]) -> dict[str, Any]:
        if not self.checked:
            if not any(column in values for column in _CSV_ID_COLUMNS):
                raise InputError(
                    Message("missing required column: id (or ids.openalex)"), file=self.path, row=1, field="id"
                )
            self.checked = True
        return _flat_work(values, self.institutions)


# ── the flattened CSV ────────────────────────────────────────────────────────────────────────────────────


def _cell(values: dict[str, Any], name: str) -> str | None:
    value = values.get(name)
    if value is None:
        return None
    text = str(value).strip()
    return None if text in _CSV_NULLS else text


def _cells(values: dict[str, Any], name: str) -> list[str | None]:
    """A `|`-separated cell as its items, nulls (`None`, `nan`, empty) as None; an empty cell gives []."""
    value = values.get(name)
    if value is None:
        return []
    text = str(value).strip()
    if not text:
        return []
    return [None if item in _CSV_NULLS else item for item in (part.strip() for part in text.split("|"))]


def _present(items: list[str | None]) -> list[str]:
    return list(dict.fromkeys(item for item in items if item))


def _flat_work(values: dict[str, Any], parsed_institutions: dict[str, Institution | None]) -> dict[str, Any]:
    raw_id = _cell(values, "id") or _cell(values, "ids.openalex")
    if raw_id is None:
        raise Bad("id", Message("required value is missing"))
    title = _cell(values, "title") or _cell(values, "display_name") or ""
    doi = _cell(values, "doi") or _cell(values, "ids.doi")
    published = day(_cell(values, "publication_date"), "publication_date")
    year = integer(_cell(values, "publication_year"), "publication_year")
    if year is None and published is not None:
        year = published.year
    abstract = _cell(values, "abstract") or ""
    if not abstract:
        abstract = _flat_abstract(_cell(values, "abstract_inverted_index"))
    authors, institutions, countries = _flat_authorships(values, parsed_institutions)
    topics = _present(_cells(values, "topics.display_name")) or _flat_concepts(values)
    funders = _present(
        _cells(values, "grants.funder_display_name")
        + _cells(values, "funders.display_name")
        + _cells(values, "awards.funder_display_name")
    )
    kept = extra(
        _cell(values, "primary_location.source.display_name"),
        number(_cell(values, "fwci"), "fwci"),
        _cell(values, "updated_date"),
        cited_by_year(
            _cells(values, "counts_by_year.year"), _cells(values, "counts_by_year.cited_by_count"), "counts_by_year"
        ),
    )
    return new_work(
        ID_PREFIX + raw_id.rpartition("/")[2],
        SOURCE,
        title,
        doi=bare_doi(doi) if doi else None,
        abstract=abstract,
        year=year,
        date=published,
        type=_cell(values, "type"),
        language=_cell(values, "language"),
        authors=authors,
        institutions=institutions,
        countries=countries,
        cited_by_count=integer(_cell(values, "cited_by_count"), "cited_by_count"),
        citation_percentile=number(
            _cell(values, "citation_normalized_percentile.value"), "citation_normalized_percentile.value"
        ),
        is_top10=boolean(
            _cell(values, "citation_normalized_percentile.is_in_top_10_percent"),
            "citation_normalized_percentile.is_in_top_10_percent",
        ),
        referenced_works=[item.rpartition("/")[2] for item in _present(_cells(values, "referenced_works"))],
        topics=topics,
        keywords=_present(_cells(values, "keywords.display_name")),
        funders=funders,
        extra=kept,
    )


def _flat_abstract(cell: str | None) -> str:
    """An `abstract_inverted_index` column, where an export carries one as JSON."""
    if cell is None:
        return ""
    try:
        index = orjson.loads(cell)
    except orjson.JSONDecodeError:
        raise Bad("abstract_inverted_index", Message("expected the inverted index as JSON")) from None
    try:
        return abstract(index)
    except Bad as bad:
        raise bad.within("abstract_inverted_index") from None


def _flat_concepts(values: dict[str, Any]) -> list[str]:
    names = _cells(values, "concepts.display_name")
    scores = _cells(values, "concepts.score")
    if len(scores) != len(names):
        return _present(names)
    kept: list[str | None] = []
    for name, score in zip(names, scores, strict=True):
        value = number(score, "concepts.score")
        if value is None or value > 0:
            kept.append(name)
    return _present(kept)


def _flat_authorships(
    values: dict[str, Any], parsed_institutions: dict[str, Institution | None]
) -> tuple[list[Author], list[Institution], list[str]]:
    """Authors, institutions and countries of a flattened row.

    The flattening joined each author's institutions (and countries) with `|`, then the authors with `|`, so
    an author's own institutions are known only where the items line up one per author; otherwise the authors
    keep empty lists and the work-level institutions and countries (which are exact) carry them.
    """
    ids = _cells(values, "authorships.author.id")
    names = _cells(values, "authorships.author.display_name")
    raw_names = _cells(values, "authorships.raw_author_name")
    orcids = _cells(values, "authorships.author.orcid")
    positions = _cells(values, "authorships.author_position")
    count = max(len(ids), len(names), len(positions))

    per_entry = _flat_institutions(values, parsed_institutions)
    institutions: dict[str, Institution] = {}
    countries: dict[str, None] = {}
    entry_keys: list[list[str]] = []
    for entry in per_entry:
        keys = []
        for institution in entry:
            key = institution["id"] or institution["name"]
            institutions.setdefault(key, institution)
            keys.append(key)
            if institution["country"]:
                countries[institution["country"]] = None
        entry_keys.append(keys)
    country_cells = [code.upper() if code else None for code in _cells(values, "authorships.countries")]
    for code in country_cells:
        if code:
            countries[code] = None
    aligned_institutions = len(entry_keys) == count
    aligned_countries = len(country_cells) == count

    authors: list[Author] = []
    for index in range(count):
        author_id = _at(ids, index)
        orcid = _at(orcids, index)
        country = country_cells[index] if aligned_countries else None
        authors.append(
            {
                "id": author_id.rpartition("/")[2] if author_id else None,
                "name": _at(names, index) or _at(raw_names, index) or "",
                "orcid": orcid.rpartition("/")[2] if orcid else None,
                "position": _at(positions, index),
                "institutions": entry_keys[index] if aligned_institutions else [],
                "countries": [country] if country else [],
            }
        )
    return authors, list(institutions.values()), list(countries)


def _at(items: list[str | None], index: int) -> str | None:
    return items[index] if index < len(items) else None


def _flat_institutions(values: dict[str, Any], parsed: dict[str, Institution | None]) -> list[list[Institution]]:
    """The institutions of each `|`-separated entry: from the repr-dict column, or from per-key columns."""
    cell = values.get("authorships.institutions")
    if cell is not None and str(cell).strip():
        return [[] if item is None else [item] for item in _repr_institutions(str(cell).strip(), parsed)]
    ids = _cells(values, "authorships.institutions.id")
    names = _cells(values, "authorships.institutions.display_name")
    if not ids and not names:
        return []
    rors = _cells(values, "authorships.institutions.ror")
    codes = _cells(values, "authorships.institutions.country_code")
    kinds = _cells(values, "authorships.institutions.type")
    entries: list[list[Institution]] = []
    for index in range(max(len(ids), len(names))):
        raw_id, name = _at(ids, index), _at(names, index)
        if raw_id is None and name is None:
            entries.append([])
            continue
        ror, code = _at(rors, index), _at(codes, index)
        entries.append(
            [
                {
                    "id": raw_id.rpartition("/")[2] if raw_id else None,
                    "name": name or "",
                    "ror": ror.rpartition("/")[2] if ror else None,
                    "country": code.upper() if code else None,
                    "type": _at(kinds, index),
                }
            ]
        )
    return entries


def _repr_institutions(cell: str, parsed: dict[str, Institution | None]) -> list[Institution | None]:
    pieces = cell.split("|")
    if not all(_whole_piece(piece) for piece in pieces):
        pieces = _split_outside_quotes(cell)
    result: list[Institution | None] = []
    for position, piece in enumerate(pieces):
        piece = piece.strip()
        if piece in _CSV_NULLS:
            result.append(None)
            continue
        if piece not in parsed:
            parsed[piece] = _repr_institution(piece, position)
        result.append(parsed[piece])
    return result


def _whole_piece(piece: str) -> bool:
    piece = piece.strip()
    return piece in _CSV_NULLS or (piece.startswith("{") and piece.endswith("}"))


def _split_outside_quotes(cell: str) -> list[str]:
    """Split on `|` outside quotes and brackets (a `|` inside an institution's name)."""
    pieces: list[str] = []
    depth = 0
    quote = ""
    escaped = False
    start = 0
    for index, char in enumerate(cell):
        if quote:
            if escaped:
                escaped = False
            elif char == "\\":
                escaped = True
            elif char == quote:
                quote = ""
        elif char in "'\"":
            quote = char
        elif char in "{[(":
            depth += 1
        elif char in "}])":
            depth -= 1
        elif char == "|" and depth == 0:
            pieces.append(cell[start:index])
            start = index + 1
    pieces.append(cell[start:])
    return pieces


def _repr_institution(piece: str, position: int) -> Institution | None:
    field = f"authorships.institutions[{position}]"
    try:
        value = ast.literal_eval(piece)
    except (ValueError, SyntaxError, MemoryError, RecursionError):
        raise Bad(
            field, Message("expected an institution as a Python dict, found {found}", found=repr(piece[:60]))
        ) from None
    if value is None:
        return None
    if type(value) is not dict:
        raise Bad(field, Message("expected an institution as a Python dict, found {found}", found=kind(value)))
    get = value.get
    raw_id = text(get("id"), f"{field}.id")
    name = text(get("display_name"), f"{field}.display_name")
    if raw_id is None and name is None:
        return None
    ror = text(get("ror"), f"{field}.ror")
    country = text(get("country_code"), f"{field}.country_code")
    return {
        "id": raw_id.rpartition("/")[2] if raw_id else None,
        "name": name or "",
        "ror": ror.rpartition("/")[2] if ror else None,
        "country": country.upper() if country else None,
        "type": text(get("type"), f"{field}.type"),
    }
