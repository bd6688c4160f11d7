"""Burst detection in yearly counts: Kleinberg's two-state automaton over batches.

Kleinberg, J. (2002). "Bursty and hierarchical structure in streams", KDD '02, §4 (the enumerated, batched model):
in batch t, r_t of d_t documents are relevant (here: a technology's works among all works of year t). The automaton
is in a base state q0, emitting relevant documents at rate p0 = Σr / Σd, or a burst state q1 at rate p1 = s·p0. A
state costs −ln of the binomial likelihood of (r_t, d_t) at its rate; entering the burst state costs γ·ln(n) for n
batches, leaving it costs nothing. The cheapest state sequence (Viterbi) marks the bursts.
"""

from __future__ import annotations

import math
from collections.abc import Sequence

import numpy as np
import numpy.typing as npt
from scipy.special import xlogy

# p1 must stay below 1 or a batch with an irrelevant document would cost infinity in the burst state.
MAX_BURST_RATE = 1.0 - 1e-9

FloatArray = npt.NDArray[np.float64]


def bursts(
    counts: Sequence[int], totals: Sequence[int], *, s: float = 2.0, gamma: float = 1.0
) -> list[tuple[int, int]]:
    """The burst intervals (first index, last index, inclusive) of `counts` out of `totals`, by Kleinberg's model.

    A batch with no documents (d_t = 0) costs nothing in either state, so it neither starts nor breaks a burst by
    itself. No bursts when nothing is relevant, when everything is (p0 = 1 leaves no higher rate), or when s ≤ 1.
    """
    r = np.asarray(counts, dtype=np.float64)
    d = np.asarray(totals, dtype=np.float64)
    if r.shape != d.shape or r.ndim != 1:
        raise ValueError("counts and totals must be sequences of the same length")
    if (r < 0).any() or (r > d).any():
        raise ValueError("each count must lie between 0 and its total")
    if s <= 0 or gamma < 0:
        raise ValueError("s must be positive and gamma non-negative")
    n = len(r)
    if n == 0 or d.sum() == 0:
        return []
    p0 = float(r.sum() / d.sum())
    p1 = min(s * p0, MAX_BURST_RATE)
    if p0 == 0.0 or p1 <= p0:
        return []
    # The binomial coefficient is the same in both states and drops out of the comparison.
    cost = np.stack([_neg_log_likelihood(r, d, p0), _neg_log_likelihood(r, d, p1)])
    states = _viterbi(cost, gamma * math.log(n) if n > 1 else 0.0)
    return _runs(states)


def burst_years(years: Sequence[int], counts: Sequence[int], totals: Sequence[int], **options: float) -> str:
    """The bursts as years: "2019-2022;2024" (a one-year burst as "2024"), "" when there is none.

    `options` go to `bursts` (s, gamma)."""
    if len(years) != len(counts):
        raise ValueError("years and counts must have the same length")
    parts = []
    for first, last in bursts(counts, totals, **options):
        parts.append(str(years[first]) if first == last else f"{years[first]}-{years[last]}")
    return ";".join(parts)


def _neg_log_likelihood(r: FloatArray, d: FloatArray, p: float) -> FloatArray:
    # xlogy gives 0·ln 0 = 0, so a batch without (ir)relevant documents costs nothing for that part.
    result: FloatArray = -(xlogy(r, p) + xlogy(d - r, 1.0 - p))
    return result


def _viterbi(cost: FloatArray, up: float) -> npt.NDArray[np.int64]:
    """The cheapest state path through a two-state chain starting in state 0; a tie makes no new transition."""
    n = cost.shape[1]
    total = np.array([cost[0, 0], up + cost[1, 0]])
    back = np.zeros((n, 2), dtype=np.int64)
    for t in range(1, n):
        # into 0: from 0 or from 1 (leaving a burst is free); into 1: from 0 (paying `up`) or staying in 1
        into0 = (0, 1) if total[1] < total[0] else (0, 0)
        into1 = (1, 0) if total[0] + up < total[1] else (1, 1)
        back[t] = [into0[1], into1[1]]
        total = np.array([total[into0[1]] + cost[0, t], total[into1[1]] + (up if into1[1] == 0 else 0.0) + cost[1, t]])
    states = np.zeros(n, dtype=np.int64)
    states[-1] = 1 if total[1] < total[0] else 0
    for t in range(n - 1, 0, -1):
        states[t - 1] = back[t, states[t]]
    return states


def _runs(states: npt.NDArray[np.int64]) -> list[tuple[int, int]]:
    """(first, last) index of every run of 1s."""
    padded = np.concatenate([[0], states, [0]])
    edges = np.flatnonzero(np.diff(padded))
    return [(int(start), int(end) - 1) for start, end in zip(edges[::2], edges[1::2], strict=True)]
