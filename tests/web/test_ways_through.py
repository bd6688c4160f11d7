"""The ways through the work (issue 15): the menu leads to every task, and matching has its own index at `/match`.

The index lists the needs the reader may read with the proposals and decisions they may see, and the saved runs
they may see (counts of what they may read only); in a real browser (chromium, see test_browser.py) an analyst finds
matching from the menu and opens a need's proposals, and every page the menu leads to is found within two clicks of
the dashboard by crawling its links.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from fastapi.testclient import TestClient
from test_browser import Browser, browser_pool, new_browser, server  # noqa: F401 (fixtures, shared with test_browser)

from kizashi.ingest.dispatch import ingest
from kizashi.know.judgements import judge
from kizashi.know.matching import match_workspace
from kizashi.protect.people import actor_for as as_user
from kizashi.store.workspace import Workspace

NEEDS = """id,title,description,label,compartments
n1,Detecting drones near airports,Unmanned aerial vehicles must be detected near airports,PUBLIC,
n2,Drone detection with passive radio,drones found by their radio links near airports,SECRET,beta
n3,Flood sensors for river levels,water level sensors along small rivers,PUBLIC,
"""
SEEDS = """id,title,description,label,compartments
s1,Radar for small drone detection,Detecting unmanned aerial vehicles near airports with radar,PUBLIC,
s2,Acoustic drone detection,small drones heard near airports,PUBLIC,
s3,Passive radio drone finder,drones near airports found by their radio links,SECRET,beta
s4,River level sensors,sensors measure water levels in rivers,PUBLIC,
"""
# Every task the menu must lead to (issue 15), for an admin; the audit trail and administration only for officers
# and admins. Pages one step further: a screening list's versions and loading.
TASKS = (
    "/match",
    "/needs",
    "/seeds",
    "/experts",
    "/screening",
    "/cti",
    "/programmes",
    "/review",
    "/risk",
    "/landscape",
    "/audit",
    "/admin/users",
)
OFFICERS_ONLY = {"/audit", "/admin/users"}
FURTHER = ("/screening/lists", "/cti/groups")
NAV_LINK = re.compile(r"<nav>(.*?)</nav>", re.S)


def _load(workspace: Workspace, tmp_path: Path, *, save: bool) -> None:
    boss = as_user(workspace, "boss")
    (tmp_path / "needs.csv").write_text(NEEDS, encoding="utf-8")
    (tmp_path / "seeds.csv").write_text(SEEDS, encoding="utf-8")
    ingest(workspace, boss, "needs", [tmp_path / "needs.csv"])
    ingest(workspace, boss, "seeds", [tmp_path / "seeds.csv"])
    if save:
        assert match_workspace(workspace, boss, top=3, save=True).run is not None


def _row(html: str, need: str) -> str | None:
    found = re.search(rf'<tr data-need="{re.escape(need)}">(.*?)</tr>', html, re.S)
    return found.group(1) if found else None


def _proposals(html: str, need: str) -> str:
    row = _row(html, need)
    assert row is not None, f"{need} is not on the index"
    found = re.search(r'data-proposals="([^"]*)"', row)
    assert found
    return found.group(1)


def test_the_index_counts_what_the_reader_may_read(
    web_workspace: Workspace, browser: Callable[[str], TestClient], tmp_path: Path
) -> None:
    _load(web_workspace, tmp_path, save=True)
    judge(web_workspace, as_user(web_workspace, "ana"), "n1", "s1", "accept")
    boss, ana = browser("boss").get("/match?lang=en"), browser("ana").get("/match?lang=en")
    assert boss.status_code == ana.status_code == 200
    # boss reads every need and seed: n2's SECRET proposals are counted for him, and the page is labelled for them.
    assert _row(boss.text, "n2") is not None and _proposals(boss.text, "n1") == "3"
    assert 'data-label="SECRET"' in boss.text
    # ana (CONFIDENTIAL, no beta): n2 is not listed, and n1 counts only the proposals whose seed she may read.
    assert _row(ana.text, "n2") is None and "passive radio" not in ana.text.lower()
    assert _proposals(ana.text, "n1") == "2" and 'data-label="SECRET"' not in ana.text
    n1 = _row(ana.text, "n1")
    assert n1 is not None and '<td class="judged">1</td>' in n1 and 'href="/match/n1"' in n1
    # The saved run, with her counts (the author's would tell how much more there is).
    runs = re.findall(
        r'<tr data-run="\d+"><td>\d+</td><td>[^<]+</td><td>boss</td><td>(\d+)</td><td>(\d+)</td>', ana.text
    )
    assert runs == [("2", "3")], ana.text
    assert "Saved match runs" in ana.text
    japanese = browser("ana").get("/match?lang=ja").text
    assert "保存された照合" in japanese and "候補数" in japanese and "Saved match runs" not in japanese


def test_without_a_run_the_index_says_matching_is_live(
    web_workspace: Workspace, browser: Callable[[str], TestClient], tmp_path: Path
) -> None:
    _load(web_workspace, tmp_path, save=False)
    page = browser("low").get("/match?lang=en")
    assert page.status_code == 200
    assert _proposals(page.text, "n1") == "" and "No saved run (shown by live matching)" in page.text
    assert 'id="no-runs"' in page.text
    # The need's own page still answers from today's matcher.
    assert browser("low").get("/match/n1").status_code == 200


def test_the_index_needs_a_login(anonymous: TestClient) -> None:
    page = anonymous.get("/match", follow_redirects=False)
    assert page.status_code in (302, 303, 401) and "n1" not in page.text


def test_the_menu_names_every_task(browser: Callable[[str], TestClient]) -> None:
    boss_nav = NAV_LINK.search(browser("boss").get("/").text)
    ana_nav = NAV_LINK.search(browser("ana").get("/").text)
    assert boss_nav and ana_nav
    boss_links = set(re.findall(r'href="([^"]+)"', boss_nav.group(1)))
    ana_links = set(re.findall(r'href="([^"]+)"', ana_nav.group(1)))
    assert set(TASKS) <= boss_links, set(TASKS) - boss_links
    assert set(TASKS) - OFFICERS_ONLY <= ana_links and not OFFICERS_ONLY & ana_links


# ── in a real browser ─────────────────────────────────────────────────────────────────────────────────────────


@pytest.mark.slow
def test_an_analyst_finds_matching_from_the_menu(
    new_browser: Callable[[], Browser],  # noqa: F811 (the fixture imported above)
    web_workspace: Workspace,
    tmp_path: Path,
) -> None:
    _load(web_workspace, tmp_path, save=True)
    ana = new_browser()
    ana.open("/?lang=ja")
    ana.log_in("ana")
    ana.find("#nav-match").click()
    ana.until(lambda: ana.path == "/match" and ana.all("#match-needs"), "the matching index")
    assert ana.text("h1") == "マッチング"
    needs = [row.get_attribute("data-need") for row in ana.all("#match-needs tbody tr")]
    assert needs == ["n1", "n3"]
    ana.find('#match-needs tr[data-need="n1"] a').click()
    ana.until(lambda: ana.path == "/match/n1" and ana.all("#proposals"), "the need's proposals")
    seeds = [row.get_attribute("data-seed") for row in ana.all("#proposals tbody tr")]
    assert seeds[:2] == ["s1", "s2"] and "s3" not in seeds
    assert ana.find("#proposals").get_attribute("data-source") == "run"


def _links(browser: Browser) -> set[str]:
    """The paths of this site the page links to (the language switch and anchors left out)."""
    found: set[str] = set()
    origin = urlsplit(browser.server.url("/")).netloc
    for link in browser.all("a[href]"):
        href = urlsplit(link.get_attribute("href") or "")
        if href.netloc == origin and href.path and not href.path.startswith("/api/") and href.path != "/logout":
            found.add(href.path)
    return found


@pytest.mark.slow
def test_every_menu_page_is_two_clicks_from_the_dashboard(
    new_browser: Callable[[], Browser],  # noqa: F811 (the fixture imported above)
    web_workspace: Workspace,
    tmp_path: Path,
) -> None:
    _load(web_workspace, tmp_path, save=True)
    boss = new_browser()
    boss.open("/?lang=en")
    boss.log_in("boss")
    boss.open("/")
    menu = {urlsplit(a.get_attribute("href") or "").path for a in boss.all("header.top nav a")}
    assert set(TASKS) <= menu, set(TASKS) - menu
    first = _links(boss)
    reached = {"/"} | first
    for path in sorted(first):
        boss.open(path)
        reached |= _links(boss)
    missing = (menu | set(FURTHER)) - reached
    assert not missing, f"not within two clicks of the dashboard: {missing}"
    for path in sorted(menu):
        boss.open(path)
        boss.until(lambda: boss.all("h1"), f"the page {path}")
        assert not boss.all("#error-message"), f"{path} answers with an error page"
