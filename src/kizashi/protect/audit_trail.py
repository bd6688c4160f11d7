"""The audit trail as its readers use it: verify the chain (in the store, against an anchor, or an exported range;
with the audit key, every event's MAC too), export a range with its hashes and MACs, print the head as an anchor,
and seal the events written before the workspace had its key. Reading the trail is for those with `audit.read` (it
names who read what), sealing for those with `audit.key`; every use is itself audited, and every refusal."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass, replace
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import orjson
from sqlalchemy import ColumnElement, cast, func, literal, literal_column, select
from sqlalchemy.dialects.postgresql import JSONB

from kizashi.errors import InputError
from kizashi.files.tabular import iter_rows
from kizashi.messages import Message
from kizashi.model import AuditEvent
from kizashi.policy import Actor, require
from kizashi.store import audit, audit_key
from kizashi.store.audit import Verification
from kizashi.store.service import SHOWN, Delivery, delivered, service
from kizashi.store.workspace import Workspace

EXPORT_COLUMNS = ("seq", "at", "actor", "action", "records", "detail", "origin", "prev_hash", "hash", "mac")
# Verifying with --key, and sealing (which needs no option), each refused in the reader's language.
NO_KEY = Message(
    "--key: there is no audit key here: set KIZASHI_AUDIT_KEY or KIZASHI_AUDIT_KEY_FILE, or make the workspace's "
    "key file with `kizashi init`"
)
NO_KEY_TO_SEAL = Message(
    "there is no audit key here: set KIZASHI_AUDIT_KEY or KIZASHI_AUDIT_KEY_FILE, or make the workspace's "
    "key file with `kizashi init`"
)

MAX_PAGE_SIZE = 200  # events on one page of the listing: a page never holds the whole trail
MAX_FILTER = 300  # characters of a filter value (a record id is at most 300)

__all__ = [
    "EXPORT_COLUMNS",
    "MAX_PAGE_SIZE",
    "EventFilter",
    "EventPage",
    "Verification",
    "anchor",
    "backfill",
    "events",
    "export",
    "screened_alerts",
    "verify",
    "verify_file",
]


@service("audit.verify")
def verify(workspace: Workspace, actor: Actor, anchor: str | None = None, *, keyed: bool = False) -> Verification:
    """Whether the chain in the store is intact (and, with an anchor SEQ:HASH, still holds the anchored event;
    `keyed`: every event's MAC matches the workspace's audit key)."""
    require(actor, "audit.read")
    if keyed and workspace.audit_key is None:
        raise InputError(NO_KEY)
    result = audit.verify(workspace, anchor, workspace.audit_key.secret if keyed and workspace.audit_key else None)
    detail = {"service": "audit verify", "ok": result.ok, "events": result.events, "broken": result.broken_seq}
    delivered(workspace, actor, SHOWN, detail={**detail, "keyed": keyed})
    return result


def verify_file(
    path: Path, anchor: str | None = None, *, keyed: bool = False, key_folder: Path | None = None
) -> Verification:
    """Whether an exported range (JSON lines, as `export` writes them) is a valid chain on its own and, with an
    anchor SEQ:HASH kept earlier, still holds the anchored event; `keyed`: every event's MAC matches the audit key
    (the environment's, or the key file of the workspace in `key_folder`, by default the settings' workspace).
    Needs no workspace of its own."""
    key = None
    if keyed:
        folder = Workspace.resolve(key_folder).path
        found = audit_key.load(folder)
        if found is None:
            raise InputError(NO_KEY)
        if key_folder is not None and found.file != folder / audit_key.KEY_FILE:
            raise InputError(
                Message("--workspace does not apply with --file: the key comes from {source}", source=found.source)
            )
        key = found.secret
    return audit.verify_range((row.values for row in iter_rows(path)), anchor, key)


@service("audit.export")
def export(
    workspace: Workspace,
    actor: Actor,
    write: Callable[[Iterator[dict[str, Any]]], None],
    *,
    first: int | None = None,
    last: int | None = None,
    delivery: Delivery = SHOWN,
) -> None:
    """Stream events `first`..`last` with their hashes to `write`, so an outside party can re-verify them."""
    require(actor, "audit.read")
    write(audit.iter_events(workspace, first, last))
    delivered(workspace, actor, delivery, detail={"service": "audit export", "from": first, "to": last})


@service("audit.anchor")
def anchor(workspace: Workspace, actor: Actor) -> str:
    """The head of the chain as `SEQ:HASH`, to keep outside the system."""
    require(actor, "audit.read")
    head = audit.anchor(workspace)
    delivered(workspace, actor, SHOWN, detail={"service": "audit anchor", "anchor": head})
    return head


@service("audit.backfill")
def backfill(workspace: Workspace, actor: Actor) -> tuple[int, int] | None:
    """Seal the events written before the workspace had its audit key (first and last seq; None: none was
    unsealed). It proves only that they are not changed after the backfill (kizashi.store.audit.backfill)."""
    require(actor, "audit.key")
    if workspace.audit_key is None:
        raise InputError(NO_KEY_TO_SEAL)
    sealed = audit.backfill(workspace, workspace.audit_key.secret)
    first, last = sealed or (None, None)
    audit.record(workspace, actor, "seal", detail={"service": "audit key backfill", "from": first, "to": last})
    return sealed


# ── the listing: search and filter, newest first, a page at a time ─────────────────────────────────────────────


@dataclass(frozen=True)
class EventFilter:
    """What a reader of the trail looks for; every part optional, all given parts must hold. `since` and `until` are
    days (UTC), both included; `upto` the last event to consider (a listing paged from a fixed head: the reading of
    each page is itself an event, which must not shift the next page)."""

    action: str | None = None
    user: str | None = None
    record: str | None = None
    since: date | None = None
    until: date | None = None
    upto: int | None = None

    def detail(self) -> dict[str, Any]:
        """The filter as the audit event of the reading says it (only the parts given)."""
        found = {
            "action": self.action,
            "user": self.user,
            "record": self.record,
            "since": self.since.isoformat() if self.since else None,
            "until": self.until.isoformat() if self.until else None,
            "upto": self.upto,
        }
        return {key: value for key, value in found.items() if value is not None}


@dataclass(frozen=True)
class EventPage:
    """One page of the events that match, newest first, with how many match in all, the head it was paged from (the
    `upto` of the next pages) and the actions there are (for the filter's choices)."""

    events: list[dict[str, Any]]
    upto: int
    total: int
    page: int
    size: int
    actions: list[str]

    @property
    def pages(self) -> int:
        return max(1, -(-self.total // self.size))


def _conditions(found: EventFilter, backend: str) -> list[ColumnElement[bool]]:
    for value in (found.action, found.user, found.record):
        if value is not None and (len(value) > MAX_FILTER or "\x00" in value):
            raise InputError(Message("a filter is text of at most {most} characters", most=MAX_FILTER))
    where: list[ColumnElement[bool]] = []
    if found.action:
        where.append(AuditEvent.action == found.action)
    if found.user:
        where.append(AuditEvent.actor == found.user)
    if found.record:
        where.append(_names_record(found.record, backend))
    # `at` is the ISO text that was hashed, always UTC with the same shape: text order is time order.
    if found.since is not None:
        where.append(AuditEvent.at >= found.since.isoformat())
    if found.until is not None:
        where.append(AuditEvent.at < (found.until + timedelta(days=1)).isoformat())
    if found.upto is not None:
        where.append(AuditEvent.seq <= found.upto)
    return where


def _names_record(record: str, backend: str) -> ColumnElement[bool]:
    """The event names `record` among its records (the JSON list): JSONB containment on PostgreSQL, json_each on
    SQLite; the id is a bound parameter on both."""
    if backend == "postgresql":
        wanted = cast(literal(orjson.dumps([record]).decode()), JSONB)
        return AuditEvent.records.op("@>", is_comparison=True)(wanted)
    each = func.json_each(AuditEvent.records).table_valued("value")
    return select(literal_column("1")).select_from(each).where(each.c.value == record).exists()


@service("audit.events")
def events(
    workspace: Workspace, actor: Actor, found: EventFilter | None = None, *, page: int = 1, size: int = 50
) -> EventPage:
    """Page `page` (from 1) of the events matching `found`, newest first, `size` (at most MAX_PAGE_SIZE) to a page;
    reading them is itself audited (it names who read which part of the trail)."""
    require(actor, "audit.read")
    found = found or EventFilter()
    if not 1 <= size <= MAX_PAGE_SIZE:
        raise InputError(Message("a page holds 1 to {most} events", most=MAX_PAGE_SIZE), field="size")
    if page < 1:
        raise InputError(Message("pages are numbered from 1"), field="page")
    if found.since and found.until and found.since > found.until:
        raise InputError(Message("the first day is after the last day"), field="since")
    with workspace.session() as session:
        if found.upto is None:  # the head now: the next pages are read from the same one
            found = replace(found, upto=session.scalar(select(func.max(AuditEvent.seq))) or 0)
        where = _conditions(found, workspace.backend)
        total = session.scalar(select(func.count()).select_from(AuditEvent).where(*where)) or 0
        rows = session.scalars(
            select(AuditEvent).where(*where).order_by(AuditEvent.seq.desc()).offset((page - 1) * size).limit(size)
        )
        shown = [audit.as_dict(row) for row in rows]
        actions = list(session.scalars(select(AuditEvent.action).distinct().order_by(AuditEvent.action)))
    seqs = [event["seq"] for event in shown]
    detail = {"service": "audit events", **found.detail(), "page": page, "matched": total}
    if seqs:
        detail["seq"] = [min(seqs), max(seqs)]
    delivered(workspace, actor, SHOWN, detail=detail)
    assert found.upto is not None
    return EventPage(shown, found.upto, total, page, size, actions)


# ── what screenings alerted on, for the dashboard ──────────────────────────────────────────────────────────────

RECENT_SCREENINGS = 500  # screening events looked back over for alerts awaiting a decision


def screened_alerts(workspace: Workspace, recent: int = RECENT_SCREENINGS) -> list[tuple[str, list[str]]]:
    """(name, ["list:entry id", ...]) for every name the `recent` latest screenings met on a list entry, newest
    first: screenings are not stored elsewhere, their audit events are the record of what they found. (For a
    service that checks who may see them and decides what is still open.)"""
    statement = (
        select(AuditEvent.detail).where(AuditEvent.action == "screen").order_by(AuditEvent.seq.desc()).limit(recent)
    )
    found: list[tuple[str, list[str]]] = []
    with workspace.session() as session:
        for detail in session.scalars(statement):
            for alert in (detail or {}).get("alerted") or []:
                name, entries = alert.get("name"), alert.get("entries")
                if isinstance(name, str) and isinstance(entries, list):
                    found.append((name, [entry for entry in entries if isinstance(entry, str)]))
    return found
