"""The release-review pages: the queue of what awaits one's roles, the buttons it allows, a record's history."""

from __future__ import annotations

import html
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
    assert submitted.status_code == 303 and submitted.headers["location"] == "/review/seeds/s-alpha?submitted=1"
    shown = ana.get(submitted.headers["location"])
    assert 'data-state="submitted"' in shown.text and 'id="submitted-note"' in shown.text
    assert 'class="error stuck"' not in shown.text  # pi and so may read it: nothing is stuck
    assert _buttons(ana.get("/review").text, "s-alpha") == []  # the submitter reviews nothing of their own

    pi = browser("pi")
    queue = pi.get("/review")
    assert queue.status_code == 200 and _buttons(queue.text, "s-alpha") == ["start"]
    assert 'data-label="CONFIDENTIAL"' in queue.text
    csrf = page_csrf(queue.text)
    for action in ("start", "approve"):
        moved = pi.post(
            "/review/seeds/s-alpha",
            data={"csrf_token": csrf, "action": action, "back": "queue", "confirmed": "yes"},
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
    so.post(
        "/review/seeds/s-alpha",
        data={"csrf_token": page_csrf(so.get("/review").text), "action": "approve", "confirmed": "yes"},
    )
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


def _state(workspace: Workspace, record: str) -> str:
    return str(release.history(workspace, as_user(workspace, "boss"), record).reviews[-1]["state"])


@pytest.mark.parametrize("action", ["withhold", "approve"])
def test_a_final_move_is_confirmed_first(
    reviewers: Workspace, browser: Callable[[str], TestClient], action: str
) -> None:
    release.submit(reviewers, as_user(reviewers, "ana"), "s-alpha", funding="private")
    release.move(reviewers, as_user(reviewers, "pi"), "s-alpha", "start")
    so = browser("so")
    csrf = page_csrf(so.get("/review").text)
    asked = so.post(
        "/review/seeds/s-alpha",
        data={"csrf_token": csrf, "action": action, "comment": "輸出管理上の懸念", "back": "queue"},
        follow_redirects=False,
    )
    assert asked.status_code == 200 and 'id="confirm-form"' in asked.text
    assert MESSAGES[f"review_confirm_{action}"][0] in asked.text and MESSAGES["review_confirm_title"][0] in asked.text
    assert 'name="confirmed" value="yes"' in asked.text and "輸出管理上の懸念" in asked.text
    assert page_csrf(asked.text) == csrf  # the confirm button carries the session's CSRF token
    assert _state(reviewers, "s-alpha") == "under_review", "the first post moves nothing"
    assert [e["actor"] for e in audit.iter_events(reviewers) if e["action"] == "release_review"] == ["ana", "pi"]
    english = so.post(
        "/review/seeds/s-alpha?lang=en", data={"csrf_token": csrf, "action": action}, follow_redirects=False
    )
    assert MESSAGES[f"review_confirm_{action}"][1] in english.text and "This cannot be undone" in english.text
    forged = so.post("/review/seeds/s-alpha", data={"csrf_token": "forged", "action": action, "confirmed": "yes"})
    assert forged.status_code == 403 and _state(reviewers, "s-alpha") == "under_review"
    hidden = dict(re.findall(r'<input type="hidden" name="([a-z_]+)" value="([^"]*)"', asked.text))
    done = so.post("/review/seeds/s-alpha", data=hidden, follow_redirects=False)
    assert done.status_code == 303 and done.headers["location"] == "/review"
    assert _state(reviewers, "s-alpha") == ("withheld" if action == "withhold" else "under_review")
    steps = release.history(reviewers, as_user(reviewers, "boss"), "s-alpha").reviews[-1]["steps"]
    assert steps[-1]["action"] == action and steps[-1]["comment"] == "輸出管理上の懸念"


def test_a_move_nobody_may_make_is_refused_without_a_confirmation(
    reviewers: Workspace, browser: Callable[[str], TestClient]
) -> None:
    ana = browser("ana")
    csrf = page_csrf(ana.get("/review").text)
    # No review yet: the service's own error, at once.
    refused = ana.post("/review/seeds/s-alpha", data={"csrf_token": csrf, "action": "withhold"})
    assert refused.status_code == 400 and 'id="confirm-form"' not in refused.text
    release.submit(reviewers, as_user(reviewers, "ana"), "s-alpha", funding="private")
    release.move(reviewers, as_user(reviewers, "pi"), "s-alpha", "start")
    asked = ana.post("/review/seeds/s-alpha", data={"csrf_token": csrf, "action": "withhold", "confirmed": "yes"})
    assert asked.status_code == 403 and _state(reviewers, "s-alpha") == "under_review"  # a submitter never reviews


def test_my_submissions_show_state_time_and_who_acts_next(
    reviewers: Workspace, browser: Callable[[str], TestClient]
) -> None:
    ana = browser("ana")
    assert 'id="mine-empty"' in ana.get("/review").text
    release.submit(reviewers, as_user(reviewers, "ana"), "s-alpha", funding="private")
    release.submit(reviewers, as_user(reviewers, "boss"), "s-pub", funding="private")
    page = ana.get("/review")
    rows = re.findall(r'<tr id="mine-\d+" data-record="([^"]+)" data-state="([a-z_]+)">(.*?)</tr>', page.text, re.S)
    assert [(record, state) for record, state, _ in rows] == [("s-alpha", "submitted")]
    cells = rows[0][2]
    assert "Quantum key distribution link" in cells and "研究代表者" in cells and "安全保障輸出管理責任者" in cells
    assert re.search(r"\d{4}-\d\d-\d\d \d\d:\d\d", cells)
    release.move(reviewers, as_user(reviewers, "pi"), "s-alpha", "start")
    release.move(reviewers, as_user(reviewers, "so"), "s-alpha", "return", comment="図を削除")
    english = ana.get("/review?lang=en").text
    assert "My submissions" in english and "You (returned: revise and resubmit)" in english
    assert 'data-record="s-pub"' not in english.split('id="mine"')[1]  # boss's submission is not ana's


def test_a_review_nobody_can_approve_is_flagged_with_what_would_unblock_it(
    reviewers: Workspace, browser: Callable[[str], TestClient], tmp_path: Path
) -> None:
    secret = tmp_path / "secret.csv"
    secret.write_text("id,title,label\ns-secret,Hypersonic seeker,SECRET\n", encoding="utf-8")
    ingest(reviewers, as_user(reviewers, "boss"), "seeds", [secret])
    boss = browser("boss")
    page = boss.get("/review/seeds/s-secret")
    submitted = boss.post(
        "/review/seeds/s-secret",
        data={"csrf_token": page_csrf(page.text), "action": "submit", "funding": "private"},
    )
    # pi and so, the only investigator and officer, are CONFIDENTIAL: nobody can approve the SECRET record.
    assert 'id="submitted-note"' in submitted.text and 'class="error stuck"' in submitted.text
    assert 'data-stuck="principal_investigator security_officer"' in submitted.text
    assert "pi の資格を極秘に引き上げる" in submitted.text and "so の資格を極秘に引き上げる" in submitted.text
    assert "研究代表者の役割を持つ承認者（極秘以上の資格）を追加する" in submitted.text
    english = html.unescape(boss.get("/review/seeds/s-secret?lang=en").text)
    assert (
        "raise pi's clearance to SECRET" in english
        and "add an approver with the role Principal investigator" in english
    )
    mine = boss.get("/review?lang=ja").text.split('id="mine"')[1]
    assert 'id="mine-stuck-' in mine and "pi の資格を極秘に引き上げる" in mine
    # Raising pi's clearance unblocks the investigator's part; the officer's stays.
    people.grant(reviewers, as_user(reviewers, "boss"), "pi", "SECRET")
    people.record_training(
        reviewers, as_user(reviewers, "boss"), "pi", "secret-handling", datetime(2026, 1, 1, tzinfo=UTC)
    )
    again = boss.get("/review/seeds/s-secret").text
    assert 'data-stuck="security_officer"' in again and "pi の資格" not in again
    queue = browser("pi").get("/review").text
    assert 'class="pill stuck-flag" data-stuck="security_officer"' in queue
