"""The workshop's cross-domain view, the expert-finding pages and their JSON API: what each reader may read, labelled,
audited, and from one matcher per readable set of seeds."""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient

from conftest import as_user, masked, page_csrf
from kizashi.ingest.dispatch import ingest
from kizashi.know.seed_index import SEED_INDEXES
from kizashi.store import audit
from kizashi.store.workspace import Workspace
from kizashi.web.i18n import MESSAGES

Browser = Callable[[str], TestClient]
Api = Callable[[str | None], TestClient]

# s1 is in the need's own field (drones: robotics); s2 (AI) and s4 (quantum) come from other fields. s4 is ana's to
# read (CONFIDENTIAL, alpha), not low's; s5 is SECRET, for boss only.
SEEDS = """id,title,description,organization,label,compartments
s1,Radar for small drone detection,Detecting unmanned aerial vehicles near airports with radar,Radar Lab,PUBLIC,
s2,Machine learning detects intruders near airports,Deep learning on camera video spots objects approaching airports,Vision AI Inc,PUBLIC,
s3,Muon tomography for container inspection,Scanning shipping containers at border crossings,Muon Works,PUBLIC,
s4,Quantum sensors for detecting small aircraft near airports,Quantum sensing of approaching aircraft,Quantum Alpha Lab,CONFIDENTIAL,alpha
s5,Drone radar network for airports,Detecting drones near airports with a radar network,Hidden Lab,SECRET,
"""
NEEDS = """id,title,description,label,compartments
n1,Detecting drones near airports,Unmanned aerial vehicles must be detected near airports,PUBLIC,
n2,Drone detection for a restricted base,Detecting drones near airports and bases,CONFIDENTIAL,alpha
"""


@pytest.fixture
def matched(web_workspace: Workspace, tmp_path: Path) -> Workspace:
    (tmp_path / "seeds.csv").write_text(SEEDS, encoding="utf-8")
    (tmp_path / "needs.csv").write_text(NEEDS, encoding="utf-8")
    ingest(web_workspace, as_user(web_workspace, "boss"), "seeds", [tmp_path / "seeds.csv"])
    ingest(web_workspace, as_user(web_workspace, "boss"), "needs", [tmp_path / "needs.csv"])
    return web_workspace


def proposed(html: str) -> list[str]:
    return re.findall(r'<tr id="proposal-\d+" data-seed="([^"]+)"', html)


def banners(html: str) -> list[str]:
    return re.findall(r'class="banner level-\w+" data-label="(\w+)"', html)


def reads(workspace: Workspace, user: str) -> list[dict[str, Any]]:
    return [e for e in audit.iter_events(workspace) if e["action"] == "read" and e["actor"] == user]


def test_the_cross_domain_view_keeps_seeds_from_other_fields_with_their_areas(
    matched: Workspace, browser: Browser
) -> None:
    ana = browser("ana")
    page = ana.get("/match/n1")
    assert page.status_code == 200
    assert proposed(page.text)[:1] == ["s1"] and {"s2", "s4"} <= set(proposed(page.text))
    assert "s5" not in proposed(page.text) and "Hidden Lab" not in page.text
    assert 'id="view-all" class="current"' in page.text and 'href="/match/n1?view=cross"' in page.text
    assert 'data-area="robotics"' in page.text  # the need's field, named on each proposal
    assert banners(page.text) == ["CONFIDENTIAL", "CONFIDENTIAL"]  # s4 is shown

    cross = ana.get("/match/n1?view=cross&lang=en")
    assert sorted(proposed(cross.text)) == ["s2", "s4"]
    assert 'id="view-cross" class="current"' in cross.text and "From other fields" in cross.text
    assert cross.text.count('class="cross-domain"') == 2
    assert {"ai", "quantum"} <= set(re.findall(r'seed-area" data-area="(\w+)"', cross.text))
    assert cross.text.count('name="view" value="cross"') == 2  # each decision form returns to this view
    detail = [e["detail"] for e in reads(matched, "ana") if e["detail"].get("via") == "GET /match/n1"]
    assert detail[-1]["service"] == "match" and detail[-1]["cross_domain"] is True
    assert reads(matched, "ana")[-1]["records"] == ["n1", *proposed(cross.text)]

    # low may not read s4: its cross view has only s2, and its page is PUBLIC.
    low_cross = browser("low").get("/match/n1?view=cross")
    assert proposed(low_cross.text) == ["s2"] and "Quantum Alpha Lab" not in low_cross.text
    assert "Quantum sensors" not in low_cross.text and banners(low_cross.text) == ["PUBLIC", "PUBLIC"]


def test_switching_the_view_with_htmx_swaps_the_proposals_and_both_banners(
    matched: Workspace, browser: Browser
) -> None:
    ana = browser("ana")
    partial = ana.get("/match/n1?view=cross", headers={"HX-Request": "true"})
    assert partial.status_code == 200 and "<html" not in partial.text and "<header" not in partial.text
    assert sorted(proposed(partial.text)) == ["s2", "s4"]
    assert 'hx-swap-oob="outerHTML:.page-banner"' in partial.text and banners(partial.text) == ["CONFIDENTIAL"]
    # A history restore (the back button) needs the whole page.
    restore = ana.get("/match/n1", headers={"HX-Request": "true", "HX-History-Restore-Request": "true"})
    assert "<html" in restore.text and "hx-swap-oob" not in restore.text
    # An unknown view is the default one.
    assert proposed(ana.get("/match/n1?view=nope").text) == proposed(ana.get("/match/n1").text)


def test_a_decision_in_the_cross_view_returns_to_it(matched: Workspace, browser: Browser) -> None:
    ana = browser("ana")
    page = ana.get("/match/n1?view=cross")
    response = ana.post(
        "/match/n1",
        data={"csrf_token": page_csrf(page.text), "seed_id": "s2", "decision": "accept", "view": "cross"},
        follow_redirects=False,
    )
    assert response.status_code == 303 and response.headers["location"] == "/match/n1?view=cross"
    assert 'data-decision="accept"' in ana.get("/match/n1?view=cross").text


def test_readers_of_the_same_seeds_share_one_matcher(matched: Workspace, browser: Browser) -> None:
    ana = browser("ana")
    ana.get("/match/n1")
    builds = SEED_INDEXES.builds
    ana.get("/match/n1?view=cross")
    browser("ana").get("/match/n2")
    assert SEED_INDEXES.builds == builds  # the same readable seeds: no new build
    browser("low").get("/match/n1")
    assert SEED_INDEXES.builds == builds + 1  # low reads fewer seeds: an index of its own


def test_the_experts_of_a_need_are_what_the_reader_may_read(matched: Workspace, browser: Browser) -> None:
    ana = browser("ana")
    need_page = ana.get("/needs/n1")
    assert 'href="/experts/n1"' in need_page.text
    assert 'href="/experts/n1"' in ana.get("/match/n1").text
    page = ana.get("/experts/n1")
    assert page.status_code == 200
    names = re.findall(r'<td class="col-name">([^<]+)</td>', page.text)
    assert names[0] == "Radar Lab" and "Quantum Alpha Lab" in names and "Hidden Lab" not in names
    assert 'href="/seeds/s1"' in page.text and "Hidden Lab" not in page.text
    assert banners(page.text)[0] == "CONFIDENTIAL"
    event = reads(matched, "ana")[-1]
    assert event["detail"]["service"] == "experts" and event["detail"]["need"] == "n1"
    assert event["detail"]["via"] == "GET /experts/n1"
    assert set(event["records"]) == {"n1", *re.findall(r'data-record="([^"]+)"', page.text)}

    low = browser("low")
    low_page = low.get("/experts/n1")
    assert "Quantum Alpha Lab" not in low_page.text and "Radar Lab" in low_page.text
    assert banners(low_page.text)[0] == "PUBLIC"
    hidden, missing = low.get("/experts/n2"), low.get("/experts/n9")
    assert hidden.status_code == missing.status_code == 404
    assert masked(hidden.text, "n2") == masked(missing.text, "n9")


def test_the_experts_of_a_technology_in_words(matched: Workspace, browser: Browser) -> None:
    ana = browser("ana")
    empty = ana.get("/experts")
    assert empty.status_code == 200 and 'id="experts-form"' in empty.text and 'id="experts"' not in empty.text
    page = ana.get("/experts", params={"q": "container inspection at borders"})
    names = re.findall(r'<td class="col-name">([^<]+)</td>', page.text)
    assert names[0] == "Muon Works" and banners(page.text)[0] == "PUBLIC"
    assert reads(matched, "ana")[-1]["detail"]["query"] == "container inspection at borders"
    nothing = ana.get("/experts", params={"q": "zzzz qqqq"})
    assert 'id="no-experts"' in nothing.text


def test_the_api_proposes_seeds_labelled_and_audited(matched: Workspace, api: Api) -> None:
    ana = api("ana")
    body = ana.get("/api/match/n1").json()
    seeds = [p["seed_id"] for p in body["proposals"]]
    assert seeds[0] == "s1" and "s4" in seeds and "s5" not in seeds
    assert body["label"]["level"] == "CONFIDENTIAL" and body["cross_domain"] is False
    assert {p["seed_id"]: p["label"]["level"] for p in body["proposals"]}["s1"] == "PUBLIC"
    assert body["proposals"][0]["evidence"]["areas"]["need"] == ["robotics"]
    cross = ana.get("/api/match/n1", params={"cross_domain": "true", "top": 1}).json()
    assert [p["seed_id"] for p in cross["proposals"]] == ["s2"] and cross["proposals"][0]["rank"] == 1
    assert cross["proposals"][0]["evidence"]["cross_domain"] is True
    assert cross["label"]["level"] == "PUBLIC"  # only s2 shown
    event = reads(matched, "ana")[-1]
    assert event["records"] == ["n1", "s2"] and event["detail"]["service"] == "match"
    assert event["detail"]["via"] == "GET /api/match/n1"

    low = api("low")
    assert "s4" not in [p["seed_id"] for p in low.get("/api/match/n1").json()["proposals"]]
    hidden, missing = low.get("/api/match/n2"), low.get("/api/match/n9")
    assert hidden.status_code == missing.status_code == 404
    assert hidden.json()["error"]["message"].replace("n2", "?") == missing.json()["error"]["message"].replace("n9", "?")


def test_the_api_finds_experts_for_a_need_or_words(matched: Workspace, api: Api) -> None:
    ana = api("ana")
    body = ana.get("/api/experts", params={"need": "n1"}).json()
    assert body["experts"][0]["name"] == "Radar Lab" and body["need_id"] == "n1" and body["query"] is None
    assert body["experts"][0]["records"][0] == {
        "kind": "seeds",
        "id": "s1",
        "title": "Radar for small drone detection",
        "score": body["experts"][0]["records"][0]["score"],
    }
    assert body["label"]["level"] == "CONFIDENTIAL"
    assert "Hidden Lab" not in [e["name"] for e in body["experts"]]
    words = ana.get("/api/experts", params={"q": "container inspection", "top": 1}).json()
    assert [e["name"] for e in words["experts"]] == ["Muon Works"] and words["label"]["level"] == "PUBLIC"
    assert reads(matched, "ana")[-1]["detail"] == {
        "service": "experts",
        "need": None,
        "query": "container inspection",
        "experts": 1,
        "via": "GET /api/experts",
    }
    for params in ({}, {"need": "n1", "q": "radar"}):
        refused = ana.get("/api/experts", params=params)
        assert refused.status_code == 400 and refused.json()["error"]["code"] == "input_error"
    low = api("low")
    assert low.get("/api/experts", params={"need": "n2"}).status_code == 404
    assert "Quantum Alpha Lab" not in [
        e["name"] for e in low.get("/api/experts", params={"need": "n1"}).json()["experts"]
    ]
    assert api(None).get("/api/experts", params={"q": "radar"}).status_code == 401


def test_every_message_the_new_pages_build_has_both_languages() -> None:
    # Keys built in the templates (t("expert_" ~ row.kind)), which the scan of literal t("...") calls cannot see.
    for key in ("expert_organisation", "expert_person", "view_all", "view_cross", "find_experts"):
        ja, en = MESSAGES[key]
        assert ja and en and ja != en
