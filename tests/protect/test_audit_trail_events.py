"""The audit trail's filtered listing (protect/audit_trail.py `events`) against a brute-force filter over the whole
chain, for random filters, on both backends: the same events, newest first, paged without loss or overlap."""

from __future__ import annotations

from dataclasses import replace
from datetime import date, timedelta

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import update

from kizashi.model import AuditEvent
from kizashi.protect.audit_trail import EventFilter, events
from kizashi.protect.people import actor_for
from kizashi.store import audit
from kizashi.store.workspace import Workspace

ACTORS = ("ana", "bob", "ümit", "山田")
ACTIONS = ("read", "export", "denied")
RECORDS = ("n1", "n1x", "user:ana", 'q"1', "S-1")  # n1x: a record id is matched whole, never as a prefix
DAYS = [date(2026, 11, 28) + timedelta(days=n) for n in range(5)]


def _fill(workspace: Workspace) -> None:
    for n in range(40):
        records = [RECORDS[(n * k) % len(RECORDS)] for k in range(n % 3)]
        audit.record(workspace, ACTORS[n % len(ACTORS)], ACTIONS[n % len(ACTIONS)], records=records)
    with workspace.session() as session:  # spread them over the days (the listing reads `at` as written)
        for n, day in enumerate(DAYS):
            session.execute(
                update(AuditEvent)
                .where(AuditEvent.seq > n * 8, AuditEvent.seq <= (n + 1) * 8)
                .values(at=f"{day.isoformat()}T0{n}:30:00.000000+00:00")
            )


def _expected(workspace: Workspace, found: EventFilter) -> list[int]:
    kept = []
    for event in audit.iter_events(workspace):
        day = date.fromisoformat(event["at"][:10])
        if (
            (found.action is None or event["action"] == found.action)
            and (found.user is None or event["actor"] == found.user)
            and (found.record is None or found.record in event["records"])
            and (found.since is None or day >= found.since)
            and (found.until is None or day <= found.until)
        ):
            kept.append(event["seq"])
    return sorted(kept, reverse=True)


FILTERS = st.builds(
    EventFilter,
    action=st.none() | st.sampled_from(ACTIONS),
    user=st.none() | st.sampled_from(ACTORS),
    record=st.none() | st.sampled_from(RECORDS),
    since=st.none() | st.sampled_from(DAYS),
    until=st.none() | st.sampled_from(DAYS),
)


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(found=FILTERS, size=st.integers(1, 7))
def test_the_listing_is_the_brute_force_filter_paged(workspace: Workspace, found: EventFilter, size: int) -> None:
    if not workspace.__dict__.get("_filled"):
        _fill(workspace)
        workspace.__dict__["_filled"] = True
    if found.since and found.until and found.since > found.until:
        return  # refused by the service (a test of its own below)
    reader = actor_for(workspace, "operator")  # a workspace without users: its operator may read the trail
    expected = _expected(workspace, found)  # before the first page: reading pages adds events, not shown
    first = events(workspace, reader, found, page=1, size=size)
    shown = [event["seq"] for event in first.events]
    for page in range(2, first.pages + 1):
        result = events(workspace, reader, replace(found, upto=first.upto), page=page, size=size)
        assert result.total == len(expected) and result.upto == first.upto
        shown += [event["seq"] for event in result.events]
    assert first.total == len(expected) and shown == expected


def test_a_backwards_range_and_an_oversized_page_are_refused(workspace: Workspace) -> None:
    reader = actor_for(workspace, "operator")
    for call in (
        lambda: events(workspace, reader, EventFilter(since=DAYS[2], until=DAYS[1])),
        lambda: events(workspace, reader, size=201),
        lambda: events(workspace, reader, page=0),
    ):
        try:
            call()
        except Exception as error:
            assert type(error).__name__ == "InputError"
        else:
            raise AssertionError("not refused")
