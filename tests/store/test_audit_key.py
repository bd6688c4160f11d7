"""The audit trail's keyed head: every event's hash MACed under a key kept outside the store, so that a rewrite of
the whole trail with recomputed hashes, which the chain alone cannot catch, fails `audit verify --key`."""

from __future__ import annotations

import os
import re
import stat
from collections.abc import Callable
from pathlib import Path
from typing import Any

import orjson
import pytest
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from hypothesis import given, settings
from hypothesis import strategies as st
from sqlalchemy import text

from kizashi.errors import ConfigError
from kizashi.model import Base
from kizashi.protect.people import actor_for as as_user
from kizashi.protect.people import add_user
from kizashi.store import audit, audit_key
from kizashi.store.workspace import Workspace

OTHER_KEY = "Zq8v2Lr5Xw1Kp9Nt3Hs7Jd4Fb6Mc0Gy_Ue"  # strong, and not the workspace's


def _events(workspace: Workspace, n: int) -> None:
    for i in range(n):
        audit.record(workspace, f"user{i % 3}", "decision", records=[f"need:{i}"], detail={"i": i, "ja": "判断"})


def _sql(workspace: Workspace, statement: str, **params: Any) -> None:
    with workspace.engine.begin() as connection:
        connection.execute(text(statement), params)


def _recomputed(events: list[dict[str, Any]], start: str) -> list[dict[str, Any]]:
    """The events with their hashes recomputed from `start`, as someone who knows the algorithm (not the key) would;
    their MACs are left as they were."""
    previous = start
    for event in events:
        event["prev_hash"] = previous
        event["hash"] = previous = audit.event_hash(previous, event)
    return events


def _rewrite_store(workspace: Workspace, events: list[dict[str, Any]], *, macs: str = "kept") -> None:
    """Replace the store's trail by `events` (`macs`: "kept" as they are, "dropped" set to NULL)."""
    _sql(workspace, "DELETE FROM audit_events")
    cast = (
        "CAST(:records AS JSONB), CAST(:detail AS JSONB)" if workspace.backend == "postgresql" else ":records, :detail"
    )
    for event in events:
        row = {
            **event,
            "records": orjson.dumps(event["records"]).decode(),
            "detail": orjson.dumps(event["detail"]).decode(),
        }
        if macs == "dropped":
            row["mac"] = None
        _sql(
            workspace,
            "INSERT INTO audit_events (seq, at, actor, action, records, detail, origin, prev_hash, hash, mac) "
            f"VALUES (:seq, :at, :actor, :action, {cast}, :origin, :prev_hash, :hash, :mac)",
            **row,
        )


@pytest.fixture
def managed(workspace: Workspace, login_as: Callable[[str], None]) -> Workspace:
    """A workspace with an admin, boss, as whom the in-process command line runs, and a few events."""
    add_user(workspace, as_user(workspace, "boss"), "boss", roles=["admin"])
    add_user(workspace, as_user(workspace, "boss"), "ana", roles=["analyst"])
    login_as("boss")
    _events(workspace, 5)
    return workspace


def test_every_event_carries_the_mac_of_its_hash(managed: Workspace) -> None:
    key = managed.audit_key
    assert key is not None and key.file == managed.path / audit_key.KEY_FILE
    events = list(audit.iter_events(managed))
    assert events and all(e["mac"] == audit_key.mac(key.secret, e["hash"]) for e in events)
    result = audit.verify(managed, key=key.secret)
    assert result.ok and result.keyed


def test_a_full_rewrite_passes_the_chain_but_not_the_key(managed: Workspace, cli) -> None:
    events = list(audit.iter_events(managed))
    events[3]["actor"] = "mallory"  # event 4 edited, every hash from there recomputed
    _rewrite_store(managed, events[:3] + _recomputed(events[3:], events[2]["hash"]))
    plain = cli("audit", "verify")
    assert plain.code == 0 and "intact" in plain.out
    keyed = cli("audit", "verify", "--key")
    assert keyed.code == 1
    assert "broken at event 4: its MAC does not match the key" in keyed.err


def test_a_rewrite_that_drops_the_macs_is_named_too(managed: Workspace, cli) -> None:
    events = list(audit.iter_events(managed))
    events[1]["actor"] = "mallory"
    _rewrite_store(managed, _recomputed(events, audit.GENESIS), macs="dropped")
    assert cli("audit", "verify").code == 0
    keyed = cli("audit", "verify", "--key")
    assert keyed.code == 1 and "broken at event 1: has no MAC" in keyed.err


def test_a_wrong_key_fails(managed: Workspace, cli, monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    assert cli("audit", "verify", "--key").code == 0
    monkeypatch.setenv("KIZASHI_AUDIT_KEY", OTHER_KEY)
    wrong = cli("audit", "verify", "--key")
    assert wrong.code == 1 and "broken at event 1: its MAC does not match the key" in wrong.err
    monkeypatch.delenv("KIZASHI_AUDIT_KEY")
    out = tmp_path / "trail.jsonl"
    assert cli("audit", "export", "--out", out).code == 0
    monkeypatch.setenv("KIZASHI_AUDIT_KEY", OTHER_KEY)
    assert cli("audit", "verify", "--file", out, "--key").code == 1


def test_an_export_carries_its_macs_and_round_trips(managed: Workspace, cli, tmp_path: Path) -> None:
    out = tmp_path / "trail.jsonl"
    assert cli("audit", "export", "--out", out).code == 0
    rows = [orjson.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    assert all(len(row["mac"]) == 64 for row in rows)
    intact = cli("audit", "verify", "--file", out, "--key")
    assert intact.code == 0 and "every MAC matches the key" in intact.out
    # The workspace's key file is found through --workspace (or KIZASHI_WORKSPACE, as here) with --key.
    assert cli("audit", "verify", "--file", out, "--key", "--workspace", managed.path).code == 0
    # A range rewritten with recomputed hashes passes on its own, and with the key fails at its first forged event.
    forged = [dict(row) for row in rows[1:]]
    forged[2]["action"] = "nothing to see"
    path = tmp_path / "forged.jsonl"
    path.write_text(
        "".join(orjson.dumps(r).decode() + "\n" for r in _recomputed(forged, rows[0]["hash"])), encoding="utf-8"
    )
    assert cli("audit", "verify", "--file", path).code == 0
    keyed = cli("audit", "verify", "--file", path, "--key")
    assert keyed.code == 1 and f"broken at event {forged[2]['seq']}: its MAC" in keyed.err


def test_options_that_cannot_apply_are_refused(
    managed: Workspace, cli, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    out = tmp_path / "trail.jsonl"
    assert cli("audit", "export", "--out", out).code == 0
    without_key = cli("audit", "verify", "--file", out, "--workspace", managed.path)
    assert without_key.code == 2 and "--workspace does not apply" in without_key.err
    monkeypatch.setenv("KIZASHI_AUDIT_KEY", OTHER_KEY)
    elsewhere = cli("audit", "verify", "--file", out, "--key", "--workspace", managed.path)
    assert elsewhere.code == 2 and "the key comes from KIZASHI_AUDIT_KEY" in elsewhere.err
    monkeypatch.setenv("KIZASHI_AUDIT_KEY_FILE", str(tmp_path / "k"))
    both = cli("audit", "verify", "--key")
    assert both.code == 2 and "not both" in both.err
    monkeypatch.delenv("KIZASHI_AUDIT_KEY_FILE")
    monkeypatch.setenv("KIZASHI_AUDIT_KEY", "abcdefghijklmnopqrstuvwxyzABCDEF")
    weak = cli("audit", "verify", "--key")
    assert weak.code == 2 and "KIZASHI_AUDIT_KEY is too weak" in weak.err and "token_urlsafe" in weak.err


def test_a_trail_without_a_key_is_refused_with_key(
    workspace: Workspace, tmp_path: Path, cli, monkeypatch: pytest.MonkeyPatch
) -> None:
    # A workspace whose trail was never keyed, and has no key now: --key cannot apply.
    (workspace.path / audit_key.KEY_FILE).unlink()
    refused = cli("audit", "verify", "--key")
    assert refused.code == 2 and "--key: there is no audit key" in refused.err
    assert cli("audit", "verify").code == 0
    # An exported file checked where there is no key at all.
    monkeypatch.setenv("KIZASHI_WORKSPACE", str(tmp_path / "none"))
    path = tmp_path / "range.jsonl"
    path.write_text("", encoding="utf-8")
    refused = cli("audit", "verify", "--file", path, "--key")
    assert refused.code == 2 and "--key: there is no audit key" in refused.err


def test_a_keyed_trail_is_never_written_without_its_key(managed: Workspace, cli) -> None:
    key_file = managed.path / audit_key.KEY_FILE
    kept = key_file.read_bytes()
    key_file.unlink()
    refused = cli("list", "needs")
    assert refused.code == 2 and "sealed with a key this process does not have" in refused.err
    # Nor does `init` make a new key that could never check the old events.
    assert cli("init").code == 2 and not key_file.exists()
    key_file.write_bytes(kept)
    key_file.chmod(0o600)
    assert cli("audit", "verify", "--key").code == 0


def test_the_key_file_is_its_owners_alone(tmp_path: Path, cli, database_url: str, monkeypatch) -> None:
    previous = os.umask(0o022)
    try:
        folder = tmp_path / "ws"
        monkeypatch.setenv("KIZASHI_DATABASE_URL", database_url)
        assert cli("init", "--workspace", folder).code == 0
        key_file = folder / audit_key.KEY_FILE
        assert stat.S_IMODE(key_file.stat().st_mode) == 0o600
        assert len(key_file.read_text(encoding="utf-8").strip()) >= 43  # token_urlsafe(32)
        key_file.chmod(0o644)
        warned = cli("list", "needs", "--workspace", folder)
        assert warned.code == 0 and f"chmod 600 {key_file}" in warned.err
    finally:
        os.umask(previous)


def test_a_key_file_elsewhere(tmp_path: Path, cli, database_url: str, monkeypatch: pytest.MonkeyPatch) -> None:
    elsewhere = tmp_path / "keys" / "kizashi-audit.key"
    elsewhere.parent.mkdir()
    monkeypatch.setenv("KIZASHI_AUDIT_KEY_FILE", str(elsewhere))
    monkeypatch.setenv("KIZASHI_DATABASE_URL", database_url)
    folder = tmp_path / "ws"
    assert cli("init", "--workspace", folder).code == 0
    assert stat.S_IMODE(elsewhere.stat().st_mode) == 0o600
    assert not (folder / audit_key.KEY_FILE).exists()
    workspace = Workspace.open(folder)
    try:
        assert workspace.audit_key is not None and workspace.audit_key.file == elsewhere
    finally:
        workspace.close()
    monkeypatch.setenv("KIZASHI_AUDIT_KEY_FILE", str(tmp_path / "missing.key"))
    missing = cli("list", "needs", "--workspace", folder)
    assert missing.code == 2 and "KIZASHI_AUDIT_KEY_FILE: there is no file" in missing.err


def test_a_weak_key_file_is_refused(tmp_path: Path) -> None:
    (tmp_path / audit_key.KEY_FILE).write_text("password1234567890password\n", encoding="utf-8")
    with pytest.raises(ConfigError, match="too weak"):
        audit_key.load(tmp_path)


def test_events_from_before_the_key_are_backfilled_once(managed: Workspace, cli) -> None:
    _sql(managed, "UPDATE audit_events SET mac = NULL WHERE seq <= 4")  # written before the workspace had a key
    unsealed = cli("audit", "verify", "--key")
    assert unsealed.code == 1 and "broken at event 1: has no MAC" in unsealed.err
    sealed = cli("audit", "key", "backfill")
    assert sealed.code == 0 and "sealed events 1–4" in sealed.out
    assert cli("audit", "verify", "--key").code == 0
    assert cli("audit", "key", "backfill").out.startswith("nothing to seal")
    seals = [e for e in audit.iter_events(managed) if e["action"] == "seal"]
    assert [(e["actor"], e["detail"]["from"], e["detail"]["to"]) for e in seals] == [
        ("boss", 1, 4),
        ("boss", None, None),
    ]


def test_a_backfill_never_seals_a_gap_or_a_broken_chain(managed: Workspace, cli, login_as) -> None:
    _sql(managed, "UPDATE audit_events SET mac = NULL WHERE seq = 6")  # after sealed events: not from before the key
    gap = cli("audit", "key", "backfill")
    assert gap.code == 1 and "event 6 has no MAC although event 1 before it has one" in gap.err
    assert cli("audit", "verify", "--key").code == 1
    _sql(managed, "UPDATE audit_events SET mac = NULL")
    _sql(managed, "UPDATE audit_events SET actor = 'mallory' WHERE seq = 3")
    broken = cli("audit", "key", "backfill")
    assert broken.code == 1 and "the chain is broken at event 3" in broken.err
    login_as("ana")
    denied = cli("audit", "key", "backfill")
    assert denied.code == 2 and "may not seal the audit trail" in denied.err


def test_the_migration_matches_the_model(workspace: Workspace) -> None:
    with workspace.engine.connect() as connection:
        context = MigrationContext.configure(connection, opts={"compare_type": False})
        diffs = compare_metadata(context, Base.metadata)
    ours = {"audit_events", "login_refusals"}
    assert [d for d in diffs if ours & set(re.findall(r"\w+", repr(d)))] == []


KEY = b"k" * 32
FIELDS = ("actor", "action", "records", "detail", "at", "origin", "seq", "mac")
VALUES = st.one_of(st.text(max_size=10), st.integers(), st.none(), st.lists(st.text(max_size=4), max_size=3))


def _sealed_chain(n: int) -> list[dict[str, Any]]:
    previous, chain = audit.GENESIS, []
    for seq in range(1, n + 1):
        event: dict[str, Any] = {
            "seq": seq,
            "at": f"2026-12-10T00:00:{seq:02d}.000000+00:00",
            "actor": f"user{seq % 3}",
            "action": "decision",
            "records": [f"need:{seq}"],
            "detail": {"i": seq},
            "origin": None,
            "prev_hash": previous,
        }
        event["hash"] = previous = audit.event_hash(previous, event)
        event["mac"] = audit_key.mac(KEY, event["hash"])
        chain.append(event)
    return chain


@settings(max_examples=150, deadline=None)
@given(n=st.integers(1, 8), data=st.data())
def test_any_single_field_edit_is_caught_by_the_key(n: int, data: st.DataObject) -> None:
    """Whatever field of whatever event is changed, and however the hashes are then recomputed (from the edited
    event on, as someone without the key would), the key catches it; the chain alone does not."""
    chain = _sealed_chain(n)
    victim = data.draw(st.integers(0, n - 1))
    field = data.draw(st.sampled_from(FIELDS))
    value = data.draw(VALUES)
    changed = [dict(event) for event in chain]
    if changed[victim][field] == value:
        return
    changed[victim][field] = value
    if field != "mac":
        start = changed[victim - 1]["hash"] if victim else audit.GENESIS
        try:
            _recomputed(changed[victim:], start)
        except TypeError:  # a value the canonical JSON cannot hold: no rewrite to make
            return
    if field not in ("seq", "mac"):
        assert audit.verify_events(changed).ok  # the forger's rewrite is a valid chain …
    assert not audit.verify_events(changed, key=KEY).ok  # … but not under the key
    assert audit.verify_events(chain, key=KEY).ok
