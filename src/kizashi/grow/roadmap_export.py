"""A stored roadmap's document written back as the files it is read from (grow/roadmap_model.py `read_roadmap`):
YAML, and an XLSX workbook with the sheets `roadmap` (key, value) and `items` (one item a row). Reading what these
write gives the same roadmap again (tests/cli/test_roadmap_store.py checks it for random roadmaps)."""

from __future__ import annotations

import io
from collections.abc import Mapping
from typing import Any

import yaml

TOP_KEYS = ("id", "title_ja", "title_en", "goal", "label")
ITEM_COLUMNS = (
    "id",
    "lane",
    "title_ja",
    "title_en",
    "start",
    "end",
    "trl_from",
    "trl_to",
    "mrl_from",
    "mrl_to",
    "depends_on",
    "owner",
    "kind",
    "source",
)


def to_yaml(body: Mapping[str, Any]) -> str:
    """The document as YAML, keys in the format's order, Japanese as it is (not escaped)."""
    return yaml.safe_dump(dict(body), allow_unicode=True, sort_keys=False, width=1000)


def _cells(item: Mapping[str, Any]) -> list[Any]:
    row: list[Any] = []
    for column in ITEM_COLUMNS:
        scale, _, end = column.partition("_")
        if column in ("trl_from", "trl_to", "mrl_from", "mrl_to"):
            levels = item.get(scale) or {}
            row.append(levels.get(end))
        elif column == "depends_on":
            row.append(", ".join(item.get("depends_on") or []) or None)
        elif column == "source":
            row.append("; ".join(item.get("source") or []) or None)
        else:
            row.append(item.get(column))
    return row


def to_xlsx(body: Mapping[str, Any]) -> bytes:
    """The document as a workbook `read_roadmap` reads: every text cell kept as text (a title starting with = is
    not a formula to Excel)."""
    from openpyxl import Workbook

    book = Workbook()
    top = book.active
    assert top is not None  # a new workbook has its first sheet
    top.title = "roadmap"
    top.append(["key", "value"])
    for key in TOP_KEYS:
        if body.get(key) not in (None, ""):
            top.append([key, body[key]])
    items = book.create_sheet("items")
    items.append(list(ITEM_COLUMNS))
    for item in body.get("items", []):
        items.append(_cells(item))
    for sheet in (top, items):
        for row in sheet.iter_rows():
            for cell in row:
                if isinstance(cell.value, str) and cell.value.startswith("="):
                    cell.data_type = "s"
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()
