"""Workshop assignment: an optimum, not a greedy pass; constraints always hold; impossible cases are refused."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from kizashi.errors import InputError
from kizashi.know.assign import assign
from kizashi.retrieval import Proposal


def proposal(need: str, seed: str, score: float) -> Proposal:
    return Proposal(need, seed, 1, score, {})


def test_the_optimum_serves_a_need_a_greedy_pass_would_starve() -> None:
    # Greedy gives s1 to A (0.9) and leaves B with nothing; the optimum gives A s2 and B s1.
    results = {
        "A": [proposal("A", "s1", 0.9), proposal("A", "s2", 0.8)],
        "B": [proposal("B", "s1", 0.85)],
    }
    chosen = {(p.need_id, p.seed_id) for p in assign(results, per_seed=1)}
    assert chosen == {("A", "s2"), ("B", "s1")}


def test_impossible_assignments_are_refused() -> None:
    results = {"A": [proposal("A", "s1", 0.9)], "B": [proposal("B", "s1", 0.8)]}
    with pytest.raises(InputError, match="per-seed"):
        assign(results, per_seed=1)
    assert len(assign(results, per_seed=2)) == 2
    with pytest.raises(InputError, match="no seed was proposed for C"):
        assign({**results, "C": []}, per_seed=2)


@settings(max_examples=40, deadline=None)
@given(
    scores=st.dictionaries(
        st.tuples(st.sampled_from("ABCD"), st.sampled_from(["s1", "s2", "s3", "s4", "s5"])),
        st.floats(0.01, 1.0),
        min_size=1,
    ),
    per_seed=st.integers(1, 3),
    per_need=st.none() | st.integers(1, 3),
)
def test_constraints_hold_and_no_single_swap_improves(
    scores: dict[tuple[str, str], float], per_seed: int, per_need: int | None
) -> None:
    results: dict[str, list[Proposal]] = {}
    for (need, seed), score in sorted(scores.items()):
        results.setdefault(need, []).append(proposal(need, seed, score))
    try:
        chosen = assign(results, per_seed=per_seed, per_need=per_need)
    except InputError:
        return  # infeasible instances are refused, which the cases above test
    for need in results:
        count = sum(p.need_id == need for p in chosen)
        assert count >= 1 and (per_need is None or count <= per_need)
    for seed in {p.seed_id for p in chosen}:
        assert sum(p.seed_id == seed for p in chosen) <= per_seed
    # Optimal: adding any unchosen proposal would break a constraint (scores are positive).
    for need, proposals in results.items():
        for extra in proposals:
            if extra in chosen:
                continue
            seed_full = sum(p.seed_id == extra.seed_id for p in chosen) >= per_seed
            need_full = per_need is not None and sum(p.need_id == need for p in chosen) >= per_need
            assert seed_full or need_full
