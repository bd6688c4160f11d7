"""Login throttling: a growing wait instead of a lock-out, and refused attempts counted rather than stored.

A failed login is a row of `login_attempts` (the password was checked and wrong). Over the login window
(KIZASHI_LOGIN_WINDOW_MINUTES) failures are counted three ways, each with its budget; past a budget, the next attempt
waits after the latest failure so counted: 2 seconds, then 4, 8, … (doubling with each further failure), at most the
window (`wait`):

- one name from one address: KIZASHI_LOGIN_FAILURES (N);
- one address across names: 4 N (one address trying many names);
- one name across addresses: 4 N (many addresses trying one name); an address that has not used up its own budget
  on the name waits at most SHORT_WAIT for this one, so that someone else's failures never hold a name's owner,
  logging in from their own address, longer than that.

An attempt that must wait is answered 429 with Retry-After, without its password being checked, and is not stored:
the first refusal of a window for a name and address writes a `login_refused` event, later ones only add to a count
on a `login_refusals` row, which the next audit event for that name and address reports (`refused_before`).
`kizashi user unlock NAME` (`unlock`) clears a name's failures and refusals.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import ColumnElement, delete, func, select, update
from sqlalchemy.dialects.postgresql import insert as postgresql_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.orm import Session

from kizashi.errors import TooManyAttempts
from kizashi.messages import Message
from kizashi.model import LoginAttempt, LoginRefusal
from kizashi.policy import Actor, require
from kizashi.protect.people.standing import now, utc
from kizashi.settings import get_settings
from kizashi.store import audit
from kizashi.store.service import service
from kizashi.store.workspace import Workspace

SPREAD = 4  # the budgets across names (per address) and across addresses (per name), in multiples of N
SHORT_WAIT = 30.0  # seconds: the longest that others' failures on a name hold an address within its own budget
FIRST_WAIT = 2.0  # seconds after the failure that uses up a budget; doubled by each failure after it


@dataclass(frozen=True)
class Tally:
    """Failures counted one way over the window, and how many seconds ago the latest of them was."""

    failures: int = 0
    ago: float = math.inf


def delay(failures: int, budget: int, cap: float) -> float:
    """How long after the latest failure the next attempt waits: nothing within the budget, then 2, 4, 8, … seconds
    up to `cap`."""
    if failures < budget:
        return 0.0
    return min(FIRST_WAIT * 2.0 ** min(failures - budget, 64), cap)  # 64: 2**64 s is past any cap already


def wait(pair: Tally, by_name: Tally, by_origin: Tally, *, allowed: int, window: float) -> float:
    """Seconds until an attempt on a name from an address may have its password checked (0: now), from the
    failures of that name from that address (`pair`), of the name from anywhere, and of the address on any name;
    `allowed` is KIZASHI_LOGIN_FAILURES and `window` the login window in seconds."""
    cap_for_name = SHORT_WAIT if pair.failures < allowed else window
    waits = (
        delay(pair.failures, allowed, window) - pair.ago,
        delay(by_origin.failures, SPREAD * allowed, window) - by_origin.ago,
        delay(by_name.failures, SPREAD * allowed, cap_for_name) - by_name.ago,
    )
    return max(0.0, *waits)


def _same_origin(origin: str | None) -> ColumnElement[bool]:
    return LoginAttempt.origin.is_(None) if origin is None else LoginAttempt.origin == origin


def _wait_for(session: Session, name: str, origin: str | None, besides: int | None = None) -> float:
    """The wait due now for `name` from `origin`, counting every failure but attempt `besides` (one's own)."""
    settings = get_settings()
    moment = now()
    window = timedelta(minutes=settings.login_window_minutes)
    failed = [LoginAttempt.succeeded.is_(False), LoginAttempt.at >= moment - window]
    if besides is not None:
        failed.append(LoginAttempt.id != besides)

    def tally(*where: ColumnElement[bool]) -> Tally:
        count, latest = session.execute(select(func.count(), func.max(LoginAttempt.at)).where(*failed, *where)).one()
        return Tally(count, max(0.0, (moment - utc(latest)).total_seconds()) if latest is not None else math.inf)

    pair = tally(LoginAttempt.name == name, _same_origin(origin))
    by_name = tally(LoginAttempt.name == name)
    by_origin = tally(_same_origin(origin)) if origin is not None else Tally()
    return wait(pair, by_name, by_origin, allowed=settings.login_failures, window=window.total_seconds())


def admit(workspace: Workspace, name: str, origin: str | None) -> int:
    """Let an attempt have its password checked: the id of its row, written as a failure (the caller marks it
    succeeded), or TooManyAttempts after counting the refusal. The row is written before the check and the wait
    computed again over every other attempt, those still being checked included, so attempts sent in parallel each
    see the others instead of all passing at once; one that then has to wait is deleted again."""
    with workspace.session() as session:
        due = _wait_for(session, name, origin)
    if due <= 0:
        with workspace.session() as session:
            attempt = LoginAttempt(name=name, origin=origin, at=now(), succeeded=False)
            session.add(attempt)
            session.flush()
            attempt_id = attempt.id
        with workspace.session() as session:
            due = _wait_for(session, name, origin, besides=attempt_id)
            if due <= 0:
                return attempt_id
            session.execute(delete(LoginAttempt).where(LoginAttempt.id == attempt_id))
    _refused(workspace, name, origin, due)
    seconds = math.ceil(due)
    raise TooManyAttempts(
        Message("too many failed logins; try again in {seconds} seconds", seconds=seconds), retry_after=seconds
    )


def _refused(workspace: Workspace, name: str, origin: str | None, due: float) -> None:
    """Count a refused attempt; the first of a window for the name and address writes the audit event, with the
    refusals counted since the previous one."""
    moment = now()
    window = timedelta(minutes=get_settings().login_window_minutes)
    insert = postgresql_insert if workspace.backend == "postgresql" else sqlite_insert
    with workspace.session() as session:
        # The row exists before it is locked: parallel refusals then count on one row instead of failing on its key.
        session.execute(
            insert(LoginRefusal).values(name=name, origin=origin or "", unreported=0).on_conflict_do_nothing()
        )
        row = session.get(LoginRefusal, (name, origin or ""), with_for_update=True)
        assert row is not None
        report = row.reported_at is None or utc(row.reported_at) <= moment - window
        earlier = _unreported(row)
        if report:
            row.unreported, row.first_unreported_at, row.reported_at = 0, None, moment
        else:
            row.unreported += 1
            row.first_unreported_at = row.first_unreported_at or moment
    if report:
        detail = {"why": "rate", "retry_after": math.ceil(due), **earlier}
        audit.record(workspace, name, "login_refused", records=[f"user:{name}"], origin=origin, detail=detail)


def _unreported(row: LoginRefusal) -> dict[str, Any]:
    if not row.unreported:
        return {}
    since: datetime | None = row.first_unreported_at
    return {"refused_before": row.unreported, "refused_since": utc(since).isoformat() if since else None}


def take_unreported(workspace: Workspace, name: str, origin: str | None) -> dict[str, Any]:
    """The refusals counted for a name and address since their last audit event, taken off their row to be written
    with the next event (a login or a failed login): {} when there are none."""
    with workspace.session() as session:
        row = session.get(LoginRefusal, (name, origin or ""))
        if row is None or not row.unreported:
            return {}
        taken = _unreported(row)
        # Subtracted rather than set to 0: a refusal counted meanwhile stays for the next event.
        session.execute(
            update(LoginRefusal)
            .where(LoginRefusal.name == name, LoginRefusal.origin == (origin or ""))
            .values(unreported=LoginRefusal.unreported - row.unreported, first_unreported_at=None)
        )
    return taken


@service("users.unlock")
def unlock(workspace: Workspace, actor: Actor, name: str) -> dict[str, int]:
    """Clear a name's failed logins and counted refusals, so it may log in again at once from anywhere (admins);
    how many of each were cleared."""
    require(actor, "users.administer")
    with workspace.session() as session:
        refused = session.scalar(
            select(func.coalesce(func.sum(LoginRefusal.unreported), 0)).where(LoginRefusal.name == name)
        )
        session.execute(delete(LoginRefusal).where(LoginRefusal.name == name))
        failures = session.scalar(
            select(func.count())
            .select_from(LoginAttempt)
            .where(LoginAttempt.name == name, LoginAttempt.succeeded.is_(False))
        )
        session.execute(delete(LoginAttempt).where(LoginAttempt.name == name, LoginAttempt.succeeded.is_(False)))
    cleared = {"failures": int(failures or 0), "refused_unreported": int(refused or 0)}
    audit.record(workspace, actor, "unlock", records=[f"user:{name}"], detail=cleared)
    return cleared
