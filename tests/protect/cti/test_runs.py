"""Correlation runs kept (protect/cti/runs.py) on both backends: a recorded correlation keeps its run and hits with
the research assets of what the hits indicate; a hit the reader may not read is not shown (nor counted); someone
else's run answers like a missing one, except to those who read the audit trail; correlating the same file again
stores no new sighting (deterministic ids, times from the hits); a correlation that fails stores nothing."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import func, select

from kizashi.errors import InputError, NotFound
from kizashi.model import CorrelationHit, CorrelationRun, Seed, StixObject
from kizashi.protect import people
from kizashi.protect.cti.assets import link_asset
from kizashi.protect.cti.groups import add_collection, add_group
from kizashi.protect.cti.runs import get_run, list_runs
from kizashi.protect.cti.sightings import correlate_observations, sighting_id
from kizashi.protect.cti.store import Filters, add_objects, get_objects
from kizashi.protect.cti.tlp import MARKING_OF
from kizashi.protect.people import actor_for as as_user
from kizashi.store import audit
from kizashi.store.readable import select_trusted
from kizashi.store.workspace import Workspace

STAMP = "2026-01-01T00:00:00.000Z"
MALWARE = "malware--7a1c3a52-0c5e-4d1c-9a51-2b7f0d0a1c01"
GREEN = "indicator--7a1c3a52-0c5e-4d1c-9a51-2b7f0d0a1c02"  # every member reads it
RED = "indicator--7a1c3a52-0c5e-4d1c-9a51-2b7f0d0a1c03"  # ana alone (the adder) reads it


def stix(kind: str, ident: str, **fields: Any) -> dict[str, Any]:
    return {"type": kind, "spec_version": "2.1", "id": ident, "created": STAMP, "modified": STAMP, **fields}


INTEL = [
    stix("malware", MALWARE, name="GridWiper", is_family=True),
    stix(
        "indicator",
        GREEN,
        name="GridWiper C2",
        pattern="[domain-name:value = 'evil.example']",
        pattern_type="stix",
        valid_from="2026-01-01T00:00:00Z",
        object_marking_refs=[MARKING_OF["GREEN"]],
    ),
    stix(
        "indicator",
        RED,
        name="Red address",
        pattern="[ipv4-addr:value = '198.51.100.7']",
        pattern_type="stix",
        valid_from="2026-01-01T00:00:00Z",
        object_marking_refs=[MARKING_OF["RED"]],
    ),
    stix(
        "relationship",
        "relationship--7a1c3a52-0c5e-4d1c-9a51-2b7f0d0a1c04",
        relationship_type="indicates",
        source_ref=GREEN,
        target_ref=MALWARE,
    ),
]


def build(workspace: Workspace) -> Workspace:
    """ana (analyst) and cai (security officer: reads the audit trail) in 'partners'; dan outside; the intel in
    'intel'; the malware tied to seed S1 by ana."""
    people.add_user(workspace, as_user(workspace, "boss"), "boss", roles=["admin"], organisation="kizashi")
    boss = as_user(workspace, "boss")
    people.add_user(workspace, boss, "ana", roles=["analyst"], organisation="lab-a")
    people.add_user(workspace, boss, "cai", roles=["security_officer"], organisation="lab-a")
    people.add_user(workspace, boss, "dan", roles=["analyst"], organisation="lab-a")
    add_group(workspace, boss, "partners", ["ana", "cai"])
    add_collection(workspace, boss, "intel", "partners")
    ana = as_user(workspace, "ana")
    add_objects(workspace, ana, "intel", INTEL)
    with workspace.session() as session:
        session.add(Seed(id="S1", title="Grid anomaly detection", level="PUBLIC", compartments=[], content_hash="x"))
    link_asset(workspace, ana, MALWARE, "seeds", "S1", reason="aimed at our detector")
    return workspace


@pytest.fixture
def intel(workspace: Workspace) -> Workspace:
    return build(workspace)


def observations_file(folder: Path, extra: str = "") -> Path:
    path = folder / "proxy.csv"
    path.write_text(
        "time,query,ip\n2026-03-01T10:00:00Z,evil.example,192.0.2.1\n2026-03-01T11:00:00Z,good.example,198.51.100.7\n"
        "2026-03-02T09:30:00Z,evil.example,192.0.2.2\n" + extra,
        encoding="utf-8",
    )
    return path


@pytest.fixture
def observations(tmp_path: Path) -> Path:
    return observations_file(tmp_path)


def sighting_rows(workspace: Workspace) -> list[str]:
    objects = StixObject.__table__
    with workspace.session() as session:
        statement = select_trusted(objects.c.stix_id, why="the test counts stored sightings").where(
            objects.c.type == "sighting"
        )
        return sorted(session.scalars(statement))


def counts(workspace: Workspace) -> tuple[int, int]:
    runs, hits = CorrelationRun.__table__, CorrelationHit.__table__
    with workspace.session() as session:
        return (
            session.scalar(select(func.count()).select_from(runs)) or 0,
            session.scalar(select_trusted(func.count(), why="the test counts hits").select_from(hits)) or 0,
        )


def test_a_recorded_run_is_kept_with_its_hits_and_their_assets(intel: Workspace, observations: Path) -> None:
    ana = as_user(intel, "ana")
    report = correlate_observations(intel, ana, observations, name="proxy export.csv")
    assert report.run is not None
    assert [hit.indicator for hit in report.hits] == [GREEN, RED]
    [asset] = report.hits[0].assets[MALWARE]
    assert (asset.kind, asset.id, asset.via) == ("seeds", "S1", "link")
    [summary] = list_runs(intel, ana)
    assert (summary.id, summary.user, summary.file, summary.observations, summary.indicators, summary.hits) == (
        report.run,
        "ana",
        "proxy export.csv",
        3,
        2,
        2,
    )
    run = get_run(intel, ana, report.run)
    assert len(run.file_hash) == 64 and run.since is None
    green, red = run.hits
    assert (green.indicator, green.count, green.name) == (GREEN, 2, "GridWiper C2")
    assert [(t.id, t.name) for t in green.indicates] == [(MALWARE, "GridWiper")]
    assert [(a.kind, a.id, str(a.title)) for a in green.assets[MALWARE]] == [("seeds", "S1", "Grid anomaly detection")]
    assert green.sighting == report.hits[0].sighting and green.tlp == "GREEN"
    assert [sample["value"] for sample in green.samples] == ["evil.example", "evil.example"]
    assert (red.indicator, red.tlp, red.indicates) == (RED, "RED", [])
    assert run.as_json()["hits"][0]["indicates"][0]["assets"][0]["id"] == "S1"
    events = [e for e in audit.iter_events(intel) if e["detail"].get("service") in ("cti.runs", "cti.run")]
    assert [(e["action"], e["detail"]["service"]) for e in events] == [("read", "cti.runs"), ("read", "cti.run")]
    assert events[1]["records"] == [GREEN, RED] and events[1]["detail"]["assets"] == {"seeds": ["S1"]}


def test_a_hidden_hit_is_not_shown_and_another_users_run_is_missing(intel: Workspace, observations: Path) -> None:
    report = correlate_observations(intel, as_user(intel, "ana"), observations)
    assert report.run is not None
    cai = as_user(intel, "cai")  # reads the audit trail, and the group's GREEN but not ana's RED indicator
    [seen] = list_runs(intel, cai)
    assert seen.id == report.run and seen.hits == 1
    assert [hit.indicator for hit in get_run(intel, cai, report.run).hits] == [GREEN]
    boss = as_user(intel, "boss")  # an admin outside the group: the run, none of its hits
    assert get_run(intel, boss, report.run).hits == []
    dan = as_user(intel, "dan")  # neither the runner nor an auditor
    assert list_runs(intel, dan) == []
    with pytest.raises(NotFound) as hidden:
        get_run(intel, dan, report.run)
    with pytest.raises(NotFound) as missing:
        get_run(intel, dan, "no-such-run")
    assert str(hidden.value) == str(missing.value).replace("no-such-run", report.run)
    denied = [e for e in audit.iter_events(intel) if e["action"] == "denied"]
    assert [e["detail"]["service"] for e in denied] == ["cti.run", "cti.run"]


def test_correlating_the_same_file_again_stores_no_new_sighting(intel: Workspace, observations: Path) -> None:
    ana = as_user(intel, "ana")
    first = correlate_observations(intel, ana, observations)
    stored = sighting_rows(intel)
    assert len(stored) == 2 and stored == sorted(hit.sighting for hit in first.hits if hit.sighting)
    again = correlate_observations(intel, ana, observations)
    assert sighting_rows(intel) == stored
    assert [hit.sighting for hit in again.hits] == [hit.sighting for hit in first.hits]
    assert again.run != first.run and counts(intel) == (2, 4)  # each run is kept, with its hits
    page = get_objects(intel, ana, "intel", Filters.parse(types=["sighting"]))
    assert {entry.stix()["created"] for entry in page.entries} == {
        "2026-03-02T09:30:00.000Z",
        "2026-03-01T11:00:00.000Z",
    }
    # Another `since` is another correlation: its own sightings.
    later = correlate_observations(intel, ana, observations, since=first.hits[0].last_seen)
    assert [hit.indicator for hit in later.hits] == [GREEN]
    assert later.hits[0].sighting not in stored and len(sighting_rows(intel)) == 3


def test_the_sighting_id_names_what_it_is_of() -> None:
    day, other = datetime(2026, 1, 1, tzinfo=UTC), datetime(2026, 1, 2, tzinfo=UTC)
    first = sighting_id(GREEN, day, "a" * 64, None)
    assert first.startswith("sighting--") and first == sighting_id(GREEN, day, "a" * 64, None)
    assert first != sighting_id(RED, day, "a" * 64, None)
    assert first != sighting_id(GREEN, other, "a" * 64, None)
    assert first != sighting_id(GREEN, day, "b" * 64, None)
    assert first != sighting_id(GREEN, day, "a" * 64, other)


def test_a_failed_or_unrecorded_correlation_stores_nothing(
    intel: Workspace, tmp_path: Path, snapshot: Callable[[Workspace], object]
) -> None:
    def stored(workspace: Workspace) -> dict[str, Any]:  # everything but the audit trail
        found: dict[str, Any] = snapshot(workspace)  # type: ignore[assignment]
        return {table: rows for table, rows in found.items() if table != "audit_events"}

    before = stored(intel)
    ana = as_user(intel, "ana")
    broken = observations_file(tmp_path, "yesterday,evil.example,192.0.2.3\n")  # the last row's time is no time
    with pytest.raises(InputError):
        correlate_observations(intel, ana, broken)
    assert stored(intel) == before
    unrecorded = correlate_observations(intel, ana, observations_file(tmp_path), record=False)
    assert unrecorded.run is None and unrecorded.hits and stored(intel) == before
    assert counts(intel) == (0, 0)
