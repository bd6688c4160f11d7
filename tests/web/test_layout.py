"""Nothing cut, nothing hidden by layout (issue 15): the main pages in a real Chromium (see test_browser.py), in
Japanese, at a desktop width (1,400 px) and at a phone's (390 px), measured in the page with JavaScript:

- no text is clipped: an element with text whose overflow is hidden/clip is not wider inside than its box;
- at 1,400 px nothing sticks out of the viewport, except inside a deliberately scrollable box (a table's wrapper);
- badges and chips (level pills, states, strengths) sit on one line: never broken mid-word (要確/認, 該当/なし);
- radio buttons sit beside their labels; the header's nav is one row at 1,400 px and does not cover the content.

Set KIZASHI_SCREENSHOTS=folder to keep a PNG of every page measured, to look at as a user would.
Skipped without chromium and chromedriver, unless KIZASHI_REQUIRE_BROWSER=1.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from live_server import LiveServer
from selenium.webdriver.common.by import By
from test_browser import Browser, BrowserPool, browser_pool  # noqa: F401 (a fixture, shared with test_browser)
from test_japanese_everywhere import _build

from kizashi.report.charts import bar_chart, column_chart
from kizashi.report.overview import threat_category_names
from kizashi.store.workspace import Workspace

pytestmark = pytest.mark.slow

DESKTOP = 1400
PHONE = 390
# What the brief names as the main pages: dashboard, a list, a detail page, review, risk card, screening, landscape,
# workshop, administration.
PAGES = [
    "/",
    "/needs",
    "/needs/n-flood",
    "/review",
    "/review/seeds/s-radar",
    "/risk/seeds/s-radar",
    "/risk",
    "/screening",
    "/screening/lists",
    "/screening?name=%E3%82%BF%E3%82%B3%E6%9C%89%E9%99%90%E4%BC%9A%E7%A4%BE",  # a name's results
    "/cti",
    "/cti/groups",
    "/programmes",
    "/programmes/g-flood",
    "/programmes/projects/pj-nowcast",
    "/roadmaps",
    "/roadmaps/rm-flood",
    "/roadmaps/rm-flood/edit",
    "/experts",
    "/experts/n-flood",
    "/controls/seeds/s-radar",
    "/landscape",
    "/match/n-flood",
    "/admin/users",
    "/admin/users/boss",
    "/audit",
]
BADGES = ".pill, .strength, .risk-badge, .risk-state, .front-status, .tlp, code.method"

# Runs in the page; returns a list of problems, each a short description naming the element.
MEASURE = """
const [width, badgeSelector] = arguments;
const problems = [];
const name = (el) => {
  const text = (el.innerText || el.textContent || "").trim().replace(/\\s+/g, " ").slice(0, 40);
  return `<${el.tagName.toLowerCase()}${el.id ? "#" + el.id : ""}${el.className && typeof el.className === "string"
    ? "." + el.className.trim().split(/\\s+/).join(".") : ""}> ${JSON.stringify(text)}`;
};
const ownText = (el) => [...el.childNodes].some((n) => n.nodeType === 3 && n.textContent.trim() !== "");
const scrollable = (el) => {
  for (let p = el.parentElement; p; p = p.parentElement) {
    const o = getComputedStyle(p).overflowX;
    if (o === "auto" || o === "scroll") return true;
  }
  return false;
};
const visible = (el) => el.getClientRects().length > 0 && getComputedStyle(el).visibility !== "hidden";
for (const el of document.body.querySelectorAll("*")) {
  if (!visible(el) || el.closest("svg")) continue;
  const style = getComputedStyle(el);
  const clips = ["hidden", "clip"].includes(style.overflowX) || style.textOverflow === "ellipsis";
  if (clips && ownText(el) && el.scrollWidth > el.clientWidth + 1) {
    problems.push(`clipped (${el.scrollWidth} > ${el.clientWidth}): ${name(el)}`);
  }
  if (width >= 1000 && ownText(el) && !scrollable(el)) {
    const box = el.getBoundingClientRect();
    if (box.right > width + 1) problems.push(`beyond the viewport (${Math.round(box.right)} > ${width}): ${name(el)}`);
  }
}
const lines = (el) => {
  const range = document.createRange();
  range.selectNodeContents(el);
  return new Set([...range.getClientRects()].filter((r) => r.width > 0).map((r) => Math.round(r.top))).size;
};
for (const el of document.querySelectorAll(badgeSelector)) {
  if (visible(el) && (el.textContent || "").trim() && lines(el) > 1) problems.push(`badge broken: ${name(el)}`);
}
for (const input of document.querySelectorAll("label input[type=radio], label input[type=checkbox]")) {
  const label = input.closest("label");
  if (!visible(input)) continue;
  const box = input.getBoundingClientRect();
  for (const node of label.childNodes) {
    if (node.nodeType !== 3 || !node.textContent.trim()) continue;
    const range = document.createRange();
    range.selectNodeContents(node);
    const rects = [...range.getClientRects()].filter((r) => r.width > 0);
    if (rects.length && rects[0].top >= box.bottom - 1) problems.push(`radio above its label: ${name(label)}`);
  }
}
// The part of a chart one sees: its box, narrowed by every box around it that clips or scrolls (a roadmap wider
// than its wrapper had its legend cut at the right edge, to be found only by scrolling sideways).
const seen = (svg) => {
  const box = svg.getBoundingClientRect();
  let [left, right] = [box.left, box.right];
  for (let p = svg.parentElement; p && p !== document.body; p = p.parentElement) {
    if (getComputedStyle(p).overflowX === "visible") continue;
    const outer = p.getBoundingClientRect();
    left = Math.max(left, outer.left);
    right = Math.min(right, outer.right);
  }
  return {left, right, width: box.width, origin: box.left};
};
for (const text of document.querySelectorAll("svg text")) {
  // On screen, so that transforms (a rotated axis title) and a chart scaled to a narrow page count too.
  const chart = width >= 1000 ? seen(text.ownerSVGElement) : text.ownerSVGElement.getBoundingClientRect();
  const box = text.getBoundingClientRect();
  const origin = chart.origin ?? chart.left;
  if (box.width > 0 && (box.left < chart.left - 0.5 || box.right > chart.right + 0.5)) {
    problems.push(`chart label cut (${Math.round(box.left - origin)}…${Math.round(box.right - origin)} ` +
                  `of ${Math.round(chart.right - chart.left)} seen): ${name(text)}`);
  }
}
const header = document.querySelector("header.top");
const main = document.querySelector("main");
if (header && main && header.getBoundingClientRect().bottom > main.getBoundingClientRect().top + 1) {
  problems.push("the header covers the content");
}
const links = [...document.querySelectorAll("header.top nav a")];
if (width >= 1000 && new Set(links.map((a) => Math.round(a.getBoundingClientRect().top))).size > 1) {
  problems.push("the header's nav wraps onto a second row");
}
const brand = document.querySelector("header.top .brand");
const side = document.querySelector("header.top .side");
if (width >= 1000 && brand && side && side.getBoundingClientRect().top >= brand.getBoundingClientRect().bottom) {
  problems.push("the header's own row wraps: the user's side fell below the brand");
}
for (const a of links) {
  if (lines(a) > 1) problems.push(`nav item broken: ${name(a)}`);
}
if (header && header.scrollWidth > header.clientWidth + 1) {
  const nav = header.querySelector("nav");
  if (!nav || !["auto", "scroll"].includes(getComputedStyle(nav).overflowX)) problems.push("the header is cut");
}
return problems;
"""


@pytest.fixture
def site_server(browser_pool: BrowserPool, workspace: Workspace, tmp_path: Path) -> Iterator[LiveServer]:  # noqa: F811
    """`kizashi serve` on a workspace with records of every kind, a review, a screening list and a scan."""
    _build(workspace, tmp_path)
    live = LiveServer(dict(os.environ)).start()
    yield live
    alive = live.alive()
    live.stop()
    log = live.log()
    live.remove_log()
    print(f"--- kizashi serve output ---\n{log}")
    assert alive, f"the server died during the test:\n{log}"
    assert "Traceback" not in log, f"the server hit an unexpected error:\n{log}"


@pytest.fixture
def boss(browser_pool: BrowserPool, site_server: LiveServer) -> Iterator[Browser]:  # noqa: F811
    driver = browser_pool.take()
    browser = Browser(driver, site_server)
    browser.log_in("boss")
    yield browser
    driver.execute_cdp_cmd("Emulation.clearDeviceMetricsOverride", {})
    browser_pool.give_back(driver)


def _at_width(browser: Browser, width: int) -> None:
    """The page laid out at `width` CSS pixels, as on a screen that wide (a phone's is a mobile viewport)."""
    browser.driver.execute_cdp_cmd(
        "Emulation.setDeviceMetricsOverride",
        {"width": width, "height": 900, "deviceScaleFactor": 1, "mobile": width < 600},
    )


def _measure(browser: Browser, width: int) -> list[str]:
    found: Any = browser.driver.execute_script(MEASURE, width, BADGES)
    return [str(problem) for problem in found]


def _keep_screenshot(browser: Browser, path: str, width: int) -> None:
    folder = os.environ.get("KIZASHI_SCREENSHOTS")
    if folder:
        name = path.strip("/").replace("/", "_").replace(":", "_").partition("?")[0] or "dashboard"
        name += "_results" if "?" in path else ""
        height = int(browser.driver.execute_script("return document.documentElement.scrollHeight"))
        browser.driver.execute_cdp_cmd(
            "Emulation.setDeviceMetricsOverride",
            {"width": width, "height": min(height, 4000), "deviceScaleFactor": 1, "mobile": width < 600},
        )
        browser.driver.save_screenshot(str(Path(folder) / f"{name}-{width}.png"))
        _at_width(browser, width)


@pytest.mark.parametrize("width", [DESKTOP, PHONE])
def test_nothing_is_cut_or_hidden_on_the_main_pages(boss: Browser, width: int) -> None:
    _at_width(boss, width)
    problems: dict[str, list[str]] = {}
    for path in PAGES:
        boss.open(path)
        boss.until(lambda: boss.all("main h1"), f"the page {path}")
        assert boss.find("html").get_attribute("lang") == "ja"
        _keep_screenshot(boss, path, width)
        found = _measure(boss, width)
        if found:
            problems[path] = found
    assert problems == {}, "\n".join(f"{path}:\n  " + "\n  ".join(found) for path, found in problems.items())


def test_the_measure_finds_what_it_looks_for(boss: Browser) -> None:
    """The check can fail: a badge squeezed to break, clipped text and a radio above its label are all reported."""
    _at_width(boss, DESKTOP)
    boss.open("/needs")
    # Styles set through the DOM: the pages' Content-Security-Policy ignores style attributes in markup.
    boss.driver.execute_script(
        """
        const main = document.querySelector("main");
        const add = (html, style) => {
          main.insertAdjacentHTML("beforeend", html);
          Object.assign(main.lastElementChild.style, style);
          return main.lastElementChild;
        };
        add('<span class="pill">要確認</span>', {display: "inline-block", width: "2em", whiteSpace: "normal",
                                                wordBreak: "break-all"});
        add("<div>とても長い見出しの文字列</div>", {overflow: "hidden", width: "3em", whiteSpace: "nowrap"});
        const label = add("<label><input type=radio>該当なし</label>", {});
        Object.assign(label.firstElementChild.style, {display: "block", width: "100%"});
        add("<div>広すぎる</div>", {width: "3000px"});
        // A chart wider than the box that scrolls it: its legend is out of sight at the right.
        add('<div><svg width="900" height="30" viewBox="0 0 900 30"><text x="800" y="20">凡例</text></svg></div>',
            {width: "300px", overflowX: "auto"});
        """
    )
    found = "\n".join(_measure(boss, DESKTOP))
    assert "chart label cut" in found and "凡例" in found, found
    for expected in ("badge broken", "clipped", "radio above its label", "beyond the viewport"):
        assert expected in found, found


def test_the_overview_charts_labels_are_whole(browser_pool: BrowserPool) -> None:  # noqa: F811
    """The overview's threat categories (「新興技術がもたらす脅威 / Threats from emerging technology」 was cut to
    「らす脅威」) and long Japanese labels, drawn by Chromium: no label reaches outside its chart."""
    names = list(threat_category_names().values())
    charts = [
        bar_chart([(name, index + 1) for index, name in enumerate(names)], title="分類別の脅威 / Threats by category"),
        bar_chart([("安全保障輸出管理責任者による確認待ちの案件", 12345), ("組織", 3)], title="長いラベル", width=420),
        column_chart([(str(year), year - 2000) for year in range(2000, 2026)], title="開始年別", width=420),
    ]
    driver = browser_pool.take()
    try:
        driver.get("about:blank")
        driver.execute_script("document.body.innerHTML = arguments[0];", "".join(charts))
        found = [str(problem) for problem in driver.execute_script(MEASURE, DESKTOP, BADGES)]
        assert [problem for problem in found if "chart" in problem] == []
        assert len(driver.find_elements(By.CSS_SELECTOR, "svg text")) > len(names)
    finally:
        browser_pool.give_back(driver)
