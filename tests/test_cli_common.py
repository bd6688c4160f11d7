"""show_rows: every listing command prints or writes, then leaves an audit event saying which and where to."""

from __future__ import annotations

import csv
import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from kizashi.cli_common import show_rows
from kizashi.errors import InputError
from kizashi.protect import audit
from kizashi.store.workspace import Workspace

NEEDS = "id,title,label\nn1,Container inspection at border crossing points,PUBLIC\n"
SEEDS = (
    "id,title,organization,label\n"
    "s1,Container inspection with muon tomography,Open Lab,PUBLIC\n"
    "s2,Radar for small drone detection,Radar Lab,PUBLIC\n"
)
# (arguments, the command the audit event names, the rows the file holds)
COMMANDS: list[tuple[list[str], str, int]] = [
    (["list", "seeds"], "list", 2),
    (["match-runs"], "match-runs", 1),
    (["judgements"], "judgements", 1),
    (["experts", "n1"], "experts", 1),
    (["screen", "classifications"], "screen classifications", 1),
    (["review", "queue"], "review queue", 0),  # the submitter holds no reviewer role: nothing awaits them
    (["review", "show", "s1"], "review show", 1),
    (["review", "deemed-export-status", "s1"], "review deemed-export-status", 1),
]


@pytest.fixture
def worked(workspace: Workspace, cli, monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Workspace:
    """A workspace where every listing command has something to show."""
    monkeypatch.setenv("KIZASHI_USER", "tester")
    (tmp_path / "needs.csv").write_text(NEEDS, encoding="utf-8")
    (tmp_path / "seeds.csv").write_text(SEEDS, encoding="utf-8")
    for args in (
        ["ingest", "needs", tmp_path / "needs.csv"],
        ["ingest", "seeds", tmp_path / "seeds.csv"],
        ["match", "--top", "1", "--save"],
        ["judge", "n1", "s1", "accept"],
        ["screen", "classify", "s1", "--decision", "not-listed", "--reason", "published work"],
        ["review", "submit", "s1", "--funding", "private"],
        ["review", "deemed-export", "s1", "Ana Silva", "--none"],
    ):
        done = cli(*args)
        assert done.code == 0, (args, done.err)
    return workspace


def _last_event(workspace: Workspace) -> dict[str, Any]:
    return list(audit.iter_events(workspace))[-1]


@pytest.mark.parametrize(("args", "command", "rows"), COMMANDS, ids=[c[1] for c in COMMANDS])
def test_a_listing_is_a_read_and_a_file_an_export_naming_it(
    worked: Workspace, cli, tmp_path: Path, args: list[str], command: str, rows: int
) -> None:
    shown = cli(*args)
    assert shown.code == 0, shown.err
    read = _last_event(worked)
    assert (read["actor"], read["action"], read["detail"]["command"]) == ("tester", "read", command)
    assert "file" not in read["detail"]

    out = tmp_path / "out.csv"
    written = cli(*args, "--format", "csv", "--out", out)
    assert written.code == 0, written.err
    assert written.out.strip() == ""  # the rows went to the file, not the terminal
    with out.open(encoding="utf-8", newline="") as handle:
        assert len(list(csv.DictReader(handle))) == rows
    export = _last_event(worked)
    assert (export["action"], export["detail"]["command"], export["detail"]["file"]) == ("export", command, str(out))
    # Everything else the read recorded, the export records too (`list` adds the format of a file).
    assert {k: v for k, v in export["detail"].items() if k not in ("file", "format")} == read["detail"]
    assert export["records"] == read["records"]


def test_list_counts_what_it_streamed(worked: Workspace, cli, tmp_path: Path) -> None:
    out = tmp_path / "seeds.jsonl"
    assert cli("list", "seeds", "--format", "jsonl", "--all-columns", "--out", out).code == 0
    assert [json.loads(line)["id"] for line in out.read_text(encoding="utf-8").splitlines()] == ["s1", "s2"]
    event = _last_event(worked)
    assert event["detail"] == {
        "command": "list",
        "kind": "seeds",
        "format": "jsonl",
        "records": 2,
        "file": str(out),
    }
    assert cli("list", "seeds", "--limit", "1").code == 0
    assert _last_event(worked)["detail"] == {"command": "list", "kind": "seeds", "records": 1}


@pytest.mark.parametrize(
    "command",
    [("judgements",), ("list", "seeds"), ("screen", "lists"), ("review", "show", "s1"), ("match-runs",)],
)
def test_a_table_with_out_is_refused_before_anything_is_read(
    worked: Workspace, cli, tmp_path: Path, command: tuple[str, ...]
) -> None:
    out = tmp_path / "never.csv"
    before = len(list(audit.iter_events(worked)))
    shown = cli(*command, "--out", out)  # the format is still "table": a table is for the terminal
    assert shown.code == 2 and "--out writes a file" in shown.err
    assert not out.exists() and len(list(audit.iter_events(worked))) == before


def test_show_rows_streams_an_iterator_once_and_counts_it(workspace: Workspace, tmp_path: Path) -> None:
    pulled: list[int] = []

    def rows() -> Iterator[dict[str, Any]]:
        for n in range(3):
            pulled.append(n)
            yield {"n": n, "twice": 2 * n}

    out = tmp_path / "rows.jsonl"
    show_rows(workspace, "ana", rows(), ["n", "twice"], "jsonl", out, command="test", detail={"why": "x"}, count="rows")
    assert pulled == [0, 1, 2]
    assert [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()] == [
        {"n": 0, "twice": 0},
        {"n": 1, "twice": 2},
        {"n": 2, "twice": 4},
    ]
    event = _last_event(workspace)
    assert (event["actor"], event["action"]) == ("ana", "export")
    assert event["detail"] == {"command": "test", "why": "x", "rows": 3, "file": str(out)}


def test_a_write_that_fails_records_nothing(workspace: Workspace) -> None:
    before = len(list(audit.iter_events(workspace)))
    with pytest.raises(InputError, match="--out"):
        show_rows(workspace, "ana", [{"n": 1}], ["n"], "xlsx", None, command="test")
    assert len(list(audit.iter_events(workspace))) == before
