"""The pages: language, lists and search, detail, intake, admin, and the API's error shape."""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select

from conftest import PASSWORD, as_user, page_csrf
from kizashi.ingest.dispatch import ingest
from kizashi.model import AuditEvent, Grant, Need
from kizashi.store.readable import select_trusted
from kizashi.store.workspace import Workspace
from kizashi.web.context import TEMPLATES
from kizashi.web.i18n import MESSAGES

CORDIS = Path(__file__).parent.parent / "fixtures" / "cordis"


def _events(workspace: Workspace, action: str) -> list[AuditEvent]:
    with workspace.session() as session:
        events = list(session.scalars(select(AuditEvent).where(AuditEvent.action == action).order_by(AuditEvent.seq)))
        session.expunge_all()
    return events


def test_every_message_a_template_uses_has_both_languages() -> None:
    used: set[str] = set()
    for template in TEMPLATES.glob("*.j2"):
        used.update(re.findall(r"""\bt\(\s*["']([a-z_]+)["']\s*\)""", template.read_text(encoding="utf-8")))
    used.update(f"new_{kind}" for kind in ("need", "seed"))  # built as "new_" ~ kind[:-1]
    missing = sorted(key for key in used if key not in MESSAGES)
    assert not missing
    for key, (ja, en) in MESSAGES.items():
        assert ja and en, key


def test_japanese_by_default_english_on_request_and_remembered(browser: Callable[[str], TestClient]) -> None:
    client = browser("ana")
    assert "ダッシュボード" in client.get("/").text
    assert "Dashboard" in client.get("/?lang=en").text
    assert '<html lang="en">' in client.get("/needs").text
    assert "ダッシュボード" in client.get("/?lang=ja").text
    assert "ニーズ" in client.get("/needs").text


@pytest.fixture
def with_needs(web_workspace: Workspace, tmp_path: Path) -> Workspace:
    path = tmp_path / "needs.csv"
    path.write_text(
        "id,title,description,label,compartments,lang,country\n"
        "n-pub,Drone search in rubble,collapsed buildings,PUBLIC,,en,JP\n"
        "n-int,Tsunami sensors offshore,early warning,INTERNAL,,en,JP\n"
        "n-conf,無人機による捜索,倒壊現場,CONFIDENTIAL,alpha,ja,JP\n"
        "n-sec,Quantum key distribution,secure links,SECRET,beta,en,US\n",
        encoding="utf-8",
    )
    ingest(web_workspace, as_user(web_workspace, "boss"), "needs", [path])
    return web_workspace


def _ids(html: str, kind: str = "needs") -> set[str]:
    return set(re.findall(rf'href="/{kind}/([^"/]+)"', html)) - {"new"}


def test_list_search_and_filters(with_needs: Workspace, browser: Callable[[str], TestClient]) -> None:
    client = browser("boss")
    assert _ids(client.get("/needs").text) == {"n-pub", "n-int", "n-conf", "n-sec"}
    assert _ids(client.get("/needs?q=drone+rubble").text) == {"n-pub"}
    assert _ids(client.get("/needs?q=drone+tsunami").text) == set()  # every word must match
    assert _ids(client.get("/needs?q=無人機&literal=1").text) == {"n-conf"}
    assert _ids(client.get("/needs?q=無人機").text) == {"n-conf", "n-pub"}  # 無人機 → drone (search across languages)
    assert _ids(client.get("/needs?country=US").text) == {"n-sec"}
    assert _ids(client.get("/needs?level=INTERNAL").text) == {"n-int"}
    assert _ids(client.get("/needs?q=%25").text) == set()  # LIKE wildcards are literal
    partial = client.get("/needs?q=tsunami", headers={"HX-Request": "true"}).text
    assert "<html" not in partial and _ids(partial) == {"n-int"}
    assert 'data-label="INTERNAL"' in partial
    assert client.get("/needs?lang_x=1&page=0").status_code == 422 or client.get("/needs?page=0").status_code == 422


def test_the_list_is_labelled_with_the_highest_label_shown(
    with_needs: Workspace, browser: Callable[[str], TestClient]
) -> None:
    client = browser("boss")
    html = client.get("/needs").text
    assert re.search(r'data-label="SECRET">[^<]*<strong>極秘</strong> // alpha / beta', html)
    assert 'data-label="PUBLIC"' in client.get("/needs?q=drone&literal=1").text  # drone alone would find 無人機 too


def test_reads_are_audited_with_the_records_shown(with_needs: Workspace, browser: Callable[[str], TestClient]) -> None:
    client = browser("ana")
    client.get("/needs?q=tsunami")
    client.get("/needs/n-conf")
    reads = [e for e in _events(with_needs, "read") if e.actor == "ana"]
    assert reads[-2].records == ["n-int"] and reads[-2].detail["query"] == "tsunami"
    assert reads[-1].records == ["n-conf"]


def test_detail_and_not_found_look_alike(with_needs: Workspace, browser: Callable[[str], TestClient]) -> None:
    client = browser("ana")
    page = client.get("/needs/n-conf")
    assert page.status_code == 200 and "無人機による捜索" in page.text and 'data-label="CONFIDENTIAL"' in page.text
    hidden, missing = client.get("/needs/n-sec"), client.get("/needs/n-zzz")
    assert hidden.status_code == missing.status_code == 404
    assert hidden.text == missing.text
    denied = _events(with_needs, "denied")[-2:]
    # Audited by the reading service alike: the request each came by, the same service, code and reason.
    assert [e.detail["via"] for e in denied] == ["GET /needs/n-sec", "GET /needs/n-zzz"]
    assert {e.detail["code"] for e in denied} == {"not_found"} and {e.actor for e in denied} == {"ana"}
    asked = ("n-sec", "n-zzz")
    alike = {(e.detail["service"], e.detail["why"].replace(i, "ID")) for e, i in zip(denied, asked, strict=True)}
    assert len(alike) == 1 and {e.detail["service"] for e in denied} == {"records.read"}
    assert client.get("/nothing").status_code == 404


def test_intake_creates_a_labelled_audited_need(web_workspace: Workspace, browser: Callable[[str], TestClient]) -> None:
    client = browser("ana")
    form = client.get("/needs/new").text
    assert '<option value="SECRET"' not in form  # not offered above the user's own level
    response = client.post(
        "/needs/new",
        data={
            "csrf_token": page_csrf(form),
            "title": "倒壊現場で要救助者を無人機で捜索する能力が必要",
            "description": "夜間・粉塵下でも",
            "trl": "4",
            "keywords": "無人機; 捜索",
            "level": "CONFIDENTIAL",
            "compartments": "alpha",
        },
        follow_redirects=False,
    )
    assert response.status_code == 303
    record_id = response.headers["location"].removeprefix("/needs/")
    with web_workspace.session() as session:
        stored = select_trusted(Need, why="a test checks the record as stored").where(Need.id == record_id)
        need = session.scalars(stored).one_or_none()
        assert need is not None
        assert (need.level, need.compartments, need.lang, need.trl, need.keywords) == (
            "CONFIDENTIAL",
            ["alpha"],
            "ja",
            4,
            ["無人機", "捜索"],
        )
    created = _events(web_workspace, "create")[-1]
    assert (created.actor, created.records, created.detail["level"]) == ("ana", [record_id], "CONFIDENTIAL")
    assert record_id in _ids(client.get("/needs").text)


def test_intake_errors_keep_what_was_typed(
    web_workspace: Workspace, browser: Callable[[str], TestClient], snapshot
) -> None:
    client = browser("ana")
    csrf = page_csrf(client.get("/needs/new").text)
    before = snapshot(web_workspace)
    response = client.post(
        "/needs/new", data={"csrf_token": csrf, "title": "要救助者の捜索", "trl": "12", "level": "INTERNAL"}
    )
    assert response.status_code == 400
    assert 'id="form-error"' in response.text and "TRL" in response.text
    assert 'value="要救助者の捜索"' in response.text and 'value="12"' in response.text
    above = client.post("/needs/new", data={"csrf_token": csrf, "title": "x", "level": "SECRET"})
    assert above.status_code == 400 and "ご自身のクリアランスを超えています" in above.text  # the page's language
    other = client.post(
        "/needs/new", data={"csrf_token": csrf, "title": "x", "level": "PUBLIC", "compartments": "beta"}
    )
    assert other.status_code == 400
    forged = client.post("/needs/new", data={"csrf_token": "forged", "title": "x"})
    assert forged.status_code == 403
    after = snapshot(web_workspace)
    # Nothing written but the audit trail's note of the refused forgery.
    assert {k: v for k, v in after.items() if k != "audit_events"} == {
        k: v for k, v in before.items() if k != "audit_events"
    }
    assert _events(web_workspace, "denied")[-1].detail == {
        "service": "csrf",
        "code": "csrf_failed",
        "via": "POST /needs/new",
        "why": "missing or wrong CSRF token",
    }


def test_admin_pages_are_for_admins(browser: Callable[[str], TestClient]) -> None:
    assert browser("ana").get("/admin/users").status_code == 403
    html = browser("boss").get("/admin/users").text
    assert all(f"/admin/users/{name}" in html for name in ("boss", "ana", "low"))


def test_admin_grants_renews_and_revokes_through_pages(
    web_workspace: Workspace, browser: Callable[[str], TestClient]
) -> None:
    boss = browser("boss")
    csrf = page_csrf(boss.get("/admin/users/low").text)
    done = boss.post(
        "/admin/users/low/grant",
        data={
            "csrf_token": csrf,
            "level": "INTERNAL",
            "compartments_text": "gamma, 防衛",
            "expires": "2099-01-01",
            "reason": "project",
        },
    )
    assert done.status_code == 200 and 'id="done"' in done.text
    assert re.search(r'id="effective-level">部内限り<', done.text)
    with web_workspace.session() as session:
        grant = session.scalars(select(Grant).where(Grant.user == "low").order_by(Grant.id.desc())).first()
        assert grant is not None and grant.compartments == ["gamma", "防衛"]
        grant_id = grant.id
    renewed = boss.post(
        "/admin/users/low/renew", data={"csrf_token": csrf, "grant": str(grant_id), "expires": "2100-01-01"}
    )
    assert renewed.status_code == 200 and 'id="done"' in renewed.text
    past = boss.post(
        "/admin/users/low/renew", data={"csrf_token": csrf, "grant": str(grant_id), "expires": "2100-01-01"}
    )
    assert past.status_code == 404  # the old grant was closed by the renewal
    revoked = boss.post("/admin/users/low/revoke", data={"csrf_token": csrf, "confirmed": "yes"})
    assert revoked.status_code == 200
    assert re.search(r'id="effective-level">公開<', revoked.text)
    actions = [
        e.action
        for e in _events(web_workspace, "grant") + _events(web_workspace, "renew") + _events(web_workspace, "revoke")
    ]
    assert {"grant", "renew", "revoke"} <= set(actions)
    # A non-admin posting the same form is refused by the service, whatever the page shows.
    ana = browser("ana")
    ana_csrf = page_csrf(ana.get("/").text)
    assert ana.post("/admin/users/low/grant", data={"csrf_token": ana_csrf, "level": "SECRET"}).status_code == 403


def test_admin_adds_a_user_who_can_log_in(web_workspace: Workspace, browser: Callable[[str], TestClient]) -> None:
    boss = browser("boss")
    csrf = page_csrf(boss.get("/admin/users").text)
    weak = boss.post("/admin/users", data={"csrf_token": csrf, "name": "mika", "password": "short"})
    assert weak.status_code == 400 and "パスワードが弱すぎます" in weak.text  # the page's language
    added = boss.post(
        "/admin/users",
        data={"csrf_token": csrf, "name": "mika", "roles": "programme_manager", "password": PASSWORD},
        follow_redirects=False,
    )
    assert added.status_code == 303
    assert browser("mika").get("/api/me").json()["roles"] == ["programme_manager"]


def test_api_errors_have_one_shape(api: Callable[[str | None], TestClient]) -> None:
    client = api("ana")
    for path, status in (
        ("/api/records/needs/none", 404),
        ("/api/records/nothing", 422),
        ("/api/records/needs?limit=0", 422),
        ("/api/records/works?country=JP", 400),
        ("/api/unknown", 404),
    ):
        response = client.get(path)
        assert response.status_code == status, path
        body = response.json()
        assert set(body) == {"error"} and body["error"]["status"] == status and body["error"]["message"]
    anonymous = api(None).get("/api/records/needs")
    assert anonymous.status_code == 401 and anonymous.json()["error"]["code"] == "login_required"
    assert anonymous.headers["www-authenticate"] == "Bearer"


@pytest.mark.parametrize(
    ("path", "unknown"),
    [
        ("/api/records/needs?evil=1", "evil"),
        ("/api/records/needs?levl=SECRET&q=flood", "levl"),
        ("/api/me?x=", "x"),
        ("/api/match/n1?top=5&topp=2", "topp"),
    ],
)
def test_a_query_parameter_the_operation_does_not_take_is_refused(
    api: Callable[[str | None], TestClient], path: str, unknown: str
) -> None:
    # Ignored, a misspelt filter would answer as if nothing had been asked for: the whole list.
    response = api("ana").get(path)
    assert response.status_code == 400, response.text
    message = response.json()["error"]["message"]
    assert message.startswith(f"unknown query parameter(s) {unknown};"), message


def test_api_writes_with_a_cookie_need_the_csrf_header(browser: Callable[[str], TestClient]) -> None:
    client = browser("ana")
    body = {"title": "Seed without token", "level": "INTERNAL"}
    assert client.post("/api/records/seeds", json=body).status_code == 403
    csrf = page_csrf(client.get("/").text)
    assert client.post("/api/records/seeds", json=body, headers={"X-CSRF-Token": csrf}).status_code == 201


def test_api_docs_page_lists_the_operations(anonymous: TestClient) -> None:
    html = anonymous.get("/api/docs").text
    for path in ("/api/session", "/api/records/{kind}", "/api/records/{kind}/{record_id}", "/api/counts", "/api/me"):
        assert path in html
    assert anonymous.get("/api/openapi.json").json()["info"]["title"] == "kizashi API"


def test_tlp_amber_reaches_only_the_authors_organisation(
    web_workspace: Workspace, api: Callable[[str | None], TestClient]
) -> None:
    from conftest import PASSWORD
    from kizashi.protect.people import add_user, grant, set_password

    for name, organisation in (("kenji", "NISC"), ("yuki", "NISC"), ("sato", "JPCERT")):
        add_user(web_workspace, as_user(web_workspace, "boss"), name, roles=["analyst"], organisation=organisation)
        set_password(web_workspace, as_user(web_workspace, "boss"), name, PASSWORD)
        grant(web_workspace, as_user(web_workspace, "boss"), name, "INTERNAL")
    created = api("kenji").post(
        "/api/records/needs", json={"title": "脆弱性情報の共有", "level": "INTERNAL", "tlp": "TLP:AMBER+STRICT"}
    )
    assert created.status_code == 201, created.text
    record_id = created.json()["id"]
    shown = api("yuki").get(f"/api/records/needs/{record_id}").json()
    assert shown["label"]["tlp"] == "AMBER+STRICT" and shown["record"]["tlp_owner"] == "NISC"
    assert api("sato").get(f"/api/records/needs/{record_id}").status_code == 404
    assert record_id not in {item["id"] for item in api("sato").get("/api/records/needs").json()["items"]}
    # An author without an organisation could not read an AMBER record of their own: refused.
    refused = api("ana").post("/api/records/needs", json={"title": "x", "level": "INTERNAL", "tlp": "AMBER"})
    assert refused.status_code == 400 and "organisation" in refused.json()["error"]["message"]


def test_the_language_switch_keeps_the_page_query(anonymous: TestClient, browser: Callable[[str], TestClient]) -> None:
    login = anonymous.get("/login?next=/needs%3Fq%3Dx").text
    assert 'href="?next=%2Fneeds%3Fq%3Dx&amp;lang=en"' in login
    assert 'href="?q=drone&amp;lang=en"' in browser("ana").get("/needs?q=drone&lang=ja").text
    # Only the query: a path of the attacker's choosing must not become a link to another site.
    assert 'href="?lang=en"' in anonymous.get("//evil.example/x").text


def test_logout_without_a_session_goes_to_login(anonymous: TestClient) -> None:
    response = anonymous.post("/logout", data={"csrf_token": "x"}, follow_redirects=False)
    assert (response.status_code, response.headers["location"]) == (303, "/login")


def test_nul_characters_are_refused_cleanly(with_needs: Workspace, api: Callable[[str | None], TestClient]) -> None:
    """PostgreSQL cannot hold or compare NUL: every path turns it into a 4xx, never a 500."""
    client = api("ana")
    assert client.get("/api/records/needs?q=a%00").status_code == 400
    assert client.get("/api/records/needs?lang=e%00n").status_code == 400
    assert client.get("/api/records/needs/n-%00conf").status_code == 404
    assert client.post("/api/records/needs", json={"title": "a\x00b"}).status_code == 400
    assert api(None).post("/api/session", json={"name": "an\x00a", "password": "x"}).status_code == 401


def test_counts_carry_the_label_of_what_they_count(
    with_needs: Workspace, api: Callable[[str | None], TestClient], browser
) -> None:
    assert api("ana").get("/api/counts").json()["label"] == {
        "level": "CONFIDENTIAL",
        "compartments": ["alpha"],
        "tlp": None,
    }
    assert api("low").get("/api/counts").json()["label"]["level"] == "PUBLIC"
    assert 'data-label="CONFIDENTIAL"' in browser("ana").get("/").text


def test_api_intake_defaults_to_a_level_the_author_may_use(api: Callable[[str | None], TestClient]) -> None:
    created = api("low").post("/api/records/needs", json={"title": "公開の要望"})
    assert created.status_code == 201
    assert api("low").get(f"/api/records/needs/{created.json()['id']}").json()["label"]["level"] == "PUBLIC"
