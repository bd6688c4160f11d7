"""The two-person rule: with a second admin present, no admin alone creates an admin, sets another admin's password,
raises their own clearance or grants what they do not hold; the change waits for a second admin, audited at both
steps. The bypass found in review (create an admin, log in as it, grant yourself SECRET) is closed."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from sqlalchemy import select

from kizashi.errors import AccessDenied, NotFound
from kizashi.model import Grant, User
from kizashi.policy import Actor, Clearance
from kizashi.protect import people
from kizashi.protect.people import actor_for as as_user
from kizashi.store import audit
from kizashi.store.workspace import Workspace

DONE = datetime(2026, 1, 1, tzinfo=UTC)


def _events(workspace: Workspace, action: str) -> list[dict[str, object]]:
    return [event for event in audit.iter_events(workspace) if event["action"] == action]


def _grants(workspace: Workspace, name: str) -> list[str]:
    with workspace.session() as session:
        return [g.level for g in session.scalars(select(Grant).where(Grant.user == name, Grant.revoked_at.is_(None)))]


@pytest.fixture
def admins(workspace: Workspace) -> Workspace:
    """boss (admin, CONFIDENTIAL with alpha and its training) and boss2 (admin, SECRET): two admins."""
    operator = as_user(workspace, "boss")
    people.add_user(workspace, operator, "boss", roles=["admin"])
    boss = as_user(workspace, "boss")
    assert people.grant(workspace, boss, "boss", "CONFIDENTIAL", compartments=["alpha"]).done  # alone: allowed
    assert people.record_training(workspace, boss, "boss", "security-basics", DONE).done
    assert people.add_user(workspace, as_user(workspace, "boss"), "boss2", roles=["admin"]).done
    boss = as_user(workspace, "boss")
    assert people.grant(workspace, boss, "boss2", "CONFIDENTIAL").done
    assert people.record_training(workspace, boss, "boss2", "security-basics", DONE).done
    return workspace


def test_the_only_admin_acts_alone_and_the_trail_says_so(workspace: Workspace) -> None:
    people.add_user(workspace, as_user(workspace, "solo"), "solo", roles=["admin"])
    outcome = people.grant(workspace, as_user(workspace, "solo"), "solo", "SECRET")
    assert outcome.done and _grants(workspace, "solo") == ["SECRET"]
    assert _events(workspace, "grant")[-1]["detail"]["mode"] == "sole admin"


def test_raising_ones_own_clearance_waits_for_a_second_admin(admins: Workspace) -> None:
    boss = as_user(admins, "boss")
    held = people.grant(admins, boss, "boss", "SECRET", reason="new project")
    assert not held.done and held.change is not None
    assert _grants(admins, "boss") == ["CONFIDENTIAL"]  # nothing granted yet
    proposed = _events(admins, "change_proposed")[-1]
    assert (
        proposed["actor"] == "boss"
        and proposed["detail"]["kind"] == "grant"
        and proposed["detail"]["level"] == "SECRET"
    )
    with pytest.raises(AccessDenied, match="another admin"):
        people.approve(admins, boss, held.change)
    assert _events(admins, "denied")[-1]["detail"]["service"] == "users.approve"
    assert [c["id"] for c in people.pending_changes(admins, as_user(admins, "boss2"))] == [held.change]
    detail = people.approve(admins, as_user(admins, "boss2"), held.change)
    assert detail["level"] == "SECRET" and sorted(_grants(admins, "boss")) == ["CONFIDENTIAL", "SECRET"]
    approved = _events(admins, "change_approved")[-1]
    assert approved["actor"] == "boss2" and approved["detail"]["proposed_by"] == "boss"
    with pytest.raises(NotFound):  # carried out once
        people.approve(admins, as_user(admins, "boss2"), held.change)


def test_the_puppet_admin_bypass_is_closed(admins: Workspace) -> None:
    """Create a second account as admin, log in as it, grant yourself SECRET: the account is never created alone."""
    boss = as_user(admins, "boss")
    held = people.add_user(admins, boss, "puppet", roles=["admin"], password="a long passphrase here")
    assert not held.done
    with admins.session() as session:
        assert session.get(User, "puppet") is None
    with pytest.raises(AccessDenied):  # no such user to act as
        people.actor_for(admins, "puppet")
    people.reject(admins, as_user(admins, "boss2"), held.change or 0, reason="no reason for a third admin")
    assert _events(admins, "change_rejected")[-1]["detail"]["change"] == held.change
    with pytest.raises(NotFound):
        people.approve(admins, as_user(admins, "boss2"), held.change or 0)


def test_a_puppet_analyst_gets_nothing_its_admin_does_not_hold(admins: Workspace) -> None:
    """An admin may create an analyst and set its password, but not grant it a level or compartment they do not
    hold themself without a second admin: otherwise they would log in as it and read it."""
    boss = as_user(admins, "boss")
    assert people.add_user(admins, boss, "puppet", password="a long passphrase here").done
    assert people.grant(admins, boss, "puppet", "CONFIDENTIAL", compartments=["alpha"]).done  # what boss holds
    assert not people.grant(admins, boss, "puppet", "SECRET").done
    assert not people.grant(admins, boss, "puppet", "INTERNAL", compartments=["beta"]).done
    assert _grants(admins, "puppet") == ["CONFIDENTIAL"]


def test_another_admins_password_needs_a_second_admin(admins: Workspace) -> None:
    boss = as_user(admins, "boss")
    held = people.set_password(admins, boss, "boss2", "boss knows this one now")
    assert not held.done
    assert not people.check_password(admins, "boss2", "boss knows this one now")
    assert "password_hash" not in _events(admins, "change_proposed")[-1]["detail"]  # never in the trail
    assert all(
        "password_hash" not in str(change) for change in people.pending_changes(admins, as_user(admins, "boss2"))
    )
    people.approve(admins, as_user(admins, "boss2"), held.change or 0)  # boss2 consents
    assert people.check_password(admins, "boss2", "boss knows this one now")
    assert people.set_password(admins, boss, "boss", "my own is mine to set").done  # one's own: no second admin


def test_one_admin_cannot_act_as_both(admins: Workspace) -> None:
    held = people.record_training(admins, as_user(admins, "boss"), "boss", "secret-handling", DONE)
    assert not held.done
    with pytest.raises(AccessDenied):
        people.approve(admins, Actor(Clearance("stranger")), held.change or 0)
    people.reject(admins, as_user(admins, "boss"), held.change or 0, reason="withdrawn")  # its proposer withdraws
    assert people.pending_changes(admins, as_user(admins, "boss2")) == []
