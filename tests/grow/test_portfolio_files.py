"""Portfolio files: the example and its schema, YAML and XLSX giving the same portfolio, errors naming the file, the
project (or row) and the field, and the command line's exit codes and words in both languages."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import jsonschema
import pytest
from openpyxl import Workbook

from kizashi.errors import InputError
from kizashi.files.yaml_file import read_yaml
from kizashi.grow.portfolio import optimize
from kizashi.grow.portfolio_model import load, schema

EXAMPLE = Path(__file__).parents[2] / "examples" / "portfolio.yaml"

SMALL = """
budget: {2027: 10, 2028: 10}
min_per_area: {cyber: 1}
projects:
  - {id: A, value: 5, area: cyber, cost: {2027: 6}}
  - {id: B, value: 4, area: space, cost: {2027: 4, 2028: 3}, requires: [C]}
  - {id: C, value: 1, area: space, cost: {2028: 3}}
"""

INFEASIBLE = """
budget: {2027: 5}
min_per_area: {cyber: 1}
projects:
  - {id: A, value: 5, area: cyber, cost: {2027: 6}}
  - {id: B, value: 4, area: space, cost: {2027: 4}}
"""


def write(tmp_path: Path, text: str, name: str = "p.yaml") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def test_the_example_is_valid_against_the_schema_and_solves() -> None:
    jsonschema.validate(read_yaml(EXAMPLE), schema())
    result = optimize(load(EXAMPLE))
    assert result["chosen"] and "P7" not in result["chosen"]  # P7's TRL gap is over the maximum
    assert set(result) >= {"chosen", "value", "spent", "binding", "next_unit"}
    titles = [p.title_ja for p in load(EXAMPLE).portfolio.projects]
    assert all(titles) and "河川水位の短時間予測" in titles


def test_a_small_file_solves_as_worked_by_hand(tmp_path: Path) -> None:
    result = optimize(load(write(tmp_path, SMALL)))
    # A (5) and B (4, needing C: 1) cost 10 in 2027 and 6 in 2028: all three fit.
    assert result == {
        "chosen": ["A", "B", "C"],
        "value": 10,
        "spent": {"2027": 10, "2028": 6},
        "binding": ["budget:2027", "min_per_area:cyber", "requires:B->C"],
        "next_unit": {"2027": 0, "2028": 0},
        "excluded_by_trl": [],
    }


@pytest.mark.parametrize(
    ("change", "field", "words"),
    [
        ("requires: [C]", "requires", "no project has the id 'Z'"),
        ("cost: {2027: 4, 2028: 3}", "cost.2029", "a year without a budget"),
        ("value: 4", "value", "exactly one of value and criteria"),
        ("area: space", "trl.colour", "unknown field"),
        ("id: B", "id", "appears twice"),
        ("value: 4", "value", "not a valid value"),
    ],
    ids=["unknown-requirement", "unbudgeted-year", "value-and-criteria", "unknown-field", "duplicate", "bad-number"],
)
def test_errors_name_the_file_the_project_and_the_field(tmp_path: Path, change: str, field: str, words: str) -> None:
    replacement = {
        "requires": "requires: [Z]",
        "cost.2029": "cost: {2027: 4, 2029: 3}",
        "value": "value: 4, criteria: {x: 1}" if "exactly" in words else "value: lots",
        "trl.colour": "area: space, trl: {now: 3, target: 4, colour: red}",
        "id": "id: A",
    }[field]
    path = write(tmp_path, SMALL.replace(change, replacement, 1))
    with pytest.raises(InputError) as raised:
        load(path)
    error = raised.value
    assert error.location.file == path
    assert error.location.field == (None if field == "value" and "exactly" in words else field)
    assert words in str(error)
    assert "project A" in str(error) or "project B" in str(error)


def test_keys_outside_the_format_are_ignored_and_named(tmp_path: Path) -> None:
    path = write(tmp_path, "notes: draft\n" + SMALL.replace("area: space", "area: space, colour: red", 1))
    loaded = load(path)
    assert loaded.ignored == [("", "notes"), ("B", "colour")]
    assert optimize(loaded) == optimize(load(write(tmp_path, SMALL, "plain.yaml")))


def test_a_yaml_alias_is_refused_naming_the_file(tmp_path: Path) -> None:
    path = write(tmp_path, "budget: &b {2027: 1}\nmin_per_area: *b\nprojects: []\n")
    with pytest.raises(InputError, match="aliases") as raised:
        load(path)
    assert raised.value.location.file == path


def workbook(tmp_path: Path, projects: list[dict[str, Any]]) -> Path:
    book = Workbook()
    budget = book.active
    assert budget is not None
    budget.title = "budget"
    budget.append(["year", "amount"])
    budget.append([2027, 10])
    budget.append([2028, 10])
    minimums = book.create_sheet("min_per_area")
    minimums.append(["area", "minimum"])
    minimums.append(["cyber", 1])
    sheet = book.create_sheet("projects")
    columns = ["id", "value", "area", "cost_2027", "cost_2028", "requires"]
    sheet.append(columns)
    for project in projects:
        sheet.append([project.get(c) for c in columns])
    path = tmp_path / "p.xlsx"
    book.save(path)
    return path


def test_a_workbook_gives_the_same_portfolio_as_the_yaml(tmp_path: Path) -> None:
    rows = [
        {"id": "A", "value": 5, "area": "cyber", "cost_2027": 6},
        {"id": "B", "value": 4, "area": "space", "cost_2027": 4, "cost_2028": 3, "requires": "C"},
        {"id": "C", "value": 1, "area": "space", "cost_2028": 3},
    ]
    from_book = optimize(load(workbook(tmp_path, rows)))
    assert from_book == optimize(load(write(tmp_path, SMALL)))


def test_a_workbook_error_names_the_row(tmp_path: Path) -> None:
    rows = [{"id": "A", "value": 5, "area": "cyber"}, {"id": "B", "value": "many", "area": "space"}]
    with pytest.raises(InputError) as raised:
        load(workbook(tmp_path, rows))
    assert raised.value.location.row == 3  # the header is row 1
    assert raised.value.location.field == "value"


# ---------------------------------------------------------------- the command line


def test_schema_prints_json_schema(cli: Any) -> None:
    result = cli("portfolio", "schema")
    assert result.code == 0
    printed = json.loads(result.out)
    assert {"budget", "projects", "min_per_area", "max_trl_gap"} <= set(printed["properties"])


def test_optimize_prints_json_and_a_table(cli: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = write(tmp_path, SMALL)
    result = cli("portfolio", "optimize", path)
    assert result.code == 0
    assert json.loads(result.out)["chosen"] == ["A", "B", "C"]
    monkeypatch.setenv("COLUMNS", "200")
    table = cli("portfolio", "optimize", path, "--format", "table")
    assert table.code == 0 and "total value: 10" in table.out and "budget:2027" in table.out
    monkeypatch.setenv("KIZASHI_LANG", "ja")
    table = cli("portfolio", "optimize", path, "--format", "table")
    assert table.code == 0 and "価値の合計: 10" in table.out


def test_an_infeasible_file_exits_2_naming_the_conflict(
    cli: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = write(tmp_path, INFEASIBLE)
    result = cli("portfolio", "optimize", path)
    assert result.code == 2 and result.out == ""
    assert "budget:2027 (budget 2027: at most 5); min_per_area:cyber" in result.err
    monkeypatch.setenv("KIZASHI_LANG", "ja")
    monkeypatch.setenv("COLUMNS", "300")
    result = cli("portfolio", "optimize", path)
    assert result.code == 2
    assert "矛盾しています" in result.err and "2027 年度の予算: 5 以下" in result.err


@pytest.mark.parametrize(
    "args",
    [("optimize", "missing.yaml"), ("optimize", "EXAMPLE", "--format", "csv"), ("optimize", "BAD")],
    ids=["missing-file", "unknown-format", "bad-file"],
)
def test_bad_input_exits_2(cli: Any, tmp_path: Path, args: tuple[str, ...]) -> None:
    bad = write(tmp_path, SMALL.replace("requires: [C]", "requires: [Q]"))
    named = [str(EXAMPLE) if a == "EXAMPLE" else str(bad) if a == "BAD" else a for a in args]
    result = cli("portfolio", *named)
    assert result.code == 2
    assert result.err.strip()


def test_a_workbook_with_settings_and_criteria_reads_as_its_yaml(tmp_path: Path) -> None:
    book = Workbook()
    sheets = {
        "settings": [["key", "value"], ["max_trl_gap", 3], ["scoring_method", "topsis"], ["scoring_scale", 10]],
        "budget": [["year", "amount"], [2027, 10]],
        "criteria": [["criterion", "weight", "kind"], ["impact", 2, None], ["risk", 1, "cost"]],
        "projects": [
            ["id", "title_ja", "criterion_impact", "criterion_risk", "cost_2027", "trl_now", "trl_target", "excludes"],
            ["A", "甲", 5, 2, 5, 3, 5, "B"],
            ["B", "乙", 3, 1, 5, 3, 7, None],
            ["C", "丙", 4, 3, 5, 3, 4, None],
        ],
    }
    first = book.active
    assert first is not None
    book.remove(first)
    for name, rows in sheets.items():
        sheet = book.create_sheet(name)
        for row in rows:
            sheet.append(row)
    path = tmp_path / "p.xlsx"
    book.save(path)
    text = """
max_trl_gap: 3
budget: {2027: 10}
scoring: {method: topsis, scale: 10, criteria: {impact: {weight: 2}, risk: {weight: 1, kind: cost}}}
projects:
  - {id: A, title_ja: 甲, criteria: {impact: 5, risk: 2}, cost: {2027: 5}, trl: {now: 3, target: 5}, excludes: [B]}
  - {id: B, title_ja: 乙, criteria: {impact: 3, risk: 1}, cost: {2027: 5}, trl: {now: 3, target: 7}}
  - {id: C, title_ja: 丙, criteria: {impact: 4, risk: 3}, cost: {2027: 5}, trl: {now: 3, target: 4}}
"""
    from_book, from_yaml = load(path), load(write(tmp_path, text))
    assert from_book.portfolio == from_yaml.portfolio and from_book.values == from_yaml.values
    assert optimize(from_book)["chosen"] == ["A", "C"]  # B's TRL gap 4 is over 3
