"""`--skip-invalid`: bad rows are set aside and listed (exit code 1); every good row lands, in every file."""

from __future__ import annotations

import csv
import json
from pathlib import Path

from kizashi.policy import Clearance
from kizashi.store.records import iter_records
from kizashi.store.workspace import Workspace

TRUSTED = Clearance.everything("tests")  # these tests read what they wrote; tests/protect check the policy

FIXTURES = Path(__file__).parents[1] / "fixtures"

MIXED = """id,title,trl,deadline,label
G-1,Good one,3,2026-01-31,PUBLIC
B-2,Bad trl,abc,,
G-3,Good three,,,
B-4,Bad date,4,2026-02-30,
B-5,Bad label,,,NOT-A-LEVEL
G-6,Good six,9,,秘
B-7,   ,1,,
B-8,Too ready,10,,
G-9,Good nine,1,2027-12-31,
"""


def ids(workspace: Workspace, kind: str) -> list[str]:
    return [row["id"] for row in iter_records(workspace, kind, TRUSTED)]


def test_bad_rows_are_rejected_and_good_rows_land(workspace: Workspace, tmp_path: Path, cli) -> None:
    path = tmp_path / "mixed.csv"
    path.write_text(MIXED, encoding="utf-8")
    result = cli("ingest", "needs", path, "--skip-invalid", "--format", "json")
    assert result.code == 1, result.err
    report = json.loads(result.out)
    assert (report["added"], report["updated"], report["unchanged"], report["rejected"]) == (4, 0, 0, 5)
    rejected = [(r["location"], r["reason"]) for r in report["rejected_rows"]]
    assert [location for location, _ in rejected] == [
        f"{path}, row 3, field 'trl'",
        f"{path}, row 5, field 'deadline'",
        f"{path}, row 6, field 'label'",
        f"{path}, row 8, field 'title'",
        f"{path}, row 9, field 'trl'",
    ]
    assert "2026-02-30" in rejected[1][1]
    assert "NOT-A-LEVEL" in rejected[2][1]
    assert ids(workspace, "needs") == ["G-1", "G-3", "G-6", "G-9"]


def test_table_report_lists_the_rejected_rows(workspace: Workspace, tmp_path: Path, cli) -> None:
    path = tmp_path / "mixed.csv"
    path.write_text(MIXED, encoding="utf-8")
    result = cli("ingest", "needs", path, "--skip-invalid")
    assert result.code == 1
    text = " ".join(result.out.split())
    assert "4 added" in text and "5 rejected" in text
    assert "row 5, field 'deadline'" in text


def test_without_skip_invalid_the_same_file_lands_nothing(workspace: Workspace, tmp_path: Path, cli, snapshot) -> None:
    path = tmp_path / "mixed.csv"
    path.write_text(MIXED, encoding="utf-8")
    before = snapshot(workspace)
    result = cli("ingest", "needs", path)
    assert result.code == 2
    assert "row 3, field 'trl'" in " ".join(result.err.split())
    assert snapshot(workspace) == before


def test_good_rows_of_every_file_land(workspace: Workspace, tmp_path: Path, cli) -> None:
    first = tmp_path / "first.jsonl"
    first.write_text(
        '{"id": "A-1", "title": "One"}\n{"id": "A-2", "title": "Two", "trl": 0}\n{"id": "A-3", "title": "Three"}\n',
        encoding="utf-8",
    )
    second = tmp_path / "second.csv"
    second.write_text("id,title,trl\nB-1,One,x\nB-2,Two,2\n", encoding="utf-8")
    result = cli("ingest", "seeds", first, second, "--skip-invalid", "--format", "json")
    assert result.code == 1
    report = json.loads(result.out)
    assert [r["location"] for r in report["rejected_rows"]] == [
        f"{first}, row 2, field 'trl'",
        f"{second}, row 2, field 'trl'",
    ]
    assert ids(workspace, "seeds") == ["A-1", "A-3", "B-2"]


def test_skip_invalid_with_cordis_works(workspace: Workspace, tmp_path: Path, cli) -> None:
    with (FIXTURES / "cordis" / "projects.csv").open(encoding="utf-8", newline="") as handle:
        reader = csv.DictReader(handle)
        columns, rows = list(reader.fieldnames or []), list(reader)
    rows[3]["startDate"] = "someday"
    rows[10]["title"] = ""
    path = tmp_path / "projects.csv"
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, columns)
        writer.writeheader()
        writer.writerows(rows)
    result = cli("ingest", "works", path, "--skip-invalid", "--format", "json")
    assert result.code == 1
    report = json.loads(result.out)
    assert (report["added"], report["rejected"]) == (28, 2)
    fields = [r["location"].rsplit("field ", 1)[1] for r in report["rejected_rows"]]
    assert fields == ["'startDate'", "'title'"]
    stored = set(ids(workspace, "works"))
    assert f"cordis:{rows[3]['id']}" not in stored
    assert f"cordis:{rows[10]['id']}" not in stored
    assert len(stored) == 28
    # The corpus part holds exactly the works that landed.
    import pyarrow.parquet as pq

    part = pq.read_table(workspace.corpus_dir / "works" / f"part-{report['import_id']:08d}.parquet")
    assert sorted(part.column("id").to_pylist()) == sorted(stored)


def test_skip_invalid_with_reference_yaml(workspace: Workspace, tmp_path: Path, cli) -> None:
    path = tmp_path / "threats.yaml"
    path.write_text(
        "threats:\n"
        "  - {id: a, category: c, name_en: A, name_ja: エー}\n"
        "  - {id: b, category: c, name_en: B, name_ja: ビー, impact: 6}\n"
        "  - {id: c, category: c, name_en: C, name_ja: シー, horizon: near}\n",
        encoding="utf-8",
    )
    result = cli("ingest", "threats", path, "--skip-invalid", "--format", "json")
    assert result.code == 1
    assert json.loads(result.out)["rejected_rows"][0]["location"] == f"{path}, row 2, field 'impact'"
    assert ids(workspace, "threats") == ["a", "c"]


def test_all_rows_invalid(workspace: Workspace, tmp_path: Path, cli) -> None:
    path = tmp_path / "bad.csv"
    path.write_text("id,title,trl\nA,One,x\nB,Two,y\n", encoding="utf-8")
    result = cli("ingest", "needs", path, "--skip-invalid", "--format", "json")
    assert result.code == 1
    assert json.loads(result.out)["rejected"] == 2
    assert ids(workspace, "needs") == []


def test_a_structurally_broken_file_still_fails(workspace: Workspace, cli, snapshot) -> None:
    # --skip-invalid sets rows aside; it never turns a broken file into a partial import.
    before = snapshot(workspace)
    for name, kind in (
        ("broken_line.jsonl", "needs"),
        ("duplicate_ids.csv", "needs"),
        ("too_many_cells.csv", "needs"),
        ("bad_encoding.csv", "needs"),
        ("broken.yaml", "threats"),
    ):
        result = cli("ingest", kind, FIXTURES / "broken" / name, "--skip-invalid")
        assert result.code == 2, name
        assert name in result.err
    assert snapshot(workspace) == before


def test_all_good_rows_exit_0(workspace: Workspace, cli) -> None:
    result = cli("ingest", "needs", FIXTURES / "needs" / "needs.csv", "--skip-invalid", "--format", "json")
    assert result.code == 0
    assert json.loads(result.out)["rejected_rows"] == []
