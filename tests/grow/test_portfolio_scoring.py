"""TOPSIS and AHP scoring on textbook examples, and criteria in a portfolio file becoming its projects' values."""

from __future__ import annotations

import math
from pathlib import Path

import numpy as np
import pytest

from kizashi.errors import InputError
from kizashi.grow.portfolio_model import load
from kizashi.grow.portfolio_scoring import ahp, ahp_weights, topsis

# The facility-location example of Papathanasiou & Ploskas, Multiple Criteria Decision Aid (Springer 2018), ch. 1:
# six sites on four benefit criteria.
SITES = [[8, 7, 2, 1], [5, 3, 7, 5], [7, 5, 6, 4], [9, 9, 7, 3], [11, 10, 3, 7], [6, 9, 5, 4]]
SITE_WEIGHTS = [0.4, 0.3, 0.1, 0.2]


def reference_topsis(rows: list[list[float]], weights: list[float], benefit: list[bool]) -> list[float]:
    """Hwang & Yoon's five steps, one number at a time."""
    m, k = len(rows), len(rows[0])
    norms = [math.sqrt(sum(rows[i][j] ** 2 for i in range(m))) for j in range(k)]
    v = [[weights[j] * rows[i][j] / norms[j] for j in range(k)] for i in range(m)]
    column = [[v[i][j] for i in range(m)] for j in range(k)]
    best = [max(c) if b else min(c) for c, b in zip(column, benefit, strict=True)]
    worst = [min(c) if b else max(c) for c, b in zip(column, benefit, strict=True)]
    closeness = []
    for i in range(m):
        plus = math.sqrt(sum((v[i][j] - best[j]) ** 2 for j in range(k)))
        minus = math.sqrt(sum((v[i][j] - worst[j]) ** 2 for j in range(k)))
        closeness.append(minus / (plus + minus))
    return closeness


def test_topsis_on_the_facility_location_example() -> None:
    scores = topsis(np.array(SITES), SITE_WEIGHTS, [True] * 4)
    assert scores == pytest.approx(reference_topsis(SITES, SITE_WEIGHTS, [True] * 4), abs=1e-12)
    # Site 5 first, then 4, 6, 3, 1, 2 (the book's ranking).
    assert list(np.argsort(-scores) + 1) == [5, 4, 6, 3, 1, 2]
    assert scores[4] == pytest.approx(0.8685, abs=5e-5)


def test_topsis_with_a_cost_criterion_prefers_the_cheaper() -> None:
    rows = [[10, 100], [10, 50]]  # the same benefit, the second costs half
    scores = topsis(np.array(rows), [0.5, 0.5], [True, False])
    assert scores[1] == pytest.approx(1.0) and scores[0] == pytest.approx(0.0)
    assert scores == pytest.approx(reference_topsis(rows, [0.5, 0.5], [True, False]))


def test_ahp_weights_of_saatys_three_criteria_example() -> None:
    weights, ratio = ahp_weights(np.array([[1, 3, 5], [1 / 3, 1, 3], [1 / 5, 1 / 3, 1]]))
    assert weights == pytest.approx([0.637, 0.258, 0.105], abs=5e-4)
    assert ratio == pytest.approx(0.033, abs=5e-4)  # λmax 3.039, CI 0.019, RI 0.58


def test_ahp_synthesis_distributive() -> None:
    # Two criteria weighted 3:1; scores normalised per criterion to sum 1: (2/3, 1/3) and (1/4, 3/4).
    scores = ahp(np.array([[2, 1], [1, 3]]), [3, 1], [True, True])
    assert scores == pytest.approx([0.75 * 2 / 3 + 0.25 * 1 / 4, 0.75 * 1 / 3 + 0.25 * 3 / 4])
    # A cost criterion by reciprocals: costs 1 and 3 → (3/4, 1/4).
    assert ahp(np.array([[1], [3]]), [1], [False]) == pytest.approx([0.75, 0.25])


def write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "p.yaml"
    path.write_text(text, encoding="utf-8")
    return path


def test_criteria_in_a_file_become_values(tmp_path: Path) -> None:
    lines = ["budget: {2027: 10}", "scoring:", "  method: topsis", "  scale: 10", "  criteria:"]
    lines += [f"    c{j}: {{weight: {w}}}" for j, w in enumerate(SITE_WEIGHTS)]
    lines.append("projects:")
    for i, row in enumerate(SITES):
        criteria = ", ".join(f"c{j}: {v}" for j, v in enumerate(row))
        lines.append(f"  - {{id: S{i + 1}, criteria: {{{criteria}}}, cost: {{2027: 1}}}}")
    loaded = load(write(tmp_path, "\n".join(lines)))
    assert loaded.values == pytest.approx([10 * s for s in reference_topsis(SITES, SITE_WEIGHTS, [True] * 4)])


def test_ahp_from_pairwise_comparisons_in_a_file(tmp_path: Path) -> None:
    text = """
budget: {2027: 10}
scoring:
  method: ahp
  scale: 1
  criteria: {a: {}, b: {}, c: {}}
  pairwise: [[1, 3, 5], [0.3333333, 1, 3], [0.2, 0.3333333, 1]]
projects:
  - {id: X, criteria: {a: 1, b: 0, c: 0}, cost: {2027: 1}}
  - {id: Y, criteria: {a: 0, b: 1, c: 1}, cost: {2027: 1}}
"""
    loaded = load(write(tmp_path, text))
    assert loaded.values == pytest.approx([0.637, 0.363], abs=5e-4)


def test_inconsistent_pairwise_comparisons_are_refused(tmp_path: Path) -> None:
    text = """
budget: {2027: 10}
scoring:
  method: ahp
  criteria: {a: {}, b: {}, c: {}}
  pairwise: [[1, 9, 0.1111111], [0.1111111, 1, 9], [9, 0.1111111, 1]]
projects:
  - {id: X, criteria: {a: 1, b: 2, c: 3}, cost: {2027: 1}}
"""
    with pytest.raises(InputError, match="consistency ratio") as raised:
        load(write(tmp_path, text))
    assert raised.value.location.field == "scoring.pairwise"
