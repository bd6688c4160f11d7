"""Release review in a real browser (chromium through Selenium, against `kizashi serve`; see test_browser.py): an
analyst submits from the record's review page and finds it under "my submissions"; a security officer, with
JavaScript switched off, finds it from the menu, starts it, is asked to confirm 公表不可 (withhold) on a page of its
own, and only the confirmation ends the review; a review nobody can approve is flagged; the risk cards' index is in
the menu.

Skipped without chromium and chromedriver, unless KIZASHI_REQUIRE_BROWSER=1.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path

import pytest
from selenium.webdriver.support.ui import Select
from test_browser import Browser, browser_pool, new_browser, server  # noqa: F401 (fixtures, shared with test_browser)

from conftest import PASSWORD
from kizashi.ingest.dispatch import ingest
from kizashi.protect import people, release
from kizashi.protect.people import actor_for as as_user
from kizashi.store.workspace import Workspace

pytestmark = pytest.mark.slow

SEEDS = """id,title,label,compartments
s-alpha,Quantum key distribution link,CONFIDENTIAL,alpha
s-secret,Hypersonic seeker,SECRET,
"""


def _state(workspace: Workspace, record: str) -> str:
    return str(release.history(workspace, as_user(workspace, "boss"), record).reviews[-1]["state"])


def test_submit_then_withhold_with_a_confirmation_without_javascript(
    new_browser: Callable[[], Browser],  # noqa: F811 (the fixture imported above)
    web_workspace: Workspace,
    tmp_path: Path,
) -> None:
    boss = as_user(web_workspace, "boss")
    for name, role in (("pi", "principal_investigator"), ("so", "security_officer")):
        people.add_user(web_workspace, boss, name, roles=[role])
        people.set_password(web_workspace, as_user(web_workspace, "boss"), name, PASSWORD)
        people.grant(web_workspace, as_user(web_workspace, "boss"), name, "CONFIDENTIAL", compartments=["alpha"])
        people.record_training(
            web_workspace, as_user(web_workspace, "boss"), name, "security-basics", datetime(2026, 1, 1, tzinfo=UTC)
        )
    (tmp_path / "seeds.csv").write_text(SEEDS, encoding="utf-8")
    ingest(web_workspace, as_user(web_workspace, "boss"), "seeds", [tmp_path / "seeds.csv"])

    ana = new_browser()
    ana.open("/login")
    ana.log_in("ana")
    ana.open("/review/seeds/s-alpha")
    Select(ana.find("#submit-form select[name=funding]")).select_by_value("private")
    ana.find("#submit-form button[data-action=submit]").click()
    ana.until(lambda: ana.all("#submitted-note"), "the submission's note")
    assert not ana.all(".stuck"), "pi and so may read it: nothing is stuck"
    ana.find("#nav-review").click()
    ana.until(lambda: ana.path == "/review", "the review page")
    (mine,) = ana.all("#mine tbody tr")
    assert mine.get_attribute("data-record") == "s-alpha" and mine.get_attribute("data-state") == "submitted"
    assert "研究代表者" in mine.text and "安全保障輸出管理責任者" in mine.text

    so = new_browser()
    so.driver.execute_cdp_cmd("Emulation.setScriptExecutionDisabled", {"value": True})
    try:
        so.open("/login")
        so.log_in("so")
        so.find("#nav-review").click()
        so.until(lambda: so.path == "/review", "the queue")
        so.find("#queue tr[data-record=s-alpha] button[data-action=start]").click()
        so.until(lambda: so.all("#queue tr[data-record=s-alpha] button[data-action=withhold]"), "the started review")
        row = so.find("#queue tr[data-record=s-alpha]")
        row.find_element("css selector", "input[name=comment]").send_keys("輸出管理上の懸念")
        row.find_element("css selector", "button[data-action=withhold]").click()
        so.until(lambda: so.all("#confirm-form"), "the confirmation page")
        assert "この操作は取り消せません" in so.text("#confirm-warning")
        assert so.find("#confirm-form input[name=csrf_token]").get_attribute("value")
        assert _state(web_workspace, "s-alpha") == "under_review", "asking moved the review"
        so.find("#confirm-button").click()
        so.until(lambda: so.path == "/review" and not so.all("#confirm-form"), "back to the queue")
    finally:
        so.driver.execute_cdp_cmd("Emulation.setScriptExecutionDisabled", {"value": False})
    assert _state(web_workspace, "s-alpha") == "withheld"
    steps = release.history(web_workspace, as_user(web_workspace, "boss"), "s-alpha").reviews[-1]["steps"]
    assert (steps[-1]["action"], steps[-1]["user"], steps[-1]["comment"]) == ("withhold", "so", "輸出管理上の懸念")

    ana.open("/review")
    assert ana.find("#mine tbody tr").get_attribute("data-state") == "withheld"

    # boss submits the SECRET one: the only investigator and officer are CONFIDENTIAL, and the page says so.
    ana.find("#nav-risk").click()
    ana.until(lambda: ana.path == "/risk" and ana.all("#risk-index"), "the risk cards' index")
    admin = new_browser()
    admin.open("/login")
    admin.log_in("boss")
    admin.open("/review/seeds/s-secret")
    Select(admin.find("#submit-form select[name=funding]")).select_by_value("government")
    admin.find("#submit-form button[data-action=submit]").click()
    admin.until(lambda: admin.all("#submitted-note"), "the submission's note")
    flag = admin.find(".stuck")
    assert flag.get_attribute("data-stuck") == "principal_investigator security_officer"
    assert "pi の資格を極秘に引き上げる" in flag.text
