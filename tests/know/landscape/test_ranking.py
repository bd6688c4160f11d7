"""The critical-technology ranking: TOPSIS and the weighted sum, sensitivity bands, the weights file."""

from __future__ import annotations

import math
from pathlib import Path

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from kizashi.errors import InputError
from kizashi.know.landscape.ranking import (
    DEFAULT_WEIGHTS,
    INDICATORS,
    rank,
    read_weights,
    topsis,
    weighted_sum,
    weights_text,
)
from kizashi.know.landscape.tables import COLUMNS


def _topsis_by_hand(matrix: list[list[float]], weights: list[float]) -> list[float]:
    """Hwang & Yoon's steps written out with loops, to compare with the vectorised one."""
    m, n = len(matrix), len(weights)
    norms = [math.sqrt(sum(matrix[i][j] ** 2 for i in range(m))) for j in range(n)]
    v = [[(matrix[i][j] / norms[j] if norms[j] else 0.0) * weights[j] for j in range(n)] for i in range(m)]
    best = [max(v[i][j] for i in range(m)) for j in range(n)]
    worst = [min(v[i][j] for i in range(m)) for j in range(n)]
    found = []
    for i in range(m):
        d_best = math.sqrt(sum((v[i][j] - best[j]) ** 2 for j in range(n)))
        d_worst = math.sqrt(sum((v[i][j] - worst[j]) ** 2 for j in range(n)))
        found.append(d_worst / (d_best + d_worst) if d_best + d_worst else 0.5)
    return found


# ── TOPSIS and the weighted sum ─────────────────────────────────────────────────────────────────────────


def test_topsis_known_answer() -> None:
    closeness = topsis([[1, 2], [2, 1], [0, 0]], [0.5, 0.5])
    assert closeness == pytest.approx([math.sqrt(5) / (1 + math.sqrt(5))] * 2 + [0.0])


def test_topsis_of_equal_rows_is_a_half() -> None:
    assert topsis([[1, 1], [1, 1]], [0.5, 0.5]).tolist() == [0.5, 0.5]
    assert topsis(np.zeros((0, 2)), [0.5, 0.5]).tolist() == []


def test_weighted_sum_known_answer() -> None:
    assert weighted_sum([[0, 10], [5, 0], [10, 5]], [0.5, 0.5]) == pytest.approx([0.5, 0.25, 0.75])
    assert weighted_sum([[3, 1], [3, 2]], [0.9, 0.1]) == pytest.approx([0.0, 0.1])  # a constant column adds nothing


def test_shapes_are_checked() -> None:
    with pytest.raises(ValueError):
        topsis([[1, 2]], [1.0])
    with pytest.raises(ValueError):
        weighted_sum([1, 2], [1.0])


_matrices = st.integers(1, 7).flatmap(
    lambda m: st.integers(1, 6).flatmap(
        lambda n: st.tuples(
            st.lists(st.lists(st.floats(0, 100), min_size=n, max_size=n), min_size=m, max_size=m),
            st.lists(st.floats(0.01, 1), min_size=n, max_size=n),
        )
    )
)


@settings(max_examples=150, deadline=None)
@given(_matrices)
def test_topsis_matches_the_steps_written_out(case: tuple[list[list[float]], list[float]]) -> None:
    matrix, weights = case
    assert topsis(matrix, weights) == pytest.approx(_topsis_by_hand(matrix, weights), abs=1e-9)


# ── rank ────────────────────────────────────────────────────────────────────────────────────────────────


def test_ties_are_broken_by_technology_id() -> None:
    same = {"threat_relevance": 1.0, "momentum": 0.5}
    ranked = rank({"b": same, "a": same, "c": {}}, DEFAULT_WEIGHTS)
    assert [(r.technology, r.rank) for r in ranked] == [("a", 1), ("b", 2), ("c", 3)]


def test_missing_none_nan_and_negative_values_count_as_zero() -> None:
    explicit = {"x": dict.fromkeys(INDICATORS, 0.0), "y": {"momentum": 1.0}}
    loose = {"x": {"momentum": -3.0, "dual_use": math.nan, "japan_gap": None}, "y": {"momentum": 1.0}}  # type: ignore[dict-item]
    assert rank(loose, DEFAULT_WEIGHTS) == rank(explicit, DEFAULT_WEIGHTS)


def test_unknown_indicators_and_bad_weights_are_refused() -> None:
    with pytest.raises(ValueError):
        rank({"x": {"fame": 1.0}}, DEFAULT_WEIGHTS)
    with pytest.raises(ValueError):
        rank({"x": {"momentum": 1.0}}, {"fame": 1.0})
    with pytest.raises(ValueError):
        rank({"x": {"momentum": 1.0}}, dict.fromkeys(INDICATORS, 0.0))
    with pytest.raises(ValueError):
        rank({"x": {"momentum": 1.0}}, {"momentum": -1.0})


def test_the_sensitivity_band_spans_the_ranks_a_weight_change_gives() -> None:
    # a and b tie under equal weights (a first by id); 20 % less on either weight lets the other win.
    weights = {"threat_relevance": 0.5, "momentum": 0.5}
    ranked = {r.technology: r for r in rank({"a": {"threat_relevance": 1}, "b": {"momentum": 1}, "c": {}}, weights)}
    assert (ranked["a"].rank, ranked["a"].rank_low, ranked["a"].rank_high) == (1, 1, 2)
    assert (ranked["b"].rank, ranked["b"].rank_low, ranked["b"].rank_high) == (2, 1, 2)
    assert (ranked["c"].rank, ranked["c"].rank_low, ranked["c"].rank_high) == (3, 3, 3)


def test_a_clear_leader_keeps_its_rank() -> None:
    ranked = rank({"lead": dict.fromkeys(INDICATORS, 1.0), "other": dict.fromkeys(INDICATORS, 0.1)}, DEFAULT_WEIGHTS)
    assert (ranked[0].technology, ranked[0].rank_low, ranked[0].rank_high) == ("lead", 1, 1)
    assert ranked[0].score == 1.0 and ranked[1].score == 0.0
    assert ranked[0].weighted_score == 1.0 and ranked[0].weighted_rank == 1


def test_the_row_has_the_table_columns() -> None:
    row = rank({"x": {"momentum": 1.0}}, DEFAULT_WEIGHTS)[0].row()
    assert tuple(row) == COLUMNS["critical"][:7]


_indicators = st.dictionaries(
    st.text("abcdef", min_size=1, max_size=3),
    st.dictionaries(st.sampled_from(INDICATORS), st.floats(0, 10)),
    min_size=1,
    max_size=8,
)
_weights = st.dictionaries(st.sampled_from(INDICATORS), st.floats(0, 1)).filter(lambda w: sum(w.values()) > 0)


@settings(max_examples=150, deadline=None)
@given(_indicators, _weights)
def test_ranks_are_a_permutation_inside_their_band(
    indicators: dict[str, dict[str, float]], weights: dict[str, float]
) -> None:
    ranked = rank(indicators, weights)
    n = len(indicators)
    assert sorted(r.rank for r in ranked) == list(range(1, n + 1))
    assert sorted(r.weighted_rank for r in ranked) == list(range(1, n + 1))
    assert sorted(r.technology for r in ranked) == sorted(indicators)
    for r in ranked:
        assert 1 <= r.rank_low <= r.rank <= r.rank_high <= n
        assert 0.0 <= r.score <= 1.0 and 0.0 <= r.weighted_score <= 1.0
    scores = [r.score for r in ranked]
    assert scores == sorted(scores, reverse=True)


@settings(max_examples=200, deadline=None)
@given(_indicators, _weights, st.data())
def test_raising_an_indicator_never_lowers_the_score(
    indicators: dict[str, dict[str, float]], weights: dict[str, float], data: st.DataObject
) -> None:
    technology = data.draw(st.sampled_from(sorted(indicators)))
    name = data.draw(st.sampled_from(INDICATORS))
    raised = {key: dict(values) for key, values in indicators.items()}
    raised[technology][name] = raised[technology].get(name, 0.0) + data.draw(st.floats(0.01, 10))
    before = {r.technology: r for r in rank(indicators, weights)}[technology]
    after = {r.technology: r for r in rank(raised, weights)}[technology]
    assert after.score >= before.score - 1e-6
    assert after.weighted_score >= before.weighted_score - 1e-6


# ── the weights file ────────────────────────────────────────────────────────────────────────────────────


def test_default_weights_sum_to_one_over_the_indicators() -> None:
    assert tuple(DEFAULT_WEIGHTS) == INDICATORS
    assert sum(DEFAULT_WEIGHTS.values()) == pytest.approx(1.0)


def test_the_printed_default_reads_back_as_the_default(tmp_path: Path) -> None:
    text = weights_text()
    path = tmp_path / "weights.yaml"
    path.write_text(text, encoding="utf-8")
    assert read_weights(path) == pytest.approx(DEFAULT_WEIGHTS)
    for name in INDICATORS:
        assert f"\n{name}: " in text
    assert "脅威" in text and "threats" in text


def test_weights_are_rescaled_and_left_out_ones_weigh_nothing(tmp_path: Path) -> None:
    path = tmp_path / "w.yml"
    path.write_text("momentum: 3\ndual_use: 1\n", encoding="utf-8")
    found = read_weights(path)
    assert found["momentum"] == pytest.approx(0.75) and found["dual_use"] == pytest.approx(0.25)
    assert found["threat_relevance"] == 0.0 and set(found) == set(INDICATORS)


def test_json_weights(tmp_path: Path) -> None:
    path = tmp_path / "w.json"
    path.write_bytes(b'{"threat_relevance": 1, "concentration": 1}')
    assert read_weights(path)["concentration"] == pytest.approx(0.5)


@pytest.mark.parametrize(
    ("name", "content", "field"),
    [
        ("w.yaml", "momentum: 1\nfame: 2\n", "fame"),
        ("w.yaml", "momentum: -0.5\n", "momentum"),
        ("w.yaml", "momentum: high\n", "momentum"),
        ("w.yaml", "momentum: true\n", "momentum"),
        ("w.yaml", "momentum: .nan\n", "momentum"),
        ("w.yaml", "momentum: [1]\n", "momentum"),
        ("w.json", '{"japan_gap": "0.3"}', "japan_gap"),
        ("w.json", '{"japan_gap": 1, "unknown": 1}', "unknown"),
    ],
)
def test_bad_weights_name_the_file_and_the_indicator(tmp_path: Path, name: str, content: str, field: str) -> None:
    path = tmp_path / name
    path.write_text(content, encoding="utf-8")
    with pytest.raises(InputError) as caught:
        read_weights(path)
    assert caught.value.location.field == field
    assert caught.value.location.file == path
    assert caught.value.exit_code == 2


@pytest.mark.parametrize(
    ("name", "content"),
    [
        ("w.yaml", "momentum: 0\ndual_use: 0\n"),
        ("w.yaml", "- momentum\n"),
        ("w.yaml", ""),
        ("w.json", "{broken"),
        ("w.json", "[1, 2]"),
        ("w.json", "  "),
    ],
)
def test_unusable_weights_files_are_refused(tmp_path: Path, name: str, content: str) -> None:
    path = tmp_path / name
    path.write_text(content, encoding="utf-8")
    with pytest.raises(InputError) as caught:
        read_weights(path)
    assert caught.value.location.file == path


def test_a_missing_weights_file_is_refused(tmp_path: Path) -> None:
    with pytest.raises(InputError):
        read_weights(tmp_path / "none.yaml")
