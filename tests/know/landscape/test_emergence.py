"""Emergence: naive growth, the shrunk Poisson trend, the score and the `emerging` rule on planted series."""

from __future__ import annotations

import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from kizashi.know.landscape import emergence
from kizashi.know.landscape.emergence import (
    EMERGING_MIN_PERSISTENCE,
    EMERGING_MIN_RECENT_WORKS,
    Emergence,
    Series,
    growth,
    score,
    score_all,
    trend,
)
from kizashi.know.landscape.tables import COLUMNS

YEARS = tuple(range(2010, 2022))


def _series(
    name: str, works: list[int], totals: list[int], *, first_year: int | None = None, people: int = 3
) -> Series:
    years = tuple(range(YEARS[-1] - len(works) + 1, YEARS[-1] + 1))
    first = first_year if first_year is not None else next((y for y, n in zip(years, works, strict=True) if n), None)
    return Series(name, years, tuple(works), tuple(totals), tuple(people if n else 0 for n in works), first)


def _planted() -> dict[str, Series]:
    """A corpus growing 5 % a year; shares as the repository's planted generator draws them: a rising technology's
    share × 1.4 a year over the last five years, a falling one's × 0.8, a flat one's kept."""
    totals = [round(2000 * 1.05**i) for i in range(len(YEARS))]
    steps = [max(0, i - (len(YEARS) - 1 - 5)) for i in range(len(YEARS))]
    shares = {
        "rising": [0.02 * 1.4**k for k in steps],
        "flat": [0.05] * len(YEARS),
        "falling": [0.07 * 0.8**k for k in steps],
        "flat-small": [0.01] * len(YEARS),
    }
    return {
        name: _series(name, [round(t * s) for t, s in zip(totals, share, strict=True)], totals)
        for name, share in shares.items()
    }


# ── growth ──────────────────────────────────────────────────────────────────────────────────────────────


def test_growth_over_five_years() -> None:
    assert growth([10, 1, 1, 1, 1, 20]) == pytest.approx((20.5 / 10.5) ** 0.2 - 1)
    assert growth([99, 10, 1, 1, 1, 1, 20]) == pytest.approx((20.5 / 10.5) ** 0.2 - 1)  # only the last six years


def test_growth_from_nothing_is_finite() -> None:
    assert growth([0, 0, 0, 0, 0, 3]) == pytest.approx(7**0.2 - 1)
    assert growth([0, 0, 0, 0, 0, 0]) == 0.0


def test_a_short_window_uses_what_there_is() -> None:
    assert growth([4, 9]) == pytest.approx(9.5 / 4.5 - 1)
    assert growth([4, 0, 9]) == pytest.approx((9.5 / 4.5) ** 0.5 - 1)
    assert growth([7]) is None
    assert growth([]) is None


# ── trend ───────────────────────────────────────────────────────────────────────────────────────────────


def test_trend_recovers_a_planted_growth_of_share() -> None:
    x = np.arange(10)
    totals = 1_000_000 * 1.1**x  # the corpus grows too: the trend is the share's
    works = np.round(totals * 0.001 * np.exp(0.3 * x))
    b, se = trend(works, totals)
    assert b[0] == pytest.approx(0.3, abs=0.005)
    assert se[0] < 0.01


def test_trend_does_not_depend_on_the_scale_of_the_totals() -> None:
    works = np.array([[3, 5, 4, 9, 12, 15]])
    totals = np.array([100, 120, 130, 150, 160, 170])
    assert trend(works, totals)[0] == pytest.approx(trend(works, totals * 7)[0], abs=1e-9)


def test_a_steady_share_has_no_trend() -> None:
    totals = np.array([100, 200, 400, 800, 1600])
    b, _ = trend(totals // 10, totals)
    assert b[0] == pytest.approx(0.0, abs=1e-9)


def test_few_works_are_shrunk_towards_no_change() -> None:
    works, totals = np.array([1, 0, 2, 3, 4]), np.full(5, 500)
    loose, _ = trend(works, totals, prior_sd=100.0)
    tight, _ = trend(works, totals, prior_sd=0.1)
    assert 0 < tight[0] < loose[0]


def test_no_works_no_trend() -> None:
    b, se = trend(np.zeros((2, 6)), np.full(6, 100), prior_sd=0.1)
    assert b.tolist() == [0.0, 0.0]
    assert se.tolist() == [0.1, 0.1]


def test_years_without_any_work_carry_no_information() -> None:
    totals = np.array([100, 100, 0, 100])
    assert trend(np.array([2, 4, 0, 8]), totals)[0][0] == trend(np.array([2, 4, 5, 8]), totals)[0][0]
    assert trend(np.array([2, 4, 0, 8]), totals)[0][0] > 0
    assert trend(np.array([0, 0, 0]), np.array([0, 0, 0]))[0][0] == 0.0


@settings(max_examples=100, deadline=None)
@given(st.lists(st.integers(0, 50), min_size=2, max_size=10), st.integers(60, 400))
def test_reversing_time_negates_the_trend(works: list[int], total: int) -> None:
    forward, _ = trend(np.array(works), np.full(len(works), total))
    backward, _ = trend(np.array(works[::-1]), np.full(len(works), total))
    assert forward[0] == pytest.approx(-backward[0], abs=1e-6)


# ── the score and the flag ──────────────────────────────────────────────────────────────────────────────


def test_planted_rising_technology_is_flagged_and_flat_or_falling_ones_are_not() -> None:
    found = {e.technology: e for e in score_all(list(_planted().values()), YEARS[-1])}
    assert found["rising"].emerging
    assert not found["flat"].emerging
    assert not found["falling"].emerging
    assert not found["flat-small"].emerging
    assert found["rising"].emergence_score > max(found[n].emergence_score for n in ("flat", "falling", "flat-small"))
    assert found["falling"].emergence_score < found["flat"].emergence_score
    assert found["rising"].growth is not None and found["rising"].growth > 0.3
    assert found["rising"].burst_years.endswith(str(YEARS[-1]))
    assert found["flat"].burst_years == ""


def test_a_slower_rise_in_a_small_corpus_is_still_flagged() -> None:
    # 300 works a year; the rising share × 1.25 a year over the last five years, from 3 %: 9 works a year → 27.
    totals = [300] * len(YEARS)
    steps = [max(0, i - (len(YEARS) - 1 - 5)) for i in range(len(YEARS))]
    rising = _series("rising", [round(300 * 0.03 * 1.25**k) for k in steps], totals)
    flat = _series("flat", [9] * len(YEARS), totals)
    found = score_all([rising, flat])
    assert found[0].emerging and not found[1].emerging
    assert found[0].emergence_score > found[1].emergence_score


def test_the_row_has_the_table_columns() -> None:
    row = score(_planted()["rising"]).row()
    assert tuple(row) == COLUMNS["emergence"]
    assert row["works"] == sum(_planted()["rising"].works)
    assert row["recent_works"] == sum(_planted()["rising"].works[-5:])


def test_a_young_technology_is_more_novel_than_an_old_one_of_the_same_size() -> None:
    totals = [1000] * 12
    old = _series("old", [5] * 12, totals)
    young = _series("young", [0] * 9 + [5, 5, 5], totals, first_year=2019)
    found = {e.technology: e for e in score_all([old, young])}
    assert found["young"].novelty > found["old"].novelty
    assert found["young"].emergence_score > found["old"].emergence_score


def test_a_rarer_technology_is_more_novel() -> None:
    totals = [1000] * 12
    found = score_all([_series("rare", [2] * 12, totals), _series("common", [200] * 12, totals)])
    assert found[0].novelty > found[1].novelty
    assert 0 <= found[1].novelty < found[0].novelty <= 1


def test_a_technology_without_works_is_novel_but_never_emerging() -> None:
    found = score(_series("none", [0] * 12, [1000] * 12))
    assert found.novelty == 1.0
    assert found.works == 0 and not found.emerging
    assert found.persistence == 0.0 and found.community is None


def test_persistence_counts_the_years_since_the_first_work() -> None:
    totals = [100] * 12
    assert score(_series("new", [0] * 10 + [3, 4], totals)).persistence == 1.0
    assert score(_series("patchy", [3] * 7 + [3, 0, 3, 0, 0], totals)).persistence == pytest.approx(0.4)


def test_community_unknown_without_institutions_and_a_gate_with_them() -> None:
    rising = _planted()["rising"]
    assert score(rising).community == pytest.approx(3 / 5)  # three institutions a year: at least three
    unknown = Series(rising.technology, rising.years, rising.works, rising.totals, (0,) * 12, rising.first_year)
    assert score(unknown).community is None
    assert score(unknown).emerging  # unknown is not a reason to refuse the flag
    one_group = Series(rising.technology, rising.years, rising.works, rising.totals, (1,) * 12, rising.first_year)
    assert not score(one_group).emerging  # Porter's community: one institution's jargon is not emergence


def test_too_few_works_are_never_emerging() -> None:
    totals = [10_000] * 12
    tiny = score(_series("tiny", [0] * 7 + [1, 1, 2, 2, 3], totals))
    assert tiny.recent_works < EMERGING_MIN_RECENT_WORKS
    assert not tiny.emerging


def test_end_year_cuts_the_window() -> None:
    rising = _planted()["rising"]
    cut = Series(
        rising.technology,
        rising.years[:8],
        rising.works[:8],
        rising.totals[:8],
        rising.contributors[:8],
        rising.first_year,
    )
    assert score(rising, end_year=rising.years[7]) == score(cut)


def test_series_of_different_lengths_share_one_window() -> None:
    planted = _planted()
    short = Series(
        "short", YEARS[-4:], planted["rising"].works[-4:], planted["rising"].totals[-4:], (3,) * 4, YEARS[-4]
    )
    both = score_all([planted["flat"], short])
    assert both[1] == score(short)
    assert both[0] == score(planted["flat"])


@pytest.mark.parametrize(
    "bad",
    [
        Series("gap", (2010, 2012), (1, 2), (5, 5), (1, 1), 2010),
        Series("short", (2010, 2011), (1,), (5, 5), (1, 1), 2010),
        Series("empty", (), (), (), (), None),
    ],
)
def test_malformed_series_are_refused(bad: Series) -> None:
    with pytest.raises(ValueError):
        score(bad)


def test_an_end_year_before_the_window_is_refused() -> None:
    with pytest.raises(ValueError):
        score(_planted()["flat"], end_year=1990)


def test_nothing_in_nothing_out() -> None:
    assert score_all([]) == []


# ── properties ──────────────────────────────────────────────────────────────────────────────────────────


@st.composite
def _batches(draw: st.DrawFn) -> list[Series]:
    n_years = draw(st.integers(1, 12))
    years = tuple(range(2030 - n_years, 2030))
    totals = draw(st.lists(st.integers(0, 300), min_size=n_years, max_size=n_years))
    batch = []
    for k in range(draw(st.integers(1, 4))):
        works = [draw(st.integers(0, t)) for t in totals]
        people = [draw(st.integers(0, 5)) if w else 0 for w in works]
        first = next((y for y, w in zip(years, works, strict=True) if w), None)
        if first is not None and draw(st.booleans()):
            first -= draw(st.integers(0, 20))  # works before the window
        batch.append(Series(f"t{k}", years, tuple(works), tuple(totals), tuple(people), first))
    return batch


@settings(max_examples=120, deadline=None)
@given(_batches())
def test_each_technology_is_scored_on_its_own(batch: list[Series]) -> None:
    together = score_all(batch)
    assert together == [score(one) for one in batch]
    assert score_all(batch[::-1]) == together[::-1]


@settings(max_examples=120, deadline=None)
@given(_batches())
def test_values_stay_in_their_ranges_and_the_flag_keeps_its_rule(batch: list[Series]) -> None:
    for one, found in zip(batch, score_all(batch), strict=True):
        assert isinstance(found, Emergence)
        assert math.isfinite(found.emergence_score)
        assert 0.0 <= found.novelty <= 1.0
        assert 0.0 <= found.persistence <= 1.0
        assert found.community is None or 0.0 <= found.community <= 1.0
        assert found.works == sum(one.works)
        assert found.recent_works == sum(one.works[-5:])
        expected = growth(list(one.works))
        assert found.growth == (None if expected is None else pytest.approx(expected, abs=1e-6))
        if found.emerging:
            assert found.recent_works >= EMERGING_MIN_RECENT_WORKS
            assert found.persistence >= EMERGING_MIN_PERSISTENCE


@settings(max_examples=80, deadline=None)
@given(_batches(), st.integers(1, 40))
def test_a_larger_share_this_year_never_lowers_the_trend(batch: list[Series], extra: int) -> None:
    # The same corpus, in which `extra` more of this year's works are about the technology. (Adding works to the
    # technology and to the corpus alike is not the same: where this year's share lies below the fitted trend, the
    # heavier year pulls the trend down, as the exact optimum does too.)
    one = batch[0]
    totals = list(one.totals)
    totals[-1] += extra
    more = list(one.works)
    more[-1] += extra
    before, _ = trend(np.array(one.works), np.array(totals))
    after, _ = trend(np.array(more), np.array(totals))
    assert after[0] >= before[0] - 1e-9


def test_default_params_are_the_documented_ones() -> None:
    assert emergence.DEFAULT.forecast_years == emergence.GROWTH_YEARS  # the score forecasts what `growth` measures
    assert emergence.DEFAULT.share_rare < emergence.DEFAULT.share_common


def _map_slope(works: np.ndarray, totals: np.ndarray, prior_sd: float) -> float:
    """The same maximum a posteriori slope by a general-purpose optimiser, for comparison."""
    from scipy.optimize import minimize

    x = np.arange(len(works)) - (len(works) - 1.0)

    def loss(theta: np.ndarray) -> float:
        eta = theta[0] + theta[1] * x + np.log(totals)
        return float(np.sum(np.exp(eta) - works * eta) + theta[1] ** 2 / (2 * prior_sd**2))

    start = np.array([np.log((works.sum() + 0.5) / totals.sum()), 0.0])
    return float(minimize(loss, start, method="BFGS", options={"gtol": 1e-10}).x[1])


@settings(max_examples=60, deadline=None)
@given(
    st.lists(st.integers(0, 80), min_size=3, max_size=10).filter(lambda w: sum(w) > 0),
    st.sampled_from([0.05, 0.2, 1.0]),
)
def test_trend_is_the_maximum_a_posteriori_slope(works: list[int], prior_sd: float) -> None:
    counts = np.array(works, dtype=float)
    totals = np.full(len(works), 100.0) + counts
    b, se = trend(counts, totals, prior_sd=prior_sd)
    assert b[0] == pytest.approx(_map_slope(counts, totals, prior_sd), abs=1e-4)
    assert 0 < se[0] <= prior_sd
