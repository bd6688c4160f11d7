"""Personal tokens: a credential an admin creates for a user (or for themself), to act as that user on the command
line (KIZASHI_TOKEN) or from an API script (Authorization: Bearer). Shown once; only its SHA-256 is kept.

An admin may not create a token for another admin: holding it would be acting as them, which the two-person rule
keeps from any one admin (they create their own).
"""

from __future__ import annotations

import hashlib
import secrets
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import select, update

from kizashi.errors import AccessDenied, InputError, NotFound
from kizashi.messages import Message
from kizashi.model import PersonalToken, User
from kizashi.policy import Actor, allowed, grants, require
from kizashi.protect.people.standing import now, utc
from kizashi.store import audit
from kizashi.store.service import SHOWN, Delivery, delivered, service
from kizashi.store.workspace import Workspace

PREFIX = "kzt_"
MAX_LABEL = 200


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def is_personal_token(token: str) -> bool:
    return token.startswith(PREFIX)


@service("users.token_create")
def create_token(
    workspace: Workspace, actor: Actor, name: str, *, label: str = "", expires_at: datetime | None = None
) -> tuple[int, str]:
    """A new token for `name`: (its id, the token, shown this once)."""
    require(actor, "users.administer")
    label = label.strip()
    if len(label) > MAX_LABEL or "\x00" in label:
        raise InputError(Message("a token's label is at most {most} characters", most=MAX_LABEL), field="label")
    if expires_at is not None and utc(expires_at) <= now():
        raise InputError(Message("the token's expiry is in the past"), field="expires")
    token = PREFIX + secrets.token_urlsafe(32)
    with workspace.session() as session:
        user = session.get(User, name)
        if user is None or not user.active:
            raise NotFound(Message("no active user '{name}'", name=name))
        if name != actor.user and grants(user.roles, "users.administer") and actor.managed:
            raise AccessDenied(
                Message("'{name}' is an admin: an admin creates their own tokens (the two-person rule)", name=name)
            )
        row = PersonalToken(
            user=name,
            token_hash=token_hash(token),
            label=label,
            created_by=actor.user,
            created_at=now(),
            expires_at=expires_at,
        )
        session.add(row)
        session.flush()
        token_id = row.id
    audit.record(
        workspace,
        actor,
        "token_create",
        records=[f"user:{name}"],
        detail={"token": token_id, "label": label, "expires_at": expires_at.isoformat() if expires_at else None},
    )
    return token_id, token


@service("users.token_revoke")
def revoke_token(workspace: Workspace, actor: Actor, token_id: int) -> None:
    """Revoke a token: an admin any, a user their own."""
    with workspace.session() as session:
        row = session.get(PersonalToken, token_id)
        if (
            row is None
            or row.revoked_at is not None
            or (row.user != actor.user and not allowed(actor, "users.administer"))
        ):
            raise NotFound(Message("no active token {token}", token=token_id))
        row.revoked_at, row.revoked_by = now(), actor.user
        owner = row.user
    audit.record(workspace, actor, "token_revoke", records=[f"user:{owner}"], detail={"token": token_id})


@service("users.token_list")
def list_tokens(
    workspace: Workspace, actor: Actor, name: str | None = None, *, delivery: Delivery = SHOWN
) -> list[dict[str, Any]]:
    """The tokens of `name` (admins: anyone's; everyone: their own), never the tokens themselves."""
    name = name or actor.user
    if name != actor.user:
        require(actor, "users.administer")
    with workspace.session() as session:
        rows = session.scalars(select(PersonalToken).where(PersonalToken.user == name).order_by(PersonalToken.id))
        found = [
            {
                "id": row.id,
                "user": row.user,
                "label": row.label,
                "created_by": row.created_by,
                "created_at": utc(row.created_at),
                "expires_at": utc(row.expires_at) if row.expires_at else None,
                "revoked_at": utc(row.revoked_at) if row.revoked_at else None,
                "last_used_at": utc(row.last_used_at) if row.last_used_at else None,
            }
            for row in rows
        ]
    delivered(workspace, actor, delivery, records=[f"user:{name}"], detail={"service": "tokens", "tokens": len(found)})
    return found


def token_user(workspace: Workspace, token: str) -> str | None:
    """The active user a live token belongs to, or None (unknown, revoked, expired, or its user deactivated)."""
    if not is_personal_token(token):
        return None
    moment = now()
    with workspace.session() as session:
        row = session.scalars(select(PersonalToken).where(PersonalToken.token_hash == token_hash(token))).first()
        if row is None or row.revoked_at is not None or (row.expires_at and utc(row.expires_at) <= moment):
            return None
        user = session.get(User, row.user)
        if user is None or not user.active:
            return None
        # Written at most once a minute, like a web session's last use.
        if row.last_used_at is None or moment - utc(row.last_used_at) > timedelta(minutes=1):
            session.execute(update(PersonalToken).where(PersonalToken.id == row.id).values(last_used_at=moment))
        return row.user
