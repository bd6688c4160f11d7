"""Kleinberg's two-state burst detection: known answers, the Viterbi path against brute force, formatting."""

from __future__ import annotations

import itertools
import math

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from kizashi.know.landscape.bursts import burst_years, bursts


def _path_cost(states: tuple[int, ...], counts: list[int], totals: list[int], s: float, gamma: float) -> float:
    """Kleinberg's cost of one state sequence, written out independently of the module."""
    p0 = sum(counts) / sum(totals)
    rates = (p0, min(s * p0, 1 - 1e-9))
    up = gamma * math.log(len(counts)) if len(counts) > 1 else 0.0
    cost, previous = 0.0, 0
    for state, r, d in zip(states, counts, totals, strict=True):
        if state > previous:
            cost += up
        p = rates[state]
        cost -= (r * math.log(p) if r else 0.0) + ((d - r) * math.log(1 - p) if d - r else 0.0)
        previous = state
    return cost


def _states(intervals: list[tuple[int, int]], n: int) -> tuple[int, ...]:
    on = [0] * n
    for first, last in intervals:
        for i in range(first, last + 1):
            on[i] = 1
    return tuple(on)


def test_a_planted_burst_is_found() -> None:
    counts = [2, 2, 3, 2, 20, 25, 22, 2, 3, 2]
    assert bursts(counts, [100] * 10) == [(4, 6)]


def test_two_bursts_and_their_years() -> None:
    counts = [2, 20, 22, 2, 2, 3, 2, 2, 25, 2]
    years = list(range(2015, 2025))
    assert bursts(counts, [100] * 10) == [(1, 2), (8, 8)]
    assert burst_years(years, counts, [100] * 10) == "2016-2017;2023"


def test_a_steady_rate_has_no_burst() -> None:
    # The same share every year, whatever the totals: nothing rises above the base rate.
    totals = [50, 80, 120, 200, 300, 500]
    assert bursts([t // 10 for t in totals], totals) == []
    assert burst_years(list(range(2000, 2006)), [t // 10 for t in totals], totals) == ""


def test_growth_in_share_not_in_count_makes_the_burst() -> None:
    # Counts rise only as fast as the corpus: no burst. The same counts in a flat corpus: a burst at the end.
    counts = [5, 10, 20, 40, 80]
    assert bursts(counts, [c * 10 for c in counts]) == []
    assert bursts(counts, [400] * 5) != []


@pytest.mark.parametrize(
    ("counts", "totals"),
    [([], []), ([0, 0, 0], [10, 10, 10]), ([0, 0], [0, 0]), ([5, 5], [5, 5])],
)
def test_nothing_to_detect(counts: list[int], totals: list[int]) -> None:
    assert bursts(counts, totals) == []


def test_a_higher_cost_of_entering_a_burst_keeps_only_the_strong_one() -> None:
    counts = [2, 2, 15, 2, 2, 2, 30, 30, 2, 2]
    loose, strict = bursts(counts, [100] * 10, gamma=0.1), bursts(counts, [100] * 10, gamma=3.0)
    assert (2, 2) in loose and (6, 7) in loose
    assert strict == [(6, 7)]


def test_years_without_works_neither_start_nor_end_a_burst() -> None:
    assert bursts([1, 1, 20, 0, 20, 1], [100, 100, 100, 0, 100, 100]) == [(2, 4)]


@pytest.mark.parametrize(
    ("counts", "totals", "options"),
    [([1, 2], [1], {}), ([3], [2], {}), ([-1], [2], {}), ([1], [2], {"s": 0.0}), ([1], [2], {"gamma": -1.0})],
)
def test_bad_input_is_refused(counts: list[int], totals: list[int], options: dict[str, float]) -> None:
    with pytest.raises(ValueError):
        bursts(counts, totals, **options)


def test_years_must_match_counts() -> None:
    with pytest.raises(ValueError):
        burst_years([2020], [1, 2], [3, 4])


@st.composite
def _streams(draw: st.DrawFn) -> tuple[list[int], list[int]]:
    n = draw(st.integers(1, 8))
    totals = draw(st.lists(st.integers(0, 60), min_size=n, max_size=n))
    counts = [draw(st.integers(0, d)) for d in totals]
    return counts, totals


@settings(max_examples=150, deadline=None)
@given(_streams(), st.sampled_from([1.5, 2.0, 3.0]), st.sampled_from([0.0, 0.5, 1.0, 2.0]))
def test_the_path_is_the_cheapest_of_all(stream: tuple[list[int], list[int]], s: float, gamma: float) -> None:
    counts, totals = stream
    found = bursts(counts, totals, s=s, gamma=gamma)
    if sum(totals) == 0 or sum(counts) == 0 or sum(counts) == sum(totals):
        assert found == []
        return
    n = len(counts)
    chosen = _path_cost(_states(found, n), counts, totals, s, gamma)
    best = min(_path_cost(path, counts, totals, s, gamma) for path in itertools.product((0, 1), repeat=n))
    assert chosen == pytest.approx(best, rel=1e-9, abs=1e-9)


@settings(max_examples=150, deadline=None)
@given(_streams())
def test_intervals_are_ordered_disjoint_and_within_range(stream: tuple[list[int], list[int]]) -> None:
    counts, totals = stream
    found = bursts(counts, totals)
    for first, last in found:
        assert 0 <= first <= last < len(counts)
    for (_, last), (first, _) in itertools.pairwise(found):
        assert first > last + 1  # adjacent runs would be one burst


@settings(max_examples=150, deadline=None)
@given(_streams())
def test_raising_gamma_never_adds_bursts(stream: tuple[list[int], list[int]]) -> None:
    # The optimum at a higher entry cost enters the burst state at most as often (an exchange argument).
    counts, totals = stream
    assert len(bursts(counts, totals, gamma=2.0)) <= len(bursts(counts, totals, gamma=0.5))
