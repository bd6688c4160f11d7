"""Reading a file of goals and their proposals (grow/goals.py `load_goals`): YAML (a list of goals, or `goals:`
holding one, each with its `proposals`) or an XLSX workbook (a sheet `goals`, and optionally a sheet `proposals`
whose column `goal` names the goal's id). Every fault names the file, the row (a goal's number in YAML, the sheet's
row in XLSX) and the field."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from kizashi.errors import InputError
from kizashi.files.tabular import as_date, iter_rows, read_text, suffix_of
from kizashi.files.yaml_file import read_yaml
from kizashi.messages import Message


@dataclass(frozen=True)
class Where:
    """Where a value came from, for the error that names it: a file and row, or a command's options (no file)."""

    file: str | Path | None = None
    row: int | None = None
    prefix: str = ""  # "proposals[2]." for a proposal nested in a goal

    def error(self, message: Message, name: str) -> InputError:
        return InputError(message, file=self.file, row=self.row, field=f"{self.prefix}{name}")


Parsed = list[tuple[Mapping[str, Any], list[tuple[Mapping[str, Any], Where]], Where]]


def read_goals(path: Path) -> Parsed:
    """The goals of a file, each as (its values, its proposals with where each came from, where it came from)."""
    if suffix_of(path) in (".yaml", ".yml"):
        return _yaml_goals(path)
    if suffix_of(path) == ".xlsx":
        return _xlsx_goals(path)
    raise InputError(
        Message("a goals file is YAML (.yaml, .yml) or an XLSX workbook (.xlsx), not '{suffix}'", suffix=path.suffix),
        file=path,
    )


def _yaml_goals(path: Path) -> Parsed:
    try:
        document = read_yaml(path)
    except InputError as exc:  # a date the calendar lacks: named by goal and field, not only by line
        if str(exc.detail).endswith("is not a date the calendar has"):
            raise _bad_date(path) or exc from None
        raise
    if isinstance(document, dict) and "goals" in document:
        document = document["goals"]
    if not isinstance(document, list) or not document:
        raise InputError(Message("expected a list of goals (or 'goals:' holding one)"), file=path)
    parsed: Parsed = []
    for number, goal in enumerate(document, start=1):
        where = Where(path, number)
        if not isinstance(goal, dict):
            raise InputError(Message("a goal is a mapping of fields"), file=path, row=number)
        proposals = goal.get("proposals") or []
        if not isinstance(proposals, list):
            raise where.error(Message("expected a list of proposals"), "proposals")
        nested: list[tuple[Mapping[str, Any], Where]] = []
        for index, proposal in enumerate(proposals, start=1):
            at = Where(path, number, f"proposals[{index}].")
            if not isinstance(proposal, dict):
                raise at.error(Message("a proposal is a mapping of fields"), "title")
            nested.append((proposal, at))
        parsed.append((goal, nested, where))
    return parsed


def _bad_date(path: Path) -> InputError | None:
    """The first date the calendar lacks in a goals file, named by goal and field like any other fault. The file has
    already been composed under the limits (no alias, bounded depth and size), so composing it again is safe."""
    import yaml

    text_read, _ = read_text(path)
    root = yaml.compose(text_read, Loader=yaml.SafeLoader)
    if isinstance(root, yaml.MappingNode):
        root = next((v for k, v in root.value if k.value == "goals"), root)
    if not isinstance(root, yaml.SequenceNode):
        return None
    for number, goal in enumerate(root.value, start=1):
        found = _bad_date_in(goal, Where(path, number))
        if found is None and isinstance(goal, yaml.MappingNode):
            for key, value in goal.value:
                if key.value == "proposals" and isinstance(value, yaml.SequenceNode):
                    for index, proposal in enumerate(value.value, start=1):
                        found = found or _bad_date_in(proposal, Where(path, number, f"proposals[{index}]."))
        if found is not None:
            return found
    return None


def _bad_date_in(node: Any, where: Where) -> InputError | None:
    import yaml

    if not isinstance(node, yaml.MappingNode):
        return None
    for key, value in node.value:
        if isinstance(value, yaml.ScalarNode) and value.tag == "tag:yaml.org,2002:timestamp":
            try:
                as_date(value.value)
            except ValueError as refusal:
                return where.error(refusal.args[0], str(key.value))
    return None


def _xlsx_goals(path: Path) -> Parsed:
    from openpyxl import load_workbook

    list(iter_rows(path, ["title_ja"], sheet="goals"))  # checks the workbook's size and the sheet first
    book = load_workbook(path, read_only=True)
    try:
        sheets = set(book.sheetnames)
    finally:
        book.close()
    goals = {}
    parsed: Parsed = []
    for row in iter_rows(path, ["title_ja"], sheet="goals"):
        proposals: list[tuple[Mapping[str, Any], Where]] = []
        entry = (row.values, proposals, Where(path, row.number))
        parsed.append(entry)
        if row.values.get("id") not in (None, ""):
            goals[str(row.values["id"]).strip()] = entry
    if "proposals" in sheets:
        for row in iter_rows(path, ["goal"], sheet="proposals"):
            where = Where(path, row.number, "proposals.")
            goal_id = str(row.values.get("goal") or "").strip()
            if goal_id not in goals:
                raise where.error(Message("no goal '{id}' on the goals sheet", id=goal_id), "goal")
            goals[goal_id][1].append((row.values, where))
    return parsed
