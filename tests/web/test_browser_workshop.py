"""The workshop in a real browser (chromium through Selenium, against `kizashi serve`; see test_browser.py): open a
need's workshop, switch to the cross-domain view with HTMX, and go on to the need's experts.

Skipped without chromium and chromedriver, unless KIZASHI_REQUIRE_BROWSER=1.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from test_browser import Browser, browser_pool, new_browser, server  # noqa: F401 (fixtures, shared with test_browser)

from kizashi.ingest.dispatch import ingest
from kizashi.protect.people import actor_for as as_user
from kizashi.store.workspace import Workspace

pytestmark = pytest.mark.slow

SEEDS = """id,title,description,organization,label,compartments
s1,Radar for small drone detection,Detecting unmanned aerial vehicles near airports with radar,Radar Lab,PUBLIC,
s2,Machine learning detects intruders near airports,Deep learning on camera video spots objects approaching airports,Vision AI Inc,PUBLIC,
s4,Quantum sensors for detecting small aircraft near airports,Quantum sensing of approaching aircraft,Quantum Alpha Lab,CONFIDENTIAL,alpha
"""
NEEDS = """id,title,description,label
n1,Detecting drones near airports,Unmanned aerial vehicles must be detected near airports,PUBLIC
"""


def _rows(browser: Browser) -> list[str]:
    return [row.get_attribute("data-seed") or "" for row in browser.all("#proposals tbody tr")]


def test_an_analyst_switches_to_the_cross_domain_view_and_finds_experts(
    new_browser: Callable[[], Browser],  # noqa: F811 (the fixture imported above)
    web_workspace: Workspace,
    tmp_path: Path,
) -> None:
    (tmp_path / "seeds.csv").write_text(SEEDS, encoding="utf-8")
    (tmp_path / "needs.csv").write_text(NEEDS, encoding="utf-8")
    ingest(web_workspace, as_user(web_workspace, "boss"), "seeds", [tmp_path / "seeds.csv"])
    ingest(web_workspace, as_user(web_workspace, "boss"), "needs", [tmp_path / "needs.csv"])

    ana = new_browser()
    ana.open("/needs/n1?lang=en")
    ana.log_in("ana")
    ana.open("/needs/n1")
    ana.find("#find-seeds").click()
    ana.until(lambda: ana.path == "/match/n1" and ana.all("#proposals"), "the workshop page")
    assert _rows(ana)[0] == "s1" and {"s2", "s4"} <= set(_rows(ana))
    assert "current" in (ana.find("#view-all").get_attribute("class") or "")
    assert [b.get_attribute("data-label") for b in ana.all(".banner")] == ["CONFIDENTIAL", "CONFIDENTIAL"]

    ana.mark_page()
    ana.find("#view-cross").click()
    ana.until(lambda: ana.find("#proposals").get_attribute("data-view") == "cross", "the cross-domain view")
    assert sorted(_rows(ana)) == ["s2", "s4"]
    assert ana.page_was_kept(), "switching the view reloaded the whole page instead of swapping it"
    assert len(ana.all("header.top")) == 1, "the HTMX answer was a whole page, nested inside the view"
    assert ana.path == "/match/n1" and ana.query == {"view": ["cross"]}, "the view's address was not pushed"
    assert "current" in (ana.find("#view-cross").get_attribute("class") or "")
    assert ana.text("#view-note") == "Only seeds from other technology fields than the need's."
    seed_areas = {pill.get_attribute("data-area") for pill in ana.all("#proposals .seed-area")}
    assert {"ai", "quantum"} <= seed_areas and "robotics" not in seed_areas
    # Both banners were swapped with the view, and still name the highest label shown (s4).
    assert [b.get_attribute("data-label") for b in ana.all(".banner")] == ["CONFIDENTIAL", "CONFIDENTIAL"]

    # The pushed address is a real page.
    ana.driver.get(ana.driver.current_url)
    ana.until(lambda: ana.all("#proposals"), "the cross-domain view, loaded")
    assert sorted(_rows(ana)) == ["s2", "s4"] and not ana.page_was_kept()

    ana.find("#find-experts").click()
    ana.until(lambda: ana.path == "/experts/n1" and ana.all("#experts"), "the experts page")
    names = [cell.text.strip() for cell in ana.all("#experts td.col-name")]
    assert names[0] == "Radar Lab" and "Quantum Alpha Lab" in names
    assert ana.find(".banner").get_attribute("data-label") == "CONFIDENTIAL"
    ana.find("#expert-1 td.col-records a").click()
    ana.until(lambda: ana.path == "/seeds/s1", "the evidence record's page")
    assert ana.text("#record-title") == "Radar for small drone detection"
