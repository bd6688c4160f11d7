"""After an intake form is saved the user lands on the new record's page, told once, in their language, that it was
saved (issue #15); every page prints a moment one way, "2026-12-07 14:01 UTC", never Python's microseconds and
+00:00 (the `when` filter of web/render.py)."""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import UTC, date, datetime, timedelta, timezone

from fastapi.testclient import TestClient
from hypothesis import given
from hypothesis import strategies as st
from test_browser import Browser, browser_pool, new_browser, server  # noqa: F401 (fixtures, shared with test_browser)

from conftest import page_csrf
from kizashi.store.workspace import Workspace
from kizashi.web.render import when

MOMENT = re.compile(r"^\d{4}-\d\d-\d\d \d\d:\d\d UTC$")


def _save_need(client: TestClient, title: str) -> str:
    form = client.get("/needs/new").text
    posted = client.post(
        "/needs/new",
        data={"csrf_token": page_csrf(form), "title": title, "level": "INTERNAL"},
        follow_redirects=False,
    )
    assert posted.status_code == 303, posted.text
    return str(posted.headers["location"])


def test_the_new_record_s_page_says_it_was_saved_once(
    web_workspace: Workspace, browser: Callable[[str], TestClient]
) -> None:
    ana = browser("ana")
    where = _save_need(ana, "豪雨時の河川水位を予測したい")
    assert where.startswith("/needs/") and "?" not in where  # the record's own address, nothing added to it
    page = ana.get(where)
    assert page.status_code == 200
    saved = re.search(r'<p class="ok" role="status" id="saved">([^<]+)</p>', page.text)
    assert saved and "登録しました" in saved.group(1)
    assert "豪雨時の河川水位を予測したい" in page.text
    again = ana.get(where)
    assert 'id="saved"' not in again.text  # a reload does not say it again
    # In English for a user reading English; another record's page never says it.
    ana.get("/needs?lang=en")
    other = _save_need(ana, "Flood forecasting for small rivers")
    assert 'id="saved"' not in ana.get(where).text
    assert "Saved." in ana.get(other).text


def test_detail_pages_print_times_to_the_minute_in_utc(
    web_workspace: Workspace, browser: Callable[[str], TestClient]
) -> None:
    ana = browser("ana")
    page = ana.get(_save_need(ana, "夜間の捜索"))
    shown = {name: value.strip() for name, value in re.findall(r'<dd class="field-(\w+_at)">([^<]*)</dd>', page.text)}
    assert set(shown) == {"created_at", "updated_at"}
    assert all(MOMENT.match(value) for value in shown.values()), shown
    assert "+00:00" not in page.text and not re.search(r"\d\d:\d\d:\d\d\.\d+", page.text)


ZONES = st.sampled_from([UTC, timezone(timedelta(hours=9)), timezone(timedelta(hours=-5))])


@given(st.datetimes(min_value=datetime(1970, 1, 2), max_value=datetime(9998, 12, 30), timezones=ZONES))
def test_when_is_the_minute_in_utc_of_any_moment(moment: datetime) -> None:
    shown = when(moment)
    assert MOMENT.match(shown)
    assert shown == moment.astimezone(UTC).strftime("%Y-%m-%d %H:%M UTC")
    assert when(moment.isoformat()) == shown  # services hand some moments on as ISO text
    assert when(moment.astimezone(UTC).replace(tzinfo=None)) == shown  # SQLite's naive datetimes are UTC


def test_when_leaves_what_is_not_a_moment_as_it_is() -> None:
    assert when(None) == ""
    assert when(date(2026, 12, 7)) == "2026-12-07"
    assert when("2026-12-07") == "2026-12-07"
    assert when("not a time") == "not a time"
    assert when(datetime(2026, 12, 7, 14, 1, 2, 123456, tzinfo=UTC)) == "2026-12-07 14:01 UTC"
    assert when(datetime(2026, 12, 7, 23, 30, tzinfo=timezone(timedelta(hours=9)))) == "2026-12-07 14:30 UTC"


def test_a_user_saves_a_need_in_chromium_and_is_told_so(
    new_browser: Callable[[], Browser],  # noqa: F811 (the fixture imported above)
) -> None:
    ana = new_browser()
    ana.open("/login")
    ana.log_in("ana")
    ana.open("/needs")
    ana.find("a[href='/needs/new']").click()
    ana.until(lambda: ana.path == "/needs/new", "the intake form, from the list of needs")
    ana.find("#f-title").send_keys("災害現場の通信を確保したい")
    ana.find("#save").click()
    ana.until(lambda: ana.path.startswith("/needs/need:"), "the new need's page")
    assert ana.text("#record-title") == "災害現場の通信を確保したい"
    assert "登録しました" in ana.text("#saved")
    assert MOMENT.match(ana.text("dd.field-created_at")), ana.text("dd.field-created_at")
    ana.driver.refresh()
    ana.until(lambda: ana.all("#record-title"), "the page loaded again")
    assert not ana.all("#saved"), "the confirmation shown again on a reload"
