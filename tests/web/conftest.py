"""Web fixtures: a workspace with users on both backends, the app, and logged-in clients.

Users (passwords are PASSWORD): `boss` admin, SECRET with compartments alpha and beta and both trainings;
`ana` analyst, CONFIDENTIAL with alpha and security-basics; `low` analyst, PUBLIC.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from datetime import UTC, datetime

import pytest
from argon2 import PasswordHasher
from fastapi import FastAPI
from fastapi.testclient import TestClient
from live_server import LiveServer, server_env
from taxii_stix import Collections

from kizashi.protect import people
from kizashi.protect.cti.groups import add_collection, add_group
from kizashi.protect.people import actor_for as as_user
from kizashi.protect.people import passwords
from kizashi.store.workspace import Workspace
from kizashi.web.app import create_app

PASSWORD = "correct horse battery staple"
SECRET = "test-secret-" + "k" * 20 + "0123456789abcdef"
USERS = {
    "boss": (["admin"], "SECRET", ["alpha", "beta"], ["security-basics", "secret-handling"]),
    "ana": (["analyst"], "CONFIDENTIAL", ["alpha"], ["security-basics"]),
    "low": (["analyst"], "PUBLIC", [], []),
}


@pytest.fixture(autouse=True)
def _cheap_password_hashes(monkeypatch: pytest.MonkeyPatch) -> None:
    """argon2id at its lowest cost in the web tests. At the library's (kizashi's) cost each hash and each login's
    check takes 0.1–1 s of a core, and every web_workspace sets three passwords: most of this folder's runtime. The
    hashes stay argon2id and every login is still checked against them, in this process and in `kizashi serve` (a
    check takes its cost from the stored hash); tests/protect/people/test_users.py keeps the real cost."""
    monkeypatch.setattr(passwords, "_hasher", PasswordHasher(time_cost=1, memory_cost=1024, parallelism=1))


def add_users(workspace: Workspace) -> None:
    done = datetime(2026, 1, 1, tzinfo=UTC)
    people.add_user(workspace, as_user(workspace, "boss"), "boss", roles=["admin"])
    for name, (roles, level, compartments, courses) in USERS.items():
        if name != "boss":
            people.add_user(workspace, as_user(workspace, "boss"), name, roles=roles)
        people.set_password(workspace, as_user(workspace, "boss"), name, PASSWORD)
        people.grant(workspace, as_user(workspace, "boss"), name, level, compartments=compartments)
        for course in courses:
            people.record_training(workspace, as_user(workspace, "boss"), name, course, done)


@pytest.fixture
def web_workspace(workspace: Workspace) -> Workspace:
    add_users(workspace)
    return workspace


@pytest.fixture
def app(web_workspace: Workspace) -> FastAPI:
    return create_app(web_workspace, secret=SECRET)


def login_token(client: TestClient, next_page: str = "/") -> str:
    page = client.get(f"/login?next={next_page}")
    match = re.search(r'name="login_token" value="([^"]+)"', page.text)
    assert match, page.text
    return match.group(1)


def page_csrf(html: str) -> str:
    match = re.search(r'name="csrf_token" value="([^"]+)"', html)
    assert match, html
    return match.group(1)


def masked(html: str, record_id: str) -> str:
    """A page with `record_id` written as ID, to compare "hidden" with "missing" pages. The session's random CSRF token
    is masked first: it may happen to contain the id ("…Fn9b…" for n9) and would then differ after the replace."""
    return re.sub(r'name="csrf_token" value="[^"]*"', 'name="csrf_token" value=""', html).replace(record_id, "ID")


@pytest.fixture
def browser(app: FastAPI) -> Callable[[str], TestClient]:
    """`browser("ana")`: a client logged in through the login form, holding the session cookie."""

    def log_in(name: str) -> TestClient:
        client = TestClient(app)
        response = client.post(
            "/login",
            data={"name": name, "password": PASSWORD, "login_token": login_token(client), "next": "/"},
            follow_redirects=False,
        )
        assert response.status_code == 303, response.text
        return client

    return log_in


@pytest.fixture
def api(app: FastAPI) -> Callable[[str | None], TestClient]:
    """`api("ana")`: a client sending ana's bearer token; `api(None)`: anonymous."""

    def client_for(name: str | None) -> TestClient:
        client = TestClient(app)
        if name is not None:
            response = client.post("/api/session", json={"name": name, "password": PASSWORD})
            assert response.status_code == 200, response.text
            client.cookies.clear()
            client.headers["Authorization"] = f"Bearer {response.json()['token']}"
        return client

    return client_for


@pytest.fixture
def anonymous(app: FastAPI) -> Iterator[TestClient]:
    with TestClient(app) as client:
        yield client


# TAXII (test_taxii_*.py): `partners` (boss, ana) has `shared` (every member reads and writes) and `boss-only` (read
# and write: admins, so ana sees it listed with can_read false); `others` (boss) has `others-only`, which ana cannot
# see at all; `low` is in no group.
@pytest.fixture
def collections(web_workspace: Workspace) -> Collections:
    boss = as_user(web_workspace, "boss")
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
