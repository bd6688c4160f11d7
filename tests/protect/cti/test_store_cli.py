"""`kizashi cti` end to end on both backends: groups and collections by an officer, ATT&CK, STIX examples and KEV
loaded by a member, listed in either language; a bad file loads nothing."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from kizashi.ingest.kev import kev_objects
from kizashi.ingest.stix import read_stix_file
from kizashi.protect import people
from kizashi.protect.people import actor_for as as_user
from kizashi.store.workspace import Workspace

CTI = Path(__file__).parent.parent.parent / "fixtures" / "cti"


@pytest.fixture
def members(workspace: Workspace) -> Workspace:
    people.add_user(workspace, as_user(workspace, "boss"), "boss", roles=["admin"], organisation="kizashi")
    boss = as_user(workspace, "boss")
    people.add_user(workspace, boss, "ana", roles=["analyst"], organisation="lab-a")
    people.add_user(workspace, boss, "dan", roles=["analyst"], organisation="lab-a")
    return workspace


def test_groups_collections_ingest_and_listing(
    members: Workspace, cli: Callable[..., Any], login_as: Callable[[str], None], monkeypatch: pytest.MonkeyPatch
) -> None:
    login_as("ana")
    refused = cli("cti", "group", "add", "partners", "--member", "ana")
    assert refused.code == 2 and "may not create sharing groups" in refused.err
    login_as("boss")
    assert cli("cti", "group", "add", "partners", "--member", "ana").code == 0
    made = cli("cti", "collection", "add", "intel", "--group", "partners", "--default-tlp", "GREEN")
    assert made.code == 0 and "collection intel added to partners" in made.out
    login_as("ana")
    attack, kev = CTI / "attack-ics-slice.json", CTI / "kev-slice.csv"
    in_attack, in_kev = len(read_stix_file(attack)), len(kev_objects(kev))
    loaded = cli("cti", "ingest", attack, kev)
    assert loaded.code == 0, loaded.err
    assert f"intel: {in_attack + in_kev} object versions added, 0 already there" in loaded.out
    again = cli("cti", "ingest", attack, "--collection", "intel")
    assert f"0 object versions added, {in_attack} already there" in again.out
    listed = cli("cti", "objects", "--type", "vulnerability", "--json")
    assert listed.code == 0 and len(json.loads(listed.out)) == in_kev
    monkeypatch.setenv("KIZASHI_LANG", "ja")
    table = cli("cti", "collections")
    assert "コレクション" in table.out and "intel" in table.out and "はい" in table.out
    monkeypatch.setenv("KIZASHI_LANG", "en")
    login_as("dan")  # outside the group: sees nothing, and an add answers like a missing collection
    assert "no collection you may read" in cli("cti", "collections").out
    hidden = cli("cti", "ingest", attack, "--collection", "intel")
    assert hidden.code == 2 and "no collection 'intel'" in hidden.err


def test_a_bad_file_loads_nothing(
    members: Workspace,
    cli: Callable[..., Any],
    login_as: Callable[[str], None],
    tmp_path: Path,
    snapshot: Callable[[Workspace], object],
) -> None:
    login_as("boss")
    cli("cti", "group", "add", "partners", "--member", "ana")
    cli("cti", "collection", "add", "intel", "--group", "partners")
    login_as("ana")
    bundle = json.loads((CTI / "stix21-examples" / "indicator-for-c2-ip-address.json").read_text(encoding="utf-8"))
    bundle["objects"][0]["object_marking_refs"] = ["marking-definition--00000000-0000-4000-8000-000000000001"]
    bad = tmp_path / "bad.json"
    bad.write_text(json.dumps(bundle), encoding="utf-8")
    before = snapshot(members)
    refused = cli("cti", "ingest", CTI / "attack-ics-slice.json", bad, "--collection", "intel")
    assert refused.code == 2 and bundle["objects"][0]["id"] in refused.err and "unknown marking" in refused.err
    assert snapshot(members) == before
