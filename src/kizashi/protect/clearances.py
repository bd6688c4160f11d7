"""Users, clearance grants and training records, and the clearance a user holds today.

A user's effective clearance is computed, never stored: the highest level among their grants that are neither
expired nor revoked, lowered to the highest level whose training prerequisites they hold valid records for, with the
compartments of those grants. Every change is a decision, written to the audit trail after it commits.
"""

from __future__ import annotations

import functools
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerifyMismatchError
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from kizashi.errors import AccessDenied, InputError, NotFound
from kizashi.model import Grant, Training, User
from kizashi.model.base import LEVELS
from kizashi.protect import audit
from kizashi.protect.policy import Clearance
from kizashi.store.workspace import Workspace

ROLES = ("analyst", "principal_investigator", "programme_manager", "security_officer", "admin")
# The courses a level requires, on top of those of the levels below it.
PREREQUISITES: dict[str, tuple[str, ...]] = {
    "PUBLIC": (),
    "INTERNAL": (),
    "CONFIDENTIAL": ("security-basics",),
    "SECRET": ("security-basics", "secret-handling"),
}


@dataclass(frozen=True)
class Standing:
    """A user's effective clearance and why: which grants count and what lowered them."""

    clearance: Clearance
    grants: list[int]
    notes: list[str]


IN_BATCH = 500  # names per IN (...) list: well under every backend's limit on bound parameters


def _now() -> datetime:
    return datetime.now(UTC)


def _utc(moment: datetime) -> datetime:
    # SQLite hands back naive datetimes; everything here is stored in UTC.
    return moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment


def supported_level(granted: str, courses: set[str]) -> str:
    """The highest level up to `granted` whose prerequisites (cumulative) are all in `courses`."""
    supported = LEVELS[0]
    needed: set[str] = set()
    for level in LEVELS[: LEVELS.index(granted) + 1]:
        needed.update(PREREQUISITES[level])
        if not needed <= courses:
            break
        supported = level
    return supported


def standing(session: Session, name: str, now: datetime | None = None) -> Standing:
    user = session.get(User, name)
    if user is None or not user.active:
        raise NotFound(f"no active user '{name}'")
    trainings = list(session.scalars(select(Training).where(Training.user == name)))
    grants = list(session.scalars(select(Grant).where(Grant.user == name).order_by(Grant.id)))
    return _standing(user, trainings, grants, now or _now())


def standings(session: Session, users: Sequence[User], now: datetime | None = None) -> dict[str, Standing]:
    """The standing of each of `users` (active ones), by name, from two queries whatever their number: what a page
    listing every reader needs, where `standing` per user would cost three queries each."""
    names = [user.name for user in users]
    trainings: dict[str, list[Training]] = defaultdict(list)
    grants: dict[str, list[Grant]] = defaultdict(list)
    for at in range(0, len(names), IN_BATCH):
        batch = names[at : at + IN_BATCH]
        for training in session.scalars(select(Training).where(Training.user.in_(batch))):
            trainings[training.user].append(training)
        for grant in session.scalars(select(Grant).where(Grant.user.in_(batch)).order_by(Grant.id)):
            grants[grant.user].append(grant)
    moment = now or _now()
    return {user.name: _standing(user, trainings[user.name], grants[user.name], moment) for user in users}


def _standing(user: User, trainings: Iterable[Training], grants: Iterable[Grant], now: datetime) -> Standing:
    courses = {
        t.course
        for t in trainings
        if _utc(t.completed_at) <= now and (t.expires_at is None or _utc(t.expires_at) > now)
    }
    level, compartments, used, notes = LEVELS[0], set[str](), [], []
    for grant in grants:  # in id order
        if grant.revoked_at is not None:
            continue
        if grant.expires_at is not None and _utc(grant.expires_at) <= now:
            notes.append(f"grant {grant.id} ({grant.level}) expired")
            continue
        supported = supported_level(grant.level, courses)
        if supported != grant.level:
            missing = sorted({c for lv in LEVELS[: LEVELS.index(grant.level) + 1] for c in PREREQUISITES[lv]} - courses)
            notes.append(f"grant {grant.id} ({grant.level}) counts as {supported}: missing {', '.join(missing)}")
        used.append(grant.id)
        level = max(level, supported, key=LEVELS.index)
        compartments.update(grant.compartments)
    clearance = Clearance(user.name, level, frozenset(compartments), user.organisation, frozenset(user.roles))
    return Standing(clearance, used, notes)


def acting_clearance(workspace: Workspace, name: str) -> Clearance:
    """The clearance a command runs with. A workspace without users is unmanaged: its operator, who holds the
    files anyway, reads everything. Once a user exists, only known, active users read, and only what they may."""
    with workspace.session() as session:
        if session.scalar(select(func.count()).select_from(User)) == 0:
            return Clearance.everything(name)
        if session.get(User, name) is None:
            raise AccessDenied(f"'{name}' is not a user of this workspace; ask an admin (kizashi user add)")
        return standing(session, name).clearance


def clearance_of(workspace: Workspace, name: str) -> Clearance:
    return standing_of(workspace, name).clearance


def standing_of(workspace: Workspace, name: str) -> Standing:
    with workspace.session() as session:
        return standing(session, name)


def _require_admin(session: Session, actor: str) -> str:
    """Only an admin administers users, except on a workspace with no users yet (its first admin is bootstrapped)."""
    if session.scalar(select(func.count()).select_from(User)) == 0:
        return "bootstrap"
    admin = session.get(User, actor)
    if admin is None or not admin.active or "admin" not in admin.roles:
        raise AccessDenied(f"'{actor}' is not an admin of this workspace")
    return "admin"


def _not_for_yourself(session: Session, actor: str, name: str) -> None:
    """Nobody raises their own clearance while another admin could do it: the two-person rule. The only admin of a
    workspace (its bootstrap) may, and the audit trail shows it."""
    if actor != name:
        return
    others = [
        user.name
        for user in session.scalars(select(User).where(User.active.is_(True), User.name != actor))
        if "admin" in user.roles
    ]
    if others:
        raise AccessDenied("another admin must change your own clearance or training records")


# Who decides on screening alerts and control-list classifications, and loads screening lists.
OFFICERS = frozenset({"admin", "security_officer"})


def require_role(workspace: Workspace, actor: str, roles: set[str]) -> None:
    """In a managed workspace, `actor` must be an active user holding one of `roles` (an unmanaged one has no roles)."""
    with workspace.session() as session:
        if session.scalar(select(func.count()).select_from(User)) == 0:
            return
        user = session.get(User, actor)
        if user is None or not user.active or not roles & set(user.roles):
            raise AccessDenied(f"'{actor}' needs one of the roles {', '.join(sorted(roles))}")


def _check_level(level: str) -> str:
    upper = level.upper()
    if upper not in LEVELS:
        raise InputError(f"unknown level '{level}'; use one of {', '.join(LEVELS)}", field="level")
    return upper


def add_user(
    workspace: Workspace,
    actor: str,
    name: str,
    *,
    roles: Iterable[str] = ("analyst",),
    organisation: str | None = None,
    display_name: str | None = None,
) -> None:
    roles = sorted(set(roles))
    unknown = [r for r in roles if r not in ROLES]
    if unknown:
        raise InputError(f"unknown role(s) {', '.join(unknown)}; use {', '.join(ROLES)}", field="role")
    with workspace.session() as session:
        mode = _require_admin(session, actor)
        if mode == "bootstrap" and ("admin" not in roles or name != actor):
            raise InputError(
                f"the first user of a workspace must be yourself ('{actor}', or set KIZASHI_USER) as an admin "
                "(--role admin)",
                field="role",
            )
        if session.get(User, name) is not None:
            raise InputError(f"user '{name}' exists already", field="name")
        session.add(User(name=name, roles=roles, organisation=organisation, display_name=display_name, active=True))
    audit.record(workspace, actor, "user_add", records=[f"user:{name}"], detail={"roles": roles, "mode": mode})


def grant(
    workspace: Workspace,
    actor: str,
    name: str,
    level: str,
    *,
    compartments: Iterable[str] = (),
    expires_at: datetime | None = None,
    reason: str = "",
) -> int:
    level = _check_level(level)
    with workspace.session() as session:
        _require_admin(session, actor)
        _not_for_yourself(session, actor, name)
        if session.get(User, name) is None:
            raise NotFound(f"no user '{name}'")
        row = Grant(
            user=name,
            level=level,
            compartments=sorted(set(compartments)),
            granted_at=_now(),
            expires_at=expires_at,
            granted_by=actor,
            reason=reason,
        )
        session.add(row)
        session.flush()
        grant_id = row.id
    audit.record(
        workspace,
        actor,
        "grant",
        records=[f"user:{name}"],
        detail={
            "grant": grant_id,
            "level": level,
            "compartments": sorted(set(compartments)),
            "expires_at": expires_at.isoformat() if expires_at else None,
            "reason": reason,
        },
    )
    return grant_id


def revoke(workspace: Workspace, actor: str, name: str, grant_id: int | None = None, *, reason: str = "") -> list[int]:
    """Revoke one grant, or every grant of the user when none is named."""
    with workspace.session() as session:
        _require_admin(session, actor)
        statement = select(Grant).where(Grant.user == name, Grant.revoked_at.is_(None))
        if grant_id is not None:
            statement = statement.where(Grant.id == grant_id)
        grants = list(session.scalars(statement))
        if not grants:
            raise NotFound(f"no active grant to revoke for '{name}'")
        for row in grants:
            row.revoked_at, row.revoked_by = _now(), actor
        revoked = [row.id for row in grants]
    audit.record(workspace, actor, "revoke", records=[f"user:{name}"], detail={"grants": revoked, "reason": reason})
    return revoked


def renew(
    workspace: Workspace, actor: str, name: str, grant_id: int, expires_at: datetime | None, *, reason: str = ""
) -> int:
    """Renew a grant: a new grant with the same level and compartments and a new expiry, and the old one revoked.
    Grants are never edited, so the record shows what was held when."""
    with workspace.session() as session:
        _require_admin(session, actor)
        _not_for_yourself(session, actor, name)
        old = session.get(Grant, grant_id)
        if old is None or old.user != name or old.revoked_at is not None:
            raise NotFound(f"no active grant {grant_id} of '{name}' to renew")
        if expires_at is not None and _utc(expires_at) <= _now():
            raise InputError("the new expiry is in the past", field="expires")
        now = _now()
        new = Grant(
            user=name,
            level=old.level,
            compartments=list(old.compartments),
            granted_at=now,
            expires_at=expires_at,
            granted_by=actor,
            reason=reason or f"renewal of grant {grant_id}",
        )
        old.revoked_at, old.revoked_by = now, actor
        session.add(new)
        session.flush()
        new_id, level, compartments = new.id, new.level, list(new.compartments)
    audit.record(
        workspace,
        actor,
        "renew",
        records=[f"user:{name}"],
        detail={
            "grant": new_id,
            "replaces": grant_id,
            "level": level,
            "compartments": compartments,
            "expires_at": expires_at.isoformat() if expires_at else None,
            "reason": reason,
        },
    )
    return new_id


def record_training(
    workspace: Workspace, actor: str, name: str, course: str, completed_at: datetime, expires_at: datetime | None = None
) -> None:
    with workspace.session() as session:
        _require_admin(session, actor)
        _not_for_yourself(session, actor, name)
        if session.get(User, name) is None:
            raise NotFound(f"no user '{name}'")
        session.add(
            Training(user=name, course=course, completed_at=completed_at, expires_at=expires_at, recorded_by=actor)
        )
    audit.record(
        workspace,
        actor,
        "training",
        records=[f"user:{name}"],
        detail={
            "course": course,
            "completed_at": completed_at.isoformat(),
            "expires_at": expires_at.isoformat() if expires_at else None,
        },
    )


MIN_PASSWORD = 12
_hasher = PasswordHasher()  # argon2id with the library's current parameters


def require_strong(password: str) -> None:
    if len(password) < MIN_PASSWORD or password.strip() != password or len(set(password)) < 4:
        raise InputError(
            f"password too weak: at least {MIN_PASSWORD} characters, no surrounding spaces, not one repeated character",
            field="password",
        )


def set_password(workspace: Workspace, actor: str, name: str, password: str) -> None:
    """Set a user's web password (admins for anyone, a user for themself); only an argon2id hash is kept."""
    require_strong(password)
    with workspace.session() as session:
        if actor != name:
            _require_admin(session, actor)
        user = session.get(User, name)
        if user is None:
            raise NotFound(f"no user '{name}'")
        user.password_hash = _hasher.hash(password)
    audit.record(workspace, actor, "password_set", records=[f"user:{name}"])


def check_password(workspace: Workspace, name: str, password: str) -> bool:
    """Whether `password` is the active user's; unknown users cost a hash too, so timing does not tell them apart."""
    with workspace.session() as session:
        user = session.get(User, name)
        stored = user.password_hash if user is not None and user.active else None
    try:
        return _hasher.verify(stored or _dummy_hash(), password) and stored is not None
    except (VerifyMismatchError, InvalidHashError):
        return False


@functools.cache
def _dummy_hash() -> str:
    # Made on first use, not at import: every command imports this module, few check passwords.
    return _hasher.hash("kizashi: no such user")
