"""The Parquet corpus: one part per works import, holding exactly the works it added or updated; `corpus sync`
rebuilds missing parts from the store and removes temporary leftovers."""

from __future__ import annotations

import csv
import shutil
from pathlib import Path
from typing import Any

import pyarrow.parquet as pq
import pytest

from kizashi.ingest.dispatch import ingest
from kizashi.policy import Clearance
from kizashi.protect.people import actor_for as as_user
from kizashi.store.corpus import WORKS_SCHEMA, corpus_row, part_path, works_dir
from kizashi.store.records import iter_records
from kizashi.store.workspace import Workspace

TRUSTED = Clearance.everything("tests")  # these tests read what they wrote; tests/protect check the policy

FIXTURES = Path(__file__).parents[1] / "fixtures"
CORDIS = FIXTURES / "cordis"


def part_rows(path: Path) -> dict[str, dict[str, Any]]:
    table = pq.read_table(path)
    assert table.schema.equals(WORKS_SCHEMA)
    return {row["id"]: row for row in table.to_pylist()}


def store_rows(workspace: Workspace) -> dict[str, dict[str, Any]]:
    rows = (corpus_row(row) for row in iter_records(workspace, "works", TRUSTED))
    return {row["id"]: {c: row.get(c) for c in WORKS_SCHEMA.names} for row in rows}


def effective_corpus(workspace: Workspace) -> dict[str, dict[str, Any]]:
    """What a reader of the corpus sees: for each id, the row of the highest import."""
    latest: dict[str, dict[str, Any]] = {}
    for path in sorted(works_dir(workspace).glob("part-*.parquet")):
        for work_id, row in part_rows(path).items():
            if work_id not in latest or row["import_id"] > latest[work_id]["import_id"]:
                latest[work_id] = row
    return latest


def copy_cordis(tmp_path: Path) -> list[Path]:
    for name in ("projects.csv", "organisations.csv"):
        shutil.copy(CORDIS / name, tmp_path / name)
    return [tmp_path / "projects.csv", tmp_path / "organisations.csv"]


def edit_title(path: Path, project_id: str, title: str) -> None:
    with path.open(encoding="utf-8", newline="") as handle:
        reader = csv.DictReader(handle)
        columns, rows = list(reader.fieldnames or []), list(reader)
    for row in rows:
        if row["id"] == project_id:
            row["title"] = title
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, columns)
        writer.writeheader()
        writer.writerows(rows)


def test_a_works_import_writes_exactly_its_works(workspace: Workspace, tmp_path: Path) -> None:
    files = copy_cordis(tmp_path)
    report = ingest(workspace, as_user(workspace, "tester"), "works", files)
    path = part_path(workspace, report.import_id)
    assert path.exists()
    rows = part_rows(path)
    assert rows == store_rows(workspace)
    assert len(rows) == 30
    assert {row["import_id"] for row in rows.values()} == {report.import_id}
    assert not list(works_dir(workspace).glob(".tmp-*"))


def test_unchanged_reimport_adds_an_empty_part_and_an_edit_a_part_of_one(workspace: Workspace, tmp_path: Path) -> None:
    files = copy_cordis(tmp_path)
    first = ingest(workspace, as_user(workspace, "tester"), "works", files)
    second = ingest(workspace, as_user(workspace, "tester"), "works", files)
    empty = part_path(workspace, second.import_id)
    assert empty.exists()
    assert pq.read_table(empty).num_rows == 0
    assert pq.read_table(empty).schema.equals(WORKS_SCHEMA)

    edit_title(files[0], "653355", "An edited title")
    third = ingest(workspace, as_user(workspace, "tester"), "works", files)
    rows = part_rows(part_path(workspace, third.import_id))
    assert list(rows) == ["cordis:653355"]
    assert rows["cordis:653355"]["title"] == "An edited title"
    assert rows["cordis:653355"] == store_rows(workspace)["cordis:653355"]
    # The first part still holds the old version; readers take the latest.
    assert part_rows(part_path(workspace, first.import_id))["cordis:653355"]["title"] != "An edited title"
    assert effective_corpus(workspace) == store_rows(workspace)
    assert sorted(p.name for p in works_dir(workspace).iterdir()) == [
        f"part-{i:08d}.parquet" for i in (first.import_id, second.import_id, third.import_id)
    ]


def test_other_kinds_write_no_part(workspace: Workspace) -> None:
    ingest(workspace, as_user(workspace, "tester"), "needs", [FIXTURES / "needs" / "needs.csv"])
    ingest(workspace, as_user(workspace, "tester"), "seeds", [CORDIS / "projects.csv"])
    folder = works_dir(workspace)
    assert not folder.exists() or not list(folder.iterdir())


def test_sync_rebuilds_a_deleted_part_with_the_same_rows(workspace: Workspace, tmp_path: Path, cli) -> None:
    files = copy_cordis(tmp_path)
    ingest(
        workspace,
        as_user(workspace, "tester"),
        "works",
        [CORDIS / "official" / "project.csv", CORDIS / "official" / "organization.csv"],
    )
    edit_title(files[0], "653355", "An edited title")
    report = ingest(
        workspace, as_user(workspace, "tester"), "works", files
    )  # updates the works whose values differ between the two forms
    path = part_path(workspace, report.import_id)
    original = part_rows(path)
    assert original
    path.unlink()
    result = cli("corpus", "sync")
    assert result.code == 0, result.err
    assert "rebuilt 1 part" in result.out
    assert part_rows(path) == original
    # Nothing left to do the second time.
    assert "rebuilt 0 part" in cli("corpus", "sync").out
    assert effective_corpus(workspace) == store_rows(workspace)


def test_sync_rebuilds_every_missing_part_and_removes_leftovers(workspace: Workspace, tmp_path: Path, cli) -> None:
    files = copy_cordis(tmp_path)
    ingest(workspace, as_user(workspace, "tester"), "works", files)
    edit_title(files[0], "653355", "Another title")
    ingest(workspace, as_user(workspace, "tester"), "works", files)
    for path in works_dir(workspace).glob("part-*.parquet"):
        path.unlink()
    leftover = works_dir(workspace) / ".tmp-0123456789abcdef.parquet"
    leftover.write_bytes(b"half a file")
    result = cli("corpus", "sync")
    assert result.code == 0
    assert "rebuilt 2 part" in result.out
    assert not leftover.exists()
    # A rebuilt part holds the works the store attributes to that import now: the superseded version is gone,
    # and what readers see is exactly the store.
    assert effective_corpus(workspace) == store_rows(workspace)


def test_sync_leaves_the_part_of_an_import_still_running(workspace: Workspace, cli) -> None:
    # A second command's sync must not delete the temporary part of an import running in another process.
    import subprocess
    import sys

    runner = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(30)"])
    try:
        folder = works_dir(workspace)
        folder.mkdir(parents=True, exist_ok=True)
        running = folder / f".tmp-{runner.pid}-0123.parquet"
        running.write_bytes(b"being written")
        assert cli("corpus", "sync").code == 0
        assert running.exists()
    finally:
        runner.kill()
        runner.wait()
    assert cli("corpus", "sync").code == 0
    assert not running.exists()


def test_a_works_import_heals_the_corpus_first(workspace: Workspace, tmp_path: Path) -> None:
    files = copy_cordis(tmp_path)
    first = ingest(workspace, as_user(workspace, "tester"), "works", files)
    part_path(workspace, first.import_id).unlink()
    ingest(workspace, as_user(workspace, "tester"), "works", [CORDIS / "official" / "project.csv"])
    assert part_path(workspace, first.import_id).exists()
    assert effective_corpus(workspace) == store_rows(workspace)


@pytest.mark.parametrize("rows_per_group", [7, 50_000])
def test_parts_larger_than_a_row_group(
    workspace: Workspace, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, rows_per_group: int
) -> None:
    monkeypatch.setattr("kizashi.store.corpus.ROWS_PER_GROUP", rows_per_group)
    monkeypatch.setenv("KIZASHI_BATCH_SIZE", "4")
    report = ingest(workspace, as_user(workspace, "tester"), "works", copy_cordis(tmp_path))
    assert part_rows(part_path(workspace, report.import_id)) == store_rows(workspace)
