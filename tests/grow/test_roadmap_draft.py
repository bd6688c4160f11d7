"""`draft_roadmap` on both backends: a valid roadmap from the evidence the actor may read, every item with its
source, the chain need → technology → programme → use, nothing of what the actor may not read, a valid minimal
draft when nothing is found, a hidden technology refused like a missing one, and the read audited."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from draft_fixtures import BOSS, SECRET_TITLE, build, reader
from hypothesis import given
from hypothesis import strategies as st

from kizashi.errors import InputError, NotFound
from kizashi.grow.roadmap_checks import errors_in, validate
from kizashi.grow.roadmap_draft import (
    draft_header,
    draft_roadmap,
    month_after,
    months_for,
    next_april,
    roadmap_yaml,
)
from kizashi.grow.roadmap_model import Roadmap, months_inclusive, read_roadmap
from kizashi.store import audit
from kizashi.store.workspace import Workspace


@pytest.fixture
def drafted(workspace: Workspace, tmp_path: Path) -> tuple[Workspace, dict[str, int]]:
    return workspace, build(workspace, tmp_path)


def _by_id(roadmap: Roadmap) -> dict[str, object]:
    return {item.id: item for item in roadmap.items}


def test_the_draft_validates_chains_the_lanes_and_says_where_each_item_came_from(
    drafted: tuple[Workspace, dict[str, int]], tmp_path: Path
) -> None:
    workspace, ids = drafted
    roadmap = draft_roadmap(workspace, reader("PUBLIC"), "flood", start="2027-04")
    assert not errors_in(validate(roadmap)), validate(roadmap)
    written = tmp_path / "draft.yaml"
    written.write_text(roadmap_yaml(roadmap), encoding="utf-8")
    again = read_roadmap(written)
    assert not errors_in(validate(again)) and not again.ignored
    assert [item.source for item in again.items] == [item.source for item in roadmap.items]
    assert all(item.source for item in roadmap.items)
    lanes = {item.lane for item in roadmap.items}
    assert lanes == {"need", "capability", "technology", "programme", "barrier"}
    items = {item.id: item for item in roadmap.items}
    # the matched need, with the run and the seed it was matched to, and its owner (the ministry)
    assert items["N1"].title_en == "Forecast river floods six hours ahead" and items["N1"].owner == "国土交通省"
    assert items["N1"].source == ["need:n1", f"match-run:{ids['run']}", "seed:s1"]
    assert "need:n2" not in str(roadmap.model_dump())  # about malware: not this technology's
    # one technology item per seed cluster: the sub-technology (its seed's TRL) and the technology itself (its
    # latest assessment before its seeds' TRL), each to TRL 6 over the documented duration
    technology = [item for item in roadmap.items if item.lane == "technology"]
    by_cluster = {next(s for s in item.source or [] if s.startswith("technology:")): item for item in technology}
    sensor, itself = by_cluster["technology:flood-sensor"], by_cluster["technology:flood"]
    assert sensor.trl is not None and (sensor.trl.from_, sensor.trl.to) == (4, 6) and "seed:s1" in (sensor.source or [])
    assert itself.trl is not None and (itself.trl.from_, itself.trl.to) == (3, 6)
    assert f"trl:{ids['trl']}" in (itself.source or []) and "seed:s2" in (itself.source or [])
    assert months_inclusive(itself.start, itself.end) == months_for(3, 6)
    assert itself.title_ja and itself.title_ja.startswith("洪水予測") and itself.title_en == "Flood forecasting"
    assert sensor.depends_on == ["N1"]  # matched to n1 in the run
    programme = items["P1"]
    assert set(programme.depends_on) == {item.id for item in technology}
    assert programme.trl is not None and (programme.trl.from_, programme.trl.to) == (6, 9)
    use = next(item for item in roadmap.items if item.lane == "capability")
    assert use.source == ["goal:g-flood", "threat:t-flood"] and "P1" in use.depends_on
    assert use.title_ja == "河川の氾濫を 6 時間前に予測する" and use.end == "2034-03"  # the goal's target date
    barrier = next(item for item in roadmap.items if item.lane == "barrier")
    assert (barrier.kind, barrier.owner, barrier.source) == ("regulation", "気象庁", ["barrier:b-law"])
    assert barrier.id in use.depends_on and len([i for i in roadmap.items if i.lane == "barrier"]) == 1
    assert roadmap.goal == "g-flood" and roadmap.label == "PUBLIC" and roadmap.title_ja and roadmap.title_en


def test_a_seed_the_actor_cannot_read_contributes_nothing(drafted: tuple[Workspace, dict[str, int]]) -> None:
    workspace, _ = drafted
    low = draft_roadmap(workspace, reader("PUBLIC"), "flood", start="2027-04")
    text = roadmap_yaml(low, [m.said("en") for m in draft_header(low, "flood")])
    assert "s3" not in text and SECRET_TITLE not in text and "Agency C" not in text
    itself = next(i for i in low.items if "technology:flood" in (i.source or []))
    assert itself.trl is not None and itself.trl.from_ == 3  # not the SECRET seed's TRL 8
    high = draft_roadmap(workspace, reader("SECRET"), "flood", start="2027-04")
    assert "seed:s3" in roadmap_yaml(high) and high.label == "SECRET"  # it counts for who may read it
    assert not errors_in(validate(high))


def test_with_nothing_found_the_draft_is_still_valid_and_says_so(drafted: tuple[Workspace, dict[str, int]]) -> None:
    workspace, _ = drafted
    roadmap = draft_roadmap(workspace, reader("PUBLIC"), "lonely", start="2027-04")
    assert not errors_in(validate(roadmap))
    assert all(item.source for item in roadmap.items)
    need = _by_id(roadmap)["N1"]
    assert "rule:no-need-found" in (need.source or [])  # type: ignore[attr-defined]
    assert need.title_ja and need.title_en  # type: ignore[attr-defined]
    technology = _by_id(roadmap)["T1"]
    assert "rule:trl-assumed-3" in (technology.source or [])  # type: ignore[attr-defined]
    header = [line.said("ja") for line in draft_header(roadmap, "lonely")]
    assert any("見つかったものはありません" in line for line in header)
    assert [i.lane for i in roadmap.items] == ["need", "capability", "technology", "programme"]


def test_a_hidden_technology_is_refused_like_a_missing_one_and_audited(
    drafted: tuple[Workspace, dict[str, int]],
) -> None:
    workspace, _ = drafted
    with pytest.raises(NotFound) as hidden:
        draft_roadmap(workspace, reader("PUBLIC"), "hidden")
    with pytest.raises(NotFound) as missing:
        draft_roadmap(workspace, reader("PUBLIC"), "nowhere")
    assert str(hidden.value).replace("hidden", "X") == str(missing.value).replace("nowhere", "X")
    denied = [e for e in audit.iter_events(workspace) if e["action"] == "denied"]
    assert [e["detail"]["service"] for e in denied] == ["roadmap.draft", "roadmap.draft"]
    assert draft_roadmap(workspace, BOSS, "hidden", start="2027-04").label == "SECRET"


def test_the_draft_is_audited_as_a_read_naming_what_it_drew_on(drafted: tuple[Workspace, dict[str, int]]) -> None:
    workspace, ids = drafted
    draft_roadmap(workspace, reader("PUBLIC"), "flood", start="2027-04")
    event = [e for e in audit.iter_events(workspace) if e["action"] == "read"][-1]
    assert event["detail"]["service"] == "roadmap draft" and event["detail"]["match_run"] == ids["run"]
    assert {"flood", "n1", "s1", "s2", "t-flood", "g-flood", "b-law"} <= set(event["records"])
    assert "s3" not in event["records"] and "n2" not in event["records"]


def test_dates_start_in_april_by_default() -> None:
    assert next_april(date(2026, 12, 7)) == "2027-04"
    assert next_april(date(2027, 3, 31)) == "2027-04"
    assert next_april(date(2027, 4, 1)) == "2028-04"
    assert month_after("2027-04", 12) == "2028-04" and month_after("2027-12", 1) == "2028-01"
    assert months_for(6, 6) == 6 and months_for(3, 6) == 24


@given(st.integers(1900, 2200), st.integers(1, 12), st.integers(0, 400))
def test_month_after_counts_whole_months(year: int, month: int, months: int) -> None:
    first = f"{year:04d}-{month:02d}"
    later = month_after(first, months)
    assert months_inclusive(first, later) == months + 1 and later[5:7] in {f"{m:02d}" for m in range(1, 13)}


@given(st.integers(1, 9), st.integers(1, 9))
def test_durations_follow_the_documented_rule(start: int, gained: int) -> None:
    months = months_for(start, max(start, gained))
    assert months == max(6, 8 * (max(start, gained) - start))


def test_a_start_that_is_not_a_month_is_refused(drafted: tuple[Workspace, dict[str, int]]) -> None:
    workspace, _ = drafted
    with pytest.raises(InputError) as refused:
        draft_roadmap(workspace, reader("PUBLIC"), "flood", start="2027-4")
    assert refused.value.location.field == "start" and "2027-4" in str(refused.value)
    roadmap = draft_roadmap(workspace, reader("PUBLIC"), "flood")
    assert roadmap.items[0].start == next_april(date.today())
