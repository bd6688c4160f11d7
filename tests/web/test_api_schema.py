"""The JSON API against its own OpenAPI document, with Schemathesis generating the requests.

Every operation is fuzzed with cases drawn from the spec, valid ones and invalid ones: logged in as `ana` and as
`boss` on a workspace holding labelled records of every kind, and anonymously. Whatever is sent, the API must not
fail with a 5xx, must answer only with the statuses and bodies it documents, must use the one error shape, and must
never hand out a record above the caller's clearance.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path
from typing import Any
from urllib.parse import quote, unquote, urlsplit

import pytest
import schemathesis
from fastapi import FastAPI
from fastapi.routing import APIRoute
from fastapi.testclient import TestClient
from hypothesis import HealthCheck, given, settings
from schemathesis import APIOperation, BaseSchema, Case, GenerationMode, Response
from schemathesis.checks import CheckFunction, not_a_server_error
from schemathesis.core.failures import FailureGroup
from schemathesis.core.result import Ok
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from conftest import PASSWORD, as_user
from kizashi.ingest.dispatch import ingest
from kizashi.policy import Clearance, Label, can_read
from kizashi.protect.people.sessions import log_in, resume
from kizashi.report.demo import REFERENCE
from kizashi.store.workspace import Workspace
from kizashi.web import api

# Schemathesis' generics, filled in once: the OpenAPI flavour is all this file uses.
AnyCase = Case[Any]
Operation = APIOperation[Any, Any, Any, Any]

FIXTURES = Path(__file__).parents[1] / "fixtures"
LOGIN = ("POST", "/api/session")
LOGOUT = ("DELETE", "/api/session")
KINDS = ("needs", "seeds", "works", "threats", "technologies")
# Cases per operation and mode: enough to reach the filters, the bounds and odd strings (NUL, surrogates, RTL),
# few enough for the whole file to stay around a minute on 2 CI cores with both backends.
POSITIVE_EXAMPLES = 20
NEGATIVE_EXAMPLES = 10
# Built-in checks, each one a claim the spec makes: no 5xx, only documented statuses, JSON where JSON is
# documented, and bodies that validate against the documented models (the error model included).
CHECKS: list[CheckFunction] = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_schema_conformance,
]

# Labels around the users' clearances (tests/web/conftest.py): ana is CONFIDENTIAL with alpha, boss SECRET with
# alpha and beta; nobody holds gamma, so those records must never come back to anyone.
LABELS: list[tuple[str, list[str]]] = [
    ("PUBLIC", []),
    ("INTERNAL", []),
    ("CONFIDENTIAL", ["alpha"]),
    ("CONFIDENTIAL", ["beta"]),
    ("SECRET", []),
    ("SECRET", ["alpha", "beta"]),
    ("INTERNAL", ["gamma"]),
]


def _statements(path: Path, prefix: str) -> Path:
    with path.open("w", encoding="utf-8") as handle:
        for number, (level, compartments) in enumerate(LABELS):
            record = {
                "id": f"{prefix}{number}",
                # Words shared by all records, so that generated `q` values now and then match something.
                "title": f"{prefix} {number} sensor drone 防災",
                "description": f"a {level.lower()} statement about resilience",
                "label": level,
                "compartments": compartments,
            }
            handle.write(json.dumps(record, ensure_ascii=False) + "\n")
    return path


@pytest.fixture
def records(web_workspace: Workspace, tmp_path: Path) -> Workspace:
    """The users' workspace with labelled needs and seeds, the bundled taxonomy and threats, and a few works."""
    ingest(web_workspace, as_user(web_workspace, "boss"), "needs", [_statements(tmp_path / "needs.jsonl", "need-")])
    ingest(web_workspace, as_user(web_workspace, "boss"), "seeds", [_statements(tmp_path / "seeds.jsonl", "seed-")])
    ingest(web_workspace, as_user(web_workspace, "boss"), "technologies", [REFERENCE / "taxonomy.yaml"])
    ingest(web_workspace, as_user(web_workspace, "boss"), "threats", [REFERENCE / "threats.yaml"])
    ingest(web_workspace, as_user(web_workspace, "boss"), "works", [FIXTURES / "openalex" / "works_api_page.json"])
    return web_workspace


@pytest.fixture
def schema(app: FastAPI) -> BaseSchema:
    """The spec as the app serves it; requests go to the app in-process."""
    return schemathesis.openapi.from_asgi("/api/openapi.json", app)


@pytest.fixture(params=["ana", "boss"])
def user(request: pytest.FixtureRequest) -> str:
    return str(request.param)


def operations(schema: BaseSchema) -> list[Operation]:
    found = []
    for result in schema.get_all_operations():
        assert isinstance(result, Ok), f"the OpenAPI document has an operation Schemathesis cannot read: {result}"
        found.append(result.ok())
    # A spec that lost its operations would let every test below pass without testing anything.
    assert {key(op) for op in found} >= {LOGIN, LOGOUT, ("GET", "/api/records/{kind}")}, [op.label for op in found]
    return found


def key(operation: Operation) -> tuple[str, str]:
    return operation.method.upper(), operation.path


def is_negative(case: AnyCase) -> bool:
    return case.meta is not None and case.meta.generation.mode.is_negative


def fuzz(operation: Operation, examine: Callable[[AnyCase], None]) -> list[str]:
    """Run `examine` over valid cases of one operation and, if it has inputs to get wrong, over invalid ones
    (wrong types, out of bounds, malformed bodies). Returns the shrunk failures as text: collected, not raised,
    so that one failing operation does not hide the others."""
    modes = [(GenerationMode.POSITIVE, POSITIVE_EXAMPLES)]
    if operation.body or any(True for _ in operation.iter_parameters()):
        modes.append((GenerationMode.NEGATIVE, NEGATIVE_EXAMPLES))
    failures = []
    for mode, examples in modes:

        @settings(
            max_examples=examples,
            deadline=None,
            # One workspace serves all cases of a test on purpose: a 5xx must not depend on a fresh database.
            suppress_health_check=[
                HealthCheck.function_scoped_fixture,
                HealthCheck.too_slow,
                HealthCheck.filter_too_much,
            ],
        )
        @given(case=operation.as_strategy(mode))
        def run(case: AnyCase) -> None:
            examine(case)

        try:
            run()
        except (Exception, FailureGroup) as error:  # a FailureGroup is a BaseExceptionGroup: Schemathesis checks
            failures.append(f"{operation.label} ({mode.value})\n{type(error).__name__}: {error}")
    return failures


def body_of(response: Response) -> Any:
    try:
        return response.json()
    except ValueError:
        return None


def assert_error_shape(response: Response) -> None:
    """The one documented failure shape, exactly (nothing else rides along), with the status it was sent with."""
    body = body_of(response)
    shown = f"{response.status_code}: {response.text[:500]}"
    assert isinstance(body, dict) and set(body) == {"error"}, shown
    error = body["error"]
    assert isinstance(error, dict) and set(error) == {"status", "code", "message"}, shown
    assert error["status"] == response.status_code, shown
    assert isinstance(error["code"], str) and error["code"], shown
    assert isinstance(error["message"], str), shown


def assert_readable(clearance: Clearance, body: Any) -> None:
    """No record above the caller comes back, whichever filters, offsets and ids were generated; and a page's own
    label is the highest of its items, so that nothing copied from it is under-labelled."""
    if not isinstance(body, dict):
        return
    rows = list(body.get("items", [])) + ([body["record"]] if "record" in body else [])
    for row in rows:
        label = Label.of(row)
        assert can_read(clearance, label), f"{clearance.user} was given {row.get('id')!r} labelled {label}"
        assert "gamma" not in label.compartments, row
    if "items" in body:
        highest = Label.highest(Label.of(row) for row in body["items"])
        shown = body["label"]
        expected = (highest.level, set(highest.compartments), highest.tlp)
        assert (shown["level"], set(shown["compartments"]), shown.get("tlp")) == expected, shown
        assert body["total"] >= len(body["items"]), body


def reaches(case: AnyCase, response: Response) -> bool:
    """Whether the request could reach the operation at all. Some generated path parameters cannot: clients resolve
    `.` and `..` segments before sending, the router's patterns match no newline in a record id (see the report),
    and a `/` in a kind (sent as %2F) is a separator to the router. Such requests are answered by the router, not
    by the operation (see assert_answered_by_router)."""
    (route,) = [
        route
        for route in api_routes(api.router.routes)
        if api.router.prefix + route.path_format == case.operation.path
        and case.operation.method.upper() in (route.methods or ())
    ]
    path = unquote(urlsplit(response.request.url).path)
    return (
        path.startswith(api.router.prefix) and route.path_regex.match(path.removeprefix(api.router.prefix)) is not None
    )


def api_routes(routes: Sequence[Any]) -> Iterator[APIRoute]:
    """The API's routes, through the one router per area it includes (FastAPI keeps those as routers of their own,
    whose routes match the path after the prefix)."""
    for route in routes:
        if isinstance(route, APIRoute):
            yield route
        else:
            yield from api_routes(route.original_router.routes)


def carries_token(response: Response) -> bool:
    """Whether the request sent `Authorization: Bearer <something>` (what the API's gate looks for)."""
    sent = {name.lower(): value for name, value in dict(response.request.headers).items()}
    value = sent.get("authorization", "")
    value = value[0] if isinstance(value, list) else value
    return value.lower().startswith("bearer ") and bool(value[7:].strip())


def assert_answered_by_router(response: Response) -> None:
    """No route for the path (404) or none for the method there (405), in the one error shape all the same."""
    assert response.status_code in (404, 405), f"{response.status_code}: {response.text[:500]}"
    assert_error_shape(response)


def login(app: FastAPI, name: str) -> str:
    response = TestClient(app).post("/api/session", json={"name": name, "password": PASSWORD})
    assert response.status_code == 200, response.text
    return str(response.json()["token"])


def test_every_operation_conforms_when_logged_in(
    schema: BaseSchema, app: FastAPI, records: Workspace, user: str
) -> None:
    token = login(app, user)
    clearance = as_user(records, user).clearance
    client = TestClient(app, headers={"Authorization": f"Bearer {token}"})
    # Fuzzing the reads is only worth something if they return records: every kind holds some the user may read.
    counts = client.get("/api/counts").json()["counts"]
    assert all(counts[kind] > 0 for kind in KINDS), counts

    def examine(case: AnyCase) -> None:
        # Logging out ends the session it is sent with: it gets a session of its own, the shared one stays. Opened
        # directly, without a client address, since failed logins from the test client's address (the fuzzing of
        # POST /api/session) soon make the rate limit refuse even good passwords from it.
        bearer = log_in(records, user, PASSWORD)[0] if key(case.operation) == LOGOUT else token
        headers = {"Authorization": f"Bearer {bearer}"}
        response = case.call(headers=headers)
        if not reaches(case, response):
            if response.status_code == 401 and not carries_token(response):
                assert_error_shape(response)  # a negative case spoiled the header: refused before routing
                return
            assert_answered_by_router(response)
            return
        case.validate_response(response, checks=CHECKS, headers=headers)
        if response.status_code >= 400:
            assert_error_shape(response)
        if response.status_code == 200:
            assert_readable(clearance, body_of(response))
        if response.status_code == 201:
            assert_created(client, case, response.json())
        if response.status_code == 204:
            assert resume(records, bearer) is None, "logged out, yet the session still works"

    failures = [failure for op in operations(schema) for failure in fuzz(op, examine)]
    assert not failures, "\n\n".join(failures)
    # The shared session was not ended along the way: every case above really was sent logged in.
    assert client.get("/api/me").status_code == 200


def assert_created(client: TestClient, case: AnyCase, body: dict[str, Any]) -> None:
    """What a 201 says was made can be found: a record its author reads back (its label is never above their own
    clearance); a user or a grant an admin made is shown, or, held by the two-person rule, waits among the changes."""
    if "id" in body:
        created = client.get(f"{case.formatted_path}/{quote(body['id'], safe='')}")
        assert created.status_code == 200, created.text
        return
    assert set(body) == {"done", "change", "detail"}, body
    if body["done"]:
        name = (case.path_parameters or {}).get("name") or case.body["name"]
        assert client.get(f"/api/users/{quote(name, safe='')}").status_code == 200, body
    else:
        held = [change["id"] for change in client.get("/api/changes").json()]
        assert body["change"] in held, (body, held)


def test_anonymous_callers_get_401_and_no_data(schema: BaseSchema, records: Workspace) -> None:
    # `records`: there is something to leak.

    def examine(case: AnyCase) -> None:
        response = case.call()
        if not reaches(case, response):
            # No token: refused before routing (401); with one, the router answers (404/405).
            assert response.status_code in (401, 404, 405), f"{response.status_code}: {response.text[:500]}"
            assert_error_shape(response)
            return
        case.validate_response(response, checks=CHECKS)
        assert_error_shape(response)  # exactly the error: no items, record, counts or user
        # Without a token the call is refused before its input is read (nothing about the parameters leaks); with a
        # made-up one, FastAPI validates first, so a malformed call may be refused as such (400 not text, 422 invalid).
        sent_token = any(name.lower() == "authorization" for name in (case.headers or {}))
        # A query over the limit (2,500 characters) is refused before any route reads it (414), token or not checked.
        allowed = (400, 401, 414, 422) if is_negative(case) and sent_token else (401,)
        assert response.status_code in allowed, f"{response.status_code}: {response.text[:500]}"
        if response.status_code == 401:
            assert response.headers.get("www-authenticate") == ["Bearer"], response.headers

    failures = [failure for op in operations(schema) if key(op) != LOGIN for failure in fuzz(op, examine)]
    assert not failures, "\n\n".join(failures)


def test_login_with_generated_credentials_never_succeeds(schema: BaseSchema) -> None:
    statuses: set[int] = set()

    def examine(case: AnyCase) -> None:
        response = case.call()
        case.validate_response(response, checks=CHECKS)
        statuses.add(response.status_code)
        # Well-formed random credentials are wrong (401) or, after enough failures, slowed down (429); a malformed
        # body may be refused before the password check (400: not even text, 422: invalid).
        allowed = (400, 401, 422, 429) if is_negative(case) else (401, 429)
        assert response.status_code in allowed, f"{response.status_code}: {response.text[:500]}"
        assert_error_shape(response)
        assert "set-cookie" not in response.headers, response.headers

    (operation,) = [op for op in operations(schema) if key(op) == LOGIN]
    failures = fuzz(operation, examine)
    assert not failures, "\n\n".join(failures)
    # The password check itself was reached, not only the validation of the body. (The rate limit's 429 comes once
    # enough generated names have failed from the test client's address; how soon depends on the draw.)
    assert 401 in statuses, statuses
