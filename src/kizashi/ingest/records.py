"""Validated records at the edge: one pydantic model per kind; errors become InputError naming file, row, field."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Iterable
from datetime import date
from typing import Annotated, Any, ClassVar

import orjson
from pydantic import (
    AliasChoices,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    ValidationError,
    field_validator,
    model_validator,
)

from kizashi.errors import InputError
from kizashi.files.export import FORMULA_PREFIXES
from kizashi.files.tabular import Row, as_date, suffix_of
from kizashi.policy import DEFAULT_LEVEL, LEVELS, TLP
from kizashi.text.normalise import detect_lang

_LIST_SPLIT = re.compile(r"\s*[;|、；]\s*")

# Japanese names for the four levels, as they appear on government documents.
_LEVEL_ALIASES = {
    "公開": "PUBLIC",
    "部内限り": "INTERNAL",
    "内部": "INTERNAL",
    "取扱注意": "INTERNAL",
    "秘": "CONFIDENTIAL",
    "機密": "CONFIDENTIAL",
    "極秘": "SECRET",
}


# What kizashi's own listings (`kizashi list KIND -f csv`) add to every record: the store's bookkeeping, not data of
# the source. `import_id` is a name only kizashi gives a column, so a row holding it is such a listing, and its
# bookkeeping is left out when the file is ingested again (the store sets it anew).
EXPORT_MARKER = "import_id"
BOOKKEEPING_COLUMNS = frozenset({"import_id", "created_at", "updated_at", "content_hash"})


class RowError(InputError):
    """A single row is invalid; the file itself can still be read (so `--skip-invalid` can set the row aside)."""


def _text(value: Any) -> str:
    if value is None:
        return ""
    text = unicodedata.normalize("NFC", str(value)).strip()
    if "\x00" in text:
        # PostgreSQL cannot store it, and no honest text holds it.
        raise ValueError("contains a NUL character")
    return text


def _identifier(value: Any) -> str:
    text = _text(value)
    if any(unicodedata.category(char) == "Cc" for char in text):
        raise ValueError("an id may not contain control characters (line breaks, tabs)")
    return text


def _optional_text(value: Any) -> str | None:
    return _text(value) or None


def _string_list(value: Any) -> list[str]:
    if value in (None, ""):
        return []
    if isinstance(value, dict):
        raise ValueError("expected a list of texts, not a mapping")
    items = value if isinstance(value, list | tuple) else _LIST_SPLIT.split(str(value))
    if any(isinstance(item, dict | list | tuple) for item in items):
        raise ValueError("expected a list of texts, and an item is itself a list or a mapping")
    return [text for text in (_text(item) for item in items) if text]


def _level(value: Any) -> str:
    text = _text(value)
    if not text:
        return DEFAULT_LEVEL
    level = _LEVEL_ALIASES.get(text, text.upper())
    if level not in LEVELS:
        raise ValueError(f"unknown level '{text}'; use one of {', '.join(LEVELS)}")
    return level


def _tlp(value: Any) -> str | None:
    """`TLP:AMBER+STRICT`, `amber+strict`, `AMBER STRICT` → AMBER+STRICT; TLP 1.0's WHITE is 2.0's CLEAR."""
    text = _text(value).upper().removeprefix("TLP:").strip().replace(" ", "+")
    if not text:
        return None
    text = {"WHITE": "CLEAR", "AMBER+STRICT": "AMBER+STRICT"}.get(text, text)
    if text not in TLP:
        raise ValueError(f"unknown TLP marking '{value}'; use one of {', '.join(TLP)}")
    return text


def _optional_int(value: Any) -> Any:
    if isinstance(value, str):
        value = value.strip()  # a cell holding only spaces is empty
    if value in (None, ""):
        return None
    return value


def _json_object(value: Any) -> dict[str, Any] | None:
    """`value` as a mapping when it is one (JSON lines) or JSON text of one (CSV, XLSX: how listings write `extra`);
    an empty cell as an empty mapping; None for anything else (a source's own column that happens to be called so)."""
    if isinstance(value, dict):
        return value
    if value is None or (isinstance(value, str) and not value.strip()):
        return {}
    if not isinstance(value, str) or not value.lstrip().startswith("{"):
        return None
    try:
        found = orjson.loads(value)
    except orjson.JSONDecodeError:
        return None
    return found if isinstance(found, dict) else None


def _optional_date(value: Any) -> date | None:
    try:
        return as_date(value)
    except ValueError:
        raise ValueError(f"'{value}' is not a date (use YYYY-MM-DD)") from None


Text = Annotated[str, BeforeValidator(_text)]
Identifier = Annotated[str, BeforeValidator(_identifier)]
OptText = Annotated[str | None, BeforeValidator(_optional_text)]
StrList = Annotated[list[str], BeforeValidator(_string_list)]
Level = Annotated[str, BeforeValidator(_level)]
Tlp = Annotated[str | None, BeforeValidator(_tlp)]
OptDate = Annotated[date | None, BeforeValidator(_optional_date)]
# The bounds sit on the int inside the Optional: on the Optional itself pydantic would apply them to None as well
# (a TypeError, not a validation error, for every empty cell).
Trl = Annotated[Annotated[int, Field(ge=1, le=9)] | None, BeforeValidator(_optional_int)]
OneToFive = Annotated[Annotated[int, Field(ge=1, le=5)] | None, BeforeValidator(_optional_int)]


class Record(BaseModel):
    """Base of the validated records; `to_columns` gives what the loader writes."""

    model_config = ConfigDict(extra="allow", str_strip_whitespace=True)
    # Columns that every labelled record has; `label` in a file means the level.
    id: Identifier = Field(min_length=1, max_length=300)
    # `label` in input files; `level` as kizashi's own listings write it, so an export re-imports at the same level.
    level: Level = Field(default=DEFAULT_LEVEL, validation_alias=AliasChoices("label", "level"))
    compartments: StrList = []
    tlp: Tlp = None
    tlp_owner: OptText = None
    tlp_recipients: StrList = []

    extra_column: ClassVar[str | None] = None  # where unknown columns go, if the table has such a column

    @model_validator(mode="before")
    @classmethod
    def _listing_read_back(cls, data: Any) -> Any:
        """A row of kizashi's own listing as the record it lists: bookkeeping left out, and the `extra` column
        (its source's own columns, as one JSON object) opened into those columns again, so that they come back as
        they were instead of as one key `extra` holding text."""
        if not isinstance(data, dict):
            return data
        values = dict(data)
        if EXPORT_MARKER in values:
            for column in BOOKKEEPING_COLUMNS:
                values.pop(column, None)
        if cls.extra_column is not None and cls.extra_column in values:
            opened = _json_object(values[cls.extra_column])
            if opened is not None:
                del values[cls.extra_column]
                for key, value in opened.items():
                    values.setdefault(key, value)  # a column of the row itself wins over a key of the same name
        return values

    @model_validator(mode="after")
    def _tlp_can_be_read_by_someone(self) -> Record:
        if self.tlp in ("AMBER", "AMBER+STRICT") and not self.tlp_owner:
            raise ValueError(f"TLP:{self.tlp} needs tlp_owner, the organisation that shared it")
        if self.tlp == "RED" and not self.tlp_recipients:
            raise ValueError("TLP:RED needs tlp_recipients, the people it was given to")
        return self

    def to_columns(self) -> dict[str, Any]:
        values = self.model_dump(exclude=set(self.model_extra or ()))
        if self.extra_column is not None:
            values[self.extra_column] = {
                key: value for key, value in (self.model_extra or {}).items() if value not in ("", None)
            }
        return values


class StatementRecord(Record):
    """A need or a seed (DESIGN.md §4): `id`, `title`, `description` and optional columns."""

    extra_column = "extra"

    title: Text = Field(min_length=1)
    description: Text = ""
    lang: OptText = None
    keywords: StrList = []
    organization: OptText = None
    country: OptText = None
    trl: Trl = None
    threat: OptText = None
    deadline: OptDate = None
    source: OptText = None

    @field_validator("country")
    @classmethod
    def _upper_country(cls, value: str | None) -> str | None:
        if value is None:
            return None
        if len(value) > 8:
            raise ValueError(f"'{value}' is not a country code (use ISO 3166 alpha-2, e.g. JP)")
        return value.upper()

    def model_post_init(self, _context: Any) -> None:
        if self.lang is None:
            self.lang = detect_lang(f"{self.title} {self.description}")


class ThreatRecord(Record):
    category: Text = Field(min_length=1)
    name_en: Text = Field(min_length=1)
    name_ja: Text = Field(min_length=1)
    description_en: Text = ""
    description_ja: Text = ""
    likelihood: OneToFive = None
    impact: OneToFive = None
    horizon: OptText = None
    technologies: StrList = []
    sources: StrList = []

    @field_validator("horizon")
    @classmethod
    def _known_horizon(cls, value: str | None) -> str | None:
        if value is not None and value not in ("near", "mid", "long"):
            raise ValueError(f"horizon '{value}' must be near, mid or long")
        return value


class TechnologyRecord(Record):
    parent: OptText = None
    name_en: Text = Field(min_length=1)
    name_ja: Text = Field(min_length=1)
    synonyms_en: StrList = []
    synonyms_ja: StrList = []
    topics: StrList = []
    description_en: Text = ""
    description_ja: Text = ""
    sources: StrList = []


class PerRow:
    """Records converted one row at a time: `(columns, row)` pairs.

    A bad row raises RowError from `next`, and the following `next` goes on with the row after it. (A generator is
    finished once it raises, which would end an import with `--skip-invalid` at the first bad row.)
    """

    __slots__ = ("_convert", "_rows")

    def __init__(self, rows: Iterable[Row], convert: Callable[[Row], dict[str, Any]]) -> None:
        self._rows = iter(rows)
        self._convert = convert

    def __iter__(self) -> PerRow:
        return self

    def __next__(self) -> tuple[dict[str, Any], Row]:
        row = next(self._rows)
        # The row handed on keeps its location only: the raw values (an OpenAlex record is hundreds of objects)
        # would otherwise stay alive through a batch and multiply the garbage collector's work.
        return self._convert(row), Row(row.file, row.number, {})


def validate(model: type[Record], row: Row) -> dict[str, Any]:
    """Validate one row into the columns of its table, or raise RowError naming the first bad field."""
    listing = EXPORT_MARKER in row.values and suffix_of(row.file) in (".csv", ".tsv")
    values = _unneutralised(row.values) if listing else row.values
    try:
        return model.model_validate(values).to_columns()
    except ValidationError as exc:
        error = exc.errors()[0]
        field = str(error["loc"][0]) if error["loc"] else None
        if field == "level":
            field = "label"
        message = error["msg"].removeprefix("Value error, ")
        if error["type"] == "missing":
            message = "required value is missing"
        raise RowError(message, file=row.file, row=row.number, field=field) from None


def _unneutralised(values: dict[str, Any]) -> dict[str, Any]:
    """A listing's CSV cells as they were before it neutralised them (files/export.py: a text a spreadsheet would
    take for a formula is written with a leading apostrophe), so that the listing ingested again holds the same text.
    An apostrophe before anything else is the text's own."""
    return {key: _without_guard(value) for key, value in values.items()}


def _without_guard(value: Any) -> Any:
    if isinstance(value, str) and value.startswith("'") and value[1:].startswith(FORMULA_PREFIXES):
        return value[1:]
    return value
