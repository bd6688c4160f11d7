"""The roadmap file format (issue 17, a stable interface: docs/roadmap.md): pydantic models that read a roadmap from
YAML or XLSX and give its JSON Schema (`kizashi roadmap schema`).

The models check structure only (types, ranges, the closed lists of lanes and barrier kinds); what relates items to
each other (dependencies, dates, TRL along a dependency) is roadmap_checks.py's, which names every item involved.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from datetime import date
from pathlib import Path
from typing import Annotated, Any, Literal

from pydantic import (
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    PrivateAttr,
    ValidationError,
    WithJsonSchema,
    model_validator,
)

from kizashi.errors import InputError
from kizashi.messages import Message, Words

# Cambridge T-Plan's layers, top to bottom: why (need), what (capability, technology), how (programme, resources),
# and what keeps a finished technology from use (barrier). The order is the order of the swimlanes.
LANES = ("need", "capability", "technology", "programme", "resources", "barrier")
BARRIER_KINDS = ("procurement", "standards", "regulation", "export_control", "supply_chain", "talent")
Lane = Literal["need", "capability", "technology", "programme", "resources", "barrier"]
BarrierKind = Literal["procurement", "standards", "regulation", "export_control", "supply_chain", "talent"]

LANE_WORDS: dict[str, Words] = {
    "need": Words("ニーズ", "Need"),
    "capability": Words("能力", "Capability"),
    "technology": Words("技術", "Technology"),
    "programme": Words("プログラム", "Programme"),
    "resources": Words("資源", "Resources"),
    "barrier": Words("障壁", "Barrier"),
}
BARRIER_WORDS: dict[str, Words] = {
    "procurement": Words("調達", "procurement"),
    "standards": Words("標準", "standards"),
    "regulation": Words("規制", "regulation"),
    "export_control": Words("輸出管理", "export control"),
    "supply_chain": Words("サプライチェーン", "supply chain"),
    "talent": Words("人材", "talent"),
}

_MONTH = re.compile(r"\d{4}-(0[1-9]|1[0-2])")


def _month_text(value: Any) -> Any:
    """A month as YYYY-MM: a spreadsheet's date cell (or a YAML date) gives its year and month; text is kept as it
    is for the pattern to judge, so that 2027-4 is refused rather than guessed."""
    if isinstance(value, date):
        return f"{value.year:04d}-{value.month:02d}"
    return value


Month = Annotated[
    str,
    BeforeValidator(_month_text),
    Field(pattern=_MONTH.pattern, description="A month, YYYY-MM.", examples=["2027-04"]),
]


def month_number(month: str) -> int:
    """Months since year 0, so that differences of two months count whole months."""
    year, number = month.split("-")
    return int(year) * 12 + int(number) - 1


def months_inclusive(start: str, end: str) -> int:
    """Whole months from `start` to `end`, both included (2027-04..2027-04 is 1)."""
    return month_number(end) - month_number(start) + 1


class _Strict(BaseModel):
    # Unknown keys are refused inside a value (trl: {from, to}); at the top and in items `read_roadmap` sets them
    # aside first, as warnings.
    model_config = ConfigDict(extra="forbid", populate_by_name=True, str_strip_whitespace=True)


class Readiness(_Strict):
    """A readiness level at the item's start and at its end."""

    from_: int = Field(alias="from", ge=1, le=9, description="The level at the start of the item.")
    to: int = Field(ge=1, le=9, description="The level the item reaches by its end.")


class Manufacturing(_Strict):
    """Manufacturing readiness (MRL 1–10) at the item's start and at its end."""

    from_: int = Field(alias="from", ge=1, le=10)
    to: int = Field(ge=1, le=10)


def _id_text(value: Any) -> Any:
    """An id written as a number (`id: 7`, a numeric cell) is the text of that number."""
    return str(value) if isinstance(value, int) and not isinstance(value, bool) else value


def _depends_on(value: Any) -> Any:
    """A spreadsheet cell names dependencies as text: "T0, T1" or "T0; T1"."""
    if isinstance(value, str):
        return [part.strip() for part in re.split(r"[,;、\s]+", value) if part.strip()]
    if isinstance(value, list):
        return [_id_text(part) for part in value]
    return [_id_text(value)] if isinstance(value, int) and not isinstance(value, bool) else value


Id = Annotated[str, BeforeValidator(_id_text), Field(min_length=1, max_length=100)]


def _sources(value: Any) -> Any:
    """Where an item came from: a list, or one text ("seed:S1; match-run:3", as a spreadsheet cell holds it)."""
    if isinstance(value, str):
        return [part.strip() for part in value.split(";") if part.strip()]
    return value


class Item(_Strict):
    """One bar of the roadmap."""

    id: Id = Field(description="Unique within the file.")
    lane: Lane = Field(description="The swimlane (after Cambridge T-Plan).")
    title_ja: str | None = Field(default=None, max_length=500)
    title_en: str | None = Field(default=None, max_length=500)
    start: Month
    end: Month = Field(description="The last month of the item (inclusive).")
    trl: Readiness | None = Field(default=None, description="Technology readiness (NASA/EU TRL 1–9).")
    mrl: Manufacturing | None = None
    depends_on: Annotated[list[str], BeforeValidator(_depends_on)] = Field(
        default_factory=list, description="Finish-to-start: ids of items in this file that end before this starts."
    )
    owner: str | None = Field(default=None, max_length=200)
    kind: BarrierKind | None = Field(default=None, description="A barrier's kind.")
    source: Annotated[
        list[str] | None,
        BeforeValidator(_sources),
        WithJsonSchema(
            {"anyOf": [{"type": "string"}, {"type": "array", "items": {"type": "string"}}, {"type": "null"}]}
        ),
    ] = Field(
        default=None,
        description=(
            "Where the item came from, for a drafted roadmap (`kizashi roadmap draft`): evidence such as "
            "seed:<id>, need:<id>, match-run:<id>, scan:<id>, barrier:<id>, trl:<id>; one text or a list "
            '(a spreadsheet cell: "seed:S1; match-run:3").'
        ),
        examples=[["seed:S1", "match-run:3"]],
    )

    @model_validator(mode="after")
    def _titled(self) -> Item:
        if not self.title_ja and not self.title_en:
            raise ValueError("title_ja or title_en is required")
        return self

    @property
    def months(self) -> int:
        return months_inclusive(self.start, self.end)

    def title(self, lang: str) -> str:
        """The title in `lang`, else the other one."""
        first, second = (self.title_ja, self.title_en) if lang == "ja" else (self.title_en, self.title_ja)
        return first or second or ""


class Roadmap(_Strict):
    """A layered technology roadmap (see docs/roadmap.md)."""

    model_config = ConfigDict(title="kizashi roadmap")

    id: Id
    title_ja: str | None = Field(default=None, max_length=500)
    title_en: str | None = Field(default=None, max_length=500)
    goal: str | None = Field(default=None, description="The id of the goal this roadmap serves.")
    label: str | None = Field(default=None, description="The security label (level and compartments).")
    items: list[Item] = Field(min_length=1)
    # Keys of the file outside the format, as (item id or "" for the top, key): warnings of `validate`.
    _ignored: list[tuple[str, str]] = PrivateAttr(default_factory=list)

    @property
    def ignored(self) -> list[tuple[str, str]]:
        return self._ignored

    @ignored.setter
    def ignored(self, value: list[tuple[str, str]]) -> None:
        self._ignored = value

    def title(self, lang: str) -> str:
        first, second = (self.title_ja, self.title_en) if lang == "ja" else (self.title_en, self.title_ja)
        return first or second or self.id


def schema() -> dict[str, Any]:
    """The JSON Schema of the format (draft 2020-12, as pydantic writes it)."""
    made = Roadmap.model_json_schema(by_alias=True)
    made["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    return made


def read_roadmap(path: Path) -> Roadmap:
    """A roadmap from a YAML (.yaml, .yml) or XLSX file; InputError naming file, item (row) and field otherwise."""
    if not path.exists():
        raise InputError(Message("no such file"), file=path)
    suffix = path.suffix.lower()
    if suffix in (".yaml", ".yml"):
        from kizashi.files.yaml_file import read_yaml

        document = read_yaml(path)
        if not isinstance(document, dict):
            raise InputError(Message("a roadmap file holds a mapping with id and items"), file=path)
        return _validated(path, document, lambda index: None)
    if suffix == ".xlsx":
        document, rows = _workbook(path)
        return _validated(path, document, lambda index: rows[index] if index < len(rows) else None)
    raise InputError(
        Message("a roadmap is read from .yaml, .yml or .xlsx, not '{suffix}'", suffix=suffix or path.name), file=path
    )


def _field_names(model: type[BaseModel]) -> set[str]:
    return {name for key, info in model.model_fields.items() for name in (key, info.alias) if name}


def _set_aside(document: dict[str, Any]) -> tuple[dict[str, Any], list[tuple[str, str]]]:
    """The document without keys the format does not have at its top or in its items, and those keys as (where,
    key): a file may carry notes of its own, so they are warned about (a misspelt `depends_om` must not pass
    unseen) rather than refused."""
    ignored: list[tuple[str, str]] = []
    known, item_known = _field_names(Roadmap), _field_names(Item)
    kept = {key: value for key, value in document.items() if key in known}
    ignored.extend(("", str(key)) for key in document if key not in known)
    items = document.get("items")
    if isinstance(items, list):
        kept_items: list[Any] = []
        for index, item in enumerate(items):
            if isinstance(item, dict):
                name = item.get("id")
                where = str(name) if name not in (None, "") else f"#{index + 1}"
                ignored.extend((where, str(key)) for key in item if key not in item_known)
                item = {key: value for key, value in item.items() if key in item_known}
            kept_items.append(item)
        kept["items"] = kept_items
    return kept, ignored


def _validated(path: Path, document: dict[str, Any], row_of: Callable[[int], int | None]) -> Roadmap:
    try:
        kept, ignored = _set_aside(document)
        roadmap = Roadmap.model_validate(kept)
        roadmap.ignored = ignored
        return roadmap
    except ValidationError as error:
        first = error.errors()[0]
        location = tuple(first["loc"])
        row = None
        field = ".".join(str(part) for part in location) or None
        problem = _problem(first)
        if len(location) >= 2 and location[0] == "items" and isinstance(location[1], int):
            index = location[1]
            row = row_of(index)
            field = ".".join(str(part) for part in location[2:]) or None
            items = document.get("items")
            item = items[index] if isinstance(items, list) and index < len(items) else None
            name = item.get("id") if isinstance(item, dict) else None
            problem = Message(
                "item {item}: {problem}",
                item=str(name) if name not in (None, "") else f"#{index + 1}",
                problem=problem,
            )
        raise InputError(problem, file=path, row=row, field=field) from None


def _problem(error: Mapping[str, Any]) -> Message:
    """Pydantic's complaint in kizashi's words (both languages) for the kinds a person makes; the rest with
    pydantic's own English after ours."""
    kind = error["type"]
    context = error.get("ctx") or {}
    if kind == "missing":
        return Message("the roadmap format requires this value")
    if kind == "extra_forbidden":
        return Message("not a field of the roadmap format")
    if kind == "literal_error":
        return Message(
            "'{value}' is not one of the roadmap's choices: {choices}",
            value=str(error["input"]),
            choices=context.get("expected"),
        )
    if kind == "string_pattern_mismatch":
        return Message("'{value}' is not a month (use YYYY-MM)", value=str(error["input"]))
    if kind in ("greater_than_equal", "less_than_equal"):
        return Message("{value} is outside the readiness scale (TRL 1–9, MRL 1–10)", value=str(error["input"]))
    if kind in ("int_parsing", "int_type", "int_from_float"):
        return Message("a readiness level is a whole number, not '{value}'", value=str(error["input"]))
    if kind == "value_error" and "title_ja or title_en" in str(error.get("msg")):
        return Message("give title_ja or title_en")
    if kind == "too_short":
        return Message("must not be empty in a roadmap")
    return Message("not valid in the roadmap format ({problem})", problem=str(error.get("msg")))


_ROADMAP_SHEET, _ITEMS_SHEET = "roadmap", "items"
_LEVEL_COLUMNS = {
    "trl_from": ("trl", "from"),
    "trl_to": ("trl", "to"),
    "mrl_from": ("mrl", "from"),
    "mrl_to": ("mrl", "to"),
}


def _workbook(path: Path) -> tuple[dict[str, Any], list[int]]:
    """(the document, the spreadsheet row of each item) of a workbook with the sheets `roadmap` (key, value) and
    `items` (one item a row; trl_from, trl_to, mrl_from, mrl_to for the levels; depends_on as "T0, T1")."""
    from kizashi.files.tabular import iter_rows

    document: dict[str, Any] = {}
    for row in iter_rows(path, ("key", "value"), sheet=_ROADMAP_SHEET):
        key = str(row.values["key"]).strip()
        if key:
            document[key] = _scalar(row.values["value"])
    items: list[dict[str, Any]] = []
    numbers: list[int] = []
    for row in iter_rows(path, ("id", "lane", "start", "end"), sheet=_ITEMS_SHEET):
        items.append(_item(row.values))
        numbers.append(row.number)
    document["items"] = items
    return document, numbers


def _item(values: Mapping[str, Any]) -> dict[str, Any]:
    item: dict[str, Any] = {}
    for name, value in values.items():
        value = _scalar(value)
        if value is None:
            continue  # an empty cell is a value not given
        if name in _LEVEL_COLUMNS:
            scale, end = _LEVEL_COLUMNS[name]
            item.setdefault(scale, {})[end] = value
        else:
            item[name] = value  # unknown columns reach the model, which names them
    return item


def _scalar(value: Any) -> Any:
    if isinstance(value, str):
        value = value.strip()
        return value or None
    return value
