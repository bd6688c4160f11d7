"""Logging in: password check with rate limiting, and the server-side sessions that follow.

A session is a random token in an HttpOnly cookie; the database keeps only its SHA-256, the user, a CSRF token and
when it was last used. Each request recomputes the user's clearance, so a revocation takes effect at once.
Failed logins are counted per user name and per client address over a window (settings), and every attempt,
good or bad, goes to the audit trail.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from sqlalchemy import delete, func, select, update

from kizashi.errors import LoginFailed, TooManyAttempts
from kizashi.model import LoginAttempt, User, WebSession
from kizashi.protect import audit
from kizashi.protect.clearances import check_password, standing
from kizashi.protect.policy import Clearance
from kizashi.settings import get_settings
from kizashi.store.workspace import Workspace

ORIGIN_FACTOR = 4  # one address may fail for this many user names' worth before it is slowed down


@dataclass(frozen=True)
class ActiveSession:
    user: str
    csrf_token: str
    clearance: Clearance
    roles: frozenset[str]
    display_name: str | None


def _now() -> datetime:
    return datetime.now(UTC)


def _utc(moment: datetime) -> datetime:
    return moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def _recent_failures(workspace: Workspace, name: str, origin: str | None) -> tuple[int, int]:
    since = _now() - timedelta(minutes=get_settings().login_window_minutes)
    failed = (LoginAttempt.succeeded.is_(False), LoginAttempt.at >= since)
    with workspace.session() as session:
        by_name = session.scalar(
            select(func.count()).select_from(LoginAttempt).where(LoginAttempt.name == name, *failed)
        )
        by_origin = (
            session.scalar(select(func.count()).select_from(LoginAttempt).where(LoginAttempt.origin == origin, *failed))
            if origin
            else 0
        )
    return by_name or 0, by_origin or 0


def log_in(
    workspace: Workspace, name: str, password: str, *, origin: str | None = None, user_agent: str | None = None
) -> tuple[str, str]:
    """Check the password and open a session: (session token for the cookie, CSRF token). Raises LoginFailed or
    TooManyAttempts; both are audited."""
    # A NUL cannot be in a user's name, and PostgreSQL cannot store or compare one: keep it out of the queries.
    name = name.replace("\x00", "\ufffd")
    allowed = get_settings().login_failures
    # The attempt is written as a failure before it is counted and before the (slow) password check: attempts sent
    # in parallel then each see the others, instead of all passing the count at once. Success clears it below.
    with workspace.session() as session:
        attempt = LoginAttempt(name=name, origin=origin, at=_now(), succeeded=False)
        session.add(attempt)
        session.flush()
        attempt_id = attempt.id
    by_name, by_origin = _recent_failures(workspace, name, origin)
    if by_name > allowed or by_origin > allowed * ORIGIN_FACTOR:
        audit.record(workspace, name, "login_refused", records=[f"user:{name}"], origin=origin, detail={"why": "rate"})
        raise TooManyAttempts("too many failed logins; wait a few minutes and try again")
    ok = check_password(workspace, name, password)
    now = _now()
    token, csrf = secrets.token_urlsafe(32), secrets.token_urlsafe(32)
    with workspace.session() as session:
        if ok:
            session.execute(update(LoginAttempt).where(LoginAttempt.id == attempt_id).values(succeeded=True))
            session.add(
                WebSession(
                    token_hash=token_hash(token),
                    user=name,
                    csrf_token=csrf,
                    created_at=now,
                    last_seen_at=now,
                    origin=origin,
                    user_agent=(user_agent or "")[:500] or None,
                )
            )
    audit.record(workspace, name, "login" if ok else "login_failed", records=[f"user:{name}"], origin=origin)
    if not ok:
        raise LoginFailed("wrong user name or password")
    return token, csrf


def resume(workspace: Workspace, token: str | None) -> ActiveSession | None:
    """The session behind a cookie's token, if it is still valid; touching it extends the idle timeout."""
    if not token:
        return None
    settings = get_settings()
    now = _now()
    with workspace.session() as session:
        row = session.get(WebSession, token_hash(token))
        if row is None:
            return None
        idle = now - _utc(row.last_seen_at) > timedelta(minutes=settings.session_idle_minutes)
        old = now - _utc(row.created_at) > timedelta(hours=settings.session_hours)
        user = session.get(User, row.user)
        if idle or old or user is None or not user.active:
            session.delete(row)
            return None
        # Write last_seen at most once a minute: a page with many requests should not queue writes.
        if now - _utc(row.last_seen_at) > timedelta(minutes=1):
            row.last_seen_at = now
        clearance = standing(session, row.user, now).clearance
        return ActiveSession(row.user, row.csrf_token, clearance, frozenset(user.roles), user.display_name)


def log_out(workspace: Workspace, token: str, *, origin: str | None = None) -> None:
    with workspace.session() as session:
        row = session.get(WebSession, token_hash(token))
        user = row.user if row else None
        if row is not None:
            session.delete(row)
    if user is not None:
        audit.record(workspace, user, "logout", records=[f"user:{user}"], origin=origin)


def end_sessions(workspace: Workspace, name: str, *, keep: str | None = None) -> int:
    """End every session of a user (after a password change, say), except the one whose token is `keep`."""
    statement = delete(WebSession).where(WebSession.user == name)
    if keep is not None:
        statement = statement.where(WebSession.token_hash != token_hash(keep))
    with workspace.session() as session:
        return session.execute(statement).rowcount  # type: ignore[attr-defined,no-any-return]


def same_token(given: str | None, expected: str) -> bool:
    return given is not None and hmac.compare_digest(given.encode(), expected.encode())
