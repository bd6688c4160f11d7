"""Correlation runs kept (docs/cti.md, "Correlation runs"): each recorded correlation of an observation file
(protect/cti/sightings.py) stores one `cti_correlation_runs` row and one `cti_correlation_hits` row per indicator hit,
in one transaction after the correlation has succeeded, so a run that fails stores nothing.

A run tells of its runner's own observations, so it is read by who made it and by those who read the audit trail
(`audit.read`); anyone else is told it does not exist, like a missing one. Each hit copies the label of the
indicator version it matched, so the one access policy filters the hits a reader sees; what a hit indicates is shown
only where the reader may read the target object now, and each target comes with the research assets it is tied to
(protect/cti/assets.py), themselves read through the policy.
"""

from __future__ import annotations

import uuid
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from kizashi.errors import NotFound
from kizashi.messages import Message, Words
from kizashi.model import Collection, CorrelationHit, CorrelationRun, ProgrammeProject, StixObject
from kizashi.policy import Actor, Clearance, allowed
from kizashi.policy.labels import Label
from kizashi.protect.cti.assets import THREAT_VIA, Asset, assets_of
from kizashi.protect.cti.query import timestamp, utc
from kizashi.protect.cti.store import AUDITED_IDS
from kizashi.store.readable import LABEL_COLUMNS, select_readable
from kizashi.store.service import SHOWN, delivered, service
from kizashi.store.workspace import Workspace

if TYPE_CHECKING:
    from kizashi.protect.cti.sightings import IndicatorHits

READ_ALL = "audit.read"  # those who read the audit trail read every run, as the audit pages do
# What a reader calls each kind of research asset (the kinds are the tables' names, protect/cti/assets.py).
ASSET_WORDS: dict[str, Words] = {
    "seeds": Words("シーズ", "seed"),
    "programme_projects": Words("プログラムのプロジェクト", "programme project"),
    "technologies": Words("技術", "technology"),
    "threats": Words("脅威登録簿の脅威", "threat of the register"),
}


@dataclass(frozen=True, slots=True)
class Target:
    """An object an indicator `indicates`."""

    id: str
    type: str
    name: str


@dataclass(frozen=True, slots=True)
class RunSummary:
    """One run as a list shows it: `hits` counts the hits the reader may read."""

    id: str
    user: str
    at: datetime
    file: str
    observations: int
    indicators: int
    hits: int

    def as_json(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "user": self.user,
            "at": timestamp(self.at),
            "file": self.file,
            "observations": self.observations,
            "indicators": self.indicators,
            "hits": self.hits,
        }


@dataclass(slots=True)
class RunHit:
    """One indicator's hits in a run, with what it indicates (readable now) and each target's assets."""

    indicator: str
    name: str
    collection: str  # the collection's id
    collection_name: str  # its name where the reader may read the collection, else its id
    count: int
    first_seen: datetime
    last_seen: datetime
    indicates: list[Target]
    assets: dict[str, list[Asset]]  # target id → its readable research assets
    samples: list[dict[str, Any]]
    sighting: str | None
    tlp: str | None
    label: Label  # the indicator's, copied: a page's banner

    def as_json(self) -> dict[str, Any]:
        return {
            "indicator": self.indicator,
            "name": self.name,
            "collection": self.collection,
            "collection_name": self.collection_name,
            "count": self.count,
            "first_seen": timestamp(self.first_seen),
            "last_seen": timestamp(self.last_seen),
            "indicates": [
                {"id": t.id, "type": t.type, "name": t.name, "assets": [a.as_json() for a in self.assets.get(t.id, [])]}
                for t in self.indicates
            ],
            "samples": self.samples,
            "sighting": self.sighting,
            "tlp": self.tlp,
        }


@dataclass(slots=True)
class RunView:
    """A run and the hits its reader may read; `goals` names the goal of each programme project shown (its page)."""

    id: str
    user: str
    at: datetime
    file: str
    file_hash: str
    observations: int
    indicators: int
    since: datetime | None
    collection: str | None
    skipped: list[dict[str, Any]]
    hits: list[RunHit]
    goals: dict[str, str] = field(default_factory=dict)

    def as_json(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "user": self.user,
            "at": timestamp(self.at),
            "file": self.file,
            "file_hash": self.file_hash,
            "observations": self.observations,
            "indicators": self.indicators,
            "since": None if self.since is None else timestamp(self.since),
            "collection": self.collection,
            "skipped": self.skipped,
            "hits": [hit.as_json() for hit in self.hits],
        }


def asset_kind_said(kind: str) -> str:
    """The words of an asset's kind (its table name when unknown)."""
    return ASSET_WORDS.get(kind, kind)


def via_said(via: str) -> Message:
    """How an asset is tied to the threat: by a link of its own, or through a threat of the register."""
    if via.startswith(THREAT_VIA):
        return Message("through threat {id}", id=via.removeprefix(THREAT_VIA))
    return Message("tied directly")


# ── keeping a run ───────────────────────────────────────────────────────────────────────────────────────────────


def _indicator_labels(
    session: Session, workspace: Workspace, clearance: Clearance, found: Iterable[tuple[str, str]]
) -> dict[tuple[str, str], dict[str, Any]]:
    """(indicator id, collection id) → the label columns of the latest version the reader may read (the one the
    correlation evaluated)."""
    wanted = sorted(set(found))
    labels: dict[tuple[str, str], dict[str, Any]] = {}
    latest: dict[tuple[str, str], datetime] = {}
    table = StixObject.__table__
    columns = [table.c.stix_id, table.c.collection_id, table.c.version, *(table.c[name] for name in LABEL_COLUMNS)]
    for start in range(0, len(wanted), 500):
        ids = sorted({ident for ident, _ in wanted[start : start + 500]})
        statement = select_readable(clearance, workspace.backend, table, columns=columns).where(
            table.c.stix_id.in_(ids), table.c.type == "indicator"
        )
        for row in session.execute(statement).mappings():
            key = (row["stix_id"], row["collection_id"])
            version = utc(row["version"])
            if key not in latest or version > latest[key]:
                latest[key] = version
                labels[key] = {name: row[name] for name in LABEL_COLUMNS}
    return labels


def store_run(
    session: Session,
    workspace: Workspace,
    user: str,
    clearance: Clearance,
    *,
    file: str,
    file_hash: str,
    observations: int,
    indicators: int,
    since: datetime | None,
    collection_id: str | None,
    skipped: Sequence[tuple[str, str]],
    hits: Sequence[tuple[IndicatorHits, str]],
) -> str:
    """Store `user`'s run and its hits (each with its indicator's collection id) in `session`'s transaction, each hit
    labelled like the indicator version `clearance` read; the run's id. Not a service: correlate_observations, which
    calls it, audits the correlation."""
    run_id = str(uuid.uuid4())
    labels = _indicator_labels(session, workspace, clearance, [(h.indicator, c) for h, c in hits])
    session.add(
        CorrelationRun(
            id=run_id,
            user=user,
            at=datetime.now(UTC),
            file=file,
            file_hash=file_hash,
            observations=observations,
            indicators=indicators,
            since=since,
            collection_id=collection_id,
            skipped=[{"indicator": ident, "reason": str(reason)} for ident, reason in skipped],
        )
    )
    session.flush()  # the run before its hits (their foreign key)
    for entry, collection in hits:
        label = labels.get((entry.indicator, collection))
        if label is None:  # the indicator was read moments ago in this correlation: gone now, so no hit to keep
            continue
        session.add(
            CorrelationHit(
                run_id=run_id,
                indicator=entry.indicator,
                collection_id=collection,
                name=entry.name,
                count=entry.count,
                first_seen=entry.first_seen,
                last_seen=entry.last_seen,
                indicates=[{"id": t.id, "type": t.type, "name": t.name} for t in entry.indicates],
                samples=entry.as_json()["samples"],
                sighting=entry.sighting,
                **label,
            )
        )
    return run_id


# ── reading runs ────────────────────────────────────────────────────────────────────────────────────────────────


def _reads_all(actor: Actor) -> bool:
    return allowed(actor, READ_ALL)


@service("cti.runs")
def list_runs(workspace: Workspace, actor: Actor) -> list[RunSummary]:
    """The actor's correlation runs, newest first (every run for those who read the audit trail), each with the
    number of its hits they may read."""
    runs = CorrelationRun.__table__
    hits = CorrelationHit.__table__
    with workspace.session() as session:
        statement = select(runs).order_by(runs.c.at.desc(), runs.c.id)
        counted = select_readable(
            actor.clearance, workspace.backend, hits, columns=[hits.c.run_id, func.count()]
        ).group_by(hits.c.run_id)
        if not _reads_all(actor):
            statement = statement.where(runs.c.user == actor.user)
            counted = counted.where(hits.c.run_id.in_(select(runs.c.id).where(runs.c.user == actor.user)))
        found = list(session.execute(statement).mappings())
        counts: dict[str, int] = {run_id: count for run_id, count in session.execute(counted)}
    summaries = [
        RunSummary(
            id=row["id"],
            user=row["user"],
            at=utc(row["at"]),
            file=row["file"],
            observations=row["observations"],
            indicators=row["indicators"],
            hits=counts.get(row["id"], 0),
        )
        for row in found
    ]
    delivered(
        workspace,
        actor,
        SHOWN,
        records=[summary.id for summary in summaries][:AUDITED_IDS],
        detail={"service": "cti.runs", "runs": len(summaries)},
    )
    return summaries


def _readable_targets(session: Session, workspace: Workspace, clearance: Clearance, ids: set[str]) -> set[str]:
    """The objects among `ids` the reader may read some version of now (a target named in a hit may have been
    readable to the runner only, or hidden since)."""
    table = StixObject.__table__
    readable: set[str] = set()
    wanted = sorted(ids)
    for start in range(0, len(wanted), 500):
        statement = select_readable(clearance, workspace.backend, table, columns=[table.c.stix_id]).where(
            table.c.stix_id.in_(wanted[start : start + 500])
        )
        readable.update(session.scalars(statement))
    return readable


def _goals(session: Session, workspace: Workspace, clearance: Clearance, assets: Iterable[Asset]) -> dict[str, str]:
    """The goal of each readable programme project among `assets` (its page is the goal's)."""
    projects = sorted({asset.id for asset in assets if asset.kind == "programme_projects"})
    if not projects:
        return {}
    table = ProgrammeProject.__table__
    statement = select_readable(clearance, workspace.backend, table, columns=[table.c.id, table.c.goal_id]).where(
        table.c.id.in_(projects)
    )
    return {ident: goal for ident, goal in session.execute(statement)}


def _run_row(session: Session, actor: Actor, run_id: str) -> CorrelationRun:
    row = session.get(CorrelationRun, run_id)
    if row is None or not (row.user == actor.user or _reads_all(actor)):
        # Someone else's run answers like one that does not exist.
        raise NotFound(Message("no correlation run '{id}'", id=run_id))
    return row


def _hits(session: Session, workspace: Workspace, clearance: Clearance, run_id: str) -> list[RunHit]:
    table = CorrelationHit.__table__
    statement = (
        select_readable(clearance, workspace.backend, table)
        .where(table.c.run_id == run_id)
        .order_by(table.c.indicator, table.c.id)
    )
    rows = list(session.execute(statement).mappings())
    targets = {str(t.get("id")) for row in rows for t in row["indicates"] if isinstance(t, dict)}
    readable = _readable_targets(session, workspace, clearance, targets)
    assets = assets_of(session, clearance, sorted(readable)) if readable else {}
    collections = Collection.__table__
    names: dict[str, str] = dict(
        session.execute(
            select_readable(
                clearance, workspace.backend, collections, columns=[collections.c.id, collections.c.name]
            ).where(collections.c.id.in_({row["collection_id"] for row in rows}))
        ).all()
    )
    hits: list[RunHit] = []
    for row in rows:
        shown = [
            Target(str(t["id"]), str(t.get("type", "")), str(t.get("name", "")))
            for t in row["indicates"]
            if isinstance(t, dict) and t.get("id") in readable
        ]
        hits.append(
            RunHit(
                indicator=row["indicator"],
                name=row["name"],
                collection=row["collection_id"],
                collection_name=names.get(row["collection_id"], row["collection_id"]),
                count=row["count"],
                first_seen=utc(row["first_seen"]),
                last_seen=utc(row["last_seen"]),
                indicates=shown,
                assets={t.id: list(assets.get(t.id, [])) for t in shown},
                samples=list(row["samples"]),
                sighting=row["sighting"],
                tlp=row["tlp"],
                label=Label.of(dict(row)),
            )
        )
    return hits


@service("cti.run")
def get_run(workspace: Workspace, actor: Actor, run_id: str) -> RunView:
    """One run with the hits the actor may read and each target's research assets; a run of someone else (unless
    they read the audit trail) is NotFound, like a missing one."""
    with workspace.session() as session:
        row = _run_row(session, actor, run_id)
        hits = _hits(session, workspace, actor.clearance, run_id)
        shown_assets = [asset for hit in hits for found in hit.assets.values() for asset in found]
        goals = _goals(session, workspace, actor.clearance, shown_assets)
        view = RunView(
            id=row.id,
            user=row.user,
            at=utc(row.at),
            file=row.file,
            file_hash=row.file_hash,
            observations=row.observations,
            indicators=row.indicators,
            since=None if row.since is None else utc(row.since),
            collection=row.collection_id,
            skipped=list(row.skipped),
            hits=hits,
            goals=goals,
        )
    by_kind: dict[str, set[str]] = defaultdict(set)
    for asset in shown_assets:
        by_kind[asset.kind].add(asset.id)
    delivered(
        workspace,
        actor,
        SHOWN,
        records=[hit.indicator for hit in hits][:AUDITED_IDS],
        detail={
            "service": "cti.run",
            "run": run_id,
            "hits": len(hits),
            "assets": {kind: sorted(ids)[:AUDITED_IDS] for kind, ids in sorted(by_kind.items())},
        },
    )
    return view
