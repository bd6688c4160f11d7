"""`kizashi cti groups` and `kizashi cti group remove-member` on both backends: the groups with their members (a
table in the reader's language, or JSON), an officer taking a member out, who then reads none of the group's
collections; anyone else refused."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

import pytest

from kizashi.protect import people
from kizashi.protect.people import actor_for as as_user
from kizashi.store import audit
from kizashi.store.workspace import Workspace


@pytest.fixture
def groups(workspace: Workspace, cli: Callable[..., Any], login_as: Callable[[str], None]) -> Workspace:
    """`partners` (ana of lab-a, ben of lab-b) shares `intel`; `inner` (boss) has no collection."""
    people.add_user(workspace, as_user(workspace, "boss"), "boss", roles=["admin"], organisation="kizashi")
    boss = as_user(workspace, "boss")
    people.add_user(workspace, boss, "ana", roles=["analyst"], organisation="lab-a")
    people.add_user(workspace, boss, "ben", roles=["analyst"], organisation="lab-b")
    login_as("boss")
    assert cli("cti", "group", "add", "partners", "--member", "ana", "--member", "ben", "--title", "Partners").code == 0
    assert cli("cti", "group", "add", "inner", "--member", "boss").code == 0
    assert cli("cti", "collection", "add", "intel", "--group", "partners").code == 0
    return workspace


def test_groups_are_listed_with_their_members(
    groups: Workspace, cli: Callable[..., Any], login_as: Callable[[str], None], monkeypatch: pytest.MonkeyPatch
) -> None:
    login_as("boss")
    listed = cli("cti", "groups", "--format", "json")
    assert listed.code == 0, listed.err
    found = json.loads(listed.out)
    assert [group["name"] for group in found] == ["inner", "partners"]
    partners = found[1]
    # boss administers but is no member: the group's collections are not his to read, nor to be named to him
    assert partners["title"] == "Partners" and partners["collections"] == []
    assert [(m["user"], m["organisation"], m["added_by"]) for m in partners["members"]] == [
        ("ana", "lab-a", "boss"),
        ("ben", "lab-b", "boss"),
    ]
    login_as("ana")  # a member sees her groups only, with the collections she may read
    assert [(g["name"], g["collections"]) for g in json.loads(cli("cti", "groups", "--format", "json").out)] == [
        ("partners", ["intel"])
    ]
    monkeypatch.setenv("KIZASHI_LANG", "ja")
    table = cli("cti", "groups")
    assert table.code == 0 and "メンバー" in table.out and "ana (lab-a)" in table.out and "inner" not in table.out
    monkeypatch.setenv("KIZASHI_LANG", "en")
    assert cli("cti", "groups", "--format", "xml").code == 2
    login_as("low")
    people.add_user(groups, as_user(groups, "boss"), "low", roles=["analyst"])
    assert "no sharing group to show" in cli("cti", "groups").out


def test_an_officer_removes_a_member_who_then_reads_nothing_of_the_group(
    groups: Workspace, cli: Callable[..., Any], login_as: Callable[[str], None]
) -> None:
    login_as("ben")
    assert "intel" in cli("cti", "collections").out
    refused = cli("cti", "group", "remove-member", "partners", "ana")
    assert refused.code == 2 and "may not create sharing groups" in refused.err
    login_as("boss")
    done = cli("cti", "group", "remove-member", "partners", "ben")
    assert done.code == 0 and "sharing group partners: ana" in done.out
    event = list(audit.iter_events(groups))[-1]
    assert event["action"] == "cti_group" and event["detail"]["members_removed"] == ["ben"]
    again = cli("cti", "group", "remove-member", "partners", "ben")
    assert again.code == 2 and "'ben' is not a member of sharing group 'partners'" in again.err
    assert cli("cti", "group", "remove-member", "nowhere", "ben").code == 2
    login_as("ben")
    assert "no collection you may read" in cli("cti", "collections").out
    hidden = cli("cti", "objects", "--collection", "intel")
    assert hidden.code == 2 and "no collection 'intel'" in hidden.err
