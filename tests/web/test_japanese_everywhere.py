"""Japanese all the way through (issue 15): every page an admin reaches by GET, read in Japanese, shows words where
kizashi has identifiers: no column name, label level, role, review state, funding, horizon or other snake_case code.

The pages are read as a user reads them: the visible text (no tags, attributes, scripts, styles, nor the command
lines and file column names shown in <code>), with what is data left out (an element marked `class="data"`: a source
file's own column name). An identifier is flagged when it is the whole of a piece of text (a cell, a list item, the
part of a line between separators: "admin: 1", "draft → submitted"); a level name or a snake_case code anywhere.
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterator
from datetime import UTC, datetime
from html.parser import HTMLParser
from pathlib import Path

import pytest
from fastapi import FastAPI
from fastapi.responses import HTMLResponse
from fastapi.routing import APIRoute
from fastapi.testclient import TestClient

from conftest import PASSWORD, SECRET, add_users, login_token
from kizashi.grow import barriers, gates, goals
from kizashi.grow.roadmap_model import read_roadmap
from kizashi.grow.roadmaps import save_roadmap
from kizashi.ingest.dispatch import ingest
from kizashi.know.landscape.service import ScanRequest
from kizashi.model import RECORD_KINDS, Work
from kizashi.policy import LEVELS, ROLES, Actor
from kizashi.protect import deemed_export, people, release
from kizashi.protect.controls.decisions import decide
from kizashi.protect.people import actor_for
from kizashi.protect.release.machine import ACTIONS, STATES
from kizashi.protect.release.routing import FUNDING
from kizashi.protect.screening.store import STATUSES, load_list
from kizashi.report.overview import write_overview
from kizashi.report.scan import run_scan
from kizashi.store.readable import select_trusted
from kizashi.store.scratch import scratch_database
from kizashi.store.workspace import Workspace
from kizashi.web.app import create_app

FIXTURES = Path(__file__).parents[1] / "fixtures"
HORIZONS = ("near", "mid", "long")
# Every identifier kizashi stores and a page could show raw: the records' columns, roles, levels, review states,
# actions and funding, screening statuses, horizons.
COLUMNS = {column.name for model in RECORD_KINDS.values() for column in model.__table__.columns}
IDENTIFIERS = COLUMNS | set(ROLES) | set(LEVELS) | set(STATES) | set(ACTIONS) | set(FUNDING) | set(STATUSES)
IDENTIFIERS |= set(HORIZONS)
SNAKE = re.compile(r"\b[a-z]+_[a-z_]+\b")
LEVEL_WORD = re.compile(rf"\b({'|'.join(LEVELS)})\b")
SEPARATORS = re.compile(r"\s*(?:[,、;；·→:：()（）|]|\s/\s)\s*")

THREATS = """threats:
  - id: nh.river-flood
    category: natural_hazard
    name_en: Flooding of large rivers
    name_ja: 大河川の氾濫
    description_en: Levees overtopped after days of rain.
    description_ja: 長雨による堤防の越水。
    likelihood: 4
    impact: 5
    horizon: near
    technologies: [radar]
    sources: [Cabinet Office white paper]
    label: PUBLIC
  - id: se.hidden-threat
    category: security_environment
    name_en: Covert sabotage of harbours
    name_ja: 港湾の秘匿破壊工作
    likelihood: 2
    impact: 4
    horizon: long
    label: INTERNAL
"""
TECHNOLOGIES = """technologies:
  - id: sensing
    name_en: Sensing
    name_ja: センシング
    label: PUBLIC
  - id: radar
    parent: sensing
    name_en: Radar
    name_ja: レーダー
    synonyms_en: [radio detection]
    synonyms_ja: [電波探知]
    description_en: Detection by reflected radio waves.
    description_ja: 電波の反射による探知。
    label: PUBLIC
"""
# `call` is a key importers know; `sponsor_code` is the source file's own column, shown as data.
NEEDS = (
    "id,title,description,lang,keywords,organization,country,trl,threat,deadline,label,tlp,call,sponsor_code\n"
    "n-flood,河川氾濫の早期検知,レーダーで堤防の変状を捉える,ja,レーダー;堤防,国土交通省,JP,4,nh.river-flood,"
    "2027-03-31,PUBLIC,TLP:GREEN,防災公募,K-7\n"
    "n-harbour,港湾監視の強化,港湾の不審な動きを検知する,ja,港湾,海上保安庁,JP,5,se.hidden-threat,,PUBLIC,,,\n"
)
SEEDS = (
    "id,title,description,lang,keywords,organization,country,trl,threat,label\n"
    "s-radar,小型気象レーダー,河川流域の降雨を観測する,ja,レーダー,大学A,JP,6,nh.river-flood,PUBLIC\n"
)


def _database(kind: str, folder: Path) -> Iterator[str]:
    if kind == "sqlite":
        yield f"sqlite:///{folder / 'kizashi.sqlite'}"
        return
    base = os.environ.get("KIZASHI_TEST_POSTGRES_URL")
    if not base:
        if os.environ.get("KIZASHI_REQUIRE_POSTGRES") == "1":
            pytest.fail("KIZASHI_REQUIRE_POSTGRES=1 but KIZASHI_TEST_POSTGRES_URL is not set")
        pytest.skip("PostgreSQL not configured (set KIZASHI_TEST_POSTGRES_URL)")
    with scratch_database(base, prefix="t") as url:
        assert url is not None
        yield url


def _build(workspace: Workspace, folder: Path) -> str:
    """Records of every kind, a review under way, a control decision, a deemed-export answer, a screening list, a
    landscape scan and a change held for a second admin; the id of a work."""
    add_users(workspace)
    boss = actor_for(workspace, "boss")
    for name, role in (("pi", "principal_investigator"), ("pm", "programme_manager"), ("so", "security_officer")):
        people.add_user(workspace, boss, name, roles=[role])
        people.grant(workspace, boss, name, "CONFIDENTIAL")
        people.record_training(workspace, boss, name, "security-basics", datetime(2026, 1, 1, tzinfo=UTC))
    files = {"threats.yaml": THREATS, "technologies.yaml": TECHNOLOGIES, "needs.csv": NEEDS, "seeds.csv": SEEDS}
    for name, text in files.items():
        (folder / name).write_text(text, encoding="utf-8")
    ingest(workspace, boss, "technologies", [folder / "technologies.yaml"])
    ingest(workspace, boss, "threats", [folder / "threats.yaml"])
    ingest(workspace, boss, "works", [FIXTURES / "cordis" / "projects.csv", FIXTURES / "cordis" / "organisations.csv"])
    ingest(workspace, boss, "needs", [folder / "needs.csv"])
    ingest(workspace, boss, "seeds", [folder / "seeds.csv"])
    ana = actor_for(workspace, "ana")
    release.submit(workspace, ana, "s-radar", funding="government", publication_clause=True, kind="seeds")
    release.move(workspace, actor_for(workspace, "pi"), "s-radar", "start", kind="seeds")
    decide(workspace, boss, "s-radar", "not-listed", reason="気象観測用", kind="seeds")
    deemed_export.answer(workspace, boss, "s-radar", "Chen Wei", ["non_resident"], kind="seeds")
    load_list(workspace, boss, FIXTURES / "lists" / "generic.csv")
    people.grant(workspace, boss, "boss", "CONFIDENTIAL", compartments=["gamma"])  # held: a grant to oneself
    people.record_training(workspace, boss, "low", "security-basics", datetime(2026, 2, 1, tzinfo=UTC))
    run_scan(workspace, boss, ScanRequest(fronts=False), folder / "scan", formats=())
    _programme(workspace, boss)
    with workspace.session() as session:
        return str(session.scalar(select_trusted(Work.id, why="the test picks a work to open").limit(1)))


def _programme(workspace: Workspace, boss: Actor) -> None:
    """A goal against the flood threat with two projects (one stopped), a gate decision, a TRL, a barrier and a
    stored roadmap, for the programme and roadmap pages."""
    goal = {"id": "g-flood", "title_ja": "洪水の早期警戒", "threats": ["nh.river-flood"], "capability": "水位予測"}
    goals.add_goal(workspace, boss, {**goal, "target_date": "2030-03-31", "target": "9 割の市町村で警報"}, [])
    for project, budget in (("pj-nowcast", {"2027": 30, "2028": 20}), ("pj-levee", {"2027": 10})):
        goals.add_project(
            workspace, boss, "g-flood", {"id": project, "title": "水位予測", "manager": "pm", "budget": budget}
        )
    gates.decide(workspace, boss, "pj-nowcast", "go", achieved="a", outlook="b", reason="中間評価", reviewers=["委員"])
    gates.decide(workspace, boss, "pj-levee", "kill", achieved="c", outlook="c", reason="中止", reviewers=["委員"])
    gates.assess(workspace, boss, "project", "pj-nowcast", 4, evidence="試験")
    barriers.add_barrier(
        workspace, boss, {"title": "調達規則", "kind": "procurement", "owner": "内閣府", "blocks": ["pj-nowcast"]}
    )
    example = Path(__file__).parents[2] / "examples" / "roadmap.yaml"  # its goal is g-flood: stored as rm-flood
    save_roadmap(workspace, boss, read_roadmap(example))


def _cti_run(workspace: Workspace, folder: Path) -> str:
    """boss's correlation run with a hit on an indicator of malware tied to seed s-radar (the CTI runs' pages)."""
    from kizashi.protect.cti.assets import link_asset
    from kizashi.protect.cti.groups import add_collection, add_group
    from kizashi.protect.cti.sightings import correlate_observations
    from kizashi.protect.cti.store import add_objects

    add_group(workspace, actor_for(workspace, "boss"), "partners", ["boss"])
    add_collection(workspace, actor_for(workspace, "boss"), "intel", "partners", default_tlp="GREEN")
    boss = actor_for(workspace, "boss")  # now a member
    base = {"spec_version": "2.1", "created": "2026-01-01T00:00:00Z", "modified": "2026-01-01T00:00:00Z"}
    malware, indicator = (
        "malware--1b0e7f0a-3c1d-4e57-9a6b-1c2d3e4f5a6b",
        "indicator--1b0e7f0a-3c1d-4e57-9a6b-1c2d3e4f5a6c",
    )
    objects = [
        {**base, "type": "malware", "id": malware, "name": "TakoWiper", "is_family": True},
        {**base, "type": "indicator", "id": indicator, "name": "C2", "pattern": "[domain-name:value = 'evil.example']",
         "pattern_type": "stix", "valid_from": "2026-01-01T00:00:00Z"},
        {**base, "type": "relationship", "id": "relationship--1b0e7f0a-3c1d-4e57-9a6b-1c2d3e4f5a6d",
         "relationship_type": "indicates", "source_ref": indicator, "target_ref": malware},
    ]  # fmt: skip
    add_objects(workspace, boss, "intel", objects)
    link_asset(workspace, boss, malware, "seeds", "s-radar")
    observations = folder / "dns.csv"
    observations.write_text("time,query\n2026-03-01T10:00:00Z,evil.example\n", encoding="utf-8")
    return correlate_observations(workspace, boss, observations).run or ""


class Site:
    def __init__(self, workspace: Workspace, work: str, run: str = "") -> None:
        self.workspace = workspace
        self.work = work
        self.run = run  # a correlation run (the CTI runs' pages)
        self.app: FastAPI = create_app(workspace, secret=SECRET)

    def client(self, name: str) -> TestClient:
        client = TestClient(self.app)
        response = client.post(
            "/login",
            data={"name": name, "password": PASSWORD, "login_token": login_token(client), "next": "/"},
            follow_redirects=False,
        )
        assert response.status_code == 303, response.text
        return client


@pytest.fixture(scope="module", params=["sqlite", "postgresql"])
def site(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Site]:
    folder = tmp_path_factory.mktemp("japanese")
    for url in _database(request.param, folder):
        workspace = Workspace.create(folder / "ws", url)
        work = _build(workspace, folder)
        yield Site(workspace, work, _cti_run(workspace, folder))
        workspace.close()


def pages(work: str, run: str = "") -> list[str]:
    """Every page an admin reaches by GET, with records of each kind and each state the pages show."""
    return [
        "/",
        *(f"/{kind}" for kind in RECORD_KINDS),
        "/needs?q=レーダー",
        "/needs/n-flood",
        "/needs/n-harbour",
        "/seeds/s-radar",
        f"/works/{work}",
        "/threats/nh.river-flood",
        "/technologies/radar",
        "/needs/new",
        "/seeds/new",
        "/admin/users",
        "/admin/users/boss",
        "/admin/users/low",
        "/admin/changes",
        "/audit",
        "/review",
        "/review/seeds/s-radar",
        f"/review/works/{work}",
        "/risk/seeds/s-radar",
        f"/risk/works/{work}",
        "/risk",
        "/risk?kind=works",
        "/controls/seeds/s-radar",
        f"/controls/works/{work}",
        "/controls/technologies/radar",
        "/deemed-export/seeds/s-radar",
        "/screening",
        "/screening/lists",
        "/cti",
        "/cti/groups",
        "/cti/groups/new",
        "/cti/collections/new",
        "/cti/runs",
        f"/cti/runs/{run}",
        "/cti/correlate",
        "/programmes",
        "/programmes/g-flood",
        "/roadmaps",
        "/roadmaps/rm-flood",
        "/roadmaps/rm-flood/edit",
        "/landscape",
        "/landscape/technology/radar",
        "/experts",
        "/experts?q=レーダー",
        "/experts/n-flood",
        "/match",
        "/match/n-flood",
    ]


# Pages left out, and why: the API reference names the API's own parameters for programmers; the public landscape is
# off unless configured (a 404 here); the login page is read anonymously (test below).
NOT_HERE = {"/api/docs", "/public/landscape", "/login"}


class _Visible(HTMLParser):
    """The pieces of visible text: each text node, outside scripts, styles, <code> and elements marked as data."""

    HIDDEN = frozenset({"script", "style", "code", "pre"})
    VOID = frozenset({"br", "img", "input", "meta", "link", "hr", "wbr", "col", "source"})

    def __init__(self) -> None:
        super().__init__()
        self.stack: list[bool] = []  # per open element: is it hidden?
        self.pieces: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in self.VOID:
            return
        classes = (dict(attrs).get("class") or "").split()
        self.stack.append(tag in self.HIDDEN or "data" in classes)

    def handle_endtag(self, tag: str) -> None:
        if tag not in self.VOID and self.stack:
            self.stack.pop()

    def handle_data(self, data: str) -> None:
        if not any(self.stack) and data.strip():
            self.pieces.append(data.strip())


def untranslated(html: str) -> list[str]:
    """The identifiers a reader would see, each with the text it stands in."""
    parser = _Visible()
    parser.feed(html)
    found = []
    for piece in parser.pieces:
        hits = set(SNAKE.findall(piece)) | set(LEVEL_WORD.findall(piece))
        hits |= {part for part in SEPARATORS.split(piece) if part in IDENTIFIERS}
        found += [f"{hit!r} in {piece[:100]!r}" for hit in sorted(hits)]
    return found


@pytest.mark.parametrize("lang", ["", "?lang=ja"])
def test_every_page_is_japanese_all_the_way_through(site: Site, lang: str) -> None:
    client = site.client("boss")
    problems: dict[str, list[str]] = {}
    for page in pages(site.work, site.run):
        url = page + (lang.replace("?", "&") if "?" in page else lang)
        response = client.get(url)
        assert response.status_code == 200, (url, response.status_code)
        assert '<html lang="ja">' in response.text
        found = untranslated(response.text)
        if found:
            problems[page] = found
    assert not problems, "\n".join(f"{page}: {found}" for page, found in problems.items())


def test_the_pages_checked_are_every_page(site: Site) -> None:
    """A page added later is checked too: every GET route of the pages is one of those visited (or left out above)."""
    visited = [page.split("?")[0] for page in pages(site.work, site.run)] + sorted(NOT_HERE)
    for route in site.app.routes:
        if not isinstance(route, APIRoute) or "GET" not in route.methods or route.response_class is not HTMLResponse:
            continue  # the API's JSON, the static files
        pattern = route.path_regex
        assert any(pattern.match(page) for page in visited), f"no page checked for {route.path}"


def test_the_login_page_is_japanese(site: Site) -> None:
    assert untranslated(TestClient(site.app).get("/login").text) == []


def test_the_check_finds_raw_identifiers() -> None:
    """The check itself: what the pages showed before issue 15, and what it must let pass."""
    before = (
        "<dl><dt>tlp_owner</dt><dd>x</dd><dt>extra</dt></dl><span>root · INTERNAL</span><td>admin: 1</td>"
        "<td>government</td><td>draft → submitted</td><td>near</td><td>analyst, principal_investigator</td>"
    )
    hits = [found.split(" in ")[0].strip("'") for found in untranslated(before)]
    raw = "tlp_owner extra INTERNAL admin government draft submitted near analyst principal_investigator"
    assert sorted(hits) == sorted(raw.split())
    fine = (
        "<p>The level of the sea near the coast</p><code>kizashi review submit s-1 --funding government</code>"
        "<td class='data'>sponsor_code</td><script>var tlp_owner;</script><p>区分: 公開 · TLP:GREEN</p>"
    )
    assert untranslated(fine) == []


def test_a_need_names_its_threat_and_links_to_it(site: Site) -> None:
    html = site.client("boss").get("/needs/n-flood").text
    link = re.search(r'<a href="/threats/nh\.river-flood" id="threat-link"[^>]*>([^<]+)</a>', html)
    assert link and link.group(1) == "大河川の氾濫"
    english = site.client("boss").get("/needs/n-flood?lang=en").text
    assert 'id="threat-link" data-threat="nh.river-flood">Flooding of large rivers</a>' in english
    assert "区分" in html and ">公開<" in html and "TLP:GREEN" in html and "防災公募" in html
    assert '<td class="data">sponsor_code</td>' in html  # the source file's own column, under a translated heading


def test_a_threat_the_reader_may_not_read_stays_an_id(site: Site) -> None:
    """`low` (PUBLIC) reads a PUBLIC need whose threat is INTERNAL: the id it stores, never the threat's name."""
    html = site.client("low").get("/needs/n-harbour").text
    assert "se.hidden-threat" in html and 'id="threat-link"' not in html
    assert "港湾の秘匿破壊工作" not in html and "Covert sabotage" not in html
    assert 'data-label="PUBLIC"' in html  # the page shows nothing above the need's own label
    boss = site.client("boss").get("/needs/n-harbour").text
    assert "港湾の秘匿破壊工作" in boss and 'data-label="INTERNAL"' in boss  # the name shown raises the page's label


def test_labels_roles_and_states_read_as_words(site: Site) -> None:
    boss = site.client("boss")
    users = boss.get("/admin/users").text
    assert "研究代表者" in users and "安全保障輸出管理責任者" in users
    card = boss.get("/risk/seeds/s-radar").text
    assert "公的資金" in card and "審査中" in card
    assert "<td>審査を申請</td><td>下書き</td><td>申請済</td>" in card  # a step of the review: action, from, to
    assert "研究代表者の承認" in card  # the rule that routed it
    threats = boss.get("/threats").text
    assert "短期（5年未満）" in threats and "自然災害" in threats
    assert re.search(r'id="who">[^<]*· 極秘<', boss.get("/").text)


def test_the_overview_report_names_a_horizon(site: Site, tmp_path: Path) -> None:
    """The overview (kizashi demo's report) says a threat's horizon in words, as the pages do."""
    html = write_overview(site.workspace, actor_for(site.workspace, "boss"), tmp_path / "overview.html").read_text()
    assert "短期（5年未満）" in html and "長期（15年超）" in html
    assert not re.search(r"<td>(near|mid|long)</td>", html)
