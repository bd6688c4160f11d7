"""The cache of built matchers: shared by readers of the same records, rebuilt when they change, and never handing a
reader an index built from records above them (random labels × random readers, on both backends)."""

from __future__ import annotations

import itertools
import json
import threading
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from kizashi.ingest.dispatch import ingest
from kizashi.know.seed_index import IndexCache, SeedIndex, fingerprint, readable_fingerprint, seed_index
from kizashi.policy import LEVELS, Clearance, Label, can_read
from kizashi.protect.people import actor_for as as_user
from kizashi.retrieval import Statement
from kizashi.store.records import iter_records
from kizashi.store.workspace import Workspace

COMPARTMENTS = ["alpha", "beta", "防衛"]
# Every seed shares the need's words, so a matcher proposes every seed it holds: what it holds is what it shows.
NEED = Statement("n", "drone detection sensor", "sensors that detect drones")
EXAMPLES = itertools.count(1)


def write_seeds(workspace: Workspace, folder: Path, labels: list[tuple[str, list[str]]], prefix: str) -> None:
    path = folder / f"{prefix}.jsonl"
    with path.open("w", encoding="utf-8") as handle:
        for number, (level, compartments) in enumerate(labels):
            record = {
                "id": f"{prefix}-{number:02d}",
                "title": f"drone detection sensor {prefix} {number}",
                "description": "a sensor that detects drones",
                "label": level,
                "compartments": compartments,
            }
            handle.write(json.dumps(record, ensure_ascii=False) + "\n")
    ingest(workspace, as_user(workspace, "tests"), "seeds", [path])


def clear_seeds(workspace: Workspace) -> None:
    with workspace.engine.begin() as connection:
        connection.exec_driver_sql("DELETE FROM seeds")


def test_readers_of_the_same_records_share_one_index_and_an_import_rebuilds_it(
    workspace: Workspace, tmp_path: Path
) -> None:
    cache = IndexCache(("seeds",), seed_index)
    write_seeds(workspace, tmp_path, [("PUBLIC", []), ("CONFIDENTIAL", ["alpha"]), ("SECRET", [])], "a")
    ana, ben = (
        Clearance("ana", "CONFIDENTIAL", frozenset({"alpha"})),
        Clearance("ben", "CONFIDENTIAL", frozenset({"alpha"})),
    )
    first = cache.get(workspace, ana)
    assert cache.get(workspace, ben) is first and cache.builds == 1
    assert sorted(first.seeds) == ["a-00", "a-01"]
    # Another clearance that reads the same records shares it too: the key is what is read, not who reads.
    assert cache.get(workspace, Clearance("cleo", "SECRET", frozenset({"beta"}))) is not first  # reads a-02 too
    assert cache.get(workspace, Clearance("dan", "CONFIDENTIAL", frozenset({"alpha", "beta"}))) is first
    builds = cache.builds

    write_seeds(workspace, tmp_path, [("PUBLIC", [])], "b")  # a new readable seed
    second = cache.get(workspace, ana)
    assert second is not first and "b-00" in second.seeds and cache.builds == builds + 1
    # An import of records ana may not read changes nothing she could see: her index stays.
    write_seeds(workspace, tmp_path, [("SECRET", ["beta"])], "c")
    assert cache.get(workspace, ana) is second

    # A relabelled seed (re-imported with another label) is a new version: rebuilt, and gone for ana.
    write_seeds(workspace, tmp_path, [("SECRET", [])], "b")
    third = cache.get(workspace, ana)
    assert third is not second and "b-00" not in third.seeds


def test_the_cache_keeps_only_the_most_recently_used(workspace: Workspace, tmp_path: Path) -> None:
    cache = IndexCache(("seeds",), seed_index, size=2)
    write_seeds(workspace, tmp_path, [(level, []) for level in LEVELS], "s")
    readers = [Clearance(level.lower(), level) for level in LEVELS]
    first = cache.get(workspace, readers[0])
    cache.get(workspace, readers[1])
    assert cache.get(workspace, readers[0]) is first  # used again: now the most recent
    cache.get(workspace, readers[2])  # evicts readers[1]'s
    assert len(cache) == 2 and cache.builds == 3
    assert cache.get(workspace, readers[0]) is first and cache.builds == 3
    cache.get(workspace, readers[1])
    assert cache.builds == 4


def test_concurrent_readers_wait_for_one_build(workspace: Workspace, tmp_path: Path) -> None:
    write_seeds(workspace, tmp_path, [("PUBLIC", [])] * 5, "s")
    cache = IndexCache(("seeds",), seed_index)
    reader = Clearance("ana", "INTERNAL")
    found: list[SeedIndex] = []
    threads = [threading.Thread(target=lambda: found.append(cache.get(workspace, reader))) for _ in range(6)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len(found) == 6 and all(index is found[0] for index in found)
    assert cache.builds == 1


def test_while_nothing_is_written_a_page_does_not_fingerprint_again(workspace: Workspace, tmp_path: Path) -> None:
    write_seeds(workspace, tmp_path, [("PUBLIC", []), ("SECRET", [])], "s")
    cache = IndexCache(("seeds",), seed_index)
    ana, low = Clearance("ana", "CONFIDENTIAL"), Clearance("low", "PUBLIC")
    first = cache.get(workspace, ana)
    assert cache.get(workspace, ana) is first and cache.get(workspace, low) is first
    assert cache.fingerprints == 2  # once per clearance
    # Any write moves the tables' stamp: each clearance is fingerprinted again, and gets the index it reads now.
    write_seeds(workspace, tmp_path, [("SECRET", [])], "t")
    assert cache.get(workspace, low) is first and cache.fingerprints == 3
    assert "t-00" not in cache.get(workspace, ana).seeds and cache.builds == 1
    write_seeds(workspace, tmp_path, [("INTERNAL", [])], "u")
    assert "u-00" in cache.get(workspace, ana).seeds and cache.get(workspace, low) is first


def test_the_fingerprint_of_the_stamps_is_the_fingerprint_of_the_rows(workspace: Workspace, tmp_path: Path) -> None:
    write_seeds(workspace, tmp_path, [("PUBLIC", []), ("SECRET", ["alpha"])], "s")
    reader = Clearance("ana", "INTERNAL")
    rows = {"seeds": list(iter_records(workspace, "seeds", reader))}
    assert readable_fingerprint(workspace, reader, ["seeds"]) == fingerprint(rows)
    assert readable_fingerprint(workspace, Clearance.everything("t"), ["seeds"]) != fingerprint(rows)


def test_an_empty_readable_set_proposes_nothing(workspace: Workspace, tmp_path: Path) -> None:
    write_seeds(workspace, tmp_path, [("SECRET", [])], "s")
    index = IndexCache(("seeds",), seed_index).get(workspace, Clearance("low", "PUBLIC"))
    assert index.seeds == {} and index.propose(NEED, 10) == [] and index.propose(NEED, 10, cross_domain=True) == []


LABEL = st.tuples(st.sampled_from(LEVELS), st.lists(st.sampled_from(COMPARTMENTS), max_size=2, unique=True))
READER = st.tuples(st.sampled_from(LEVELS), st.frozensets(st.sampled_from(COMPARTMENTS), max_size=3))


@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    labels=st.lists(LABEL, min_size=1, max_size=8),
    readers=st.lists(READER, min_size=2, max_size=6),
    size=st.integers(1, 3),
)
def test_no_reader_ever_gets_proposals_from_an_index_built_for_more(
    workspace: Workspace,
    tmp_path_factory: pytest.TempPathFactory,
    labels: list[tuple[str, list[str]]],
    readers: list[tuple[str, frozenset[str]]],
    size: int,
) -> None:
    clear_seeds(workspace)
    prefix = f"e{next(EXAMPLES)}"
    write_seeds(workspace, tmp_path_factory.mktemp("seeds"), labels, prefix)
    written = {f"{prefix}-{n:02d}": Label(level, frozenset(c)) for n, (level, c) in enumerate(labels)}
    cache = IndexCache(("seeds",), seed_index, size=size)
    # Highest first and then again in the drawn order: a lower reader always comes after a higher one's build.
    order = sorted(readers, key=lambda r: -LEVELS.index(r[0])) + readers
    for number, (level, held) in enumerate(order):
        reader = Clearance(f"r{number}", level, held)
        visible = sorted(rid for rid, label in written.items() if can_read(reader, label))
        index = cache.get(workspace, reader)
        assert sorted(index.seeds) == visible
        proposed = [p.seed_id for p in index.propose(NEED, len(written))]
        assert sorted(proposed) == visible  # every seed shares the need's words
        crossed = [p.seed_id for p in index.propose(NEED, len(written), cross_domain=True)]
        assert set(crossed) <= set(visible)
        shown = index.label(Label("PUBLIC"), index.propose(NEED, len(written)))
        assert shown.level == Label.highest(written[rid] for rid in visible).level
