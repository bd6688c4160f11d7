"""The release-review pages: the queue of what awaits one's roles, the buttons it allows, a record's history."""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from conftest import PASSWORD, as_user, masked, page_csrf
from kizashi.ingest.dispatch import ingest
from kizashi.policy import ROLES
from kizashi.protect import people, release
from kizashi.protect.release.machine import ACTIONS, STATES
from kizashi.protect.release.routing import FUNDING
from kizashi.store import audit
from kizashi.store.workspace import Workspace
from kizashi.web.i18n import MESSAGES


@pytest.fixture
def reviewers(web_workspace: Workspace, tmp_path: Path) -> Workspace:
    """ana (analyst) submits; pi and so review; low (PUBLIC) may not read the CONFIDENTIAL seed."""
    for name, role in (("pi", "principal_investigator"), ("so", "security_officer")):
        people.add_user(web_workspace, as_user(web_workspace, "boss"), name, roles=[role])
        people.set_password(web_workspace, as_user(web_workspace, "boss"), name, PASSWORD)
        people.grant(web_workspace, as_user(web_workspace, "boss"), name, "CONFIDENTIAL", compartments=["alpha"])
        people.record_training(
            web_workspace, as_user(web_workspace, "boss"), name, "security-basics", datetime(2026, 1, 1, tzinfo=UTC)
        )
    seeds = tmp_path / "seeds.csv"
    seeds.write_text(
        "id,title,label,compartments\n"
        "s-pub,Open drone dataset,PUBLIC,\n"
        "s-alpha,Quantum key distribution link,CONFIDENTIAL,alpha\n",
        encoding="utf-8",
    )
    ingest(web_workspace, as_user(web_workspace, "boss"), "seeds", [seeds])
    return web_workspace


def _buttons(html: str, record: str) -> list[str]:
    row = re.search(rf'<tr id="queue-\d+" data-record="{re.escape(record)}".*?</tr>', html, re.S)
    return re.findall(r'data-action="([a-z_]+)"', row.group(0)) if row else []


def test_the_queue_offers_the_allowed_moves_and_records_them(
    reviewers: Workspace, browser: Callable[[str], TestClient]
) -> None:
    ana = browser("ana")
    page = ana.get("/review/seeds/s-alpha")
    assert page.status_code == 200 and 'id="never-reviewed"' in page.text and 'data-label="CONFIDENTIAL"' in page.text
    submitted = ana.post(
        "/review/seeds/s-alpha",
        data={"csrf_token": page_csrf(page.text), "action": "submit", "funding": "private", "comment": "学会発表"},
        follow_redirects=False,
    )
    assert submitted.status_code == 303 and submitted.headers["location"] == "/review/seeds/s-alpha"
    assert 'data-state="submitted"' in ana.get("/review/seeds/s-alpha").text
    assert _buttons(ana.get("/review").text, "s-alpha") == []  # the submitter reviews nothing of their own

    pi = browser("pi")
    queue = pi.get("/review")
    assert queue.status_code == 200 and _buttons(queue.text, "s-alpha") == ["start"]
    assert 'data-label="CONFIDENTIAL"' in queue.text
    csrf = page_csrf(queue.text)
    for action in ("start", "approve"):
        moved = pi.post(
            "/review/seeds/s-alpha",
            data={"csrf_token": csrf, "action": action, "back": "queue"},
            follow_redirects=False,
        )
        assert moved.status_code == 303 and moved.headers["location"] == "/review"
    assert _buttons(pi.get("/review").text, "s-alpha") == []  # pi has approved; the security officer has not
    so = browser("so")
    assert _buttons(so.get("/review").text, "s-alpha") == ["approve", "approve_with_changes", "withhold", "return"]
    skipped = so.post("/review/seeds/s-alpha", data={"csrf_token": page_csrf(so.get("/review").text), "action": "x"})
    assert skipped.status_code == 400
    forged = so.post("/review/seeds/s-alpha", data={"csrf_token": "forged", "action": "withhold"})
    assert forged.status_code == 403
    so.post("/review/seeds/s-alpha", data={"csrf_token": page_csrf(so.get("/review").text), "action": "approve"})
    history = so.get("/review/seeds/s-alpha?lang=en")
    assert 'data-state="approved"' in history.text and "学会発表" in history.text
    assert [m for m in re.findall(r'<tr data-action="([a-z_]+)"', history.text)] == [
        "submit",
        "start",
        "approve",
        "approve",
    ]
    assert "Security officer" in history.text
    assert [r["state"] for r in release.history(reviewers, as_user(reviewers, "boss"), "s-alpha").reviews] == [
        "approved"
    ]
    events = [e for e in audit.iter_events(reviewers) if e["action"] == "release_review"]
    assert [e["actor"] for e in events] == ["ana", "pi", "pi", "so"] and all(e["origin"] for e in events)


def test_a_record_above_ones_clearance_is_missing(reviewers: Workspace, browser: Callable[[str], TestClient]) -> None:
    release.submit(reviewers, as_user(reviewers, "ana"), "s-alpha", funding="private")
    low = browser("low")
    hidden = low.get("/review/seeds/s-alpha")
    missing = low.get("/review/seeds/no-such-seed")
    assert hidden.status_code == missing.status_code == 404
    assert masked(hidden.text, "s-alpha") == masked(missing.text, "no-such-seed")
    assert "s-alpha" not in low.get("/review").text
    posted = low.post(
        "/review/seeds/s-alpha", data={"csrf_token": page_csrf(low.get("/review").text), "action": "start"}
    )
    assert posted.status_code == 404
    assert low.get("/review/needs/s-alpha").status_code == 404  # only works and seeds are reviewed
    assert browser("ana").get("/review/seeds/s-pub").status_code == 200


def test_every_review_message_has_both_languages() -> None:
    keys = (
        [f"state_{s}" for s in STATES]
        + [f"review_{a}" for a in ACTIONS]
        + [f"funding_{f}" for f in FUNDING]
        + [f"role_{r}" for r in ROLES]
    )
    assert [key for key in keys if key not in MESSAGES] == []


def test_the_nav_links_the_queue(browser: Callable[[str], TestClient]) -> None:
    assert 'href="/review"' in browser("ana").get("/").text
