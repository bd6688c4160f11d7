"""The audit trail: a hash chain that catches every edit, deletion, insertion and reordering, on both backends."""

from __future__ import annotations

import threading
from pathlib import Path
from typing import Any

import orjson
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from sqlalchemy import text

from kizashi.ingest.dispatch import ingest
from kizashi.protect.people import actor_for as as_user
from kizashi.store import audit
from kizashi.store.workspace import Workspace

NEEDS = Path(__file__).parents[1] / "fixtures" / "japanese" / "needs_ja_cp932.csv"


def _events(workspace: Workspace, n: int) -> None:
    for i in range(n):
        audit.record(workspace, f"user{i % 3}", "decision", records=[f"need:{i}"], detail={"i": i, "ja": "判断"})


def _sql(workspace: Workspace, statement: str, **params: Any) -> None:
    with workspace.engine.begin() as connection:
        connection.execute(text(statement), params)


def test_an_untouched_chain_verifies(workspace: Workspace) -> None:
    _events(workspace, 6)
    result = audit.verify(workspace)
    assert (result.ok, result.events, result.head_seq) == (True, 6, 6)
    assert audit.anchor(workspace) == f"6:{result.head_hash}"


def test_imports_and_exports_are_audited(workspace: Workspace, cli, tmp_path: Path) -> None:
    report = ingest(workspace, as_user(workspace, "analyst"), "needs", [NEEDS])
    assert cli("list", "needs", "--format", "csv", "--out", tmp_path / "n.csv").code == 0
    events = list(audit.iter_events(workspace))
    assert [e["action"] for e in events] == ["import", "export"]
    assert events[0]["actor"] == "analyst"
    assert events[0]["detail"]["import_id"] == report.import_id
    assert events[0]["detail"]["added"] == report.added
    assert events[1]["detail"]["records"] == report.added


@pytest.mark.parametrize(
    ("tamper", "broken_at"),
    [
        ("UPDATE audit_events SET actor = 'mallory' WHERE seq = 3", 3),
        ("UPDATE audit_events SET detail = '{\"i\": 99}' WHERE seq = 2", 2),
        ("DELETE FROM audit_events WHERE seq = 3", 4),
        ("UPDATE audit_events SET at = '2020-01-01T00:00:00.000000+00:00' WHERE seq = 5", 5),
    ],
)
def test_edits_and_deletions_break_the_chain(workspace: Workspace, cli, tamper: str, broken_at: int) -> None:
    _events(workspace, 6)
    if workspace.backend == "postgresql":
        tamper = tamper.replace("'{\"i\": 99}'", "'{\"i\": 99}'::jsonb")
    _sql(workspace, tamper)
    result = audit.verify(workspace)
    assert not result.ok and result.broken_seq == broken_at
    outcome = cli("audit", "verify")
    assert outcome.code == 1
    assert f"broken at event {broken_at}" in outcome.err


def test_reordering_breaks_the_chain(workspace: Workspace) -> None:
    _events(workspace, 5)
    # Swap events 2 and 3 (through a free seq, as the primary key demands).
    _sql(workspace, "UPDATE audit_events SET seq = 100 WHERE seq = 2")
    _sql(workspace, "UPDATE audit_events SET seq = 2 WHERE seq = 3")
    _sql(workspace, "UPDATE audit_events SET seq = 3 WHERE seq = 100")
    result = audit.verify(workspace)
    assert not result.ok and result.broken_seq == 2


def test_an_inserted_event_breaks_the_chain(workspace: Workspace) -> None:
    _events(workspace, 4)
    event = next(e for e in audit.iter_events(workspace) if e["seq"] == 2)
    # A forger shifts the later events up and slips a well-formed event in at 3, chained to event 2.
    for seq in (4, 3):
        _sql(
            workspace,
            "UPDATE audit_events SET seq = :new, prev_hash = (CASE WHEN substr(prev_hash, 1, 1) = 'f' THEN 'e' ELSE 'f' END) || substr(prev_hash, 2) WHERE seq = :old",
            new=seq + 1,
            old=seq,
        )
    forged = {**event, "seq": 3, "actor": "mallory", "prev_hash": event["hash"]}
    forged["hash"] = audit.event_hash(forged["prev_hash"], forged)
    columns = ", ".join(forged)
    values = ", ".join(f":{name}" for name in forged)
    forged["records"] = orjson.dumps(forged["records"]).decode()
    forged["detail"] = orjson.dumps(forged["detail"]).decode()
    cast = (
        "CAST(:records AS JSONB), CAST(:detail AS JSONB)" if workspace.backend == "postgresql" else ":records, :detail"
    )
    _sql(
        workspace,
        f"INSERT INTO audit_events ({columns}) VALUES ({values.replace(':records, :detail', cast)})",
        **forged,
    )
    result = audit.verify(workspace)
    assert not result.ok and result.broken_seq == 4


def test_cutting_off_the_end_is_caught_by_an_anchor(workspace: Workspace, cli) -> None:
    _events(workspace, 5)
    kept = audit.anchor(workspace)
    _sql(workspace, "DELETE FROM audit_events WHERE seq = 5")
    assert audit.verify(workspace).ok  # a shorter chain is still a chain …
    result = audit.verify(workspace, kept)  # … but not the one anchored
    assert not result.ok and result.broken_seq == 5
    assert cli("audit", "verify", "--anchor", kept).code == 1
    assert cli("audit", "verify", "--anchor", "5:nothex").code == 2


def test_a_rewritten_chain_is_caught_by_an_anchor(workspace: Workspace) -> None:
    _events(workspace, 4)
    kept = audit.anchor(workspace)
    # Someone who knows the algorithm edits event 2 and recomputes every hash after it.
    events = list(audit.iter_events(workspace))
    events[1]["actor"] = "mallory"
    previous = events[0]["hash"]
    for event in events[1:]:
        event["prev_hash"] = previous
        event["hash"] = previous = audit.event_hash(previous, event)
    _sql(workspace, "DELETE FROM audit_events WHERE seq > 1")
    for event in events[1:]:
        audit_row = {
            **event,
            "records": orjson.dumps(event["records"]).decode(),
            "detail": orjson.dumps(event["detail"]).decode(),
        }
        cast = (
            "CAST(:records AS JSONB), CAST(:detail AS JSONB)"
            if workspace.backend == "postgresql"
            else ":records, :detail"
        )
        _sql(
            workspace,
            f"INSERT INTO audit_events (seq, at, actor, action, records, detail, origin, prev_hash, hash) "
            f"VALUES (:seq, :at, :actor, :action, {cast}, :origin, :prev_hash, :hash)",
            **audit_row,
        )
    assert audit.verify(workspace).ok
    assert not audit.verify(workspace, kept).ok


def test_an_export_reverifies_outside_and_catches_edits(workspace: Workspace, cli, tmp_path: Path) -> None:
    _events(workspace, 5)
    out = tmp_path / "range.jsonl"
    assert cli("audit", "export", "--from", "2", "--to", "4", "--out", out).code == 0
    lines = out.read_text(encoding="utf-8").splitlines()
    assert [orjson.loads(line)["seq"] for line in lines] == [2, 3, 4]
    assert cli("audit", "verify", "--file", out).code == 0
    edited = orjson.loads(lines[1])
    edited["action"] = "nothing to see"
    lines[1] = orjson.dumps(edited).decode()
    out.write_text("\n".join(lines) + "\n", encoding="utf-8")
    result = cli("audit", "verify", "--file", out)
    assert result.code == 1 and "broken at event 3" in result.err


def _rewritten(events: list[dict[str, Any]], start: str) -> list[dict[str, Any]]:
    """The events with their hashes recomputed from a made-up `start`, as someone who knows the algorithm would."""
    previous = start
    for event in events:
        event["prev_hash"] = previous
        event["hash"] = previous = audit.event_hash(previous, event)
    return events


def test_an_export_is_checked_against_an_anchor(workspace: Workspace, cli, tmp_path: Path) -> None:
    _events(workspace, 5)
    kept = audit.anchor(workspace)  # 5:…
    out = tmp_path / "all.jsonl"
    assert cli("audit", "export", "--out", out).code == 0
    assert cli("audit", "verify", "--file", out, "--anchor", kept).code == 0
    events = [orjson.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]

    def written(rows: list[dict[str, Any]], name: str) -> Path:
        path = tmp_path / name
        path.write_text("".join(orjson.dumps(row).decode() + "\n" for row in rows), encoding="utf-8")
        return path

    # Rewritten from event 3 on with a made-up prev_hash: a valid range on its own, not the chain anchored.
    changed = [dict(event) for event in events[2:]]
    changed[1]["actor"] = "mallory"
    forged = written(_rewritten(changed, "f" * 64), "forged.jsonl")
    assert cli("audit", "verify", "--file", forged).code == 0
    result = cli("audit", "verify", "--file", forged, "--anchor", kept)
    assert result.code == 1 and "anchored event is different" in result.err
    # Events cut off the end.
    result = cli("audit", "verify", "--file", written(events[:4], "cut.jsonl"), "--anchor", kept)
    assert result.code == 1 and "cut off the end" in result.err
    # A range from event 1 has nothing before it: a made-up first prev_hash breaks it there.
    from_one = written(_rewritten([dict(event) for event in events], "f" * 64), "from-one.jsonl")
    result = cli("audit", "verify", "--file", from_one)
    assert result.code == 1 and "broken at event 1" in result.err
    # An anchor before the range cannot be checked in it; a file is verified without a workspace.
    late = written(events[2:], "late.jsonl")
    assert cli("audit", "verify", "--file", late, "--anchor", kept).code == 0
    early = cli("audit", "verify", "--file", late, "--anchor", f"1:{events[0]['hash']}")
    assert early.code == 2 and "before the file's first event 3" in early.err
    refused = cli("audit", "verify", "--file", out, "--workspace", workspace.path)
    assert refused.code == 2 and "--workspace does not apply" in refused.err


def test_concurrent_writers_never_fork_the_chain(workspace: Workspace) -> None:
    def write(name: str) -> None:
        for i in range(15):
            audit.record(workspace, name, "decision", detail={"i": i})

    threads = [threading.Thread(target=write, args=(f"writer{n}",)) for n in range(3)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    result = audit.verify(workspace)
    assert result.ok and result.events == 45


EVENTS = st.lists(
    st.fixed_dictionaries(
        {
            "actor": st.text(min_size=1, max_size=12),
            "action": st.sampled_from(["import", "export", "grant", "decision"]),
            "records": st.lists(st.text(max_size=8), max_size=3),
            "detail": st.dictionaries(
                st.text(max_size=5), st.integers(-(2**63), 2**63 - 1) | st.text(max_size=8), max_size=3
            ),
        }
    ),
    min_size=2,
    max_size=8,
)


def _chain(raw: list[dict[str, Any]]) -> list[dict[str, Any]]:
    previous, chain = audit.GENESIS, []
    for seq, event in enumerate(raw, start=1):
        full = {
            **event,
            "seq": seq,
            "at": f"2026-11-28T00:00:{seq:02d}.000000+00:00",
            "origin": None,
            "prev_hash": previous,
        }
        full["hash"] = previous = audit.event_hash(previous, full)
        chain.append(full)
    return chain


@settings(max_examples=60, deadline=None)
@given(raw=EVENTS, data=st.data())
def test_any_single_change_is_detected(raw: list[dict[str, Any]], data: st.DataObject) -> None:
    chain = _chain(raw)
    assert audit.verify_events(chain).ok
    victim = data.draw(st.integers(0, len(chain) - 1))
    mutation = data.draw(st.sampled_from(["edit", "delete", "swap"]))
    changed = [dict(event) for event in chain]
    if mutation == "edit":
        field = data.draw(st.sampled_from(["actor", "action", "records", "detail", "at"]))
        changed[victim][field] = {
            "actor": "≠",
            "action": "forged",
            "records": ["x", "y", "z", "w"],
            "detail": {"forged": 1},
            "at": "1999",
        }[field]
        if changed[victim][field] == chain[victim][field]:
            return
    elif mutation == "delete":
        if victim == len(chain) - 1:
            victim = 0  # cutting off the end is what anchors are for; tested above
        del changed[victim]
    else:
        other = victim + 1 if victim + 1 < len(chain) else victim - 1
        changed[victim], changed[other] = changed[other], changed[victim]
    assert not audit.verify_events(changed).ok


def test_only_auditors_read_the_trail_of_a_managed_workspace(
    workspace: Workspace, cli, login_as, tmp_path: Path
) -> None:
    from kizashi.protect.people import add_user

    add_user(workspace, as_user(workspace, "boss"), "boss", roles=["admin"])
    add_user(workspace, as_user(workspace, "boss"), "ana", roles=["analyst"])
    login_as("ana")
    for args in (("audit", "export"), ("audit", "verify")):
        denied = cli(*args)
        assert denied.code == 2 and "needs one of the roles" in denied.err and denied.out == ""
    login_as("boss")
    assert cli("audit", "export", "--out", tmp_path / "a.jsonl").code == 0
    assert cli("audit", "verify").code == 0
    # Each refusal, and each use of the trail, is itself in the trail.
    events = list(audit.iter_events(workspace))[2:]
    assert [(e["actor"], e["action"], e["detail"]["service"], e["detail"].get("code")) for e in events] == [
        ("ana", "denied", "audit.export", "access_denied"),
        ("ana", "denied", "audit.verify", "access_denied"),
        ("boss", "export", "audit export", None),
        ("boss", "read", "audit verify", None),
    ]
    assert events[0]["detail"]["via"] == "cli: kizashi audit export"
    assert events[2]["detail"]["file"] == str(tmp_path / "a.jsonl")
    assert events[3]["detail"]["ok"] is True
