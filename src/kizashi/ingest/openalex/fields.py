"""The typed readers of one field of an OpenAlex work, shared by the native records and the flattened CSV.

Each reader takes a value and its field's dotted path and gives the value typed (None when absent or blank, [] for
a missing list), or raises `Bad` naming the field; the reader's loop turns that into RowError with file and row.
Here too: the abstract rebuilt from its inverted index in linear time, the DOI without its resolver, and the
constants both formats share.
"""

from __future__ import annotations

from datetime import date
from typing import Any, NoReturn

from kizashi.messages import Message

SOURCE = "openalex"
ID_PREFIX = "openalex:"
OPENALEX_PREFIX = "https://openalex.org/"

_DOI_PREFIXES = ("https://doi.org/", "http://doi.org/", "https://dx.doi.org/", "http://dx.doi.org/", "doi:")
_TRUE = frozenset(("true", "1", "yes"))
_FALSE = frozenset(("false", "0", "no"))


class Bad(Exception):
    """A field of the wrong type or shape; turned into RowError (with file and row) at the reader's loop."""

    def __init__(self, field: str, message: Message) -> None:
        super().__init__(message)
        self.field = field
        self.message = message

    def within(self, prefix: str) -> Bad:
        """The same problem, its field prefixed by the enclosing one (`authorships[2]` + `institutions`)."""
        if not self.field:
            field = prefix
        elif self.field.startswith("["):
            field = prefix + self.field
        else:
            field = f"{prefix}.{self.field}"
        return Bad(field, self.message)


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


def kind(value: Any) -> str:
    """What a value is, for "expected …, found {kind}" (a Message where a reader's language says it otherwise)."""
    if value is None:
        return "null"
    if isinstance(value, bool):
        return Message("a boolean")
    if isinstance(value, int | float):
        return Message("a number ({value})", value=repr(value))
    if isinstance(value, str):
        return Message("text ({value})", value=repr(value[:40]))
    if isinstance(value, list):
        return Message("a list")
    if isinstance(value, dict):
        return Message("an object")
    return type(value).__name__


def text(value: Any, field: str) -> str | None:
    if value is None:
        return None
    if type(value) is str:
        return value.strip() or None
    raise Bad(field, Message("expected text, found {found}", found=kind(value)))


def short(value: Any, field: str) -> str | None:
    """An OpenAlex, ORCID or ROR id without its URL prefix (`https://openalex.org/A123` → `A123`)."""
    if value is None:
        return None
    if type(value) is str:
        return value.rpartition("/")[2].strip() or None
    raise Bad(field, Message("expected an id, found {found}", found=kind(value)))


def integer(value: Any, field: str) -> int | None:
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
    raise Bad(field, Message("expected a whole number, found {found}", found=kind(value)))


def number(value: Any, field: str) -> float | None:
    if value is None:
        return None
    value_type = type(value)
    if value_type is float or value_type is int:
        return float(value)
    if value_type is str:
        text = value.strip()
        if not text:
            return None
        try:
            return float(text)
        except ValueError:
            pass
    raise Bad(field, Message("expected a number, found {found}", found=kind(value)))


def boolean(value: Any, field: str) -> bool | None:
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
    raise Bad(field, Message("expected true or false, found {found}", found=kind(value)))


def day(value: Any, field: str) -> date | None:
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
    raise Bad(field, Message("expected a date (YYYY-MM-DD), found {found}", found=kind(value)))


def mapping(value: Any, field: str) -> dict[str, Any] | None:
    if value is None or type(value) is dict:
        return value
    raise Bad(field, Message("expected an object, found {found}", found=kind(value)))


def items(value: Any, field: str) -> list[Any]:
    if value is None:
        return []
    if type(value) is list:
        return value
    raise Bad(field, Message("expected a list, found {found}", found=kind(value)))


def short_ids(value: Any, field: str) -> list[str]:
    listed = items(value, field)
    try:
        return [item.removeprefix(OPENALEX_PREFIX) for item in listed]
    except (AttributeError, TypeError):
        for position, item in enumerate(listed):
            if type(item) is not str:
                raise Bad(f"{field}[{position}]", Message("expected an id, found {found}", found=kind(item))) from None
        raise


def names(value: Any, field: str, key: str, alternative: str | None = None) -> list[str]:
    """The `key` of each object in a list (`keywords[].display_name`), in order, without blanks or repeats."""
    names: dict[str, None] = {}
    for position, item in enumerate(items(value, field)):
        if type(item) is not dict:
            raise Bad(f"{field}[{position}]", Message("expected an object, found {found}", found=kind(item)))
        name = item.get(key)
        if name is None and alternative is not None:
            name = item.get(alternative)
        if type(name) is str:
            name = name.strip()
            if name:
                names[name] = None
        elif name is not None:
            raise Bad(f"{field}[{position}].{key}", Message("expected text, found {found}", found=kind(name)))
    return list(names)


def extra(
    source_name: str | None, fwci: float | None, updated: str | None, cited_by_year: dict[str, int] | None = None
) -> dict[str, Any]:
    """The fields a work keeps beyond its columns, where the work gives them (both formats read the same ones).

    `cited_by_year` (OpenAlex's `counts_by_year`: citations received per year, its last ten years or so) lets a scan
    as of a past date count only the citations known by then.
    """
    found = {"source_name": source_name, "fwci": fwci, "openalex_updated": updated, "cited_by_year": cited_by_year}
    return {key: value for key, value in found.items() if value}


def cited_by_year(years: list[Any], counts: list[Any], field: str) -> dict[str, int] | None:
    """Citations per year from `counts_by_year`'s parallel `year` and `cited_by_count` values, keyed by the year as
    text (JSON keys); a year given twice keeps its larger count."""
    found: dict[str, int] = {}
    if len(years) != len(counts):
        raise Bad(field, Message("{years} years but {counts} counts", years=len(years), counts=len(counts)))
    for position, (year, count) in enumerate(zip(years, counts, strict=True)):
        year_value = integer(year, f"{field}[{position}].year")
        count_value = integer(count, f"{field}[{position}].cited_by_count")
        if year_value is None or count_value is None:
            continue
        if count_value < 0:
            raise Bad(f"{field}[{position}].cited_by_count", Message("a citation count cannot be negative"))
        key = str(year_value)
        found[key] = max(count_value, found.get(key, 0))
    return found or None


def abstract(index: Any) -> str:
    if not index:
        if index is None or type(index) in (dict, str, list):
            return ""
        raise Bad("", Message("expected an object of word positions, found {found}", found=kind(index)))
    if type(index) is not dict:
        raise Bad("", Message("expected an object of word positions, found {found}", found=kind(index)))
    total = 0
    for word, positions in index.items():
        if type(positions) is not list:
            raise Bad(_word_field(word), Message("expected a list of positions, found {found}", found=kind(positions)))
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
                raise Bad("", Message("expected words as keys, found {found}", found=kind(word))) from None
        raise


def _word_field(word: Any) -> str:
    """The path of a word in an inverted index: `["the"]`."""
    return f'["{word}"]'


def _bad_position(index: dict[Any, Any]) -> NoReturn:
    for word, positions in index.items():
        for position in positions:
            if type(position) is not int or position < 0:
                raise Bad(
                    _word_field(word),
                    Message("expected a whole-number position ≥ 0, found {found}", found=kind(position)),
                )
    raise Bad("", Message("positions are not whole numbers"))
