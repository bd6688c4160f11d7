"""The export-control classification page: candidates with evidence, officers decide, everyone else reads."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from conftest import PASSWORD, as_user, masked, page_csrf
from kizashi.ingest.dispatch import ingest
from kizashi.protect import people
from kizashi.protect.controls.decisions import latest_decisions
from kizashi.store import audit
from kizashi.store.workspace import Workspace

SEEDS = (
    "id,title,description,label,compartments\n"
    "s-qkd,量子鍵配送リンク,Quantum key distribution link encrypting data with AES using 256-bit keys,CONFIDENTIAL,alpha\n"
    "s-top,Hypersonic guidance,Scramjet guidance,SECRET,beta\n"
)


@pytest.fixture
def seeded(web_workspace: Workspace, tmp_path: Path) -> Workspace:
    """The conftest users plus `sec`, a security officer cleared CONFIDENTIAL // alpha."""
    people.add_user(web_workspace, as_user(web_workspace, "boss"), "sec", roles=["security_officer"])
    people.set_password(web_workspace, as_user(web_workspace, "boss"), "sec", PASSWORD)
    people.grant(web_workspace, as_user(web_workspace, "boss"), "sec", "CONFIDENTIAL", compartments=["alpha"])
    people.record_training(
        web_workspace, as_user(web_workspace, "boss"), "sec", "security-basics", datetime(2026, 1, 1, tzinfo=UTC)
    )
    seeds = tmp_path / "seeds.csv"
    seeds.write_text(SEEDS, encoding="utf-8")
    ingest(web_workspace, as_user(web_workspace, "boss"), "seeds", [seeds])
    return web_workspace


def test_candidates_are_shown_with_their_evidence(seeded: Workspace, browser: Callable[[str], TestClient]) -> None:
    ana = browser("ana")
    assert 'id="controls-link" href="/controls/seeds/s-qkd"' in ana.get("/seeds/s-qkd").text
    page = ana.get("/controls/seeds/s-qkd")
    assert page.status_code == 200
    html = page.text
    assert "該非判定" in html and 'data-label="CONFIDENTIAL"' in html and 'id="undecided"' in html
    assert 'data-list="us-ccl-3-5" data-code="5A002.c"' in html
    assert 'class="terms"' in html and "quantum" in html  # the words found in both texts
    assert "量子鍵配送 → " in html  # the Japanese title reaches the English list through translations
    assert 'data-within="true"' in html and "256-bit" in html  # 256-bit keys against "in excess of 56 bits"
    assert "5A002 " in html and " › " in html  # the path above the item
    english = ana.get("/controls/seeds/s-qkd?lang=en").text
    assert "Export-control classification" in english and "meets the threshold" in english
    reads = [e for e in audit.iter_events(seeded) if e["action"] == "read" and e["records"] == ["s-qkd"]]
    assert reads[-1]["actor"] == "ana"
    assert reads[-1]["detail"]["service"] == "control classification"  # type: ignore[index]
    assert reads[-1]["detail"]["via"] == "GET /controls/seeds/s-qkd"  # type: ignore[index]


def test_an_officer_decides_and_the_decision_is_the_latest(
    seeded: Workspace, browser: Callable[[str], TestClient]
) -> None:
    sec = browser("sec")
    page = sec.get("/controls/seeds/s-qkd").text
    assert 'id="decide-form"' in page and 'id="officers-only"' not in page
    form = {"csrf_token": page_csrf(page), "decision": "listed", "list": "us-ccl-3-5", "code": "5A002.a.2"}
    posted = sec.post("/controls/seeds/s-qkd", data={**form, "reason": "QKD with AES-256"}, follow_redirects=False)
    assert posted.status_code == 303 and posted.headers["location"] == "/controls/seeds/s-qkd"
    again = sec.post("/controls/seeds/s-qkd", data={**form, "reason": "checked twice"}, follow_redirects=False)
    assert again.status_code == 303
    html = sec.get("/controls/seeds/s-qkd").text
    assert 'data-decision="listed"' in html and "us-ccl-3-5 5A002.a.2" in html and "checked twice" in html
    assert '<span id="history">2</span>' in html
    latest = latest_decisions(seeded, as_user(seeded, "boss"), "s-qkd")
    assert [(d["decision"], d["code"], d["user"], d["history"]) for d in latest] == [("listed", "5A002.a.2", "sec", 2)]
    decisions = [e for e in audit.iter_events(seeded) if e["action"] == "decision" and e["records"] == ["s-qkd"]]
    assert len(decisions) == 2 and decisions[-1]["actor"] == "sec"
    # Everyone who reads the record sees the decision, labelled like the record.
    assert 'data-decision="listed"' in browser("ana").get("/controls/seeds/s-qkd").text


def test_a_listed_decision_without_a_code_is_refused(seeded: Workspace, browser: Callable[[str], TestClient]) -> None:
    sec = browser("sec")
    token = page_csrf(sec.get("/controls/seeds/s-qkd").text)
    posted = sec.post(
        "/controls/seeds/s-qkd", data={"csrf_token": token, "decision": "listed", "reason": "r"}, follow_redirects=False
    )
    assert posted.status_code == 400
    assert latest_decisions(seeded, as_user(seeded, "boss"), "s-qkd") == []


def test_a_non_officer_reads_only_and_a_forged_post_is_refused(
    seeded: Workspace, browser: Callable[[str], TestClient]
) -> None:
    ana = browser("ana")
    page = ana.get("/controls/seeds/s-qkd").text
    assert 'id="decide-form"' not in page and 'id="officers-only"' in page
    forged = ana.post(
        "/controls/seeds/s-qkd",
        data={"csrf_token": page_csrf(page), "decision": "not-listed", "reason": "mine"},
        follow_redirects=False,
    )
    assert forged.status_code == 403
    assert latest_decisions(seeded, as_user(seeded, "boss"), "s-qkd") == []


def test_a_decision_needs_the_csrf_token(seeded: Workspace, browser: Callable[[str], TestClient]) -> None:
    sec = browser("sec")
    for token in ("", "wrong"):
        posted = sec.post(
            "/controls/seeds/s-qkd",
            data={"csrf_token": token, "decision": "not-listed", "reason": "no token"},
            follow_redirects=False,
        )
        assert posted.status_code == 403
    assert latest_decisions(seeded, as_user(seeded, "boss"), "s-qkd") == []


def test_a_hidden_record_is_a_missing_one(seeded: Workspace, browser: Callable[[str], TestClient]) -> None:
    ana = browser("ana")
    hidden = ana.get("/controls/seeds/s-top")
    missing = ana.get("/controls/seeds/s-none")
    assert hidden.status_code == missing.status_code == 404
    assert masked(hidden.text, "s-top") == masked(missing.text, "s-none")
    assert "Hypersonic" not in hidden.text
    assert ana.get("/controls/needs/s-qkd").status_code == 404  # only seeds, works and technologies
    assert browser("boss").get("/controls/seeds/s-top").status_code == 200
    # An officer without the clearance posts to a record above them: no decision, and no hint of the record.
    sec = browser("sec")
    token = page_csrf(sec.get("/controls/seeds/s-qkd").text)
    posted = sec.post(
        "/controls/seeds/s-top",
        data={"csrf_token": token, "decision": "not-listed", "reason": "blind"},
        follow_redirects=False,
    )
    assert posted.status_code == 404
    assert latest_decisions(seeded, as_user(seeded, "boss"), "s-top") == []


def test_the_risk_card_and_the_review_page_link_it(seeded: Workspace, browser: Callable[[str], TestClient]) -> None:
    ana = browser("ana")
    assert 'href="/controls/seeds/s-qkd"' in ana.get("/risk/seeds/s-qkd").text
    assert 'href="/controls/seeds/s-qkd"' in ana.get("/review/seeds/s-qkd").text


def test_a_technology_of_the_taxonomy_is_classified_by_its_names(
    seeded: Workspace, browser: Callable[[str], TestClient], tmp_path: Path
) -> None:
    technologies = tmp_path / "technologies.csv"
    technologies.write_text(
        "id,parent,name_en,name_ja,label\nqkd,,Quantum key distribution,量子鍵配送,PUBLIC\n", encoding="utf-8"
    )
    ingest(seeded, as_user(seeded, "boss"), "technologies", [technologies])
    low = browser("low")
    assert 'href="/controls/technologies/qkd"' in low.get("/technologies/qkd").text
    html = low.get("/controls/technologies/qkd").text
    assert "量子鍵配送 / Quantum key distribution" in html and 'data-code="5A002.c"' in html
    assert 'data-label="PUBLIC"' in html and 'id="decide-form"' not in html
