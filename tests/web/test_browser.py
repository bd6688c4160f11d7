"""Real-browser tests: Debian's chromium, driven by Selenium through chromedriver, against `kizashi serve` running
as a subprocess on each backend. They cover what only a browser shows: the forms and redirects as a person uses
them, cookies, HTMX's partial updates, the language switch and the back button after logout.

Without chromium and chromedriver these tests are skipped, unless KIZASHI_REQUIRE_BROWSER=1 (set by .ci/run),
which turns the skip into a failure so CI cannot pass without a browser.
"""

from __future__ import annotations

import contextlib
import json
import os
import shutil
import tempfile
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, unquote, urlsplit

import pytest
from live_server import LiveServer
from selenium import webdriver
from selenium.common.exceptions import NoSuchElementException, StaleElementReferenceException, WebDriverException
from selenium.webdriver.chrome.service import Service
from selenium.webdriver.chrome.webdriver import WebDriver
from selenium.webdriver.common.by import By
from selenium.webdriver.remote.webelement import WebElement
from selenium.webdriver.support.ui import Select, WebDriverWait

from conftest import PASSWORD, as_user
from kizashi.ingest.intake import create_statement
from kizashi.store.readable import select_trusted
from kizashi.store.records import table_of
from kizashi.store.workspace import Workspace

pytestmark = pytest.mark.slow

CHROMIUM = Path("/usr/bin/chromium")
CHROMEDRIVER = Path("/usr/bin/chromedriver")
# Generous: two pytest workers, two browsers and a server share two cores in CI. Waits end as soon as they succeed.
WAIT_SECONDS = 20
CHROMIUM_FLAGS = [
    "--headless=new",
    "--no-sandbox",  # CI runs as root in a container, where chromium's sandbox cannot start
    "--disable-gpu",
    "--disable-dev-shm-usage",  # containers have a tiny /dev/shm
    "--disable-quic",
    "--no-first-run",
    # Without these, chromium keeps trying to reach Google's services, and the network here is closed.
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-proxy-server",  # the server is on loopback; a proxy from the environment must not sit in between
    "--window-size=1280,1000",
]

SECRET_TITLE = "倒壊現場で要救助者を無人機で捜索する能力が必要"
SECRET_WORD = "無人機"  # a word of SECRET_TITLE that no other record contains
PUBLIC_TITLE = "Flood sensors for river levels in small towns"
MADE_UP_ID = "need:2099-01-01-00000000deadbeef"


def _missing_browser() -> str | None:
    missing = [str(path) for path in (CHROMIUM, CHROMEDRIVER) if not os.access(path, os.X_OK)]
    return f"{' and '.join(missing)} not installed (apt-get install chromium chromium-driver)" if missing else None


class BrowserPool:
    """Chromium instances kept for the whole session (each start costs a second or more) and lent to one test at a
    time; a returned one has all cookies and cache cleared, so the next test starts as a fresh browser."""

    def __init__(self) -> None:
        self.idle: list[WebDriver] = []
        self.started: list[tuple[WebDriver, str]] = []

    def take(self) -> WebDriver:
        if self.idle:
            return self.idle.pop()
        options = webdriver.ChromeOptions()
        options.binary_location = str(CHROMIUM)
        profile = tempfile.mkdtemp(prefix="kizashi-chromium-")
        for flag in [*CHROMIUM_FLAGS, f"--user-data-dir={profile}"]:
            options.add_argument(flag)
        # The explicit driver path keeps Selenium Manager from looking for (or downloading) a driver.
        driver = webdriver.Chrome(service=Service(executable_path=str(CHROMEDRIVER)), options=options)
        self.started.append((driver, profile))
        return driver

    def give_back(self, driver: WebDriver) -> None:
        try:
            # Every server runs on 127.0.0.1, and cookies do not tell ports apart: clear them all, not per site.
            driver.execute_cdp_cmd("Network.clearBrowserCookies", {})
            driver.execute_cdp_cmd("Network.clearBrowserCache", {})
            driver.get("about:blank")
        except WebDriverException:
            return  # a browser in a state we cannot reset is not lent again; close() quits it
        self.idle.append(driver)

    def close(self) -> None:
        for driver, profile in self.started:
            # One browser that will not quit must not keep the others (and their chromedriver) running.
            with contextlib.suppress(WebDriverException):
                driver.quit()
            shutil.rmtree(profile, ignore_errors=True)
        self.started.clear()
        self.idle.clear()


# The one pool of this process (xdist worker). Other modules import the fixture below, and pytest makes each
# imported session fixture an instance of its own: without this, every module started its own chromiums.
_POOL: list[BrowserPool] = []


class Browser:
    """One user's browser pointed at one server, with the few steps the tests repeat."""

    def __init__(self, driver: WebDriver, server: LiveServer) -> None:
        self.driver = driver
        self.server = server

    def open(self, path: str) -> None:
        self.driver.get(self.server.url(path))

    @property
    def path(self) -> str:
        return urlsplit(self.driver.current_url).path

    @property
    def query(self) -> dict[str, list[str]]:
        return parse_qs(urlsplit(self.driver.current_url).query)

    def find(self, css: str) -> WebElement:
        return self.driver.find_element(By.CSS_SELECTOR, css)

    def all(self, css: str) -> list[WebElement]:
        return self.driver.find_elements(By.CSS_SELECTOR, css)

    def text(self, css: str) -> str:
        return self.find(css).text.strip()

    def until(self, condition: Callable[[], object], what: str) -> Any:
        """Wait for `condition()` to be truthy; elements replaced meanwhile (HTMX swaps) count as not yet."""
        wait = WebDriverWait(
            self.driver, WAIT_SECONDS, ignored_exceptions=(NoSuchElementException, StaleElementReferenceException)
        )
        return wait.until(lambda _driver: condition(), message=f"waiting for {what} at {self.driver.current_url}")

    def log_in(self, name: str, password: str = PASSWORD, *, expect_success: bool = True) -> None:
        """Through the login form, as a person would: type, click, wait for the next page."""
        if self.path != "/login":
            self.open("/login")
        self.find("#name").clear()
        self.find("#name").send_keys(name)
        self.find("#password").send_keys(password)
        self.find("#login").click()
        if expect_success:
            self.until(lambda: name in self.text("#who"), f"{name} logged in")
        else:
            self.until(lambda: self.find("#login-error").is_displayed(), "the login error")

    def search(self, words: str) -> None:
        """Type into the list's search box, and wait until HTMX has answered for everything typed. It also answers
        for the letters typed so far; the last request wins (its default queue), and its URL is pushed."""
        box = self.find("#q")
        box.send_keys(words)
        typed = box.get_attribute("value")
        self.until(lambda: self.query.get("q") == [typed], f"the results for {typed!r}")

    def cookie(self, name: str) -> str | None:
        found = self.driver.get_cookie(name)
        return None if found is None else str(found["value"])

    def fetch(self, path: str) -> tuple[int, Any]:
        """GET `path` from inside the page, so the request carries the browser's own cookies; → (status, JSON)."""
        result = self.driver.execute_async_script(
            """
            const [path, done] = arguments;
            fetch(path, {credentials: "same-origin", headers: {Accept: "application/json"}})
              .then(async (response) => done([response.status, await response.text()]))
              .catch((error) => done([-1, String(error)]));
            """,
            path,
        )
        status, body = result
        assert status != -1, body
        return int(status), json.loads(body)

    def mark_page(self) -> None:
        """Leave a mark in the page's JavaScript state: any full page load wipes it, an HTMX swap does not."""
        self.driver.execute_script("window.kizashiTestMark = 'still the same page';")

    def page_was_kept(self) -> bool:
        return self.driver.execute_script("return window.kizashiTestMark === 'still the same page';") is True


@pytest.fixture(scope="session")
def browser_pool() -> Iterator[BrowserPool]:
    missing = _missing_browser()
    if missing:
        if os.environ.get("KIZASHI_REQUIRE_BROWSER") == "1":
            pytest.fail(f"KIZASHI_REQUIRE_BROWSER=1 but {missing}")
        pytest.skip(f"no browser for the browser tests: {missing}")
    if not _POOL:
        _POOL.append(BrowserPool())
    yield _POOL[0]
    # The first teardown (at the session's end, after every test) quits them all; the others find nothing left.
    _POOL[0].close()


@pytest.fixture
def server(browser_pool: BrowserPool, web_workspace: Workspace) -> Iterator[LiveServer]:
    """`kizashi serve` on the test's workspace (the `workspace` fixture put it in the environment)."""
    live = LiveServer(dict(os.environ)).start()
    yield live
    alive = live.alive()
    live.stop()
    log = live.log()
    live.remove_log()
    print(f"--- kizashi serve output ---\n{log}")  # pytest shows it only when the test fails
    assert alive, f"the server died during the test:\n{log}"
    assert "Traceback" not in log, f"the server hit an unexpected error:\n{log}"


@pytest.fixture
def new_browser(browser_pool: BrowserPool, server: LiveServer) -> Iterator[Callable[[], Browser]]:
    """`new_browser()`: a browser of its own (no cookies shared with any other) on this test's server."""
    lent: list[WebDriver] = []

    def lend() -> Browser:
        driver = browser_pool.take()
        lent.append(driver)
        return Browser(driver, server)

    yield lend
    for driver in lent:
        browser_pool.give_back(driver)


def _create_need(workspace: Workspace, title: str, level: str, compartments: list[str]) -> str:
    """A need entered by boss outside the browser (as the intake API would), for tests that only read it."""
    values = {"title": title, "level": level, "compartments": compartments}
    return create_statement(workspace, as_user(workspace, "boss"), "needs", values)


def _stored_label(workspace: Workspace, record_id: str) -> tuple[str, list[str]]:
    table = table_of("needs")
    with workspace.session() as session:
        stored = select_trusted(table.c.level, table.c.compartments, why="a test checks the label as stored")
        row = session.execute(stored.where(table.c.id == record_id)).one()
    return str(row.level), sorted(row.compartments)


def _record_links(browser: Browser) -> list[str]:
    return [link.text.strip() for link in browser.all("#records td.col-title a")]


def test_boss_creates_a_need_and_finds_it_with_the_htmx_search(
    new_browser: Callable[[], Browser], web_workspace: Workspace
) -> None:
    # Another need, so that the search has something to leave out.
    _create_need(web_workspace, PUBLIC_TITLE, "PUBLIC", [])
    boss = new_browser()
    boss.open("/needs/new")
    assert boss.path == "/login" and boss.query["next"] == ["/needs/new"], "an intake form without login"
    boss.log_in("boss")
    assert boss.path == "/needs/new", "after login, the form asked for first"

    boss.find("#f-title").send_keys(SECRET_TITLE)
    boss.find("#f-description").send_keys("地震後の倒壊家屋で、人が入れない空間を無人機で捜索する。")
    boss.find("#f-country").send_keys("jp")
    Select(boss.find("#f-level")).select_by_value("CONFIDENTIAL")
    alpha = boss.find("input[name=compartments][value=alpha]")
    alpha.click()
    assert alpha.is_selected() and not boss.find("input[name=compartments][value=beta]").is_selected()
    boss.find("#save").click()

    boss.until(lambda: boss.path.startswith("/needs/need:"), "the new need's page")
    record_id = unquote(boss.path.removeprefix("/needs/"))
    assert boss.text("#record-title") == SECRET_TITLE
    banner = boss.find(".banner")
    assert banner.get_attribute("data-label") == "CONFIDENTIAL" and "alpha" in banner.text, banner.text
    assert boss.text("dd.field-country") == "JP"
    # The label is what was stored, not only what the page says.
    assert _stored_label(web_workspace, record_id) == ("CONFIDENTIAL", ["alpha"])

    boss.find("a[href='/needs']").click()
    boss.until(lambda: boss.path == "/needs" and boss.all("#records"), "the list of needs")
    assert sorted(_record_links(boss)) == sorted([SECRET_TITLE, PUBLIC_TITLE])
    assert boss.text("#total").startswith("2 ")

    boss.mark_page()
    boss.search(SECRET_WORD)
    boss.until(lambda: boss.text("#total").startswith("1 "), "the search results")
    assert _record_links(boss) == [SECRET_TITLE]
    assert boss.page_was_kept(), "the search reloaded the whole page instead of swapping #results"
    assert len(boss.all("header.top")) == 1, "the HTMX answer was a whole page, nested inside #results"
    assert boss.path == "/needs" and boss.query == {"q": [SECRET_WORD]}
    link = boss.find("#records td.col-title a")
    assert unquote(urlsplit(link.get_attribute("href") or "").path) == f"/needs/{record_id}"

    # Nothing matches: the results say so, still without a page load.
    boss.search(" 存在しない語")
    boss.until(lambda: boss.all("#no-results"), "the empty search result")
    assert not boss.all("#records") and boss.page_was_kept()

    # The pushed address is a real page: loading it shows the same search.
    boss.driver.get(boss.driver.current_url)
    assert not boss.page_was_kept()
    assert boss.find("#q").get_attribute("value") == f"{SECRET_WORD} 存在しない語"
    assert boss.all("#no-results")


def test_only_readers_cleared_for_it_see_a_confidential_need(
    new_browser: Callable[[], Browser], web_workspace: Workspace
) -> None:
    secret_id = _create_need(web_workspace, SECRET_TITLE, "CONFIDENTIAL", ["alpha"])
    public_id = _create_need(web_workspace, PUBLIC_TITLE, "PUBLIC", [])

    low = new_browser()
    low.log_in("low")
    low.open("/needs")
    # low sees the list working (the public need), but not the confidential one, nor a count that betrays it.
    assert _record_links(low) == [PUBLIC_TITLE]
    assert low.text("#total").startswith("1 ")
    assert SECRET_TITLE not in low.driver.page_source and secret_id not in low.driver.page_source
    low.search(SECRET_WORD)
    low.until(lambda: low.all("#no-results"), "the empty search result")
    assert SECRET_TITLE not in low.driver.page_source

    # Its page is the same not-found page as a record that never existed.
    low.open(f"/needs/{secret_id}")
    hidden = (low.driver.title, low.find("main").get_attribute("innerHTML"))
    low.open(f"/needs/{MADE_UP_ID}")
    missing = (low.driver.title, low.find("main").get_attribute("innerHTML"))
    assert hidden == missing
    assert low.text("main h1") == "見つかりません"
    assert SECRET_TITLE not in low.driver.page_source

    # The API, with the browser's own session cookie, answers like for a missing record.
    status, body = low.fetch(f"/api/records/needs/{secret_id}")
    assert status == 404, body
    assert set(body) == {"error"} and body["error"]["status"] == 404 and body["error"]["code"] == "not_found"
    assert SECRET_TITLE not in json.dumps(body, ensure_ascii=False)
    made_up_status, made_up_body = low.fetch(f"/api/records/needs/{MADE_UP_ID}")
    assert made_up_status == 404
    assert made_up_body["error"]["code"] == body["error"]["code"]
    # The same cookie does read what low may read, so the 404 above is the policy, not a lost session.
    status, body = low.fetch(f"/api/records/needs/{public_id}")
    assert status == 200 and body["record"]["title"] == PUBLIC_TITLE, body

    # ana holds CONFIDENTIAL and alpha: in a browser of her own, she sees it everywhere low did not.
    ana = new_browser()
    ana.open("/needs")
    assert ana.path == "/login", "a new browser must not share low's session"
    ana.log_in("ana")
    assert ana.path == "/needs"
    assert sorted(_record_links(ana)) == sorted([SECRET_TITLE, PUBLIC_TITLE])
    ana.search(SECRET_WORD)
    ana.until(lambda: _record_links(ana) == [SECRET_TITLE], "the search result")
    ana.find("#records td.col-title a").click()
    ana.until(lambda: ana.path == f"/needs/{secret_id}", "the need's page")
    assert ana.text("#record-title") == SECRET_TITLE
    assert ana.find(".banner").get_attribute("data-label") == "CONFIDENTIAL"
    status, body = ana.fetch(f"/api/records/needs/{secret_id}")
    assert status == 200 and body["record"]["title"] == SECRET_TITLE, body
    assert (body["label"]["level"], body["label"]["compartments"]) == ("CONFIDENTIAL", ["alpha"]), body["label"]


def test_language_is_japanese_by_default_and_the_switch_persists(new_browser: Callable[[], Browser]) -> None:
    browser = new_browser()
    browser.open("/login")
    assert browser.find("html").get_attribute("lang") == "ja"
    assert browser.text("#login") == "ログイン"

    browser.find("a.lang").click()
    browser.until(lambda: browser.text("#login") == "Log in", "the English login page")
    assert browser.find("html").get_attribute("lang") == "en"
    browser.log_in("ana")
    # Pages reached without ?lang= stay English: the choice is remembered, not carried in one link.
    assert browser.text("#logout") == "Log out"
    browser.find("header nav a[href='/needs']").click()
    browser.until(lambda: browser.path == "/needs", "the list of needs")
    assert browser.text("main h1") == "Needs"
    assert browser.find("html").get_attribute("lang") == "en"
    browser.open(f"/needs/{MADE_UP_ID}")
    assert browser.text("main h1") == "Not found"

    browser.find("a.lang").click()
    browser.until(lambda: browser.text("main h1") == "見つかりません", "the Japanese page")
    browser.open("/needs")
    assert browser.text("main h1") == "ニーズ"
    assert browser.text("#logout") == "ログアウト"


def test_logout_ends_the_session(new_browser: Callable[[], Browser]) -> None:
    browser = new_browser()
    browser.log_in("ana")
    browser.open("/needs")
    assert browser.text("main h1") == "ニーズ"
    session = browser.cookie("kizashi_session")
    assert session, "no session cookie after login"

    browser.find("#logout").click()
    browser.until(lambda: browser.path == "/login", "the login page after logout")
    assert browser.cookie("kizashi_session") is None
    assert not browser.all("#who")

    # The back button must not bring the list back: pages are no-store, so it asks the server again.
    browser.driver.back()
    browser.until(lambda: browser.path == "/login", "the login page after going back")
    assert browser.query.get("next") == ["/needs"]
    assert not browser.all("#records") and not browser.all("#who")
    browser.open("/")
    assert browser.path == "/login"

    # A copy of the old cookie is worthless: logout ended the session on the server, not only in the browser.
    browser.driver.add_cookie({"name": "kizashi_session", "value": session, "path": "/"})
    browser.open("/")
    assert browser.path == "/login" and not browser.all("#who")
    status, body = browser.fetch("/api/me")
    assert status == 401 and body["error"]["status"] == 401, body


def test_a_wrong_password_shows_the_error_and_does_not_log_in(new_browser: Callable[[], Browser]) -> None:
    browser = new_browser()
    browser.open("/login?next=/needs")
    browser.log_in("ana", "not the password", expect_success=False)
    assert browser.text("#login-error") == "利用者名またはパスワードが違います。"
    assert browser.path == "/login"
    assert browser.find("#name").get_attribute("value") == "ana", "the name should be kept for the next try"
    assert browser.find("#password").get_attribute("value") == "", "the wrong password must not be sent back"
    assert browser.cookie("kizashi_session") is None and not browser.all("#who")
    browser.open("/")
    assert browser.path == "/login"

    # The same form with the right password works, so the failure above was the password's.
    browser.open("/login?next=/needs")
    browser.log_in("ana")
    assert browser.path == "/needs"
