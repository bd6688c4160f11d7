"""Vectorised drawing helpers: exact apportioning, many rows' distributions drawn at once, items laid end to
end."""

from __future__ import annotations

import numpy as np

from kizashi.know.landscape.planted.data import Floats, Ints


def _apportion(expected: Floats, total: int) -> Ints:
    """Whole numbers summing to `total` in proportion to `expected`, each the floor of its exact share or one more
    (the largest remainder method)."""
    scaled = expected * total / expected.sum()
    counts = np.floor(scaled).astype(np.int64)
    short = total - int(counts.sum())
    if short:
        counts[np.argsort(-(scaled - counts), kind="stable")[:short]] += 1
    return np.asarray(counts, dtype=np.int64)


def _offset_cdf(weights: Floats) -> Floats:
    """Each row's cumulative weights plus the row's index, flattened: `_draw` then draws from many rows'
    distributions at once (inverse transform sampling)."""
    cdf = np.cumsum(weights, axis=1) / weights.sum(axis=1, keepdims=True)
    return np.asarray((cdf + np.arange(len(weights))[:, None]).ravel(), dtype=np.float64)


def _offset_cdf_groups(weights: Floats, first: Ints) -> Floats:
    """`_offset_cdf` for groups of unequal length laid end to end (institutions by country)."""
    group = np.searchsorted(first, np.arange(len(weights)), side="right") - 1
    totals = np.bincount(group, weights=weights)
    within = np.cumsum(weights) - np.append(0.0, np.cumsum(totals))[group]
    return np.asarray(within / totals[group] + group, dtype=np.float64)


def _draw(cdf: Floats, row: Ints, u: Floats, width: int) -> Ints:
    """Draw from each row's distribution in an offset cdf of rows `width` wide, with uniforms `u`: an index from 0
    within the row."""
    found = np.searchsorted(cdf, row + u, side="right") - row * width
    return np.asarray(np.clip(found, 0, width - 1), dtype=np.int64)


def _draw_within(cdf: Floats, group: Ints, u: Floats, first: Ints, last: Ints) -> Ints:
    """Draw from each group's distribution in an offset cdf of groups laid end to end: an index into the whole,
    within [first, last] of the group."""
    return np.asarray(np.clip(np.searchsorted(cdf, group + u, side="right"), first, last), dtype=np.int64)


def _flat(lengths: Ints) -> tuple[Ints, Ints]:
    """For items with these lengths laid end to end: each slot's item, and where each item starts."""
    starts = np.concatenate([[0], np.cumsum(lengths)]).astype(np.int64)
    return np.repeat(np.arange(len(lengths)), lengths), starts
