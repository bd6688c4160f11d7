"""`cti.correlate` and `kizashi cti correlate` on both backends: an indicator of ATT&CK malware hit by one row of an
observation file and missed by another; the hit names the malware, a valid STIX sighting is stored and read back;
someone outside the sharing group gets nothing; --no-record stores nothing; the command's exit codes."""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from stix2validator import ValidationOptions, validate_instance  # type: ignore[import-untyped]

from kizashi.errors import AccessDenied, NotFound
from kizashi.ingest.stix import read_stix_file
from kizashi.protect import people
from kizashi.protect.cti.groups import add_collection, add_group
from kizashi.protect.cti.sightings import correlate_observations
from kizashi.protect.cti.store import Filters, add_objects, get_objects
from kizashi.protect.cti.tlp import MARKING_OF
from kizashi.protect.people import actor_for as as_user
from kizashi.store import audit
from kizashi.store.workspace import Workspace

CTI = Path(__file__).parent.parent.parent / "fixtures" / "cti"
INDUSTROYER = "malware--e401d4fe-f0c9-44f0-98e6-f93487678808"  # in the ATT&CK ICS slice
INDICATOR = "indicator--6f3c3a52-0c5e-4d1c-9a51-2b7f0d0a1c01"
MISSED = "indicator--6f3c3a52-0c5e-4d1c-9a51-2b7f0d0a1c02"
STAMP = "2026-01-01T00:00:00.000Z"


def stix(kind: str, ident: str, **fields: Any) -> dict[str, Any]:
    return {"type": kind, "spec_version": "2.1", "id": ident, "created": STAMP, "modified": STAMP, **fields}


INTEL = [
    stix(
        "indicator",
        INDICATOR,
        name="Industroyer C2",
        pattern="[domain-name:value = 'evil.example']",
        pattern_type="stix",
        valid_from="2026-01-01T00:00:00Z",
        object_marking_refs=[MARKING_OF["GREEN"]],
    ),
    stix(
        "indicator",
        MISSED,
        name="never seen",
        pattern="[ipv4-addr:value = '198.51.100.7']",
        pattern_type="stix",
        valid_from="2026-01-01T00:00:00Z",
    ),
    stix(
        "relationship",
        "relationship--6f3c3a52-0c5e-4d1c-9a51-2b7f0d0a1c03",
        relationship_type="indicates",
        source_ref=INDICATOR,
        target_ref=INDUSTROYER,
    ),
]


@pytest.fixture
def intel(workspace: Workspace) -> Workspace:
    """ana and cai in the sharing group 'partners' (cai reads but may not add), dan outside; ATT&CK ICS and the
    indicators in 'intel'."""
    people.add_user(workspace, as_user(workspace, "boss"), "boss", roles=["admin"], organisation="kizashi")
    boss = as_user(workspace, "boss")
    people.add_user(workspace, boss, "ana", roles=["analyst"], organisation="lab-a")
    people.add_user(workspace, boss, "cai", roles=["principal_investigator"], organisation="lab-a")
    people.add_user(workspace, boss, "dan", roles=["analyst"], organisation="lab-a")
    add_group(workspace, boss, "partners", ["ana", "cai"])
    add_collection(workspace, boss, "intel", "partners", write_roles=["analyst"])
    ana = as_user(workspace, "ana")
    add_objects(workspace, ana, "intel", read_stix_file(CTI / "attack-ics-slice.json") + INTEL)
    return workspace


@pytest.fixture
def observations(tmp_path: Path) -> Path:
    path = tmp_path / "dns.csv"
    path.write_text(
        "time,query\n2026-03-01T10:00:00Z,evil.example\n2026-03-01T11:00:00Z,good.example\n"
        "2026-03-02T09:30:00Z,EVIL.example.\n",
        encoding="utf-8",
    )
    return path


def sightings(workspace: Workspace, user: str = "ana") -> list[dict[str, Any]]:
    page = get_objects(workspace, as_user(workspace, user), "intel", Filters.parse(types=["sighting"]))
    return [entry.stix() for entry in page.entries]


def test_a_hit_names_the_malware_and_is_stored_as_a_valid_sighting(intel: Workspace, observations: Path) -> None:
    ana = as_user(intel, "ana")
    report = correlate_observations(intel, ana, observations)
    assert report.observations == 3 and report.indicators == 2
    [hit] = report.hits
    assert hit.indicator == INDICATOR and hit.name == "Industroyer C2" and hit.collection == "intel"
    assert [(t.id, t.type, t.name) for t in hit.indicates] == [(INDUSTROYER, "malware", "Industroyer")]
    assert hit.count == 2 and [sample.row for sample in hit.samples] == [2, 4]  # file lines
    [sighting] = sightings(intel)
    assert sighting["id"] == hit.sighting and sighting["sighting_of_ref"] == INDICATOR
    assert (sighting["count"], sighting["first_seen"], sighting["last_seen"]) == (
        2,
        "2026-03-01T10:00:00.000Z",
        "2026-03-02T09:30:00.000Z",
    )
    assert [row["value"] for row in sighting["x_kizashi_observations"]] == ["evil.example", "evil.example"]
    assert sighting["object_marking_refs"] == [MARKING_OF["GREEN"]]  # no further than its indicator
    options = ValidationOptions(version="2.1", silent=True, disabled="all", strict=False)
    result = validate_instance(sighting, options)
    assert result.is_valid, [str(error) for error in result.errors]
    events = [event for event in audit.iter_events(intel) if event["detail"].get("service") == "cti.correlate"]
    assert [(event["action"], event["records"]) for event in events] == [("read", [INDICATOR])]
    added = [event for event in audit.iter_events(intel) if event["action"] == "cti_add"]
    assert added[-1]["records"] == [hit.sighting]


def test_since_leaves_out_earlier_observations(intel: Workspace, observations: Path) -> None:
    ana = as_user(intel, "ana")
    report = correlate_observations(intel, ana, observations, since=datetime(2026, 3, 2, tzinfo=UTC), record=False)
    assert report.observations == 1 and [hit.count for hit in report.hits] == [1]


def test_outside_the_group_no_hits_and_the_collection_is_missing(intel: Workspace, observations: Path) -> None:
    dan = as_user(intel, "dan")
    report = correlate_observations(intel, dan, observations)
    assert report.indicators == 0 and report.hits == []
    with pytest.raises(NotFound):
        correlate_observations(intel, dan, observations, collection="intel")
    assert sightings(intel) == []


def test_no_record_stores_nothing_and_a_reader_who_may_not_add_is_told(
    intel: Workspace, observations: Path, snapshot: Callable[[Workspace], object]
) -> None:
    def stored(workspace: Workspace) -> dict[str, Any]:  # everything but the audit trail (the read is written)
        found: dict[str, Any] = snapshot(workspace)  # type: ignore[assignment]
        return {table: rows for table, rows in found.items() if table != "audit_events"}

    before = stored(intel)
    report = correlate_observations(intel, as_user(intel, "ana"), observations, record=False)
    assert [hit.sighting for hit in report.hits] == [None]
    assert stored(intel) == before
    cai = as_user(intel, "cai")
    told = correlate_observations(intel, cai, observations)
    assert [ident for ident, _ in told.unrecorded] == [INDICATOR] and told.hits[0].sighting is None
    assert sightings(intel) == []


def test_the_command(
    intel: Workspace,
    observations: Path,
    cli: Callable[..., Any],
    login_as: Callable[[str], None],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    login_as("ana")
    monkeypatch.setenv("COLUMNS", "200")  # the table whole, whatever the terminal running the tests
    monkeypatch.setenv("KIZASHI_LANG", "ja")
    shown = cli("cti", "correlate", observations, "--no-record")
    assert shown.code == 0, shown.err
    assert "インディケーター" in shown.out and "マルウェア: Industroyer" in shown.out and "初観測" in shown.out
    assert sightings(intel) == []
    monkeypatch.setenv("KIZASHI_LANG", "en")
    as_json = cli("cti", "correlate", observations, "--collection", "intel", "--format", "json")
    assert as_json.code == 0, as_json.err
    found = json.loads(as_json.out)
    assert found["observations"] == 3 and [hit["indicator"] for hit in found["hits"]] == [INDICATOR]
    assert found["hits"][0]["indicates"] == [{"id": INDUSTROYER, "type": "malware", "name": "Industroyer"}]
    assert [s["id"] for s in sightings(intel)] == [found["hits"][0]["sighting"]]
    later = cli("cti", "correlate", observations, "--since", "2026-03-02", "--no-record")
    assert (
        later.code == 0
        and "malware: Industroyer" in later.out
        and "1 observations against 2 indicators: 1 indicators hit" in later.out
    )
    assert cli("cti", "correlate", observations, "--since", "yesterday").code == 2
    assert cli("cti", "correlate", observations, "--format", "xml").code == 2
    assert cli("cti", "correlate", observations.with_name("none.csv")).code == 2
    login_as("dan")
    hidden = cli("cti", "correlate", observations, "--collection", "intel")
    assert hidden.code == 2 and "no collection 'intel'" in hidden.err
    nothing = cli("cti", "correlate", observations)
    assert nothing.code == 0 and "0 indicators hit" in nothing.out


def test_an_indicator_counts_once_in_its_latest_version_and_the_unevaluated_are_listed(
    intel: Workspace, observations: Path
) -> None:
    boss, ana = as_user(intel, "boss"), as_user(intel, "ana")
    add_collection(intel, boss, "more", "partners")
    newer = {**INTEL[0], "modified": "2026-02-01T00:00:00.000Z", "name": "Industroyer C2, renamed"}
    sigma = stix(
        "indicator",
        "indicator--6f3c3a52-0c5e-4d1c-9a51-2b7f0d0a1c04",
        pattern="title: x",
        pattern_type="sigma",
        valid_from="2026-01-01T00:00:00Z",
    )
    add_objects(intel, ana, "more", [newer, sigma])
    report = correlate_observations(intel, ana, observations)
    assert report.indicators == 3
    [hit] = report.hits
    assert (hit.name, hit.collection) == ("Industroyer C2, renamed", "more")
    assert [t.name for t in hit.indicates] == ["Industroyer"]  # the relationship is in another collection
    assert [ident for ident, _ in report.skipped] == [sigma["id"]]
    only = correlate_observations(intel, ana, observations, collection="intel", record=False)
    assert only.indicators == 2 and only.hits[0].name == "Industroyer C2"
    cai = as_user(intel, "cai")  # reads 'intel' but may not add to it: recording there is refused up front
    with pytest.raises(AccessDenied):
        correlate_observations(intel, cai, observations, collection="intel")
    assert correlate_observations(intel, cai, observations, collection="intel", record=False).hits
