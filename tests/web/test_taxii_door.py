"""The TAXII server's door, in process: HTTP Basic as the same users (throttled, audited, remembered briefly), the
media types (406, 415), and every error a TAXII error resource, on SQLite and PostgreSQL."""

from __future__ import annotations

import base64

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from hypothesis import given
from hypothesis import strategies as st
from taxii_stix import PASSWORD, TAXII, Collections

from kizashi.model import User
from kizashi.protect import people
from kizashi.protect.people import actor_for
from kizashi.store.audit import iter_events
from kizashi.store.workspace import Workspace
from kizashi.web.taxii.protocol import acceptable

ROOT = "/taxii2/kizashi/"


def basic(name: str, password: str = PASSWORD, **headers: str) -> dict[str, str]:
    encoded = base64.b64encode(f"{name}:{password}".encode()).decode()
    return {"Authorization": f"Basic {encoded}", "Accept": TAXII, **headers}


def is_taxii_error(response: object, status: int) -> bool:
    body = response.json()  # type: ignore[attr-defined]
    return (
        response.status_code == status  # type: ignore[attr-defined]
        and response.headers["Content-Type"] == TAXII  # type: ignore[attr-defined]
        and body["http_status"] == str(status)
        and bool(body["title"] and body["description"] and body["error_id"])
    )


def logins(workspace: Workspace, action: str) -> list[dict[str, object]]:
    return [e for e in iter_events(workspace) if e["action"] == action and e["detail"].get("how") == "basic"]


def test_no_or_wrong_credentials_are_answered_401_with_the_basic_realm(app: FastAPI, web_workspace: Workspace) -> None:
    client = TestClient(app)
    for headers in ({"Accept": TAXII}, {"Authorization": "Basic !!!", "Accept": TAXII}, basic("ana", "wrong")):
        response = client.get(ROOT, headers=headers)
        assert is_taxii_error(response, 401), response.text
        assert response.headers["WWW-Authenticate"] == 'Basic realm="kizashi TAXII"'
    # The API's bearer check does not stand in the way, and a session's bearer token is no TAXII credential.
    token = client.post("/api/session", json={"name": "ana", "password": PASSWORD}).json()["token"]
    assert is_taxii_error(client.get(ROOT, headers={"Authorization": f"Bearer {token}", "Accept": TAXII}), 401)
    assert [e["actor"] for e in logins(web_workspace, "login_failed")] == ["ana"]


def test_a_checked_password_is_remembered_briefly_and_a_new_one_ends_it(app: FastAPI, web_workspace: Workspace) -> None:
    client = TestClient(app)
    for _ in range(3):
        assert client.get(ROOT, headers=basic("ana")).status_code == 200
    assert len(logins(web_workspace, "login")) == 1  # checked (and audited) once, then remembered
    people.set_password(web_workspace, actor_for(web_workspace, "boss"), "ana", "another horse battery staple")
    assert is_taxii_error(client.get(ROOT, headers=basic("ana")), 401)
    assert client.get(ROOT, headers=basic("ana", "another horse battery staple")).status_code == 200


def test_failures_slow_a_name_down_with_retry_after(
    app: FastAPI, web_workspace: Workspace, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("KIZASHI_LOGIN_FAILURES", "2")
    client = TestClient(app)
    for _ in range(2):
        assert client.get(ROOT, headers=basic("low", "wrong")).status_code == 401
    refused = client.get(ROOT, headers=basic("low", "wrong"))
    assert is_taxii_error(refused, 429) and int(refused.headers["Retry-After"]) >= 1
    assert is_taxii_error(client.get(ROOT, headers=basic("low")), 429)  # the right password waits too


def test_a_deactivated_user_is_refused_even_while_remembered(app: FastAPI, web_workspace: Workspace) -> None:
    client = TestClient(app)
    assert client.get(ROOT, headers=basic("low")).status_code == 200
    with web_workspace.session() as session:  # as the two-person rule's deactivation leaves it
        user = session.get(User, "low")
        assert user is not None
        user.active = False
    assert is_taxii_error(client.get(ROOT, headers=basic("low")), 401)


@pytest.mark.parametrize(
    ("accept", "status"),
    [
        (TAXII, 200),
        ("application/taxii+json", 200),
        ("application/taxii+json; version=2.1", 200),
        ("text/html, */*;q=0.8", 200),
        ("application/taxii+json;version=2.0", 406),
        ("application/json", 406),
        ("text/html", 406),
        ("application/taxii+json;version=2.1;q=0", 406),
    ],
)
def test_the_accept_header_is_checked(app: FastAPI, accept: str, status: int) -> None:
    response = TestClient(app).get(ROOT, headers=basic("ana", Accept=accept))
    assert response.status_code == status
    assert response.headers["Content-Type"] == TAXII


@given(st.text(max_size=60))
def test_any_accept_header_is_read_without_failing(header: str) -> None:
    assert acceptable(header) in (True, False)


def test_a_post_says_its_media_type_or_is_refused_415(app: FastAPI, collections: Collections) -> None:
    client = TestClient(app)
    url = f"{ROOT}collections/{collections.shared}/objects/"
    for content_type in ("application/json", "application/stix+json;version=2.1", "application/taxii+json;version=2.0"):
        response = client.post(url, content=b'{"objects": []}', headers=basic("ana", **{"Content-Type": content_type}))
        assert is_taxii_error(response, 415), content_type
    accepted = client.post(url, content=b'{"objects": []}', headers=basic("ana", **{"Content-Type": TAXII}))
    assert accepted.status_code == 202 and accepted.json()["total_count"] == 0


def test_other_paths_and_methods_are_taxii_errors(app: FastAPI) -> None:
    client = TestClient(app)
    assert is_taxii_error(client.get("/taxii2/elsewhere/", headers=basic("ana")), 404)
    assert is_taxii_error(client.put(ROOT, headers=basic("ana")), 405)
    moved = client.get("/taxii2/kizashi", headers=basic("ana"), follow_redirects=False)
    assert moved.status_code == 307 and moved.headers["Location"].endswith(ROOT)
    assert client.get("/taxii2", headers=basic("ana")).json()["api_roots"] == [f"http://testserver{ROOT}"]
    too_large = client.post(
        f"{ROOT}collections/x/objects/",
        content=b" " * (7 * 1024 * 1024),
        headers=basic("ana", **{"Content-Type": TAXII}),
    )
    assert is_taxii_error(too_large, 413)
    # No CORS: a cross-site script's preflight for a TAXII write is never allowed (what stands in for a CSRF token).
    preflight = client.options(
        f"{ROOT}collections/x/objects/",
        headers={"Origin": "https://elsewhere.example", "Access-Control-Request-Method": "POST"},
    )
    assert preflight.status_code >= 400 and "access-control-allow-origin" not in preflight.headers
