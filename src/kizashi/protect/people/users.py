"""Users, their clearance grants and training records, and web passwords: each change a decision, audited after it
commits, and held for a second admin where the two-person rule asks (kizashi.protect.people.changes)."""

from __future__ import annotations

import re
from collections.abc import Iterable
from datetime import datetime
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from kizashi.errors import InputError, NotFound
from kizashi.messages import Message
from kizashi.model import Grant, Training, User
from kizashi.policy import LEVELS, ROLES, Actor, grants, require
from kizashi.protect.people.changes import Outcome, change, holds
from kizashi.protect.people.passwords import hash_password
from kizashi.protect.people.standing import Standing, now, standing, standings, utc
from kizashi.store import audit
from kizashi.store.service import service
from kizashi.store.workspace import Workspace

MAX_NAME = 200


def _administer(session: Session, actor: Actor) -> bool:
    """Only an admin administers users, except on a workspace with no users yet, whose first admin is its
    operator; True in that bootstrap."""
    if not session.scalar(select(func.count()).select_from(User)):
        return True
    require(actor, "users.administer")
    return False


def _level(level: str) -> str:
    upper = level.upper()
    if upper not in LEVELS:
        raise InputError(
            Message("unknown level '{level}'; use one of {levels}", level=level, levels=", ".join(LEVELS)),
            field="level",
        )
    return upper


# Letters and digits of any script, then also . _ @ - (tanaka.t, hanako@example.jp): a name is part of URLs
# (/admin/users/NAME), so no "/", no "." or ".." alone, and no invisible or bidirectional controls to spoof another.
USER_NAME = re.compile(rf"[^\W_][\w.@-]{{0,{MAX_NAME - 1}}}")


def _user_name(name: str) -> str:
    # Not stripped: a name is made exactly as it is given, so that the name a caller sent is the name it can address.
    if USER_NAME.fullmatch(name) is None:
        raise InputError(
            Message("a user name is 1 to {most} letters or digits, with . _ @ - after the first", most=MAX_NAME),
            field="name",
        )
    return name


@service("users.add")
def add_user(
    workspace: Workspace,
    actor: Actor,
    name: str,
    *,
    roles: Iterable[str] = ("analyst",),
    organisation: str | None = None,
    display_name: str | None = None,
    password: str | None = None,
) -> Outcome:
    """Add a user (with a web password, when given). The first user of a workspace is its operator, as an admin; a
    new admin is held for a second admin's approval."""
    roles = sorted(set(roles))
    unknown = [r for r in roles if r not in ROLES]
    if unknown:
        raise InputError(
            Message("unknown role(s) {unknown}; use {roles}", unknown=", ".join(unknown), roles=", ".join(ROLES)),
            field="role",
        )
    name = _user_name(name)
    password_hash = hash_password(password) if password is not None else None  # before anything is written
    with workspace.session() as session:
        bootstrap = _administer(session, actor)
        if bootstrap and (not grants(roles, "users.administer") or name != actor.user):
            raise InputError(
                Message(
                    "the first user of a workspace is its operator ('{operator}') as an admin: "
                    "kizashi user add {operator} --role admin",
                    operator=actor.user,
                ),
                field="role",
            )
        if session.get(User, name) is not None:
            raise InputError(Message("user '{name}' exists already", name=name), field="name")
    payload = {"roles": roles, "organisation": organisation, "display_name": display_name}
    if password_hash is not None:
        payload["password_hash"] = password_hash
    # A new user who may administer users is a new admin: the two-person rule's first case.
    return change(workspace, actor, "user_add", name, payload, held=lambda _session: grants(roles, "users.administer"))


@service("users.password")
def set_password(
    workspace: Workspace, actor: Actor, name: str, password: str, *, keep_session: str | None = None
) -> Outcome:
    """Set a web password: anyone their own (keeping the session `keep_session`, by its token hash), an admin a
    user's, and another admin's only with a second admin's approval. Every other session of the user ends."""
    password_hash = hash_password(password)
    with workspace.session() as session:
        if actor.user != name:
            _administer(session, actor)
        user = session.get(User, name)
        if user is None:
            raise NotFound(Message("no user '{name}'", name=name))
        target_is_admin = grants(user.roles, "users.administer")
    payload = {"password_hash": password_hash, "keep": keep_session if actor.user == name else None}
    return change(
        workspace, actor, "password", name, payload, held=lambda _session: target_is_admin and actor.user != name
    )


@service("users.grant")
def grant(
    workspace: Workspace,
    actor: Actor,
    name: str,
    level: str,
    *,
    compartments: Iterable[str] = (),
    expires_at: datetime | None = None,
    reason: str = "",
) -> Outcome:
    """Grant a clearance (a level and compartments); `detail["grant"]` is its id once done."""
    level = _level(level)
    compartments = sorted({c.strip() for c in compartments if c.strip()})
    with workspace.session() as session:
        _administer(session, actor)
        if session.get(User, name) is None:
            raise NotFound(Message("no user '{name}'", name=name))
    payload = {"level": level, "compartments": compartments, "expires_at": expires_at, "reason": reason}
    return change(
        workspace,
        actor,
        "grant",
        name,
        payload,
        held=lambda _session: name == actor.user or not holds(actor, level, compartments),
    )


@service("users.revoke")
def revoke(
    workspace: Workspace, actor: Actor, name: str, grant_id: int | None = None, *, reason: str = ""
) -> list[int]:
    """Revoke one grant, or every grant of the user when none is named (lowering a clearance needs no second
    admin)."""
    with workspace.session() as session:
        _administer(session, actor)
        statement = select(Grant).where(Grant.user == name, Grant.revoked_at.is_(None))
        if grant_id is not None:
            statement = statement.where(Grant.id == grant_id)
        grants = list(session.scalars(statement))
        if not grants:
            raise NotFound(Message("no active grant to revoke for '{name}'", name=name))
        for row in grants:
            row.revoked_at, row.revoked_by = now(), actor.user
        revoked = [row.id for row in grants]
    audit.record(workspace, actor, "revoke", records=[f"user:{name}"], detail={"grants": revoked, "reason": reason})
    return revoked


@service("users.renew")
def renew(
    workspace: Workspace,
    actor: Actor,
    name: str,
    grant_id: int,
    expires_at: datetime | None,
    *,
    reason: str = "",
) -> Outcome:
    """Renew a grant: a new grant with the same level and compartments and a new expiry, the old one closed. Grants
    are never edited, so the record shows what was held when."""
    if expires_at is not None and utc(expires_at) <= now():
        raise InputError(Message("the new expiry is in the past"), field="expires")
    with workspace.session() as session:
        _administer(session, actor)
        old = session.get(Grant, grant_id)
        if old is None or old.user != name or old.revoked_at is not None:
            raise NotFound(Message("no active grant {grant} of '{name}' to renew", grant=grant_id, name=name))
        level, compartments = old.level, list(old.compartments)
    payload = {"replaces": grant_id, "expires_at": expires_at, "reason": reason}
    return change(
        workspace,
        actor,
        "renew",
        name,
        payload,
        held=lambda _session: name == actor.user or not holds(actor, level, compartments),
    )


@service("users.training")
def record_training(
    workspace: Workspace,
    actor: Actor,
    name: str,
    course: str,
    completed_at: datetime,
    expires_at: datetime | None = None,
) -> Outcome:
    """Record a completed course, a prerequisite of CONFIDENTIAL and SECRET (one's own: held for a second admin)."""
    course = course.strip()
    if not course or len(course) > 100 or "\x00" in course:
        raise InputError(Message("which course? (1 to 100 characters)"), field="course")
    with workspace.session() as session:
        _administer(session, actor)
        if session.get(User, name) is None:
            raise NotFound(Message("no user '{name}'", name=name))
    payload = {"course": course, "completed_at": completed_at, "expires_at": expires_at}
    return change(workspace, actor, "training", name, payload, held=lambda _session: name == actor.user)


# ── reading users ──────────────────────────────────────────────────────────────────────────────────────────────


def _user_dict(user: User) -> dict[str, Any]:
    return {
        "name": user.name,
        "display_name": user.display_name,
        "organisation": user.organisation,
        "roles": list(user.roles),
        "active": user.active,
        "web_login": user.password_hash is not None,
    }


@service("users.show")
def show_user(workspace: Workspace, actor: Actor, name: str) -> dict[str, Any]:
    """A user's details, grants, training records and the clearance they hold today (with why): theirs to anyone,
    anyone's to those who may read users."""
    if name != actor.user:
        require(actor, "users.read")
    with workspace.session() as session:
        user = session.get(User, name)
        if user is None:
            raise NotFound(Message("no user '{name}'", name=name))
        grants = list(session.scalars(select(Grant).where(Grant.user == name).order_by(Grant.id.desc())))
        trainings = list(session.scalars(select(Training).where(Training.user == name).order_by(Training.id.desc())))
        held: Standing | None = standing(session, name) if user.active else None
        found = {
            **_user_dict(user),
            "standing": held,
            "grants": [
                {
                    "id": g.id,
                    "level": g.level,
                    "compartments": list(g.compartments),
                    "granted_at": utc(g.granted_at),
                    "expires_at": utc(g.expires_at) if g.expires_at else None,
                    "granted_by": g.granted_by,
                    "reason": g.reason,
                    "revoked_at": utc(g.revoked_at) if g.revoked_at else None,
                    "revoked_by": g.revoked_by,
                }
                for g in grants
            ],
            "trainings": [
                {
                    "id": t.id,
                    "course": t.course,
                    "completed_at": utc(t.completed_at),
                    "expires_at": utc(t.expires_at) if t.expires_at else None,
                    "recorded_by": t.recorded_by,
                }
                for t in trainings
            ],
        }
    audit.record(workspace, actor, "read", records=[f"user:{name}"], detail={"user": name})
    return found


@service("users.list")
def list_users(workspace: Workspace, actor: Actor) -> list[dict[str, Any]]:
    """Every user with the clearance they hold today (None for inactive ones)."""
    require(actor, "users.read")
    with workspace.session() as session:
        users = list(session.scalars(select(User).order_by(User.name)))
        held = standings(session, [user for user in users if user.active])
        found = [{**_user_dict(user), "standing": held.get(user.name)} for user in users]
    audit.record(workspace, actor, "read", detail={"users": len(found)})
    return found
