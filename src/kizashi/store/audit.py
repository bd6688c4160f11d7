"""The audit trail: append-only events, each hashed together with the hash of the event before it.

hash = SHA-256(prev_hash + canonical JSON of the event). Editing, deleting, inserting or reordering any event breaks
the chain at that point, and `verify` names the first event where it breaks. Cutting events off the end leaves a
shorter valid chain: an anchor (the head's seq and hash, kept outside the system) catches that.
Whoever can write the database can also recompute every hash: each event's hash is therefore also MACed under the
audit key, kept outside the store (kizashi.store.audit_key), and `verify(..., key=...)` checks every MAC.
Events are written after the action they record has committed, in a transaction of their own, and only by the
services (know, grow, protect, ingest): commands and routes never import this module (an architecture test keeps it
so). A refusal is written by the service that refused, as `denied` (kizashi.store.service).
"""

from __future__ import annotations

import hashlib
import time
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

import orjson
from sqlalchemy import func, select, text, update
from sqlalchemy.exc import IntegrityError, OperationalError

from kizashi.errors import InputError, KizashiError, StoreBusy
from kizashi.messages import Message
from kizashi.model import AuditEvent
from kizashi.policy.actor import Actor
from kizashi.store import engine
from kizashi.store.audit_key import mac, mac_ok
from kizashi.store.workspace import Workspace

GENESIS = "0" * 64
HASHED_FIELDS = ("seq", "at", "actor", "action", "records", "detail", "origin")
_ATTEMPTS = 100


def event_hash(prev_hash: str, event: dict[str, Any]) -> str:
    canonical = orjson.dumps({name: event[name] for name in HASHED_FIELDS}, option=orjson.OPT_SORT_KEYS)
    return hashlib.sha256(prev_hash.encode("ascii") + canonical).hexdigest()


def record(
    workspace: Workspace,
    actor: Actor | str,
    action: str,
    *,
    records: Iterable[str] = (),
    detail: dict[str, Any] | None = None,
    origin: str | None = None,
) -> dict[str, Any]:
    """Append one event and return it (with its hash). Call after the action's own transaction has committed.
    `actor` is the Actor acting (its address is the event's origin), or a bare name where nobody is known yet (a
    login attempt names the name it tried)."""
    if isinstance(actor, Actor):
        origin = origin if origin is not None else actor.origin
        if actor.via and "via" not in (detail or {}):
            detail = {**(detail or {}), "via": actor.via}  # the command or request it came by
        actor = actor.user
    # SQLite waits up to its busy timeout inside a write; a writer holding the lock longer is an import, and waiting
    # out a hundred timeouts would hold a request for an hour. A quick conflict (a snapshot overtaken) is retried.
    deadline = time.monotonic() + engine.SQLITE_BUSY_MS / 1000
    for _ in range(_ATTEMPTS):
        try:
            return _append(
                workspace, _clean(actor), action, _clean(list(records)), _clean(detail or {}), _clean(origin)
            )
        except IntegrityError:
            continue  # another writer extended the chain first (unique prev_hash): read the head again
        except OperationalError:
            if time.monotonic() >= deadline:
                break
    raise StoreBusy(
        Message("the store is busy with an import and the audit trail could not be written; try again in a minute")
    )


def _clean(value: Any) -> Any:
    """NUL characters (in a requested path, a typed name) become U+FFFD: PostgreSQL's JSON cannot hold them, and an
    event must never fail to be written because of what an outsider sent."""
    if isinstance(value, str):
        return value.replace("\x00", "\ufffd")
    if isinstance(value, list):
        return [_clean(item) for item in value]
    if isinstance(value, dict):
        return {_clean(key): _clean(item) for key, item in value.items()}
    return value


def _append(
    workspace: Workspace, actor: str, action: str, records: list[str], detail: dict[str, Any], origin: str | None
) -> dict[str, Any]:
    with workspace.session() as session:
        if workspace.backend == "postgresql":
            # Writers take turns; the unique prev_hash would catch a race anyway, this just avoids the retries.
            session.execute(text("SELECT pg_advisory_xact_lock(2026112801)"))
        head = session.execute(select(AuditEvent.seq, AuditEvent.hash).order_by(AuditEvent.seq.desc()).limit(1)).first()
        prev_hash = head.hash if head else GENESIS
        values: dict[str, Any] = {
            # Numbered here rather than by the database: a gap in seq then means a deleted event, and a writer that
            # lost the race to the same seq or prev_hash fails on the unique keys and tries again.
            "seq": (head.seq if head else 0) + 1,
            "at": datetime.now(UTC).isoformat(timespec="microseconds"),
            "actor": actor,
            "action": action,
            "records": records,
            "detail": detail,
            "origin": origin,
            "prev_hash": prev_hash,
        }
        values["hash"] = event_hash(prev_hash, values)
        values["mac"] = mac(workspace.audit_key.secret, values["hash"]) if workspace.audit_key else None
        session.add(AuditEvent(**values))
    return values


def as_dict(event: AuditEvent) -> dict[str, Any]:
    return {
        "seq": event.seq,
        "at": event.at,
        "actor": event.actor,
        "action": event.action,
        "records": list(event.records),
        "detail": dict(event.detail),
        "origin": event.origin,
        "prev_hash": event.prev_hash,
        "hash": event.hash,
        "mac": event.mac,
    }


@dataclass
class Verification:
    ok: bool
    events: int
    head_seq: int | None
    head_hash: str
    broken_seq: int | None = None
    reason: str | None = None
    keyed: bool = False  # every event's MAC was checked too


# The reasons a check fails are Messages: `kizashi audit verify` and the audit page say them in the reader's language.
NO_MAC = Message(
    "has no MAC: written without the audit key, or its MAC removed (from before the key: `kizashi audit key backfill`)"
)
BAD_MAC = Message("its MAC does not match the key: rewritten by someone without the key, or sealed with another key")


def verify_events(
    events: Iterable[dict[str, Any]], *, start_hash: str | None = GENESIS, key: bytes | None = None
) -> Verification:
    """Check a chain of events in seq order. `start_hash=None` trusts the first event's prev_hash (an exported range).
    With `key`, also every event's MAC: a chain rewritten with recomputed hashes fails at its first rewritten event."""
    expected_prev = start_hash
    count, head_seq, head_hash = 0, None, start_hash or GENESIS
    last_seq = None
    for event in events:
        count += 1
        seq = event.get("seq")
        if not isinstance(seq, int):
            return Verification(
                False, count, head_seq, head_hash, None, Message("event {count} has no sequence number", count=count)
            )
        if last_seq is not None and seq <= last_seq:
            return Verification(False, count, head_seq, head_hash, seq, Message("events are out of order"))
        if last_seq is not None and seq != last_seq + 1:
            missing = Message("events {first}–{last} are missing", first=last_seq + 1, last=seq - 1)
            return Verification(False, count, head_seq, head_hash, seq, missing)
        if expected_prev is None and seq == 1:
            expected_prev = GENESIS  # a range from the start has nothing before it to trust
        if expected_prev is not None and event.get("prev_hash") != expected_prev:
            return Verification(
                False,
                count,
                head_seq,
                head_hash,
                seq,
                Message("does not follow the event before it (deleted, inserted or moved)"),
            )
        try:
            recomputed = event_hash(str(event["prev_hash"]), event)
        except (KeyError, TypeError):
            return Verification(False, count, head_seq, head_hash, seq, Message("is missing fields"))
        if recomputed != event.get("hash"):
            changed = Message("its content was changed after it was written")
            return Verification(False, count, head_seq, head_hash, seq, changed)
        if key is not None and not mac_ok(key, recomputed, event.get("mac")):
            return Verification(False, count, head_seq, head_hash, seq, BAD_MAC if event.get("mac") else NO_MAC)
        expected_prev = event["hash"]
        last_seq, head_seq, head_hash = seq, seq, event["hash"]
    return Verification(True, count, head_seq, head_hash, keyed=key is not None)


def iter_events(workspace: Workspace, first: int | None = None, last: int | None = None) -> Iterator[dict[str, Any]]:
    statement = select(AuditEvent).order_by(AuditEvent.seq)
    if first is not None:
        statement = statement.where(AuditEvent.seq >= first)
    if last is not None:
        statement = statement.where(AuditEvent.seq <= last)
    with workspace.session() as session:
        for event in session.scalars(statement.execution_options(yield_per=1000)):
            yield as_dict(event)


def verify(workspace: Workspace, anchor: str | None = None, key: bytes | None = None) -> Verification:
    """Verify the whole chain in the store; with an anchor `SEQ:HASH`, also that the anchored event is still there;
    with the key, every event's MAC."""
    result = verify_events(iter_events(workspace), key=key)
    if not result.ok or anchor is None:
        return result
    seq, anchored_hash = parse_anchor(anchor)
    with workspace.session() as session:
        found = session.execute(select(AuditEvent.hash).where(AuditEvent.seq == seq)).scalar_one_or_none()
    if found != anchored_hash:
        gone = Message("the anchored event is gone or different")
        return Verification(False, result.events, result.head_seq, result.head_hash, seq, gone)
    return result


def verify_range(events: Iterable[dict[str, Any]], anchor: str | None = None, key: bytes | None = None) -> Verification:
    """Verify an exported range on its own (it may start anywhere: its first prev_hash is taken as given, unless it
    starts at event 1); with an anchor `SEQ:HASH`, also that the range holds the anchored event unchanged, so that
    a range rewritten from its first event with made-up hashes fails. An anchor before the range cannot be checked
    in it: refused. With the key, every event's MAC (the export carries them)."""
    wanted = parse_anchor(anchor) if anchor is not None else None
    seen: dict[str, Any] = {}

    def watched() -> Iterator[dict[str, Any]]:
        for event in events:
            seen.setdefault("first", event.get("seq"))
            if wanted is not None and event.get("seq") == wanted[0]:
                seen["anchored"] = event.get("hash")
            yield event

    result = verify_events(watched(), start_hash=None, key=key)
    if not result.ok or wanted is None:
        return result
    seq, anchored_hash = wanted
    first = seen.get("first")
    if isinstance(first, int) and seq < first:
        raise InputError(
            Message(
                "--anchor: event {seq} is before the file's first event {first}; export from it to check it",
                seq=seq,
                first=first,
            )
        )
    if "anchored" not in seen:
        reason = Message(
            "the file ends at event {seq}, before the anchored event: events were cut off the end", seq=result.head_seq
        )
        return Verification(False, result.events, result.head_seq, result.head_hash, seq, reason)
    if seen["anchored"] != anchored_hash:
        reason = Message("the anchored event is different: the file was rewritten")
        return Verification(False, result.events, result.head_seq, result.head_hash, seq, reason)
    return result


def parse_anchor(anchor: str) -> tuple[int, str]:
    seq, _, digest = anchor.strip().partition(":")
    if not seq.isdigit() or len(digest) != 64 or any(c not in "0123456789abcdef" for c in digest):
        raise InputError(
            Message("not an anchor: '{anchor}' (expected SEQ:HASH as `kizashi audit anchor` prints it)", anchor=anchor)
        )
    return int(seq), digest


def anchor(workspace: Workspace) -> str:
    """The head of the chain as `SEQ:HASH`, to keep outside the system."""
    with workspace.session() as session:
        head = session.execute(select(AuditEvent.seq, AuditEvent.hash).order_by(AuditEvent.seq.desc()).limit(1)).first()
    return f"{head.seq}:{head.hash}" if head else f"0:{GENESIS}"


def backfill(workspace: Workspace, key: bytes) -> tuple[int, int] | None:
    """Seal the events written before the workspace had its key: MAC the unkeyed events at the start of the chain,
    and return their first and last seq (None: nothing to seal). This proves only that they are not changed after
    now: whoever could write the database before could have rewritten them, and the MACs seal that too.
    Refused (KizashiError) when the chain is broken, when an existing MAC does not match the key, or when an event
    without a MAC follows one with a MAC (written without the key, or its MAC removed: that is for `verify --key`
    to show, not for a backfill to seal)."""
    chain = verify_events(iter_events(workspace))
    if not chain.ok:
        raise KizashiError(
            Message(
                "the chain is broken at event {seq} ({reason}): nothing was sealed",
                seq=chain.broken_seq,
                reason=chain.reason,
            )
        )
    with workspace.session() as session:
        first_sealed = session.scalar(select(func.min(AuditEvent.seq)).where(AuditEvent.mac.is_not(None)))
        if first_sealed is not None:
            late = session.scalar(
                select(func.min(AuditEvent.seq)).where(AuditEvent.mac.is_(None), AuditEvent.seq > first_sealed)
            )
            if late is not None:
                raise KizashiError(
                    Message(
                        "event {late} has no MAC although event {first} before it has one: written without the key, "
                        "or its MAC removed. A backfill seals only the events before {first}: nothing was sealed",
                        late=late,
                        first=first_sealed,
                    )
                )
            sealed = verify_events(iter_events(workspace, first_sealed), start_hash=None, key=key)
            if not sealed.ok:
                raise KizashiError(
                    Message("event {seq}: {reason}: nothing was sealed", seq=sealed.broken_seq, reason=sealed.reason)
                )
        unkeyed = select(AuditEvent.seq, AuditEvent.hash).where(AuditEvent.mac.is_(None)).order_by(AuditEvent.seq)
        seqs: list[int] = []
        batch: list[dict[str, Any]] = []
        for seq, digest in session.execute(unkeyed).all():  # read whole before writing to the same table
            seqs.append(seq)
            batch.append({"seq": seq, "mac": mac(key, digest)})
            if len(batch) == 1000:
                session.execute(update(AuditEvent), batch)
                batch = []
        if batch:
            session.execute(update(AuditEvent), batch)
    return (seqs[0], seqs[-1]) if seqs else None
