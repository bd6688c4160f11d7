"""The command line: listings in every format give back what was loaded; status; exit codes."""

from __future__ import annotations

import csv
import io
import json
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from openpyxl import load_workbook

from kizashi import __version__
from kizashi.model import Need
from kizashi.store.records import LIST_COLUMNS
from kizashi.store.workspace import Workspace

FIXTURES = Path(__file__).parents[1] / "fixtures"
NEEDS = [FIXTURES / "needs" / "needs.csv", FIXTURES / "japanese" / "needs_ja.csv"]
LEVELS = {"公開": "PUBLIC", "部内限り": "INTERNAL", "秘": "CONFIDENTIAL", "極秘": "SECRET"}
STATEMENT_COLUMNS = {
    "id",
    "title",
    "description",
    "lang",
    "keywords",
    "organization",
    "country",
    "trl",
    "threat",
    "deadline",
    "label",
}


def loaded_needs() -> dict[str, dict[str, Any]]:
    """The needs of NEEDS as the files state them, read with the csv module."""
    needs = {}
    for path in NEEDS:
        with path.open(encoding="utf-8", newline="") as handle:
            for row in csv.DictReader(handle):
                needs[row["id"]] = {
                    "id": row["id"],
                    "title": row["title"].strip(),
                    "description": row["description"],
                    "lang": row["lang"] or "ja",
                    "keywords": [
                        k.strip()
                        for k in row["keywords"].replace("、", ";").replace("；", ";").replace("|", ";").split(";")
                        if k.strip()
                    ],
                    "organization": row["organization"],
                    "country": row["country"].upper() or None,
                    "trl": int(row["trl"]) if row["trl"] else None,
                    "threat": row["threat"] or None,
                    "deadline": row["deadline"] or None,
                    "level": LEVELS.get(row["label"], row["label"]),
                    "extra": {k: v for k, v in row.items() if k not in STATEMENT_COLUMNS and v},
                }
    return needs


@pytest.fixture
def with_needs(workspace: Workspace, cli) -> Workspace:
    for path in NEEDS:
        assert cli("ingest", "needs", path).code == 0
    return workspace


def test_list_json_gives_back_every_column(with_needs: Workspace, cli) -> None:
    result = cli("list", "needs", "--format", "json")
    assert result.code == 0, result.err
    listed = json.loads(result.out)
    expected = loaded_needs()
    assert [row["id"] for row in listed] == sorted(expected)
    for row in listed:
        for key, value in expected[row["id"]].items():
            assert row[key] == value, (row["id"], key)
        # Every column of the table, but the content hash: bookkeeping, never shown (kizashi.know.records,
        # HIDDEN_FIELDS, the same for the command line, the pages and the API since the one service layer).
        assert set(row) == {column.name for column in Need.__table__.columns} - {"content_hash"}
        assert {"import_id", "created_at", "updated_at", "compartments"} <= set(row)


def test_list_jsonl(with_needs: Workspace, cli) -> None:
    result = cli("list", "needs", "--format", "jsonl")
    assert result.code == 0
    lines = result.out.splitlines()
    expected = loaded_needs()
    assert len(lines) == len(expected) == 31
    for line in lines:
        row = json.loads(line)
        for key, value in expected[row["id"]].items():
            assert row[key] == value, (row["id"], key)


def test_list_csv_has_every_column_the_main_ones_first(with_needs: Workspace, cli) -> None:
    result = cli("list", "needs", "--format", "csv")
    assert result.code == 0
    reader = csv.DictReader(io.StringIO(result.out, newline=""))
    assert reader.fieldnames is not None
    # A file holds every field (a file without the descriptions would match on titles alone): the main columns
    # first, in the order the table shows them, then the rest; the content hash is bookkeeping, never exported.
    assert reader.fieldnames[: len(LIST_COLUMNS["needs"])] == LIST_COLUMNS["needs"]
    assert set(reader.fieldnames) == {column.name for column in Need.__table__.columns} - {"content_hash"}
    rows = list(reader)
    expected = loaded_needs()
    assert len(rows) == len(expected)
    for row in rows:
        want = expected[row["id"]]
        for key in [*LIST_COLUMNS["needs"], "description"]:
            value = want.get(key)
            assert row[key] == ("" if value is None else str(value)), (row["id"], key)


def test_list_csv_all_columns_to_a_file(with_needs: Workspace, cli, tmp_path: Path) -> None:
    out = tmp_path / "needs.csv"
    result = cli("list", "needs", "--format", "csv", "--all-columns", "--out", out)
    assert result.code == 0
    assert result.out == ""
    with out.open(encoding="utf-8", newline="") as handle:
        rows = {row["id"]: row for row in csv.DictReader(handle)}
    expected = loaded_needs()
    assert rows["JA-002"]["description"] == expected["JA-002"]["description"]  # a line break inside the cell
    assert rows["JA-002"]["keywords"] == "; ".join(expected["JA-002"]["keywords"])
    assert json.loads(rows["JA-002"]["extra"]) == expected["JA-002"]["extra"]


def test_list_xlsx(with_needs: Workspace, cli, tmp_path: Path) -> None:
    out = tmp_path / "needs.xlsx"
    result = cli("list", "needs", "--format", "xlsx", "--out", out)
    assert result.code == 0, result.err
    sheet = load_workbook(out, read_only=True).worksheets[0]
    rows = list(sheet.iter_rows(values_only=True))
    header = [str(cell) for cell in rows[0]]
    assert header[: len(LIST_COLUMNS["needs"])] == LIST_COLUMNS["needs"] and "description" in header
    expected = loaded_needs()
    assert len(rows) - 1 == len(expected)
    for cells in rows[1:]:
        row = dict(zip(header, cells, strict=True))
        want = expected[row["id"]]
        for key in [*LIST_COLUMNS["needs"], "description"]:
            value = want.get(key)
            assert (row[key] if row[key] is not None else "") == ("" if value is None else value), (row["id"], key)


def test_list_xlsx_needs_out(with_needs: Workspace, cli) -> None:
    result = cli("list", "needs", "--format", "xlsx")
    assert result.code == 2
    assert "--out" in result.err


def test_list_table_and_limit(with_needs: Workspace, cli) -> None:
    result = cli("list", "needs")
    assert result.code == 0
    # A table for people (it wraps and shortens cells to fit the terminal): the level column shows in full.
    assert "PUBLIC" in result.out and "needs" in result.out
    limited = json.loads(cli("list", "needs", "--format", "json", "--limit", "3").out)
    assert [row["id"] for row in limited] == sorted(loaded_needs())[:3]


def test_list_of_an_empty_kind(workspace: Workspace, cli) -> None:
    assert json.loads(cli("list", "seeds", "--format", "json").out) == []
    assert cli("list", "seeds", "--format", "jsonl").out == ""
    assert cli("list", "seeds", "--format", "csv").out.splitlines() == [",".join(LIST_COLUMNS["seeds"])]


@pytest.mark.parametrize("args", [["list", "widgets"], ["list", "needs", "--format", "yaml"]])
def test_list_bad_arguments_exit_2(workspace: Workspace, cli, args: list[str]) -> None:
    result = cli(*args)
    assert result.code == 2
    assert args[-1] in result.err


def test_status_json(workspace: Workspace, cli) -> None:
    assert cli("ingest", "needs", NEEDS[0]).code == 0
    assert cli("ingest", "works", FIXTURES / "cordis" / "projects.csv").code == 0
    assert cli("ingest", "threats", FIXTURES / "reference" / "threats.csv").code == 0
    result = cli("status", "--format", "json")
    assert result.code == 0
    assert json.loads(result.out) == [
        {"kind": "needs", "count": 25},
        {"kind": "seeds", "count": 0},
        {"kind": "works", "count": 30},
        {"kind": "threats", "count": 4},
        {"kind": "technologies", "count": 0},
    ]
    table = cli("status")
    assert table.code == 0 and "works" in table.out and "30" in table.out


def test_ingest_json_report(workspace: Workspace, cli) -> None:
    result = cli("ingest", "needs", NEEDS[0], "--format", "json")
    assert result.code == 0
    report = json.loads(result.out)
    assert report == {
        "kind": "needs",
        "import_id": report["import_id"],
        "added": 25,
        "updated": 0,
        "unchanged": 0,
        "rejected": 0,
        "rejected_rows": [],
    }
    assert isinstance(report["import_id"], int)


def test_version(cli) -> None:
    result = cli("--version")
    assert result.code == 0
    assert __version__ in result.out


def test_help_without_arguments(cli) -> None:
    result = cli()
    assert result.code in (0, 2)
    assert "ingest" in result.out + result.err


def test_deadline_is_iso_in_every_listing(with_needs: Workspace, cli) -> None:
    [row] = [r for r in json.loads(cli("list", "needs", "--format", "json").out) if r["id"] == "JA-001"]
    assert date.fromisoformat(row["deadline"]) == date(2026, 3, 31)


@pytest.mark.slow
def test_python_dash_m_kizashi(tmp_path: Path) -> None:
    import subprocess
    import sys

    result = subprocess.run(
        [sys.executable, "-m", "kizashi", "status", "--workspace", str(tmp_path / "none")],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert result.returncode == 2
    assert "kizashi init" in result.stderr
