"""OpenAlex works: the native records (API pages, the snapshot's JSON lines) and the flattened CSV export.

Native records are read as OpenAlex gives them: a `.jsonl`/`.ndjson` file with one work per line (the
snapshot, usually gzipped) or a `.json` file holding one work, a bare array or an API page
(`{"meta": ..., "results": [...]}`). The flattened CSV has OpenAlex's fields flattened with `.` and
multi-valued fields joined with `|`; its `authorships.institutions` holds Python-repr dicts.

Every work becomes a works row (`new_work`), level PUBLIC, id `openalex:W…`. Identifiers are stored short:
works `W…`, authors `A…`, institutions `I…`; DOIs lower-cased without their resolver; ORCID iDs and ROR ids
without their URL prefix. A value of the wrong type raises RowError naming the file, the row (JSON lines: the
line; JSON array: the position, from 1; CSV: the line) and the field as a dotted path
(`authorships[2].institutions`).

The native path is the hot path of large imports: a handful of typed extraction functions, each field looked
up once, no validation framework per work, and the abstract rebuilt from its inverted index in linear time.
"""

from __future__ import annotations

import ast
from collections.abc import Callable, Iterator
from datetime import date
from pathlib import Path
from typing import Any, NoReturn

import orjson

from kizashi.errors import InputError
from kizashi.ingest.loader import Parsed
from kizashi.ingest.records import PerRow, RowError
from kizashi.ingest.tabular import Row, iter_rows
from kizashi.ingest.works import Author, Institution, new_work

SOURCE = "openalex"
ID_PREFIX = "openalex:"
OPENALEX_PREFIX = "https://openalex.org/"

_DOI_PREFIXES = ("https://doi.org/", "http://doi.org/", "https://dx.doi.org/", "http://dx.doi.org/", "doi:")
_CSV_ID_COLUMNS = ("id", "ids.openalex")
_CSV_MARKERS = ("ids.openalex", "authorships.author.display_name", "authorships.author.id")
_CSV_NULLS = frozenset(("", "None", "nan", "NaN", "null"))
_TRUE = frozenset(("true", "1", "yes"))
_FALSE = frozenset(("false", "0", "no"))


class _Bad(Exception):
    """A field of the wrong type or shape; turned into RowError (with file and row) at the reader's loop."""

    def __init__(self, field: str, message: str) -> None:
        super().__init__(message)
        self.field = field
        self.message = message

    def within(self, prefix: str) -> _Bad:
        """The same problem, its field prefixed by the enclosing one (`authorships[2]` + `institutions`)."""
        if not self.field:
            field = prefix
        elif self.field.startswith("["):
            field = prefix + self.field
        else:
            field = f"{prefix}.{self.field}"
        return _Bad(field, self.message)


# ── public API ──────────────────────────────────────────────────────────────────────────────────────────────


def is_openalex_csv(header: list[str]) -> bool:
    """A flattened OpenAlex works CSV: `ids.openalex`, or `id` beside the flattened authorships columns."""
    columns = set(header)
    if "ids.openalex" in columns:
        return True
    return "id" in columns and any(marker in columns for marker in _CSV_MARKERS)


def read_openalex_json(path: Path) -> Iterator[Parsed]:
    """Works from native OpenAlex records: JSON lines (the snapshot) or JSON (work, array or API page).

    A record of the wrong shape raises RowError for its row, and the iterator goes on with the next row when
    asked again (as records.PerRow does). A structurally broken file raises InputError.
    """
    return _per_row(iter_rows(path), _native_work)


def read_openalex_csv(path: Path) -> Iterator[Parsed]:
    """Works from the flattened OpenAlex CSV (fields flattened with `.`, multi-valued ones `|`-separated).

    Errors as for `read_openalex_json`; a file without an `id` (or `ids.openalex`) column raises InputError.
    """
    return _per_row(iter_rows(path), _FlatReader(path))


def _per_row(rows: Iterator[Row], extract: Callable[[dict[str, Any]], dict[str, Any]]) -> Iterator[Parsed]:
    """`(work, row)` pairs; a bad row raises RowError naming its field, and iteration goes on after it."""

    def convert(row: Row) -> dict[str, Any]:
        try:
            return extract(row.values)
        except _Bad as bad:
            raise RowError(bad.message, file=row.file, row=row.number, field=bad.field) from None

    return PerRow(rows, convert)


class _FlatReader:
    """Extraction of flattened CSV rows, with what repeats across rows parsed once (institution dicts)."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.checked = False
        self.institutions: dict[str, Institution | None] = {}  # a repr dict's text → its institution

    def __call__(self, values: dict[str, Any]) -> dict[str, Any]:
        if not self.checked:
            if not any(column in values for column in _CSV_ID_COLUMNS):
                raise InputError("missing required column: id (or ids.openalex)", file=self.path, row=1, field="id")
            self.checked = True
        return _flat_work(values, self.institutions)


def rebuild_abstract(index: Any) -> str:
    """The plain text of an `abstract_inverted_index` (word → positions): the words in position order.

    Words are joined by one space; gaps in the positions are skipped; None or an empty index gives "".
    Linear in the number of positions. Raises ValueError naming the word when the index is not a mapping
    of words to lists of non-negative whole numbers.
    """
    try:
        return _abstract(index)
    except _Bad as bad:
        raise ValueError(f"abstract_inverted_index{bad.field}: {bad.message}") from None


def bare_doi(value: str) -> str | None:
    """A DOI lower-cased without its resolver (`https://doi.org/10.1/X` → `10.1/x`); None if empty."""
    doi = value.strip().lower()
    if doi.startswith("https://doi.org/"):
        doi = doi[16:]
    else:
        for prefix in _DOI_PREFIXES:
            if doi.startswith(prefix):
                doi = doi[len(prefix) :]
                break
    return doi.strip() or None


# ── typed extraction of native values ────────────────────────────────────────────────────────────────────


def _kind(value: Any) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "a boolean"
    if isinstance(value, int | float):
        return f"a number ({value!r})"
    if isinstance(value, str):
        return f"text ({value[:40]!r})"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, dict):
        return "an object"
    return type(value).__name__


def _text(value: Any, field: str) -> str | None:
    if value is None:
        return None
    if type(value) is str:
        return value.strip() or None
    raise _Bad(field, f"expected text, found {_kind(value)}")


def _short(value: Any, field: str) -> str | None:
    """An OpenAlex, ORCID or ROR id without its URL prefix (`https://openalex.org/A123` → `A123`)."""
    if value is None:
        return None
    if type(value) is str:
        return value.rpartition("/")[2].strip() or None
    raise _Bad(field, f"expected an id, found {_kind(value)}")


def _integer(value: Any, field: str) -> int | None:
    if value is None:
        return None
    if type(value) is int:
        return value
    if type(value) is str:
        text = value.strip()
        if not text:
            return None
        try:
            return int(text)
        except ValueError:
            pass
    elif type(value) is float and value.is_integer():
        return int(value)
    raise _Bad(field, f"expected a whole number, found {_kind(value)}")


def _number(value: Any, field: str) -> float | None:
    if value is None:
        return None
    kind = type(value)
    if kind is float or kind is int:
        return float(value)
    if kind is str:
        text = value.strip()
        if not text:
            return None
        try:
            return float(text)
        except ValueError:
            pass
    raise _Bad(field, f"expected a number, found {_kind(value)}")


def _boolean(value: Any, field: str) -> bool | None:
    if value is None or type(value) is bool:
        return value
    if type(value) is str:
        text = value.strip().lower()
        if not text:
            return None
        if text in _TRUE:
            return True
        if text in _FALSE:
            return False
    raise _Bad(field, f"expected true or false, found {_kind(value)}")


def _day(value: Any, field: str) -> date | None:
    if value is None:
        return None
    if type(value) is str:
        text = value.strip()
        if not text:
            return None
        try:
            return date.fromisoformat(text[:10])
        except ValueError:
            pass
    raise _Bad(field, f"expected a date (YYYY-MM-DD), found {_kind(value)}")


def _object(value: Any, field: str) -> dict[str, Any] | None:
    if value is None or type(value) is dict:
        return value
    raise _Bad(field, f"expected an object, found {_kind(value)}")


def _items(value: Any, field: str) -> list[Any]:
    if value is None:
        return []
    if type(value) is list:
        return value
    raise _Bad(field, f"expected a list, found {_kind(value)}")


def _short_ids(value: Any, field: str) -> list[str]:
    items = _items(value, field)
    try:
        return [item.removeprefix(OPENALEX_PREFIX) for item in items]
    except (AttributeError, TypeError):
        for position, item in enumerate(items):
            if type(item) is not str:
                raise _Bad(f"{field}[{position}]", f"expected an id, found {_kind(item)}") from None
        raise


def _names(value: Any, field: str, key: str, alternative: str | None = None) -> list[str]:
    """The `key` of each object in a list (`keywords[].display_name`), in order, without blanks or repeats."""
    names: dict[str, None] = {}
    for position, item in enumerate(_items(value, field)):
        if type(item) is not dict:
            raise _Bad(f"{field}[{position}]", f"expected an object, found {_kind(item)}")
        name = item.get(key)
        if name is None and alternative is not None:
            name = item.get(alternative)
        if type(name) is str:
            name = name.strip()
            if name:
                names[name] = None
        elif name is not None:
            raise _Bad(f"{field}[{position}].{key}", f"expected text, found {_kind(name)}")
    return list(names)


def _abstract(index: Any) -> str:
    if not index:
        if index is None or type(index) in (dict, str, list):
            return ""
        raise _Bad("", f"expected an object of word positions, found {_kind(index)}")
    if type(index) is not dict:
        raise _Bad("", f"expected an object of word positions, found {_kind(index)}")
    total = 0
    for word, positions in index.items():
        if type(positions) is not list:
            raise _Bad(_word_field(word), f"expected a list of positions, found {_kind(positions)}")
        total += len(positions)
    slots: list[Any] = [None] * total
    overflow: list[tuple[int, Any]] = []
    try:
        for word, positions in index.items():
            for position in positions:
                if 0 <= position < total:
                    slots[position] = word
                else:
                    overflow.append((position, word))
    except TypeError:
        _bad_position(index)
    if overflow:
        # Positions beyond the word count: the index has gaps (or is broken). Rare; sort what there is.
        if any(type(position) is not int or position < 0 for position, _ in overflow):
            _bad_position(index)
        pairs = [(position, word) for position, word in enumerate(slots) if word is not None]
        pairs.extend(overflow)
        pairs.sort(key=lambda pair: pair[0])
        slots = [word for _, word in pairs]
    try:
        return " ".join(filter(None, slots))
    except TypeError:
        for word in index:
            if type(word) is not str:
                raise _Bad("", f"expected words as keys, found {_kind(word)}") from None
        raise


def _word_field(word: Any) -> str:
    """The path of a word in an inverted index: `["the"]`."""
    return f'["{word}"]'


def _bad_position(index: dict[Any, Any]) -> NoReturn:
    for word, positions in index.items():
        for position in positions:
            if type(position) is not int or position < 0:
                raise _Bad(_word_field(word), f"expected a whole-number position ≥ 0, found {_kind(position)}")
    raise _Bad("", "positions are not whole numbers")


def _native_work(record: dict[str, Any]) -> dict[str, Any]:
    get = record.get
    raw_id = _text(get("id"), "id")
    if raw_id is None:
        ids = _object(get("ids"), "ids")
        raw_id = _text(ids.get("openalex"), "ids.openalex") if ids else None
        if raw_id is None:
            raise _Bad("id", "required value is missing")
    # Some real works (older Springer articles among them) have neither; they are still citable works with ids.
    title = _text(get("title"), "title") or _text(get("display_name"), "display_name") or ""
    doi = _text(get("doi"), "doi")
    published = _day(get("publication_date"), "publication_date")
    year = _integer(get("publication_year"), "publication_year")
    if year is None and published is not None:
        year = published.year
    try:
        abstract = _abstract(get("abstract_inverted_index"))
    except _Bad as bad:
        raise bad.within("abstract_inverted_index") from None
    authors, institutions, countries = _authorships(get("authorships"))
    percentile = _object(get("citation_normalized_percentile"), "citation_normalized_percentile")
    if percentile:
        citation_percentile = _number(percentile.get("value"), "citation_normalized_percentile.value")
        is_top10 = _boolean(
            percentile.get("is_in_top_10_percent"), "citation_normalized_percentile.is_in_top_10_percent"
        )
    else:
        citation_percentile = is_top10 = None
    topics = _names(get("topics"), "topics", "display_name")
    if not topics:
        topics = _concepts(get("concepts"))
    # `grants` until 2025; then `funders` (and `awards`, each naming its funder) replaced it.
    funders = _names(get("grants"), "grants", "funder_display_name")
    newer, awards = get("funders"), get("awards")
    if newer or awards:
        funders = list(
            dict.fromkeys(
                funders + _names(newer, "funders", "display_name") + _names(awards, "awards", "funder_display_name")
            )
        )
    extra: dict[str, Any] = {}
    location = _object(get("primary_location"), "primary_location")
    if location:
        source = _object(location.get("source"), "primary_location.source")
        if source:
            source_name = _text(source.get("display_name"), "primary_location.source.display_name")
            if source_name is not None:
                extra["source_name"] = source_name
    fwci = _number(get("fwci"), "fwci")
    if fwci is not None:
        extra["fwci"] = fwci
    updated = _text(get("updated_date"), "updated_date")
    if updated is not None:
        extra["openalex_updated"] = updated
    return new_work(
        ID_PREFIX + raw_id.rpartition("/")[2],
        SOURCE,
        title,
        doi=bare_doi(doi) if doi else None,
        abstract=abstract,
        year=year,
        date=published,
        type=_text(get("type"), "type"),
        language=_text(get("language"), "language"),
        authors=authors,
        institutions=institutions,
        countries=countries,
        cited_by_count=_integer(get("cited_by_count"), "cited_by_count"),
        citation_percentile=citation_percentile,
        is_top10=is_top10,
        referenced_works=_short_ids(get("referenced_works"), "referenced_works"),
        topics=topics,
        keywords=_names(get("keywords"), "keywords", "display_name", "keyword"),
        funders=funders,
        extra=extra,
    )


def _concepts(value: Any) -> list[str]:
    """Concept names, the fallback for works without topics; zero-score concepts (bare ancestors) left out."""
    names: dict[str, None] = {}
    for position, concept in enumerate(_items(value, "concepts")):
        try:
            if type(concept) is not dict:
                raise _Bad("", f"expected an object, found {_kind(concept)}")
            score = _number(concept.get("score"), "score")
            if score is not None and score <= 0:
                continue
            name = _text(concept.get("display_name"), "display_name")
        except _Bad as bad:
            raise bad.within(f"concepts[{position}]") from None
        if name:
            names[name] = None
    return list(names)


def _authorships(value: Any) -> tuple[list[Author], list[Institution], list[str]]:
    authors: list[Author] = []
    institutions: dict[str, Institution] = {}
    countries: dict[str, None] = {}
    for position, authorship in enumerate(_items(value, "authorships")):
        try:
            authors.append(_authorship(authorship, institutions, countries))
        except _Bad as bad:
            raise bad.within(f"authorships[{position}]") from None
    return authors, list(institutions.values()), list(countries)


def _authorship(authorship: Any, institutions: dict[str, Institution], countries: dict[str, None]) -> Author:
    if type(authorship) is not dict:
        raise _Bad("", f"expected an object, found {_kind(authorship)}")
    get = authorship.get
    person = get("author")
    if type(person) is dict:
        author_id = _short(person.get("id"), "author.id")
        orcid = _short(person.get("orcid"), "author.orcid")
        name = _text(person.get("display_name"), "author.display_name")
    elif person is None:
        author_id = orcid = name = None
    else:
        raise _Bad("author", f"expected an object, found {_kind(person)}")
    if name is None:
        name = _text(get("raw_author_name"), "raw_author_name")
    own_institutions: list[str] = []
    items = get("institutions")
    if items:
        if type(items) is not list:
            raise _Bad("institutions", f"expected a list, found {_kind(items)}")
        for position, institution in enumerate(items):
            try:
                key, country = _institution(institution, institutions)
            except _Bad as bad:
                raise bad.within(f"institutions[{position}]") from None
            own_institutions.append(key)
            if country is not None:
                countries[country] = None
    own_countries: list[str] = []
    items = get("countries")
    if items:
        if type(items) is not list:
            raise _Bad("countries", f"expected a list, found {_kind(items)}")
        for position, country in enumerate(items):
            if type(country) is not str:
                raise _Bad(f"countries[{position}]", f"expected a country code, found {_kind(country)}")
            code = country.strip().upper()
            if code:
                own_countries.append(code)
                countries[code] = None
    return {
        "id": author_id,
        "name": name or "",
        "orcid": orcid,
        "position": _text(get("author_position"), "author_position"),
        "institutions": own_institutions,
        "countries": own_countries,
    }


def _institution(value: Any, institutions: dict[str, Institution]) -> tuple[str, str | None]:
    """Record one institution of an authorship (once per work); its key (short id, or name) and country."""
    if type(value) is not dict:
        raise _Bad("", f"expected an object, found {_kind(value)}")
    get = value.get
    key = _short(get("id"), "id")
    known = institutions.get(key) if key is not None else None
    if known is not None:
        return key, known["country"]  # type: ignore[return-value]
    name = _text(get("display_name"), "display_name")
    country = _text(get("country_code"), "country_code")
    if country is not None:
        country = country.upper()
    institution: Institution = {
        "id": key,
        "name": name or "",
        "ror": _short(get("ror"), "ror"),
        "country": country,
        "type": _text(get("type"), "type"),
    }
    if key is None:
        if name is None:
            raise _Bad("", "an institution with neither id nor display_name")
        key = name
        institutions.setdefault(key, institution)
    else:
        institutions[key] = institution
    return key, country


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
        raise _Bad("id", "required value is missing")
    title = _cell(values, "title") or _cell(values, "display_name") or ""
    doi = _cell(values, "doi") or _cell(values, "ids.doi")
    published = _day(_cell(values, "publication_date"), "publication_date")
    year = _integer(_cell(values, "publication_year"), "publication_year")
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
    extra: dict[str, Any] = {}
    source_name = _cell(values, "primary_location.source.display_name")
    if source_name is not None:
        extra["source_name"] = source_name
    fwci = _number(_cell(values, "fwci"), "fwci")
    if fwci is not None:
        extra["fwci"] = fwci
    updated = _cell(values, "updated_date")
    if updated is not None:
        extra["openalex_updated"] = updated
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
        cited_by_count=_integer(_cell(values, "cited_by_count"), "cited_by_count"),
        citation_percentile=_number(
            _cell(values, "citation_normalized_percentile.value"), "citation_normalized_percentile.value"
        ),
        is_top10=_boolean(
            _cell(values, "citation_normalized_percentile.is_in_top_10_percent"),
            "citation_normalized_percentile.is_in_top_10_percent",
        ),
        referenced_works=[item.rpartition("/")[2] for item in _present(_cells(values, "referenced_works"))],
        topics=topics,
        keywords=_present(_cells(values, "keywords.display_name")),
        funders=funders,
        extra=extra,
    )


def _flat_abstract(cell: str | None) -> str:
    """An `abstract_inverted_index` column, where an export carries one as JSON."""
    if cell is None:
        return ""
    try:
        index = orjson.loads(cell)
    except orjson.JSONDecodeError:
        raise _Bad("abstract_inverted_index", "expected the inverted index as JSON") from None
    try:
        return _abstract(index)
    except _Bad as bad:
        raise bad.within("abstract_inverted_index") from None


def _flat_concepts(values: dict[str, Any]) -> list[str]:
    names = _cells(values, "concepts.display_name")
    scores = _cells(values, "concepts.score")
    if len(scores) != len(names):
        return _present(names)
    kept: list[str | None] = []
    for name, score in zip(names, scores, strict=True):
        number = _number(score, "concepts.score")
        if number is None or number > 0:
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
        raise _Bad(field, f"expected an institution as a Python dict, found {piece[:60]!r}") from None
    if value is None:
        return None
    if type(value) is not dict:
        raise _Bad(field, f"expected an institution as a Python dict, found {_kind(value)}")
    get = value.get
    raw_id = _text(get("id"), f"{field}.id")
    name = _text(get("display_name"), f"{field}.display_name")
    if raw_id is None and name is None:
        return None
    ror = _text(get("ror"), f"{field}.ror")
    country = _text(get("country_code"), f"{field}.country_code")
    return {
        "id": raw_id.rpartition("/")[2] if raw_id else None,
        "name": name or "",
        "ror": ror.rpartition("/")[2] if ror else None,
        "country": country.upper() if country else None,
        "type": _text(get("type"), f"{field}.type"),
    }
