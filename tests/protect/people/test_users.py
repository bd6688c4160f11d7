"""Users, grants and trainings: the clearance a user holds today, who may change it, and that every change is audited."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from kizashi.errors import AccessDenied, InputError, NotFound
from kizashi.policy import LEVELS, Clearance
from kizashi.protect.people import (
    PREREQUISITES,
    add_user,
    grant,
    record_training,
    renew,
    revoke,
    standing,
    standings,
    supported_level,
)
from kizashi.protect.people import actor_for as as_user
from kizashi.store import audit
from kizashi.store.workspace import Workspace

ADMIN = "admin1"
PAST = datetime(2026, 1, 10, tzinfo=UTC)


def clearance_of(workspace: Workspace, name: str) -> Clearance:
    """The clearance `name` holds today, as the actor built for them carries it."""
    return as_user(workspace, name).clearance


@pytest.fixture
def people(workspace: Workspace) -> Workspace:
    add_user(workspace, as_user(workspace, ADMIN), ADMIN, roles=["admin"])
    add_user(workspace, as_user(workspace, ADMIN), "hanako", roles=["analyst"], organisation="JST")
    return workspace


def test_the_first_user_is_yourself_as_admin(workspace: Workspace) -> None:
    with pytest.raises(InputError, match="first user"):
        add_user(workspace, as_user(workspace, "someone"), "someone", roles=["analyst"])
    with pytest.raises(InputError, match="first user"):
        add_user(workspace, as_user(workspace, "someone"), "other", roles=["admin"])
    add_user(workspace, as_user(workspace, "someone"), "someone", roles=["admin"])


@pytest.mark.parametrize("name", ["tanaka.t", "hanako@example.jp", "user-1", "山田花子", "x_y"])
def test_a_user_name_is_letters_and_digits_with_a_few_marks(people: Workspace, name: str) -> None:
    add_user(people, as_user(people, ADMIN), name, roles=["analyst"])
    assert clearance_of(people, name).user == name


# Each one would be a user no URL can name (/admin/users/a/b, /admin/users/..) or one who looks like another.
@pytest.mark.parametrize(
    "name", ["a/b", ".", "..", "_x", "a b", "x\x00y", "\u202eadmin1", "admin\u200b1", "a" * 201, " hanako", "hanako\n"]
)
def test_a_user_name_no_url_can_hold_or_that_hides_characters_is_refused(people: Workspace, name: str) -> None:
    with pytest.raises(InputError, match="letters or digits") as refused:
        add_user(people, as_user(people, ADMIN), name, roles=["analyst"])
    assert refused.value.location.field == "name"


def test_only_admins_administer(people: Workspace) -> None:
    with pytest.raises(AccessDenied):
        grant(people, as_user(people, "hanako"), "hanako", "SECRET")
    with pytest.raises(AccessDenied):
        add_user(people, as_user(people, "stranger"), "mallory", roles=["admin"])
    with pytest.raises(InputError, match="unknown level"):
        grant(people, as_user(people, ADMIN), "hanako", "TOP")
    with pytest.raises(NotFound):
        grant(people, as_user(people, ADMIN), "nobody", "INTERNAL")


def test_no_grant_means_public(people: Workspace) -> None:
    clearance = clearance_of(people, "hanako")
    assert (clearance.level, clearance.compartments, clearance.organisation) == ("PUBLIC", frozenset(), "JST")


def test_training_lifts_a_grant_to_its_level(people: Workspace) -> None:
    grant(people, as_user(people, ADMIN), "hanako", "CONFIDENTIAL", compartments=["k-program"])
    assert clearance_of(people, "hanako").level == "INTERNAL"
    record_training(people, as_user(people, ADMIN), "hanako", "security-basics", PAST)
    clearance = clearance_of(people, "hanako")
    assert (clearance.level, clearance.compartments) == ("CONFIDENTIAL", frozenset({"k-program"}))


def test_expired_training_and_expired_grants_drop_the_level(people: Workspace) -> None:
    now = datetime.now(UTC)
    record_training(
        people, as_user(people, ADMIN), "hanako", "security-basics", PAST, expires_at=now - timedelta(days=1)
    )
    grant(people, as_user(people, ADMIN), "hanako", "CONFIDENTIAL")
    with people.session() as session:
        held = standing(session, "hanako")
    assert held.clearance.level == "INTERNAL"
    assert any("missing security-basics" in note for note in held.notes)
    grant(
        people,
        as_user(people, ADMIN),
        "hanako",
        "INTERNAL",
        compartments=["ministry"],
        expires_at=now - timedelta(hours=1),
    )
    with people.session() as session:
        held = standing(session, "hanako")
    assert "ministry" not in held.clearance.compartments
    assert any("expired" in note for note in held.notes)


def test_everyone_s_standing_at_once_is_each_one_s_standing(people: Workspace) -> None:
    """The page that lists every reader computes standings in two queries; it must agree with one at a time."""
    from sqlalchemy import select

    from kizashi.model import User

    now = datetime.now(UTC)
    for name, level in (("taro", "SECRET"), ("jiro", "CONFIDENTIAL"), ("saburo", "INTERNAL")):
        add_user(people, as_user(people, ADMIN), name, roles=["analyst"])
        grant(people, as_user(people, ADMIN), name, level, compartments=[name])
    record_training(people, as_user(people, ADMIN), "taro", "security-basics", PAST)
    record_training(people, as_user(people, ADMIN), "jiro", "security-basics", PAST, expires_at=now - timedelta(days=1))
    grant(people, as_user(people, ADMIN), "saburo", "CONFIDENTIAL", expires_at=now - timedelta(hours=1))
    with people.session() as session:
        users = list(session.scalars(select(User).order_by(User.name)))
        together = standings(session, users, now)
        assert together == {user.name: standing(session, user.name, now) for user in users}
    assert together["taro"].clearance.level == "CONFIDENTIAL" and together["jiro"].clearance.level == "INTERNAL"
    assert any("expired" in note for note in together["saburo"].notes)


def test_secret_needs_both_courses_and_revocation_takes_it_away(people: Workspace) -> None:
    granted = grant(people, as_user(people, ADMIN), "hanako", "SECRET", compartments=["a"])
    assert granted.done  # the only admin acts alone
    grant_id = granted.detail["grant"]
    record_training(people, as_user(people, ADMIN), "hanako", "security-basics", PAST)
    assert clearance_of(people, "hanako").level == "CONFIDENTIAL"
    record_training(people, as_user(people, ADMIN), "hanako", "secret-handling", PAST)
    assert clearance_of(people, "hanako").level == "SECRET"
    grant(people, as_user(people, ADMIN), "hanako", "INTERNAL", compartments=["b"])
    assert clearance_of(people, "hanako").compartments == {"a", "b"}
    assert revoke(people, as_user(people, ADMIN), "hanako", grant_id, reason="moved") == [grant_id]
    clearance = clearance_of(people, "hanako")
    assert (clearance.level, clearance.compartments) == ("INTERNAL", frozenset({"b"}))
    revoke(people, as_user(people, ADMIN), "hanako")
    assert clearance_of(people, "hanako").level == "PUBLIC"
    with pytest.raises(NotFound):
        revoke(people, as_user(people, ADMIN), "hanako")


def test_every_change_is_audited(people: Workspace) -> None:
    grant(people, as_user(people, ADMIN), "hanako", "CONFIDENTIAL", reason="programme work")
    record_training(people, as_user(people, ADMIN), "hanako", "security-basics", PAST)
    revoke(people, as_user(people, ADMIN), "hanako", reason="left")
    events = list(audit.iter_events(people))
    assert [e["action"] for e in events] == ["user_add", "user_add", "grant", "training", "revoke"]
    assert all(e["actor"] == ADMIN for e in events)
    assert events[2]["detail"]["reason"] == "programme work" and events[2]["records"] == ["user:hanako"]
    assert audit.verify(people).ok


def test_the_cli_administers_and_shows(people: Workspace, cli, login_as) -> None:
    login_as(ADMIN)
    assert cli("user", "grant", "hanako", "--level", "CONFIDENTIAL", "-c", "k-program").code == 0
    shown = cli("user", "show", "hanako")
    assert shown.code == 0 and "INTERNAL" in shown.out and "missing security-basics" in shown.out
    assert cli("user", "training", "hanako", "security-basics", "--completed", "2026-01-10").code == 0
    assert "CONFIDENTIAL" in cli("user", "show", "hanako").out
    assert cli("user", "grant", "hanako", "--level", "CONFIDENTIAL", "--expires", "someday").code == 2
    login_as("hanako")
    denied = cli("user", "grant", "hanako", "--level", "SECRET")
    assert denied.code == 2 and "may not administer users" in denied.err


def test_renewal_replaces_an_expiring_grant(people: Workspace, cli, login_as) -> None:
    now = datetime.now(UTC)
    first = grant(
        people,
        as_user(people, ADMIN),
        "hanako",
        "INTERNAL",
        compartments=["k-program"],
        expires_at=now + timedelta(days=1),
    ).detail["grant"]
    with pytest.raises(InputError, match="past"):
        renew(people, as_user(people, ADMIN), "hanako", first, now - timedelta(days=1))
    with pytest.raises(AccessDenied):
        renew(people, as_user(people, "hanako"), "hanako", first, now + timedelta(days=400))
    renewed = renew(people, as_user(people, ADMIN), "hanako", first, now + timedelta(days=365))
    assert renewed.done
    second = renewed.detail["grant"]
    with people.session() as session:
        held = standing(session, "hanako", now + timedelta(days=30))
    assert held.grants == [second]
    assert (held.clearance.level, held.clearance.compartments) == ("INTERNAL", frozenset({"k-program"}))
    with pytest.raises(NotFound):
        renew(people, as_user(people, ADMIN), "hanako", first, now + timedelta(days=365))  # closed by the renewal
    event = next(e for e in audit.iter_events(people) if e["action"] == "renew")
    assert event["detail"]["replaces"] == first and event["detail"]["grant"] == second
    login_as(ADMIN)
    result = cli("user", "renew", "hanako", "--grant", str(second), "--expires", "2099-12-31")
    assert result.code == 0 and f"grant {second} of hanako renewed" in result.out
    assert cli("user", "renew", "hanako", "--grant", "999").code == 2


COURSES = sorted({course for courses in PREREQUISITES.values() for course in courses} | {"unrelated"})


@given(
    granted=st.sampled_from(LEVELS), courses=st.sets(st.sampled_from(COURSES)), more=st.sets(st.sampled_from(COURSES))
)
def test_a_grant_never_counts_above_itself_and_training_never_lowers_it(
    granted: str, courses: set[str], more: set[str]
) -> None:
    level = supported_level(granted, courses)
    assert LEVELS.index(level) <= LEVELS.index(granted)
    assert LEVELS.index(supported_level(granted, courses | more)) >= LEVELS.index(level)
    needed = {c for lv in LEVELS[: LEVELS.index(level) + 1] for c in PREREQUISITES[lv]}
    assert needed <= courses


def test_passwords_are_argon2_hashes_checked_in_constant_shape(people: Workspace) -> None:
    from kizashi.protect.people import check_password, set_password

    with pytest.raises(InputError, match="too weak"):
        set_password(people, as_user(people, ADMIN), "hanako", "short")
    with pytest.raises(InputError, match="too weak"):
        set_password(people, as_user(people, ADMIN), "hanako", "a" * 20)
    set_password(people, as_user(people, "hanako"), "hanako", "津波に備える-correct-horse")  # a user may set their own
    with pytest.raises(AccessDenied):
        set_password(people, as_user(people, "hanako"), ADMIN, "someone-else's-password")
    with people.session() as session:
        from kizashi.model import User

        stored = session.get(User, "hanako").password_hash  # type: ignore[union-attr]
    assert stored.startswith("$argon2id$") and "correct-horse" not in stored
    assert check_password(people, "hanako", "津波に備える-correct-horse")
    assert not check_password(people, "hanako", "津波に備える-correct-horsE")
    assert not check_password(people, "nobody", "津波に備える-correct-horse")
    assert not check_password(people, ADMIN, "")  # no password set: no web login
    # Hanako's own password set, then her attempt on the admin's refused: both in the trail, the hash in neither.
    events = list(audit.iter_events(people))[-2:]
    assert [(e["actor"], e["action"], e["records"]) for e in events] == [
        ("hanako", "password_set", ["user:hanako"]),
        ("hanako", "denied", []),
    ]
    assert (events[1]["detail"]["service"], events[1]["detail"]["code"]) == ("users.password", "access_denied")
    assert all("argon2" not in str(e) for e in events)


def test_the_cli_takes_a_password_from_stdin(people: Workspace, cli, login_as, monkeypatch: pytest.MonkeyPatch) -> None:
    import io

    from kizashi.protect.people import check_password

    login_as(ADMIN)
    monkeypatch.setattr("sys.stdin", io.StringIO("weak\n"))
    refused = cli("user", "add", "taro", "--password-stdin")
    assert refused.code == 2 and "too weak" in refused.err
    monkeypatch.setattr("sys.stdin", io.StringIO("a-long-enough-passphrase\n"))
    assert cli("user", "add", "taro", "--role", "analyst", "--password-stdin").code == 0
    assert check_password(people, "taro", "a-long-enough-passphrase")
