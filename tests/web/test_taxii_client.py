"""The TAXII 2.1 server driven by the OASIS client (taxii2-client) against a real `kizashi serve`, on SQLite and
PostgreSQL: discovery, collections, add and status, paging with each filter, manifest, versions, delete; a user
outside a sharing group sees nothing (hidden answers like missing); bad bundles are refused whole."""

from __future__ import annotations

import json
import uuid
from typing import Any

import pytest
import requests
from live_server import LiveServer
from stix2validator import ValidationOptions, validate_instance
from taxii2client.v21 import ApiRoot, Collection, Server, as_pages
from taxii_stix import PASSWORD, TAXII, Collections, bundle, indicator, malware, stix_id

from kizashi.policy import Actor
from kizashi.protect.cti.store import Filters, get_objects
from kizashi.store.workspace import Workspace

pytestmark = pytest.mark.slow
JANUARY = "2026-01-01T00:00:00.000Z"
FEBRUARY = "2026-02-01T00:00:00.000Z"


def valid(stix: dict[str, Any]) -> bool:
    result = validate_instance(stix, ValidationOptions(version="2.1", silent=True, disabled="all", strict=False))
    return bool(result.is_valid)


def root_of(served: LiveServer, user: str) -> ApiRoot:
    root = Server(served.url("/taxii2/"), user=user, password=PASSWORD).default
    assert root is not None
    return root


def collection_of(root: ApiRoot, ident: str) -> Collection:
    return next(one for one in root.collections if one.id == ident)


def objects_of(pages: list[dict[str, Any]]) -> list[dict[str, Any]]:
    return [stix for page in pages for stix in page.get("objects", [])]


def test_a_client_discovers_adds_pages_reads_versions_and_deletes(served: LiveServer, collections: Collections) -> None:
    server = Server(served.url("/taxii2/"), user="ana", password=PASSWORD)
    assert server.title == "kizashi TAXII 2.1"
    root = server.default
    assert root is not None and [r.url for r in server.api_roots] == [served.url("/taxii2/kizashi/")] == [root.url]
    assert root.versions == [TAXII] and root.max_content_length == 64 * 1024
    listed = {one.id: one for one in root.collections}
    assert set(listed) == {collections.shared, collections.boss_only}  # not the other group's
    assert (listed[collections.boss_only].can_read, listed[collections.boss_only].can_write) == (False, False)
    shared = listed[collections.shared]
    assert (shared.can_read, shared.can_write, shared.title, shared.alias) == (True, True, "Shared", "shared")

    first = shared.add_objects(bundle([indicator(n) for n in range(5)] + [malware(1)]))
    assert (first.status, first.total_count, first.success_count, first.failure_count) == ("complete", 6, 6, 0)
    polled = root.get_status(first.id)
    assert (polled.status, polled.success_count) == ("complete", 6)
    assert {s["id"] for s in polled.successes} == {stix_id("indicator", n) for n in range(5)} | {stix_id("malware", 1)}
    second = shared.add_objects(bundle([indicator(0, modified=FEBRUARY, name="bad address 0, seen again")]))
    assert second.success_count == 1

    # Everything (each object's last version), two to a page.
    pages = list(as_pages(shared.get_objects, per_request=2))
    assert [len(page.get("objects", [])) for page in pages] == [2, 2, 2] and pages[-1]["more"] is False
    everything = objects_of(pages)
    assert len({stix["id"] for stix in everything}) == 6 and all(valid(stix) for stix in everything)
    assert next(s for s in everything if s["id"] == stix_id("indicator", 0))["modified"] == FEBRUARY

    # Each filter.
    assert [s["id"] for s in objects_of(list(as_pages(shared.get_objects, 2, type="malware")))] == [
        stix_id("malware", 1)
    ]
    assert len(objects_of(list(as_pages(shared.get_objects, 2, type=["malware", "indicator"])))) == 6
    zero = stix_id("indicator", 0)
    assert [s["modified"] for s in objects_of(list(as_pages(shared.get_objects, 1, id=zero, version="all")))] == [
        JANUARY,
        FEBRUARY,
    ]
    assert [s["modified"] for s in shared.get_objects(id=zero, version="first")["objects"]] == [JANUARY]
    assert [s["modified"] for s in shared.get_objects(id=zero, version=JANUARY)["objects"]] == [JANUARY]
    assert len(shared.get_objects(spec_version="2.1")["objects"]) == 6
    assert "objects" not in shared.get_objects(spec_version="2.0")

    # The manifest says when each was added; added_after then finds the second add only.
    manifest = objects_of(list(as_pages(shared.get_manifest, per_request=4)))
    assert len(manifest) == 6 and {entry["media_type"] for entry in manifest} == {"application/stix+json;version=2.1"}
    first_added = min(entry["date_added"] for entry in manifest)
    later = shared.get_objects(added_after=first_added)["objects"]
    assert [(s["id"], s["modified"]) for s in later] == [(zero, FEBRUARY)]

    # The headers of a page name its first and last date_added.
    raw = requests.get(
        shared.url + "objects/", params={"limit": 3}, auth=("ana", PASSWORD), headers={"Accept": TAXII}, timeout=30
    )
    added = [entry["date_added"] for entry in shared.get_manifest(limit=3)["objects"]]
    assert raw.headers["Content-Type"] == TAXII
    assert (raw.headers["X-TAXII-Date-Added-First"], raw.headers["X-TAXII-Date-Added-Last"]) == (added[0], added[-1])

    # One object, its versions, and deleting them.
    assert shared.object_versions(zero)["versions"] == [JANUARY, FEBRUARY]
    assert [s["modified"] for s in shared.get_object(zero)["objects"]] == [FEBRUARY]
    shared.delete_object(zero, version=FEBRUARY)
    assert [s["modified"] for s in shared.get_object(zero)["objects"]] == [JANUARY]
    shared.delete_object(zero)
    with pytest.raises(requests.HTTPError) as missing:
        shared.get_object(zero)
    assert missing.value.response.status_code == 404
    assert missing.value.response.json()["error_code"] == "not_found"
    assert len(objects_of(list(as_pages(shared.get_objects, per_request=10)))) == 5


def _answer(served: LiveServer, user: str, path: str, hidden: str) -> tuple[int, dict[str, Any]]:
    response = requests.get(served.url(path), auth=(user, PASSWORD), headers={"Accept": TAXII}, timeout=30)
    body = response.json()
    body.pop("error_id", None)  # a fresh uuid on every error
    return response.status_code, json.loads(json.dumps(body).replace(hidden, "ID"))


def test_outside_a_sharing_group_nothing_is_there_and_hidden_answers_like_missing(
    served: LiveServer, collections: Collections
) -> None:
    boss_root = root_of(served, "boss")
    collection_of(boss_root, collections.others_only).add_objects(bundle([indicator(7)]))
    collection_of(boss_root, collections.shared).add_objects(bundle([indicator(8)]))

    assert root_of(served, "low").collections == []
    assert {one.id for one in root_of(served, "ana").collections} == {collections.shared, collections.boss_only}
    hidden_object, missing_object = stix_id("indicator", 7), stix_id("indicator", 999)
    missing = str(uuid.uuid4())
    for user, hidden in (("ana", collections.others_only), ("low", collections.shared)):
        for suffix in ("", "objects/", "manifest/", f"objects/{hidden_object}/", f"objects/{hidden_object}/versions/"):
            seen = _answer(served, user, f"/taxii2/kizashi/collections/{hidden}/{suffix}", hidden)
            absent = _answer(served, user, f"/taxii2/kizashi/collections/{missing}/{suffix}", missing)
            assert seen == absent and seen[0] == 404, (user, suffix, seen)
    # In a collection ana reads, an object of another collection is missing too.
    seen = _answer(served, "ana", f"/taxii2/kizashi/collections/{collections.shared}/objects/{hidden_object}/", "x")
    absent = _answer(served, "ana", f"/taxii2/kizashi/collections/{collections.shared}/objects/{missing_object}/", "x")
    assert seen[0] == 404 and seen[1] == json.loads(json.dumps(absent[1]).replace(missing_object, hidden_object))

    # A member whose role may not read or add: 403, as TAXII says (the collection is listed, can_read false; the
    # client would not even ask, so ask without it).
    boss_only = collection_of(root_of(served, "ana"), collections.boss_only)
    assert (boss_only.can_read, boss_only.can_write) == (False, False)
    for suffix in ("objects/", "manifest/"):
        refused = requests.get(boss_only.url + suffix, auth=("ana", PASSWORD), headers={"Accept": TAXII}, timeout=30)
        assert refused.status_code == 403 and refused.json()["error_code"] == "access_denied", refused.text
    posted = requests.post(
        boss_only.url + "objects/",
        data=json.dumps(bundle([indicator(9)])),
        auth=("ana", PASSWORD),
        headers={"Accept": TAXII, "Content-Type": TAXII},
        timeout=30,
    )
    assert posted.status_code == 403 and posted.json()["http_status"] == "403"


def _post(served: LiveServer, collection: str, body: bytes) -> requests.Response:
    return requests.post(
        served.url(f"/taxii2/kizashi/collections/{collection}/objects/"),
        data=body,
        auth=("ana", PASSWORD),
        headers={"Accept": TAXII, "Content-Type": TAXII},
        timeout=60,
    )


def _encoded(objects: list[dict[str, Any]]) -> bytes:
    return json.dumps(bundle(objects)).encode()


def test_bad_bundles_are_refused_with_taxii_errors_and_nothing_is_stored(
    served: LiveServer, collections: Collections, web_workspace: Workspace
) -> None:
    good = indicator(100)
    cases = {
        "invalid JSON": (b'{"type": "bundle", "objects": [', 400),
        "wrong spec_version": (_encoded([good, indicator(101, spec_version="2.0")]), 400),
        "unknown marking": (
            _encoded([good, indicator(102, object_marking_refs=[f"marking-definition--{uuid.uuid4()}"])]),
            400,
        ),
        "object over the size limit": (_encoded([good, indicator(103, description="x" * 9000)]), 413),
        "bundle over max_content_length": (
            _encoded([good, *(indicator(200 + n, description="y" * 1500) for n in range(60))]),
            413,
        ),
        "bundle over the server's body limit": (
            _encoded([good, *(indicator(300 + n, description="z" * 7000) for n in range(200))]),
            413,
        ),
    }
    for name, (body, status) in cases.items():
        response = _post(served, collections.shared, body)
        assert response.status_code == status, (name, response.text)
        assert response.headers["Content-Type"] == TAXII, name
        error = response.json()
        assert error["http_status"] == str(status) and error["title"] and error["description"], (name, error)
    everything = get_objects(web_workspace, Actor.operator("test"), collections.shared, Filters(versions=("all",)))
    assert everything.entries == []
    # The same good object alone is stored: the refusals were the bad objects'.
    assert _post(served, collections.shared, _encoded([good])).status_code == 202
