"""`kizashi cti link`, `unlink` and `links` on both backends: tie a threat to a seed, see it listed (table in either
language, or JSON), not twice; one asset option exactly; someone outside the sharing group gets "missing"; unlink."""

from __future__ import annotations

import json
import uuid
from collections.abc import Callable
from typing import Any

import pytest

from kizashi.model import Seed, Threat
from kizashi.protect import people
from kizashi.protect.cti.groups import add_collection, add_group
from kizashi.protect.cti.store import add_objects
from kizashi.protect.cti.tlp import MARKING_OF
from kizashi.protect.people import actor_for as as_user
from kizashi.store.workspace import Workspace

STAMP = "2026-01-01T00:00:00.000Z"
MALWARE = "malware--5d1c0c5e-8b2d-4a52-9a51-2b7f0d0a1c01"


@pytest.fixture
def intel(workspace: Workspace) -> Workspace:
    """ana in 'partners' with a GREEN malware object; dan outside; a seed and a threat of the register."""
    people.add_user(workspace, as_user(workspace, "boss"), "boss", roles=["admin"], organisation="kizashi")
    boss = as_user(workspace, "boss")
    people.add_user(workspace, boss, "ana", roles=["analyst"], organisation="lab-a")
    people.add_user(workspace, boss, "dan", roles=["analyst"], organisation="lab-a")
    add_group(workspace, boss, "partners", ["ana"])
    add_collection(workspace, boss, "intel", "partners")
    malware = {
        "type": "malware",
        "spec_version": "2.1",
        "id": MALWARE,
        "created": STAMP,
        "modified": STAMP,
        "name": "GridWiper",
        "is_family": True,
        "object_marking_refs": [MARKING_OF["GREEN"]],
    }
    add_objects(workspace, as_user(workspace, "ana"), "intel", [malware])
    with workspace.session() as session:
        session.add(Seed(id="S1", title="Grid anomaly detection", level="PUBLIC", content_hash=uuid.uuid4().hex))
        session.add(
            Threat(
                id="T1",
                category="cyber",
                name_en="Attack on grid control",
                name_ja="電力制御系への攻撃",
                level="PUBLIC",
                content_hash=uuid.uuid4().hex,
            )
        )
    return workspace


def test_link_list_unlink(
    intel: Workspace, cli: Callable[..., Any], login_as: Callable[[str], None], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("KIZASHI_LANG", "en")
    monkeypatch.setenv("COLUMNS", "200")  # the table whole, one line a link
    login_as("ana")
    made = cli("cti", "link", MALWARE, "--seed", "S1", "--reason", "wipes our detector")
    assert made.code == 0, made.err
    assert f"{MALWARE} tied to seed S1" in made.out
    again = cli("cti", "link", MALWARE, "--seed", "S1")
    assert again.code == 0 and "tied already" in again.out
    assert cli("cti", "link", MALWARE, "--threat", "T1").code == 0

    listed = cli("cti", "links", "--format", "json")
    assert listed.code == 0
    found = json.loads(listed.out)
    assert [(link["asset_kind"], link["asset_id"]) for link in found] == [("seeds", "S1"), ("threats", "T1")]
    assert found[0]["reason"] == "wipes our detector" and found[0]["object_name"] == "GridWiper"
    assert found[1]["asset_title_ja"] == "電力制御系への攻撃"
    only = json.loads(cli("cti", "links", "--threat", "T1", "--format", "json").out)
    assert [link["asset_id"] for link in only] == ["T1"]

    table = cli("cti", "links", "--object", MALWARE)
    assert "object" in table.out and "reason" in table.out and "Attack on grid control" in table.out
    monkeypatch.setenv("KIZASHI_LANG", "ja")
    table = cli("cti", "links")
    assert "オブジェクト" in table.out and "資産" in table.out and "電力制御系への攻撃" in table.out
    assert "シーズ" in table.out
    monkeypatch.setenv("KIZASHI_LANG", "en")

    removed = cli("cti", "unlink", MALWARE, "--seed", "S1")
    assert removed.code == 0 and "1 link(s) removed" in removed.out
    assert [link["asset_id"] for link in json.loads(cli("cti", "links", "--format", "json").out)] == ["T1"]
    gone = cli("cti", "unlink", MALWARE, "--seed", "S1")
    assert gone.code == 2 and "no link between" in gone.err


def test_one_asset_exactly_and_outsiders_see_nothing(
    intel: Workspace, cli: Callable[..., Any], login_as: Callable[[str], None], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("KIZASHI_LANG", "en")
    login_as("ana")
    none = cli("cti", "link", MALWARE)
    assert none.code == 2 and "name one asset" in none.err
    two = cli("cti", "link", MALWARE, "--seed", "S1", "--threat", "T1")
    assert two.code == 2 and "name one asset" in two.err
    bad = cli("cti", "links", "--format", "xml")
    assert bad.code == 2 and "unknown format" in bad.err
    assert cli("cti", "link", MALWARE, "--seed", "S1").code == 0

    login_as("dan")  # outside the group: the object answers like a missing one, and no link is listed
    hidden = cli("cti", "link", MALWARE, "--seed", "S1")
    missing = cli("cti", "link", "malware--00000000-0000-4000-8000-000000000000", "--seed", "S1")
    assert hidden.code == missing.code == 2
    assert hidden.err.replace(MALWARE, "X") == missing.err.replace("malware--00000000-0000-4000-8000-000000000000", "X")
    assert "no link you may read" in cli("cti", "links").out
    assert json.loads(cli("cti", "links", "--format", "json").out) == []
