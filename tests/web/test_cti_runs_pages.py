"""The correlation runs' pages on both backends (issue 16): an observation file uploaded at /cti/correlate is
correlated and its run shown, each hit with what it indicates and the research assets tied to it (linked to their
pages); /cti/runs lists the reader's runs; someone else's run is the same 404 as a missing one (auditors read it, with
only the hits they may read); a bad upload is told, naming the file as sent. One Chromium check in Japanese."""

from __future__ import annotations

import re
import uuid
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient
from test_browser import Browser, browser_pool, new_browser, server  # noqa: F401 (fixtures, shared with test_browser)

from conftest import as_user, masked, page_csrf
from kizashi.model import Goal, ProgrammeProject, Seed
from kizashi.protect.cti.assets import link_asset
from kizashi.protect.cti.groups import add_collection, add_group
from kizashi.protect.cti.sightings import correlate_observations
from kizashi.protect.cti.store import add_objects
from kizashi.protect.cti.tlp import MARKING_OF
from kizashi.store.workspace import Workspace

T0 = "2026-01-01T00:00:00.000Z"
MALWARE, GREEN, RED = f"malware--{uuid.uuid4()}", f"indicator--{uuid.uuid4()}", f"indicator--{uuid.uuid4()}"
OBSERVATIONS = (
    "time,query,ip\n2026-03-01T10:00:00Z,evil.example,192.0.2.1\n2026-03-01T11:00:00Z,good.example,198.51.100.7\n"
)


def stix(kind: str, ident: str, **fields: Any) -> dict[str, Any]:
    return {"type": kind, "spec_version": "2.1", "id": ident, "created": T0, "modified": T0, **fields}


def indicator(ident: str, name: str, pattern: str, tlp: str) -> dict[str, Any]:
    return stix(
        "indicator",
        ident,
        name=name,
        pattern=pattern,
        pattern_type="stix",
        valid_from="2026-01-01T00:00:00Z",
        object_marking_refs=[MARKING_OF[tlp]],
    )


@pytest.fixture
def intel(web_workspace: Workspace) -> Workspace:
    """`partners` (boss, ana) share `shared`: malware tied to seed S1 and to programme project P1, a GREEN indicator
    of it, and a RED indicator only boss (its adder) receives."""
    ws = web_workspace
    boss = as_user(ws, "boss")
    add_group(ws, boss, "partners", ["boss", "ana"])
    add_collection(ws, boss, "shared", "partners", default_tlp="GREEN")
    boss = as_user(ws, "boss")  # now holding the group's compartment
    add_objects(
        ws,
        boss,
        "shared",
        [
            stix("malware", MALWARE, name="GridWiper", is_family=True),
            indicator(GREEN, "GridWiper C2", "[domain-name:value = 'evil.example']", "GREEN"),
            indicator(RED, "Red address", "[ipv4-addr:value = '198.51.100.7']", "RED"),
            stix(
                "relationship",
                f"relationship--{uuid.uuid4()}",
                relationship_type="indicates",
                source_ref=GREEN,
                target_ref=MALWARE,
            ),
        ],
    )
    public = {"level": "PUBLIC", "compartments": [], "content_hash": "x"}
    with ws.session() as session:
        session.add(Seed(id="S1", title="Grid anomaly detection", **public))
        session.add(
            Goal(
                id="G1",
                title_ja="電力網の防護",
                threats=[],
                capability="detect",
                target_date=date(2030, 3, 31),
                target="all substations",
                created_by="boss",
                **public,
            )
        )
        session.add(
            ProgrammeProject(
                id="P1",
                goal_id="G1",
                title="Substation monitor",
                manager="boss",
                status="active",
                created_by="boss",
                **public,
            )
        )
    link_asset(ws, boss, MALWARE, "seeds", "S1", reason="aimed at our detector")
    link_asset(ws, boss, MALWARE, "programme_projects", "P1")
    return ws


def upload(client: TestClient, name: str, content: str, since: str = "") -> Any:
    csrf = page_csrf(client.get("/cti/correlate").text)
    return client.post(
        "/cti/correlate",
        data={"csrf_token": csrf, "since": since},
        files={"file": (name, content.encode(), "text/csv")},
        follow_redirects=False,
    )


def test_an_uploaded_file_is_correlated_and_its_run_shown(
    intel: Workspace, browser: Callable[[str], TestClient]
) -> None:
    ana = browser("ana")
    assert 'href="/cti/runs" id="to-runs"' in ana.get("/cti").text
    assert 'id="no-runs"' in ana.get("/cti/runs").text
    sent = upload(ana, "proxy export.csv", OBSERVATIONS)
    assert sent.status_code == 303, sent.text
    location = sent.headers["location"]
    run_id = location.removeprefix("/cti/runs/")
    page = ana.get(location, params={"lang": "en"})
    assert page.status_code == 200
    text = page.text
    assert re.findall(r'class="card hit" data-indicator="([^"]+)" data-count="(\d+)"', text) == [(GREEN, "1")]
    assert RED not in text  # boss's RED indicator: ana neither reads it nor its hit
    assert "GridWiper C2" in text and "GridWiper" in text and "proxy export.csv" in text
    assert '<a href="/seeds/S1">Grid anomaly detection</a>' in text and "aimed at our detector" in text
    assert '<a href="/programmes/projects/P1">Substation monitor</a>' in text
    assert '<a href="/cti/collections/' in text and '">shared</a>' in text  # the collection by name
    assert "Research assets at stake" in text and "tied directly" in text
    listed = ana.get("/cti/runs", params={"lang": "en"}).text
    assert f'data-run="{run_id}" data-hits="1"' in listed and "proxy export.csv" in listed


def test_another_users_run_is_missing_and_an_auditor_sees_only_readable_hits(
    intel: Workspace, browser: Callable[[str], TestClient], tmp_path: Path
) -> None:
    path = tmp_path / "dns.csv"
    path.write_text(OBSERVATIONS, encoding="utf-8")
    run_id = correlate_observations(intel, as_user(intel, "boss"), path).run
    assert run_id is not None
    boss, ana, low = browser("boss"), browser("ana"), browser("low")
    assert len(re.findall(r'class="card hit"', boss.get(f"/cti/runs/{run_id}").text)) == 2
    for client in (ana, low):
        hidden = client.get(f"/cti/runs/{run_id}")
        missing = client.get("/cti/runs/no-such-run")
        assert hidden.status_code == missing.status_code == 404
        assert masked(hidden.text, run_id) == masked(missing.text, "no-such-run")
        assert run_id not in client.get("/cti/runs").text
    ana_run = correlate_observations(intel, as_user(intel, "ana"), path).run
    seen = boss.get(f"/cti/runs/{ana_run}").text  # an admin reads the audit trail: every run
    assert re.findall(r'class="card hit" data-indicator="([^"]+)"', seen) == [GREEN]
    low_view = browser("low")
    assert low_view.get(f"/cti/runs/{ana_run}").status_code == 404


def test_a_bad_upload_is_told_naming_the_file(intel: Workspace, browser: Callable[[str], TestClient]) -> None:
    ana = browser("ana")
    wrong = upload(ana, "notes.txt", OBSERVATIONS)
    assert wrong.status_code == 400 and 'id="form-error"' in wrong.text
    broken = upload(ana, "dns-export.csv", OBSERVATIONS + "yesterday,evil.example,192.0.2.3\n")
    assert broken.status_code == 400 and "dns-export.csv" in broken.text and "observations.csv" not in broken.text
    bad_since = upload(ana, "dns-export.csv", OBSERVATIONS, since="someday")
    assert bad_since.status_code == 400
    assert 'id="no-runs"' in ana.get("/cti/runs").text  # nothing kept


def test_the_run_page_in_japanese_with_an_asset_in_chromium(
    new_browser: Callable[[], Browser],  # noqa: F811 (the fixture imported above)
    intel: Workspace,
    tmp_path: Path,
) -> None:
    path = tmp_path / "dns.csv"
    path.write_text(OBSERVATIONS, encoding="utf-8")
    run_id = correlate_observations(intel, as_user(intel, "ana"), path).run
    ana = new_browser()
    ana.log_in("ana")
    ana.open("/cti")
    ana.find("#to-runs").click()
    ana.until(lambda: ana.path == "/cti/runs", "the runs, from the threat-intelligence page")
    assert ana.text("h1") == "照合の実行"
    ana.find(f'#runs tr[data-run="{run_id}"] a').click()
    ana.until(lambda: ana.all(".hit"), "the run's hits")
    assert "狙われている研究資産" in ana.text("main")
    [seed] = ana.all('.asset[data-kind="seeds"]')
    assert seed.text.startswith("シーズ: Grid anomaly detection") and "直接の結び付き" in seed.text
    seed.find_element("css selector", "a").click()
    ana.until(lambda: ana.path == "/seeds/S1", "the seed's page, from its asset link")
