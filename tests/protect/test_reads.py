"""Every read path goes through the policy: listings, counts, CLI output (all formats), the overview report."""

from __future__ import annotations

import csv
import json
from datetime import UTC, datetime
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from kizashi.ingest.dispatch import ingest
from kizashi.policy import LEVELS, Clearance, Label, can_read
from kizashi.protect.people import actor_for as as_user
from kizashi.protect.people import add_user, grant, record_training
from kizashi.report.overview import build_overview
from kizashi.store import audit
from kizashi.store.records import counts, iter_records
from kizashi.store.workspace import Workspace

ADMIN = "admin1"
COMPARTMENTS = ["k-program", "ministry", "防衛"]
PAST = datetime(2026, 1, 1, tzinfo=UTC)


def _needs(tmp_path: Path, labels: list[tuple[str, list[str]]]) -> Path:
    path = tmp_path / "needs.jsonl"
    with path.open("w", encoding="utf-8") as handle:
        for number, (level, compartments) in enumerate(labels):
            record = {"id": f"n{number}", "title": f"need {number}", "label": level, "compartments": compartments}
            handle.write(json.dumps(record, ensure_ascii=False) + "\n")
    return path


def _user(workspace: Workspace, name: str, level: str, compartments: list[str]) -> None:
    add_user(workspace, as_user(workspace, ADMIN), name, roles=["analyst"])
    for course in ("security-basics", "secret-handling"):
        record_training(workspace, as_user(workspace, ADMIN), name, course, PAST)
    grant(workspace, as_user(workspace, ADMIN), name, level, compartments=compartments)


LABELS = st.lists(
    st.tuples(st.sampled_from(LEVELS), st.lists(st.sampled_from(COMPARTMENTS), max_size=2, unique=True)),
    min_size=1,
    max_size=12,
)


@settings(max_examples=12, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    labels=LABELS,
    level=st.sampled_from(LEVELS),
    held=st.lists(st.sampled_from(COMPARTMENTS), max_size=3, unique=True),
)
def test_no_path_reads_above_the_clearance(
    workspace: Workspace, tmp_path_factory: pytest.TempPathFactory, cli, login_as, labels, level, held
) -> None:
    tmp_path = tmp_path_factory.mktemp("reads")
    with workspace.engine.begin() as connection:
        for table in ("clearance_grants", "trainings", "users", "needs"):
            connection.exec_driver_sql(f"DELETE FROM {table}")
    add_user(workspace, as_user(workspace, ADMIN), ADMIN, roles=["admin"])
    ingest(workspace, as_user(workspace, ADMIN), "needs", [_needs(tmp_path, labels)])
    _user(workspace, "reader", level, held)
    clearance = Clearance("reader", level, frozenset(held))
    allowed = {f"n{i}" for i, (lv, cs) in enumerate(labels) if can_read(clearance, Label(lv, frozenset(cs)))}

    assert {r["id"] for r in iter_records(workspace, "needs", clearance)} == allowed
    assert counts(workspace, clearance)["needs"] == len(allowed)

    login_as("reader")
    listed = cli("list", "needs", "--format", "jsonl")
    assert listed.code == 0, listed.err
    assert {json.loads(line)["id"] for line in listed.out.splitlines()} == allowed
    out = tmp_path / "needs.csv"
    assert cli("list", "needs", "--format", "csv", "--out", out).code == 0
    with out.open(encoding="utf-8") as handle:
        assert {row["id"] for row in csv.DictReader(handle)} == allowed
    status = cli("status", "--format", "json")
    assert {row["kind"]: row["count"] for row in json.loads(status.out)}["needs"] == len(allowed)

    overview = build_overview(workspace, clearance)
    assert overview.counts["needs"] == len(allowed)
    expected = Label.highest(Label(lv, frozenset(cs)) for i, (lv, cs) in enumerate(labels) if f"n{i}" in allowed)
    assert (overview.level, set(overview.compartments)) == (expected.level, set(expected.compartments))


def test_unknown_users_read_nothing_once_a_workspace_has_users(workspace: Workspace, cli, login_as, tmp_path) -> None:
    ingest(workspace, as_user(workspace, "tester"), "needs", [_needs(tmp_path, [("PUBLIC", [])])])
    assert cli("list", "needs", "--format", "jsonl").out  # unmanaged: the operator reads everything
    add_user(workspace, as_user(workspace, ADMIN), ADMIN, roles=["admin"])
    login_as("stranger")
    result = cli("list", "needs", "--format", "jsonl")
    assert result.code == 2 and "not an active user of this workspace" in result.err and result.out == ""
    # nor write to it
    before = counts(workspace, Clearance.everything("check"))
    result = cli("ingest", "needs", _needs(tmp_path, [("PUBLIC", []), ("PUBLIC", [])]))
    assert result.code == 2 and "not an active user of this workspace" in result.err
    assert counts(workspace, Clearance.everything("check")) == before
    # Each refusal is in the audit trail, naming who claimed to be whom and by which command.
    refused = [e for e in audit.iter_events(workspace) if e["action"] == "denied"]
    assert [(e["actor"], e["detail"]["service"], e["detail"]["via"]) for e in refused] == [
        ("stranger", "identity", "cli: kizashi list"),
        ("stranger", "identity", "cli: kizashi ingest"),
    ]


def test_reads_are_audited(workspace: Workspace, cli, login_as, tmp_path) -> None:
    ingest(workspace, as_user(workspace, "tester"), "needs", [_needs(tmp_path, [("PUBLIC", []), ("SECRET", ["防衛"])])])
    add_user(workspace, as_user(workspace, ADMIN), ADMIN, roles=["admin"])
    _user(workspace, "reader", "INTERNAL", [])
    login_as("reader")
    assert cli("list", "needs").code == 0
    event = list(audit.iter_events(workspace))[-1]
    assert (event["actor"], event["action"], event["detail"]["records"]) == ("reader", "read", 1)
    assert (event["detail"]["service"], event["detail"]["kind"], event["detail"]["via"]) == (
        "list",
        "needs",
        "cli: kizashi list",
    )
