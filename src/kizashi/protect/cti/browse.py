"""Browsing the threat-intelligence store across collections (docs/cti.md): one object wherever the reader may read
it, what points at it, and how many objects of each type a collection holds.

TAXII reads one collection at a time (protect/cti/store.py); a person looking at an object wants it from every
collection they may read, with its neighbours, in one read. Each service here reads through the access policy
(`select_readable`, and the collection's read roles) and writes one audit event, however many collections it reads.
An object the reader may not read answers exactly like one that does not exist.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import distinct, func
from sqlalchemy.orm import Session

from kizashi.errors import NotFound
from kizashi.messages import Message
from kizashi.model import Collection, StixObject
from kizashi.policy import Actor
from kizashi.protect.cti.groups import CollectionView, open_collection, view
from kizashi.protect.cti.query import Entry, timestamp
from kizashi.store.readable import select_readable
from kizashi.store.service import SHOWN, delivered, service
from kizashi.store.workspace import Workspace

AUDITED_IDS = 1000  # ids named in one audit event (as protect/cti/store.py)
MAX_POINTING = 1000  # objects pointing at one object that one read returns: the store has no index by reference
_CHUNK = 500  # ids per IN (...) list
NOT_FOLLOWED = frozenset({"object_marking_refs"})  # references that are markings, not neighbours


@dataclass(frozen=True)
class Found:
    """An object's latest version the reader may read, the collection it is in, and its readable versions there
    (oldest first); `collections` are every readable collection holding a version of it."""

    collection: CollectionView
    entry: Entry
    versions: tuple[Entry, ...]
    collections: tuple[str, ...]

    def stix(self) -> dict[str, Any]:
        return self.entry.stix()


@dataclass(frozen=True)
class Link:
    """A readable object next to another: `relation` is the property that names it (`source_ref`, `object_refs`,
    `sighting_of_ref`…) or a relationship's type, `collection` the id of the collection it is read from."""

    relation: str
    collection: str
    entry: Entry


@dataclass(frozen=True)
class ObjectView:
    """An object with its neighbours: what it points at (its references and relationships from it) and what points
    at it (relationships to it, sightings, reports, any other reference), readable ones only."""

    found: Found
    outgoing: tuple[Link, ...]
    incoming: tuple[Link, ...]
    collections: tuple[CollectionView, ...]  # those the object and its neighbours shown are read from (the label)


@dataclass(frozen=True)
class CollectionCounts:
    """A collection as its reader sees it, and how many objects of each type they may read in it (each object once,
    whatever its versions; empty where the reader's roles do not let them read its objects)."""

    collection: CollectionView
    counts: dict[str, int] = field(default_factory=dict)

    @property
    def total(self) -> int:
        return sum(self.counts.values())


def references(stix: Mapping[str, Any]) -> list[tuple[str, str]]:
    """(property, id) of every reference an object makes (`*_ref`, `*_refs`), markings left out."""
    found: list[tuple[str, str]] = []
    for key, value in stix.items():
        if key in NOT_FOLLOWED:
            continue
        if key.endswith("_ref") and isinstance(value, str):
            found.append((key, value))
        elif key.endswith("_refs") and isinstance(value, list):
            found.extend((key, ref) for ref in value if isinstance(ref, str))
    return found


def _entry(row: Mapping[str, Any]) -> Entry:
    return Entry(
        stix_id=row["stix_id"],
        type=row["type"],
        version=timestamp(row["version"]),
        date_added=timestamp(row["date_added"]),
        spec_version=row["spec_version"],
        tlp=row["tlp"],
        body=row["body"],
    )


def _collections(session: Session, workspace: Workspace, actor: Actor) -> list[CollectionView]:
    """The collections the actor may list (their groups'), as they see them."""
    table = Collection.__table__
    statement = select_readable(actor.clearance, workspace.backend, table).order_by(table.c.name)
    held = actor.roles if actor.managed else None
    return [view(dict(row), held) for row in session.execute(statement).mappings()]


def _readable(session: Session, workspace: Workspace, actor: Actor) -> dict[str, CollectionView]:
    """The collections whose objects the actor may read (listed, and their roles let them), by id."""
    return {found.id: found for found in _collections(session, workspace, actor) if found.can_read}


def _rows(
    session: Session, workspace: Workspace, actor: Actor, collections: Iterable[str], ids: Iterable[str]
) -> list[dict[str, Any]]:
    """Every readable version of the objects `ids` in `collections`."""
    table = StixObject.__table__
    wanted, within = sorted(set(ids)), sorted(set(collections))
    rows: list[dict[str, Any]] = []
    if not within:
        return rows
    for start in range(0, len(wanted), _CHUNK):
        statement = select_readable(actor.clearance, workspace.backend, table).where(
            table.c.collection_id.in_(within), table.c.stix_id.in_(wanted[start : start + _CHUNK])
        )
        rows.extend(dict(row) for row in session.execute(statement).mappings())
    return rows


def _order(row: Mapping[str, Any]) -> tuple[Any, ...]:
    """Versions in the order TAXII ranks them (version, then the row), the later added first among equals."""
    return (timestamp(row["version"]), timestamp(row["date_added"]), row["id"])


def _latest(
    session: Session, workspace: Workspace, actor: Actor, collections: Iterable[str], ids: Iterable[str]
) -> dict[str, tuple[str, Entry]]:
    """Each object's latest readable version among `collections` (id → collection id, entry); hidden ones absent."""
    best: dict[str, dict[str, Any]] = {}
    for row in _rows(session, workspace, actor, collections, ids):
        kept = best.get(row["stix_id"])
        if kept is None or _order(row) > _order(kept):
            best[row["stix_id"]] = row
    return {stix_id: (row["collection_id"], _entry(row)) for stix_id, row in best.items()}


def _find(
    session: Session, workspace: Workspace, actor: Actor, stix_id: str, collection: str | None
) -> tuple[Found, dict[str, CollectionView]]:
    readable = _readable(session, workspace, actor)
    if collection:
        readable_here = {key: found for key, found in readable.items() if collection in (found.id, found.name)}
    else:
        readable_here = readable
    rows = _rows(session, workspace, actor, readable_here, [stix_id])
    if not rows:
        # The same answer whether the object is missing, hidden, or in a collection the reader may not read.
        raise NotFound(Message("no object you may read"))
    rows.sort(key=_order)
    home = rows[-1]["collection_id"]
    found = Found(
        collection=readable[home],
        entry=_entry(rows[-1]),
        versions=tuple(_entry(row) for row in rows if row["collection_id"] == home),
        collections=tuple(sorted({row["collection_id"] for row in rows})),
    )
    return found, readable


def _like(stix_id: str) -> str:
    """A LIKE pattern for the id as a JSON string anywhere in an object's body."""
    escaped = stix_id.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f'%"{escaped}"%'


def _pointing(
    session: Session, workspace: Workspace, actor: Actor, collections: Iterable[str], stix_id: str
) -> list[Link]:
    """The readable objects whose latest readable version names `stix_id` in a reference (each property once)."""
    table = StixObject.__table__
    within = sorted(set(collections))
    if not within:
        return []
    candidates = (
        select_readable(actor.clearance, workspace.backend, table, columns=[table.c.stix_id])
        .where(
            table.c.collection_id.in_(within),
            table.c.stix_id != stix_id,
            table.c.body.like(_like(stix_id), escape="\\"),
        )
        .distinct()
        .order_by(table.c.stix_id)
        .limit(MAX_POINTING)
    )
    ids = list(session.scalars(candidates))
    links: list[Link] = []
    for _id, (collection_id, entry) in sorted(_latest(session, workspace, actor, within, ids).items()):
        # The latest version decides: an older one that named the object and was since changed does not.
        for relation in dict.fromkeys(key for key, ref in references(entry.stix()) if ref == stix_id):
            links.append(Link(relation, collection_id, entry))
    return links


def _audit_ids(stix_id: str, links: Iterable[Link]) -> list[str]:
    return [stix_id, *sorted({link.entry.stix_id for link in links} - {stix_id})][:AUDITED_IDS]


@service("cti.find_object")
def find_object(workspace: Workspace, actor: Actor, stix_id: str, *, collection: str | None = None) -> Found:
    """The latest version of `stix_id` the actor may read in any collection they may read (or only in
    `collection`), with its readable versions there; NotFound when there is none, hidden or missing alike."""
    with workspace.session() as session:
        found, _ = _find(session, workspace, actor, stix_id, collection)
    delivered(
        workspace,
        actor,
        SHOWN,
        records=[stix_id],
        detail={"service": "cti.find_object", "collection": found.collection.id, "versions": len(found.versions)},
    )
    return found


@service("cti.pointing_at")
def objects_pointing_at(workspace: Workspace, actor: Actor, stix_id: str) -> list[Link]:
    """The readable objects (their latest readable version) that name `stix_id` in a reference: relationships'
    source_ref or target_ref, sightings' sighting_of_ref, reports' object_refs, any `*_ref` / `*_refs`. The object
    itself need not be readable: what is listed is what the reader may read anyway."""
    with workspace.session() as session:
        links = _pointing(session, workspace, actor, _readable(session, workspace, actor), stix_id)
    delivered(
        workspace,
        actor,
        SHOWN,
        records=_audit_ids(stix_id, links)[1:],
        detail={"service": "cti.pointing_at", "id": stix_id, "objects": len(links)},
    )
    return links


@service("cti.object_view")
def object_view(workspace: Workspace, actor: Actor, stix_id: str, *, collection: str | None = None) -> ObjectView:
    """An object (as `find_object`) with what it points at and what points at it, readable ones only, in one read
    (the object's page). A relationship shows its other end under its type; anything else pointing at the object
    shows itself under the property that names it."""
    with workspace.session() as session:
        found, readable = _find(session, workspace, actor, stix_id, collection)
        pointing = _pointing(session, workspace, actor, readable, stix_id)
        outgoing: list[tuple[str, str]] = references(found.stix())
        incoming: list[tuple[str, str]] = []
        direct: list[Link] = []
        for link in pointing:
            other = link.entry.stix()
            if link.entry.type == "relationship" and link.relation in ("source_ref", "target_ref"):
                kind = str(other.get("relationship_type") or "")
                end = other.get("target_ref" if link.relation == "source_ref" else "source_ref")
                if isinstance(end, str):
                    (outgoing if link.relation == "source_ref" else incoming).append((kind, end))
            else:
                direct.append(link)
        ends = _latest(session, workspace, actor, readable, {ref for _, ref in outgoing + incoming})
    shown_out = _resolved(outgoing, ends)
    shown_in = _resolved(incoming, ends) + _unique(direct)
    delivered(
        workspace,
        actor,
        SHOWN,
        records=_audit_ids(stix_id, shown_out + shown_in),
        detail={
            "service": "cti.object_view",
            "collection": found.collection.id,
            "versions": len(found.versions),
            "neighbours": len(shown_out) + len(shown_in),
        },
    )
    holding = {found.collection.id} | {link.collection for link in shown_out + shown_in}
    return ObjectView(
        found, tuple(shown_out), tuple(shown_in), tuple(readable[key] for key in sorted(holding) if key in readable)
    )


def _resolved(pairs: Sequence[tuple[str, str]], ends: Mapping[str, tuple[str, Entry]]) -> list[Link]:
    """The readable ends of the references, each once per relation; hidden ones are left out, unnamed."""
    shown: list[Link] = []
    seen: set[tuple[str, str]] = set()
    for relation, ref in pairs:
        if ref not in ends or (relation, ref) in seen:
            continue
        seen.add((relation, ref))
        collection_id, entry = ends[ref]
        shown.append(Link(relation, collection_id, entry))
    return shown


def _unique(links: Iterable[Link]) -> list[Link]:
    seen: set[tuple[str, str]] = set()
    kept: list[Link] = []
    for link in links:
        if (link.relation, link.entry.stix_id) not in seen:
            seen.add((link.relation, link.entry.stix_id))
            kept.append(link)
    return kept


@service("cti.counts")
def counts_by_type(workspace: Workspace, actor: Actor, collection: str | None = None) -> list[CollectionCounts]:
    """Every collection the actor may list (or only `collection`), with how many objects of each type they may read
    in it; one read event."""
    table = StixObject.__table__
    with workspace.session() as session:
        if collection is None:
            listed = _collections(session, workspace, actor)
        else:
            held = actor.roles if actor.managed else None
            listed = [open_collection(session, workspace.backend, actor.clearance, held, collection)]
        counts: dict[str, dict[str, int]] = {found.id: {} for found in listed}
        ids = [found.id for found in listed if found.can_read]
        if ids:
            statement = (
                select_readable(
                    actor.clearance,
                    workspace.backend,
                    table,
                    columns=[table.c.collection_id, table.c.type, func.count(distinct(table.c.stix_id))],
                )
                .where(table.c.collection_id.in_(ids))
                .group_by(table.c.collection_id, table.c.type)
            )
            for collection_id, kind, number in session.execute(statement):
                counts[collection_id][kind] = int(number)
    found = [CollectionCounts(item, dict(sorted(counts[item.id].items()))) for item in listed]
    delivered(
        workspace,
        actor,
        SHOWN,
        detail={"service": "cti.counts", "collections": [item.collection.id for item in found]},
    )
    return found
