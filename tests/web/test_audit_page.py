"""The audit trail page (issue 15): for those with `audit.read` only (the menu link too), search and filter by action,
user, record id and days, newest first a page at a time; verify the chain; export as CSV (formulas neutralised) or
JSON lines that `audit verify --file` accepts. Reading, verifying and exporting are audited by the services; others
get 403 in their language, and the refusal is audited too. Both backends; a Chromium test at the end."""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import update
from test_browser import Browser, browser_pool, new_browser, server  # noqa: F401 (fixtures, shared with test_browser)

from conftest import as_user, page_csrf
from kizashi.model import AuditEvent
from kizashi.protect import audit_trail
from kizashi.protect.audit_trail import EventFilter
from kizashi.store import audit
from kizashi.store.workspace import Workspace

SEQ = re.compile(r'<tr data-seq="(\d+)" data-action="([a-z_]+)">')


def _seqs(html: str) -> list[int]:
    return [int(seq) for seq, _ in SEQ.findall(html)]


def _last(workspace: Workspace) -> dict:
    return list(audit.iter_events(workspace))[-1]


def test_only_those_who_may_read_the_trail_see_it_and_its_menu_link(
    web_workspace: Workspace, browser: Callable[[str], TestClient]
) -> None:
    boss, ana = browser("boss"), browser("ana")
    assert 'id="nav-audit"' in boss.get("/").text and 'id="nav-audit"' not in ana.get("/").text
    page = boss.get("/audit")
    assert page.status_code == 200 and "<h1>監査証跡</h1>" in page.text and _seqs(page.text)
    refused = ana.get("/audit?lang=en")
    assert refused.status_code == 403 and "Only admins and security officers may read the audit trail" in refused.text
    assert "監査証跡を閲覧できるのは" in ana.get("/audit?lang=ja").text
    assert ana.get("/audit/export?format=csv").status_code == 403
    posted = ana.post("/audit/verify", data={"csrf_token": page_csrf(ana.get("/").text)})
    assert posted.status_code == 403
    denied = [e for e in audit.iter_events(web_workspace) if e["action"] == "denied" and e["actor"] == "ana"]
    assert {e["detail"]["service"] for e in denied} == {"audit.events", "audit.export", "audit.verify"}
    # The reading itself is in the trail, naming the part read.
    boss.get("/audit?action=read&user=ana")
    event = _last(web_workspace)
    assert event["actor"] == "boss" and event["action"] == "read"
    assert event["detail"]["service"] == "audit events" and event["detail"]["user"] == "ana"


def test_filters_page_and_order(web_workspace: Workspace, browser: Callable[[str], TestClient]) -> None:
    boss = browser("boss")
    everything = list(audit.iter_events(web_workspace))
    newest = boss.get("/audit?lang=en").text
    seqs = _seqs(newest)
    assert seqs == sorted(seqs, reverse=True) and seqs[0] == everything[-1]["seq"]
    # Paged: 50 to a page, the next page goes on where the first ended.
    for n in range(60):
        audit.record(web_workspace, "someone", "read", records=[f"r{n}"], detail={"n": n})
    first, second = boss.get("/audit?action=read&user=someone"), boss.get("/audit?action=read&user=someone&page=2")
    assert len(_seqs(first.text)) == 50 and len(_seqs(second.text)) == 10
    assert min(_seqs(first.text)) == max(_seqs(second.text)) + 1
    assert 'id="next"' in first.text and 'id="previous"' in second.text and 'data-total="60"' in first.text
    # Unfiltered, each page's reading is itself a new event: the next page, from its link, neither repeats nor skips.
    top = boss.get("/audit").text
    link = re.search(r'href="(/audit\?[^"]*upto=\d+[^"]*)" id="next"', top)
    assert link, "the next page's link names the head it pages from"
    following = boss.get(link.group(1).replace("&amp;", "&")).text
    assert min(_seqs(top)) == max(_seqs(following)) + 1
    # By record id (an exact member of the event's records, not a prefix), by action and by user.
    by_record = boss.get("/audit?record=r7").text
    assert [a for _, a in SEQ.findall(by_record)] == ["read"] and 'data-total="1"' in by_record
    assert {a for _, a in SEQ.findall(boss.get("/audit?action=grant").text)} == {"grant"}
    assert 'data-total="0"' in boss.get("/audit?user=nobody").text
    # By days: events dated yesterday are found by a range ending yesterday, not by one starting today.
    yesterday = (datetime.now(UTC) - timedelta(days=1)).date()
    with web_workspace.session() as session:
        session.execute(
            update(AuditEvent).where(AuditEvent.seq <= 3).values(at=f"{yesterday.isoformat()}T12:00:00.000000+00:00")
        )
    old = boss.get(f"/audit?until={yesterday}").text
    assert sorted(_seqs(old)) == [1, 2, 3]
    assert not {1, 2, 3} & set(_seqs(boss.get(f"/audit?since={yesterday + timedelta(days=1)}").text))
    bad = boss.get("/audit?since=yesterday&lang=en")
    assert bad.status_code == 422 and "Give the days as YYYY-MM-DD" in bad.text
    backwards = boss.get(f"/audit?since={yesterday}&until={yesterday - timedelta(days=2)}&lang=en")
    assert backwards.status_code == 422 and "after the last day" in backwards.text


def test_the_listing_service_bounds_its_page(web_workspace: Workspace) -> None:
    boss = as_user(web_workspace, "boss")
    with pytest.raises(Exception, match="1 to 200"):
        audit_trail.events(web_workspace, boss, size=audit_trail.MAX_PAGE_SIZE + 1)
    found = audit_trail.events(web_workspace, boss, EventFilter(record="user:ana"), size=2)
    assert len(found.events) == 2 and found.total > 2 and all("user:ana" in e["records"] for e in found.events)


def test_verify_shows_an_intact_chain_then_the_event_that_broke(
    web_workspace: Workspace, browser: Callable[[str], TestClient]
) -> None:
    boss = browser("boss")
    csrf = page_csrf(boss.get("/audit").text)
    intact = boss.post("/audit/verify", data={"csrf_token": csrf, "action": "grant"})
    assert intact.status_code == 200 and 'data-ok="true"' in intact.text and "連鎖は完全です" in intact.text
    assert 'value="grant" selected' in intact.text  # the filter is kept
    assert _last(web_workspace)["detail"]["service"] == "audit events"
    verified = [e for e in audit.iter_events(web_workspace) if e["detail"].get("service") == "audit verify"]
    assert verified and verified[-1]["detail"]["ok"] is True
    with web_workspace.session() as session:
        session.execute(update(AuditEvent).where(AuditEvent.seq == 2).values(actor="mallory"))
    broken = boss.post("/audit/verify", data={"csrf_token": csrf}, params={"lang": "en"})
    assert 'data-ok="false"' in broken.text and 'data-broken="2"' in broken.text
    assert "its content was changed after it was written" in broken.text
    assert boss.post("/audit/verify", data={"csrf_token": "forged"}).status_code == 403


def test_export_as_csv_and_jsonl_audited_and_verifiable(
    web_workspace: Workspace, browser: Callable[[str], TestClient], tmp_path: Path
) -> None:
    boss = browser("boss")
    audit.record(web_workspace, "=cmd|' /C calc'!A0", "read", detail={"note": "+1"})
    answer = boss.get("/audit/export?format=csv")
    assert answer.status_code == 200 and answer.headers["content-type"].startswith("text/csv")
    assert "attachment" in answer.headers["content-disposition"]
    rows = list(csv.DictReader(io.StringIO(answer.text)))
    assert list(rows[0]) == list(audit_trail.EXPORT_COLUMNS)
    assert "'=cmd|' /C calc'!A0" in {row["actor"] for row in rows}  # neutralised: a spreadsheet shows it as text
    event = _last(web_workspace)
    assert event["action"] == "export" and event["detail"]["format"] == "csv"
    assert event["detail"]["file"] == "audit-trail.csv" and event["detail"]["service"] == "audit export"
    ranged = boss.get("/audit/export?format=jsonl&from=2&to=5")
    assert ranged.status_code == 200 and len(ranged.text.splitlines()) == 4
    (tmp_path / "range.jsonl").write_text(ranged.text, encoding="utf-8")
    assert audit_trail.verify_file(tmp_path / "range.jsonl").ok
    assert _last(web_workspace)["detail"]["file"] == "audit-trail-2-5.jsonl"
    blank = boss.get("/audit/export?format=jsonl&from=&to=")  # the form's empty number fields
    assert blank.status_code == 200 and len(blank.text.splitlines()) > 5
    assert boss.get("/audit/export?format=xlsx").status_code == 422
    assert boss.get("/audit/export?format=csv&from=x").status_code == 422


@pytest.mark.slow
def test_an_officer_finds_the_trail_filters_and_verifies_in_a_browser(
    new_browser: Callable[[], Browser],  # noqa: F811 (the fixture imported above)
    web_workspace: Workspace,
) -> None:
    boss = new_browser()
    boss.open("/?lang=ja")
    boss.log_in("boss")
    boss.find("#nav-audit").click()
    boss.until(lambda: boss.path == "/audit" and boss.all("#audit-events"), "the audit trail")
    assert boss.text("h1") == "監査証跡"
    boss.find("#audit-filter input[name=record]").send_keys("user:ana")
    boss.find("#audit-search").click()
    boss.until(lambda: boss.query.get("record") == ["user:ana"], "the filtered trail")
    rows = boss.all("#audit-events tbody tr")
    assert rows and all("user:ana" in row.text for row in rows)
    boss.find("#verify-button").click()
    boss.until(lambda: boss.all("#verify-result"), "the verification")
    assert boss.find("#verify-result").get_attribute("data-ok") == "true"
    assert boss.find("#audit-filter input[name=record]").get_attribute("value") == "user:ana"
