"""The threat-intelligence pages (issue 16, docs/cti.md): the collections the reader may see and their sharing
groups; one collection's objects (filtered by type, paged the TAXII way) with, for those who may add to it, a form to
upload a STIX bundle; one object's main properties, versions and relationships.

Everything goes through protect/cti's services, so the pages show what TAXII, the API and the command line show to
the same user, and every read is audited there. A hidden collection or object is NotFound, the same 404 page as a
missing one.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Annotated, Any
from urllib.parse import quote, urlencode

from fastapi import APIRouter, Query, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from starlette.concurrency import run_in_threadpool
from starlette.datastructures import UploadFile

from kizashi.errors import InputError, KizashiError, NotFound
from kizashi.files.limits import Limits, over
from kizashi.ingest.stix import read_stix_bytes
from kizashi.messages import Message
from kizashi.policy import Actor, allowed
from kizashi.policy.labels import PUBLIC, Label
from kizashi.protect.cti.groups import CollectionView, compartment, get_collection, list_collections
from kizashi.protect.cti.store import MAX_LIMIT, Entry, Filters, add_objects, get_objects, get_status, get_versions
from kizashi.web.context import workspace
from kizashi.web.deps import ActorDep, checked_form
from kizashi.web.render import render

router = APIRouter(include_in_schema=False)
PAGE_SIZE = 50
UPLOAD_SUFFIXES = (".json",)
# The types offered in the filter (any other is still taken from the query): what ATT&CK, KEV and partners' bundles
# mostly hold.
TYPES = (
    "indicator",
    "malware",
    "threat-actor",
    "intrusion-set",
    "attack-pattern",
    "campaign",
    "tool",
    "vulnerability",
    "report",
    "sighting",
    "relationship",
    "identity",
    "course-of-action",
    "x-mitre-tactic",
)
# How many relationships, sightings and reports of a collection an object page reads to find what points to the
# object: the store has no index by reference yet (see the report of issue 16), so this bounds the page's work.
MAX_SCANNED = 5 * MAX_LIMIT
SCANNED_TYPES = ("relationship", "sighting", "report")
# Properties of an object that are references but not relationships a reader follows.
NOT_FOLLOWED = frozenset({"object_marking_refs"})


def _label(collections: list[CollectionView], tlps: list[str | None]) -> Label:
    """The page's label: the collections' levels and sharing groups, the strictest TLP shown (the banner)."""
    parts = [Label(found.level, frozenset({compartment(found.group)})) for found in collections]
    return Label.highest([*parts, *(Label(PUBLIC, frozenset(), tlp) for tlp in tlps if tlp)])


def _readable(request: Request, actor: Actor) -> list[CollectionView]:
    return [found for found in list_collections(workspace(request), actor) if found.can_read]


@router.get("/cti", response_class=HTMLResponse)
def cti_index(request: Request, actor: ActorDep) -> Response:
    collections = list_collections(workspace(request), actor)
    groups: dict[str, int] = {}
    for found in collections:
        groups[found.group] = groups.get(found.group, 0) + 1
    return render(
        request,
        "cti_index.html.j2",
        collections=collections,
        groups=sorted(groups.items()) if allowed(actor, "cti.administer") else None,
    )


@router.get("/cti/collections/{ident}", response_class=HTMLResponse)
def cti_collection(
    request: Request,
    actor: ActorDep,
    ident: str,
    kind: Annotated[str, Query(alias="type", max_length=250)] = "",
    after: Annotated[str, Query(alias="next", max_length=500)] = "",
) -> Response:
    return _collection_page(request, actor, ident, kind.strip(), after.strip())


def _collection_page(
    request: Request,
    actor: Actor,
    ident: str,
    kind: str,
    after: str,
    *,
    error: KizashiError | None = None,
    added: dict[str, int] | None = None,
) -> Response:
    ws = workspace(request)
    collection = get_collection(ws, actor, ident)
    entries: list[Entry] = []
    more_token: str | None = None
    if collection.can_read:
        filters = Filters(types=(kind,) if kind else (), limit=PAGE_SIZE, next=after or None)
        page = get_objects(ws, actor, collection.id, filters)
        entries, more_token = page.entries, page.next
    rows = [_row(entry) for entry in entries]
    base = {"type": kind} if kind else {}
    return render(
        request,
        "cti_collection.html.j2",
        status=error.status if error else 200,
        collection=collection,
        rows=rows,
        kind=kind,
        types=TYPES,
        next_url=f"/cti/collections/{quote(collection.id)}?" + urlencode({**base, "next": more_token})
        if more_token
        else None,
        first_url=f"/cti/collections/{quote(collection.id)}?" + urlencode(base) if after else None,
        suffixes=UPLOAD_SUFFIXES,
        error=error,
        added=added,
        page_label=_label([collection], [row.tlp for row in rows]) if rows else None,
    )


@dataclass(frozen=True)
class Row:
    """One object as a list shows it."""

    stix_id: str
    type: str
    name: str
    tlp: str | None
    modified: str
    date_added: str


def _name(stix: dict[str, Any]) -> str:
    """What a reader calls the object: its name, else a relationship's type, else nothing (the id is shown)."""
    for key in ("name", "relationship_type", "value", "pattern"):
        value = stix.get(key)
        if isinstance(value, str) and value:
            return value[:300]
    return ""


def _row(entry: Entry) -> Row:
    stix = entry.stix()
    return Row(
        stix_id=entry.stix_id,
        type=entry.type,
        name=_name(stix),
        tlp=entry.tlp,
        modified=str(stix.get("modified") or entry.version),
        date_added=entry.date_added,
    )


@router.post("/cti/collections/{ident}/objects", response_class=HTMLResponse)
async def cti_upload(request: Request, ident: str) -> Response:
    """Add a STIX bundle to the collection, as `kizashi cti ingest` does (the same service: those who may add to it,
    one transaction, audited)."""
    active, form = await checked_form(request)
    upload = form.get("file")
    try:
        wanted = Message("give a {suffixes} file", suffixes=", ".join(UPLOAD_SUFFIXES))
        if not isinstance(upload, UploadFile) or not upload.filename:
            raise InputError(wanted, field="file")
        shown = Path(str(upload.filename)).name
        if not shown.lower().endswith(UPLOAD_SUFFIXES):
            raise InputError(wanted, file=shown, field="file")
        limits = Limits.current()
        content = await upload.read(limits.upload_bytes + 1)
        if len(content) > limits.upload_bytes:
            raise over(limits, "upload_bytes", shown, Message("the file"), field="file")
    except InputError as error:
        return await run_in_threadpool(_collection_page, request, active, ident, "", "", error=error)
    # Parsing and validating thousands of objects is CPU work: in a worker thread, the event loop answers others.
    return await run_in_threadpool(_add, request, active, ident, shown, content)


def _add(request: Request, active: Actor, ident: str, shown: str, content: bytes) -> Response:
    ws = workspace(request)
    try:
        objects = read_stix_bytes(content, shown)
        status = add_objects(ws, active, ident, objects)
    except InputError as error:
        return _collection_page(request, active, ident, "", "", error=error)
    query = urlencode({"added": status.id})
    return RedirectResponse(f"/cti/collections/{quote(ident)}/added?{query}", status_code=303)


@router.get("/cti/collections/{ident}/added", response_class=HTMLResponse)
def cti_added(
    request: Request, actor: ActorDep, ident: str, added: Annotated[str, Query(max_length=100)] = ""
) -> Response:
    """The collection after an upload, saying what the add did (its TAXII status: the adder's own)."""
    status = get_status(workspace(request), actor, ident, added)
    unchanged = sum(1 for success in status.successes if success.get("message"))
    counts = {"added": status.success_count - unchanged, "unchanged": unchanged}
    return _collection_page(request, actor, ident, "", "", added=counts)


@router.get("/cti/objects/{stix_id}", response_class=HTMLResponse)
def cti_object(
    request: Request,
    actor: ActorDep,
    stix_id: str,
    collection: Annotated[str, Query(max_length=100)] = "",
) -> Response:
    readable = _readable(request, actor)
    chosen = [found for found in readable if collection in (found.id, found.name)] if collection else readable
    home, versions = _versions(request, actor, chosen, stix_id)
    stix = versions[-1].stix()
    # (relation, id): the object's own references and relationships from it; relationships to it and the
    # sightings and reports that name it.
    outgoing: list[tuple[str, str]] = _references(stix)
    incoming: list[tuple[str, str]] = []
    for found in readable:
        for entry in _scanned(request, actor, found.id):
            other = entry.stix()
            if entry.stix_id == stix_id:
                continue
            if other.get("type") == "relationship":
                kind = str(other.get("relationship_type") or "")
                if other.get("source_ref") == stix_id and isinstance(other.get("target_ref"), str):
                    outgoing.append((kind, other["target_ref"]))
                if other.get("target_ref") == stix_id and isinstance(other.get("source_ref"), str):
                    incoming.append((kind, other["source_ref"]))
            elif stix_id in [ref for _, ref in _references(other)]:
                incoming.append((entry.type, entry.stix_id))
    known = _objects_by_id(request, actor, readable, {ref for _, ref in outgoing + incoming})
    outgoing_shown, incoming_shown = _resolved(outgoing, known), _resolved(incoming, known)
    shown = [*outgoing_shown, *incoming_shown]
    holding = {item["collection"] for item in shown} | {home.id}
    return render(
        request,
        "cti_object.html.j2",
        collection=home,
        stix=stix,
        stix_id=stix_id,
        entry=versions[-1],
        name=_name(stix),
        versions=list(reversed(versions)),
        outgoing=outgoing_shown,
        incoming=incoming_shown,
        page_label=_label(
            [found for found in readable if found.id in holding],
            [entry.tlp for entry in versions] + [item["row"].tlp for item in shown],
        ),
        references=[ref for ref in stix.get("external_references") or [] if isinstance(ref, dict)],
        phases=[phase for phase in stix.get("kill_chain_phases") or [] if isinstance(phase, dict)],
    )


def _versions(
    request: Request, actor: Actor, collections: list[CollectionView], stix_id: str
) -> tuple[CollectionView, list[Entry]]:
    """The first readable collection holding the object, and every version of it there the reader may read."""
    for found in collections:
        try:
            every = get_versions(workspace(request), actor, found.id, stix_id, Filters(limit=MAX_LIMIT))
        except NotFound:
            continue
        return found, sorted(every.entries, key=lambda entry: (entry.version, entry.date_added))
    # The same answer whether the object is missing or hidden from the reader.
    raise NotFound(Message("no object you may read"))


def _references(stix: dict[str, Any]) -> list[tuple[str, str]]:
    """(property, id) of every reference the object makes (`*_ref`, `*_refs`), markings left out."""
    found: list[tuple[str, str]] = []
    for key, value in stix.items():
        if key in NOT_FOLLOWED:
            continue
        if key.endswith("_ref") and isinstance(value, str):
            found.append((key, value))
        elif key.endswith("_refs") and isinstance(value, list):
            found.extend((key, ref) for ref in value if isinstance(ref, str))
    return found


def _scanned(request: Request, actor: Actor, collection_id: str) -> list[Entry]:
    """The collection's relationships, sightings and reports the reader may read, up to MAX_SCANNED."""
    entries: list[Entry] = []
    after: str | None = None
    while len(entries) < MAX_SCANNED:
        filters = Filters(types=SCANNED_TYPES, limit=MAX_LIMIT, next=after)
        page = get_objects(workspace(request), actor, collection_id, filters)
        entries.extend(page.entries)
        if not page.more:
            break
        after = page.next
    return entries


def _objects_by_id(
    request: Request, actor: Actor, readable: list[CollectionView], ids: set[str]
) -> dict[str, tuple[str, Entry]]:
    """The readable objects among `ids` (id → collection id, last version); the others stay unnamed (hidden)."""
    found: dict[str, tuple[str, Entry]] = {}
    wanted = sorted(ids)
    if not wanted:
        return found
    for collection in readable:
        for start in range(0, len(wanted), 200):
            chunk = tuple(ref for ref in wanted[start : start + 200] if ref not in found)
            if not chunk:
                continue
            page = get_objects(workspace(request), actor, collection.id, Filters(ids=chunk, limit=MAX_LIMIT))
            for entry in page.entries:
                found.setdefault(entry.stix_id, (collection.id, entry))
    return found


def _resolved(pairs: list[tuple[str, str]], known: dict[str, tuple[str, Entry]]) -> list[dict[str, Any]]:
    """The readable ends of the references, each once per relation (hidden ones are left out, unnamed)."""
    shown: list[dict[str, Any]] = []
    seen: set[tuple[str, str]] = set()
    for relation, ref in pairs:
        if ref not in known or (relation, ref) in seen:
            continue
        seen.add((relation, ref))
        collection_id, entry = known[ref]
        shown.append({"relation": relation, "collection": collection_id, "row": _row(entry)})
    return shown
