"""Scoring projects on several criteria, for a portfolio file that gives `criteria` instead of a `value`.

TOPSIS (Hwang & Yoon 1981): vector-normalise each criterion, weight it, and score each project by its relative
closeness to the ideal (best on every criterion) against the anti-ideal. AHP (Saaty 1980), synthesis in the
distributive mode: each criterion's scores normalised to sum 1 over the projects (a cost criterion by its
reciprocals), weighted and summed; the criteria's weights are given in the file, or derived from a pairwise
comparison matrix (principal eigenvector; a consistency ratio above 0.1 is refused, as Saaty advises).
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

# Saaty's random consistency index by matrix order (1..10).
RANDOM_INDEX = (0.0, 0.0, 0.0, 0.58, 0.90, 1.12, 1.24, 1.32, 1.41, 1.45, 1.49)
MAX_CONSISTENCY_RATIO = 0.1


def topsis(matrix: np.ndarray, weights: Sequence[float], benefit: Sequence[bool]) -> np.ndarray:
    """Relative closeness (0..1) of each row of `matrix` (alternatives × criteria). A criterion whose column is all
    zero adds nothing; when an alternative is both ideal and anti-ideal (all rows equal) its closeness is 0.5."""
    x = np.asarray(matrix, dtype=float)
    w = np.asarray(weights, dtype=float)
    w = w / w.sum()
    norms = np.sqrt((x**2).sum(axis=0))
    normalised = np.divide(x, norms, out=np.zeros_like(x), where=norms > 0)
    weighted = normalised * w
    is_benefit = np.asarray(benefit, dtype=bool)
    best = np.where(is_benefit, weighted.max(axis=0), weighted.min(axis=0))
    worst = np.where(is_benefit, weighted.min(axis=0), weighted.max(axis=0))
    to_best = np.sqrt(((weighted - best) ** 2).sum(axis=1))
    to_worst = np.sqrt(((weighted - worst) ** 2).sum(axis=1))
    total = to_best + to_worst
    closeness: np.ndarray = np.divide(to_worst, total, out=np.full(len(x), 0.5), where=total > 0)
    return closeness


def ahp_weights(pairwise: np.ndarray) -> tuple[np.ndarray, float]:
    """(weights summing to 1, consistency ratio) of a reciprocal pairwise comparison matrix: the principal
    eigenvector; the ratio is CI / RI with CI = (λmax − n) / (n − 1) (0 for n ≤ 2, always consistent)."""
    a = np.asarray(pairwise, dtype=float)
    n = len(a)
    eigenvalues, eigenvectors = np.linalg.eig(a)
    top = int(np.argmax(eigenvalues.real))
    vector = np.abs(eigenvectors[:, top].real)
    weights = vector / vector.sum()
    if n <= 2:
        return weights, 0.0
    index = (eigenvalues[top].real - n) / (n - 1)
    return weights, float(index / RANDOM_INDEX[min(n, len(RANDOM_INDEX) - 1)])


def ahp(matrix: np.ndarray, weights: Sequence[float], benefit: Sequence[bool]) -> np.ndarray:
    """Overall priority (summing to 1) of each row of `matrix`: distributive synthesis, a cost criterion's scores
    by their reciprocals (so they must be positive; the model checks). A column summing to zero adds nothing."""
    x = np.asarray(matrix, dtype=float)
    is_benefit = np.asarray(benefit, dtype=bool)
    safe = np.where(x > 0, x, 1.0)
    x = np.where(is_benefit, x, np.where(x > 0, 1.0 / safe, 0.0))
    sums = x.sum(axis=0)
    local = np.divide(x, sums, out=np.zeros_like(x), where=sums > 0)
    w = np.asarray(weights, dtype=float)
    priorities: np.ndarray = local @ (w / w.sum())
    return priorities
