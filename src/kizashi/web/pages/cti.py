"""The threat-intelligence pages (issue 16, docs/cti.md): the collections the reader may see, with how many objects
of each type they may read, and their sharing groups; one collection's objects (filtered by type, paged the TAXII way)
with, for those who may add to it, a form to upload a STIX bundle; one object's main properties, versions and
relationships, across every collection the reader may read. For officers and admins (cti.administer): the sharing
groups with their members, a new group, adding and removing members, a new collection (forms with the CSRF token).

Everything goes through protect/cti's services, so the pages show what TAXII, the API and the command line show to
the same user, and every read is audited there. A hidden collection or object is NotFound, the same 404 page as a
missing one.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Annotated, Any
from urllib.parse import quote, urlencode

from fastapi import APIRouter, Query, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from starlette.concurrency import run_in_threadpool

from kizashi.errors import InputError, KizashiError
from kizashi.ingest.stix import read_stix_bytes
from kizashi.messages import Message
from kizashi.policy import Actor, allowed
from kizashi.policy.labels import LEVELS, PUBLIC, TLP, Label
from kizashi.policy.permissions import ROLES
from kizashi.protect.cti.browse import Link, counts_by_type, object_view
from kizashi.protect.cti.groups import (
    DEFAULT_TLP,
    CollectionView,
    add_collection,
    add_group,
    compartment,
    get_collection,
    get_group,
    list_groups,
    remove_member,
)
from kizashi.protect.cti.store import Entry, Filters, add_objects, get_objects, get_status
from kizashi.web.context import workspace
from kizashi.web.deps import ActorDep, checked_form
from kizashi.web.render import render
from kizashi.web.uploads import uploaded_file

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


def _label(collections: list[CollectionView], tlps: list[str | None]) -> Label:
    """The page's label: the collections' levels and sharing groups, the strictest TLP shown (the banner)."""
    parts = [Label(found.level, frozenset({compartment(found.group)})) for found in collections]
    return Label.highest([*parts, *(Label(PUBLIC, frozenset(), tlp) for tlp in tlps if tlp)])


@router.get("/cti", response_class=HTMLResponse)
def cti_index(request: Request, actor: ActorDep) -> Response:
    counted = counts_by_type(workspace(request), actor)
    groups: dict[str, int] = {}
    for item in counted:
        groups[item.collection.group] = groups.get(item.collection.group, 0) + 1
    administers = allowed(actor, "cti.administer")
    return render(
        request,
        "cti_index.html.j2",
        collections=[item.collection for item in counted],
        counts={item.collection.id: item.counts for item in counted},
        groups=sorted(groups.items()) if administers else None,
        administers=administers,
    )


# ── administering sharing groups and collections (cti.administer: officers and admins) ───────────────────────────
# Registered before /cti/collections/{ident}: "new" is a form here, never a collection's name.


def _names(text: str) -> list[str]:
    """User names from a text field: separated by commas (either width), spaces or lines."""
    return [name for name in re.split(r"[\s,、，]+", text) if name]


@router.get("/cti/groups", response_class=HTMLResponse)
def cti_groups(request: Request, actor: ActorDep) -> Response:
    return render(
        request,
        "cti_groups.html.j2",
        groups=list_groups(workspace(request), actor),
        administers=allowed(actor, "cti.administer"),
    )


@router.get("/cti/groups/new", response_class=HTMLResponse)
def cti_group_new(request: Request, actor: ActorDep) -> Response:
    return _group_form(request, actor)


def _group_form(
    request: Request, actor: Actor, *, error: KizashiError | None = None, values: dict[str, str] | None = None
) -> Response:
    groups = list_groups(workspace(request), actor, administering=True)
    return render(
        request,
        "cti_group_new.html.j2",
        status=error.status if error else 200,
        groups=groups,
        error=error,
        values=values or {},
    )


@router.post("/cti/groups/new")
async def cti_group_create(request: Request) -> Response:
    actor, form = await checked_form(request)
    values = {key: str(form.get(key, "")).strip() for key in ("name", "title", "members")}
    try:
        if not values["name"]:
            raise InputError(Message("a sharing group needs a name"), field="name")
        add_group(workspace(request), actor, values["name"], _names(values["members"]), title=values["title"], new=True)
    except KizashiError as error:
        if error.status == 403:
            raise
        return _group_form(request, actor, error=error, values=values)
    return RedirectResponse(f"/cti/groups/{quote(values['name'])}", status_code=303)


@router.get("/cti/groups/{name}", response_class=HTMLResponse)
def cti_group(
    request: Request, actor: ActorDep, name: str, done: Annotated[str, Query(max_length=20)] = ""
) -> Response:
    """A group's members and collections; `done` (after a change, the redirect's) says what was done."""
    return _group_page(request, actor, name, done=done if done in ("added", "removed") else None)


def _group_page(
    request: Request,
    actor: Actor,
    name: str,
    *,
    error: KizashiError | None = None,
    done: str | None = None,
) -> Response:
    return render(
        request,
        "cti_group.html.j2",
        status=error.status if error else 200,
        group=get_group(workspace(request), actor, name),
        administers=allowed(actor, "cti.administer"),
        error=error,
        done=done,
    )


@router.post("/cti/groups/{name}/members")
async def cti_group_add_member(request: Request, name: str) -> Response:
    """Add members (user names) to an existing group; a group the actor may not see answers like a missing one."""
    actor, form = await checked_form(request)
    users = _names(str(form.get("user", "")))
    get_group(workspace(request), actor, name)  # the form adds to a group, never creates one (missing: 404)
    try:
        if not users:
            raise InputError(Message("name a user to add"), field="user")
        add_group(workspace(request), actor, name, users)
    except KizashiError as error:
        if error.status == 403:
            raise
        return _group_page(request, actor, name, error=error)
    return RedirectResponse(f"/cti/groups/{quote(name)}?done=added", status_code=303)


@router.post("/cti/groups/{name}/members/remove")
async def cti_group_remove_member(request: Request, name: str) -> Response:
    actor, form = await checked_form(request)
    user = str(form.get("user", "")).strip()
    try:
        remove_member(workspace(request), actor, name, user)
    except KizashiError as error:
        if error.status == 403:
            raise
        return _group_page(request, actor, name, error=error)
    return RedirectResponse(f"/cti/groups/{quote(name)}?done=removed", status_code=303)


@router.get("/cti/collections/new", response_class=HTMLResponse)
def cti_collection_new(request: Request, actor: ActorDep) -> Response:
    return _collection_form(request, actor)


def _collection_form(
    request: Request,
    actor: Actor,
    *,
    error: KizashiError | None = None,
    values: dict[str, Any] | None = None,
) -> Response:
    groups = list_groups(workspace(request), actor, administering=True)
    return render(
        request,
        "cti_collection_new.html.j2",
        status=error.status if error else 200,
        groups=groups,
        tlps=TLP,
        levels=LEVELS,
        roles=ROLES,
        default_tlp=DEFAULT_TLP,
        error=error,
        values=values or {"group": request.query_params.get("group", "")},
    )


@router.post("/cti/collections/new")
async def cti_collection_create(request: Request) -> Response:
    actor, form = await checked_form(request)
    values: dict[str, Any] = {
        key: str(form.get(key, "")).strip() for key in ("name", "title", "description", "group", "default_tlp", "level")
    }
    values["read_roles"] = [str(role) for role in form.getlist("read_roles")]
    values["write_roles"] = [str(role) for role in form.getlist("write_roles")]
    try:
        if not values["name"]:
            raise InputError(Message("a collection needs a name"), field="name")
        made = add_collection(
            workspace(request),
            actor,
            values["name"],
            values["group"],
            default_tlp=values["default_tlp"] or DEFAULT_TLP,
            read_roles=values["read_roles"],
            write_roles=values["write_roles"],
            title=values["title"],
            description=values["description"],
            level=values["level"] or PUBLIC,
        )
    except KizashiError as error:
        if error.status == 403:
            raise
        return _collection_form(request, actor, error=error, values=values)
    return RedirectResponse(f"/cti/collections/{quote(made.id)}", status_code=303)


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
    try:
        shown, content = await uploaded_file(form, UPLOAD_SUFFIXES)
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
    """One object (its latest readable version, from `collection` if named), its versions there, and its readable
    neighbours: one service, one read event."""
    seen = object_view(workspace(request), actor, stix_id, collection=collection or None)
    found = seen.found
    stix = found.stix()
    outgoing, incoming = [_shown(link) for link in seen.outgoing], [_shown(link) for link in seen.incoming]
    return render(
        request,
        "cti_object.html.j2",
        collection=found.collection,
        stix=stix,
        stix_id=stix_id,
        entry=found.entry,
        name=_name(stix),
        versions=list(reversed(found.versions)),
        outgoing=outgoing,
        incoming=incoming,
        page_label=_label(
            list(seen.collections),
            [entry.tlp for entry in found.versions] + [item["row"].tlp for item in outgoing + incoming],
        ),
        references=[ref for ref in stix.get("external_references") or [] if isinstance(ref, dict)],
        phases=[phase for phase in stix.get("kill_chain_phases") or [] if isinstance(phase, dict)],
    )


def _shown(link: Link) -> dict[str, Any]:
    return {"relation": link.relation, "collection": link.collection, "row": _row(link.entry)}
