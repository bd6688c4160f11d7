"""The two-person rule: changes to users that one admin may propose and only a second admin may carry out.

Held, when another active admin exists: creating an admin; setting another admin's password; a grant, renewal or
training record for oneself; a grant or renewal of what the granting admin does not hold themself (a level above
theirs, or a compartment they lack: otherwise an admin could grant it to a puppet account and log in as that).
The only admin of a workspace acts alone, and the audit trail says so.

A held change is a row (`pending_changes`) with what it will do; another admin approves it (it is then carried out,
by the same effect that a direct change runs) or either of them rejects it. Both steps are audited:
`change_proposed`, then `change_approved` or `change_rejected`.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from kizashi.errors import AccessDenied, InputError, NotFound
from kizashi.messages import Message
from kizashi.model import Grant, PendingChange, Training, User, WebSession
from kizashi.policy import RANK, Actor, grants, require
from kizashi.protect.people.standing import now, utc
from kizashi.store import audit
from kizashi.store.service import SHOWN, Delivery, delivered, service
from kizashi.store.workspace import Workspace

MAX_REASON = 10_000


@dataclass(frozen=True)
class Outcome:
    """What a change to users came to: done now (`detail` says what), or held for a second admin (`change`)."""

    done: bool
    detail: dict[str, Any] = field(default_factory=dict)
    change: int | None = None


def _iso(value: Any) -> str | None:
    return value.isoformat() if isinstance(value, datetime) else value


def _moment(value: str | None) -> datetime | None:
    return datetime.fromisoformat(value) if value else None


# ── the effects, each run by a direct change or by the approval of a held one ──────────────────────────────────


def _user_add(session: Session, by: str, target: str, payload: dict[str, Any]) -> dict[str, Any]:
    if session.get(User, target) is not None:
        raise InputError(Message("user '{name}' exists already", name=target), field="name")
    session.add(
        User(
            name=target,
            roles=list(payload["roles"]),
            organisation=payload.get("organisation"),
            display_name=payload.get("display_name"),
            password_hash=payload.get("password_hash"),
            active=True,
        )
    )
    return {"roles": payload["roles"], "password": payload.get("password_hash") is not None}


def _password(session: Session, by: str, target: str, payload: dict[str, Any]) -> dict[str, Any]:
    user = session.get(User, target)
    if user is None:
        raise NotFound(Message("no user '{name}'", name=target))
    user.password_hash = payload["password_hash"]
    # Whoever held the old password is logged out; changing your own keeps the session you did it from.
    ended = session.execute(
        delete(WebSession).where(WebSession.user == target, WebSession.token_hash != (payload.get("keep") or ""))
    )
    return {"sessions_ended": ended.rowcount}  # type: ignore[attr-defined]


def _grant(session: Session, by: str, target: str, payload: dict[str, Any]) -> dict[str, Any]:
    if session.get(User, target) is None:
        raise NotFound(Message("no user '{name}'", name=target))
    row = Grant(
        user=target,
        level=payload["level"],
        compartments=list(payload["compartments"]),
        granted_at=now(),
        expires_at=_moment(payload.get("expires_at")),
        granted_by=by,
        reason=payload.get("reason", ""),
    )
    session.add(row)
    session.flush()
    return {"grant": row.id, **{key: payload.get(key) for key in ("level", "compartments", "expires_at", "reason")}}


def _renew(session: Session, by: str, target: str, payload: dict[str, Any]) -> dict[str, Any]:
    old = session.get(Grant, payload["replaces"])
    if old is None or old.user != target or old.revoked_at is not None:
        raise NotFound(Message("no active grant {grant} of '{name}' to renew", grant=payload["replaces"], name=target))
    moment = now()
    new = Grant(
        user=target,
        level=old.level,
        compartments=list(old.compartments),
        granted_at=moment,
        expires_at=_moment(payload.get("expires_at")),
        granted_by=by,
        reason=payload.get("reason") or f"renewal of grant {old.id}",
    )
    old.revoked_at, old.revoked_by = moment, by
    session.add(new)
    session.flush()
    return {
        "grant": new.id,
        "replaces": old.id,
        "level": new.level,
        "compartments": list(new.compartments),
        "expires_at": payload.get("expires_at"),
        "reason": payload.get("reason", ""),
    }


def _training(session: Session, by: str, target: str, payload: dict[str, Any]) -> dict[str, Any]:
    if session.get(User, target) is None:
        raise NotFound(Message("no user '{name}'", name=target))
    completed = _moment(payload["completed_at"])
    assert completed is not None
    session.add(
        Training(
            user=target,
            course=payload["course"],
            completed_at=completed,
            expires_at=_moment(payload.get("expires_at")),
            recorded_by=by,
        )
    )
    return {key: payload.get(key) for key in ("course", "completed_at", "expires_at")}


Effect = Callable[[Session, str, str, dict[str, Any]], dict[str, Any]]
# kind → (its effect, the audit action of the change once carried out)
EFFECTS: dict[str, tuple[Effect, str]] = {
    "user_add": (_user_add, "user_add"),
    "password": (_password, "password_set"),
    "grant": (_grant, "grant"),
    "renew": (_renew, "renew"),
    "training": (_training, "training"),
}
SECRET_FIELDS = ("password_hash", "keep")  # never in an event or a listing


def shown(payload: dict[str, Any]) -> dict[str, Any]:
    return {key: value for key, value in payload.items() if key not in SECRET_FIELDS}


# ── deciding whether a change is held ──────────────────────────────────────────────────────────────────────────


def other_admins(session: Session, actor: Actor) -> list[str]:
    """The active users other than the actor who may approve a change: a second admin."""
    users = session.scalars(select(User).where(User.active.is_(True), User.name != actor.user))
    return sorted(user.name for user in users if grants(user.roles, "users.approve"))


def holds(actor: Actor, level: str, compartments: list[str]) -> bool:
    """Whether the actor holds what they would grant: the level and every compartment."""
    clearance = actor.clearance
    if clearance.every_compartment:
        return True
    return RANK[clearance.level] >= RANK[level] and set(compartments) <= clearance.compartments


def change(
    workspace: Workspace,
    actor: Actor,
    kind: str,
    target: str,
    payload: dict[str, Any],
    *,
    held: Callable[[Session], bool],
) -> Outcome:
    """Carry out a change to users now, or hold it for a second admin when `held` (given the open transaction) says
    so and another admin exists; audited either way."""
    effect, action = EFFECTS[kind]
    with workspace.session() as session:
        if held(session) and other_admins(session, actor):
            row = PendingChange(
                kind=kind,
                target=target,
                payload={k: _iso(v) for k, v in payload.items()},
                proposed_by=actor.user,
                proposed_at=now(),
                state="pending",
                reason=str(payload.get("reason", ""))[:MAX_REASON],
            )
            session.add(row)
            session.flush()
            number = row.id
        else:
            number = None
            detail = effect(session, actor.user, target, {k: _iso(v) for k, v in payload.items()})
            mode = "admin" if other_admins(session, actor) else "sole admin" if actor.managed else "bootstrap"
    if number is not None:
        audit.record(
            workspace,
            actor,
            "change_proposed",
            records=[f"user:{target}"],
            detail={"change": number, "kind": kind, **shown({k: _iso(v) for k, v in payload.items()})},
        )
        return Outcome(False, change=number)
    audit.record(workspace, actor, action, records=[f"user:{target}"], detail={**detail, "mode": mode})
    return Outcome(True, detail)


# ── the second admin ───────────────────────────────────────────────────────────────────────────────────────────


def _as_dict(row: PendingChange) -> dict[str, Any]:
    return {
        "id": row.id,
        "kind": row.kind,
        "target": row.target,
        "payload": shown(dict(row.payload)),
        "proposed_by": row.proposed_by,
        "proposed_at": utc(row.proposed_at),
        "state": row.state,
        "decided_by": row.decided_by,
        "decided_at": utc(row.decided_at) if row.decided_at else None,
        "reason": row.reason,
    }


@service("users.changes")
def pending_changes(
    workspace: Workspace, actor: Actor, *, state: str | None = "pending", delivery: Delivery = SHOWN
) -> list[dict[str, Any]]:
    """The changes held for a second admin (or all, `state` None), oldest first."""
    require(actor, "users.approve")
    statement = select(PendingChange).order_by(PendingChange.id)
    if state is not None:
        statement = statement.where(PendingChange.state == state)
    with workspace.session() as session:
        rows = [_as_dict(row) for row in session.scalars(statement)]
    delivered(workspace, actor, delivery, detail={"service": "changes", "changes": [row["id"] for row in rows]})
    return rows


def _pending(session: Session, number: int) -> PendingChange:
    # A number no key can hold (from a typed URL or a script) is simply no change, not an overflow in the driver.
    row = session.get(PendingChange, number) if 0 < number < 2**31 else None
    if row is None or row.state != "pending":
        raise NotFound(Message("no pending change {number}", number=number))
    return row


@service("users.approve")
def approve(workspace: Workspace, actor: Actor, number: int) -> dict[str, Any]:
    """Carry out a held change as its second admin; what it did."""
    require(actor, "users.approve")
    with workspace.session() as session:
        row = _pending(session, number)
        if row.proposed_by == actor.user:
            raise AccessDenied(Message("a change you proposed needs another admin's approval, not yours"))
        effect, action = EFFECTS[row.kind]
        detail = effect(session, row.proposed_by, row.target, dict(row.payload))
        row.state, row.decided_by, row.decided_at = "approved", actor.user, now()
        kind, target, proposer = row.kind, row.target, row.proposed_by
    audit.record(
        workspace,
        actor,
        "change_approved",
        records=[f"user:{target}"],
        detail={"change": number, "kind": kind, "action": action, "proposed_by": proposer, **detail},
    )
    return detail


@service("users.reject")
def reject(workspace: Workspace, actor: Actor, number: int, *, reason: str = "") -> None:
    """Reject a held change: another admin, or its proposer withdrawing it."""
    if len(reason) > MAX_REASON or "\x00" in reason:
        raise InputError(Message("a reason is at most {most:,} characters of text", most=MAX_REASON), field="reason")
    with workspace.session() as session:
        row = _pending(session, number)
        if row.proposed_by != actor.user:
            require(actor, "users.approve")
        row.state, row.decided_by, row.decided_at = "rejected", actor.user, now()
        target, kind = row.target, row.kind
    audit.record(
        workspace,
        actor,
        "change_rejected",
        records=[f"user:{target}"],
        detail={"change": number, "kind": kind, "reason": reason.strip()},
    )
