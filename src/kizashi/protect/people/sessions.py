"""Logging in: password check with rate limiting, and the server-side sessions that follow.

A session is a random token in an HttpOnly cookie (or a bearer token); the database keeps only its SHA-256, the user,
a CSRF token and when it was last used. Each request builds its `Actor` once, from the user's clearance today, so a
revocation takes effect at once. An API client may instead send a personal token (kizashi.protect.people.tokens).
Failed logins slow further attempts down, per user name and client address (kizashi.protect.people.throttle);
every login and failed login goes to the audit trail, and refused attempts are counted there without flooding it.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
import threading
import time
from dataclasses import dataclass
from datetime import timedelta

from sqlalchemy import update

from kizashi.errors import CsrfFailed, LoginFailed
from kizashi.messages import Message
from kizashi.model import LoginAttempt, User, WebSession
from kizashi.policy import Actor
from kizashi.protect.people import throttle
from kizashi.protect.people.passwords import check_password
from kizashi.protect.people.standing import now, standing, utc
from kizashi.protect.people.tokens import is_personal_token, token_user
from kizashi.settings import get_settings
from kizashi.store import audit
from kizashi.store.workspace import Workspace


@dataclass(frozen=True)
class ActiveSession:
    """A request's login: its actor, and the CSRF token its forms carry ("" for a personal token, which is sent as
    a bearer header and so needs none)."""

    actor: Actor
    csrf_token: str

    @property
    def user(self) -> str:
        return self.actor.user


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def log_in(
    workspace: Workspace, name: str, password: str, *, origin: str | None = None, user_agent: str | None = None
) -> tuple[str, str]:
    """Check the password and open a session: (session token for the cookie, CSRF token). Raises LoginFailed, or
    TooManyAttempts (with the seconds to wait) while failures slow this name or address down; both are audited."""
    # A NUL cannot be in a user's name, and PostgreSQL cannot store or compare one: keep it out of the queries.
    name = name.replace("\x00", "\ufffd")
    # Written as a failure before the (slow) password check; success marks it below.
    attempt_id = throttle.admit(workspace, name, origin)
    ok = check_password(workspace, name, password)
    moment = now()
    token, csrf = secrets.token_urlsafe(32), secrets.token_urlsafe(32)
    with workspace.session() as session:
        if ok:
            session.execute(update(LoginAttempt).where(LoginAttempt.id == attempt_id).values(succeeded=True))
            session.add(
                WebSession(
                    token_hash=token_hash(token),
                    user=name,
                    csrf_token=csrf,
                    created_at=moment,
                    last_seen_at=moment,
                    origin=origin,
                    user_agent=(user_agent or "")[:500] or None,
                )
            )
    refused = throttle.take_unreported(workspace, name, origin)  # refusals since the last event, if any
    action = "login" if ok else "login_failed"
    audit.record(workspace, name, action, records=[f"user:{name}"], origin=origin, detail=refused or None)
    if not ok:
        raise LoginFailed(Message("wrong user name or password"))
    return token, csrf


# HTTP Basic (TAXII): how long a checked name and password is remembered in this process (basic_session).
BASIC_REMEMBER_SECONDS = 300.0
BASIC_REMEMBER_MAX = 10_000
_basic_checked: dict[str, float] = {}  # HMAC of (workspace, name, password, stored hash) → monotonic expiry
_basic_lock = threading.Lock()


def basic_session(
    workspace: Workspace, name: str, password: str, *, secret: str, origin: str | None = None, via: str = ""
) -> ActiveSession:
    """HTTP Basic authentication (the TAXII server): the active user `name` whose password this is, with their
    clearance today (credential "basic"). No CSRF token: a browser may resend Basic credentials on its own, but a
    TAXII write is a DELETE or a POST of `application/taxii+json`, which no cross-site form can send and a cross-site
    script only after a CORS preflight the server never allows. Throttled and audited like log_in; raises LoginFailed
    or TooManyAttempts.

    A client sends the password with every request, and argon2 is slow on purpose: a successful check is remembered
    in this process for BASIC_REMEMBER_SECONDS, keyed by an HMAC under the app `secret` of the workspace, the name,
    the password and the stored hash (so a new password, a deactivation or another workspace never hits it; the
    password itself is never kept). Whether the user is active and their clearance are still read on every request."""
    name = name.replace("\x00", "\ufffd")  # as in log_in: PostgreSQL cannot compare a NUL
    with workspace.session() as session:
        user = session.get(User, name)
        stored = user.password_hash if user is not None and user.active else None
    parts = (workspace.database_url, name, password, stored or "")
    key = hmac.new(secret.encode(), "\x00".join(parts).encode(), hashlib.sha256).hexdigest()
    if stored is None or not _basic_remembered(key):
        attempt_id = throttle.admit(workspace, name, origin)
        ok = check_password(workspace, name, password)
        if ok:
            with workspace.session() as session:
                session.execute(update(LoginAttempt).where(LoginAttempt.id == attempt_id).values(succeeded=True))
        refused = throttle.take_unreported(workspace, name, origin)
        detail = {"how": "basic", **refused}
        action = "login" if ok else "login_failed"
        audit.record(workspace, name, action, records=[f"user:{name}"], origin=origin, detail=detail)
        if not ok:
            raise LoginFailed(Message("wrong user name or password"))
        _basic_remember(key)
    with workspace.session() as session:
        user = session.get(User, name)
        if user is None or not user.active:
            raise LoginFailed(Message("wrong user name or password"))
        clearance = standing(session, name).clearance
        return ActiveSession(Actor(clearance, origin, via, True, "basic", user.display_name), "")


def _basic_remembered(key: str) -> bool:
    with _basic_lock:
        expiry = _basic_checked.get(key)
        return expiry is not None and expiry > time.monotonic()


def _basic_remember(key: str) -> None:
    moment = time.monotonic()
    with _basic_lock:
        if len(_basic_checked) >= BASIC_REMEMBER_MAX:  # bounded: drop the expired, else everything
            for stale in [k for k, expiry in _basic_checked.items() if expiry <= moment] or list(_basic_checked):
                del _basic_checked[stale]
        _basic_checked[key] = moment + BASIC_REMEMBER_SECONDS


def resume(
    workspace: Workspace, token: str | None, *, origin: str | None = None, via: str = ""
) -> ActiveSession | None:
    """The login behind a cookie's or bearer's token, if it is still valid (touching a session extends its idle
    timeout), with the actor of this request."""
    if not token:
        return None
    if is_personal_token(token):
        holder = token_user(workspace, token)
        if holder is None:
            return None
        with workspace.session() as session:
            user = session.get(User, holder)
            assert user is not None
            clearance = standing(session, holder).clearance
            return ActiveSession(Actor(clearance, origin, via, True, "token", user.display_name), "")
    settings = get_settings()
    moment = now()
    with workspace.session() as session:
        row = session.get(WebSession, token_hash(token))
        if row is None:
            return None
        idle = moment - utc(row.last_seen_at) > timedelta(minutes=settings.session_idle_minutes)
        old = moment - utc(row.created_at) > timedelta(hours=settings.session_hours)
        user = session.get(User, row.user)
        if idle or old or user is None or not user.active:
            session.delete(row)
            return None
        # Write last_seen at most once a minute: a page with many requests should not queue writes.
        if moment - utc(row.last_seen_at) > timedelta(minutes=1):
            row.last_seen_at = moment
        clearance = standing(session, row.user, moment).clearance
        return ActiveSession(Actor(clearance, origin, via, True, "session", user.display_name), row.csrf_token)


def check_csrf(workspace: Workspace, active: ActiveSession, given: str | None, *, bearer: bool) -> None:
    """A write carries its session's CSRF token (form field or header); a bearer-token client is exempt, since
    browsers never send that header on their own. A refusal is audited."""
    if bearer or same_token(given, active.csrf_token):
        return
    actor = active.actor
    detail = {"service": "csrf", "code": "csrf_failed", "via": actor.via, "why": "missing or wrong CSRF token"}
    audit.record(workspace, actor, "denied", detail=detail)
    raise CsrfFailed(Message("missing or wrong CSRF token; reload the page"))


def log_out(workspace: Workspace, token: str, *, origin: str | None = None) -> None:
    with workspace.session() as session:
        row = session.get(WebSession, token_hash(token))
        user = row.user if row else None
        if row is not None:
            session.delete(row)
    if user is not None:
        audit.record(workspace, user, "logout", records=[f"user:{user}"], origin=origin)


def same_token(given: str | None, expected: str) -> bool:
    return bool(given) and bool(expected) and hmac.compare_digest(str(given).encode(), expected.encode())
