"""Match-speed benchmark: queries per second of kizashi's matcher against bare bm25s retrieval, in the same run.

Seeds are generated (default 100 000): titles and objectives of 8–14 and 60–200 words drawn, with their real
frequencies, from the words of the CORDIS "Secure societies" objectives in `../shared/data/cordis-security` (or, when
that folder is missing, from the objectives of kizashi's bundled demo slice). Needs (default 1 000) are generated the
same way as 5–12-word titles, a fifth of them in Japanese (three sentences drawn from the bundled Japanese demo
needs and the Japanese dev set of match_quality.py).

Contenders, on the same seeds and needs, top K = 10:
- bm25s: `bm25s.tokenize(stopwords="en", stemmer=Stemmer("english"))`, `BM25().index`, `retrieve(k=10)` — the
  library alone, queries tokenised and retrieved in one batch (its fastest use);
- kizashi: `Matcher(seeds).match(needs, top=10)` — tokenising (Sudachi for Japanese), the lexical, translated and
  concept channels, fusion, and the evidence of every proposal (terms in each text's own words).

Printed: index time and queries/s for both, and the ratio kizashi ÷ bm25s. Goal (issue 4): at least 1/3. Times are
this process's CPU time (both contenders run on one thread), so other load on the machine does not skew the ratio.

    python benchmarks/match_speed.py
    python benchmarks/match_speed.py --seeds 20000 --needs 200     # a quick run
"""

from __future__ import annotations

import argparse
import csv
import random
import re
import sys
import time
from collections import Counter
from collections.abc import Callable
from importlib import resources
from pathlib import Path
from typing import Any

from kizashi.text.normalise import is_japanese

GOAL = 1 / 3
DATA = Path(__file__).resolve().parent.parent.parent / "shared" / "data" / "cordis-security"


def vocabulary(data: Path) -> tuple[list[str], list[int]]:
    """Words and their counts from real project objectives."""
    path = data / "h2020_secure_societies_projects.csv"
    if not path.exists():
        path = Path(str(resources.files("kizashi").joinpath("data/demo/cordis_projects.csv")))
    with path.open(encoding="utf-8") as handle:
        sample = handle.readline()
        handle.seek(0)
        rows = csv.DictReader(handle, delimiter=";" if sample.count(";") > sample.count(",") else ",")
        counts = Counter(word for row in rows for word in re.findall(r"[A-Za-z][A-Za-z-]+", row["objective"]))
    words = sorted(counts)
    return words, [counts[word] for word in words]


def generate(
    n_seeds: int, n_needs: int, data: Path, seed: int
) -> tuple[list[tuple[str, str, str]], list[tuple[str, str]]]:
    rng = random.Random(seed)
    words, weights = vocabulary(data)

    def text(low: int, high: int) -> str:
        return " ".join(rng.choices(words, weights, k=rng.randint(low, high)))

    seeds = [(f"s{i:07d}", text(8, 14), text(60, 200)) for i in range(n_seeds)]
    sentences = japanese_sentences()
    needs = [(f"n{i:05d}", "".join(rng.sample(sentences, 3)) if i % 5 == 0 else text(5, 12)) for i in range(n_needs)]
    return seeds, needs


def japanese_sentences() -> list[str]:
    """The sentences of the bundled Japanese demo needs and of the Japanese dev set: a Japanese need of the benchmark
    is three of them drawn at random, so needs differ while their vocabulary is a ministry's."""
    texts = []
    with resources.files("kizashi").joinpath("data/demo/needs_ja.csv").open(encoding="utf-8") as handle:
        texts += [row["title"] + "。" + row.get("description", "") for row in csv.DictReader(handle)]
    dev = Path(__file__).resolve().parent / "data" / "ja_needs_dev.csv"
    with dev.open(encoding="utf-8") as handle:
        texts += [row["title"] + "。" + row["description"] for row in csv.DictReader(handle)]
    return [sentence + "。" for text in texts for sentence in text.split("。") if sentence.strip()]


CHUNK = 100  # needs per turn


def index_bm25s(seeds: list[tuple[str, str, str]]) -> tuple[Callable[[list[str]], object], float]:
    import bm25s
    import Stemmer

    stemmer = Stemmer.Stemmer("english")
    started = time.process_time()
    corpus = bm25s.tokenize([f"{t} {d}" for _, t, d in seeds], stopwords="en", stemmer=stemmer, show_progress=False)
    retriever = bm25s.BM25()
    retriever.index(corpus, show_progress=False)
    index_s = time.process_time() - started

    def query(texts: list[str]) -> object:
        tokens = bm25s.tokenize(texts, stopwords="en", stemmer=stemmer, show_progress=False)
        return retriever.retrieve(tokens, k=10, show_progress=False)

    return query, index_s


def index_kizashi(seeds: list[tuple[str, str, str]]) -> tuple[Callable[[list[tuple[str, str]]], object], float]:
    from kizashi.retrieval import Matcher, Statement

    started = time.process_time()
    matcher = Matcher([Statement(i, t, d) for i, t, d in seeds])
    index_s = time.process_time() - started
    return (lambda needs: matcher.match([Statement(i, text) for i, text in needs], top=10)), index_s


def timed(run: Callable[[list[Any]], object], argument: list[Any]) -> float:
    started = time.process_time()
    run(argument)
    return time.process_time() - started


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--seeds", type=int, default=100_000, help="generated seeds (default 100000)")
    parser.add_argument("--needs", type=int, default=1_000, help="generated needs (default 1000)")
    parser.add_argument("--data", type=Path, default=DATA, help="cordis-security folder for the word frequencies")
    parser.add_argument("--seed", type=int, default=0, help="random seed (default 0)")
    args = parser.parse_args(argv)
    seeds, needs = generate(args.seeds, args.needs, args.data, args.seed)
    print(f"{len(seeds):,} seeds, {len(needs):,} needs (a fifth Japanese), top 10", flush=True)
    bm25s_query, bm25s_index = index_bm25s(seeds)
    kizashi_query, kizashi_index = index_kizashi(seeds)
    # The two take turns, a hundred needs each, so that both meet the same load on a shared machine.
    # Each language apart too, so that the cost of reading a Japanese need is seen, not averaged away.
    spent = {(name, lang): 0.0 for name in ("bm25s", "kizashi") for lang in ("en", "ja")}
    for first in range(0, len(needs), CHUNK):
        chunk = needs[first : first + CHUNK]
        for lang in ("en", "ja"):
            part = [need for need in chunk if is_japanese(need[1]) == (lang == "ja")]
            if part:
                spent["bm25s", lang] += timed(bm25s_query, [text for _, text in part])
                spent["kizashi", lang] += timed(kizashi_query, part)
    counts = {lang: sum(is_japanese(text) == (lang == "ja") for _, text in needs) for lang in ("en", "ja")}
    indexed = {"bm25s": bm25s_index, "kizashi": kizashi_index}
    results = {name: (indexed[name], len(needs) / (spent[name, "en"] + spent[name, "ja"])) for name in indexed}
    print(f"{'contender':<10} {'index s':>9} {'queries/s':>10} {'en q/s':>10} {'ja q/s':>10}")
    for name, (index_s, qps) in results.items():
        by_lang = [counts[lang] / spent[name, lang] if spent[name, lang] else 0.0 for lang in ("en", "ja")]
        print(f"{name:<10} {index_s:9.1f} {qps:10.1f} {by_lang[0]:10.1f} {by_lang[1]:10.1f}")
    ratio = results["kizashi"][1] / results["bm25s"][1]
    met = ratio >= GOAL
    print(f"ratio kizashi / bm25s: {ratio:.3f} (goal ≥ {GOAL:.3f}: {'met' if met else 'NOT met'})")
    return 0 if met else 1


if __name__ == "__main__":
    sys.exit(main())
