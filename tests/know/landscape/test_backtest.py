"""Backtest metrics: realised growth, precision and recall of the flags, rank correlations, nan-safety."""

from __future__ import annotations

import math

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from kizashi.know.landscape.backtest import backtest_metrics, counts_by_year, realised_growth
from kizashi.know.landscape.emergence import Emergence


def _predicted(name: str, score: float, growth: float | None, emerging: bool = False, recent: int = 50) -> Emergence:
    return Emergence(name, recent * 2, growth, score, emerging, "", 0.5, 1.0, None, recent)


def test_realised_growth_over_the_horizon() -> None:
    counts = {"a": {2015: 10, 2018: 99, 2020: 40}, "b": {2020: 7}, "c": {2015: 3}}
    found = realised_growth(counts, 2015, 5)
    assert found["a"] == pytest.approx((40.5 / 10.5) ** 0.2 - 1, abs=1e-6)
    assert found["b"] == pytest.approx(15**0.2 - 1, abs=1e-6)  # from nothing: finite
    assert found["c"] == pytest.approx((0.5 / 3.5) ** 0.2 - 1, abs=1e-6)


def test_realised_growth_needs_a_horizon() -> None:
    with pytest.raises(ValueError):
        realised_growth({"a": {2015: 1}}, 2015, 0)


def test_counts_by_year_reads_trend_rows() -> None:
    rows = [{"technology": "a", "year": 2020, "works": 3}, {"technology": "a", "year": 2021, "works": 5}]
    assert counts_by_year(rows) == {"a": {2020: 3, 2021: 5}}


def test_a_perfect_score_and_a_backwards_naive_growth() -> None:
    predicted = [_predicted(f"t{i}", score=i, growth=-i, emerging=i >= 6) for i in range(10)]
    realised = {f"t{i}": i / 10 for i in range(10)}
    m = backtest_metrics(predicted, realised)
    assert m.spearman_score == pytest.approx(1.0)
    assert m.spearman_naive == pytest.approx(-1.0)
    assert m.grew_threshold == pytest.approx(0.45)  # the median of 0.0 … 0.9
    # grew: t5..t9; flagged: t6..t9, all of which grew
    assert (m.grew, m.flagged, m.precision, m.recall) == (5, 4, 1.0, 0.8)
    assert m.technologies == m.counted == 10


def test_precision_and_recall_count_by_hand() -> None:
    flags = [True, True, False, True, False, False]
    realised = [0.5, -0.1, 0.4, 0.3, 0.0, -0.2]
    predicted = [_predicted(f"t{i}", 0.0, 0.0, flag) for i, flag in enumerate(flags)]
    m = backtest_metrics(predicted, {f"t{i}": r for i, r in enumerate(realised)}, grew=0.2)
    # grew: t0, t2, t3; flagged: t0, t1, t3 → hits t0, t3
    assert m.precision == pytest.approx(2 / 3)
    assert m.recall == pytest.approx(2 / 3)
    assert m.grew_threshold == 0.2


def test_technologies_with_few_works_count_only_in_the_all_correlations() -> None:
    predicted = [_predicted(f"big{i}", i, i, recent=50) for i in range(4)]
    predicted += [_predicted(f"small{i}", 10 - i, -i, recent=2) for i in range(4)]
    realised = {p.technology: float(p.emergence_score) for p in predicted}
    m = backtest_metrics(predicted, realised)
    assert m.counted == 4 and m.technologies == 8
    assert m.spearman_score == pytest.approx(1.0)
    assert m.spearman_score_all == pytest.approx(1.0)
    assert m.spearman_naive_all is not None and m.spearman_naive_all < 1.0


def test_only_technologies_known_on_both_sides_count() -> None:
    predicted = [_predicted(f"t{i}", i, i) for i in range(5)]
    realised = {"t0": 0.0, "t1": 0.1, "t2": math.nan, "t3": 0.3, "other": 9.0}
    m = backtest_metrics(predicted, realised)
    assert m.technologies == 3


def test_nothing_to_correlate_gives_none_not_nan() -> None:
    predicted = [_predicted("a", 1.0, None), _predicted("b", 2.0, None)]
    m = backtest_metrics(predicted, {"a": 0.1, "b": 0.2})
    assert m.spearman_score is None and m.spearman_naive is None  # two pairs are too few
    flat = [_predicted(f"t{i}", 1.0, 0.0) for i in range(5)]
    m = backtest_metrics(flat, {f"t{i}": i for i in range(5)})
    assert m.spearman_score is None  # a constant score ranks nothing
    assert m.precision is None  # nothing flagged
    empty = backtest_metrics([], {})
    assert empty.technologies == 0 and empty.grew_threshold is None and empty.recall is None


def test_the_row_is_a_plain_dict() -> None:
    m = backtest_metrics([_predicted(f"t{i}", i, i) for i in range(4)], {f"t{i}": i for i in range(4)})
    row = m.row()
    assert row["spearman_score"] == pytest.approx(1.0)
    assert set(row) >= {"technologies", "precision", "recall", "spearman_score", "spearman_naive", "grew_threshold"}


@st.composite
def _cases(draw: st.DrawFn) -> tuple[list[Emergence], dict[str, float]]:
    n = draw(st.integers(0, 15))
    values = st.floats(-1, 3, allow_nan=False)
    predicted = [
        _predicted(
            f"t{i}",
            draw(values),
            draw(st.none() | values),
            draw(st.booleans()),
            draw(st.integers(0, 30)),
        )
        for i in range(n)
    ]
    realised = {f"t{i}": draw(values | st.just(math.nan)) for i in range(n) if draw(st.booleans())}
    return predicted, realised


@settings(max_examples=150, deadline=None)
@given(_cases())
def test_metrics_stay_in_range(case: tuple[list[Emergence], dict[str, float]]) -> None:
    predicted, realised = case
    m = backtest_metrics(predicted, realised)
    assert 0 <= m.counted <= m.technologies <= len(predicted)
    assert m.flagged <= m.counted and m.grew <= m.counted
    for value in (m.precision, m.recall):
        assert value is None or 0.0 <= value <= 1.0
    for rho in (m.spearman_score, m.spearman_naive, m.spearman_score_all, m.spearman_naive_all):
        assert rho is None or (math.isfinite(rho) and -1.0 <= rho <= 1.0)


@settings(max_examples=100, deadline=None)
@given(_cases())
def test_the_order_of_the_predictions_does_not_matter(case: tuple[list[Emergence], dict[str, float]]) -> None:
    predicted, realised = case
    assert backtest_metrics(predicted, realised) == backtest_metrics(predicted[::-1], realised)
