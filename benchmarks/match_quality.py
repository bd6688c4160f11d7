"""Match-quality benchmark: needs ↔ seeds ranking quality of kizashi's matcher against plain bm25s, in the same run.

Data (read-only, `../shared/data/cordis-security`, see its SOURCE.md; `--data DIR` points elsewhere):

- seeds: the 391 H2020 "Secure societies" projects of `h2020_secure_societies_projects.csv` (id, title, objective);
- English needs: the H2020 call-topic titles of `topic_project_links.csv`, one need per topic code, title only;
- relevant seeds of a topic: the projects linked to it in `topic_project_links.csv` that are among the seeds. Links
  without a topic title are dropped, and only topics with at least one relevant seed count;
- Japanese needs, two independent sets (see benchmarks/data/SOURCE.md), each need judged against its topic's
  projects: `ja dev`, `benchmarks/data/ja_needs_dev.csv`, 39 statements on which the matcher's method was tuned
  (`--ja-needs FILE` replaces it); `ja held-out`, `benchmarks/data/ja_needs_heldout.csv`, 72 statements written
  afterwards by two other hands in four styles (one-line requests, jargon, long background paragraphs, plain words) and
  never tuned on (`--ja-heldout FILE` replaces it). The Japanese goal and the figures we publish are the held-out set's;
  its MRR is also printed per style.

Contenders, each ranking the same seeds for the same needs:

- bm25s: `bm25s.tokenize(..., stopwords="en", stemmer=Stemmer.Stemmer("english"))` on "title + objective" of every
  seed and on "title + description" of every need, `bm25s.BM25().index(...)`, `retrieve(k=K)`. Nothing else — the
  baseline a user gets from the library alone. On Japanese needs it can only match the odd Latin-script word (GDPR,
  IoT, 5G), so it scores near zero: that is the gap kizashi's translation and concept channels must close;
- kizashi: `Matcher([Statement(id, title, description=objective), ...]).match(needs, top=K)` from
  `kizashi.retrieval` (the matcher `kizashi.know` uses). When that import fails the run says so and reports the
  baseline alone (exit 0).

Metrics per dataset and contender, over the top K (default 10): MRR (mean over needs of 1 / rank of the first relevant
seed, 0 when none is in the top K) and recall@K (mean over needs of the share of its relevant seeds in the top K);
kizashi − bm25s for both; queries per second (matching every need of the set once, after the index is built; with
~100 needs this is indicative only — benchmarks/match_speed.py measures speed). bm25s returns K documents even when
no document shares a term with the query (all scores 0, in arbitrary order); results with score 0 are not counted.

Goals (issues 4 and 13): English MRR at least 0.05 above bm25s's (GOAL_EN_DELTA); Japanese → English MRR ≥ 0.65 on the
held-out set (GOAL_JA_MRR).
Exit code 0 when both are met (with --dense-model: by kizashi+dense) or kizashi's matcher is not available, 1 when a
goal is missed, 2 on bad data.

    python benchmarks/match_quality.py
    python benchmarks/match_quality.py --top 20
    python benchmarks/match_quality.py --json > match_quality.json     # rows, goals and per-need first-hit ranks
    python benchmarks/match_quality.py --dense-model DIR   # also kizashi with the dense channel (a local model)

The dense channel (text/embed.py) needs a model folder on disk: a sentence-transformers model (pip install
'kizashi[dense]') or a model2vec one ('kizashi[dense-static]'). Measured with all-MiniLM-L6-v2 (benchmarks/README.md).
"""

from __future__ import annotations

import argparse
import csv
import json
import sys
import time
from collections import defaultdict
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
DEFAULT_DATA = ROOT.parent / "shared" / "data" / "cordis-security"
DEFAULT_JA_NEEDS = Path(__file__).resolve().parent / "data" / "ja_needs_dev.csv"
DEFAULT_JA_HELDOUT = Path(__file__).resolve().parent / "data" / "ja_needs_heldout.csv"
PROJECTS = "h2020_secure_societies_projects.csv"
LINKS = "topic_project_links.csv"
GOAL_EN_DELTA = 0.05
GOAL_JA_MRR = 0.65
# A ranked list for one need: seed ids, best first.
Ranking = list[str]


class DataError(Exception):
    """The data folder or the Japanese needs file is missing or malformed."""


@dataclass(frozen=True)
class Seed:
    id: str
    title: str
    objective: str


@dataclass(frozen=True)
class Need:
    id: str
    topic_code: str
    title: str
    description: str
    relevant: frozenset[str]
    style: str = ""


def read_csv(path: Path, columns: Sequence[str]) -> list[dict[str, str]]:
    if not path.is_file():
        raise DataError(f"{path}: not found")
    with path.open(newline="", encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    missing = [column for column in columns if rows and column not in rows[0]]
    if not rows or missing:
        raise DataError(f"{path}: {'no rows' if not rows else 'missing column(s) ' + ', '.join(missing)}")
    return rows


def load_seeds(data: Path) -> list[Seed]:
    rows = read_csv(data / PROJECTS, ["id", "title", "objective"])
    # Sorted by id so that both contenders index the same order whatever the file's order (ties break the same way).
    return sorted((Seed(row["id"], row["title"].strip(), row["objective"].strip()) for row in rows), key=lambda s: s.id)


def load_topics(data: Path, seed_ids: set[str]) -> tuple[list[Need], dict[str, Any]]:
    """One English need per topic code with at least one linked seed; also what a reader should know about them."""
    rows = read_csv(data / LINKS, ["project_id", "topic_code", "topic_title"])
    relevant: dict[str, set[str]] = defaultdict(set)
    titles: dict[str, str] = {}
    untitled = 0
    for row in rows:
        code, title = row["topic_code"].strip(), " ".join(row["topic_title"].split())
        if not title:
            untitled += 1  # bare codes such as "SECURITY": no text to match on
            continue
        if row["project_id"] in seed_ids:
            relevant[code].add(row["project_id"])
            titles.setdefault(code, title)
    needs = [Need(code, code, titles[code], "", frozenset(relevant[code])) for code in sorted(relevant)]
    # Different codes with the same title (a call repeated in another year) are the same query judged against
    # different projects: no ranker can tell them apart, so they cap the attainable MRR. Counted, not merged, so
    # that a need stays a topic code as the issue defines it.
    by_title: dict[str, list[str]] = defaultdict(list)
    for need in needs:
        by_title[need.title.casefold()].append(need.id)
    shared = sorted(codes for codes in by_title.values() if len(codes) > 1)
    notes = {
        "links_without_title": untitled,
        "topics_sharing_a_title": shared,
        "largest_topics": sorted(((n.id, len(n.relevant)) for n in needs), key=lambda item: -item[1])[:3],
    }
    return needs, notes


def load_ja_needs(path: Path, topics: dict[str, Need]) -> list[Need]:
    rows = read_csv(path, ["id", "topic_code", "title", "description"])
    needs = []
    for number, row in enumerate(rows, start=2):
        topic = topics.get(row["topic_code"])
        if topic is None:
            raise DataError(f"{path}, row {number}: topic_code {row['topic_code']!r} has no linked seed")
        needs.append(
            Need(
                row["id"],
                topic.id,
                row["title"].strip(),
                row["description"].strip(),
                topic.relevant,
                (row.get("style") or "").strip(),
            )
        )
    if len({need.id for need in needs}) != len(needs):
        raise DataError(f"{path}: duplicate ids")
    return needs


def need_text(need: Need) -> str:
    return f"{need.title}\n{need.description}" if need.description else need.title


def scores(rankings: Sequence[Ranking], needs: Sequence[Need], k: int) -> tuple[float, float, list[int | None]]:
    """MRR@k, recall@k and, per need, the rank of its first relevant seed (None when not in the top k)."""
    reciprocal = recall = 0.0
    first_hits: list[int | None] = []
    for ranking, need in zip(rankings, needs, strict=True):
        top = ranking[:k]
        first = next((rank for rank, seed in enumerate(top, start=1) if seed in need.relevant), None)
        first_hits.append(first)
        reciprocal += 1 / first if first else 0.0
        recall += len(need.relevant.intersection(top)) / len(need.relevant)
    return reciprocal / len(needs), recall / len(needs), first_hits


def bm25s_contender(seeds: Sequence[Seed], k: int) -> tuple[Callable[[Sequence[Need]], list[Ranking]], float]:
    """Plain bm25s over title + objective; returns the ranking function and the time its index took."""
    import bm25s
    import Stemmer

    stemmer = Stemmer.Stemmer("english")
    started = time.perf_counter()
    retriever = bm25s.BM25()
    corpus = [f"{seed.title}\n{seed.objective}" for seed in seeds]
    retriever.index(bm25s.tokenize(corpus, stopwords="en", stemmer=stemmer, show_progress=False), show_progress=False)
    index_s = time.perf_counter() - started
    depth = min(k, len(seeds))  # bm25s refuses k above the corpus size

    def rank(needs: Sequence[Need]) -> list[Ranking]:
        tokens = bm25s.tokenize([need_text(n) for n in needs], stopwords="en", stemmer=stemmer, show_progress=False)
        documents, found = retriever.retrieve(tokens, k=depth, show_progress=False)
        # Score 0 means no shared term: bm25s still fills the list, in an order that says nothing.
        return [
            [seeds[int(doc)].id for doc, score in zip(row, row_scores, strict=True) if score > 0]
            for row, row_scores in zip(documents, found, strict=True)
        ]

    return rank, index_s


# need id → (seed id, the strength its evidence states), for every proposal kizashi made in the run.
Strengths = dict[str, list[tuple[str, str]]]


def kizashi_contender(
    seeds: Sequence[Seed], k: int, dense_model: Path | None = None, strengths: Strengths | None = None
) -> tuple[Callable[[Sequence[Need]], list[Ranking]], float]:
    """kizashi's Matcher through its public interface, with the configured settings (KIZASHI_MATCH_*) and, given
    `dense_model`, the dense channel from that folder; ImportError when it is not there (yet). `strengths` collects
    each proposal's strength in words."""
    from dataclasses import replace

    from kizashi.retrieval import Matcher, Statement, configured_settings

    settings = configured_settings()
    if dense_model is not None:
        settings = replace(settings, dense_model=str(dense_model))
    started = time.perf_counter()
    statements = [Statement(id=seed.id, title=seed.title, description=seed.objective) for seed in seeds]
    matcher = Matcher(statements, settings=settings)
    index_s = time.perf_counter() - started

    def rank(needs: Sequence[Need]) -> list[Ranking]:
        statements = [Statement(id=need.id, title=need.title, description=need.description) for need in needs]
        results = matcher.match(statements, top=k)
        if len(results) != len(needs):
            raise RuntimeError(f"Matcher.match returned {len(results)} lists for {len(needs)} needs")
        rankings = []
        for need, proposals in zip(needs, results, strict=True):
            if any(proposal.need_id != need.id for proposal in proposals):
                raise RuntimeError(f"Matcher.match: proposals for need {need.id} carry another need_id")
            rankings.append([proposal.seed_id for proposal in sorted(proposals, key=lambda p: p.rank)])
            if strengths is not None:
                strengths[need.id] = [(p.seed_id, str(p.evidence.get("strength"))) for p in proposals]
        return rankings

    return rank, index_s


def measure(
    method: str,
    rank: Callable[[Sequence[Need]], list[Ranking]],
    index_s: float,
    datasets: dict[str, list[Need]],
    k: int,
) -> list[dict[str, Any]]:
    rows = []
    for dataset, needs in datasets.items():
        started = time.perf_counter()
        rankings = rank(needs)
        elapsed = time.perf_counter() - started
        mrr, recall, first_hits = scores(rankings, needs, k)
        rows.append(
            {
                "dataset": dataset,
                "method": method,
                "needs": len(needs),
                "mrr": mrr,
                "recall": recall,
                "queries_per_s": len(needs) / elapsed if elapsed > 0 else None,  # None, not inf: JSON has no infinity
                "index_s": index_s,
                "first_hit": {need.id: hit for need, hit in zip(needs, first_hits, strict=True)},
            }
        )
    return rows


def strength_bands(strengths: Strengths, datasets: dict[str, list[Need]]) -> list[dict[str, Any]]:
    """Per dataset and strength word: how many proposals carry it and the share of them that are relevant. The words
    promise an order (strong proposals relevant more often than possible ones, those more than weak ones); the rule
    behind them is fixed (kizashi.retrieval.strength), so both datasets report it."""
    rows = []
    for dataset, needs in datasets.items():
        counts: dict[str, list[int]] = {}
        for need in needs:
            for seed_id, word in strengths.get(need.id, []):
                count = counts.setdefault(word, [0, 0])
                count[0] += 1
                count[1] += seed_id in need.relevant
        for word in ("strong", "possible", "weak"):
            proposals, relevant = counts.get(word, [0, 0])
            rows.append({"dataset": dataset, "strength": word, "proposals": proposals,
                         "relevant_share": relevant / proposals if proposals else None})  # fmt: skip
    return rows


def print_table(rows: Sequence[dict[str, Any]], k: int) -> None:
    baseline = {row["dataset"]: row for row in rows if row["method"] == "bm25s"}
    header = (
        f"{'dataset':<11} {'method':<13} {'needs':>5} {'MRR':>6} {f'recall@{k}':>9} "
        f"{'ΔMRR':>7} {f'Δrecall@{k}':>10} {'queries/s':>10} {'index s':>8}"
    )
    print(header)
    print("-" * len(header))
    for row in rows:
        base = baseline[row["dataset"]]
        # The difference only on kizashi's rows: bm25s against itself says nothing.
        mrr_delta = recall_delta = ""
        if row["method"] != "bm25s":
            mrr_delta, recall_delta = f"{row['mrr'] - base['mrr']:+.3f}", f"{row['recall'] - base['recall']:+.3f}"
        qps = "—" if row["queries_per_s"] is None else f"{row['queries_per_s']:.1f}"
        print(
            f"{row['dataset']:<11} {row['method']:<13} {row['needs']:>5} {row['mrr']:6.3f} {row['recall']:9.3f} "
            f"{mrr_delta:>7} {recall_delta:>10} {qps:>10} {row['index_s']:8.2f}"
        )


def print_styles(rows: Sequence[dict[str, Any]], needs: Sequence[Need]) -> None:
    """MRR of each contender on the held-out needs of each writing style."""
    styles = sorted({need.style for need in needs if need.style})
    if not styles:
        return
    print("\nja held-out MRR by style: " + ", ".join(f"{s} ({sum(n.style == s for n in needs)})" for s in styles))
    for row in rows:
        if row["dataset"] != "ja held-out":
            continue
        by_style = []
        for style in styles:
            hits = [row["first_hit"][n.id] for n in needs if n.style == style]
            by_style.append(f"{style} {sum(1 / h for h in hits if h) / len(hits):.3f}")
        print(f"  {row['method']:<13} " + "  ".join(by_style))


def goals(rows: Sequence[dict[str, Any]], method: str = "kizashi") -> dict[str, dict[str, Any]]:
    get = {(row["dataset"], row["method"]): row["mrr"] for row in rows}
    english = get[("en topics", method)] - get[("en topics", "bm25s")]
    japanese = get[("ja held-out", method)]
    return {
        "en_mrr_delta": {"value": english, "goal": f">= {GOAL_EN_DELTA}", "met": english >= GOAL_EN_DELTA},
        "ja_mrr": {"value": japanese, "goal": f">= {GOAL_JA_MRR}", "met": japanese >= GOAL_JA_MRR},
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA, help=f"the cordis-security folder ({DEFAULT_DATA})")
    parser.add_argument("--ja-needs", type=Path, default=DEFAULT_JA_NEEDS, help="Japanese needs CSV (the dev set)")
    parser.add_argument(
        "--ja-heldout", type=Path, default=DEFAULT_JA_HELDOUT, help="Japanese needs CSV never tuned on (held-out)"
    )
    parser.add_argument("--top", type=int, default=10, metavar="K", help="rank depth for MRR and recall (default 10)")
    parser.add_argument("--json", action="store_true", help="print one JSON document instead of the table")
    parser.add_argument(
        "--dense-model",
        type=Path,
        metavar="DIR",
        help="also measure kizashi with the dense channel from this local model folder (kizashi+dense)",
    )
    args = parser.parse_args(argv)
    if args.top < 1:
        parser.error("--top must be at least 1")
    say = (lambda *a: print(*a, file=sys.stderr)) if args.json else print  # keep stdout pure JSON with --json

    try:
        seeds = load_seeds(args.data)
        topics, notes = load_topics(args.data, {seed.id for seed in seeds})
        ja_needs = load_ja_needs(args.ja_needs, {topic.id: topic for topic in topics})
        ja_heldout = load_ja_needs(args.ja_heldout, {topic.id: topic for topic in topics})
    except DataError as error:
        print(f"match_quality: {error}", file=sys.stderr)
        return 2
    datasets = {"en topics": topics, "ja dev": ja_needs, "ja held-out": ja_heldout}
    say(
        f"data: {args.data}\nseeds: {len(seeds)} projects; en topics: {len(topics)} topic codes with a linked seed "
        f"({notes['links_without_title']} untitled link(s) dropped); ja dev: {len(ja_needs)} ({args.ja_needs.name}, tuned on); "
        f"ja held-out: {len(ja_heldout)} ({args.ja_heldout.name}, never tuned on)"
    )
    if notes["topics_sharing_a_title"]:
        groups = "; ".join(" = ".join(codes) for codes in notes["topics_sharing_a_title"])
        say(f"note: codes with identical titles (same query, different relevant projects): {groups}")
    say("note: largest topics: " + ", ".join(f"{code} ({n} seeds)" for code, n in notes["largest_topics"]) + "\n")

    rank, index_s = bm25s_contender(seeds, args.top)
    rows = measure("bm25s", rank, index_s, datasets, args.top)
    kizashi: dict[str, Any] = {"available": True}
    strengths: Strengths = {}
    try:
        rank, index_s = kizashi_contender(seeds, args.top, strengths=strengths)
    except ImportError as error:
        kizashi = {"available": False, "reason": str(error)}
        say(f"kizashi's matcher is not available (kizashi.retrieval: {error}); reporting the bm25s baseline only\n")
    else:
        rows += measure("kizashi", rank, index_s, datasets, args.top)
        if args.dense_model is not None:
            rank, index_s = kizashi_contender(seeds, args.top, args.dense_model)
            rows += measure("kizashi+dense", rank, index_s, datasets, args.top)
    bands = strength_bands(strengths, datasets) if kizashi["available"] else []
    met = goals(rows) if kizashi["available"] else {}
    if kizashi["available"] and args.dense_model is not None:
        met |= {f"{name} (kizashi+dense)": goal for name, goal in goals(rows, "kizashi+dense").items()}

    if args.json:
        document = {"data": str(args.data), "top": args.top, "kizashi": kizashi, "notes": notes, "rows": rows,
                    "strengths": bands}  # fmt: skip
        print(json.dumps({**document, "goals": met}, ensure_ascii=False, indent=1))
    else:
        print_table(rows, args.top)
        if bands:
            print(f"\nkizashi's proposals (top {args.top}) by the strength their evidence states:")
            for band in bands:
                share = band["relevant_share"]
                shown = "—" if share is None else f"{share:.3f}"
                print(
                    f"  {band['dataset']:<11} {band['strength']:<9} {band['proposals']:>6} proposals, relevant {shown}"
                )
        print_styles(rows, ja_heldout)
        for name, goal in met.items():
            print(f"goal {name} {goal['goal']}: {goal['value']:.3f} — {'met' if goal['met'] else 'NOT met'}")
    # The exit code judges the configuration asked for: with --dense-model, kizashi with its dense channel.
    judged = [goal for name, goal in met.items() if name.endswith("(kizashi+dense)") == (args.dense_model is not None)]
    return 0 if all(goal["met"] for goal in judged) else 1


if __name__ == "__main__":
    raise SystemExit(main())
