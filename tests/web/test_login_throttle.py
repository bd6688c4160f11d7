"""Login throttling: a growing wait per name and address instead of a lock-out, refusals counted instead of stored,
a name's owner never held long by others' failures, and `kizashi user unlock`."""

from __future__ import annotations

import math
from collections.abc import Callable
from datetime import timedelta

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from hypothesis import given, settings
from hypothesis import strategies as st
from sqlalchemy import func, select

from conftest import PASSWORD, login_token
from kizashi.model import AuditEvent, LoginAttempt, LoginRefusal
from kizashi.protect.people import throttle
from kizashi.protect.people.throttle import SHORT_WAIT, SPREAD, Tally, delay, wait
from kizashi.store.workspace import Workspace

LOGIN_EVENTS = ("login", "login_failed", "login_refused")


def _client(app: FastAPI, address: str) -> TestClient:
    # Addresses from the documentation range (RFC 5737): only the request's scope carries them, nothing is sent.
    return TestClient(app, client=(address, 50000))


def _api_login(client: TestClient, name: str, password: str) -> int:
    return client.post("/api/session", json={"name": name, "password": password}).status_code


def _events(workspace: Workspace, *actions: str) -> list[AuditEvent]:
    with workspace.session() as session:
        query = select(AuditEvent).where(AuditEvent.action.in_(actions)).order_by(AuditEvent.seq)
        return list(session.scalars(query))


def _count(workspace: Workspace, table: type) -> int:
    with workspace.session() as session:
        return int(session.scalar(select(func.count()).select_from(table)) or 0)


def _time_passes(workspace: Workspace, seconds: float) -> None:
    """Move every failure `seconds` into the past, as if that long had gone by."""
    with workspace.session() as session:
        for attempt in session.scalars(select(LoginAttempt)):
            attempt.at = attempt.at - timedelta(seconds=seconds)


def test_a_flood_writes_a_bounded_number_of_rows_and_events(
    app: FastAPI, web_workspace: Workspace, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("KIZASHI_LOGIN_FAILURES", "3")
    attacker = _client(app, "192.0.2.66")
    statuses = [_api_login(attacker, "boss", f"guess number {n}") for n in range(200)]
    assert statuses[:3] == [401, 401, 401] and statuses.count(429) >= 190
    # Only the attempts whose password was checked are rows (3, and one more each time a wait ran out), and one
    # row counts the refusals of this name and address.
    assert _count(web_workspace, LoginAttempt) <= 3 + 4
    assert _count(web_workspace, LoginRefusal) == 1
    events = _events(web_workspace, *LOGIN_EVENTS)
    assert len(events) <= 3 + 4 + 1
    refused = [e for e in events if e.action == "login_refused"]
    assert len(refused) == 1 and refused[0].origin == "192.0.2.66" and refused[0].detail["retry_after"] >= 1
    # Every refusal is accounted for: the one that wrote the event, those reported with a later event for this
    # name and address (refused_before), and those still counted on the row.
    with web_workspace.session() as session:
        unreported = int(session.scalar(select(LoginRefusal.unreported)) or 0)
    reported = sum(e.detail.get("refused_before", 0) for e in events)
    assert len(refused) + reported + unreported == statuses.count(429)
    # The next event for this name and address reports what is still counted.
    _time_passes(web_workspace, 3600)
    assert _api_login(attacker, "boss", "one more guess after an hour") == 401
    last = _events(web_workspace, "login_failed")[-1]
    assert last.detail.get("refused_before", 0) == unreported
    with web_workspace.session() as session:
        assert session.scalar(select(LoginRefusal.unreported)) == 0


def test_a_refusal_says_when_to_come_back(app: FastAPI, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("KIZASHI_LOGIN_FAILURES", "2")
    # The clock stands still, so that a slow machine cannot let the 2 s wait run out between the requests.
    moment = throttle.now()
    monkeypatch.setattr(throttle, "now", lambda: moment)
    client = _client(app, "192.0.2.7")
    for _ in range(2):
        _api_login(client, "ana", "wrong wrong wrong")
    api = client.post("/api/session", json={"name": "ana", "password": PASSWORD})
    assert api.status_code == 429 and int(api.headers["retry-after"]) == 2
    assert api.json()["error"]["code"] == "too_many_attempts"
    form = client.post(
        "/login",
        data={"name": "ana", "password": PASSWORD, "login_token": login_token(client), "next": "/"},
        follow_redirects=False,
    )
    assert form.status_code == 429 and int(form.headers["retry-after"]) == 2
    assert 'id="retry-after"' in form.text


def test_the_wait_grows_and_then_lets_the_right_password_in(
    app: FastAPI, web_workspace: Workspace, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("KIZASHI_LOGIN_FAILURES", "2")
    client = _client(app, "192.0.2.8")
    waits = []
    for _ in range(4):
        while (
            response := client.post("/api/session", json={"name": "ana", "password": "wrong wrong"})
        ).status_code == 429:
            waits.append(int(response.headers["retry-after"]))
            _time_passes(web_workspace, int(response.headers["retry-after"]))
        assert response.status_code == 401
    assert waits == [2, 4]  # after the 2nd failure 2 s, after the 3rd 4 s
    assert _api_login(client, "ana", PASSWORD) == 429  # 8 s after the 4th
    _time_passes(web_workspace, 8)
    assert _api_login(client, "ana", PASSWORD) == 200


def test_a_flood_from_one_address_does_not_slow_the_owner_elsewhere(
    app: FastAPI, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("KIZASHI_LOGIN_FAILURES", "2")
    attacker = _client(app, "192.0.2.66")
    assert {_api_login(attacker, "boss", "guess guess guess") for _ in range(30)} == {401, 429}
    assert _api_login(_client(app, "198.51.100.1"), "boss", PASSWORD) == 200


def test_a_distributed_flood_holds_the_owner_at_most_the_short_wait(
    app: FastAPI, web_workspace: Workspace, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("KIZASHI_LOGIN_FAILURES", "2")  # 8 failures on a name across addresses before it slows
    for n in range(20):  # twenty addresses, one guess each, 31 seconds apart: all checked, all failed
        if n:
            _time_passes(web_workspace, 31)
        assert _api_login(_client(app, f"192.0.2.{n + 10}"), "boss", "guess guess guess") == 401
    owner = _client(app, "198.51.100.1")
    response = owner.post("/api/session", json={"name": "boss", "password": PASSWORD})
    assert response.status_code == 429
    retry = int(response.headers["retry-after"])
    assert retry == SHORT_WAIT  # the name's own wait is long by now; an address within its budget waits 30 s
    _time_passes(web_workspace, retry)
    assert _api_login(owner, "boss", PASSWORD) == 200
    # An address that used up its own budget on the name is held far longer.
    persistent = _client(app, "192.0.2.99")
    for _ in range(2):
        assert _api_login(persistent, "boss", "guess guess guess") == 401
        _time_passes(web_workspace, 60)
    held = persistent.post("/api/session", json={"name": "boss", "password": "guess guess guess"})
    assert held.status_code == 429 and int(held.headers["retry-after"]) > 10 * SHORT_WAIT


def test_unlock_clears_a_name_and_is_audited(
    app: FastAPI, web_workspace: Workspace, cli, login_as: Callable[[str], None], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("KIZASHI_LOGIN_FAILURES", "2")
    client = _client(app, "192.0.2.5")
    for _ in range(5):
        _api_login(client, "ana", "wrong wrong wrong")
    assert _api_login(client, "ana", PASSWORD) == 429
    login_as("ana")
    denied = cli("user", "unlock", "ana")
    assert denied.code == 2 and "may not administer users" in denied.err
    login_as("boss")
    unlocked = cli("user", "unlock", "ana")
    assert unlocked.code == 0 and "ana" in unlocked.out and "2 failed login(s)" in unlocked.out
    assert _api_login(client, "ana", PASSWORD) == 200
    (event,) = _events(web_workspace, "unlock")
    assert (event.actor, event.records, event.detail["failures"]) == ("boss", ["user:ana"], 2)
    assert event.detail["refused_unreported"] >= 1
    (refusal,) = [e for e in _events(web_workspace, "denied") if e.actor == "ana"]
    assert refusal.detail["service"] == "users.unlock"


def test_the_login_form_keeps_its_nonce_for_the_same_browser(app: FastAPI) -> None:
    browser = TestClient(app)
    first_tab = login_token(browser)
    second_tab = login_token(browser)
    assert first_tab == second_tab  # a second tab does not void the first one's form
    response = browser.post(
        "/login",
        data={"name": "ana", "password": PASSWORD, "login_token": first_tab, "next": "/"},
        follow_redirects=False,
    )
    assert response.status_code == 303
    # Another browser gets its own, and a cookie that is no nonce of ours is replaced.
    assert login_token(TestClient(app)) != first_tab
    forged = TestClient(app)
    forged.cookies.set("kizashi_login", "x" * 300)
    cookie = forged.get("/login").headers["set-cookie"]
    assert cookie.startswith("kizashi_login=") and "x" * 300 not in cookie


TALLIES = st.builds(
    Tally,
    failures=st.integers(0, 500),
    ago=st.one_of(st.just(math.inf), st.floats(0, 3 * 24 * 3600, allow_nan=False)),
)


@settings(max_examples=300, deadline=None)
@given(pair=TALLIES, by_name=TALLIES, by_origin=TALLIES, allowed=st.integers(1, 1000), minutes=st.integers(1, 1440))
def test_the_wait_rule(pair: Tally, by_name: Tally, by_origin: Tally, allowed: int, minutes: int) -> None:
    window = minutes * 60.0
    due = wait(pair, by_name, by_origin, allowed=allowed, window=window)
    # Never negative, never longer than the window.
    assert 0 <= due <= window
    # Within every budget, no wait at all.
    if pair.failures < allowed and by_name.failures < SPREAD * allowed and by_origin.failures < SPREAD * allowed:
        assert due == 0
    # An address within its own budget on the name, and within its budget across names, waits at most SHORT_WAIT,
    # whatever others did to the name.
    if pair.failures < allowed and by_origin.failures < SPREAD * allowed:
        assert due <= SHORT_WAIT
    # One more failure, counted any way, never shortens the wait.
    for more in (
        (Tally(pair.failures + 1, pair.ago), by_name, by_origin),
        (pair, Tally(by_name.failures + 1, by_name.ago), by_origin),
        (pair, by_name, Tally(by_origin.failures + 1, by_origin.ago)),
    ):
        assert wait(*more, allowed=allowed, window=window) >= due


@given(failures=st.integers(0, 10_000), budget=st.integers(1, 100), cap=st.floats(1, 86_400))
def test_the_delay_doubles_from_two_seconds_up_to_its_cap(failures: int, budget: int, cap: float) -> None:
    expected = 0.0 if failures < budget else min(2.0 ** min(failures - budget + 1, 100), cap)
    assert delay(failures, budget, cap) == pytest.approx(expected)
