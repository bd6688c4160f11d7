"""Re-importing the same file updates, never duplicates: ids are stable; only changed rows are written."""

from __future__ import annotations

import csv
import json
import shutil
from collections.abc import Callable
from pathlib import Path

import pytest
from openpyxl import load_workbook
from sqlalchemy import func, select

from kizashi.ingest.dispatch import ingest
from kizashi.model import Import
from kizashi.policy import Clearance
from kizashi.protect.people import actor_for as as_user
from kizashi.store.records import counts, iter_records
from kizashi.store.workspace import Workspace

TRUSTED = Clearance.everything("tests")  # these tests read what they wrote; tests/protect check the policy

FIXTURES = Path(__file__).parents[1] / "fixtures"


def edit_csv(path: Path, record_id: str, column: str, value: str) -> None:
    with path.open(encoding="utf-8", newline="") as handle:
        reader = csv.DictReader(handle)
        columns, rows = list(reader.fieldnames or []), list(reader)
    for row in rows:
        if row["id"] == record_id:
            row[column] = value
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, columns)
        writer.writeheader()
        writer.writerows(rows)


def edit_xlsx(path: Path, record_id: str, column: str, value: str) -> None:
    book = load_workbook(path)
    sheet = book.worksheets[0]
    header = [cell.value for cell in sheet[1]]
    for row in sheet.iter_rows(min_row=2):
        if row[0].value == record_id:
            row[header.index(column)].value = value
    book.save(path)


def edit_jsonl(path: Path, record_id: str, column: str, value: str) -> None:
    lines = path.read_text(encoding="utf-8").splitlines()
    objects = [json.loads(line) for line in lines]
    for item in objects:
        if item["id"] == record_id:
            item[column] = value
    path.write_text("".join(json.dumps(o, ensure_ascii=False) + "\n" for o in objects), encoding="utf-8")


EDITORS: dict[str, Callable[[Path, str, str, str], None]] = {"csv": edit_csv, "xlsx": edit_xlsx, "jsonl": edit_jsonl}


def all_rows(workspace: Workspace, kind: str) -> dict[str, dict[str, object]]:
    return {row["id"]: row for row in iter_records(workspace, kind, TRUSTED)}


@pytest.mark.parametrize(
    ("kind", "suffix", "record_id"),
    [
        ("needs", "csv", "DS-02-2014"),
        ("needs", "xlsx", "DS-02-2014"),
        ("seeds", "jsonl", "cordis:653355"),
        ("seeds", "xlsx", "cordis:653355"),
    ],
)
def test_reimport_unchanged_then_one_edit(
    workspace: Workspace, tmp_path: Path, kind: str, suffix: str, record_id: str
) -> None:
    path = tmp_path / f"{kind}.{suffix}"
    shutil.copy(FIXTURES / kind / f"{kind}.{suffix}", path)
    first = ingest(workspace, as_user(workspace, "tester"), kind, [path])
    total = first.added
    before = all_rows(workspace, kind)

    second = ingest(workspace, as_user(workspace, "tester"), kind, [path])
    assert (second.added, second.updated, second.unchanged) == (0, 0, total)
    assert all_rows(workspace, kind) == before  # not even the import id or the update time moved

    EDITORS[suffix](path, record_id, "title", "An edited title")
    third = ingest(workspace, as_user(workspace, "tester"), kind, [path])
    assert (third.added, third.updated, third.unchanged) == (0, 1, total - 1)
    assert counts(workspace, TRUSTED)[kind] == total
    after = all_rows(workspace, kind)
    assert after[record_id]["title"] == "An edited title"
    assert after[record_id]["import_id"] == third.import_id
    assert after[record_id]["created_at"] == before[record_id]["created_at"]
    for other_id, row in before.items():
        if other_id != record_id:
            assert after[other_id] == row


def test_reimport_of_cordis_works(workspace: Workspace, tmp_path: Path) -> None:
    for name in ("projects.csv", "organisations.csv"):
        shutil.copy(FIXTURES / "cordis" / name, tmp_path / name)
    files = [tmp_path / "projects.csv", tmp_path / "organisations.csv"]
    assert ingest(workspace, as_user(workspace, "tester"), "works", files).added == 30
    again = ingest(workspace, as_user(workspace, "tester"), "works", files)
    assert (again.added, again.updated, again.unchanged) == (0, 0, 30)
    edit_csv(tmp_path / "projects.csv", "653355", "objective", "A shorter objective.")
    third = ingest(workspace, as_user(workspace, "tester"), "works", files)
    assert (third.added, third.updated, third.unchanged) == (0, 1, 29)
    assert counts(workspace, TRUSTED)["works"] == 30
    assert all_rows(workspace, "works")["cordis:653355"]["abstract"] == "A shorter objective."


def test_an_edit_of_a_list_or_extra_column_is_an_update(workspace: Workspace, tmp_path: Path) -> None:
    path = tmp_path / "needs.csv"
    shutil.copy(FIXTURES / "needs" / "needs.csv", path)
    ingest(workspace, as_user(workspace, "tester"), "needs", [path])
    edit_csv(path, "DS-02-2014", "keywords", "access control; biometrics")
    edit_csv(path, "SEC-18-BES-2017", "work_programme", "2016-17")
    report = ingest(workspace, as_user(workspace, "tester"), "needs", [path])
    assert (report.added, report.updated) == (0, 2)
    rows = all_rows(workspace, "needs")
    assert rows["DS-02-2014"]["keywords"] == ["access control", "biometrics"]
    assert rows["SEC-18-BES-2017"]["extra"]["work_programme"] == "2016-17"


def test_new_rows_are_added_beside_existing_ones(workspace: Workspace, tmp_path: Path) -> None:
    path = tmp_path / "needs.csv"
    path.write_text("id,title\nA,One\nB,Two\n", encoding="utf-8")
    ingest(workspace, as_user(workspace, "tester"), "needs", [path])
    path.write_text("id,title\nB,Two\nC,Three\n", encoding="utf-8")
    report = ingest(workspace, as_user(workspace, "tester"), "needs", [path])
    assert (report.added, report.updated, report.unchanged) == (1, 0, 1)
    assert sorted(all_rows(workspace, "needs")) == ["A", "B", "C"]  # an import never deletes


def test_each_import_is_recorded_with_its_counts(workspace: Workspace) -> None:
    ingest(workspace, as_user(workspace, "tester"), "needs", [FIXTURES / "needs" / "needs.csv"])
    ingest(workspace, as_user(workspace, "tester"), "needs", [FIXTURES / "needs" / "needs.csv"])
    with workspace.session() as session:
        imports = session.scalars(select(Import).order_by(Import.id)).all()
        assert session.scalar(select(func.count()).select_from(Import)) == 2
    assert [i.kind for i in imports] == ["needs", "needs"]
    assert imports[0].counts == {"added": 25, "updated": 0, "unchanged": 0, "rejected": 0}
    assert imports[1].counts == {"added": 0, "updated": 0, "unchanged": 25, "rejected": 0}
    assert imports[0].files == [str(FIXTURES / "needs" / "needs.csv")]


@pytest.mark.parametrize("batch_size", ["1", "7"])
def test_small_batches_give_the_same_result(
    workspace: Workspace, monkeypatch: pytest.MonkeyPatch, batch_size: str
) -> None:
    monkeypatch.setenv("KIZASHI_BATCH_SIZE", batch_size)
    first = ingest(workspace, as_user(workspace, "tester"), "needs", [FIXTURES / "needs" / "needs.csv"])
    assert first.added == 25
    again = ingest(workspace, as_user(workspace, "tester"), "needs", [FIXTURES / "needs" / "needs.jsonl"])
    assert again.unchanged == 25
