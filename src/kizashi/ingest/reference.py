"""Threat registers and technology taxonomies, from our YAML form or a plain table (CSV, XLSX, JSONL)."""

from __future__ import annotations

from collections.abc import Iterator
from functools import cache
from importlib import resources
from pathlib import Path
from typing import Any

import yaml

from kizashi.errors import InputError
from kizashi.files.limits import Limits, check_rows, check_structure
from kizashi.files.tabular import Row, iter_rows, suffix_of
from kizashi.files.yaml_file import read_yaml
from kizashi.ingest.loader import Parsed
from kizashi.ingest.records import PerRow, Record, TechnologyRecord, ThreatRecord, validate
from kizashi.messages import Message

MODELS: dict[str, type[Record]] = {"threats": ThreatRecord, "technologies": TechnologyRecord}
REQUIRED = ("id", "name_en", "name_ja")


@cache
def threat_categories() -> dict[str, tuple[str, str]]:
    """The threat categories of the bundled catalogue (data/reference/threats.yaml): key → (Japanese, English)."""
    text = (resources.files("kizashi") / "data" / "reference" / "threats.yaml").read_text("utf-8")
    document = yaml.safe_load(text) or {}
    return {str(c["key"]): (str(c["name_ja"]), str(c["name_en"])) for c in document.get("categories", [])}


def read_reference(kind: str, path: Path) -> Iterator[Parsed]:
    model = MODELS[kind]
    rows = _yaml_rows(kind, path) if suffix_of(path) in (".yaml", ".yml") else iter_rows(path, REQUIRED)
    return PerRow(rows, lambda row: validate(model, row))


def _yaml_rows(kind: str, path: Path) -> Iterator[Row]:
    document = read_yaml(path)
    if document is None:
        raise InputError(Message("file is empty (no data rows)"), file=path)
    items: Any = document.get(kind) if isinstance(document, dict) else document
    if not isinstance(items, list):
        raise InputError(Message("expected a list under the key '{key}'", key=kind), file=path, field=kind)
    if not items:
        raise InputError(Message("the list '{key}' is empty", key=kind), file=path, field=kind)
    limits = Limits.current()
    for number, item in enumerate(items, start=1):
        if not isinstance(item, dict):
            raise InputError(
                Message("entry {number} of '{key}' is not a mapping", number=number, key=kind), file=path, row=number
            )
        check_rows(number, path, limits)
        check_structure(item, path, limits, row=number)
        yield Row(path, number, item)
