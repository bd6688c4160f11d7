"""Research fronts at scale: `find_fronts` on generated works with planted sub-topics (and, optionally, on real papers).

    python benchmarks/scan_fronts.py                  # 20 k and 200 k generated works
    python benchmarks/scan_fronts.py --n 20000        # one size
    python benchmarks/scan_fronts.py --recall 500     # also the recall of the approximate neighbour search
    python benchmarks/scan_fronts.py --real ../shared/data/ai-conference-papers/works.jsonl.gz

Each generated work belongs to one planted sub-topic (about 4,000 works each): its 100 words are 35 from the
sub-topic's own vocabulary, 10 from a sibling sub-topic's, 55 from shared noise words (Zipf-distributed), and 70 % of
works cite 12 references from their sub-topic's pool and 4 from anywhere. Printed per size: seconds of `find_fronts`,
the peak RSS of the process (input generated in a child; the peak before the run is the input's), the fronts found, the
share of works placed in a front, purity (works in a front whose planted sub-topic is the front's majority), the
adjusted Rand index over the works in fronts, and the goal: 200 k works in under 180 s on 2 cores. The load average
is printed too: on a machine shared with other work the wall time says little, and OpenBLAS's threads then spin
(OPENBLAS_NUM_THREADS=1 helps there).
"""

from __future__ import annotations

import argparse
import gzip
import multiprocessing
import os
import resource
import sys
import time
from collections.abc import Sequence
from pathlib import Path

import numpy as np
import orjson
from scipy.special import comb

from kizashi.know.landscape import fronts_graph
from kizashi.know.landscape.fronts import Front, FrontInput, FrontSettings, find_fronts

GOAL_SECONDS = 180.0
GOAL_WORKS = 200_000
TOPIC_WORKS = 4_000
WORDS_PER_WORK = 100
OWN, SIBLING = 35, 10
SYLLABLES = [c + v for c in "bdfgklmnprstvz" for v in "aeiou"]


def pseudo_words(count: int, offset: int) -> list[str]:
    """`count` distinct made-up words of three syllables (none a stop word), numbered from `offset`."""
    s = len(SYLLABLES)
    out = []
    for i in range(offset, offset + count):
        word = SYLLABLES[i % s] + SYLLABLES[(i // s) % s] + SYLLABLES[(i // s // s) % s] + SYLLABLES[i // s**3 % s]
        out.append(word)
    assert not set(out) & fronts_graph.STOP_WORDS
    return out


def generate(n: int, seed: int = 7) -> tuple[FrontInput, np.ndarray]:
    """n works with planted sub-topics; returns the input and each work's planted sub-topic."""
    rng = np.random.default_rng(seed)
    topics = max(2, n // TOPIC_WORKS)
    own_vocab, noise_vocab = 40, 5000
    vocabulary = np.array(pseudo_words(topics * own_vocab + noise_vocab, 0))
    topic = np.sort(rng.integers(0, topics, n))
    zipf_own = 1.0 / np.arange(1, own_vocab + 1)
    zipf_noise = 1.0 / np.arange(1, noise_vocab + 1) ** 0.9
    own = rng.choice(own_vocab, size=(n, OWN), p=zipf_own / zipf_own.sum()) + (topic * own_vocab)[:, None]
    sibling_topic = (topic + 1) % topics
    sibling = (
        rng.choice(own_vocab, size=(n, SIBLING), p=zipf_own / zipf_own.sum()) + (sibling_topic * own_vocab)[:, None]
    )
    noise = rng.choice(noise_vocab, size=(n, WORDS_PER_WORK - OWN - SIBLING), p=zipf_noise / zipf_noise.sum())
    noise += topics * own_vocab
    words = vocabulary[np.hstack([own, sibling, noise])]
    texts = [" ".join(row) for row in words.tolist()]
    years = rng.integers(2010, 2025, n).tolist()
    pool = 60
    cites = rng.random(n) < 0.7
    own_refs = rng.integers(0, pool, (n, 12)) + (topic * pool)[:, None]
    any_refs = rng.integers(topics * pool, topics * pool + n // 2, (n, 4))
    refs = np.hstack([own_refs, any_refs])
    references = [[f"R{r}" for r in row] if cited else [] for row, cited in zip(refs.tolist(), cites, strict=True)]
    ids = [f"W{i:07d}" for i in range(n)]
    order = rng.permutation(n)  # works arrive in no particular order
    data = FrontInput(
        work_ids=[ids[i] for i in order],
        texts=[texts[i] for i in order],
        years=[years[i] for i in order],
        references=[references[i] for i in order],
    )
    return data, topic[order]


def scores(fronts: Sequence[Front], data: FrontInput, truth: np.ndarray) -> tuple[float, float, float]:
    """Coverage (share of works in a front), purity and adjusted Rand index (Hubert and Arabie 1985) over those works."""
    row = {work: i for i, work in enumerate(data.work_ids)}
    found = np.full(len(truth), -1)
    for f, front in enumerate(fronts):
        found[[row[w] for w in front.work_ids]] = f
    placed = found >= 0
    if not placed.any():
        return 0.0, 0.0, 0.0
    a, b = found[placed], truth[placed]
    table = np.zeros((a.max() + 1, b.max() + 1), dtype=np.int64)
    np.add.at(table, (a, b), 1)
    purity = table.max(axis=1).sum() / placed.sum()
    pairs = comb(table, 2).sum()
    rows, cols = comb(table.sum(axis=1), 2).sum(), comb(table.sum(axis=0), 2).sum()
    expected = rows * cols / comb(placed.sum(), 2)
    ari = (pairs - expected) / ((rows + cols) / 2 - expected)
    return float(placed.mean()), float(purity), float(ari)


def peak_mb() -> float:
    # ru_maxrss is in KiB on Linux.
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def recall(data: FrontInput, settings: FrontSettings, queries: int) -> float:
    """Share of the exact k nearest neighbours (by text) the approximate search finds, over `queries` sampled works."""
    counts, _ = fronts_graph.count_terms(data.texts, min_df=settings.min_df, max_df=settings.max_df)
    vectors = fronts_graph.lsa(fronts_graph.tfidf(counts), settings.dims, settings.seed)
    found, _ = fronts_graph.neighbours(
        vectors, settings.k, cell_size=settings.cell_size, probes=settings.probes, seed=settings.seed
    )
    sample = np.random.default_rng(1).choice(len(vectors), size=queries, replace=False)
    scores_ = vectors[sample] @ vectors.T
    scores_[np.arange(queries), sample] = -np.inf
    exact = np.argpartition(scores_, -settings.k, axis=1)[:, -settings.k :]
    hits = sum(len(set(exact[i].tolist()) & set(found[q].tolist())) for i, q in enumerate(sample))
    return hits / (queries * settings.k)


def run(n: int, recall_queries: int) -> bool:
    print(f"\n== {n:,} generated works ==", flush=True)
    # Generated in a child process, so that this process's peak RSS is the input's and find_fronts's alone.
    with multiprocessing.get_context("fork").Pool(1) as pool:
        data, truth = pool.apply(generate, (n,))
    settings = FrontSettings()
    before = peak_mb()
    steps: dict[str, float] = {}
    load = os.getloadavg()[0]
    cpu = time.process_time()
    start = time.perf_counter()

    def progress(step: str, fraction: float) -> None:
        steps[step] = time.perf_counter() - start

    fronts = find_fronts(data, settings, on_progress=progress)
    seconds = time.perf_counter() - start
    cpu = time.process_time() - cpu
    coverage, purity, ari = scores(fronts, data, truth)
    print(f"planted sub-topics     {int(truth.max()) + 1}")
    print(f"fronts found           {len(fronts)}  (sizes {fronts[0].size}..{fronts[-1].size})" if fronts else "none")
    print("steps (s, cumulative)  " + ", ".join(f"{k} {v:.1f}" for k, v in steps.items()))
    print(f"find_fronts            {seconds:.1f} s wall, {cpu:.1f} s CPU (all threads)")
    print(f"load average           {load:.1f} before, {os.getloadavg()[0]:.1f} after ({os.cpu_count()} cores)")
    print(f"peak RSS               {peak_mb():.0f} MB (before find_fronts, with its input: {before:.0f} MB)")
    print(f"in a front             {coverage:.3f}")
    print(f"purity                 {purity:.3f}")
    print(f"adjusted Rand index    {ari:.3f}")
    print(f"front 1                {fronts[0].label_en}" if fronts else "")
    met = True
    if n >= GOAL_WORKS:
        met = seconds < GOAL_SECONDS
        print(f"goal                   < {GOAL_SECONDS:.0f} s for {GOAL_WORKS:,} works: {'met' if met else 'NOT met'}")
    if recall_queries:
        print(f"neighbour recall@{settings.k}     {recall(data, settings, recall_queries):.3f}")
    return met


def inverted_abstract(index: dict[str, list[int]] | None) -> str:
    if not index:
        return ""
    places = sorted((p, word) for word, positions in index.items() for p in positions)
    return " ".join(word for _, word in places)


def real(path: Path, recall_queries: int) -> None:
    ids, texts, years, references = [], [], [], []
    with gzip.open(path, "rb") as lines:
        for line in lines:
            work = orjson.loads(line)
            ids.append(work["id"])
            texts.append(f"{work.get('title') or ''}. {inverted_abstract(work.get('abstract_inverted_index'))}")
            years.append(int(work.get("publication_year") or 0))
            references.append(work.get("referenced_works") or [])
    data = FrontInput(ids, texts, years, references)
    print(f"\n== {path} ({len(ids):,} works) ==", flush=True)
    start = time.perf_counter()
    fronts = find_fronts(data)
    print(f"find_fronts {time.perf_counter() - start:.1f} s, peak RSS {peak_mb():.0f} MB, {len(fronts)} fronts")
    print(f"in a front {sum(f.size for f in fronts) / len(ids):.3f}")
    for front in fronts[:25]:
        growth = "" if front.growth is None else f"{front.growth:+.2f}"
        print(f"{front.id}  {front.size:6d}  {growth:>6}  {front.label_en}")
    if recall_queries:
        print(f"neighbour recall@{FrontSettings().k}: {recall(data, FrontSettings(), recall_queries):.3f}")


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--n", type=int, action="append", help="generated works (repeatable; default 20k and 200k)")
    parser.add_argument("--recall", type=int, default=0, help="queries for the neighbour-recall check (0: none)")
    parser.add_argument("--real", type=Path, help="an OpenAlex works JSON-lines file (.gz) to cluster too")
    args = parser.parse_args(argv)
    ok = all([run(n, args.recall) for n in args.n or [20_000, GOAL_WORKS]])
    if args.real:
        real(args.real, args.recall)
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
