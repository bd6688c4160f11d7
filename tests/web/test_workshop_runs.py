"""The workshop page over stored match runs: the latest run with proposals the reader may read, a switch to the live
matcher, the cross-domain view from the stored evidence, and nothing a reader may not read."""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient

from conftest import as_user, page_csrf
from kizashi.ingest.dispatch import ingest
from kizashi.know.match import workspace_statements
from kizashi.know.match_runs import save_run
from kizashi.retrieval import Proposal
from kizashi.store import audit
from kizashi.store.workspace import Workspace

Browser = Callable[[str], TestClient]

NEEDS = """id,title,description,label,compartments
n1,Container inspection at border crossings,Scanning shipping containers for illicit goods,PUBLIC,
"""
SEEDS = """id,title,description,label,compartments
s1,Muon tomography for container inspection,Scanning shipping containers at border crossings,PUBLIC,
s2,Radar for container yards,Scanning containers at border crossings with radar,CONFIDENTIAL,alpha
s3,Soil moisture sensing for farms,Irrigation planning from satellite data,PUBLIC,
"""


@pytest.fixture
def pairs(web_workspace: Workspace, tmp_path: Path) -> Workspace:
    (tmp_path / "needs.csv").write_text(NEEDS, encoding="utf-8")
    (tmp_path / "seeds.csv").write_text(SEEDS, encoding="utf-8")
    ingest(web_workspace, as_user(web_workspace, "boss"), "needs", [tmp_path / "needs.csv"])
    ingest(web_workspace, as_user(web_workspace, "boss"), "seeds", [tmp_path / "seeds.csv"])
    return web_workspace


def save(workspace: Workspace, ranked: list[tuple[str, bool]]) -> int:
    """A run by boss proposing `ranked` (seed, cross-domain) for n1: s3 first, which the live matcher never is."""
    clearance = as_user(workspace, "boss").clearance
    needs = workspace_statements(workspace, "needs", clearance)
    seeds = workspace_statements(workspace, "seeds", clearance)
    proposals = [
        Proposal("n1", seed, rank, round(1 - rank / 10, 2), evidence(cross))
        for rank, (seed, cross) in enumerate(ranked, 1)
    ]
    return save_run(workspace, as_user(workspace, "boss"), needs, seeds, [proposals], top=len(ranked))


def evidence(cross: bool) -> dict[str, Any]:
    return {
        "terms": [{"need": "container", "seed": "container"}],
        "translations": [],
        "concepts": [],
        "channels": {"lexical": 1},
        "areas": {"need": ["security"], "seed": ["agriculture" if cross else "security"]},
        "cross_domain": cross,
    }


def proposed(html: str) -> list[str]:
    return re.findall(r'<tr id="proposal-\d+" data-seed="([^"]+)"', html)


def workshop_reads(workspace: Workspace, user: str) -> list[dict[str, Any]]:
    return [e["detail"] for e in audit.iter_events(workspace) if e["actor"] == user and e["action"] == "read"]


def test_without_a_run_the_page_proposes_live(pairs: Workspace, browser: Browser) -> None:
    page = browser("ana").get("/match/n1")
    assert page.status_code == 200
    assert 'id="sources"' not in page.text and 'data-source="live"' in page.text
    assert proposed(page.text)[0] == "s1" and "s3" not in proposed(page.text)
    assert workshop_reads(pairs, "ana")[-1]["run"] is None


def test_the_page_shows_the_latest_saved_run_and_switches_to_live(pairs: Workspace, browser: Browser) -> None:
    run_id = save(pairs, [("s3", True), ("s1", False), ("s2", False)])
    ana = browser("ana")
    page = ana.get("/match/n1")
    assert proposed(page.text) == ["s3", "s1", "s2"]
    assert 'data-source="run"' in page.text and f'data-run="{run_id}"' in page.text
    assert re.search(rf'id="source-run" data-run="{run_id}" class="current"[^>]*>[^<]*#{run_id} · \d{{4}}-', page.text)
    assert "boss</a>" in page.text  # who ran it
    assert workshop_reads(pairs, "ana")[-1]["run"] == run_id
    live = ana.get("/match/n1?source=live")
    assert 'data-source="live"' in live.text and 'id="source-live" class="current"' in live.text
    assert "s3" not in proposed(live.text) and proposed(live.text)[0] == "s1"
    assert 'href="/match/n1?view=cross&amp;source=live"' in live.text  # the view tabs stay live
    assert '<input type="hidden" name="source" value="live">' in live.text
    assert workshop_reads(pairs, "ana")[-1]["run"] is None
    english = ana.get("/match/n1?lang=en").text
    assert "Saved run #" in english and ">Live</a>" in english


def test_the_cross_domain_view_of_a_run_is_its_stored_flag(pairs: Workspace, browser: Browser) -> None:
    save(pairs, [("s1", False), ("s3", True)])
    page = browser("ana").get("/match/n1?view=cross")
    assert proposed(page.text) == ["s3"]
    # Ranked from 1 over what the reader may read, without the run's score (docs/security.md, stored match runs).
    assert re.search(r'<tr id="proposal-1" data-seed="s3" class="cross-domain">\s*<td>1</td>', page.text)
    assert "0.8000" not in page.text
    assert 'id="view-cross" class="current"' in page.text and 'data-source="run"' in page.text


def test_a_reader_sees_only_the_proposals_and_runs_they_may_read(pairs: Workspace, browser: Browser) -> None:
    first = save(pairs, [("s3", True), ("s2", False), ("s1", False)])
    low = browser("low").get("/match/n1").text
    assert proposed(low) == ["s3", "s1"]  # s2 is CONFIDENTIAL/alpha
    assert "Radar for container yards" not in low and 'data-label="CONFIDENTIAL"' not in low
    second = save(pairs, [("s2", False)])  # a run whose only proposal low may not read
    assert 'data-seed="s2"' in browser("ana").get("/match/n1").text
    assert f'data-run="{second}"' in browser("ana").get("/match/n1").text
    low = browser("low").get("/match/n1").text
    assert f'data-run="{first}"' in low and f'data-run="{second}"' not in low
    assert proposed(low) == ["s3", "s1"]


def test_a_seed_relabelled_since_the_run_stays_hidden(pairs: Workspace, browser: Browser, tmp_path: Path) -> None:
    save(pairs, [("s3", True), ("s1", False)])
    relabelled = tmp_path / "relabelled.csv"
    relabelled.write_text(SEEDS.replace("border crossings,PUBLIC,", "border crossings,CONFIDENTIAL,alpha"))
    ingest(pairs, as_user(pairs, "boss"), "seeds", [relabelled])
    low = browser("low").get("/match/n1").text
    assert proposed(low) == ["s3"] and "Muon tomography" not in low


def test_a_decision_returns_to_the_source_it_was_made_in(pairs: Workspace, browser: Browser) -> None:
    save(pairs, [("s3", True), ("s1", False)])
    ana = browser("ana")
    token = page_csrf(ana.get("/match/n1").text)
    form = {"csrf_token": token, "seed_id": "s1", "decision": "accept", "comment": "fits"}
    live = ana.post("/match/n1", data={**form, "source": "live", "view": "cross"}, follow_redirects=False)
    assert live.headers["location"] == "/match/n1?view=cross&source=live"
    stored = ana.post("/match/n1", data={**form, "source": "elsewhere"}, follow_redirects=False)
    assert stored.headers["location"] == "/match/n1"
    assert 'data-decision="accept"' in ana.get("/match/n1").text  # decisions are judgements, whichever the source
