"""Partner screening in a workspace: lists loaded there (every version kept), screening against the newest version
of each, officers' decisions on the alerts, and each name's status for a project's risk card.

Lists are public reference data: every user of the workspace may read them and screen against them; loading one is
for `admin` and `security_officer` only, and audited. Decisions follow know/judgements.py: append-only, audited,
labelled (INTERNAL) and read back through the access policy; the latest decision on (name, list, entry) counts.
A decision is keyed by the normalised name screened, so the same partner typed again ("ＴＡＫＯ  llc" and "Tako LLC")
meets the decision made on it.

The index over the lists is built once per process and kept, keyed by the workspace's database and the ids of the
list versions in use: a new load changes the key, so nobody screens against a list that was replaced.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from sqlalchemy import func, insert, select
from sqlalchemy.orm import Session

from kizashi.errors import InputError
from kizashi.files.tabular import utc_day
from kizashi.messages import Message
from kizashi.model.screening import ScreeningDecision, ScreeningEntry, ScreeningListVersion
from kizashi.policy import Actor, Clearance, Label, allowed, require
from kizashi.protect.screening.entries import ListEntry, ListVersion, ScreeningList
from kizashi.protect.screening.list_names import list_title
from kizashi.protect.screening.lists import read_list
from kizashi.protect.screening.screen import DEFAULT_THRESHOLD, DEFAULT_TOP, TABLE_COLUMNS, Party, Screener, table_rows
from kizashi.store import audit
from kizashi.store.decisions import append_decision
from kizashi.store.readable import select_readable
from kizashi.store.service import SHOWN, Delivery, service
from kizashi.store.workspace import Workspace
from kizashi.text.normalise import normalise

__all__ = [
    "DECISIONS",
    "DECISION_COLUMNS",
    "DECISION_LABEL",
    "STATUSES",
    "WORKSPACE_TABLE_COLUMNS",
    "LoadResult",
    "PartyStatus",
    "Screening",
    "decide",
    "decision_table_rows",
    "list_versions",
    "load_list",
    "party_key",
    "party_status",
    "screen",
    "status_of",
    "workspace_screener",
]

DECISIONS = ("true-match", "false-positive", "escalate")
# A name's status is the most serious over its matches, in this order (most serious first).
STATUSES = ("true_match", "escalated", "alert", "false_positive", "clear", "not_screened")
_STATUS_OF_DECISION = {"true-match": "true_match", "false-positive": "false_positive", "escalate": "escalated"}
# Decisions say who the institute works with and what its officers think of them: not public.
DECISION_LABEL = Label("INTERNAL")
DECISION_COLUMNS = ("decision", "decision_reason", "decision_user", "decision_at")
MAX_REASON = 10_000
MAX_NAME = 500
MAX_LIST_NAME = 200
_CHUNK = 5_000  # entries per INSERT: large lists (OpenSanctions) stay within the drivers' parameter limits


# ── lists ──────────────────────────────────────────────────────────────────────────────────────────────────────


@dataclass(frozen=True)
class LoadResult:
    version: dict[str, Any]
    unchanged: bool  # the file was the newest version of the list already: nothing stored


@service("screening.load")
def load_list(
    workspace: Workspace, actor: Actor, path: Path, *, name: str | None = None, date: str | None = None
) -> LoadResult:
    """Read a list (any format read_list knows) and store it as the newest version of its list (or of `name`), in
    one transaction. `date` (YYYY-MM-DD) is the list's publication date where the file states none (METI's and
    OFAC's legacy files do not); a date the file states wins. A file that does not read stores nothing. The same file
    as the newest version stores nothing again."""
    require(actor, "screening.load")
    stated = utc_day(date, "date") if date else None
    screening_list = read_list(path)  # every problem with the file surfaces here, before anything is written
    source = screening_list.version
    if stated is not None and not source.date:
        source = replace(source, date=stated.date().isoformat())
    list_name = source.list
    if name is not None:
        list_name = name.strip()
        if not list_name or len(list_name) > MAX_LIST_NAME or "\x00" in list_name:
            raise InputError(Message("a list name is 1 to {most} characters", most=MAX_LIST_NAME), field="name")
    with workspace.session() as session:
        newest = session.scalars(
            select(ScreeningListVersion)
            .where(ScreeningListVersion.list_name == list_name)
            .order_by(ScreeningListVersion.id.desc())
            .limit(1)
        ).first()
        if newest is not None and newest.sha256 == source.sha256 and newest.source == source.source:
            version, unchanged = _version_dict(newest, latest=True), True
        else:
            row = ScreeningListVersion(
                list_name=list_name,
                source=source.source,
                date=source.date,
                sha256=source.sha256,
                file=Path(source.path).name,
                entries=len(screening_list.entries),
                loaded_by=actor.user,
                loaded_at=datetime.now(UTC),
            )
            session.add(row)
            session.flush()
            _insert_entries(session, row.id, screening_list.entries, renamed=(source.list, list_name))
            version, unchanged = _version_dict(row, latest=True), False
    audit.record(
        workspace,
        actor,
        "import",
        records=[f"screening-list:{version['id']}"],
        detail={
            "kind": "screening list",
            "list": list_name,
            "source": source.source,
            "date": source.date,
            "sha256": source.sha256,
            "entries": version["entries"],
            "unchanged": unchanged,
        },
    )
    return LoadResult(version, unchanged)


def _insert_entries(session: Any, version_id: int, entries: Sequence[ListEntry], renamed: tuple[str, str]) -> None:
    # Entries carry their own list name (a METI file holds two lists); those named like the file's list take the
    # name the list was loaded under.
    before, after = renamed
    for start in range(0, len(entries), _CHUNK):
        session.execute(
            insert(ScreeningEntry),
            [
                {
                    "version_id": version_id,
                    "list_name": after if entry.list == before else entry.list,
                    "entry_id": entry.entry_id,
                    "name": entry.name,
                    "aliases": list(entry.aliases),
                    "type": entry.type,
                    "countries": list(entry.countries),
                    "program": entry.program,
                }
                for entry in entries[start : start + _CHUNK]
            ],
        )


def _version_dict(row: ScreeningListVersion, *, latest: bool) -> dict[str, Any]:
    return {
        "id": row.id,
        "list": row.list_name,
        "title_ja": list_title(row.list_name, "ja"),
        "title_en": list_title(row.list_name, "en"),
        "source": row.source,
        "date": row.date,
        "sha256": row.sha256,
        "file": row.file,
        "entries": row.entries,
        "loaded_by": row.loaded_by,
        "loaded_at": _utc(row.loaded_at).isoformat(timespec="seconds"),
        "latest": latest,
    }


def _utc(moment: datetime) -> datetime:
    # SQLite hands back naive datetimes; everything here is stored in UTC.
    return moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment


@service("screening.lists")
def list_versions(workspace: Workspace, actor: Actor, *, latest_only: bool = False) -> list[dict[str, Any]]:
    """Every loaded version of every list (or the newest of each), by list name, oldest first. Any user of the
    workspace may read them: the lists are public. Who loaded each is shown to officers only (it names the research
    security staff)."""
    officer = allowed(actor, "screening.see_loaders")
    with workspace.session() as session:
        newest = set(_latest_ids(session))
        rows = session.scalars(
            select(ScreeningListVersion).order_by(ScreeningListVersion.list_name, ScreeningListVersion.id)
        ).all()
        found = [_version_dict(row, latest=row.id in newest) for row in rows if not latest_only or row.id in newest]
    return found if officer else [{**row, "loaded_by": None} for row in found]


def _latest_ids(session: Any) -> list[int]:
    statement = select(func.max(ScreeningListVersion.id)).group_by(ScreeningListVersion.list_name)
    return sorted(session.scalars(statement).all())


def _latest_key(session: Any) -> tuple[tuple[int, str], ...]:
    # The checksums too: a database made afresh at the same address numbers its versions from 1 again.
    ids = _latest_ids(session)
    statement = select(ScreeningListVersion.id, ScreeningListVersion.sha256).where(ScreeningListVersion.id.in_(ids))
    return tuple(sorted((row.id, row.sha256) for row in session.execute(statement)))


# ── the index, once per process ────────────────────────────────────────────────────────────────────────────────


@dataclass(frozen=True)
class _Built:
    screener: Screener
    versions: list[dict[str, Any]]
    # (list, source, sha256, date) of a ListVersion → the stored version, to name it in every match
    by_key: dict[tuple[str, str, str, str], dict[str, Any]] = field(default_factory=dict)


_CACHE: OrderedDict[tuple[str, tuple[tuple[int, str], ...]], _Built] = OrderedDict()
_CACHE_SIZE = 4  # workspaces (one index each): a server holds one; tests and scripts a few
_LOCK = threading.Lock()


def workspace_screener(workspace: Workspace) -> tuple[Screener, list[dict[str, Any]]] | None:
    """The screener over the newest version of each list in the workspace and those versions, or None when no
    list is loaded. Built once per process for a given set of versions."""
    built = _built(workspace)
    return None if built is None else (built.screener, built.versions)


def _built(workspace: Workspace) -> _Built | None:
    with workspace.session() as session:
        versions = _latest_key(session)
    if not versions:
        return None
    key = (workspace.database_url, versions)
    with _LOCK:  # one build at a time: two page requests after a load must not build twice
        cached = _CACHE.get(key)
        if cached is not None:
            _CACHE.move_to_end(key)
            return cached
        built = _build(workspace, tuple(number for number, _ in versions))
        # The versions this replaces are never asked for again: their index (a large list's is big) goes now.
        for stale in [k for k in _CACHE if k[0] == workspace.database_url]:
            del _CACHE[stale]
        _CACHE[key] = built
        while len(_CACHE) > _CACHE_SIZE:
            _CACHE.popitem(last=False)
        return built


def _build(workspace: Workspace, ids: tuple[int, ...]) -> _Built:
    lists: list[ScreeningList] = []
    versions: list[dict[str, Any]] = []
    by_key: dict[tuple[str, str, str, str], dict[str, Any]] = {}
    with workspace.session() as session:
        for row in session.scalars(select(ScreeningListVersion).where(ScreeningListVersion.id.in_(ids))):
            stored = _version_dict(row, latest=True)
            version = ListVersion(row.source, row.list_name, row.date, row.sha256, f"workspace:{row.id}")
            entries = [
                ListEntry(
                    list=entry.list_name,
                    entry_id=entry.entry_id,
                    name=entry.name,
                    aliases=tuple(entry.aliases),
                    type=entry.type,
                    countries=tuple(entry.countries),
                    program=entry.program,
                )
                for entry in session.scalars(
                    select(ScreeningEntry).where(ScreeningEntry.version_id == row.id).order_by(ScreeningEntry.id)
                )
            ]
            lists.append(ScreeningList(version, entries))
            versions.append(stored)
            by_key[_version_key(version.as_dict())] = stored
    versions.sort(key=lambda v: (v["list"], v["id"]))
    return _Built(Screener(lists), versions, by_key)


def _version_key(version: dict[str, Any]) -> tuple[str, str, str, str]:
    return (version["list"], version["source"], version["sha256"], version["date"])


# ── screening ──────────────────────────────────────────────────────────────────────────────────────────────────


def party_key(name: str) -> str:
    """The name as decisions are keyed: NFKC, case-folded, spaces collapsed."""
    return normalise(name)[:MAX_NAME]


@dataclass
class Screening:
    """One screening run: a row per name as screen_names writes it (each match with its stored list version and
    the latest decision on it, or None), and the list versions it ran against."""

    rows: list[dict[str, Any]]
    versions: list[dict[str, Any]]

    @property
    def alerts(self) -> int:
        """Names with a match that is not (yet) decided a false positive."""
        return sum(1 for row in self.rows if status_of(row["matches"]) in ("true_match", "escalated", "alert"))


MAX_AUDITED_ALERTS = 1000  # per screening event; the event says how many alerts there were in all


@service("screening.screen")
def screen(
    workspace: Workspace,
    actor: Actor,
    parties: Sequence[Party],
    *,
    threshold: float | None = None,
    top: int = DEFAULT_TOP,
    on_progress: Callable[[int], None] | None = None,
    delivery: Delivery = SHOWN,
    require_lists: bool = False,
) -> Screening:
    """Screen `parties` against the newest version of every list in the workspace; audited (action `screen`).
    Decisions are shown to those who may read them. No lists: every name has no match and `versions` is empty (a
    page shows that), or, with `require_lists`, InputError before anything is screened or audited."""
    built = _built(workspace)
    if built is None and require_lists:
        raise InputError(
            Message("no screening list is loaded in this workspace: kizashi screen load LIST, or give --list")
        )
    limit = DEFAULT_THRESHOLD if threshold is None else threshold
    rows: list[dict[str, Any]] = []
    for party in parties:
        matches = [] if built is None else built.screener.best(party, top, limit)
        for match in matches:
            match["list_version"] = dict(built.by_key[_version_key(match["list_version"])]) if built else {}
        rows.append({"id": party.id, "name": party.name, "matches": matches})
        if on_progress is not None:
            on_progress(1)
    _attach_decisions(workspace, actor.clearance, rows)
    result = Screening(rows, [dict(v) for v in built.versions] if built else [])
    audit.record(
        workspace,
        actor,
        "screen",
        detail={
            "names": len(rows),
            "alerts": result.alerts,
            "matches": sum(len(row["matches"]) for row in rows),
            "threshold": limit,
            "list_versions": [v["id"] for v in result.versions],
            # The verdicts: which names met which entries (names without a match are counted above).
            "alerted": [
                {"name": row["name"], "entries": [f"{m['list']}:{m['entry_id']}" for m in row["matches"]]}
                for row in rows
                if row["matches"]
            ][:MAX_AUDITED_ALERTS],
            # Where the results went: shown, or a file (with the officers' decisions on them).
            **delivery.detail(),
        },
    )
    return result


def _attach_decisions(workspace: Workspace, clearance: Clearance, rows: list[dict[str, Any]]) -> None:
    keys = {party_key(row["name"]) for row in rows if row["matches"]}
    latest = _latest_decisions(workspace, clearance, keys)
    for row in rows:
        key = party_key(row["name"])
        for match in row["matches"]:
            match["decision"] = latest.get((key, match["list"], match["entry_id"]))


def _latest_decisions(
    workspace: Workspace, clearance: Clearance, keys: Iterable[str]
) -> dict[tuple[str, str, str], dict[str, Any]]:
    wanted = sorted(set(keys))
    if not wanted:
        return {}
    table = ScreeningDecision.__table__
    found: dict[tuple[str, str, str], dict[str, Any]] = {}
    with workspace.session() as session:
        for start in range(0, len(wanted), 500):
            statement = (
                select_readable(clearance, workspace.backend, table)
                .where(table.c.party_key.in_(wanted[start : start + 500]))
                .order_by(table.c.id)
            )
            for row in session.execute(statement).mappings():
                key = (row["party_key"], row["entry_list"], row["entry_id"])
                history = found.get(key, {}).get("history", 0) + 1
                found[key] = {
                    "decision": row["decision"],
                    "reason": row["reason"],
                    "user": row["user"],
                    "at": _utc(row["at"]).isoformat(timespec="seconds"),
                    "history": history,
                    "id": row["id"],
                }
    return found


def decision_table_rows(rows: Iterable[dict[str, Any]]) -> list[dict[str, Any]]:
    """table_rows with the list version's id and the decision on each match, for CSV and Excel."""
    flat: list[dict[str, Any]] = []
    for row in rows:
        lines = table_rows([row])
        for line, match in zip(lines, row["matches"] or [None], strict=True):
            decision = (match or {}).get("decision") or {}
            line["list_version_id"] = (match or {}).get("list_version", {}).get("id")
            line.update(
                {
                    "decision": decision.get("decision"),
                    "decision_reason": decision.get("reason"),
                    "decision_user": decision.get("user"),
                    "decision_at": decision.get("at"),
                }
            )
            flat.append(line)
    return flat


WORKSPACE_TABLE_COLUMNS = (*TABLE_COLUMNS, "list_version_id", *DECISION_COLUMNS)


# ── decisions ──────────────────────────────────────────────────────────────────────────────────────────────────


@service("screening.decide")
def decide(
    workspace: Workspace,
    actor: Actor,
    name: str,
    entry_list: str,
    entry_id: str,
    decision: str,
    *,
    reason: str,
) -> int:
    """Record an officer's decision on the alert `name` × (`entry_list`, `entry_id`); append-only and audited.
    The entry must be in a list version of the workspace (any version: an entry may leave a newer one)."""
    if decision not in DECISIONS:
        raise InputError(
            Message("decision '{decision}' must be one of {choices}", decision=decision, choices=", ".join(DECISIONS)),
            field="decision",
        )
    reason = reason.strip()
    if not reason or len(reason) > MAX_REASON or "\x00" in reason:
        raise InputError(
            Message("give the reason: text of at most {most:,} characters", most=MAX_REASON), field="reason"
        )
    key = party_key(name)
    if not key or "\x00" in name:
        raise InputError(Message("give the name that was screened"), field="name")
    require(actor, "screening.decide")

    def build(session: Session) -> ScreeningDecision:
        # In the decision's own transaction: the version it records is the one found there.
        version_id = session.scalar(
            select(func.max(ScreeningEntry.version_id)).where(
                ScreeningEntry.list_name == entry_list, ScreeningEntry.entry_id == entry_id
            )
        )
        if version_id is None:
            raise InputError(
                Message("no entry '{entry}' in a list '{list}' of this workspace", entry=entry_id, list=entry_list),
                field="entry_id",
            )
        return ScreeningDecision(
            party_key=key,
            party_name=name.strip(),
            entry_list=entry_list,
            entry_id=entry_id,
            version_id=version_id,
            decision=decision,
            reason=reason,
            user=actor.user,
            at=datetime.now(UTC),
        )

    return append_decision(
        workspace,
        actor,
        build,
        label=DECISION_LABEL,
        records=[f"screening-entry:{entry_list}/{entry_id}"],
        id_key="screening_decision",
        detail=lambda row: {
            "name": name.strip()[:MAX_NAME],
            "list": entry_list,
            "entry_id": entry_id,
            "list_version": row.version_id,
            "decision": decision,
            "reason": reason[:500],
        },
    )


# ── a name's standing, for the project risk card ───────────────────────────────────────────────────────────────


@dataclass(frozen=True)
class PartyStatus:
    name: str
    status: str  # "clear" | "alert" | "true_match" | "false_positive" | "escalated" | "not_screened"
    matches: list[dict[str, Any]]  # as screen_names' matches, each with its "decision" or None
    list_versions: list[dict[str, Any]]


def status_of(matches: Sequence[dict[str, Any]]) -> str:
    """The most serious over the matches: a true match, then an escalated one, then an undecided alert, then false
    positives; clear without matches."""
    found = {"clear"}
    for match in matches:
        decision = match.get("decision")
        found.add("alert" if decision is None else _STATUS_OF_DECISION[decision["decision"]])
    return min(found, key=STATUSES.index)


def party_status(
    workspace: Workspace, actor: Actor, names: Sequence[str], *, threshold: float | None = None
) -> list[PartyStatus]:
    """Each name's screening status against the workspace's lists (newest versions), in the order given:
    `not_screened` when no list is loaded; otherwise the most serious of its matches (see status_of), where a
    decision `actor` may not read counts as none."""
    parties = [Party(str(number), name) for number, name in enumerate(names, start=1)]
    result = screen(workspace, actor, parties, threshold=threshold)
    if not result.versions:
        return [PartyStatus(name, "not_screened", [], []) for name in names]
    return [PartyStatus(row["name"], status_of(row["matches"]), row["matches"], result.versions) for row in result.rows]


@service("screening.status")
def with_screening(workspace: Workspace, actor: Actor, rows: Sequence[dict[str, Any]]) -> list[dict[str, Any]]:
    """`rows` (experts, partners: dicts with `name` and `kind`) with each organisation's screening status under
    `screening` (audited as one screening), so that an organisation on a list is known before anyone contacts it;
    rows unchanged while no list is loaded."""
    names = [row["name"] for row in rows if row["kind"] == "organisation"]
    if not names or _built(workspace) is None:  # nothing to screen against: no screening to audit either
        return list(rows)
    found = party_status(workspace, actor, names)
    statuses = {status.name: status.status for status in found}
    return [{**row, "screening": statuses[row["name"]]} if row["kind"] == "organisation" else row for row in rows]
