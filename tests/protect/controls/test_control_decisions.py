"""Classification decisions on both backends: append-only, audited, labelled like their record, and refused (as
if the record did not exist) to whoever may not read it."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest

from kizashi.errors import AccessDenied, InputError, NotFound
from kizashi.ingest.dispatch import ingest
from kizashi.model import ControlDecision
from kizashi.protect import people
from kizashi.protect.controls.decisions import control_status, decide, is_listed, latest_decisions
from kizashi.protect.people import actor_for as as_user
from kizashi.store import audit
from kizashi.store.readable import select_trusted
from kizashi.store.workspace import Workspace

USERS = {
    "boss": (["admin"], "SECRET", ["alpha"]),
    "ana": (["security_officer"], "CONFIDENTIAL", ["alpha"]),
    "low": (["security_officer"], "PUBLIC", []),
    "eve": (["analyst"], "SECRET", ["alpha"]),
}


@pytest.fixture
def items(workspace: Workspace, tmp_path: Path) -> Workspace:
    done = datetime(2026, 1, 1, tzinfo=UTC)
    people.add_user(workspace, as_user(workspace, "boss"), "boss", roles=["admin"])
    for name, (roles, level, compartments) in USERS.items():
        if name != "boss":
            people.add_user(workspace, as_user(workspace, "boss"), name, roles=roles)
        people.grant(workspace, as_user(workspace, "boss"), name, level, compartments=compartments)
        for course in ("security-basics", "secret-handling"):
            people.record_training(workspace, as_user(workspace, "boss"), name, course, done)
    seeds = tmp_path / "seeds.csv"
    seeds.write_text(
        "id,title,description,label,compartments\n"
        "s1,256ビット鍵の暗号装置,AES-256による通信の暗号化,PUBLIC,\n"
        "s2,高出力レーザ発振器,出力10kWのファイバーレーザー,CONFIDENTIAL,alpha\n",
        encoding="utf-8",
    )
    technologies = tmp_path / "technologies.csv"
    technologies.write_text("id,parent,name_en,name_ja,label\nqkd,,Quantum key distribution,量子鍵配送,PUBLIC\n")
    ingest(workspace, as_user(workspace, "boss"), "seeds", [seeds])
    ingest(workspace, as_user(workspace, "boss"), "technologies", [technologies])
    return workspace


def test_decisions_are_append_only_audited_and_the_latest_counts(items: Workspace) -> None:
    first = decide(
        items, as_user(items, "ana"), "s1", "listed", control_list="jp-etco-1", code="9(7)", reason="暗号装置に該当"
    )
    second = decide(items, as_user(items, "ana"), "s1", "exempt-published", reason="公知の技術として公開済み")
    assert second > first
    (shown,) = latest_decisions(items, as_user(items, "ana"), "s1")
    assert (shown["decision"], shown["history"], shown["user"], shown["item_kind"]) == (
        "exempt-published",
        2,
        "ana",
        "seeds",
    )
    assert (shown["control_list"], shown["code"], shown["level"]) == (None, None, "PUBLIC")
    with items.session() as session:  # both rows are kept: the history is the table
        everything = select_trusted(ControlDecision, why="a test checks the raw, append-only rows")
        rows = session.execute(everything.order_by(ControlDecision.id)).scalars().all()
        assert [(r.decision, r.code) for r in rows] == [("listed", "9(7)"), ("exempt-published", None)]
    events = [e for e in audit.iter_events(items) if e["action"] == "decision"]
    assert [e["detail"]["decision"] for e in events] == ["listed", "exempt-published"]
    assert events[0]["records"] == ["s1"] and events[0]["detail"]["code"] == "9(7)"
    assert events[0]["detail"]["control_decision"] == first
    assert audit.verify(items).ok


def test_a_record_one_may_not_read_is_neither_decided_nor_shown(items: Workspace) -> None:
    with pytest.raises(NotFound) as hidden:
        decide(items, as_user(items, "low"), "s2", "not-listed", reason="no")  # CONFIDENTIAL/alpha: low is PUBLIC
    with pytest.raises(NotFound) as missing:
        decide(items, as_user(items, "low"), "nothing", "not-listed", reason="no")
    assert str(hidden.value).replace("s2", "?") == str(missing.value).replace("nothing", "?")  # hidden ≡ missing
    decide(
        items, as_user(items, "ana"), "s2", "listed", control_list="jp-etco-1", code="10(8)", reason="レーザー発振器"
    )
    assert latest_decisions(items, as_user(items, "low"), "s2") == []
    assert [r["item_id"] for r in latest_decisions(items, as_user(items, "low"))] == []
    (row,) = latest_decisions(items, as_user(items, "ana"))
    assert (row["item_id"], row["level"], row["compartments"]) == ("s2", "CONFIDENTIAL", ["alpha"])
    assert [e["detail"]["decision"] for e in audit.iter_events(items) if e["action"] == "decision"] == ["listed"]


def test_a_decision_goes_from_view_with_its_record_relabelled_above_the_reader(
    items: Workspace, tmp_path: Path
) -> None:
    decide(items, as_user(items, "ana"), "s1", "listed", control_list="jp-etco-1", code="9(7)", reason="暗号装置に該当")
    assert [r["item_id"] for r in latest_decisions(items, as_user(items, "low"))] == ["s1"]
    assert is_listed(items, "seeds", "s1", as_user(items, "low").clearance) is True
    relabelled = tmp_path / "relabelled.csv"
    relabelled.write_text(
        "id,title,description,label,compartments\ns1,256ビット鍵の暗号装置,AES-256による通信の暗号化,CONFIDENTIAL,alpha\n",
        encoding="utf-8",
    )
    ingest(items, as_user(items, "boss"), "seeds", [relabelled])
    # The decision keeps its PUBLIC label of the day, but its record is now above low: it tells low nothing.
    assert (
        latest_decisions(items, as_user(items, "low")) == []
        and latest_decisions(items, as_user(items, "low"), "s1") == []
    )
    assert is_listed(items, "seeds", "s1", as_user(items, "low").clearance) is None
    assert control_status(items, as_user(items, "low").clearance, ["s1"]).missing == ["s1"]
    assert [r["item_id"] for r in latest_decisions(items, as_user(items, "ana"))] == ["s1"]  # ana still reads s1
    assert is_listed(items, "seeds", "s1") is True  # routing a release review reads it unfiltered, on purpose


def test_technologies_can_be_decided_and_the_status_names_what_is_missing(items: Workspace) -> None:
    decide(
        items,
        as_user(items, "ana"),
        "qkd",
        "listed",
        control_list="us-ccl-3-5",
        code="5A002.c",
        reason="QKD",
        kind="technologies",
    )
    status = control_status(items, as_user(items, "ana").clearance, ["qkd", "s1", "s2"])
    assert status.missing == ["s1", "s2"] and not status.complete
    assert [d["code"] for d in status.listed] == ["5A002.c"]
    decide(items, as_user(items, "ana"), "s1", "not-listed", reason="鍵長は規制値未満")
    decide(items, as_user(items, "ana"), "s2", "exempt-basic-research", reason="基礎科学分野の研究")
    assert control_status(items, as_user(items, "ana").clearance, ["qkd", "s1", "s2"]).complete
    # What low may not read counts as missing for low: a risk card never shows it as decided.
    assert control_status(items, as_user(items, "low").clearance, ["qkd", "s2"]).missing == ["s2"]


BAD = [
    ({"decision": "maybe"}, "decision"),
    ({"decision": "listed"}, "code"),  # listed names list and code
    ({"decision": "listed", "control_list": "jp-etco-1"}, "code"),
    ({"decision": "not-listed", "code": "9(7)"}, "list"),
    ({"decision": "listed", "control_list": "jp-etco-1", "code": "99(9)"}, "code"),  # not in the bundled list
    ({"decision": "not-listed", "reason": "  "}, "reason"),
    ({"decision": "not-listed", "kind": "needs"}, "kind"),
]


@pytest.mark.parametrize(("arguments", "field"), BAD)
def test_bad_decisions_are_refused_and_nothing_is_written(
    items: Workspace, arguments: dict[str, str], field: str
) -> None:
    values = {"reason": "because", **arguments}
    decision = values.pop("decision")
    with pytest.raises(InputError) as caught:
        decide(items, as_user(items, "ana"), "s1", decision, **values)
    assert caught.value.location.field == field
    assert latest_decisions(items, as_user(items, "boss")) == []


def test_a_users_own_list_is_taken_as_given(items: Workspace) -> None:
    decide(items, as_user(items, "ana"), "s1", "listed", control_list="eu-2021-821", code="5A002.a.1", reason="Annex I")
    assert latest_decisions(items, as_user(items, "ana"), "s1")[0]["control_list"] == "eu-2021-821"


def test_the_cli_classifies_and_lists(items: Workspace, cli, login_as, tmp_path: Path) -> None:
    login_as("ana")
    result = cli(
        "screen",
        "classify",
        "s2",
        "--decision",
        "listed",
        "--list",
        "jp-etco-1",
        "--code",
        "10(8)",
        "--reason",
        "出力10kW",
    )
    assert result.code == 0 and "s2 listed jp-etco-1 10(8)" in result.out, result
    result = cli("screen", "classifications", "--format", "jsonl")
    assert result.code == 0 and '"item_id":"s2"' in result.out and '"code":"10(8)"' in result.out
    assert "s2" in cli("screen", "classifications", "s2").out
    login_as("low")
    assert cli("screen", "classify", "s2", "--decision", "not-listed", "--reason", "x").code == 2
    assert '"s2"' not in cli("screen", "classifications", "--format", "jsonl").out
    out = tmp_path / "decisions.csv"
    login_as("ana")
    assert cli("screen", "classifications", "--format", "csv", "--out", out).code == 0
    assert "10(8)" in out.read_text(encoding="utf-8")
    via = "cli: kizashi screen classifications"  # the service writes the event, naming the command it came by
    reads = [e for e in audit.iter_events(items) if e["detail"].get("via") == via]
    assert [e["action"] for e in reads][-1] == "export"


def test_the_migration_matches_the_model(workspace: Workspace) -> None:
    from alembic.autogenerate import compare_metadata
    from alembic.migration import MigrationContext

    from kizashi.model import Base

    with workspace.engine.connect() as connection:
        diffs = compare_metadata(MigrationContext.configure(connection), Base.metadata)
    assert [d for d in diffs if "control_decisions" in repr(d)] == []


def test_only_officers_decide(items: Workspace) -> None:
    with pytest.raises(AccessDenied, match="security_officer"):
        decide(items, as_user(items, "eve"), "s1", "not-listed", reason="an analyst may not classify")
    assert latest_decisions(items, as_user(items, "eve"), "s1") == []
