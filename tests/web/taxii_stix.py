"""STIX objects and constants for the TAXII tests (a module of its own: test modules import it by name)."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from typing import Any

PASSWORD = "correct horse battery staple"  # the web users' (tests/web/conftest.py)


@dataclass(frozen=True)
class Collections:
    """The ids of the test collections (conftest.py `collections`)."""

    shared: str
    boss_only: str
    others_only: str


TLP_GREEN = "marking-definition--bab4a63c-aed9-4cf5-a766-dfca5abac2bb"
TLP_CLEAR = "marking-definition--94868c89-83c2-464b-929b-a1a8aa3c8487"
TAXII = "application/taxii+json;version=2.1"


def stix_id(kind: str, number: int) -> str:
    return f"{kind}--{uuid.uuid5(uuid.NAMESPACE_URL, f'kizashi-test/{kind}/{number}')}"


def indicator(number: int, modified: str = "2026-01-01T00:00:00.000Z", **extra: Any) -> dict[str, Any]:
    return {
        "type": "indicator",
        "spec_version": "2.1",
        "id": stix_id("indicator", number),
        "created": "2026-01-01T00:00:00.000Z",
        "modified": modified,
        "name": f"bad address {number}",
        "pattern": f"[ipv4-addr:value = '198.51.100.{number % 250}']",
        "pattern_type": "stix",
        "valid_from": "2026-01-01T00:00:00Z",
        "object_marking_refs": [TLP_GREEN],
        **extra,
    }


def malware(number: int) -> dict[str, Any]:
    return {
        "type": "malware",
        "spec_version": "2.1",
        "id": stix_id("malware", number),
        "created": "2026-01-02T00:00:00.000Z",
        "modified": "2026-01-02T00:00:00.000Z",
        "name": f"strain {number}",
        "is_family": True,
        "object_marking_refs": [TLP_CLEAR],
    }


def bundle(objects: list[dict[str, Any]]) -> dict[str, Any]:
    return {"type": "bundle", "id": f"bundle--{uuid.uuid4()}", "objects": objects}
