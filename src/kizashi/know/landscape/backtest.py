"""Backtest of emergence: how well a scan as of a past year predicted the growth that followed.

Realised growth is defined like the scan's naive `growth` (emergence.growth), over the horizon after the as-of year:
((n[as_of + horizon] + 0.5) / (n[as_of] + 0.5)) ** (1 / horizon) − 1, with n[y] a technology's works in year y as a
later scan counts them. Growth of works, not of share: the corpus total is the same for every technology, so both
rank technologies alike (the +0.5 aside), and works are what a reader checks.

The metrics: precision and recall of the `emerging` flags against "grew" (realised growth above a threshold:
by default the median realised growth of the technologies with enough works), and the Spearman rank correlation of
the emergence score and of the naive growth with the realised growth (Spearman 1904; scipy.stats.spearmanr). A
useful score beats the naive growth.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import asdict, dataclass
from typing import Any

import numpy as np
from scipy.stats import spearmanr

from kizashi.know.landscape.emergence import EMERGING_MIN_RECENT_WORKS, Emergence

DIGITS = 6
MIN_PAIRS = 3  # fewer pairs than this give no rank correlation


@dataclass(frozen=True)
class BacktestMetrics:
    technologies: int  # scored at the as-of date and counted afterwards
    counted: int  # of those, with enough recent works (min_works) to judge flags and to set the threshold
    flagged: int  # counted technologies flagged emerging
    grew: int  # counted technologies whose realised growth is above grew_threshold
    precision: float | None  # of the flags; None when nothing was flagged
    recall: float | None  # of the technologies that grew; None when none grew
    spearman_score: float | None  # emergence_score vs realised growth, over the counted technologies
    spearman_naive: float | None  # naive growth vs realised growth, the same technologies
    grew_threshold: float | None
    spearman_score_all: float | None  # the same over every technology scored and counted
    spearman_naive_all: float | None

    def row(self) -> dict[str, Any]:
        return asdict(self)


def counts_by_year(rows: Iterable[Mapping[str, Any]]) -> dict[str, dict[int, int]]:
    """technology → year → works, from trend rows (`technology`, `year`, `works`)."""
    found: dict[str, dict[int, int]] = {}
    for row in rows:
        found.setdefault(str(row["technology"]), {})[int(row["year"])] = int(row["works"])
    return found


def realised_growth(counts: Mapping[str, Mapping[int, int]], as_of_year: int, horizon: int) -> dict[str, float]:
    """Each technology's compound annual growth from `as_of_year` to `as_of_year + horizon` (module docstring); a
    year it has no count for counts 0."""
    if horizon < 1:
        raise ValueError("the horizon must be at least one year")
    found = {}
    for technology, by_year in counts.items():
        start, end = by_year.get(as_of_year, 0), by_year.get(as_of_year + horizon, 0)
        found[technology] = round(((end + 0.5) / (start + 0.5)) ** (1.0 / horizon) - 1.0, DIGITS)
    return found


def backtest_metrics(
    predicted: Sequence[Emergence],
    realised: Mapping[str, float],
    *,
    grew: float | None = None,
    min_works: int = EMERGING_MIN_RECENT_WORKS,
) -> BacktestMetrics:
    """Flags and scores of `predicted` (a scan as of a past year) against `realised` growth (module docstring).

    Only technologies in both count. "Enough works" is at least `min_works` works in the five years before the
    as-of date (as the `emerging` rule asks): flags, the threshold and the main correlations use those; the `_all`
    correlations use every technology. `grew` overrides the threshold (the median)."""
    both = [p for p in predicted if p.technology in realised and _finite(realised[p.technology])]
    counted = [p for p in both if p.recent_works >= min_works]
    real = {p.technology: float(realised[p.technology]) for p in both}
    threshold = grew
    if threshold is None and counted:
        threshold = float(np.median([real[p.technology] for p in counted]))
    did_grow = {p.technology for p in counted if threshold is not None and real[p.technology] > threshold}
    flagged = {p.technology for p in counted if p.emerging}
    hits = len(flagged & did_grow)
    return BacktestMetrics(
        technologies=len(both),
        counted=len(counted),
        flagged=len(flagged),
        grew=len(did_grow),
        precision=round(hits / len(flagged), DIGITS) if flagged else None,
        recall=round(hits / len(did_grow), DIGITS) if did_grow else None,
        spearman_score=_spearman([p.emergence_score for p in counted], [real[p.technology] for p in counted]),
        spearman_naive=_spearman([p.growth for p in counted], [real[p.technology] for p in counted]),
        grew_threshold=None if threshold is None else round(threshold, DIGITS),
        spearman_score_all=_spearman([p.emergence_score for p in both], [real[p.technology] for p in both]),
        spearman_naive_all=_spearman([p.growth for p in both], [real[p.technology] for p in both]),
    )


def _spearman(x: Sequence[float | None], y: Sequence[float | None]) -> float | None:
    """Spearman's rho over the pairs where both values are finite; None with fewer than MIN_PAIRS pairs or when
    either side is constant (no ranking to correlate)."""
    pairs = [(a, b) for a, b in zip(x, y, strict=True) if a is not None and b is not None and _finite(a) and _finite(b)]
    if len(pairs) < MIN_PAIRS:
        return None
    a, b = np.array(pairs).T
    if np.ptp(a) == 0 or np.ptp(b) == 0:
        return None
    rho = float(spearmanr(a, b).statistic)
    return round(rho, DIGITS) if math.isfinite(rho) else None


def _finite(value: float | None) -> bool:
    return value is not None and math.isfinite(value)
