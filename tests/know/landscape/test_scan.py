"""`kizashi scan` end to end on planted works: counts and shares against a count made here from the works
themselves, the monopoly rule, Japan's row, emergence of the planted trends, fronts, the access policy, as-of."""

from __future__ import annotations

from collections import defaultdict
from datetime import date
from pathlib import Path
from typing import Any

import pytest

from kizashi.cli.acting import actor_of
from kizashi.errors import InputError
from kizashi.ingest.taxonomy import ancestors, parent_map
from kizashi.know.landscape.planted import Planted, PlantedSpec, generate, write_jsonl, write_taxonomy_yaml
from kizashi.know.landscape.service import ScanRequest, scan
from kizashi.store.workspace import Workspace

SPEC = PlantedSpec(works=2_500, seed=11)


@pytest.fixture(scope="module")
def planted(tmp_path_factory: pytest.TempPathFactory) -> tuple[Planted, list[dict[str, Any]], Path, Path]:
    folder = tmp_path_factory.mktemp("planted")
    plan, works = generate(SPEC)
    works = list(works)
    write_jsonl(folder / "works.jsonl", works)
    write_taxonomy_yaml(folder / "taxonomy.yaml", plan)
    return plan, works, folder / "works.jsonl", folder / "taxonomy.yaml"


@pytest.fixture
def loaded(workspace: Workspace, cli: Any, planted: tuple[Planted, list[dict[str, Any]], Path, Path]) -> Workspace:
    _, _, works, taxonomy = planted
    assert cli("ingest", "technologies", taxonomy).code == 0
    assert cli("ingest", "works", works).code == 0
    return workspace


def _countries(work: dict[str, Any]) -> set[str]:
    found = set()
    for authorship in work.get("authorships") or []:
        found.update(code.upper() for code in authorship.get("countries") or [])
        found.update(i["country_code"].upper() for i in authorship.get("institutions") or [] if i.get("country_code"))
    return found


def _technologies(plan: Planted, index: int) -> set[str]:
    leaves = plan.leaves
    parents = parent_map(plan.taxonomy)
    found: set[str] = set()
    for which in (plan.truth.technology[index], plan.truth.second[index]):
        if which >= 0:
            found.add(leaves[which])
            found.update(ancestors(parents, leaves[which]))
    return found


def test_country_counts_equal_a_count_made_from_the_works(
    loaded: Workspace, planted: tuple[Planted, list[dict[str, Any]], Path, Path]
) -> None:
    plan, works, _, _ = planted
    result = scan(loaded, actor_of(loaded), ScanRequest(fronts=False))
    whole: dict[tuple[str, str], int] = defaultdict(int)
    fractional: dict[tuple[str, str], float] = defaultdict(float)
    for index, work in enumerate(works):
        countries = _countries(work)
        for technology in _technologies(plan, index):
            for country in countries:
                whole[technology, country] += 1
                fractional[technology, country] += 1 / len(countries)
    rows = {(r["technology"], r["country"]): r for r in result.tables["countries"]}
    for key, count in whole.items():
        assert rows[key]["works"] == count, key
        assert rows[key]["works_fractional"] == pytest.approx(fractional[key], abs=1e-6)
    by_technology: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for row in result.tables["countries"]:
        by_technology[row["technology"]].append(row)
    for technology, items in by_technology.items():
        assert any(row["country"] == "JP" for row in items), technology  # Japan's row is always written
        assert sum(row["share"] for row in items) == pytest.approx(1.0, abs=1e-6)
        ranks = sorted(row["rank"] for row in items if row["works"])
        assert ranks == list(range(1, len(ranks) + 1))


def test_the_planted_monopoly_and_japans_lead_are_found(
    loaded: Workspace, planted: tuple[Planted, list[dict[str, Any]], Path, Path]
) -> None:
    plan = planted[0]
    result = scan(loaded, actor_of(loaded), ScanRequest(fronts=False))
    lead = {r["technology"]: r for r in result.tables["countries"] if r["rank"] == 1}
    for technology, country in plan.dominated.items():
        assert lead[technology]["country"] == country
        assert lead[technology]["monopoly_risk"] == "high"
        assert lead[technology]["lead_ratio"] >= 3
        assert lead[technology]["top10_institutions"] >= 8
    assert plan.japan_leads is not None
    assert lead[plan.japan_leads]["country"] == "JP"
    flat = [lead[t]["monopoly_risk"] for t in plan.flat]
    assert "high" not in flat


def test_trends_count_every_tagged_work_per_year(
    loaded: Workspace, planted: tuple[Planted, list[dict[str, Any]], Path, Path]
) -> None:
    plan, works, _, _ = planted
    result = scan(loaded, actor_of(loaded), ScanRequest(fronts=False))
    expected: dict[tuple[str, int], int] = defaultdict(int)
    per_year: dict[int, int] = defaultdict(int)
    for index, work in enumerate(works):
        per_year[work["publication_year"]] += 1
        for technology in _technologies(plan, index):
            expected[technology, work["publication_year"]] += 1
    got = {(r["technology"], r["year"]): r for r in result.tables["trends"]}
    assert {key: row["works"] for key, row in got.items()} == dict(expected)
    for (_, year), row in got.items():
        assert row["share"] == pytest.approx(row["works"] / per_year[year], abs=1e-9)
        assert 0 <= row["top10_works"] <= row["works"]


def test_planted_rising_technologies_are_emerging_and_flat_or_falling_ones_are_not(
    loaded: Workspace, planted: tuple[Planted, list[dict[str, Any]], Path, Path]
) -> None:
    plan = planted[0]
    result = scan(loaded, actor_of(loaded), ScanRequest(fronts=False))
    emerging = {r["technology"]: r["emerging"] for r in result.tables["emergence"]}
    assert all(emerging[t] for t in plan.rising)
    assert not any(emerging[t] for t in plan.flat + plan.falling)
    score = {r["technology"]: r["emergence_score"] for r in result.tables["emergence"]}
    assert min(score[t] for t in plan.rising) > max(score[t] for t in plan.flat + plan.falling)


def test_as_of_uses_only_what_was_known_then(loaded: Workspace) -> None:
    actor = actor_of(loaded)
    result = scan(loaded, actor, ScanRequest(as_of=date(2019, 12, 31), fronts=False))
    assert max(r["year"] for r in result.tables["trends"]) == 2019
    later = scan(loaded, actor, ScanRequest(year_to=2019, fronts=False))
    # The same works, but citations counted to 2019 only: never more top-cited works in a year than then.
    assert {(r["technology"], r["year"]): r["works"] for r in result.tables["trends"]} == {
        (r["technology"], r["year"]): r["works"] for r in later.tables["trends"]
    }
    assert result.as_of == date(2019, 12, 31)


def test_bad_requests_are_refused_and_nothing_is_stored(loaded: Workspace, snapshot: Any) -> None:
    actor = actor_of(loaded)
    scan(loaded, actor, ScanRequest(fronts=False))  # the tags, a cache of the corpus, now exist
    before = snapshot(loaded)
    with pytest.raises(InputError, match="--from"):
        scan(loaded, actor, ScanRequest(year_from=2022, year_to=2020))
    with pytest.raises(InputError, match="no works in the window"):
        scan(loaded, actor, ScanRequest(year_from=1990, year_to=1995))
    after = snapshot(loaded)
    assert {k: v for k, v in after.items() if k != "audit_events"} == {
        k: v for k, v in before.items() if k != "audit_events"
    }


def test_a_scan_reads_only_what_its_user_may_read_and_carries_the_highest_label(
    loaded: Workspace, planted: tuple[Planted, list[dict[str, Any]], Path, Path]
) -> None:
    from sqlalchemy import update

    from kizashi.model import LandscapeScan, Technology, Work
    from kizashi.policy import Actor, Clearance
    from kizashi.store.readable import select_trusted

    _, works, _, _ = planted
    hidden = [f"openalex:{work['id'].rpartition('/')[2]}" for work in works[:400]]
    with loaded.session() as session:
        session.execute(update(Work).where(Work.id.in_(hidden)).values(level="CONFIDENTIAL"))
        session.execute(update(Work).where(Work.id.notin_(hidden)).values(level="PUBLIC"))
        session.execute(update(Technology).values(level="PUBLIC"))  # --public publishes its names too
    owner = actor_of(loaded)
    internal = Actor(Clearance("ana", "INTERNAL"), via="test")
    seen = scan(loaded, internal, ScanRequest(fronts=False))
    everything = scan(loaded, owner, ScanRequest(fronts=False))
    public = scan(loaded, owner, ScanRequest(fronts=False, public=True))
    assert seen.works == everything.works - 400 == public.works
    assert everything.label == "CONFIDENTIAL"
    assert seen.label != "CONFIDENTIAL" and public.label == "PUBLIC"
    # No front, count or share of a hidden work in what the INTERNAL reader got.
    assert sum(r["works"] for r in seen.tables["trends"]) < sum(r["works"] for r in everything.tables["trends"])
    # The stored scans keep their labels: the INTERNAL reader cannot read the CONFIDENTIAL one.
    with loaded.session() as session:
        levels = dict(session.execute(select_trusted(LandscapeScan.id, LandscapeScan.level, why="test")).all())
    assert levels[everything.scan_id] == "CONFIDENTIAL" and levels[public.scan_id] == "PUBLIC"
    from kizashi.know.landscape.stored import latest_public_scan, latest_scan

    assert latest_scan(loaded, internal).id == public.scan_id  # the newest it may read
    assert latest_public_scan(loaded).id == public.scan_id
