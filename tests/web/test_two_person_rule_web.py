"""The two-person rule through the admin pages and the JSON API: the same service as the command line, so a change
one admin proposes waits for another, whichever way either comes."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from fastapi.testclient import TestClient

from conftest import PASSWORD, page_csrf
from kizashi.protect import people
from kizashi.protect.people import actor_for as as_user
from kizashi.store import audit
from kizashi.store.workspace import Workspace


@pytest.fixture
def two_admins(web_workspace: Workspace) -> Workspace:
    """boss (SECRET, alpha, beta) and boss2, both admins with web passwords."""
    # boss is the only admin yet: the second one, with a password, is created alone (and the trail says so).
    boss = as_user(web_workspace, "boss")
    assert people.add_user(web_workspace, boss, "boss2", roles=["admin"], password=PASSWORD).done
    return web_workspace


def _actions(workspace: Workspace) -> list[tuple[str, str]]:
    return [(e["actor"], e["action"]) for e in audit.iter_events(workspace)]


def test_the_pages_hold_a_new_admin_for_a_second_admin(
    two_admins: Workspace, browser: Callable[[str], TestClient]
) -> None:
    boss = browser("boss")
    form = {"csrf_token": page_csrf(boss.get("/admin/users").text), "name": "puppet", "roles": "admin"}
    held = boss.post("/admin/users", data={**form, "password": "a long passphrase here"})
    assert held.status_code == 200 and 'id="held"' in held.text
    assert boss.get("/admin/users/puppet").status_code == 404  # not created
    changes = boss.get("/admin/changes")
    assert "puppet" in changes.text and 'id="approve-' not in changes.text  # not for its proposer to approve
    refused = boss.post("/admin/changes/1", data={"csrf_token": page_csrf(changes.text), "decision": "approve"})
    assert refused.status_code == 403
    assert ("boss", "change_proposed") in _actions(two_admins) and ("boss", "denied") in _actions(two_admins)
    boss2 = browser("boss2")
    page = boss2.get("/admin/changes")
    assert 'id="approve-1"' in page.text
    done = boss2.post("/admin/changes/1", data={"csrf_token": page_csrf(page.text), "decision": "approve"})
    assert done.status_code == 200 and 'id="done"' in done.text
    assert boss.get("/admin/users/puppet").status_code == 200
    assert ("boss2", "change_approved") in _actions(two_admins)


def test_the_pages_hold_a_grant_to_oneself(two_admins: Workspace, browser: Callable[[str], TestClient]) -> None:
    boss = browser("boss")
    csrf = page_csrf(boss.get("/admin/users/boss").text)
    held = boss.post(
        "/admin/users/boss/grant", data={"csrf_token": csrf, "level": "SECRET", "compartments_text": "gamma"}
    )
    assert held.status_code == 200 and 'id="held"' in held.text
    assert "gamma" not in as_user(two_admins, "boss").clearance.compartments


def test_the_api_holds_the_same_changes(two_admins: Workspace, api: Callable[[str | None], TestClient]) -> None:
    boss, boss2, ana = api("boss"), api("boss2"), api("ana")
    assert ana.post("/api/users", json={"name": "x1"}).status_code == 403  # not an admin
    held = boss.post("/api/users/boss/grants", json={"level": "SECRET", "compartments": ["gamma"]})
    assert held.status_code == 201 and held.json()["done"] is False
    number = held.json()["change"]
    assert boss.post(f"/api/changes/{number}/approve").status_code == 403
    assert [c["id"] for c in boss2.get("/api/changes").json()] == [number]
    assert boss2.post(f"/api/changes/{number}/approve").status_code == 200
    assert "gamma" in as_user(two_admins, "boss").clearance.compartments
    shown = boss2.get("/api/users/boss").json()
    assert "gamma" in shown["clearance"]["compartments"]
    password = boss.put("/api/users/boss2/password", json={"password": "boss knows this one now"})
    assert password.status_code == 200 and password.json()["done"] is False
    assert boss.post("/api/users", json={"name": "plain", "roles": ["analyst"]}).json()["done"] is True
    assert ana.get("/api/users/plain").status_code == 403
    assert ana.get("/api/users/ana").status_code == 200  # one's own
