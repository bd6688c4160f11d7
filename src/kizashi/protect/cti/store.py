"""The threat-intelligence store's objects: add (one transaction with its status), get with the TAXII 2.1 filters
and paging, manifest, versions, delete, status. Every read goes through the access policy; every service audits.

The TAXII layer (web) calls these as they are: `Filters` holds the query parameters, a `Page` the envelope and the
X-TAXII-Date-Added-First/Last values, `next` is opaque (the last row's date_added and id, base64). A hidden collection
or object answers exactly like a missing one (NotFound).
"""

from __future__ import annotations

import hashlib
import re
import uuid
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

import orjson
from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from kizashi.errors import InputError, NotFound
from kizashi.messages import Message
from kizashi.model import AddStatus, Import, StixObject, User
from kizashi.policy import Actor, Clearance
from kizashi.protect.cti.groups import CollectionView, member_organisations, open_collection
from kizashi.protect.cti.query import (
    DEFAULT_LIMIT,
    MAX_LIMIT,
    MEDIA_TYPE,
    NO_FILTERS,
    VERSION_WORDS,
    Entry,
    Filters,
    Page,
    page_of,
    parse_timestamp,
    ranked,
    timestamp,
    utc,
    versions_where,
)
from kizashi.protect.cti.tlp import MarkingError, Sharing, label_columns_for, object_tlp
from kizashi.store import audit
from kizashi.store.readable import select_readable, select_trusted
from kizashi.store.service import SHOWN, Delivery, delivered, service
from kizashi.store.workspace import Workspace

__all__ = [  # the TAXII layer and the command line import the query's parts from here too
    "DEFAULT_LIMIT",
    "MAX_LIMIT",
    "MEDIA_TYPE",
    "Entry",
    "Filters",
    "Page",
    "Status",
    "add_objects",
    "delete_object",
    "get_manifest",
    "get_object",
    "get_objects",
    "get_status",
    "get_versions",
    "parse_timestamp",
    "timestamp",
]
AUDITED_IDS = 1000  # ids named in one audit event; the count says how many more
_STIX_ID = re.compile(r"([a-z0-9][a-z0-9-]{0,248}[a-z0-9]|[a-z0-9])--[0-9a-fA-F-]{36}")


# ── adding ──────────────────────────────────────────────────────────────────────────────────────────────────────


@dataclass(frozen=True)
class Status:
    """A TAXII status resource."""

    id: str
    collection: str
    status: str
    request_timestamp: str
    total_count: int
    success_count: int
    failure_count: int
    pending_count: int
    successes: list[dict[str, Any]] = field(default_factory=list)
    failures: list[dict[str, Any]] = field(default_factory=list)
    pendings: list[dict[str, Any]] = field(default_factory=list)

    def as_taxii(self) -> dict[str, Any]:
        """The status resource as TAXII 2.1 serves it."""
        resource: dict[str, Any] = {
            "id": self.id,
            "status": self.status,
            "request_timestamp": self.request_timestamp,
            "total_count": self.total_count,
            "success_count": self.success_count,
            "failure_count": self.failure_count,
            "pending_count": self.pending_count,
        }
        for name in ("successes", "failures", "pendings"):
            if getattr(self, name):
                resource[name] = getattr(self, name)
        return resource


@dataclass
class _Checked:
    stix: Mapping[str, Any]
    stix_id: str
    type: str
    spec_version: str
    created: datetime | None
    modified: datetime | None
    body: str
    content_hash: str


def _roles(actor: Actor) -> frozenset[str] | None:
    """The roles a collection's read and write roles are checked against; None: an unmanaged workspace's operator."""
    return actor.roles if actor.managed else None


def _refused(stix_id: str, reason: str) -> InputError:
    return InputError(Message("object {id}: {reason}", id=stix_id, reason=reason), field=stix_id)


def _check(stix: object, number: int) -> _Checked:
    """The fields the store keeps of one object (B2's readers validated the rest; a TAXII add may not have been)."""
    if not isinstance(stix, Mapping):
        raise InputError(Message("object {number} is not a JSON object", number=number))
    stix_id = stix.get("id")
    if not isinstance(stix_id, str) or not _STIX_ID.fullmatch(stix_id):
        raise InputError(Message("object {number}: no valid STIX id ({id})", number=number, id=repr(stix_id)[:200]))
    kind = stix.get("type")
    if not isinstance(kind, str) or not stix_id.startswith(f"{kind}--"):
        raise _refused(stix_id, Message("its type does not match its id"))
    spec_version = stix.get("spec_version", "2.1")  # optional on cyber observables
    if spec_version != "2.1":
        raise _refused(stix_id, Message("spec_version must be 2.1, not {value}", value=repr(spec_version)[:40]))
    try:
        created = parse_timestamp(stix["created"], "created") if "created" in stix else None
        modified = parse_timestamp(stix["modified"], "modified") if "modified" in stix else None
    except InputError as error:
        raise _refused(stix_id, error.reason) from None
    body = orjson.dumps(stix).decode()
    digest = hashlib.sha256(orjson.dumps(stix, option=orjson.OPT_SORT_KEYS)).hexdigest()
    return _Checked(stix, stix_id, kind, spec_version, created, modified, body, digest)


def _known_markings(
    session: Session, workspace: Workspace, clearance: Clearance, checked: Sequence[_Checked]
) -> set[str]:
    """Marking-definitions an add may reference: those in it, and those stored that the actor may read."""
    known = {item.stix_id for item in checked if item.type == "marking-definition"}
    wanted = {ref for item in checked for ref in (item.stix.get("object_marking_refs") or []) if isinstance(ref, str)}
    wanted -= known
    if wanted:
        table = StixObject.__table__
        statement = select_readable(clearance, workspace.backend, table, columns=[table.c.stix_id]).where(
            table.c.type == "marking-definition", table.c.stix_id.in_(sorted(wanted))
        )
        known.update(session.scalars(statement))
    return known


@service("cti.add")
def add_objects(
    workspace: Workspace,
    actor: Actor,
    collection: str,
    objects: Sequence[Mapping[str, Any]],
    *,
    files: Sequence[str] = (),
) -> Status:
    """Add `objects` (STIX 2.1 dicts) to `collection` in one transaction with their status: all or nothing, a bad
    object refused naming its id and why. An identical object already there is no new version (a success saying so).
    With `files` (a command-line ingest) the add is also an import naming them."""
    moment = datetime.now(UTC)
    checked = [_check(stix, number) for number, stix in enumerate(objects, start=1)]
    status_id = str(uuid.uuid4())
    with workspace.session() as session:
        target = open_collection(session, workspace.backend, actor.clearance, _roles(actor), collection, write=True)
        known = _known_markings(session, workspace, actor.clearance, checked)
        user = session.get(User, actor.user)
        sharing = Sharing(
            actor.user, user.organisation if user else actor.organisation, member_organisations(session, target.group)
        )
        rows, successes = _new_rows(session, target, checked, known, sharing, moment, status_id)
        import_id = None
        if files:
            counts = {"added": len(rows), "unchanged": len(checked) - len(rows)}
            record = Import(kind="stix", files=list(files), counts=counts, user=actor.user)
            session.add(record)
            session.flush()
            import_id = record.id
        for row in rows:
            row.import_id = import_id
        session.add_all(rows)
        status = AddStatus(
            id=status_id,
            collection_id=target.id,
            status="complete",
            request_timestamp=moment,
            total_count=len(checked),
            success_count=len(successes),
            failure_count=0,
            pending_count=0,
            successes=successes,
            failures=[],
            pendings=[],
            created_by=actor.user,
        )
        session.add(status)
    ids = [item.stix_id for item in checked]
    audit.record(
        workspace,
        actor,
        "cti_add",
        records=ids[:AUDITED_IDS],
        detail={
            "collection": target.id,
            "status": status_id,
            "objects": len(ids),
            "added": len(rows),
            "import_id": import_id,
            **({"files": list(files)} if files else {}),
        },
    )
    return _status(status)


def _new_rows(
    session: Session,
    target: CollectionView,
    checked: Sequence[_Checked],
    known: set[str],
    sharing: Sharing,
    moment: datetime,
    status_id: str,
) -> tuple[list[StixObject], list[dict[str, Any]]]:
    """The rows to insert and the status's successes; InputError on the first bad object."""
    table = StixObject.__table__
    stored: dict[tuple[str, datetime], str] = {}
    present: set[tuple[str, str]] = set()
    ids = sorted({item.stix_id for item in checked})
    for start in range(0, len(ids), 500):
        # Bookkeeping: a version is stored once whoever may read it (a unique key cannot see labels).
        existing = select_trusted(
            table.c.stix_id, table.c.version, table.c.content_hash, why="an add skips versions already stored"
        ).where(table.c.collection_id == target.id, table.c.stix_id.in_(ids[start : start + 500]))
        for stix_id, version, digest in session.execute(existing):
            stored[(stix_id, utc(version))] = digest
            present.add((stix_id, digest))
    rows: list[StixObject] = []
    successes: list[dict[str, Any]] = []
    for item in checked:
        try:
            tlp = object_tlp(item.stix, known) or target.default_tlp
            label = label_columns_for(item.stix, tlp, target.level, [f"group:{target.group}"], sharing)
        except MarkingError as error:
            raise _refused(item.stix_id, error.reason) from None
        version = item.modified or item.created or moment
        if (item.stix_id, item.content_hash) in present:
            successes.append({"id": item.stix_id, "version": timestamp(version), "message": "already stored"})
            continue
        if (item.stix_id, version) in stored:
            raise _refused(
                item.stix_id,
                Message("a different object with this id and version {version} is stored", version=timestamp(version)),
            )
        stored[(item.stix_id, version)] = item.content_hash
        present.add((item.stix_id, item.content_hash))
        rows.append(
            StixObject(
                collection_id=target.id,
                stix_id=item.stix_id,
                type=item.type,
                spec_version=item.spec_version,
                created=item.created,
                modified=item.modified,
                version=version,
                date_added=moment,
                body=item.body,
                content_hash=item.content_hash,
                added_by=sharing.adder,
                status_id=status_id,
                **label,
            )
        )
        successes.append({"id": item.stix_id, "version": timestamp(version)})
    return rows, successes


def _status(row: AddStatus) -> Status:
    return Status(
        id=row.id,
        collection=row.collection_id,
        status=row.status,
        request_timestamp=timestamp(row.request_timestamp),
        total_count=row.total_count,
        success_count=row.success_count,
        failure_count=row.failure_count,
        pending_count=row.pending_count,
        successes=list(row.successes),
        failures=list(row.failures),
        pendings=list(row.pendings),
    )


@service("cti.status")
def get_status(workspace: Workspace, actor: Actor, collection: str, status_id: str) -> Status:
    """The status of an add, for the one who made it (anyone else: NotFound, like a status that does not exist)."""
    with workspace.session() as session:
        target = open_collection(session, workspace.backend, actor.clearance, _roles(actor), collection)
        row = session.get(AddStatus, status_id)
        if row is None or row.collection_id != target.id or (actor.managed and row.created_by != actor.user):
            raise NotFound(Message("no status '{status}'", status=status_id))
        found = _status(row)
    delivered(workspace, actor, SHOWN, detail={"service": "cti.status", "status": status_id})
    return found


def _read(
    workspace: Workspace,
    actor: Actor,
    collection: str,
    filters: Filters,
    service_name: str,
    delivery: Delivery,
    object_id: str | None = None,
) -> Page:
    with workspace.session() as session:
        target = open_collection(session, workspace.backend, actor.clearance, _roles(actor), collection)
        page = page_of(session, actor.clearance, workspace.backend, target.id, filters)
    if object_id is not None and not page.entries and filters.next is None:
        raise NotFound(Message("no object '{id}' in collection '{collection}'", id=object_id, collection=collection))
    delivered(
        workspace,
        actor,
        delivery,
        records=sorted({entry.stix_id for entry in page.entries})[:AUDITED_IDS],
        detail={"service": service_name, "collection": page.collection, "objects": len(page.entries)},
    )
    return page


@service("cti.objects")
def get_objects(
    workspace: Workspace,
    actor: Actor,
    collection: str,
    filters: Filters = NO_FILTERS,
    *,
    delivery: Delivery = SHOWN,
) -> Page:
    """The objects of `collection` that `actor` may read, filtered and paged the TAXII way; audited."""
    return _read(workspace, actor, collection, filters, "cti.objects", delivery)


@service("cti.object")
def get_object(
    workspace: Workspace, actor: Actor, collection: str, object_id: str, filters: Filters = NO_FILTERS
) -> Page:
    """The versions of one object (by default its last) that `actor` may read; NotFound when none, hidden or not."""
    filters = Filters(
        filters.added_after, (object_id,), (), filters.versions, filters.spec_versions, filters.limit, filters.next
    )
    return _read(workspace, actor, collection, filters, "cti.object", SHOWN, object_id)


@service("cti.manifest")
def get_manifest(workspace: Workspace, actor: Actor, collection: str, filters: Filters = NO_FILTERS) -> Page:
    """The manifest of the objects (`Entry.manifest` of each on the page); audited like a read of them."""
    return _read(workspace, actor, collection, filters, "cti.manifest", SHOWN)


@service("cti.versions")
def get_versions(
    workspace: Workspace, actor: Actor, collection: str, object_id: str, filters: Filters = NO_FILTERS
) -> Page:
    """Every version of one object that `actor` may read, oldest added first (NotFound when none)."""
    filters = Filters(
        filters.added_after, (object_id,), (), ("all",), filters.spec_versions, filters.limit, filters.next
    )
    return _read(workspace, actor, collection, filters, "cti.versions", SHOWN, object_id)


@service("cti.delete")
def delete_object(
    workspace: Workspace, actor: Actor, collection: str, object_id: str, versions: Sequence[str] = ("all",)
) -> int:
    """Delete the versions of one object (all, first, last or timestamps) that `actor` may read, in a collection they
    may add to; how many. NotFound when none matches, hidden or not."""
    versions = tuple(versions) or ("all",)
    for value in versions:
        if value not in VERSION_WORDS:
            parse_timestamp(value, "match[version]")
    table = StixObject.__table__
    with workspace.session() as session:
        target = open_collection(session, workspace.backend, actor.clearance, _roles(actor), collection, write=True)
        chosen = ranked(actor.clearance, workspace.backend, target.id, [table.c.id, table.c.version])
        ranked_rows = chosen.where(table.c.stix_id == object_id).subquery()
        doomed = list(
            session.execute(versions_where(select(ranked_rows.c.id, ranked_rows.c.version), ranked_rows, versions))
        )
        if not doomed:
            raise NotFound(
                Message("no object '{id}' in collection '{collection}'", id=object_id, collection=collection)
            )
        session.execute(delete(StixObject).where(StixObject.id.in_([row for row, _ in doomed])))
    audit.record(
        workspace,
        actor,
        "cti_delete",
        records=[object_id],
        detail={"collection": target.id, "versions": sorted(timestamp(version) for _, version in doomed)},
    )
    return len(doomed)
