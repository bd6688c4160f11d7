"""TLP through TAXII, in process on both backends: a RED object goes only to the people it names, and to anyone else
it is missing: absent from pages, manifests and versions, and 404 exactly like an object that does not exist."""

from __future__ import annotations

import base64
import json

from fastapi import FastAPI
from fastapi.testclient import TestClient
from taxii_stix import PASSWORD, TAXII, Collections, bundle, indicator, stix_id

TLP_RED = "marking-definition--e828b379-4e03-4974-9ac4-e53a884c97c1"


def basic(name: str, **headers: str) -> dict[str, str]:
    encoded = base64.b64encode(f"{name}:{PASSWORD}".encode()).decode()
    return {"Authorization": f"Basic {encoded}", "Accept": TAXII, **headers}


def test_a_red_object_reaches_only_its_recipients(app: FastAPI, collections: Collections) -> None:
    client = TestClient(app)
    base = f"/taxii2/kizashi/collections/{collections.shared}/"
    red = indicator(1, object_marking_refs=[TLP_RED], x_kizashi_recipients=["boss"])
    added = client.post(
        base + "objects/",
        content=json.dumps(bundle([red, indicator(2)])),
        headers=basic("ana", **{"Content-Type": TAXII}),
    )
    assert added.status_code == 202 and added.json()["success_count"] == 2, added.text
    red_id, green_id = stix_id("indicator", 1), stix_id("indicator", 2)

    def ids(user: str, path: str) -> set[str]:
        body = client.get(base + path, headers=basic(user)).json()
        return {item["id"] for item in body.get("objects", [])}

    # ana added it and so is among its recipients; boss is named; both read it. low is in no group: nothing at all.
    assert ids("ana", "objects/") == ids("boss", "objects/") == {red_id, green_id}
    assert ids("boss", "manifest/") == {red_id, green_id}
    assert client.get(base + "objects/", headers=basic("low")).status_code == 404

    # Marked for boss alone, by boss: ana, a member of the group, does not receive it.
    only_boss = indicator(3, object_marking_refs=[TLP_RED], x_kizashi_recipients=["boss"])
    client.post(
        base + "objects/", content=json.dumps(bundle([only_boss])), headers=basic("boss", **{"Content-Type": TAXII})
    )
    hidden, missing = stix_id("indicator", 3), stix_id("indicator", 999)
    assert hidden in ids("boss", "objects/") and hidden not in ids("ana", "objects/")
    assert hidden not in ids("ana", "manifest/")
    for suffix in ("/", "/versions/"):
        seen = client.get(f"{base}objects/{hidden}{suffix}", headers=basic("ana"))
        absent = client.get(f"{base}objects/{missing}{suffix}", headers=basic("ana"))
        assert seen.status_code == absent.status_code == 404
        one, other = seen.json(), absent.json()
        one.pop("error_id"), other.pop("error_id")
        assert json.loads(json.dumps(one).replace(hidden, missing)) == other
