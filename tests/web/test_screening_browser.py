"""An officer's way through screening in Chromium, as a person would go (issue #15): from the menu to the screening
page, on to the lists, load a list file, back to screening, screen a name and find the download of the results."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from test_browser import Browser, browser_pool, new_browser, server  # noqa: F401 (fixtures, shared with test_browser)

from kizashi.store import audit
from kizashi.store.workspace import Workspace

LISTS = Path(__file__).parents[1] / "fixtures" / "lists"


def test_an_officer_loads_a_list_and_screens_against_it_in_chromium(
    new_browser: Callable[[], Browser],  # noqa: F811 (the fixture imported above)
    web_workspace: Workspace,
) -> None:
    boss = new_browser()
    boss.log_in("boss")
    boss.find("#nav-screening").click()
    boss.until(lambda: boss.path == "/screening", "the screening page, from the menu")
    assert boss.all("#no-lists"), "a workspace without lists says so"
    boss.find("#screening-lists-link").click()
    boss.until(lambda: boss.path == "/screening/lists", "the lists page, from the screening page")

    boss.find("#f-list").send_keys(str(LISTS / "generic.csv"))
    boss.find("#f-list-name").send_keys("テスト用リスト")
    boss.find("#load").click()
    boss.until(lambda: boss.all("#loaded"), "the confirmation of the load")
    assert "リストを登録しました" in boss.text("#loaded")
    assert boss.find("#list-versions tr[data-version='1']").get_attribute("data-latest") == "true"
    assert [e["actor"] for e in audit.iter_events(web_workspace) if e["action"] == "import"] == ["boss"]

    boss.find("#back-to-screening").click()
    boss.until(lambda: boss.path == "/screening", "the screening page again")
    boss.find("#f-name").send_keys("東都精密工業株式会社")
    boss.find("#screen").click()
    boss.until(lambda: boss.all("#screening-results"), "the results")
    row = boss.find("#screening-results tr.party")
    assert row.get_attribute("data-status") == "alert"
    assert boss.find("#download-xlsx").is_displayed() and boss.find("#download-csv").is_displayed()


def test_an_officer_loads_the_three_files_of_an_ofac_list_at_once_in_chromium(
    new_browser: Callable[[], Browser],  # noqa: F811 (the fixture imported above)
    web_workspace: Workspace,
) -> None:
    boss = new_browser()
    boss.log_in("boss")
    boss.open("/screening/lists")
    assert "sdn.csv" in boss.text("#load-ofac"), "the page says how to give OFAC's list"
    # A file input that takes several files takes their paths one per line.
    boss.find("#f-list").send_keys("\n".join(str(path) for path in sorted((LISTS / "ofac").glob("*.csv"))))
    boss.find("#load").click()
    boss.until(lambda: boss.all("#loaded"), "the confirmation of the load")
    assert "リストを登録しました" in boss.text("#loaded") and "OFAC" in boss.text("#loaded")
    (event,) = [e for e in audit.iter_events(web_workspace) if e["action"] == "import"]
    assert event["detail"]["list"] == "OFAC Consolidated (non-SDN)"
    boss.open("/screening?name=HANIYA+Ismail+Abdul+Salah")
    boss.until(lambda: boss.all("#screening-results"), "the results")
    assert boss.find("#screening-results tr.party").get_attribute("data-status") == "alert"
