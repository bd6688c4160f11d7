"""Research fronts between scans: which of this scan's fronts continue, split from or merge the last scan's.

The rule follows the event-based matching of dynamic communities (Palla, Barabási and Vicsek 2007, "Quantifying
social group evolution", Nature 446; Greene, Doyle and Cunningham 2010, "Tracking the evolution of communities in
dynamic social networks", ASONAM), with the overlap coefficient in place of Jaccard's index so that a front that grew
tenfold still matches the front it grew from:

- a current front C and a previous front P are *linked* when |C ∩ P| / min(|C|, |P|) ≥ `threshold` (0.3: at least
  three tenths of the smaller front is shared);
- C is `new` when no previous front is linked to it;
- C is `merged` when two or more previous fronts are linked to it (it took a main part of each);
- C is `split` when it is linked to exactly one previous front and that front is linked to two or more current
  fronts (its works went to several);
- C is `continued` when it and its one previous front are linked only to each other;
- a previous front linked to no current front has `vanished`.

`merged` wins over `split` for a front that is both. NISTEP's Science Map tracks its fronts edition to edition in this
spirit; its own thresholds are not published.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import numpy.typing as npt
import scipy.sparse as sp

NEW, CONTINUED, SPLIT, MERGED = "new", "continued", "split", "merged"
STATUSES = (NEW, CONTINUED, SPLIT, MERGED)
THRESHOLD = 0.3

IntArray = npt.NDArray[np.int64]


@dataclass(frozen=True)
class Tracked:
    """The outcome of matching a scan's fronts to the previous scan's."""

    status: dict[str, str]  # current front id → new | continued | split | merged
    previous: dict[str, list[str]]  # current front id → linked previous front ids, most shared works first
    vanished: list[str]  # previous front ids linked to no current front, sorted

    def previous_text(self, front: str) -> str:
        """The `previous` column of fronts.csv: linked previous ids joined by ";"."""
        return ";".join(self.previous.get(front, []))


def _membership(fronts: Mapping[str, Sequence[str]]) -> tuple[list[str], IntArray, npt.NDArray[Any]]:
    ids = list(fronts)
    sizes = np.fromiter((len(fronts[f]) for f in ids), dtype=np.int64, count=len(ids))
    works = np.array([w for f in ids for w in fronts[f]], dtype=object)
    return ids, np.repeat(np.arange(len(ids)), sizes), works


def shared_works(current: Mapping[str, Sequence[str]], previous: Mapping[str, Sequence[str]]) -> IntArray:
    """Current × previous matrix of shared distinct works."""
    cur_ids, cur_rows, cur_works = _membership(current)
    prev_ids, prev_rows, prev_works = _membership(previous)
    if len(cur_works) == 0 or len(prev_works) == 0:
        return np.zeros((len(cur_ids), len(prev_ids)), dtype=np.int64)
    codes = np.unique(np.concatenate([cur_works, prev_works]).astype(str), return_inverse=True)[1]
    width = int(codes.max()) + 1

    def incidence(rows: IntArray, columns: IntArray, height: int) -> sp.csr_array:
        matrix = sp.csr_array((np.ones(len(rows), dtype=np.int64), (rows, columns)), shape=(height, width))
        matrix.data[:] = 1  # a work listed twice in one front counts once (the constructor summed the two)
        return matrix

    a = incidence(cur_rows, codes[: len(cur_works)], len(cur_ids))
    b = incidence(prev_rows, codes[len(cur_works) :], len(prev_ids))
    return np.asarray((a @ b.T).toarray(), dtype=np.int64)


def _distinct_sizes(fronts: Mapping[str, Sequence[str]]) -> IntArray:
    return np.fromiter((len(set(works)) for works in fronts.values()), dtype=np.int64, count=len(fronts))


def track_sets(
    current: Mapping[str, Sequence[str]], previous: Mapping[str, Sequence[str]], *, threshold: float = THRESHOLD
) -> Tracked:
    """Match fronts given as front id → work ids (see the module docstring for the rule)."""
    if not 0.0 < threshold <= 1.0:
        raise ValueError(f"threshold must be in (0, 1], got {threshold}")
    cur_ids, prev_ids = list(current), list(previous)
    shared = shared_works(current, previous)
    smaller = np.minimum.outer(_distinct_sizes(current), _distinct_sizes(previous))
    overlap = np.divide(shared, smaller, out=np.zeros(shared.shape), where=smaller > 0)
    linked = (overlap >= threshold) & (shared > 0)
    fan_out = linked.sum(axis=0)  # current fronts each previous front is linked to
    status: dict[str, str] = {}
    links: dict[str, list[str]] = {}
    for row, front in enumerate(cur_ids):
        columns = np.flatnonzero(linked[row])
        # Most shared works first, then by id: the first named is the main ancestor.
        ranked = sorted(columns.tolist(), key=lambda c: (-int(shared[row, c]), prev_ids[c]))
        links[front] = [prev_ids[c] for c in ranked]
        if len(ranked) == 0:
            status[front] = NEW
        elif len(ranked) >= 2:
            status[front] = MERGED
        else:
            status[front] = SPLIT if fan_out[ranked[0]] >= 2 else CONTINUED
    vanished = sorted(prev_ids[c] for c in np.flatnonzero(fan_out == 0).tolist())
    return Tracked(status=status, previous=links, vanished=vanished)
