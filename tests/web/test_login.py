"""Login, sessions, CSRF, rate limiting, logout and the server-mode secret."""

from __future__ import annotations

import math
import secrets
from collections.abc import Callable
from datetime import UTC, datetime, timedelta

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from hypothesis import given, settings
from hypothesis import strategies as st
from sqlalchemy import select, update

from conftest import PASSWORD, SECRET, as_user, login_token, page_csrf
from kizashi.errors import ConfigError
from kizashi.model import AuditEvent, WebSession
from kizashi.protect import people
from kizashi.protect.people.sessions import token_hash
from kizashi.store.workspace import Workspace
from kizashi.web.app import create_app
from kizashi.web.security import secret_bits, server_secret


def _form_login(client: TestClient, name: str, password: str, **extra: str) -> object:
    data = {"name": name, "password": password, "login_token": login_token(client), "next": "/needs", **extra}
    return client.post("/login", data=data, follow_redirects=False)


def _actions(workspace: Workspace) -> list[tuple[str, str]]:
    with workspace.session() as session:
        return [(e.actor, e.action) for e in session.scalars(select(AuditEvent).order_by(AuditEvent.seq))]


def test_pages_send_anonymous_users_to_login(anonymous: TestClient) -> None:
    response = anonymous.get("/needs?q=x", follow_redirects=False)
    assert response.status_code == 303
    assert response.headers["location"] == "/login?next=/needs%3Fq%3Dx"


def test_login_sets_an_httponly_session_cookie_and_goes_to_next(
    anonymous: TestClient, web_workspace: Workspace
) -> None:
    response = _form_login(anonymous, "ana", PASSWORD)
    assert response.status_code == 303
    assert response.headers["location"] == "/needs"
    cookie = response.headers["set-cookie"]
    assert "kizashi_session=" in cookie and "HttpOnly" in cookie and "SameSite=lax" in cookie
    assert anonymous.get("/").status_code == 200
    assert ("ana", "login") in _actions(web_workspace)
    # Only the hash of the token is stored.
    token = anonymous.cookies["kizashi_session"]
    with web_workspace.session() as session:
        stored = [row.token_hash for row in session.scalars(select(WebSession))]
    assert token not in stored and token_hash(token) in stored


def test_wrong_password_and_unknown_user_look_the_same(anonymous: TestClient, web_workspace: Workspace) -> None:
    wrong = _form_login(anonymous, "ana", "not the password at all")
    unknown = _form_login(anonymous, "nobody", "not the password at all")
    assert wrong.status_code == unknown.status_code == 401
    assert "kizashi_session" not in anonymous.cookies
    for response in (wrong, unknown):
        assert 'id="login-error"' in response.text
    assert ("ana", "login_failed") in _actions(web_workspace)
    assert ("nobody", "login_failed") in _actions(web_workspace)


def test_login_form_needs_its_csrf_token(anonymous: TestClient) -> None:
    login_token(anonymous)  # sets the nonce cookie
    response = anonymous.post(
        "/login", data={"name": "ana", "password": PASSWORD, "login_token": "forged"}, follow_redirects=False
    )
    assert response.status_code == 403
    assert "kizashi_session" not in anonymous.cookies


def test_next_never_leaves_the_site(anonymous: TestClient) -> None:
    for target in ("//evil.example/", "https://evil.example/", "/\\evil.example"):
        response = _form_login(anonymous, "ana", PASSWORD, next=target)
        assert response.headers["location"] == "/"


def test_failed_logins_are_rate_limited_per_name(
    anonymous: TestClient, web_workspace: Workspace, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("KIZASHI_LOGIN_FAILURES", "3")
    for _ in range(3):
        assert _form_login(anonymous, "ana", "wrong wrong wrong").status_code == 401
    # Even the right password is refused now, so guessing gains nothing.
    assert _form_login(anonymous, "ana", PASSWORD).status_code == 429
    assert ("ana", "login_refused") in _actions(web_workspace)
    # Another user is not locked out by ana's failures.
    assert _form_login(anonymous, "low", PASSWORD).status_code == 303


def freeze_the_throttle_clock(monkeypatch: pytest.MonkeyPatch) -> None:
    """The throttle's clock stopped: every attempt comes at once, as a burst does on a fast machine. Else, on a loaded
    one, a guess arriving more than the first wait (2 s) after the failure that used up the budget is admitted, as
    the rule means it to be, and the count the test expects is a matter of speed."""
    moment = datetime.now(UTC)
    monkeypatch.setattr("kizashi.protect.people.throttle.now", lambda: moment)


def test_api_login_is_rate_limited_too(app: FastAPI, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("KIZASHI_LOGIN_FAILURES", "2")
    freeze_the_throttle_clock(monkeypatch)
    client = TestClient(app)
    statuses = [
        client.post("/api/session", json={"name": "low", "password": "guess " * 3}).status_code for _ in range(3)
    ]
    assert statuses == [401, 401, 429]
    body = client.post("/api/session", json={"name": "low", "password": PASSWORD}).json()
    assert body["error"]["code"] == "too_many_attempts"


def test_logout_needs_csrf_and_ends_the_session(browser: Callable[[str], TestClient], web_workspace: Workspace) -> None:
    client = browser("ana")
    page = client.get("/")
    assert client.post("/logout", data={"csrf_token": "wrong"}).status_code == 403
    assert client.get("/", follow_redirects=False).status_code == 200
    token = client.cookies["kizashi_session"]
    response = client.post("/logout", data={"csrf_token": page_csrf(page.text)}, follow_redirects=False)
    assert response.status_code == 303
    # The old token no longer works even if someone kept a copy of the cookie.
    stale = TestClient(client.app)
    stale.cookies.set("kizashi_session", token)
    assert stale.get("/", follow_redirects=False).status_code == 303
    assert ("ana", "logout") in _actions(web_workspace)


def test_idle_and_old_sessions_end(browser: Callable[[str], TestClient], web_workspace: Workspace) -> None:
    client = browser("ana")
    assert client.get("/", follow_redirects=False).status_code == 200
    with web_workspace.session() as session:
        session.execute(update(WebSession).values(last_seen_at=datetime.now(UTC) - timedelta(minutes=31)))
    assert client.get("/", follow_redirects=False).status_code == 303

    client = browser("ana")
    with web_workspace.session() as session:
        session.execute(update(WebSession).values(created_at=datetime.now(UTC) - timedelta(hours=13)))
    assert client.get("/", follow_redirects=False).status_code == 303


def test_revocation_takes_effect_on_the_next_request(
    browser: Callable[[str], TestClient], web_workspace: Workspace
) -> None:
    client = browser("ana")
    assert client.get("/api/me").json()["clearance"]["level"] == "CONFIDENTIAL"
    people.revoke(web_workspace, as_user(web_workspace, "boss"), "ana")
    assert client.get("/api/me").json()["clearance"] == {"level": "PUBLIC", "compartments": []}


def test_password_change_by_an_admin_ends_the_users_sessions(
    browser: Callable[[str], TestClient],
) -> None:
    ana = browser("ana")
    boss = browser("boss")
    page = boss.get("/admin/users/ana")
    response = boss.post(
        "/admin/users/ana/password", data={"csrf_token": page_csrf(page.text), "password": "a brand new passphrase"}
    )
    assert response.status_code == 200 and 'id="done"' in response.text
    assert ana.get("/", follow_redirects=False).status_code == 303


def test_security_headers_on_every_page(anonymous: TestClient) -> None:
    for path in ("/login", "/api/openapi.json", "/nowhere"):
        headers = anonymous.get(path).headers
        assert "default-src 'self'" in headers["content-security-policy"]
        assert "frame-ancestors 'none'" in headers["content-security-policy"]
        assert headers["x-content-type-options"] == "nosniff"
        assert headers["x-frame-options"] == "DENY"


def test_pages_load_nothing_from_outside(browser: Callable[[str], TestClient]) -> None:
    client = browser("boss")
    for path in ("/", "/needs", "/admin/users", "/api/docs", "/needs/new"):
        html = client.get(path).text
        assert "http://" not in html.replace("http://www.w3.org/2000/svg", "") and "https://" not in html
    assert client.get("/static/htmx.min.js").status_code == 200


def test_server_mode_uses_secure_host_only_cookies(web_workspace: Workspace) -> None:
    client = TestClient(create_app(web_workspace, secret=SECRET, secure_cookies=True), base_url="https://testserver")
    response = _form_login(client, "ana", PASSWORD)
    cookie = response.headers["set-cookie"]
    assert cookie.startswith("__Host-kizashi_session=") and "Secure" in cookie and "Path=/" in cookie


@pytest.mark.parametrize(
    "configured",
    [
        None,
        "",
        "short",
        "changeme-changeme-changeme-changeme",
        "a" * 40,
        "kizashi-secret-0123456789abcdefghij",
        # Long and varied to the eye, but a sequence (and the same in full width), or a short block repeated.
        "abcdefghijklmnopqrstuvwxyzABCDEF",
        "ａｂｃｄｅｆｇｈｉｊｋｌｍｎｏｐｑｒｓｔｕｖｗｘｙｚＡＢＣＤＥＦ",
        "zyxwvutsrqponmlkjihgfedcba9876543210",
        "Xk7#Xk7#Xk7#Xk7#Xk7#Xk7#Xk7#Xk7#Xk7#",
        "9f86d081884c7d65",  # 64 random bits: random, but not enough
    ],
)
def test_server_mode_refuses_a_missing_or_weak_secret(configured: str | None) -> None:
    with pytest.raises(ConfigError, match="KIZASHI_SECRET_KEY"):
        server_secret(configured, server_mode=True)


def test_a_weak_secret_is_told_how_to_make_a_good_one() -> None:
    with pytest.raises(ConfigError) as refused:
        server_secret("abcdefghijklmnopqrstuvwxyzABCDEF", server_mode=True)
    assert "too weak" in refused.value.detail and "secrets.token_urlsafe(32)" in refused.value.detail


def test_what_the_suggested_command_makes_is_accepted() -> None:
    # Real randomness, many times over: a token of 256 random bits is estimated far above 128 (about 250 at worst
    # over thousands of draws), so a refusal here would be the estimator's fault, not chance.
    for _ in range(2000):
        made = secrets.token_urlsafe(32)
        assert server_secret(made, server_mode=True) == made


@settings(max_examples=200, deadline=None)
@given(st.text(st.characters(min_codepoint=32, max_codepoint=126), min_size=1, max_size=8), st.integers(2, 40))
def test_repeating_a_block_adds_almost_nothing(block: str, times: int) -> None:
    assert secret_bits(block * times) <= secret_bits(block) + math.log2(times) + 1e-9


def test_loopback_runs_with_a_random_secret_and_server_mode_keeps_a_strong_one() -> None:
    first, second = server_secret(None, server_mode=False), server_secret(None, server_mode=False)
    assert first != second and len(first) >= 32
    strong = "Zq8v2Lr5Xw1Kp9Nt3Hs7Jd4Fb6Mc0Gy_Ue"
    assert server_secret(strong, server_mode=True) == strong


def test_serve_refuses_to_start_beyond_loopback_without_a_secret(cli, web_workspace: Workspace, monkeypatch) -> None:
    monkeypatch.delenv("KIZASHI_SECRET_KEY", raising=False)
    result = cli("serve", "--host", "0.0.0.0", "--port", "8999")
    assert result.code == 2
    assert "KIZASHI_SECRET_KEY" in result.err
    monkeypatch.setenv("KIZASHI_SECRET_KEY", "password-password-password-password")
    result = cli("serve", "--server", "--port", "8999")
    assert result.code == 2 and "too weak" in result.err


def test_parallel_guesses_do_not_beat_the_limit(app: FastAPI, monkeypatch: pytest.MonkeyPatch) -> None:
    from concurrent.futures import ThreadPoolExecutor

    monkeypatch.setenv("KIZASHI_LOGIN_FAILURES", "3")
    freeze_the_throttle_clock(monkeypatch)

    def guess(number: int) -> int:
        with TestClient(app) as client:
            return client.post("/api/session", json={"name": "ana", "password": f"guess number {number}"}).status_code

    with ThreadPoolExecutor(max_workers=8) as pool:
        statuses = list(pool.map(guess, range(16)))
    assert statuses.count(401) <= 3 and set(statuses) <= {401, 429}


def test_logging_in_again_ends_the_old_session(browser: Callable[[str], TestClient]) -> None:
    client = browser("ana")
    old = client.cookies["kizashi_session"]
    response = client.post(
        "/login",
        data={"name": "ana", "password": PASSWORD, "login_token": login_token(client), "next": "/"},
        follow_redirects=False,
    )
    assert response.status_code == 303 and client.cookies["kizashi_session"] != old
    stale = TestClient(client.app)
    stale.cookies.set("kizashi_session", old)
    assert stale.get("/", follow_redirects=False).status_code == 303


def test_no_admin_raises_their_own_clearance(web_workspace: Workspace, browser: Callable[[str], TestClient]) -> None:
    # root is created with its password: boss is still the only admin then, so nothing is held yet. (Setting the
    # password of root, an admin, afterwards would itself wait for a second admin.)
    created = people.add_user(web_workspace, as_user(web_workspace, "boss"), "root", roles=["admin"], password=PASSWORD)
    assert created.done
    root = browser("root")
    csrf = page_csrf(root.get("/admin/users/root").text)
    # A grant to oneself is held for a second admin (the two-person rule), not carried out.
    held = root.post("/admin/users/root/grant", data={"csrf_token": csrf, "level": "SECRET"})
    assert held.status_code == 200 and 'id="held"' in held.text and 'id="done"' not in held.text
    assert root.get("/api/me").json()["clearance"]["level"] == "PUBLIC"
    (change,) = people.pending_changes(web_workspace, as_user(web_workspace, "boss"))
    assert (change["kind"], change["target"], change["proposed_by"]) == ("grant", "root", "root")
    # Nor may its proposer approve it.
    refused = root.post(f"/admin/changes/{change['id']}", data={"csrf_token": csrf, "decision": "approve"})
    assert refused.status_code == 403
    assert root.get("/api/me").json()["clearance"]["level"] == "PUBLIC"
    # Another admin may (SECRET without training counts as INTERNAL).
    boss = browser("boss")
    approved = boss.post(
        f"/admin/changes/{change['id']}", data={"csrf_token": page_csrf(boss.get("/").text), "decision": "approve"}
    )
    assert approved.status_code == 200 and 'id="done"' in approved.text
    assert root.get("/api/me").json()["clearance"]["level"] == "INTERNAL"
    actions = _actions(web_workspace)
    assert ("root", "change_proposed") in actions and ("root", "denied") in actions
    assert ("boss", "change_approved") in actions
