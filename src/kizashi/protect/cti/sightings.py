"""`cti.correlate`: our observations against the indicators an actor may read, with what each hit indicates, and
the hits recorded as STIX 2.1 `sighting` objects in the store (docs/cti-correlation.md, "Correlating and sightings").

The indicators are the latest readable version of each in every readable collection (or the one named); the
engine is protect/cti/correlate.py. What an indicator indicates is read from the `indicates` relationships and their
targets (threat actors, malware, attack patterns, campaigns, intrusion sets) in every collection the actor may read,
so that a partner's indicator in one collection finds the ATT&CK object it points at in another. Sightings go
through `add_objects`, so they are versioned, labelled and audited like any other object. A sighting's id and times
come from what it says (the indicator's version, the file's SHA-256, `since`, the hits), so correlating the same file
again adds no new sighting: the store keeps identical content once. A recorded correlation is kept as a run with its
hits (protect/cti/runs.py), and each hit names the research assets its targets are tied to (protect/cti/assets.py).
"""

from __future__ import annotations

import hashlib
import uuid
from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

from sqlalchemy.orm import Session

from kizashi.errors import InputError
from kizashi.messages import Message
from kizashi.model import Collection
from kizashi.policy import Actor
from kizashi.protect.cti.assets import Asset, assets_of
from kizashi.protect.cti.correlate import Correlator, Hit, Indicator, correlate_file
from kizashi.protect.cti.groups import CollectionView, open_collection, view
from kizashi.protect.cti.query import MAX_LIMIT, Entry, Filters, page_of, parse_timestamp, timestamp
from kizashi.protect.cti.runs import Target, store_run
from kizashi.protect.cti.store import AUDITED_IDS, add_objects
from kizashi.protect.cti.tlp import RECIPIENTS_PROPERTY, TLP_MARKINGS
from kizashi.store.readable import select_readable
from kizashi.store.service import SHOWN, delivered, service
from kizashi.store.workspace import Workspace

# What an indicator may indicate, and the words a reader sees for each type (the JSON keeps the STIX type).
TARGET_WORDS: dict[str, Message] = {
    "threat-actor": Message("threat actor"),
    "malware": Message("malware"),
    "attack-pattern": Message("attack pattern"),
    "campaign": Message("campaign"),
    "intrusion-set": Message("intrusion set"),
}
TARGET_TYPES = tuple(TARGET_WORDS)
SAMPLES = 5  # observation rows a sighting carries in x_kizashi_observations
# The namespace of sightings' ids (uuid5 of what the sighting is of): a fixed, random UUID of kizashi's.
SIGHTING_NAMESPACE = uuid.UUID("5b0e7f0a-3c1d-4e57-9a6b-1c2d3e4f5a6b")
__all__ = ["TARGET_WORDS", "CorrelationReport", "IndicatorHits", "Target", "correlate_observations", "sighting_for"]


@dataclass(slots=True)
class IndicatorHits:
    """The hits of one indicator: how many, when, what it indicates, and the sighting recorded (if any)."""

    indicator: str
    name: str
    collection: str  # the collection's name
    count: int
    first_seen: datetime
    last_seen: datetime
    indicates: list[Target]
    samples: list[Hit]
    sighting: str | None = None
    assets: dict[str, list[Asset]] = field(default_factory=dict)  # target id → its readable research assets

    def as_json(self) -> dict[str, Any]:
        return {
            "indicator": self.indicator,
            "name": self.name,
            "collection": self.collection,
            "count": self.count,
            "first_seen": timestamp(self.first_seen),
            "last_seen": timestamp(self.last_seen),
            "indicates": [{"id": t.id, "type": t.type, "name": t.name} for t in self.indicates],
            "samples": [_sample(hit) for hit in self.samples],
            "sighting": self.sighting,
            "assets": [
                {"target": target, **asset.as_json()}
                for target, found in sorted(self.assets.items())
                for asset in found
            ],
        }


@dataclass(slots=True)
class CorrelationReport:
    """A correlation run: the file, how much was read and evaluated, the hits by indicator, and what was not."""

    file: str
    observations: int
    indicators: int
    hits: list[IndicatorHits]
    skipped: list[tuple[str, str]] = field(default_factory=list)  # indicators not evaluated, and why (Messages)
    unrecorded: list[tuple[str, Message]] = field(default_factory=list)  # indicators whose sighting was not stored
    run: str | None = None  # the run kept (protect/cti/runs.py), when recorded

    def as_json(self) -> dict[str, Any]:
        return {
            "run": self.run,
            "file": self.file,
            "observations": self.observations,
            "indicators": self.indicators,
            "hits": [entry.as_json() for entry in self.hits],
            "skipped": [{"indicator": ident, "reason": str(reason)} for ident, reason in self.skipped],
            "unrecorded": [{"indicator": ident, "reason": str(reason)} for ident, reason in self.unrecorded],
        }


@dataclass(slots=True)
class _Read:
    """What the correlation needs of the readable store."""

    indicators: dict[str, tuple[CollectionView, dict[str, Any]]] = field(default_factory=dict)  # id → latest
    versions: dict[str, datetime] = field(default_factory=dict)  # indicator id → the version kept
    indicates: dict[str, set[str]] = field(default_factory=lambda: defaultdict(set))  # indicator → target ids
    targets: dict[str, Target] = field(default_factory=dict)


def _sample(hit: Hit) -> dict[str, Any]:
    return {"row": hit.row, "time": timestamp(hit.time), "type": hit.type, "value": hit.value}


def _held(actor: Actor) -> frozenset[str] | None:
    """The roles a collection's read and write roles are checked against; None: an unmanaged workspace's operator."""
    return actor.roles if actor.managed else None


def _readable_collections(session: Session, workspace: Workspace, actor: Actor) -> list[CollectionView]:
    table = Collection.__table__
    statement = select_readable(actor.clearance, workspace.backend, table).order_by(table.c.name)
    found = [view(dict(row), _held(actor)) for row in session.execute(statement).mappings()]
    return [collection for collection in found if collection.can_read]


def _entries(session: Session, workspace: Workspace, actor: Actor, collection_id: str) -> Iterator[Entry]:
    """The latest readable version of every indicator, relationship and target object of the collection."""
    token: str | None = None
    while True:
        filters = Filters(types=("indicator", "relationship", *TARGET_TYPES), limit=MAX_LIMIT, next=token)
        page = page_of(session, actor.clearance, workspace.backend, collection_id, filters)
        yield from page.entries
        if not page.more:
            return
        token = page.next


def _read_store(session: Session, workspace: Workspace, actor: Actor, chosen: CollectionView | None) -> _Read:
    read = _Read()
    for collection in _readable_collections(session, workspace, actor):
        for entry in _entries(session, workspace, actor, collection.id):
            stix = entry.stix()
            if entry.type == "indicator":
                if chosen is not None and collection.id != chosen.id:
                    continue
                # The same indicator in two collections: the later version (the first collection on a tie).
                version = parse_timestamp(entry.version, "version")
                if entry.stix_id not in read.versions or version > read.versions[entry.stix_id]:
                    read.indicators[entry.stix_id] = (collection, stix)
                    read.versions[entry.stix_id] = version
            elif entry.type == "relationship":
                source, target = stix.get("source_ref"), stix.get("target_ref")
                if stix.get("relationship_type") == "indicates" and isinstance(source, str) and isinstance(target, str):
                    read.indicates[source].add(target)
            else:
                read.targets[entry.stix_id] = Target(entry.stix_id, entry.type, str(stix.get("name", "")))
    return read


def _indicator(stix: dict[str, Any]) -> Indicator:
    """The engine's indicator; InputError when its validity does not read (the store validated it on the way in)."""
    valid_until = stix.get("valid_until")
    return Indicator(
        id=str(stix["id"]),
        pattern=str(stix.get("pattern", "")),
        valid_from=parse_timestamp(stix.get("valid_from"), "valid_from"),
        valid_until=None if valid_until is None else parse_timestamp(valid_until, "valid_until"),
        pattern_type=str(stix.get("pattern_type", "")),
    )


def _grouped(hits: list[Hit], read: _Read) -> list[IndicatorHits]:
    by_indicator: dict[str, list[Hit]] = defaultdict(list)
    for hit in hits:
        by_indicator[hit.indicator].append(hit)
    grouped: list[IndicatorHits] = []
    for ident in sorted(by_indicator):
        found = by_indicator[ident]
        collection, stix = read.indicators[ident]
        targets = sorted(
            (read.targets[target] for target in read.indicates.get(ident, ()) if target in read.targets),
            key=lambda target: (target.type, target.name, target.id),
        )
        times = [hit.time for hit in found]
        grouped.append(
            IndicatorHits(
                indicator=ident,
                name=str(stix.get("name", "")),
                collection=collection.name,
                count=len(found),
                first_seen=min(times),
                last_seen=max(times),
                indicates=targets,
                samples=found[:SAMPLES],
            )
        )
    return grouped


def sighting_id(indicator: str, version: datetime, file_hash: str, since: datetime | None) -> str:
    """The id of the sighting of one indicator version in one file (and `since`): the same correlation, the same id."""
    since_text = "" if since is None else timestamp(since)
    name = "|".join((indicator, timestamp(version), file_hash, since_text))
    return f"sighting--{uuid.uuid5(SIGHTING_NAMESPACE, name)}"


def sighting_for(entry: IndicatorHits, indicator: dict[str, Any], ident: str) -> dict[str, Any]:
    """The STIX 2.1 sighting of one indicator's hits, under `ident` (sighting_id). It carries the indicator's TLP
    marking (and a RED one's recipients): a sighting says the indicator matched, so it may go no further than the
    indicator did. Created and modified are the last hit's time, not the clock's, so that the same hits make the
    same object and the store keeps it once."""
    stamp = timestamp(entry.last_seen)
    sighting: dict[str, Any] = {
        "type": "sighting",
        "spec_version": "2.1",
        "id": ident,
        "created": stamp,
        "modified": stamp,
        "first_seen": timestamp(entry.first_seen),
        "last_seen": timestamp(entry.last_seen),
        "count": entry.count,
        "sighting_of_ref": entry.indicator,
        "x_kizashi_observations": [_sample(hit) for hit in entry.samples],
    }
    markings = [ref for ref in indicator.get("object_marking_refs") or [] if ref in TLP_MARKINGS]
    if markings:
        sighting["object_marking_refs"] = markings
    if RECIPIENTS_PROPERTY in indicator:
        sighting[RECIPIENTS_PROPERTY] = indicator[RECIPIENTS_PROPERTY]
    return sighting


def _record(
    workspace: Workspace,
    actor: Actor,
    read: _Read,
    grouped: list[IndicatorHits],
    chosen: CollectionView | None,
    file_hash: str,
    since: datetime | None,
) -> list[tuple[str, Message]]:
    """Store one sighting per indicator hit, in the named collection, else each in its indicator's (one add per
    collection); the indicators whose collection the actor may not add to are returned with the reason."""
    by_collection: dict[str, list[tuple[IndicatorHits, dict[str, Any]]]] = defaultdict(list)
    unrecorded: list[tuple[str, Message]] = []
    for entry in grouped:
        collection, stix = read.indicators[entry.indicator]
        target = chosen or collection
        if not target.can_write:
            unrecorded.append(
                (entry.indicator, Message("you may not add sightings to collection '{name}'", name=target.name))
            )
            continue
        ident = sighting_id(entry.indicator, read.versions[entry.indicator], file_hash, since)
        by_collection[target.id].append((entry, sighting_for(entry, stix, ident)))
    for collection_id, pairs in by_collection.items():
        add_objects(workspace, actor, collection_id, [sighting for _, sighting in pairs])
        for entry, sighting in pairs:
            entry.sighting = sighting["id"]
    return unrecorded


def file_sha256(path: Path) -> str:
    """The SHA-256 of the file's bytes (as they are: a gzipped file's, compressed), read in blocks."""
    digest = hashlib.sha256()
    try:
        with path.open("rb") as handle:
            for block in iter(lambda: handle.read(1 << 20), b""):
                digest.update(block)
    except OSError:
        return ""  # the observation reader names the problem
    return digest.hexdigest()


def _assets(workspace: Workspace, actor: Actor, grouped: list[IndicatorHits]) -> None:
    """Each hit's targets' research assets the actor may read."""
    targets = sorted({target.id for entry in grouped for target in entry.indicates})
    if not targets:
        return
    with workspace.session() as session:
        found = assets_of(session, actor.clearance, targets)
    for entry in grouped:
        entry.assets = {t.id: list(found[t.id]) for t in entry.indicates if found.get(t.id)}


def _keep(
    workspace: Workspace,
    actor: Actor,
    report: CorrelationReport,
    read: _Read,
    chosen: CollectionView | None,
    file_hash: str,
    since: datetime | None,
) -> str:
    """The run and its hits, in one transaction."""
    with workspace.session() as session:
        return store_run(
            session,
            workspace,
            actor.user,
            actor.clearance,
            file=report.file,
            file_hash=file_hash,
            observations=report.observations,
            indicators=report.indicators,
            since=since,
            collection_id=None if chosen is None else chosen.id,
            skipped=[(ident, str(reason)) for ident, reason in report.skipped],
            hits=[(entry, read.indicators[entry.indicator][0].id) for entry in report.hits],
        )


@service("cti.correlate")
def correlate_observations(
    workspace: Workspace,
    actor: Actor,
    path: Path,
    *,
    since: datetime | None = None,
    collection: str | None = None,
    record: bool = True,
    workers: int = 1,
    name: str | None = None,
) -> CorrelationReport:
    """Correlate the observation file with the indicators `actor` may read (every readable collection, or the one
    named), name what each hit indicates and the research assets tied to it and, with `record`, store a sighting per
    indicator hit and keep the run (protect/cti/runs.py); audited as a read naming the indicators shown. `name` is
    the file's name as its reader gave it (an upload's), else the path."""
    with workspace.session() as session:
        chosen = None
        if collection is not None:
            chosen = open_collection(
                session, workspace.backend, actor.clearance, _held(actor), collection, write=record
            )
        read = _read_store(session, workspace, actor, chosen)
    indicators: list[Indicator] = []
    unread: list[tuple[str, str]] = []
    for ident, (_, stix) in sorted(read.indicators.items()):
        try:
            indicators.append(_indicator(stix))
        except InputError as error:
            unread.append((ident, error.reason))
    correlation = correlate_file(Correlator(indicators), path, since=since, workers=workers)
    file_hash = file_sha256(path)
    grouped = _grouped(correlation.hits, read)
    _assets(workspace, actor, grouped)
    unrecorded = _record(workspace, actor, read, grouped, chosen, file_hash, since) if record else []
    report = CorrelationReport(
        file=name or str(path),
        observations=correlation.observations,
        indicators=len(read.indicators),
        hits=grouped,
        skipped=sorted([*unread, *correlation.skipped]),
        unrecorded=unrecorded,
    )
    if record:
        report.run = _keep(workspace, actor, report, read, chosen, file_hash, since)
    delivered(
        workspace,
        actor,
        SHOWN,
        records=[entry.indicator for entry in grouped][:AUDITED_IDS],
        detail={
            "service": "cti.correlate",
            "file": report.file,
            "observations": report.observations,
            "indicators": report.indicators,
            "hit": len(grouped),
            "sightings": [entry.sighting for entry in grouped if entry.sighting][:AUDITED_IDS],
            "run": report.run,
            "assets": sorted({f"{a.kind}:{a.id}" for e in grouped for f in e.assets.values() for a in f})[:AUDITED_IDS],
        },
    )
    return report
