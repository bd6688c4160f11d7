"""Screening in a workspace, on both backends: lists loaded with their versions (history kept, the newest used),
a broken file changing nothing, who may load and decide, decisions append-only and shown on the next screening,
each name's status for the risk card, the CLI end to end, and the audit trail."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from alembic import command
from hypothesis import given
from hypothesis import strategies as st
from sqlalchemy import func

from kizashi.errors import AccessDenied, InputError
from kizashi.model.screening import ScreeningDecision, ScreeningEntry, ScreeningListVersion
from kizashi.protect import people
from kizashi.protect.people import actor_for as as_user
from kizashi.protect.screening import Party
from kizashi.protect.screening.store import (
    STATUSES,
    decide,
    list_versions,
    load_list,
    party_key,
    party_status,
    screen,
    status_of,
    workspace_screener,
)
from kizashi.store import audit
from kizashi.store.migrate import alembic_config
from kizashi.store.readable import select_trusted
from kizashi.store.workspace import Workspace

LISTS = Path(__file__).parents[2] / "fixtures" / "lists"
METI = LISTS / "meti_parsed_entities.json"
GENERIC = LISTS / "generic.csv"
TAKO = ("METI third_countries", "third_countries-1")  # タコ有限会社 / Tako LLC on the METI list


def _events(workspace: Workspace, action: str) -> list[dict[str, Any]]:
    return [event for event in audit.iter_events(workspace) if event["action"] == action]


def _count(workspace: Workspace, model: type[Any]) -> int:
    with workspace.session() as session:
        counted = select_trusted(func.count(), why="a test counts the raw rows, whoever may read them")
        return int(session.scalar(counted.select_from(model)) or 0)


def _changed_generic(tmp_path: Path) -> Path:
    """generic.csv without T-003 (山田太郎) and with one new entry: the list's next version."""
    lines = GENERIC.read_text(encoding="utf-8").splitlines()
    kept = [line for line in lines if not line.startswith("T-003,")]
    path = tmp_path / "generic.csv"
    path.write_text("\n".join([*kept, "T-007,Kasumi Optics Ltd.,,organisation,JP,kizashi-test-list,x"]) + "\n", "utf-8")
    return path


# ── lists and versions ────────────────────────────────────────────────────────────────────────────────────────


def test_a_new_version_keeps_the_old_rows_and_screening_uses_the_newest(workspace: Workspace, tmp_path: Path) -> None:
    first = load_list(workspace, as_user(workspace, "officer"), GENERIC)
    assert not first.unchanged and first.version["entries"] == 6 and first.version["list"] == "kizashi-test-list"
    assert (
        screen(workspace, as_user(workspace, "officer"), [Party("a", "山田太郎")]).rows[0]["matches"][0]["entry_id"]
        == "T-003"
    )
    second = load_list(workspace, as_user(workspace, "officer"), _changed_generic(tmp_path))
    assert second.version["id"] > first.version["id"]
    versions = list_versions(workspace, as_user(workspace, "anyone"))
    assert [(v["id"], v["latest"]) for v in versions] == [(first.version["id"], False), (second.version["id"], True)]
    assert versions[0]["sha256"] != versions[1]["sha256"] and len(versions[1]["sha256"]) == 64
    assert versions[1]["loaded_by"] == "officer" and versions[1]["file"] == "generic.csv"
    assert _count(workspace, ScreeningEntry) == 6 + 6  # the old version's rows stay as its history
    result = screen(workspace, as_user(workspace, "officer"), [Party("a", "山田太郎"), Party("b", "Kasumi Optics")])
    assert result.rows[0]["matches"] == []  # no longer on the newest version
    (kasumi,) = result.rows[1]["matches"]
    assert kasumi["entry_id"] == "T-007" and kasumi["list_version"]["id"] == second.version["id"]
    assert [v["id"] for v in result.versions] == [second.version["id"]]


def test_the_same_file_again_stores_nothing_and_a_name_renames_the_list(workspace: Workspace) -> None:
    load_list(workspace, as_user(workspace, "officer"), GENERIC)
    again = load_list(workspace, as_user(workspace, "officer"), GENERIC)
    assert again.unchanged and _count(workspace, ScreeningListVersion) == 1
    named = load_list(workspace, as_user(workspace, "officer"), GENERIC, name="Partner watch list")
    assert not named.unchanged and named.version["list"] == "Partner watch list"
    (match,) = screen(workspace, as_user(workspace, "officer"), [Party("a", "Ohashi Trading")]).rows[0]["matches"][:1]
    assert {
        match["list"]
        for match in screen(workspace, as_user(workspace, "officer"), [Party("a", "Ohashi Boeki")]).rows[0]["matches"]
    } == {
        "kizashi-test-list",
        "Partner watch list",
    }
    assert match["entry_id"] == "T-004"
    with pytest.raises(InputError, match="list name"):
        load_list(workspace, as_user(workspace, "officer"), GENERIC, name=" ")


def test_every_format_loads_and_each_match_names_its_version(workspace: Workspace) -> None:
    for path in (METI, LISTS / "ofac", LISTS / "un_consolidated_slice.xml", LISTS / "opensanctions.ftm.jsonl", GENERIC):
        load_list(workspace, as_user(workspace, "officer"), path)
    versions = list_versions(workspace, as_user(workspace, "officer"), latest_only=True)
    assert {v["source"] for v in versions} == {"meti-json", "ofac-csv", "un-xml", "ftm-jsonl", "generic-csv"}
    rows = screen(
        workspace, as_user(workspace, "officer"), [Party("p1", "タコ有限会社"), Party("p3", "HANIYYA Ismaeel")]
    ).rows
    assert (rows[0]["matches"][0]["list"], rows[0]["matches"][0]["entry_id"]) == TAKO
    assert rows[1]["matches"][0]["entry_id"] == "9639"
    ids = {v["id"] for v in versions}
    for row in rows:
        for match in row["matches"]:
            assert match["list_version"]["id"] in ids and match["decision"] is None


@pytest.mark.parametrize(
    ("name", "content"),
    [
        ("broken.xml", '<?xml version="1.0"?>\n<CONSOLIDATED_LIST><INDIVIDUALS><INDIVIDUAL>'),
        ("wrong.csv", "identifier,title\nx,y\n"),
        ("bad.jsonl", '{"schema": "Person", "id": "p1", "properties": {"name": ["A"]}}\n{not json\n'),
    ],
)
def test_a_broken_list_leaves_the_store_as_it_was(
    workspace: Workspace, tmp_path: Path, snapshot: Callable[[Workspace], object], name: str, content: str
) -> None:
    load_list(workspace, as_user(workspace, "officer"), GENERIC)
    before = snapshot(workspace)
    path = tmp_path / name
    path.write_text(content, encoding="utf-8")
    with pytest.raises(InputError) as raised:
        load_list(workspace, as_user(workspace, "officer"), path)
    assert raised.value.location.file is not None
    assert snapshot(workspace) == before


def test_the_screener_is_built_once_per_set_of_versions(workspace: Workspace, tmp_path: Path) -> None:
    assert workspace_screener(workspace) is None
    load_list(workspace, as_user(workspace, "officer"), GENERIC)
    built = workspace_screener(workspace)
    assert built is not None and workspace_screener(workspace)[0] is built[0]  # type: ignore[index]
    load_list(workspace, as_user(workspace, "officer"), _changed_generic(tmp_path))
    rebuilt = workspace_screener(workspace)
    assert rebuilt is not None and rebuilt[0] is not built[0]


# ── roles, decisions, the policy ──────────────────────────────────────────────────────────────────────────────

USERS = {
    "boss": (["admin"], "SECRET"),
    "sec": (["security_officer"], "INTERNAL"),
    "ana": (["analyst"], "INTERNAL"),
    "low": (["analyst"], "PUBLIC"),
}


@pytest.fixture
def managed(workspace: Workspace) -> Workspace:
    done = datetime(2026, 1, 1, tzinfo=UTC)
    people.add_user(workspace, as_user(workspace, "boss"), "boss", roles=["admin"])
    for name, (roles, level) in USERS.items():
        if name != "boss":
            people.add_user(workspace, as_user(workspace, "boss"), name, roles=roles)
        people.grant(workspace, as_user(workspace, "boss"), name, level)
        for course in ("security-basics", "secret-handling"):
            people.record_training(workspace, as_user(workspace, "boss"), name, course, done)
    return workspace


def test_only_officers_load_and_decide_but_everyone_screens(managed: Workspace) -> None:
    with pytest.raises(AccessDenied):
        load_list(managed, as_user(managed, "ana"), METI)
    with pytest.raises(AccessDenied):
        load_list(managed, as_user(managed, "stranger"), METI)
    assert _count(managed, ScreeningListVersion) == 0
    load_list(managed, as_user(managed, "sec"), METI)
    load_list(managed, as_user(managed, "boss"), GENERIC)
    assert [v["loaded_by"] for v in list_versions(managed, as_user(managed, "sec"))] == ["sec", "boss"]
    assert [(v["list"], v["loaded_by"]) for v in list_versions(managed, as_user(managed, "low"))] == [
        (v["list"], None) for v in list_versions(managed, as_user(managed, "sec"))
    ]  # every user sees the lists; who loaded them, officers only
    with pytest.raises(AccessDenied):
        list_versions(managed, as_user(managed, "stranger"))
    with pytest.raises(AccessDenied):
        decide(managed, as_user(managed, "ana"), "タコ有限会社", *TAKO, "false-positive", reason="not them")
    assert _count(managed, ScreeningDecision) == 0
    assert screen(managed, as_user(managed, "low"), [Party("1", "タコ有限会社")]).rows[0]["matches"]
    decide(managed, as_user(managed, "sec"), "タコ有限会社", *TAKO, "true-match", reason="same company, same address")
    decide(managed, as_user(managed, "boss"), "タコ有限会社", *TAKO, "escalate", reason="ask the director")


def test_decisions_are_append_only_and_shown_to_who_may_read_them(managed: Workspace) -> None:
    load_list(managed, as_user(managed, "sec"), METI)
    first = decide(managed, as_user(managed, "sec"), "タコ有限会社", *TAKO, "escalate", reason="unclear")
    # The same partner typed again in half-width kana, with extra spaces: the decision is found.
    second = decide(
        managed, as_user(managed, "sec"), " ﾀｺ有限会社 ", *TAKO, "false-positive", reason="another company in Osaka"
    )
    assert second > first and _count(managed, ScreeningDecision) == 2
    with managed.session() as session:
        everything = select_trusted(ScreeningDecision, why="a test checks the raw, append-only rows")
        kept = session.scalars(everything.order_by(ScreeningDecision.id)).all()
        assert [(d.decision, d.party_key, d.level) for d in kept] == [
            ("escalate", party_key("タコ有限会社"), "INTERNAL"),
            ("false-positive", party_key("タコ有限会社"), "INTERNAL"),
        ]
    matches = screen(
        managed, as_user(managed, "ana"), [Party("1", "ＴＡＫＯ有限会社".replace("ＴＡＫＯ", "タコ"))]
    ).rows[0]["matches"]
    (match,) = [m for m in matches if m["entry_id"] == TAKO[1]]
    decision = match["decision"]
    assert decision is not None
    assert {k: decision[k] for k in ("decision", "reason", "user", "history")} == {
        "decision": "false-positive",
        "reason": "another company in Osaka",
        "user": "sec",
        "history": 2,
    }
    assert datetime.fromisoformat(decision["at"]).tzinfo is not None
    hidden = screen(managed, as_user(managed, "low"), [Party("1", "タコ有限会社")]).rows[0]["matches"]
    assert hidden and all(m["decision"] is None for m in hidden)  # PUBLIC clearance: INTERNAL decisions hidden
    events = _events(managed, "decision")
    assert [e["detail"]["decision"] for e in events] == ["escalate", "false-positive"]
    assert events[-1]["actor"] == "sec" and events[-1]["detail"]["list"] == TAKO[0]


def test_bad_decisions_are_refused(workspace: Workspace) -> None:
    load_list(workspace, as_user(workspace, "sec"), METI)
    with pytest.raises(InputError, match="decision"):
        decide(workspace, as_user(workspace, "sec"), "タコ有限会社", *TAKO, "maybe", reason="x")
    with pytest.raises(InputError, match="reason"):
        decide(workspace, as_user(workspace, "sec"), "タコ有限会社", *TAKO, "true-match", reason="  ")
    with pytest.raises(InputError, match="no entry"):
        decide(workspace, as_user(workspace, "sec"), "タコ有限会社", TAKO[0], "no-such-entry", "true-match", reason="x")
    with pytest.raises(InputError, match="name"):
        decide(workspace, as_user(workspace, "sec"), "  ", *TAKO, "true-match", reason="x")
    assert _count(workspace, ScreeningDecision) == 0


# ── status for the risk card ──────────────────────────────────────────────────────────────────────────────────


def test_party_status(workspace: Workspace) -> None:
    names = ["タコ有限会社", "Fraunhofer Gesellschaft", "HANIYYA Ismaeel"]
    assert [
        (s.name, s.status, s.matches, s.list_versions)
        for s in party_status(workspace, as_user(workspace, "sec"), names)
    ] == [(name, "not_screened", [], []) for name in names]
    load_list(workspace, as_user(workspace, "sec"), METI)
    load_list(workspace, as_user(workspace, "sec"), LISTS / "ofac")
    statuses = party_status(workspace, as_user(workspace, "sec"), names)
    assert [s.status for s in statuses] == ["alert", "clear", "alert"]
    assert {v["source"] for v in statuses[0].list_versions} == {"meti-json", "ofac-csv"}
    assert statuses[0].matches[0]["decision"] is None and statuses[1].matches == []
    decide(workspace, as_user(workspace, "sec"), names[0], *TAKO, "false-positive", reason="another company")
    decide(
        workspace,
        as_user(workspace, "sec"),
        names[2],
        "OFAC Consolidated (non-SDN)",
        "9639",
        "escalate",
        reason="check the passport",
    )
    assert [s.status for s in party_status(workspace, as_user(workspace, "sec"), names)] == [
        "false_positive",
        "clear",
        "escalated",
    ]
    decide(
        workspace,
        as_user(workspace, "sec"),
        names[2],
        "OFAC Consolidated (non-SDN)",
        "9639",
        "true-match",
        reason="confirmed",
    )
    tako, _, haniyya = party_status(workspace, as_user(workspace, "sec"), names)
    assert haniyya.status == "true_match" and haniyya.matches[0]["decision"]["history"] == 2
    assert tako.matches[0]["decision"]["decision"] == "false-positive"
    # A strict threshold leaves fewer matches; none of them undecided here.
    assert party_status(workspace, as_user(workspace, "sec"), names, threshold=0.99)[0].status in (
        "false_positive",
        "clear",
    )
    assert len(_events(workspace, "screen")) == 5


_DECISION = st.sampled_from([None, "true-match", "false-positive", "escalate"])


@given(st.lists(_DECISION, max_size=6), st.randoms())
def test_the_status_is_the_most_serious_whatever_the_order(decisions: list[str | None], order: Any) -> None:
    matches = [{"decision": None if d is None else {"decision": d}} for d in decisions]
    status = status_of(matches)
    shuffled = list(matches)
    order.shuffle(shuffled)
    assert status_of(shuffled) == status
    expected = {None: "alert", "true-match": "true_match", "false-positive": "false_positive", "escalate": "escalated"}
    candidates = [expected[d] for d in decisions] or ["clear"]
    assert status == min(candidates, key=STATUSES.index)


# ── the CLI in a workspace ────────────────────────────────────────────────────────────────────────────────────


def _names(tmp_path: Path) -> Path:
    path = tmp_path / "names.csv"
    path.write_text("id,name\np1,タコ有限会社\np2,University of Greenwich\n", encoding="utf-8")
    return path


def test_cli_end_to_end_in_a_workspace(cli: Any, workspace: Workspace, tmp_path: Path) -> None:
    names = _names(tmp_path)
    result = cli("screen", "parties", "--names", names)
    assert result.code == 2 and "no screening list" in result.err
    assert cli("screen", "load", METI).code == 0
    loaded = cli("screen", "load", LISTS / "ofac", "--name", "OFAC non-SDN")
    assert loaded.code == 0 and "OFAC non-SDN" in loaded.out
    assert "unchanged" in cli("screen", "load", METI).out
    listed = cli("screen", "lists", "--format", "json")
    assert [v["list"] for v in json.loads(listed.out)] == ["METI export ban lists", "OFAC non-SDN"]
    out = tmp_path / "first.jsonl"
    assert cli("screen", "parties", "--names", names, "--out", out).code == 1
    rows = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    tako = rows[0]["matches"][0]
    assert (tako["list"], tako["entry_id"], tako["decision"]) == (*TAKO, None)
    assert tako["list_version"]["id"] == 1 and tako["list_version"]["source"] == "meti-json"
    decided = cli("screen", "decide", "タコ有限会社", *TAKO, "--decision", "false-positive", "--reason", "a namesake")
    assert decided.code == 0
    assert cli("screen", "decide", "タコ有限会社", *TAKO, "--decision", "no", "--reason", "x").code == 2
    table = cli("screen", "parties", "--names", names, "--format", "csv")
    assert table.code == 0  # the only alert is decided a false positive
    lines = list(csv.DictReader(io.StringIO(table.out)))
    assert (lines[0]["decision"], lines[0]["decision_reason"], lines[0]["list_version_id"]) == (
        "false-positive",
        "a namesake",
        "1",
    )
    assert lines[1]["entry_id"] == "" and lines[1]["decision"] == ""
    xlsx = tmp_path / "screening.xlsx"
    assert cli("screen", "parties", "--names", names, "--format", "xlsx", "--out", xlsx).code == 0
    from openpyxl import load_workbook

    header, first, *_ = list(load_workbook(xlsx, read_only=True).worksheets[0].iter_rows(values_only=True))
    assert first[header.index("decision")] == "false-positive"
    # With --list it stays the file mode: no workspace lists, no decisions.
    file_mode = cli("screen", "parties", "--names", names, "--list", METI)
    assert file_mode.code == 1 and "decision" not in file_mode.out
    screened = _events(workspace, "screen")
    assert len(screened) == 3 and screened[0]["detail"]["names"] == 2 and screened[0]["detail"]["alerts"] == 1
    assert screened[0]["detail"]["list_versions"] == [1, 2] and screened[-1]["detail"]["alerts"] == 0
    # The verdicts themselves are in the trail: which name met which entry.
    assert screened[0]["detail"]["alerted"] == [{"name": "タコ有限会社", "entries": [":".join(TAKO)]}]
    assert [e["detail"]["unchanged"] for e in _events(workspace, "import")] == [False, False, True]


def test_cli_refuses_a_non_officer(cli: Any, managed: Workspace, tmp_path: Path, login_as: Any) -> None:
    login_as("ana")
    assert cli("screen", "load", METI).code != 0
    login_as("sec")
    assert cli("screen", "load", METI).code == 0
    login_as("ana")
    assert cli("screen", "parties", "--names", _names(tmp_path)).code == 1
    assert cli("screen", "decide", "タコ有限会社", *TAKO, "--decision", "true-match", "--reason", "x").code != 0
    assert _count(managed, ScreeningDecision) == 0


# ── the migration ─────────────────────────────────────────────────────────────────────────────────────────────


def test_the_migration_matches_the_model_and_goes_down_and_up(workspace: Workspace) -> None:
    from alembic.autogenerate import compare_metadata
    from alembic.migration import MigrationContext

    from kizashi.model import Base

    ours = ("screening_list_versions", "screening_entries", "screening_decisions")
    with workspace.engine.connect() as connection:
        diffs = compare_metadata(MigrationContext.configure(connection), Base.metadata)
    assert [d for d in diffs if any(name in repr(d) for name in ours)] == []
    load_list(workspace, as_user(workspace, "officer"), GENERIC)
    config = alembic_config(workspace.engine)
    command.downgrade(config, "0006")
    with workspace.engine.connect() as connection:
        from sqlalchemy import inspect

        assert not set(ours) & set(inspect(connection).get_table_names())
    command.upgrade(config, "head")
    assert _count(workspace, ScreeningListVersion) == 0
    assert not load_list(workspace, as_user(workspace, "officer"), GENERIC).unchanged
