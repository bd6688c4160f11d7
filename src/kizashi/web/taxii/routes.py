"""The TAXII 2.1 endpoints (OASIS TAXII 2.1, sections 4 and 5) at /taxii2/, one API root, on the threat-intelligence
store's services (kizashi.protect.cti): they read through the access policy and audit every read and refusal, so a
collection or object the user may not see answers exactly like a missing one (404).

Every endpoint needs HTTP Basic credentials (door.taxii_actor) and answers `application/taxii+json;version=2.1`."""

from __future__ import annotations

from typing import Annotated, Any

import orjson
from fastapi import APIRouter, Depends, Request
from starlette.concurrency import run_in_threadpool
from starlette.responses import RedirectResponse, Response
from starlette.routing import Match

from kizashi.files.limits import Limits
from kizashi.ingest.stix import read_stix_bytes
from kizashi.messages import Message
from kizashi.policy import Actor
from kizashi.protect.cti.groups import CollectionView, get_collection, list_collections
from kizashi.protect.cti.store import (
    Filters,
    Page,
    add_objects,
    delete_object,
    get_manifest,
    get_object,
    get_objects,
    get_versions,
)
from kizashi.web.context import workspace
from kizashi.web.taxii.door import TaxiiRoute, taxii_actor
from kizashi.web.taxii.protocol import (
    STIX_MEDIA_TYPE,
    TAXII_MEDIA_TYPE,
    TAXII_PREFIX,
    TaxiiError,
    TaxiiResponse,
    check_content_type,
    error_response,
)
from kizashi.web.taxii.status import status_of

API_ROOT = "kizashi"  # the one API root: /taxii2/kizashi/
ROOT = f"/{API_ROOT}"
COLLECTION = ROOT + "/collections/{collection}"

router = APIRouter(prefix=TAXII_PREFIX, route_class=TaxiiRoute, include_in_schema=False)
TaxiiActor = Annotated[Actor, Depends(taxii_actor)]


def max_content_length() -> int:
    """The largest request body the API root takes (KIZASHI_MAX_UPLOAD_BYTES, as for every upload)."""
    return Limits.current().upload_bytes


def _root_url(request: Request) -> str:
    return f"{str(request.base_url).rstrip('/')}{TAXII_PREFIX}{ROOT}/"


@router.get("/")
def discovery(request: Request, actor: TaxiiActor) -> Response:
    root = _root_url(request)
    return TaxiiResponse(
        {
            "title": "kizashi TAXII 2.1",
            "description": "Threat intelligence shared in kizashi's sharing groups, under TLP 2.0 and the access "
            "policy of the same users.",
            "default": root,
            "api_roots": [root],
        }
    )


@router.get(ROOT + "/")
def api_root(actor: TaxiiActor) -> Response:
    return TaxiiResponse(
        {
            "title": "kizashi",
            "description": "The collections of the sharing groups you are a member of.",
            "versions": [TAXII_MEDIA_TYPE],
            "max_content_length": max_content_length(),
        }
    )


def _collection(found: CollectionView) -> dict[str, Any]:
    return {
        "id": found.id,
        "title": found.title,
        "description": found.description,
        "alias": found.name,
        "can_read": found.can_read,
        "can_write": found.can_write,
        "media_types": [STIX_MEDIA_TYPE],
    }


@router.get(ROOT + "/collections/")
def collections(request: Request, actor: TaxiiActor) -> Response:
    found = list_collections(workspace(request), actor)
    return TaxiiResponse({"collections": [_collection(one) for one in found]} if found else {})


@router.get(COLLECTION + "/")
def collection(request: Request, actor: TaxiiActor, collection: str) -> Response:
    return TaxiiResponse(_collection(get_collection(workspace(request), actor, collection)))


def _filters(request: Request, *, matches: tuple[str, ...] = ("id", "type", "version", "spec_version")) -> Filters:
    """The query's filters (each `match[...]` given once or more, each with comma-separated values)."""
    query = request.query_params
    lists = {name: query.getlist(f"match[{name}]") if name in matches else [] for name in ("id", "type", "version")}
    return Filters.parse(
        added_after=query.get("added_after"),
        ids=lists["id"],
        types=lists["type"],
        versions=lists["version"],
        spec_versions=query.getlist("match[spec_version]") if "spec_version" in matches else [],
        limit=query.get("limit"),
        next=query.get("next"),
    )


def _paged(page: Page, body: dict[str, Any] | bytes) -> Response:
    """A page with its X-TAXII-Date-Added-First/Last headers (section 3.4)."""
    headers = {}
    if page.date_added_first is not None and page.date_added_last is not None:
        headers = {"X-TAXII-Date-Added-First": page.date_added_first, "X-TAXII-Date-Added-Last": page.date_added_last}
    if isinstance(body, bytes):
        return Response(body, headers=headers, media_type=TAXII_MEDIA_TYPE)
    return TaxiiResponse(body, headers=headers)


def _envelope(page: Page) -> bytes:
    """The envelope of a page, each object's stored JSON as it is (the store keeps what was added, byte for byte):
    what `page.envelope()` says, without parsing every object to write it again."""
    head = orjson.dumps({"more": page.more, **({"next": page.next} if page.next is not None else {})})
    if not page.entries:
        return head
    bodies = b",".join(entry.body.encode() for entry in page.entries)
    return head[:-1] + b',"objects":[' + bodies + b"]}"


@router.get(COLLECTION + "/objects/")
def objects(request: Request, actor: TaxiiActor, collection: str) -> Response:
    page = get_objects(workspace(request), actor, collection, _filters(request))
    return _paged(page, _envelope(page))


@router.post(COLLECTION + "/objects/")
async def add(request: Request, actor: TaxiiActor, collection: str) -> Response:
    """Add objects (section 5.4): all or nothing in one transaction, so the status is complete when answered."""
    check_content_type(request)
    body = await _bounded_body(request)
    source = "the request body"
    objects = await run_in_threadpool(read_stix_bytes, body, source)
    status = await run_in_threadpool(add_objects, workspace(request), actor, collection, objects)
    return TaxiiResponse(status.as_taxii(), status_code=202)


async def _bounded_body(request: Request) -> bytes:
    """The request body, refused (413) past max_content_length as soon as it is declared or has arrived."""
    limit = max_content_length()
    declared = request.headers.get("content-length", "")
    too_large = TaxiiError(
        413, "too_large", Message("the request is over the API root's max_content_length of {limit} bytes", limit=limit)
    )
    if declared.isdigit() and int(declared) > limit:
        raise too_large
    chunks, size = [], 0
    async for chunk in request.stream():
        size += len(chunk)
        if size > limit:
            raise too_large
        chunks.append(chunk)
    return b"".join(chunks)


@router.get(COLLECTION + "/objects/{object_id}/")
def one_object(request: Request, actor: TaxiiActor, collection: str, object_id: str) -> Response:
    filters = _filters(request, matches=("version", "spec_version"))
    page = get_object(workspace(request), actor, collection, object_id, filters)
    return _paged(page, _envelope(page))


@router.delete(COLLECTION + "/objects/{object_id}/")
def delete(request: Request, actor: TaxiiActor, collection: str, object_id: str) -> Response:
    versions = [part.strip() for value in request.query_params.getlist("match[version]") for part in value.split(",")]
    delete_object(workspace(request), actor, collection, object_id, [part for part in versions if part] or ["all"])
    return Response(status_code=200, media_type=TAXII_MEDIA_TYPE)


@router.get(COLLECTION + "/objects/{object_id}/versions/")
def versions(request: Request, actor: TaxiiActor, collection: str, object_id: str) -> Response:
    filters = _filters(request, matches=("spec_version",))
    page = get_versions(workspace(request), actor, collection, object_id, filters)
    body: dict[str, Any] = {"more": page.more}
    if page.next is not None:
        body["next"] = page.next
    if page.entries:
        body["versions"] = [entry.version for entry in page.entries]
    return _paged(page, body)


@router.get(COLLECTION + "/manifest/")
def manifest(request: Request, actor: TaxiiActor, collection: str) -> Response:
    page = get_manifest(workspace(request), actor, collection, _filters(request))
    body: dict[str, Any] = {"more": page.more}
    if page.next is not None:
        body["next"] = page.next
    if page.entries:
        body["objects"] = [entry.manifest() for entry in page.entries]
    return _paged(page, body)


# taxii2-client polls `…/status/<id>` (no slash: it joins "../../status/<id>" to the collection's URL).
@router.get(ROOT + "/status/{status_id}/")
@router.get(ROOT + "/status/{status_id}")
def status(request: Request, actor: TaxiiActor, status_id: str) -> Response:
    return TaxiiResponse(status_of(workspace(request), actor, status_id).as_taxii())


METHODS = ["GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"]


@router.api_route("", methods=METHODS)  # /taxii2 itself, which a page route would take otherwise
@router.api_route("/{rest:path}", methods=METHODS)
def elsewhere(request: Request) -> Response:
    """Any other path under /taxii2/: a TAXII 404 (or 405 for a known path and another method), and a path without
    its trailing slash sent to the one with it, as TAXII's URLs all end in one."""
    for route in router.routes:
        if route.endpoint is elsewhere:  # type: ignore[attr-defined]
            continue
        matched, _ = route.matches(request.scope)
        if matched == Match.PARTIAL:
            return error_response(405, "method_not_allowed", Message("this method is not allowed here"))
    if request.method in ("GET", "HEAD") and not request.url.path.endswith("/"):
        slashed = request.url.replace(path=request.url.path + "/")
        return RedirectResponse(str(slashed), status_code=307)
    return error_response(404, "not_found", Message("no such TAXII endpoint"))
