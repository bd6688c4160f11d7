"""TAXII fixtures: sharing groups and collections on the web users (tests/web/conftest.py), STIX objects to add, and
a real `kizashi serve` to drive with taxii2-client.

`partners` (boss, ana) has `shared` (every member reads and writes) and `boss-only` (read and write: admins, so ana
sees it listed with can_read false); `others` (boss) has `others-only`, which ana cannot see at all; `low` is in no
group.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from live_server import LiveServer, server_env
from taxii_stix import Collections

from kizashi.protect.cti.groups import add_collection, add_group
from kizashi.protect.people import actor_for
from kizashi.store.workspace import Workspace


@pytest.fixture
def collections(web_workspace: Workspace) -> Collections:
    boss = actor_for(web_workspace, "boss")
    add_group(web_workspace, boss, "partners", ["boss", "ana"])
    add_group(web_workspace, boss, "others", ["boss"])
    shared = add_collection(web_workspace, boss, "shared", "partners", default_tlp="GREEN", title="Shared")
    boss_only = add_collection(
        web_workspace, boss, "boss-only", "partners", default_tlp="GREEN", read_roles=["admin"], write_roles=["admin"]
    )
    others_only = add_collection(web_workspace, boss, "others-only", "others", default_tlp="GREEN")
    return Collections(shared.id, boss_only.id, others_only.id)


@pytest.fixture
def served(collections: Collections) -> Iterator[LiveServer]:
    """`kizashi serve` on the test workspace, with small limits for the bad-bundle tests: 64 KiB requests, 8 KiB
    objects."""
    env = {**server_env(), "KIZASHI_MAX_UPLOAD_BYTES": str(64 * 1024), "KIZASHI_MAX_OBJECT_BYTES": str(8 * 1024)}
    with LiveServer(env) as server:
        yield server
    server.remove_log()
