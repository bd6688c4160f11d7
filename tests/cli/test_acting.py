"""Who acts on the command line: the operating-system login by default; another user only with their credential
(a personal token, or their password on standard input), never by naming them; every refusal audited as `denied`."""

from __future__ import annotations

import io
import json
from datetime import UTC, datetime
from pathlib import Path

import pytest

from kizashi.protect import people
from kizashi.protect.people import actor_for as as_user
from kizashi.store import audit
from kizashi.store.workspace import Workspace

DONE = datetime(2026, 1, 1, tzinfo=UTC)
PASSWORD = "correct horse battery staple"
SEEDS = """id,title,description,label,compartments
s-pub,Drone search in rubble,collapsed buildings,PUBLIC,
s-sec,Quantum key distribution,secure links,SECRET,
"""
NEEDS = """id,title,description,label,compartments
n-pub,Finding people under rubble,after an earthquake,PUBLIC,
"""


@pytest.fixture
def managed(workspace: Workspace, tmp_path: Path, cli, login_as) -> Workspace:  # type: ignore[no-untyped-def]
    """root (the test's login) admin with SECRET; ana PUBLIC analyst with a password; a PUBLIC and a SECRET seed."""
    login_as("root")
    root = as_user(workspace, "root")
    people.add_user(workspace, root, "root", roles=["admin"], password=PASSWORD)
    root = as_user(workspace, "root")
    people.grant(workspace, root, "root", "SECRET")
    for course in ("security-basics", "secret-handling"):
        people.record_training(workspace, root, "root", course, DONE)
    people.add_user(workspace, as_user(workspace, "root"), "ana", password=PASSWORD)
    people.grant(workspace, as_user(workspace, "root"), "ana", "PUBLIC")
    (tmp_path / "seeds.csv").write_text(SEEDS, encoding="utf-8")
    (tmp_path / "needs.csv").write_text(NEEDS, encoding="utf-8")
    assert cli("ingest", "seeds", tmp_path / "seeds.csv").code == 0
    assert cli("ingest", "needs", tmp_path / "needs.csv").code == 0
    return workspace


def _last(workspace: Workspace, action: str) -> dict[str, object]:
    return [e for e in audit.iter_events(workspace) if e["action"] == action][-1]


def test_a_bare_name_does_not_make_you_someone_else(managed: Workspace, cli, login_as, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    login_as("ana")
    monkeypatch.setenv("KIZASHI_USER", "root")
    refused = cli("list", "seeds", "-f", "jsonl")
    assert refused.code == 2 and "needs their credential" in refused.err and "s-sec" not in refused.out
    event = _last(managed, "denied")
    assert event["actor"] == "root" and event["detail"]["service"] == "identity"
    assert "you are 'ana'" in event["detail"]["why"]
    monkeypatch.delenv("KIZASHI_USER")
    assert cli("--user", "root", "user", "password", "root").code == 2  # nor with the option
    # Neither do the variables the operating system's own getpass trusts.
    monkeypatch.setenv("LOGNAME", "root")
    monkeypatch.setenv("USER", "root")
    mine = cli("list", "seeds", "-f", "jsonl")
    assert mine.code == 0 and [json.loads(line)["id"] for line in mine.out.splitlines()] == ["s-pub"]


def test_a_personal_token_acts_as_its_user(managed: Workspace, cli, login_as, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    created = cli("user", "token", "create", "ana", "--label", "script")
    assert created.code == 0
    token = created.out.strip()
    assert token.startswith("kzt_") and token not in json.dumps(list(audit.iter_events(managed)))
    login_as("someone-else")
    monkeypatch.setenv("KIZASHI_TOKEN", token)
    listed = cli("list", "seeds", "-f", "jsonl")
    assert listed.code == 0 and [json.loads(line)["id"] for line in listed.out.splitlines()] == ["s-pub"]
    assert _last(managed, "read")["actor"] == "ana"
    monkeypatch.setenv("KIZASHI_USER", "root")  # a token of ana's does not make you root
    assert cli("list", "seeds").code == 2
    monkeypatch.delenv("KIZASHI_USER")
    login_as("root")
    tokens = json.loads(cli("user", "token", "list", "ana", "-f", "json").out)
    assert cli("user", "token", "revoke", str(tokens[0]["id"])).code == 0
    login_as("someone-else")
    assert cli("list", "seeds").code == 2  # revoked
    monkeypatch.setenv("KIZASHI_TOKEN", "kzt_not-a-token")
    assert cli("list", "seeds").code == 2


def test_an_admin_does_not_create_another_admins_token(managed: Workspace, cli) -> None:  # type: ignore[no-untyped-def]
    """Holding it would be acting as them: a second admin creates their own."""
    assert people.add_user(managed, as_user(managed, "root"), "ops", roles=["admin"]).done  # root was the only admin
    refused = cli("user", "token", "create", "ops")
    assert refused.code == 2 and "creates their own" in refused.err
    assert cli("user", "token", "create", "root").code == 0  # one's own


def test_the_password_on_standard_input_acts_as_its_user(managed: Workspace, cli, login_as, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    login_as("someone-else")
    monkeypatch.setattr("sys.stdin", io.StringIO(PASSWORD + "\n"))
    done = cli("--user", "ana", "--auth-stdin", "list", "seeds", "-f", "jsonl")
    assert done.code == 0 and "s-pub" in done.out and "s-sec" not in done.out
    monkeypatch.setattr("sys.stdin", io.StringIO("wrong password entirely\n"))
    assert cli("--user", "ana", "--auth-stdin", "list", "seeds").code == 2
    assert "wrong password" in str(_last(managed, "denied")["detail"]["why"])


def test_a_stranger_to_an_unmanaged_workspace_is_refused(tmp_path: Path, cli, login_as, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.setenv("KIZASHI_WORKSPACE", str(tmp_path / "ws"))
    monkeypatch.delenv("KIZASHI_DATABASE_URL", raising=False)
    login_as("alice")
    assert cli("init").code == 0
    assert cli("status").code == 0
    login_as("mallory")
    refused = cli("status")
    assert refused.code == 2 and "operated by its owner 'alice'" in refused.err


@pytest.mark.parametrize(
    "command",
    [
        ["audit", "verify"],
        ["audit", "export"],
        ["user", "grant", "ana", "--level", "SECRET"],
        ["user", "show", "root"],
        ["screen", "load", "LIST"],
        ["risk-card", "s-sec"],
        ["judge", "n-pub", "s-sec", "accept"],
        ["experts", "n-missing"],
    ],
)
def test_every_refusal_on_the_command_line_is_audited(
    managed: Workspace, cli, login_as, tmp_path: Path, command: list[str]
) -> None:  # type: ignore[no-untyped-def]
    """A PUBLIC analyst tries what they may not: each is refused (exit 2) and leaves a `denied` event naming them,
    the service and the command."""
    (tmp_path / "list.csv").write_text("id,name,aliases,type,country,list,program\n1,Tako LLC,,entity,,test,\n")
    args = [str(tmp_path / "list.csv") if part == "LIST" else part for part in command]
    login_as("ana")
    before = sum(1 for _ in audit.iter_events(managed))
    done = cli(*args)
    assert done.code == 2, done.out + done.err
    denied = [e for e in list(audit.iter_events(managed))[before:] if e["action"] == "denied"]
    assert len(denied) == 1 and denied[0]["actor"] == "ana"
    assert denied[0]["detail"]["via"].startswith("cli: kizashi " + command[0])


def test_user_show_is_checked_and_audited(managed: Workspace, cli, login_as) -> None:  # type: ignore[no-untyped-def]
    login_as("ana")
    own = cli("user", "show", "ana")
    assert own.code == 0 and "PUBLIC" in own.out
    assert _last(managed, "read")["records"] == ["user:ana"]
    login_as("root")
    theirs = cli("user", "show", "ana")
    assert theirs.code == 0 and _last(managed, "read")["actor"] == "root"
