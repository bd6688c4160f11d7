"""The landscape pages on a workspace of planted works scanned for real: the landscape and a technology's page in
Japanese (no code or English word of ours leaking), Japan always in the countries, the needs and seeds tagged with a
technology, the scan hidden from a reader below its label, the public page off by default and showing only the
`--public` scan when on, the JSON twins, and the services' audit events."""

from __future__ import annotations

import os
import re
from collections.abc import Iterator
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import pytest
import yaml
from fastapi import FastAPI
from fastapi.testclient import TestClient
from hypothesis import given
from hypothesis import strategies as st
from sqlalchemy import select, update

from conftest import PASSWORD, SECRET, add_users, login_token
from kizashi.ingest.dispatch import ingest
from kizashi.know.landscape.indicators import JAPAN
from kizashi.know.landscape.pages import country_rows, names_front
from kizashi.know.landscape.planted import PlantedSpec, generate, write_jsonl, write_taxonomy_yaml
from kizashi.know.landscape.service import ScanRequest
from kizashi.model import AuditEvent, Work
from kizashi.protect.people import actor_for
from kizashi.report.scan import run_scan
from kizashi.store.scratch import scratch_database
from kizashi.store.workspace import Workspace
from kizashi.web.app import create_app
from kizashi.web.i18n import MESSAGES

BATTERIES = "px-energy.solid-state-batteries"
QUANTUM = "px-sensing.quantum-sensing"
THREATS = """threats:
  - id: grid-attack
    category: cyber
    name_en: Attack on the grid's storage
    name_ja: 電力網の蓄電設備への攻撃
    likelihood: 4
    impact: 5
    technologies: [px-energy.solid-state-batteries]
    label: PUBLIC
  - id: quantum-spying
    category: emerging_technology
    name_en: Covert quantum sensing of facilities
    name_ja: 量子センシングによる施設の秘匿探知
    likelihood: 2
    impact: 4
    technologies: [px-sensing.quantum-sensing]
    label: PUBLIC
"""
NEEDS = """id,title,description,lang,keywords,label
N1,全固体電池の安全性評価,災害時にも発火しない蓄電,ja,全固体電池,PUBLIC
N2,Quantum sensing for tunnel detection,hidden tunnels,en,quantum sensing,PUBLIC
N9,Solid state batteries for field radios,an internal need,en,,INTERNAL
"""
SEEDS = """id,title,description,lang,keywords,organization,label
S1,Solid state batteries with sulfide electrolytes,a safer battery,en,,Univ A,PUBLIC
S2,量子センサによる地下探査,量子磁気計測の応用,ja,,大学B,PUBLIC
"""
# Our codes, and any message key, must never reach a Japanese page's text.
LEAKS = re.compile(
    r"\b(True|False|None|nan|high|medium|low|new|continued|split|merged|vanished|counters|could_become|emerging"
    r"|duckdb|landscape_[a-z_]+)\b"
)


class _Text(HTMLParser):
    """The visible text of a page: no tags, attributes, styles or scripts."""

    def __init__(self) -> None:
        super().__init__()
        self.parts: list[str] = []
        self._skip = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self._skip += tag in ("script", "style", "title")

    def handle_endtag(self, tag: str) -> None:
        self._skip -= tag in ("script", "style", "title")

    def handle_data(self, data: str) -> None:
        if not self._skip:
            self.parts.append(data)


def section(html: str, element_id: str) -> str:
    """The element with this id, up to the next element of the same tag at its level (enough for our markup)."""
    found = re.search(rf'<(\w+)[^>]*id="{element_id}"', html)
    assert found, element_id
    tag = found.group(1)
    end = html.find(f"</{tag}>", found.end())
    return html[found.start() : end]


def visible(html: str) -> str:
    parser = _Text()
    parser.feed(html)
    return " ".join(parser.parts)


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


def _load(workspace: Workspace, folder: Path, works: int, *, public_taxonomy: bool = True) -> None:
    """Planted works and taxonomy (PUBLIC, so that a --public scan may use it), threats, needs and seeds."""
    boss = actor_for(workspace, "boss")
    planted, generated = generate(PlantedSpec(works=works))
    write_jsonl(folder / "works.jsonl", generated)
    write_taxonomy_yaml(folder / "taxonomy.yaml", planted)
    if public_taxonomy:
        document = yaml.safe_load((folder / "taxonomy.yaml").read_text(encoding="utf-8"))
        for entry in document["technologies"]:
            entry["label"] = "PUBLIC"
        (folder / "taxonomy.yaml").write_text(yaml.safe_dump(document, allow_unicode=True), encoding="utf-8")
    (folder / "threats.yaml").write_text(THREATS, encoding="utf-8")
    (folder / "needs.csv").write_text(NEEDS, encoding="utf-8")
    (folder / "seeds.csv").write_text(SEEDS, encoding="utf-8")
    for kind, name in [("works", "works.jsonl"), ("technologies", "taxonomy.yaml"), ("threats", "threats.yaml")]:
        ingest(workspace, boss, kind, [folder / name])
    ingest(workspace, boss, "needs", [folder / "needs.csv"])
    ingest(workspace, boss, "seeds", [folder / "seeds.csv"])


def _scan(workspace: Workspace, folder: Path, **request: Any) -> int:
    written = run_scan(
        workspace, actor_for(workspace, "boss"), ScanRequest(**request), folder / f"out-{request}", formats=()
    )
    return written.result.scan_id


class Scanned:
    """A workspace scanned twice: first with --public (fronts left out, for speed), then in full (label INTERNAL, from
    the internal need N9), so that the latest scan is not the public one."""

    def __init__(self, workspace: Workspace, folder: Path) -> None:
        self.workspace = workspace
        self.public_scan = _scan(workspace, folder, public=True, fronts=False)
        self.full_scan = _scan(workspace, folder)
        self.app: FastAPI = create_app(workspace, secret=SECRET)

    def client(self, name: str | None) -> TestClient:
        return TestClient(self.app) if name is None else _log_in(self.app, name)

    def api(self, name: str) -> TestClient:
        client = TestClient(self.app)
        token = client.post("/api/session", json={"name": name, "password": PASSWORD}).json()["token"]
        client.cookies.clear()
        client.headers["Authorization"] = f"Bearer {token}"
        return client

    def tables(self, scan_id: int) -> dict[str, list[dict[str, Any]]]:
        from kizashi.model import LandscapeScan
        from kizashi.store.readable import select_trusted

        with self.workspace.session() as session:
            row = session.execute(
                select_trusted(LandscapeScan.tables, why="the test compares pages with the stored scan").where(
                    LandscapeScan.id == scan_id
                )
            ).scalar_one()
        return dict(row)


@pytest.fixture(scope="module", params=["sqlite", "postgresql"])
def scanned(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Scanned]:
    folder = tmp_path_factory.mktemp("landscape")
    for url in _database(request.param, folder):
        workspace = Workspace.create(folder / "ws", url)
        add_users(workspace)
        _load(workspace, folder, 1500)
        yield Scanned(workspace, folder)
        workspace.close()


def _events(workspace: Workspace, after: int) -> list[AuditEvent]:
    with workspace.session() as session:
        events = list(session.scalars(select(AuditEvent).where(AuditEvent.seq > after).order_by(AuditEvent.seq)))
        session.expunge_all()
    return events


def _last_seq(workspace: Workspace) -> int:
    found = _events(workspace, 0)
    return found[-1].seq if found else 0


# ------------------------------------------------------------------------------------------------------- the pages


def test_the_landscape_page_shows_the_latest_scan_in_japanese(scanned: Scanned) -> None:
    page = scanned.client("boss").get("/landscape")
    assert page.status_code == 200
    html, text = page.text, visible(page.text)
    assert f'data-scan="{scanned.full_scan}"' in html and 'data-label="INTERNAL"' in html
    assert "研究開発ランドスケープ" in text and "重要技術の順位" in text and "研究フロント" in text
    assert "全固体電池" in text and "量子センシング" in text  # names in Japanese
    leaked = sorted(set(LEAKS.findall(text)))
    assert not leaked, leaked
    # Every critical row is there, ranked, each name linking to its technology page.
    critical = scanned.tables(scanned.full_scan)["critical"]
    linked = re.findall(r'href="/landscape/technology/([^"]+)" data-technology', html)
    assert {row["technology"] for row in critical} <= set(linked)
    # Front statuses and monopoly risks in words; every front of the scan is listed.
    statuses = re.findall(r'<span class="front-status status-[a-z]+">([^<]+)</span>', html)
    assert statuses and set(statuses) <= {"新規", "継続", "分裂", "統合"}
    fronts = scanned.tables(scanned.full_scan)["fronts"]
    assert len(re.findall(r'<tr data-front="', html)) == len(fronts) > 0
    risks = set(re.findall(r'<span class="risk risk-[a-z]+">([^<]+)</span>', html))
    assert risks and risks <= {"高", "中", "低"}
    # The threats' needs link to their pages.
    assert 'href="/needs/N1"' in html and 'href="/seeds/S2"' in html


def test_the_landscape_page_in_english(scanned: Scanned) -> None:
    text = visible(scanned.client("boss").get("/landscape?lang=en").text)
    assert "R&D landscape" in text and "Critical technologies" in text and "Solid state batteries" in text
    assert "重要技術の順位" not in text


def test_the_technology_page_marks_japan_and_links_needs_and_seeds(scanned: Scanned) -> None:
    page = scanned.client("boss").get(f"/landscape/technology/{BATTERIES}")
    assert page.status_code == 200
    html, text = page.text, visible(page.text)
    # Planted works' titles hold English words ("high sensitivity"): our own words are everything but those.
    ours = visible(html.replace(section(html, "works"), "").replace(section(html, "experts"), ""))
    assert "全固体電池" in ours and not LEAKS.findall(ours)
    # Japan: its row (marked) in the table, its bar marked in the chart.
    assert re.search(r'<tr data-country="JP" class="japan">', html)
    assert re.search(r'<g class="bar marked" data-label="JP">', html)
    # The table's shares are the scan's.
    rows = [r for r in scanned.tables(scanned.full_scan)["countries"] if r["technology"] == BATTERIES]
    japan = next(r for r in rows if r["country"] == JAPAN)
    shown = re.search(r'<tr data-country="JP" class="japan">(.*?)</tr>', html, re.S)
    assert shown and f"{japan['share']:.1%}" in shown.group(1)
    # Needs and seeds tagged with it (N9 names it too but is INTERNAL: boss reads it).
    assert re.findall(r'href="/needs/([^"]+)"', section(html, "linked-needs")) == ["N1", "N9"]
    assert re.findall(r'href="/seeds/([^"]+)"', section(html, "linked-seeds")) == ["S1"]
    # The tagged works, at most 20, each with its phrase and where it was found.
    works = re.findall(r'<tr data-work="([^"]+)">', html)
    assert 0 < len(works) <= 20
    assert "「" in text and ("件名" in text or "要旨" in text)
    # The experts, and the threat it counters.
    assert 'id="expert-1"' in html
    assert "電力網の蓄電設備への攻撃" in text and "対抗する技術" in text


def test_a_reader_sees_only_what_they_may_read_on_a_technology_page(scanned: Scanned) -> None:
    html = scanned.client("low").get(f"/landscape/technology/{BATTERIES}").text
    assert re.findall(r'href="/needs/([^"]+)"', section(html, "linked-needs")) == ["N1"]  # not the INTERNAL N9
    # low may not read the INTERNAL full scan: the rows come from the public one.
    assert f"スキャン番号{scanned.public_scan}（" in visible(html)


def test_an_unknown_technology_is_a_404_and_a_denied_event(scanned: Scanned) -> None:
    before = _last_seq(scanned.workspace)
    assert scanned.client("ana").get("/landscape/technology/no.such").status_code == 404
    denied = [e for e in _events(scanned.workspace, before) if e.action == "denied"]
    assert [e.detail["service"] for e in denied] == ["landscape.technology_page"]


def test_the_services_write_one_read_event_each(scanned: Scanned) -> None:
    client = scanned.client("ana")
    before = _last_seq(scanned.workspace)
    client.get("/landscape")
    reads = [e for e in _events(scanned.workspace, before) if e.action == "read"]
    assert len(reads) == 1 and reads[0].actor == "ana"
    assert reads[0].detail["service"] == "landscape.page" and reads[0].detail["scan"] == scanned.full_scan
    assert BATTERIES in reads[0].records
    before = _last_seq(scanned.workspace)
    client.get(f"/landscape/technology/{BATTERIES}")
    reads = [e for e in _events(scanned.workspace, before) if e.action == "read"]
    page = [e for e in reads if e.detail.get("service") == "landscape.technology_page"]
    assert len(page) == 1 and page[0].detail["technology"] == BATTERIES
    assert {BATTERIES, "N1", "N9", "S1"} <= set(page[0].records)
    # The works shown are named by technology_works' own event.
    works = [e for e in reads if e.detail.get("service") != "landscape.technology_page"]
    assert len(works) == 1 and works[0].records[0] == BATTERIES and len(works[0].records) > 1


def test_the_api_returns_the_same_data(scanned: Scanned) -> None:
    client = scanned.api("boss")
    landscape = client.get("/api/landscape").json()
    stored = scanned.tables(scanned.full_scan)
    assert landscape["scan"]["id"] == scanned.full_scan and landscape["label"]["level"] == "INTERNAL"
    assert landscape["tables"]["critical"] == stored["critical"]
    assert landscape["technologies"][BATTERIES]["name_ja"] == "全固体電池"
    technology = client.get(f"/api/landscape/technology/{QUANTUM}").json()
    assert technology["scan"]["id"] == scanned.full_scan
    assert JAPAN in [row["country"] for row in technology["countries"]]
    assert [n["id"] for n in technology["needs"]] == ["N2"] and [s["id"] for s in technology["seeds"]] == ["S2"]
    assert technology["works"]["total"] >= len(technology["works"]["works"]) > 0
    assert client.get("/api/landscape/technology/no.such").status_code == 404


# ---------------------------------------------------------------------------------------------- the public page


def test_the_public_page_is_off_by_default(scanned: Scanned, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("KIZASHI_PUBLIC_LANDSCAPE", raising=False)
    assert scanned.client(None).get("/public/landscape").status_code == 404


def test_the_public_page_shows_only_the_public_scan(scanned: Scanned, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("KIZASHI_PUBLIC_LANDSCAPE", "true")
    before = _last_seq(scanned.workspace)
    page = scanned.client(None).get("/public/landscape")
    assert page.status_code == 200
    html, text = page.text, visible(page.text)
    # The latest scan is the full one; the public page shows the --public one, labelled PUBLIC.
    assert f'data-scan="{scanned.public_scan}"' in html and f'data-scan="{scanned.full_scan}"' not in html
    assert 'data-label="PUBLIC"' in html and "公開版" in text and not LEAKS.findall(text)
    # Nothing that needs a login: no technology pages, no record pages, not who ran it.
    assert "/landscape/technology/" not in html and 'href="/needs/' not in html and "boss" not in text
    assert not [e for e in _events(scanned.workspace, before) if e.action == "read"]


# -------------------------------------------------------------------------------------- a scan above the reader


@pytest.fixture
def confidential(workspace: Workspace, tmp_path: Path) -> FastAPI:
    """A scan of works labelled CONFIDENTIAL: the scan is CONFIDENTIAL too."""
    add_users(workspace)
    _load(workspace, tmp_path, 300)
    with workspace.session() as session:
        session.execute(update(Work).values(level="CONFIDENTIAL"))
    _scan(workspace, tmp_path, fronts=False)
    return create_app(workspace, secret=SECRET)


def _log_in(app: FastAPI, name: str) -> TestClient:
    client = TestClient(app)
    data = {"name": name, "password": PASSWORD, "login_token": login_token(client), "next": "/"}
    assert client.post("/login", data=data, follow_redirects=False).status_code == 303
    return client


def test_a_reader_below_the_scan_label_sees_no_scan(confidential: FastAPI, monkeypatch: pytest.MonkeyPatch) -> None:
    app = confidential
    low = _log_in(app, "low")
    page = low.get("/landscape")
    assert page.status_code == 200 and 'id="no-scan"' in page.text and "kizashi scan" in page.text
    assert "data-scan=" not in page.text
    technology = low.get(f"/landscape/technology/{BATTERIES}")  # the taxonomy is PUBLIC; the works are not
    assert technology.status_code == 200 and 'id="no-scan"' in technology.text and 'id="no-works"' in technology.text
    assert not re.findall(r'<tr data-work="', technology.text)
    ana = _log_in(app, "ana")
    shown = ana.get("/landscape").text
    assert "data-scan=" in shown and 'data-label="CONFIDENTIAL"' in shown
    # And the public page has no --public scan to show.
    monkeypatch.setenv("KIZASHI_PUBLIC_LANDSCAPE", "true")
    assert TestClient(app).get("/public/landscape").status_code == 404


# -------------------------------------------------------------------------------------------------- properties


COUNTRIES = st.lists(
    st.sampled_from(["US", "CN", "DE", "GB", "FR", "KR", "IN", "IT", "AU", "CA", "JP", "BR"]), unique=True
)


@given(COUNTRIES, st.integers(1, 12), st.data())
def test_japan_is_always_among_the_countries_shown(countries: list[str], top: int, data: st.DataObject) -> None:
    shares = data.draw(st.lists(st.floats(0, 1), min_size=len(countries), max_size=len(countries)))
    rows = [
        {"technology": "t", "country": c, "share": s, "rank": i + 1}
        for i, (c, s) in enumerate(sorted(zip(countries, shares, strict=True), key=lambda cs: -cs[1]))
    ]
    shown = country_rows(rows, "t", top=top)
    assert [r["country"] for r in shown].count(JAPAN) == 1
    assert len(shown) <= top + 1
    ranked = [r["rank"] for r in shown if r["country"] != JAPAN]
    assert ranked == sorted(ranked) and ranked == [r["rank"] for r in rows if r["country"] != JAPAN][: len(ranked)]
    if JAPAN not in countries:
        assert shown[-1]["share"] == 0.0 and shown[-1]["works"] == 0


@given(st.lists(st.from_regex(r"[a-z]{1,4}(\.[a-z]{1,4})?", fullmatch=True), max_size=5), st.text(max_size=6))
def test_a_front_names_exactly_the_technologies_of_its_cell(listed: list[str], other: str) -> None:
    row = {"technologies": ";".join(listed)}
    for technology in listed:
        assert names_front(row, technology)
    assert names_front(row, other) == (other in listed)


def test_every_coded_value_a_page_words_has_a_message_in_both_languages() -> None:
    # The templates build these keys from the scan's codes, so the check of the keys they name literally misses them.
    codes = {
        "risk": ["high", "medium", "low"],
        "status": ["new", "continued", "split", "merged", "vanished"],
        "relation": ["counters", "could_become"],
        "emerging": ["yes", "no"],
        "field": ["title", "keywords", "abstract"],
        "expert": ["organisation", "person"],
    }
    for family, values in codes.items():
        for value in values:
            ja, en = MESSAGES[f"landscape_{family}_{value}"]
            assert ja and en and not re.search(r"[a-z]", ja), (family, value)
