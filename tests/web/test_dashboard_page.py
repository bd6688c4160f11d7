"""The dashboard page (issue 15): the counts once, then what awaits the reader, each item linked to where they act and
shown only to those who may take it; and the admin's confirmation before a revocation, which works without
JavaScript and acts only when confirmed. Both backends; Chromium for the revocation as an admin does it."""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select
from test_browser import Browser, browser_pool, new_browser, server  # noqa: F401 (fixtures, shared with test_browser)

from conftest import PASSWORD, as_user, page_csrf
from kizashi.ingest.dispatch import ingest
from kizashi.model import Grant
from kizashi.protect import people, release
from kizashi.protect.screening.screen import Party
from kizashi.protect.screening.store import load_list, screen
from kizashi.store import audit
from kizashi.store.workspace import Workspace

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures"


@pytest.fixture
def office(web_workspace: Workspace, tmp_path: Path) -> Workspace:
    """Needs without a run, a seed submitted for release review, a screening alert, a grant expiring soon; `so` a
    security officer and `pi` a principal investigator, both CONFIDENTIAL alpha."""
    boss = as_user(web_workspace, "boss")
    for name, role in (("pi", "principal_investigator"), ("so", "security_officer")):
        people.add_user(web_workspace, boss, name, roles=[role])
        people.set_password(web_workspace, boss, name, PASSWORD)
        people.grant(web_workspace, boss, name, "CONFIDENTIAL", compartments=["alpha"])
        people.record_training(web_workspace, boss, name, "security-basics", datetime(2026, 1, 1, tzinfo=UTC))
    (tmp_path / "needs.csv").write_text(
        "id,title,label,compartments\nn-pub,Flood sensors for rivers,PUBLIC,\nn-conf,Quantum radar,CONFIDENTIAL,alpha\n",
        encoding="utf-8",
    )
    (tmp_path / "seeds.csv").write_text("id,title,label\ns-pub,Open drone dataset,PUBLIC\n", encoding="utf-8")
    ingest(web_workspace, boss, "needs", [tmp_path / "needs.csv"])
    ingest(web_workspace, boss, "seeds", [tmp_path / "seeds.csv"])
    release.submit(web_workspace, as_user(web_workspace, "ana"), "s-pub", funding="private", kind="seeds")
    load_list(web_workspace, boss, FIXTURES / "lists" / "generic.csv")
    screen(web_workspace, as_user(web_workspace, "low"), [Party("1", "Toto Seimitsu Kogyo K.K.")])
    people.grant(web_workspace, boss, "low", "INTERNAL", expires_at=datetime.now(UTC) + timedelta(days=10))
    return web_workspace


def _item(html: str, item: str) -> str | None:
    found = re.search(rf'<div class="item" id="{item}" data-total="(\d+)">(.*?)</div>', html, re.S)
    return found.group(0) if found else None


def test_each_reader_sees_what_awaits_them_linked_to_where_they_act(
    office: Workspace, browser: Callable[[str], TestClient]
) -> None:
    boss = browser("boss").get("/?lang=en").text
    # Admin: needs (every need: no saved run yet), alerts, expiring grants; no review waits on an admin here.
    needs = _item(boss, "dash-needs")
    assert needs and 'data-total="2"' in needs and 'href="/match/n-conf"' in needs and 'id="dash-no-run"' in boss
    alerts = _item(boss, "dash-alerts")
    assert alerts and 'href="/screening?name=Toto+Seimitsu+Kogyo+K.K."' in alerts
    expiring = _item(boss, "dash-expiring")
    assert expiring and 'href="/admin/users/low"' in expiring and "Grant" in expiring
    assert _item(boss, "dash-reviews") is None
    # The principal investigator: the review waiting on them, linked to it; no alerts, no grants.
    pi = browser("pi").get("/?lang=en").text
    reviews = _item(pi, "dash-reviews")
    assert reviews and 'href="/review/seeds/s-pub"' in reviews and "Open drone dataset" in reviews
    assert _item(pi, "dash-alerts") is None and _item(pi, "dash-expiring") is None
    # The security officer decides alerts but may not read users.
    so = browser("so").get("/?lang=en").text
    assert _item(so, "dash-alerts") and _item(so, "dash-expiring") is None
    # low (PUBLIC analyst) reads only the public need; nothing of the others' items.
    low = browser("low").get("/?lang=en").text
    low_needs = _item(low, "dash-needs")
    assert low_needs and 'data-total="1"' in low_needs and "n-conf" not in low and "Quantum radar" not in low
    assert not any(_item(low, item) for item in ("dash-alerts", "dash-expiring", "dash-reviews"))
    # The counts stay, once: tiles and no chart repeating them.
    assert 'id="count-needs"' in low and "<svg" not in low.split('id="attention"')[0]


def test_the_items_speak_japanese(office: Workspace, browser: Callable[[str], TestClient]) -> None:
    page = browser("boss").get("/?lang=ja").text
    for words in ("対応が必要なこと", "判定待ちのスクリーニング・アラート", "資格付与・研修", "有力なシーズ"):
        assert words in page
    assert "Needs without a good seed" not in page


def test_revoking_asks_first_and_acts_only_when_confirmed(
    office: Workspace, browser: Callable[[str], TestClient]
) -> None:
    boss = browser("boss")
    csrf = page_csrf(boss.get("/admin/users/low").text)
    with office.session() as session:
        grant = session.scalars(select(Grant).where(Grant.user == "low", Grant.level == "INTERNAL")).one()
    asked = boss.post(
        "/admin/users/low/revoke", data={"csrf_token": csrf, "grant": str(grant.id)}, params={"lang": "en"}
    )
    assert asked.status_code == 200 and 'id="revoke-confirm"' in asked.text
    assert "cannot be restored" in asked.text and f'<tr data-grant="{grant.id}">' in asked.text
    assert 'name="confirmed" value="yes"' in asked.text and f'name="csrf_token" value="{csrf}"' in asked.text
    with office.session() as session:
        assert session.get(Grant, grant.id).revoked_at is None  # nothing happened yet
    assert not [e for e in audit.iter_events(office) if e["action"] == "revoke"]
    forged = boss.post(
        "/admin/users/low/revoke", data={"csrf_token": "forged", "grant": str(grant.id), "confirmed": "yes"}
    )
    assert forged.status_code == 403
    done = boss.post(
        "/admin/users/low/revoke",
        data={"csrf_token": csrf, "grant": str(grant.id), "confirmed": "yes", "reason": "left the project"},
    )
    assert done.status_code == 200 and 'id="done"' in done.text
    with office.session() as session:
        assert session.get(Grant, grant.id).revoked_at is not None
    (event,) = [e for e in audit.iter_events(office) if e["action"] == "revoke"]
    assert event["detail"]["grants"] == [grant.id] and event["detail"]["reason"] == "left the project"
    # Every grant at once (no grant named) lists them all; a grant no longer active is the service's not-found.
    every = boss.post("/admin/users/ana/revoke", data={"csrf_token": csrf}).text
    assert len(re.findall(r"<tr data-grant=", every)) == 1 and "cannot be restored" in every
    stale = boss.post("/admin/users/low/revoke", data={"csrf_token": csrf, "grant": str(grant.id)})
    assert stale.status_code == 404 and 'id="revoke-confirm"' not in stale.text
    # A non-admin cannot even see the confirmation.
    ana = browser("ana")
    assert ana.post("/admin/users/low/revoke", data={"csrf_token": page_csrf(ana.get("/").text)}).status_code == 403


@pytest.mark.slow
def test_an_admin_revokes_a_grant_after_confirming_in_a_browser(
    new_browser: Callable[[], Browser],  # noqa: F811 (the fixture imported above)
    web_workspace: Workspace,
) -> None:
    boss = new_browser()
    boss.open("/?lang=ja")
    boss.log_in("boss")
    boss.open("/admin/users/low")
    boss.find("#grants form[action$='/revoke'] button").click()
    boss.until(lambda: boss.all("#revoke-confirm"), "the confirmation")
    assert "元に戻せません" in boss.text("#revoke-warning")
    boss.find("#revoke-cancel").click()
    boss.until(lambda: boss.path == "/admin/users/low" and boss.all("#grants"), "the user's page")
    assert not boss.all("#grants tr.revoked")
    boss.find("#grants form[action$='/revoke'] button").click()
    boss.until(lambda: boss.all("#revoke-confirm-button"), "the confirmation")
    boss.find("#revoke-confirm input[name=reason]").send_keys("異動")
    boss.find("#revoke-confirm-button").click()
    boss.until(lambda: boss.all("#done"), "the revocation done")
    assert len(boss.all("#grants tr.revoked")) == 1
