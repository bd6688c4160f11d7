"""Control lists as data: items with list, code, title, text and parent, read from our CSV/JSON form or bundled.

A list file has the columns `list`, `code`, `title` (required), `text` and `parent` (optional); CSV, XLSX, JSON or
JSON lines, as `kizashi.files.tabular` reads them. Codes are unique within a list, a parent is a code of the same
list, and parents form a tree (no cycles): a broken file is refused with the file, row and field of its first fault.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from functools import cache
from importlib import resources
from pathlib import Path

from kizashi.errors import InputError
from kizashi.files.tabular import Row, iter_rows
from kizashi.messages import Message
from kizashi.protect.controls.parameters import Parameter, extract

REQUIRED_COLUMNS = ("list", "code", "title")
# Short names of the lists kizashi ships (src/kizashi/data/controls, SOURCE.md there); "all" is every one of them.
BUNDLED = {
    "jp-etco-1": "輸出貿易管理令 別表第一 (Japan, Export Trade Control Order, Appended Table 1)",
    "us-ccl-3-5": "US Commerce Control List, categories 3–5 (electronics, computers, telecommunications and "
    "information security)",
}
ALL = "all"
MAX_TEXT = 200_000


@dataclass(frozen=True)
class ControlItem:
    list: str
    code: str
    title: str
    text: str = ""
    parent: str | None = None
    parameters: tuple[Parameter, ...] = field(default=(), compare=False, repr=False)

    @property
    def key(self) -> str:
        """Unique across lists: `jp-etco-1:9(7)`."""
        return f"{self.list}:{self.code}"


class ControlList:
    """The items of one or more lists, with their tree."""

    def __init__(self, items: Sequence[ControlItem]) -> None:
        self.items = tuple(items)
        self._by_key = {item.key: item for item in self.items}
        self._children: dict[str, list[ControlItem]] = {}
        for item in self.items:
            if item.parent is not None:
                self._children.setdefault(f"{item.list}:{item.parent}", []).append(item)

    def get(self, list_name: str, code: str) -> ControlItem | None:
        return self._by_key.get(f"{list_name}:{code}")

    def parent_of(self, item: ControlItem) -> ControlItem | None:
        return None if item.parent is None else self.get(item.list, item.parent)

    def ancestors(self, item: ControlItem) -> Iterator[ControlItem]:
        """Parent, grandparent, … up to the root (the lists were checked for cycles when read)."""
        parent = self.parent_of(item)
        while parent is not None:
            yield parent
            parent = self.parent_of(parent)

    def children(self, item: ControlItem) -> list[ControlItem]:
        return list(self._children.get(item.key, []))

    def is_leaf(self, item: ControlItem) -> bool:
        return item.key not in self._children

    @property
    def names(self) -> list[str]:
        return sorted({item.list for item in self.items})


def bundled_path(name: str) -> Path:
    return Path(str(resources.files("kizashi").joinpath(f"data/controls/{name}.csv")))


@cache
def bundled(name: str) -> tuple[ControlItem, ...]:
    """A bundled list by its short name; read once per process."""
    if name not in BUNDLED:
        raise InputError(
            Message(
                "no bundled control list '{name}'; use one of {bundled}, {all} or a file",
                name=name,
                bundled=", ".join(BUNDLED),
                all=ALL,
            )
        )
    return tuple(read_items(bundled_path(name)))


def load_controls(specs: Sequence[str | Path]) -> ControlList:
    """Bundled names (`jp-etco-1`, `us-ccl-3-5`, `all`) and list files, together; a code may appear in two lists,
    not twice in one (also across files)."""
    if not specs:
        raise InputError(Message("give at least one control list (--controls NAME or FILE)"), field="controls")
    items: list[ControlItem] = []
    seen: set[str] = set()
    for spec in specs:
        if isinstance(spec, str) and spec == ALL:
            names: list[str | Path] = list(BUNDLED)
        else:
            names = [spec]
        for name in names:
            if isinstance(name, str) and name in BUNDLED:
                found = list(bundled(name))
                origin: Path = bundled_path(name)
            else:
                origin = Path(name)
                if not origin.exists() and isinstance(name, str) and "/" not in name and "." not in name:
                    raise InputError(
                        Message(
                            "no bundled control list '{name}' and no such file; bundled: {bundled}",
                            name=name,
                            bundled=", ".join(BUNDLED),
                        )
                    )
                found = read_items(origin)
            for item in found:
                if item.key in seen:
                    raise InputError(
                        Message("code '{code}' of list '{list}' was already loaded", code=item.code, list=item.list),
                        file=origin,
                    )
                seen.add(item.key)
            items.extend(found)
    return ControlList(items)


def read_items(path: Path) -> list[ControlItem]:
    """The items of one list file, checked: every fault names file, row and field."""
    items: list[ControlItem] = []
    rows: dict[str, Row] = {}
    for row in iter_rows(path, REQUIRED_COLUMNS):
        values = {name: _text(row, name) for name in ("list", "code", "title", "text", "parent")}
        for name in REQUIRED_COLUMNS:
            if not values[name]:
                raise InputError(Message("'{name}' is empty", name=name), file=path, row=row.number, field=name)
        key = f"{values['list']}:{values['code']}"
        if key in rows:
            raise InputError(
                Message(
                    "code '{code}' repeats row {row} of list '{list}'",
                    code=values["code"],
                    row=rows[key].number,
                    list=values["list"],
                ),
                file=path,
                row=row.number,
                field="code",
            )
        rows[key] = row
        text = values["text"]
        items.append(
            ControlItem(
                values["list"],
                values["code"],
                values["title"],
                text,
                values["parent"] or None,
                tuple(extract(f"{values['title']}\n{text}")),
            )
        )
    _check_tree(path, items, rows)
    return items


def _text(row: Row, name: str) -> str:
    value = row.values.get(name)
    if value is None:
        return ""
    if isinstance(value, int | float) and not isinstance(value, bool):
        value = format(value, "g")  # a code such as 3 read from a spreadsheet as a number
    if not isinstance(value, str):
        raise InputError(Message("'{name}' must be text", name=name), file=row.file, row=row.number, field=name)
    if "\x00" in value or len(value) > MAX_TEXT:
        raise InputError(
            Message("'{name}' must be text of at most {most:,} characters", name=name, most=MAX_TEXT),
            file=row.file,
            row=row.number,
            field=name,
        )
    return value.strip()


def _check_tree(path: Path, items: list[ControlItem], rows: dict[str, Row]) -> None:
    by_key = {item.key: item for item in items}
    for item in items:
        if item.parent is not None and f"{item.list}:{item.parent}" not in by_key:
            raise InputError(
                Message("parent '{parent}' is not a code of list '{list}'", parent=item.parent, list=item.list),
                file=path,
                row=rows[item.key].number,
                field="parent",
            )
    done: set[str] = set()
    for item in items:
        path_keys: list[str] = []
        current: ControlItem | None = item
        while current is not None and current.key not in done:
            if current.key in path_keys:
                cycle = " → ".join(by_key[k].code for k in path_keys[path_keys.index(current.key) :])
                raise InputError(
                    Message("parents form a cycle: {cycle} → {code}", cycle=cycle, code=current.code),
                    file=path,
                    row=rows[current.key].number,
                    field="parent",
                )
            path_keys.append(current.key)
            current = None if current.parent is None else by_key[f"{current.list}:{current.parent}"]
        done.update(path_keys)
