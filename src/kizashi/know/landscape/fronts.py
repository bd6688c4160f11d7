"""Research fronts (issue 14: fronts.csv and front_works.csv): communities of works that write about, and cite, the same
things, with labels, growth, and their match to the last scan's fronts.

`find_fronts` runs the pipeline of `fronts_graph` (terms → TF-IDF → LSA → k nearest neighbours, joined with the
nearest neighbours by bibliographic coupling → Leiden), keeps the communities of at least `min_size` works, numbers them and labels them by
class-based TF-IDF (Grootendorst 2022, "BERTopic: neural topic modeling with a class-based TF-IDF procedure",
arXiv:2203.05794). `track` matches them to the previous scan's fronts (`fronts_track`). The same input and settings give
the same fronts: every random choice is seeded, and ids follow from the fronts themselves (largest first, ties by
the smallest work id).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field

import numpy as np
import numpy.typing as npt
import scipy.sparse as sp

from kizashi.know.landscape.fronts_graph import (
    FloatArray,
    IntArray,
    Progress,
    count_references,
    count_terms,
    edge_list,
    knn_matrix,
    leiden,
    lsa,
    neighbours,
    tfidf,
    unit_rows,
)
from kizashi.know.landscape.fronts_track import THRESHOLD, Tracked, track_sets
from kizashi.know.landscape.tables import Row
from kizashi.text.normalise import is_japanese
from kizashi.text.tokenise import english_term

__all__ = ["Front", "FrontInput", "FrontSettings", "Tracked", "find_fronts", "front_rows", "front_work_rows", "track"]

GROWTH_YEARS = 5


@dataclass(frozen=True)
class FrontInput:
    """The works to cluster, column by column (one entry per work in every column)."""

    work_ids: Sequence[str]
    texts: Sequence[str]  # title + abstract (+ keywords); English, Japanese or mixed
    years: Sequence[int]  # publication years
    references: Sequence[Sequence[str]] = ()  # ids of the works each cites; empty, or one (maybe empty) list per work

    def __post_init__(self) -> None:
        n = len(self.work_ids)
        if len(self.texts) != n or len(self.years) != n or (self.references and len(self.references) != n):
            raise ValueError(
                f"FrontInput columns differ in length: {n} work ids, {len(self.texts)} texts, {len(self.years)} years, "
                f"{len(self.references)} reference lists"
            )
        if len(set(self.work_ids)) != n:
            raise ValueError("FrontInput work ids must be distinct")


@dataclass(frozen=True)
class FrontSettings:
    """Parameters of `find_fronts`; a scan stores them with its fingerprint."""

    k: int = 15  # neighbours per work
    dims: int = 100  # LSA dimensions
    resolution: float = 1.0  # Leiden's resolution (1: modularity); higher gives more, smaller fronts
    seed: int = 42
    min_size: int = 5  # smaller communities are no front
    min_df: int = 2  # a term must be in this many works
    max_df: float = 0.8  # and in at most this share of them
    reference_weight: float = 0.5  # weight of the coupling graph against the text graph's 1 - w (0: text only)
    min_similarity: float = 0.0  # neighbours at or below this cosine are not joined
    cell_size: int = 1000  # works per cell of the approximate search (exact up to cell_size * probes works)
    probes: int = 10  # cells each cell searches
    iterations: int = 2  # Leiden iterations (-1: until stable)
    label_terms: int = 4  # terms in label_en
    top_terms: int = 10  # terms kept per front

    def __post_init__(self) -> None:
        problems = [
            name
            for name, ok in (
                ("k", self.k >= 1),
                ("dims", self.dims >= 1),
                ("resolution", self.resolution > 0),
                ("min_size", self.min_size >= 1),
                ("min_df", self.min_df >= 1),
                ("max_df", 0 < self.max_df <= 1),
                ("reference_weight", 0 <= self.reference_weight <= 1),
                ("cell_size", self.cell_size >= 1),
                ("probes", self.probes >= 1),
                ("iterations", self.iterations != 0),
                ("label_terms", self.label_terms >= 1),
                ("top_terms", self.top_terms >= self.label_terms),
            )
            if not ok
        ]
        if problems:
            raise ValueError(f"FrontSettings out of range: {', '.join(problems)}")


@dataclass
class Front:
    id: str
    label_en: str
    label_ja: str
    work_ids: list[str]  # sorted
    growth: float | None  # compound annual growth of its works per year (see `growth`)
    terms: list[str] = field(default_factory=list)  # its c-TF-IDF terms, best first

    @property
    def size(self) -> int:
        return len(self.work_ids)


def _text_vectors(counts: sp.csr_array, settings: FrontSettings, dense: npt.NDArray[np.floating] | None) -> FloatArray:
    if dense is None:
        return lsa(tfidf(counts), settings.dims, settings.seed)
    if dense.shape[0] != counts.shape[0]:
        raise ValueError(f"vectors has {dense.shape[0]} rows for {counts.shape[0]} works")
    return unit_rows(np.asarray(dense, dtype=np.float32))


def _neighbours(
    vectors: FloatArray, k: int, settings: FrontSettings, on_progress: Progress | None
) -> tuple[IntArray, FloatArray]:
    return neighbours(
        vectors, k, cell_size=settings.cell_size, probes=settings.probes, seed=settings.seed, on_progress=on_progress
    )


def _similarity_graph(
    data: FrontInput,
    counts: sp.csr_array,
    settings: FrontSettings,
    dense: npt.NDArray[np.floating] | None,
    on_progress: Progress | None,
) -> sp.csr_array:
    """(1 - w) · the text k-NN graph + w · the bibliographic-coupling k-NN graph (`fronts_graph`'s docstring)."""
    n = counts.shape[0]
    k = min(settings.k, n - 1)
    text = _text_vectors(counts, settings, dense)
    if on_progress is not None:
        on_progress("vectors", 1.0)
    graph = knn_matrix(*_neighbours(text, k, settings, on_progress), settings.min_similarity)
    references = count_references(data.references) if data.references else None
    if references is None or references.nnz == 0 or settings.reference_weight <= 0:
        return graph
    cited = lsa(tfidf(references), settings.dims, settings.seed)
    coupling = knn_matrix(*_neighbours(cited, k, settings, None), settings.min_similarity)
    return sp.csr_array((1.0 - settings.reference_weight) * graph + settings.reference_weight * coupling)


def _order_communities(membership: IntArray, work_ids: Sequence[str], min_size: int) -> list[IntArray]:
    """Row numbers of each community of at least `min_size` works, largest first, ties by smallest work id."""
    if len(membership) == 0:
        return []
    sizes = np.bincount(membership)
    rank = np.empty(len(work_ids), dtype=np.int64)
    rank[np.argsort(np.asarray(work_ids, dtype=str), kind="stable")] = np.arange(len(work_ids))
    first = np.full(len(sizes), len(work_ids), dtype=np.int64)
    np.minimum.at(first, membership, rank)
    kept = np.flatnonzero(sizes >= min_size)
    kept = kept[np.lexsort((first[kept], -sizes[kept]))]
    # Grouped by community, by work id within one, so that a front's work_ids come out sorted.
    order = np.lexsort((rank, membership))
    bounds = np.concatenate([[0], np.cumsum(sizes)])
    return [order[bounds[c] : bounds[c + 1]] for c in kept]


def class_tfidf(counts: sp.csr_array, groups: Sequence[IntArray]) -> sp.csr_array:
    """Class-based TF-IDF (Grootendorst 2022): per class c and term t, tf(t, c) / Σ_t tf(t, c) · ln(1 + A / f(t)),
    where tf sums the class's works' counts, A is the mean number of words per class and f(t) the term's count over
    all classes. The works in no group form one more class (last row), as BERTopic keeps its outliers, so that a
    term common outside the fronts is discounted too."""
    n = counts.shape[0]
    label = np.full(n, len(groups), dtype=np.int64)
    for c, rows in enumerate(groups):
        label[rows] = c
    members = sp.csr_array((np.ones(n, dtype=np.float64), (label, np.arange(n))), shape=(len(groups) + 1, n))
    per_class = sp.csr_array(members @ counts.astype(np.float64))
    total = np.asarray(per_class.sum(axis=0)).ravel()
    average = per_class.sum() / per_class.shape[0]
    idf = np.log(1.0 + np.divide(average, total, out=np.zeros_like(total), where=total > 0))
    sums = np.asarray(per_class.sum(axis=1)).ravel()
    row_of = np.repeat(np.arange(per_class.shape[0]), np.diff(per_class.indptr))
    weighted = per_class.copy()
    weighted.data = per_class.data / np.where(sums > 0, sums, 1.0)[row_of] * idf[per_class.indices]
    return weighted


def _top_terms(weights: sp.csr_array, row: int, terms: Sequence[str], count: int) -> list[str]:
    start, stop = weights.indptr[row], weights.indptr[row + 1]
    values, columns = weights.data[start:stop], weights.indices[start:stop]
    order = np.lexsort((columns, -values))[:count]  # ties by column: deterministic
    return [terms[columns[i]] for i in order if values[i] > 0]


def english_label(terms: Sequence[str], count: int) -> str:
    """The first `count` terms outside Japanese script, joined by ", " (the Japanese ones when there are no others).
    A term with the stem of one already taken is skipped: "robot, robots, robotic" says one thing three times."""
    latin = [term for term in terms if not is_japanese(term)] or list(terms)
    chosen: list[str] = []
    stems: set[str] = set()
    for term in latin:
        stem = english_term(term) or term
        if stem not in stems:
            stems.add(stem)
            chosen.append(term)
    return ", ".join(chosen[:count])


def growth(years: npt.NDArray[np.int64], groups: Sequence[IntArray], end_year: int) -> list[float | None]:
    """Compound annual growth per group: ((n_end + 0.5) / (n_start + 0.5)) ** (1 / span) - 1, where n_end counts the
    group's works in `end_year` and n_start those in `end_year - 5` (span 5), as emergence's `growth` does. The +0.5
    keeps a front that starts from nothing finite. When the corpus starts later than that, its first year is the
    start and the span is shorter; None when the span is under one year."""
    start = max(end_year - GROWTH_YEARS, int(years.min())) if len(years) else end_year
    span = end_year - start
    if span < 1:
        return [None] * len(groups)
    result: list[float | None] = []
    for rows in groups:
        chosen = years[rows]
        ratio = (np.count_nonzero(chosen == end_year) + 0.5) / (np.count_nonzero(chosen == start) + 0.5)
        result.append(float(ratio ** (1.0 / span) - 1.0))
    return result


def find_fronts(
    data: FrontInput,
    settings: FrontSettings | None = None,
    *,
    end_year: int | None = None,
    japanese_label: Callable[[list[str]], str] | None = None,
    on_progress: Progress | None = None,
    id_prefix: str = "F",
    vectors: npt.NDArray[np.floating] | None = None,
) -> list[Front]:
    """The research fronts of `data`, largest first, numbered `id_prefix` + 001, 002, ...

    `end_year` ends the growth window (default: the latest year in `data`). `japanese_label` is given a front's work
    ids and returns its Japanese label (the scan names the front's dominant technology in Japanese); an empty answer,
    or no function, falls back to the English label. `vectors` are document vectors from a dense model, used in place
    of TF-IDF/LSA (still joined with bibliographic coupling); labels always come from the texts' terms.
    `on_progress(step, fraction)` hears of each step: terms, vectors, neighbours, communities, labels.
    """
    settings = settings or FrontSettings()
    n = len(data.work_ids)
    if n == 0:
        return []
    counts, terms = count_terms(data.texts, min_df=settings.min_df, max_df=settings.max_df, on_progress=on_progress)
    edges, weights = edge_list(_similarity_graph(data, counts, settings, vectors, on_progress))
    membership = leiden(
        n, edges, weights, resolution=settings.resolution, seed=settings.seed, iterations=settings.iterations
    )
    if on_progress is not None:
        on_progress("communities", 1.0)
    groups = _order_communities(membership, data.work_ids, settings.min_size)
    years = np.asarray(data.years, dtype=np.int64)
    rates = growth(years, groups, int(years.max()) if end_year is None else end_year)
    labels = class_tfidf(counts, groups)
    fronts: list[Front] = []
    for number, (rows, rate) in enumerate(zip(groups, rates, strict=True), start=1):
        top = _top_terms(labels, number - 1, terms, settings.top_terms)
        work_ids = [data.work_ids[r] for r in rows]
        label_en = english_label(top, settings.label_terms)
        label_ja = (japanese_label(work_ids) if japanese_label is not None else "") or label_en
        fronts.append(Front(f"{id_prefix}{number:03d}", label_en, label_ja, work_ids, rate, top))
    if on_progress is not None:
        on_progress("labels", 1.0)
    return fronts


def track(current: Sequence[Front], previous: Mapping[str, Sequence[str]], *, threshold: float = THRESHOLD) -> Tracked:
    """Match this scan's fronts to the previous scan's (front id → work ids): new, continued, split, merged, and the
    previous fronts that vanished. The rule and its threshold are in `fronts_track`."""
    return track_sets({front.id: front.work_ids for front in current}, previous, threshold=threshold)


def front_rows(
    fronts: Sequence[Front], tracked: Tracked | None = None, technologies: Mapping[str, str] | None = None
) -> list[Row]:
    """Rows of fronts.csv (tables.COLUMNS["fronts"]). Without a previous scan every front is new. `technologies`
    (front id → the technology ids it is about, as the scan writes them) is the scan's to fill."""
    rows: list[Row] = []
    for front in fronts:
        rows.append(
            {
                "front": front.id,
                "label_en": front.label_en,
                "label_ja": front.label_ja,
                "works": front.size,
                "growth": front.growth,
                "status": tracked.status[front.id] if tracked is not None else "new",
                "previous": tracked.previous_text(front.id) if tracked is not None else "",
                "technologies": (technologies or {}).get(front.id, ""),
            }
        )
    return rows


def front_work_rows(fronts: Sequence[Front]) -> list[Row]:
    """Rows of front_works.csv (tables.COLUMNS["front_works"]): one per work of each front."""
    return [{"front": front.id, "work_id": work} for front in fronts for work in front.work_ids]
