"""Every listing command prints or writes through its service, which then leaves an audit event saying which service,
which command (`via`) and where to."""

from __future__ import annotations

import csv
import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from kizashi.errors import InputError
from kizashi.know.records import list_records
from kizashi.protect.people import actor_for as as_user
from kizashi.store import audit
from kizashi.store.workspace import Workspace

NEEDS = "id,title,label\nn1,Container inspection at border crossing points,PUBLIC\n"
SEEDS = (
    "id,title,organization,label\n"
    "s1,Container inspection with muon tomography,Open Lab,PUBLIC\n"
    "s2,Radar for small drone detection,Radar Lab,PUBLIC\n"
)
# (arguments, the command the audit event names in `via`, the service it names, the rows the file holds)
COMMANDS: list[tuple[list[str], str, str, int]] = [
    (["list", "seeds"], "list", "list", 2),
    (["match-runs"], "match-runs", "match runs", 1),
    (["judgements"], "judgements", "judgements", 1),
    (["experts", "n1"], "experts", "experts", 1),
    (["screen", "classifications"], "screen classifications", "control decisions", 1),
    # the submitter holds no reviewer role: nothing awaits them
    (["review", "queue"], "review queue", "review queue", 0),
    (["review", "show", "s1"], "review show", "review history", 1),
    (["review", "deemed-export-status", "s1"], "review deemed-export-status", "deemed export", 1),
]


@pytest.fixture
def worked(workspace: Workspace, cli, login_as, tmp_path: Path) -> Workspace:
    """A workspace where every listing command has something to show."""
    login_as("tester")
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


@pytest.mark.parametrize(("args", "command", "service", "rows"), COMMANDS, ids=[c[1] for c in COMMANDS])
def test_a_listing_is_a_read_and_a_file_an_export_naming_it(
    worked: Workspace, cli, tmp_path: Path, args: list[str], command: str, service: str, rows: int
) -> None:
    shown = cli(*args)
    assert shown.code == 0, shown.err
    read = _last_event(worked)
    assert (read["actor"], read["action"], read["detail"]["service"]) == ("tester", "read", service)
    assert read["detail"]["via"] == f"cli: kizashi {command}"
    assert "file" not in read["detail"] and read["detail"]["format"] == "table"

    out = tmp_path / "out.csv"
    written = cli(*args, "--format", "csv", "--out", out)
    assert written.code == 0, written.err
    assert written.out.strip() == ""  # the rows went to the file, not the terminal
    with out.open(encoding="utf-8", newline="") as handle:
        assert len(list(csv.DictReader(handle))) == rows
    export = _last_event(worked)
    assert (export["action"], export["detail"]["service"], export["detail"]["file"]) == ("export", service, str(out))
    assert (export["detail"]["via"], export["detail"]["format"]) == (f"cli: kizashi {command}", "csv")

    # Everything else the read recorded, the export records too.
    def rest(detail: dict[str, Any]) -> dict[str, Any]:
        return {k: v for k, v in detail.items() if k not in ("file", "format")}

    assert rest(export["detail"]) == rest(read["detail"])
    assert export["records"] == read["records"]


def test_list_counts_what_it_streamed(worked: Workspace, cli, tmp_path: Path) -> None:
    out = tmp_path / "seeds.jsonl"
    assert cli("list", "seeds", "--format", "jsonl", "--all-columns", "--out", out).code == 0
    assert [json.loads(line)["id"] for line in out.read_text(encoding="utf-8").splitlines()] == ["s1", "s2"]
    event = _last_event(worked)
    assert event["detail"] == {
        "service": "list",
        "kind": "seeds",
        "format": "jsonl",
        "records": 2,
        "file": str(out),
        "via": "cli: kizashi list",
    }
    assert cli("list", "seeds", "--limit", "1").code == 0
    assert _last_event(worked)["detail"] == {
        "service": "list",
        "kind": "seeds",
        "records": 1,
        "format": "table",
        "via": "cli: kizashi list",
    }


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


def test_a_listing_streams_its_rows_once_and_counts_them(worked: Workspace) -> None:
    actor = as_user(worked, "tester")
    pulled: list[str] = []
    received: list[object] = []

    def write(rows: Iterator[dict[str, Any]]) -> None:
        received.append(rows)
        for row in rows:
            pulled.append(row["id"])

    assert list_records(worked, actor, "seeds", write) == 2
    assert pulled == ["s1", "s2"]
    assert len(received) == 1 and not isinstance(received[0], list)  # an iterator, pulled once: it keeps streaming
    event = _last_event(worked)
    assert (event["actor"], event["action"]) == ("tester", "read")
    assert event["detail"]["service"] == "list" and event["detail"]["records"] == 2


def test_a_write_that_fails_records_nothing(worked: Workspace, cli, tmp_path: Path) -> None:
    before = len(list(audit.iter_events(worked)))

    def broken(rows: Iterator[dict[str, Any]]) -> None:
        next(rows)
        raise InputError("--out: the disk is full", field="out")

    with pytest.raises(InputError, match="--out"):
        list_records(worked, as_user(worked, "tester"), "seeds", broken)
    assert len(list(audit.iter_events(worked))) == before
    # Nor from the command line, where a file that cannot be written fails the command.
    refused = cli("list", "seeds", "--format", "csv", "--out", tmp_path / "missing" / "folder" / "out.csv")
    assert refused.code != 0
    assert len(list(audit.iter_events(worked))) == before
