"""Research fronts, the graph half: term counts, document vectors, their nearest neighbours, Leiden communities.

The method is the science map's (CSET's Map of Science, NISTEP's Science Map, Boyack and Klavans): documents become
vectors, each is joined to its k most similar documents, and the communities of that graph are the fronts.

- Terms: English words as they are written (lower case, letters and digits, a stop-word list, at least two
  characters; unstemmed, so that labels read as words); Japanese text through kizashi's Sudachi tokeniser, only when
  a text has Japanese script in it.
- Vectors: sublinear TF-IDF reduced by latent semantic analysis (Deerwester et al. 1990: truncated SVD). References
  get vectors of their own the same way (IDF-weighted citing incidence, so that their cosine is Salton's normalised
  count of shared references: bibliographic coupling, Kessler 1963).
- Graph: the hybrid of Janssens, Glänzel and De Moor (2008, "A hybrid mapping of information science",
  Scientometrics 75), taken to graphs: a k-NN graph over the text vectors, weighted by cosine, plus a k-NN graph over
  the reference vectors of the works that have references, the two weighted (1 - w) and w. A work without
  references keeps its text edges at full strength; folding both into one vector instead made such works a cluster
  of their own (planted sub-topics split 70/30 by whether their works carried references). No work-by-work coupling
  matrix is ever formed (a reference cited by 10,000 works would make 10^8 pairs).
- Neighbours: exact cosine k-NN up to about `probes * cell_size` works; above that an inverted-file search (Jégou, Douze and
  Schmid 2011, IVF as in FAISS): spherical k-means cells, and each cell's works compared with the works of the
  `probes` cells nearest to it. Exact search at 200 k works costs 4e10 comparisons; this one about 2e9.
- Communities: Leiden (Traag, Waltman and van Eck 2019, "From Louvain to Leiden") on modularity with a resolution
  (Reichardt and Bornholdt's configuration model), seeded.
"""

from __future__ import annotations

import random
import re
import threading
from array import array
from collections import defaultdict
from collections.abc import Callable, Iterable, Sequence
from functools import cache

import numpy as np
import numpy.typing as npt
import scipy.sparse as sp

from kizashi.text.normalise import is_japanese, normalise
from kizashi.text.tokenise import ENGLISH_STOP_WORDS, Tokeniser

Progress = Callable[[str, float], None]
FloatArray = npt.NDArray[np.float32]
IntArray = npt.NDArray[np.int64]

_WORD = re.compile(r"[^\W_]+")
_HAS_LETTER = re.compile(r"[^\W\d_]")
# The boilerplate of abstracts: frequent in every front, so it would only crowd labels and similarities.
ACADEMIC_STOP_WORDS = frozenset(
    """
    abstract paper papers article study studies propose proposed proposes present presents presented result results
    method methods approach approaches based using use used uses show shows shown new novel also however can one two
    three well first many much often including include includes provide provides provided work works various several
    et al eg ie within different make makes made high low large small existing previous recent recently furthermore
    moreover thus therefore introduce introduces introduced paper's demonstrate demonstrates demonstrated achieve
    achieves achieved significant significantly compared compare performance
    """.split()  # noqa: SIM905 (a word list reads better as text)
)
STOP_WORDS = ENGLISH_STOP_WORDS | ACADEMIC_STOP_WORDS

# Rows of a similarity block: bounds the memory of one matrix product to about 64 MB of float32.
_BLOCK_ELEMENTS = 1 << 24
# Up to this many works the LSA is an exact eigendecomposition of the Gram matrix: cheap there, and no approximation.
_GRAM_LIMIT = 3000
_KMEANS_ROUNDS = 10
_KMEANS_SAMPLE_PER_CELL = 64
_IGRAPH_RANDOM = threading.Lock()  # igraph's random generator is process-wide


@cache
def _tokeniser() -> Tokeniser:
    return Tokeniser()


def words(text: str) -> list[str]:
    """The words of one text: ASCII and other non-Japanese text by a regular expression (fast), Japanese by Sudachi."""
    if text.isascii():
        return _WORD.findall(text.lower())
    if is_japanese(text):
        return _tokeniser().tokens(text)
    return _WORD.findall(normalise(text))


def _keep_word(word: str) -> bool:
    if is_japanese(word):
        return True  # the tokeniser already dropped Japanese function words; 光 and 熱 are one character
    return len(word) >= 2 and word not in STOP_WORDS and _HAS_LETTER.search(word) is not None


def _incidence(
    rows: Iterable[Iterable[str]], n: int, on_progress: Progress | None = None
) -> tuple[sp.csr_array, list[str]]:
    """Counts of each item (word, reference) per row, and the items in column order (first seen first)."""
    vocabulary: defaultdict[str, int] = defaultdict()
    vocabulary.default_factory = vocabulary.__len__  # a new item gets the next column
    indices = array("i")
    indptr = array("q", [0])
    step = max(1, n // 20)
    for i, items in enumerate(rows):
        indices.extend(map(vocabulary.__getitem__, items))
        indptr.append(len(indices))
        if on_progress is not None and i % step == step - 1:
            on_progress("terms", (i + 1) / n)
    data = np.ones(len(indices), dtype=np.float32)
    matrix = sp.csr_array(
        (data, np.frombuffer(indices, dtype=np.int32), np.frombuffer(indptr, dtype=np.int64)),
        shape=(n, len(vocabulary)),
    )
    matrix.sum_duplicates()
    return matrix, list(vocabulary)


def _document_frequency(matrix: sp.csr_array) -> IntArray:
    return np.bincount(matrix.indices, minlength=matrix.shape[1]).astype(np.int64)


def _select_columns(
    matrix: sp.csr_array, names: list[str], keep: npt.NDArray[np.bool_]
) -> tuple[sp.csr_array, list[str]]:
    columns = np.flatnonzero(keep)
    return sp.csr_array(matrix[:, columns]), [names[c] for c in columns]


def count_terms(
    texts: Sequence[str], *, min_df: int = 2, max_df: float = 0.8, on_progress: Progress | None = None
) -> tuple[sp.csr_array, list[str]]:
    """Works × terms counts (float32) and the terms: words in at least `min_df` works and at most a `max_df` share."""
    n = len(texts)
    counts, names = _incidence(map(words, texts), n, on_progress)
    df = _document_frequency(counts)
    wanted = np.fromiter(map(_keep_word, names), dtype=np.bool_, count=len(names))
    keep = wanted & (df >= min_df) & (df <= max(min_df, max_df * n))
    return _select_columns(counts, names, keep)


def count_references(references: Sequence[Sequence[str]]) -> sp.csr_array:
    """Works × referenced works (1 where cited), only references cited by two or more works: a reference one work
    cites couples nothing."""
    matrix, names = _incidence(references, len(references))
    matrix.data[:] = 1.0  # a reference listed twice is still one reference
    return _select_columns(matrix, names, _document_frequency(matrix) >= 2)[0]


def _normalise_rows(matrix: sp.csr_array) -> sp.csr_array:
    lengths = np.diff(matrix.indptr)
    row_of = np.repeat(np.arange(matrix.shape[0]), lengths)
    norms = np.sqrt(np.bincount(row_of, weights=matrix.data.astype(np.float64) ** 2, minlength=matrix.shape[0]))
    scale = np.divide(1.0, norms, out=np.zeros_like(norms), where=norms > 0)
    out = matrix.copy()
    out.data = (out.data * scale[row_of]).astype(np.float32)
    return out


def tfidf(counts: sp.csr_array) -> sp.csr_array:
    """Sublinear TF-IDF (1 + ln tf) × (ln((1 + n) / (1 + df)) + 1), rows L2-normalised (Salton and Buckley 1988)."""
    n = counts.shape[0]
    weighted = counts.astype(np.float32)
    weighted.data = 1.0 + np.log(weighted.data)
    idf = np.log((1.0 + n) / (1.0 + _document_frequency(counts))) + 1.0
    weighted.data *= idf[weighted.indices].astype(np.float32)
    return _normalise_rows(weighted)


def unit_rows(vectors: npt.NDArray[np.floating]) -> FloatArray:
    """Rows scaled to unit length (float32); zero rows stay zero."""
    norms = np.linalg.norm(vectors, axis=1, keepdims=True)
    out: FloatArray = np.zeros(vectors.shape, dtype=np.float32)
    np.divide(vectors, norms, out=out, where=norms > 0, casting="unsafe")
    return out


def _orthonormal(columns: FloatArray) -> FloatArray:
    """An orthonormal basis of the columns' span by CholeskyQR2 (Fukaya et al. 2014): two rounds of Q = Y·V·Λ^-1/2
    from the eigendecomposition of the small Gram matrix YᵀY. Two matrix products instead of LAPACK's Householder QR,
    which was the slowest step of the SVD on a busy machine; directions with no weight are dropped."""
    for _ in range(2):
        values, vectors = np.linalg.eigh((columns.T @ columns).astype(np.float64))
        keep = values > values.max(initial=0.0) * 1e-10
        columns = (columns @ (vectors[:, keep] / np.sqrt(values[keep])).astype(np.float32)).astype(np.float32)
    return columns


def randomized_svd(
    matrix: sp.csr_array, rank: int, seed: int, *, power: int = 3, oversample: int = 10
) -> tuple[FloatArray, FloatArray]:
    """U and Σ of a rank-`rank` truncated SVD by randomized range finding with power iterations (Halko, Martinsson
    and Tropp 2011, "Finding structure with randomness", SIAM Review 53, algorithms 4.4 and 5.1), in float32, the
    test matrix drawn from a seeded generator. At 200 k works ARPACK (`scipy.sparse.linalg.svds`) took 160 s for
    100 dimensions, this about 10 s of CPU; both give the same leading singular values (they differ in the noise
    tail, which carries no topic)."""
    width = min(rank + oversample, *matrix.shape)
    test = np.random.default_rng(seed).standard_normal((matrix.shape[1], width)).astype(np.float32)
    transposed = sp.csr_array(matrix.T)  # a row-major copy: its products are faster than the transposed view's
    basis = _orthonormal(matrix @ test)
    for _ in range(power):
        basis = _orthonormal(matrix @ _orthonormal(transposed @ basis))
    # B = Qᵀ·X is small (width × terms); its left singular vectors and values come from the eigendecomposition of
    # B·Bᵀ (width × width), cheaper than LAPACK's SVD of B and with the same leading directions.
    projected = np.asarray(transposed @ basis, dtype=np.float64)
    values, vectors = np.linalg.eigh(projected.T @ projected)
    top = np.argsort(-values, kind="stable")[:rank]
    singular = np.sqrt(np.clip(values[top], 0.0, None))
    return (basis @ vectors[:, top].astype(np.float32)).astype(np.float32), singular.astype(np.float32)


def lsa(matrix: sp.csr_array, dims: int, seed: int) -> FloatArray:
    """Latent semantic analysis (Deerwester et al. 1990): the rows of U·Σ of a rank-`dims` truncated SVD,
    L2-normalised, so that dot products are cosines.

    Up to 3,000 works an exact eigendecomposition of X·Xᵀ; above, `randomized_svd`. Singular vectors' signs are
    arbitrary, which changes no cosine.
    """
    n, m = matrix.shape
    rank = min(dims, n, m)
    if rank < 1 or matrix.nnz == 0:
        return np.zeros((n, max(rank, 1)), dtype=np.float32)
    if n <= _GRAM_LIMIT:
        gram = (matrix @ matrix.T).toarray().astype(np.float64)
        values, vectors = np.linalg.eigh(gram)
        top = slice(n - rank, n)
        reduced = vectors[:, top] * np.sqrt(np.clip(values[top], 0.0, None))
        # A work with no terms has a zero row in X·Xᵀ, but rounding leaves ~1e-17 in its eigenvector entries, which
        # unit_rows would blow up into a direction: zero it.
        reduced[np.diff(matrix.indptr) == 0] = 0.0
        return unit_rows(reduced)
    u, s = randomized_svd(sp.csr_array(matrix, dtype=np.float32), rank, seed)
    return unit_rows(u * s)


def _spherical_kmeans(vectors: FloatArray, cells: int, seed: int) -> FloatArray:
    """Centroids (unit length) of `cells` cells from a seeded sample, Lloyd's rounds on cosine (Dhillon and Modha 2001)."""
    rng = np.random.default_rng(seed)
    n = len(vectors)
    sample = vectors[np.sort(rng.choice(n, size=min(n, cells * _KMEANS_SAMPLE_PER_CELL), replace=False))]
    centroids = sample[np.sort(rng.choice(len(sample), size=cells, replace=False))]
    for _ in range(_KMEANS_ROUNDS):
        nearest = np.argmax(sample @ centroids.T, axis=1)
        members = sp.csr_array(
            (np.ones(len(sample), dtype=np.float32), (nearest, np.arange(len(sample)))), shape=(cells, len(sample))
        )
        sums = np.asarray(members @ sample)
        empty = np.linalg.norm(sums, axis=1) == 0
        centroids = np.where(empty[:, None], centroids, unit_rows(sums))
    return centroids


def _assign(vectors: FloatArray, centroids: FloatArray) -> IntArray:
    rows = max(1, _BLOCK_ELEMENTS // max(1, len(centroids)))
    return np.concatenate(
        [np.argmax(vectors[i : i + rows] @ centroids.T, axis=1) for i in range(0, len(vectors), rows)]
    ).astype(np.int64)


def _cells(vectors: FloatArray, cell_size: int, probes: int, seed: int) -> tuple[list[IntArray], list[IntArray]]:
    """The cells (row numbers of their works, ascending) and, for each, the cells it searches (itself first)."""
    n = len(vectors)
    count = n // max(1, cell_size)
    if count <= probes:
        return [np.arange(n, dtype=np.int64)], [np.zeros(1, dtype=np.int64)]
    centroids = _spherical_kmeans(vectors, count, seed)
    cell = _assign(vectors, centroids)
    order = np.argsort(cell, kind="stable")
    bounds = np.concatenate([[0], np.cumsum(np.bincount(cell, minlength=count))])
    members = [order[bounds[c] : bounds[c + 1]] for c in range(count)]
    closeness = centroids @ centroids.T
    np.fill_diagonal(closeness, np.inf)
    searched = np.argsort(-closeness, axis=1, kind="stable")[:, :probes]
    return members, [searched[c].astype(np.int64) for c in range(count)]


def neighbours(
    vectors: FloatArray,
    k: int,
    *,
    cell_size: int = 1000,
    probes: int = 10,
    seed: int = 42,
    on_progress: Progress | None = None,
) -> tuple[IntArray, FloatArray]:
    """Each work's (up to) k most similar works by cosine of `vectors` (unit rows): neighbour rows and similarities,
    `-1` and `-inf` where a work has fewer candidates. Works with a zero vector (no terms, no references) take part
    in no search."""
    n = len(vectors)
    found = np.full((n, k), -1, dtype=np.int64)
    similarity = np.full((n, k), -np.inf, dtype=np.float32)
    active = np.flatnonzero(np.linalg.norm(vectors, axis=1) > 0)
    if k < 1 or len(active) < 2:
        return found, similarity
    points = np.ascontiguousarray(vectors[active])
    members, searched = _cells(points, cell_size, probes, seed)
    for c, (own, probe) in enumerate(zip(members, searched, strict=True)):
        if len(own) == 0:
            continue
        candidates = np.concatenate([members[p] for p in probe])  # the cell's own works come first
        take = min(k, len(candidates) - 1)
        if take < 1:
            continue
        pool = points[candidates]
        rows = max(1, _BLOCK_ELEMENTS // len(candidates))
        for start in range(0, len(own), rows):
            block = own[start : start + rows]
            scores = points[block] @ pool.T
            scores[np.arange(len(block)), start + np.arange(len(block))] = -np.inf  # not one's own neighbour
            top = np.argpartition(scores, -take, axis=1)[:, -take:]
            found[active[block], :take] = active[candidates[top]]
            similarity[active[block], :take] = np.take_along_axis(scores, top, axis=1)
        if on_progress is not None:
            on_progress("neighbours", (c + 1) / len(members))
    return found, similarity


def knn_matrix(found: IntArray, similarity: FloatArray, min_similarity: float = 0.0) -> sp.csr_array:
    """The k-NN graph as a symmetric sparse matrix: an edge where either work is among the other's neighbours,
    weighted by their cosine, kept above `min_similarity`."""
    n = len(found)
    rows = np.repeat(np.arange(n, dtype=np.int64), found.shape[1])
    cols = found.ravel()
    weights = similarity.ravel()
    keep = (cols >= 0) & (weights > min_similarity)
    directed = sp.csr_array((weights[keep].astype(np.float64), (rows[keep], cols[keep])), shape=(n, n))
    return sp.csr_array(directed.maximum(directed.T))


def edge_list(graph: sp.csr_array) -> tuple[IntArray, FloatArray]:
    """Undirected edges (i < j, in row order) and their weights of a symmetric sparse matrix."""
    upper = sp.triu(graph, k=1, format="coo")
    upper.sum_duplicates()  # canonical: sorted by row, then column
    keep = upper.data > 0
    edges = np.column_stack([upper.row[keep], upper.col[keep]]).astype(np.int64)
    return edges, upper.data[keep].astype(np.float32)


def leiden(n: int, edges: IntArray, weights: FloatArray, *, resolution: float, seed: int, iterations: int) -> IntArray:
    """Community of each vertex: Leiden on modularity with a resolution (the RB configuration model; 1 is plain
    modularity), seeded.

    igraph's own Leiden (`community_leiden`, in C) rather than `leidenalg.find_partition` with
    RBConfigurationVertexPartition: the same quality function, and on the same 50 k-work graph both found the same
    12 communities (equal modularity), in 1.2 s against 11.6 s of CPU; at 200 k works leidenalg took 68 s of the
    run's 120. igraph draws from a process-wide generator, so a seeded one is set for the call (under a lock) and
    Python's `random` module, igraph's default, put back after.
    """
    # Imported here: loading igraph costs the command line's start-up, and only a scan needs it.
    import igraph

    if n == 0:
        return np.zeros(0, dtype=np.int64)
    graph = igraph.Graph(n=n, edges=edges, directed=False, edge_attrs={"weight": weights.astype(np.float64)})
    with _IGRAPH_RANDOM:
        igraph.set_random_number_generator(random.Random(seed))
        try:
            partition = graph.community_leiden(
                objective_function="modularity", weights="weight", resolution=resolution, n_iterations=iterations
            )
        finally:
            igraph.set_random_number_generator(random)
    return np.asarray(partition.membership, dtype=np.int64)
