"""The screening page on both backends: one name, a batch upload, the list versions in use, decisions posted back
(CSRF, officers only) and shown on the next screening to those who may read them, and the audit trail."""

from __future__ import annotations

import html
import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import func

from conftest import as_user, page_csrf
from kizashi.model.screening import ScreeningDecision
from kizashi.protect.screening.store import load_list
from kizashi.store import audit
from kizashi.store.readable import select_trusted
from kizashi.store.workspace import Workspace

LISTS = Path(__file__).parents[1] / "fixtures" / "lists"
TAKO = {"entry_list": "METI third_countries", "entry_id": "third_countries-1"}
NAMES_CSV = "id,name,country\np1,タコ有限会社,\np2,University of Greenwich,GB\np3,HANIYYA Ismaeel,\n"


@pytest.fixture
def lists(web_workspace: Workspace) -> Workspace:
    load_list(web_workspace, as_user(web_workspace, "boss"), LISTS / "meti_parsed_entities.json")
    load_list(web_workspace, as_user(web_workspace, "boss"), LISTS / "ofac")
    return web_workspace


def _events(workspace: Workspace, action: str) -> list[dict[str, Any]]:
    return [event for event in audit.iter_events(workspace) if event["action"] == action]


def _decisions(workspace: Workspace) -> int:
    with workspace.session() as session:
        every = select_trusted(func.count(), why="a test counts every decision").select_from(ScreeningDecision)
        return int(session.scalar(every) or 0)


def _rows(page: str) -> list[tuple[str, str]]:
    """(party id, status) of every result row, in order."""
    return re.findall(r'<tr class="party[^"]*" data-party="([^"]+)" data-status="([^"]+)"', page)


def test_the_page_without_lists_says_so_and_the_nav_links_it(
    web_workspace: Workspace, browser: Callable[[str], TestClient]
) -> None:
    low = browser("low")
    assert 'id="nav-screening"' in low.get("/").text
    page = low.get("/screening")
    assert page.status_code == 200 and 'id="no-lists"' in page.text and "取引先スクリーニング" in page.text
    assert "Partner screening" in low.get("/screening?lang=en").text
    screened = low.get("/screening", params={"name": "タコ有限会社"})
    assert _rows(screened.text) == [("1", "not_screened")]


def test_one_name_with_its_explanation_and_the_versions_in_use(
    lists: Workspace, browser: Callable[[str], TestClient]
) -> None:
    page = browser("low").get("/screening", params={"name": "タコ有限会社", "type": "organisation"})
    assert page.status_code == 200
    assert _rows(page.text)[0] == ("1", "alert")
    text = html.unescape(page.text)
    assert 'data-entry="third_countries-1"' in text and "Tako LLC" in text
    assert "タコ→tako = tako (transliterated)" in text
    assert re.findall(r'<tr data-version="(\d+)">', page.text) == ["1", "2"]
    assert "/screening/decide" not in page.text  # an analyst screens but does not decide
    (event,) = _events(lists, "screen")
    assert event["actor"] == "low" and event["detail"]["names"] == 1 and event["detail"]["list_versions"] == [1, 2]
    assert event["origin"] is not None
    wrong = browser("low").get("/screening", params={"name": "x", "type": "spaceship"})
    assert wrong.status_code == 400 and 'id="form-error"' in wrong.text


def test_batch_upload_of_a_small_csv(lists: Workspace, browser: Callable[[str], TestClient]) -> None:
    ana = browser("ana")
    token = page_csrf(ana.get("/screening").text)
    files = {"file": ("partners.csv", NAMES_CSV.encode("utf-8"), "text/csv")}
    page = ana.post("/screening/batch", data={"csrf_token": token}, files=files)
    assert page.status_code == 200, page.text
    statuses = dict(_rows(page.text))
    assert statuses == {"p1": "alert", "p2": "clear", "p3": "alert"}
    assert "partners.csv" in page.text
    assert _events(lists, "screen")[-1]["detail"]["names"] == 3
    # Without the CSRF token nothing is screened.
    refused = ana.post("/screening/batch", data={}, files=files)
    assert refused.status_code == 403 and len(_events(lists, "screen")) == 1


@pytest.mark.parametrize(
    ("filename", "content", "message"),
    [
        ("partners.txt", b"id,name\n1,a\n", "partners.txt"),
        ("partners.csv", b"id,title\n1,a\n", "partners.csv"),
        ("partners.csv", b"id,name\n1,\n", "row 2"),
    ],
)
def test_a_bad_upload_is_explained(
    lists: Workspace, browser: Callable[[str], TestClient], filename: str, content: bytes, message: str
) -> None:
    ana = browser("ana")
    token = page_csrf(ana.get("/screening").text)
    page = ana.post("/screening/batch", data={"csrf_token": token}, files={"file": (filename, content, "text/csv")})
    assert page.status_code == 400
    error = re.search(r'id="form-error">([^<]*)<', page.text)
    assert error and message in html.unescape(error.group(1))
    assert "kizashi-screening-" not in page.text  # the temporary copy's path is never shown
    assert _events(lists, "screen") == []


def test_an_officer_decides_and_the_next_screening_shows_it(
    lists: Workspace, browser: Callable[[str], TestClient]
) -> None:
    boss = browser("boss")
    page = boss.get("/screening", params={"name": "タコ有限会社"})
    assert 'action="/screening/decide"' in page.text
    posted = boss.post(
        "/screening/decide",
        data={"csrf_token": page_csrf(page.text), "name": "タコ有限会社", **TAKO, "decision": "false-positive",
              "reason": "a namesake in another prefecture"},
        follow_redirects=False,
    )  # fmt: skip
    assert posted.status_code == 303 and posted.headers["location"].startswith("/screening?name=")
    again = boss.get(posted.headers["location"])
    assert 'data-decision="false-positive"' in again.text and "a namesake in another prefecture" in again.text
    assert 'data-label="INTERNAL"' in again.text  # the page shows an INTERNAL decision
    # An analyst cleared for INTERNAL sees the decision but gets no form; a PUBLIC one sees neither.
    ana = browser("ana").get("/screening", params={"name": "ﾀｺ有限会社"})
    assert 'data-decision="false-positive"' in ana.text and "/screening/decide" not in ana.text
    low = browser("low").get("/screening", params={"name": "タコ有限会社"})
    assert "data-decision" not in low.text and "a namesake" not in low.text
    assert _rows(low.text)[0] == ("1", "alert") and 'data-label="INTERNAL"' not in low.text
    (event,) = _events(lists, "decision")
    assert event["actor"] == "boss" and event["detail"]["decision"] == "false-positive"


def test_a_non_officer_cannot_decide_and_csrf_is_required(
    lists: Workspace, browser: Callable[[str], TestClient]
) -> None:
    ana = browser("ana")
    data = {"name": "タコ有限会社", **TAKO, "decision": "true-match", "reason": "looks like it"}
    token = page_csrf(ana.get("/screening").text)
    refused = ana.post("/screening/decide", data={**data, "csrf_token": token}, follow_redirects=False)
    assert refused.status_code == 403
    boss = browser("boss")
    assert boss.post("/screening/decide", data=data, follow_redirects=False).status_code == 403
    assert _decisions(lists) == 0
    # Both refusals are audited, each by what refused it: the service (not allowed) and the CSRF check.
    assert [
        (e["actor"], e["detail"]["service"], e["detail"]["code"], e["detail"]["via"]) for e in _events(lists, "denied")
    ] == [
        ("ana", "screening.decide", "access_denied", "POST /screening/decide"),
        ("boss", "csrf", "csrf_failed", "POST /screening/decide"),
    ]
