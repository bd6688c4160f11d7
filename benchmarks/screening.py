"""Partner screening benchmark: recall at 1 % false alerts and names per second, kizashi against brute-force rapidfuzz.

On the dev lists in ../shared/data (UN SC consolidated XML, OFAC non-SDN legacy CSV, METI third-country and Belarus
lists, name-matching-pairs), in one run:

- index the **primary names** of all lists (aliases are left out of the index: they are the queries);
- positives: every alias (expected entry known), and separately the Japanese names of the METI entries (ja → en) and
  the cross-script pairs (Cyrillic, Chinese, Arabic … → Latin);
- negatives: the names of real organisations in the CORDIS H2020 Secure Societies participants (none is on a list);
- for each system, the threshold is the score exceeded by 1 % of the negatives; recall@1 counts a positive whose best
  entry is the expected one (or one with the very same name: METI lists some entities twice) and scores above it;
- speed: names per second on a 10 k-entry list (the real primaries plus generated names) for both, and for kizashi on
  a generated 1 M-entry list, one core.

    python benchmarks/screening.py            # full run (the 1 M list takes a few minutes to build)
    python benchmarks/screening.py --quick    # no 1 M list, fewer speed queries
    python benchmarks/screening.py --misses 20  # also print kizashi's misses and worst false alerts

Goals (issue 5): recall ≥ 1.5 × rapidfuzz's at the same false-alert rate; Japanese → English recall@1 ≥ 0.60;
≥ 2,000 names/s on 10 k entries; ≥ 500 names/s on 1 M entries.
"""

from __future__ import annotations

import argparse
import csv
import json
import random
import re
import resource
import sys
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

from rapidfuzz import fuzz, process, utils

from kizashi.protect.screening import (
    DEFAULT_THRESHOLD,
    ListEntry,
    ListVersion,
    Party,
    Screener,
    ScreeningList,
    clear_caches,
    read_list,
)
from kizashi.protect.screening.index import NameIndex
from kizashi.text.normalise import normalise

DATA = Path(__file__).resolve().parents[2] / "shared" / "data"
FALSE_ALERT_RATE = 0.01
GOALS = {"recall_ratio": 1.5, "ja_en_recall": 0.60, "speed_10k": 2000, "speed_1m": 500}


@dataclass(frozen=True)
class Query:
    text: str
    expected: str | None  # "list|entry_id" for a positive, None for a negative
    kind: str  # alias | ja | cross | negative


def load_lists(data: Path) -> list[ScreeningList]:
    return [
        read_list(data / "un-sc-consolidated" / "UN_consolidated_2026-02-27.xml"),
        read_list(data / "ofac-non-sdn"),
        read_list(data / "jp-meti-lists" / "parsed_entities.json"),
        _cross_script_list(data / "name-matching-pairs" / "watchman_cross_script_pairs.csv"),
    ]


def _cross_script_rows(path: Path) -> list[tuple[str, str]]:
    lines = [
        line for line in path.read_text(encoding="utf-8").splitlines() if line.strip() and not line.startswith("#")
    ]
    return [(row[0], row[1]) for row in csv.reader(lines)]


def _cross_script_list(path: Path) -> ScreeningList:
    """The Latin side of the cross-script pairs as a small list of people (ids by name: two pairs share one)."""
    entries = {latin: ListEntry("cross-script", latin, latin, type="person") for _, latin in _cross_script_rows(path)}
    return ScreeningList(
        ListVersion("generic-csv", "cross-script", "2026-01-08", "-", str(path)), list(entries.values())
    )


def load_queries(data: Path, lists: Sequence[ScreeningList]) -> list[Query]:
    queries: list[Query] = []
    un = {e.entry_id: e for e in lists[0].entries}
    with (data / "un-sc-consolidated" / "alias_pairs.csv").open(encoding="utf-8") as handle:
        for row in csv.DictReader(handle):
            entry = un.get(row["reference_number"])
            if entry and _differs(row["alias_name"], entry.name):
                queries.append(Query(row["alias_name"], f"{entry.list}|{entry.entry_id}", "alias"))
    ofac = {e.entry_id: e for e in lists[1].entries}
    with (data / "ofac-non-sdn" / "alias_pairs.csv").open(encoding="utf-8") as handle:
        for row in csv.DictReader(handle):
            entry = ofac.get(row["ent_num"])
            if entry and _differs(row["alt_name"], entry.name):
                queries.append(Query(row["alt_name"], f"{entry.list}|{entry.entry_id}", "alias"))
    meti = {e.entry_id: e for e in lists[2].entries}
    with (data / "jp-meti-lists" / "alias_pairs.csv").open(encoding="utf-8") as handle:
        for row in csv.DictReader(handle):
            entry = meti.get(f"{row['list']}-{row['number']}")
            if entry is None or not _differs(row["alias"], entry.name):
                continue
            kind = "ja" if row["alias_kind"] == "ja_name" else "alias"
            queries.append(Query(row["alias"], f"{entry.list}|{entry.entry_id}", kind))
    for script, latin in _cross_script_rows(data / "name-matching-pairs" / "watchman_cross_script_pairs.csv"):
        queries.append(Query(script, f"cross-script|{latin}", "cross"))
    with (data / "cordis-security" / "h2020_secure_societies_organisations.csv").open(encoding="utf-8") as handle:
        names = sorted({row["name"].strip() for row in csv.DictReader(handle) if row["name"].strip()})
    queries.extend(Query(name, None, "negative") for name in names)
    return queries


def _differs(alias: str, name: str) -> bool:
    return normalise(alias) != normalise(name)


# --- the two systems ---------------------------------------------------------------------------------------------

Result = tuple[str | None, float]  # best entry ("list|entry_id"), its score in [0, 1]


class Kizashi:
    name = "kizashi"

    def __init__(self, lists: Sequence[ScreeningList] | NameIndex) -> None:
        self.screener = Screener(lists)

    def best(self, text: str) -> Result:
        found = self.screener.best(Party("q", text), top=1)
        if not found:
            return None, 0.0
        return f"{found[0]['list']}|{found[0]['entry_id']}", float(found[0]["score"])


class RapidFuzz:
    """The baseline: every primary name compared with token_sort_ratio (lower case, punctuation removed)."""

    name = "rapidfuzz"

    def __init__(self, entries: Sequence[ListEntry]) -> None:
        self.keys = [f"{e.list}|{e.entry_id}" for e in entries]
        self.choices = [utils.default_process(e.name) for e in entries]

    def best(self, text: str) -> Result:
        found = process.extractOne(
            utils.default_process(text), self.choices, scorer=fuzz.token_sort_ratio, processor=None
        )
        if found is None:
            return None, 0.0
        return self.keys[found[2]], found[1] / 100


def evaluate(system: Kizashi | RapidFuzz, queries: Sequence[Query], same_name: Callable[[str, str], bool]) -> dict:
    results = [system.best(q.text) for q in queries]
    negatives = sorted(
        (score for q, (_, score) in zip(queries, results, strict=True) if q.expected is None), reverse=True
    )
    allowed = int(FALSE_ALERT_RATE * len(negatives))
    threshold = negatives[allowed] if negatives else 0.0  # an alert is a score above this
    report: dict = {
        "threshold": threshold,
        "false_alerts": sum(s > threshold for s in negatives),
        "negatives": len(negatives),
    }
    for kind in ("alias", "ja", "cross"):
        chosen = [(q, r) for q, r in zip(queries, results, strict=True) if q.kind == kind]
        hits = [
            (q, r)
            for q, r in chosen
            if r[0] is not None and q.expected is not None and same_name(r[0], q.expected) and r[1] > threshold
        ]
        report[kind] = (len(hits) / len(chosen) if chosen else 0.0, len(chosen))
    positives = [(q, r) for q, r in zip(queries, results, strict=True) if q.expected is not None]
    report["all"] = (
        sum(1 for q, r in positives if r[0] and q.expected and same_name(r[0], q.expected) and r[1] > threshold)
        / len(positives),
        len(positives),
    )
    report["results"] = results
    return report


# --- generated lists for speed -----------------------------------------------------------------------------------

_WORD = re.compile(r"[A-Za-z]{3,}")


def generator(lists: Sequence[ScreeningList], negatives: Sequence[str], seed: int) -> Callable[[int], list[ListEntry]]:
    """Realistic names from the real tokens: people from the tokens of listed people, organisations from the tokens
    of listed and CORDIS organisations with their generic words and legal forms; half the tokens are new words
    spliced from two real ones, so that a large list has a large vocabulary, as real ones do."""
    rng = random.Random(seed)
    people = [w for sl in lists for e in sl.entries if e.type == "person" for w in _WORD.findall(e.name)]
    orgs = [w for sl in lists for e in sl.entries if e.type != "person" for w in _WORD.findall(e.name)]
    orgs += [w for name in negatives for w in _WORD.findall(name)]
    forms = ["LLC", "Ltd", "Co., Ltd.", "JSC", "GmbH", "S.A.", "Inc", "", "", ""]

    def word(pool: list[str]) -> str:
        if rng.random() < 0.5:
            return rng.choice(pool)
        a, b = rng.choice(pool), rng.choice(pool)
        return (a[: max(2, len(a) // 2)] + b[len(b) // 2 :]).capitalize()

    def make(n: int) -> list[ListEntry]:
        entries = []
        for i in range(n):
            if rng.random() < 0.5:
                name = " ".join(word(people) for _ in range(rng.randint(2, 4)))
                kind = "person"
            else:
                name = " ".join([*(word(orgs) for _ in range(rng.randint(1, 4))), rng.choice(forms)]).strip()
                kind = "organisation"
            entries.append(ListEntry("generated", f"g{i}", name, type=kind))
        return entries

    return make


def speed(best: Callable[[str], Result], texts: Sequence[str]) -> float:
    """Names per second of CPU time, from cold caches (the evaluation before has seen the same names)."""
    clear_caches()
    started = time.process_time()
    for text in texts:
        best(text)
    return len(texts) / max(time.process_time() - started, 1e-9)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--data", type=Path, default=DATA, help="the shared data folder")
    parser.add_argument("--quick", action="store_true", help="skip the 1 M-entry list; fewer speed queries")
    parser.add_argument("--million", type=int, default=1_000_000, help="size of the large generated list")
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--misses", type=int, default=0, help="print this many of kizashi's misses and false alerts")
    parser.add_argument("--json", type=Path, help="also write the numbers as JSON")
    args = parser.parse_args()

    lists = load_lists(args.data)
    queries = load_queries(args.data, lists)
    primaries = [ScreeningList(sl.version, sl.entries) for sl in lists]
    entries = [e for sl in primaries for e in sl.entries]
    names = {f"{e.list}|{e.entry_id}": normalise(e.name) for e in entries}

    def same_name(found: str, expected: str) -> bool:
        return found == expected or names.get(found) == names.get(expected)

    started = time.perf_counter()
    index = NameIndex(primaries, aliases=False)
    build = time.perf_counter() - started
    counts = {kind: sum(q.kind == kind for q in queries) for kind in ("alias", "ja", "cross", "negative")}
    print(f"lists: {len(entries):,} entries indexed by primary name ({build:.2f} s); queries: {counts}")

    kizashi, baseline = Kizashi(index), RapidFuzz(entries)
    ours, theirs = evaluate(kizashi, queries, same_name), evaluate(baseline, queries, same_name)
    numbers: dict = {}
    print(f"\nrecall@1 at {FALSE_ALERT_RATE:.0%} false alerts on {ours['negatives']:,} CORDIS organisations")
    print(f"{'':24}{'kizashi':>10}{'rapidfuzz':>11}{'ratio':>8}")
    for label, kind in (
        ("all positives", "all"),
        ("aliases", "alias"),
        ("Japanese → English", "ja"),
        ("cross-script", "cross"),
    ):
        a, b = ours[kind][0], theirs[kind][0]
        ratio = a / b if b else float("inf")
        print(f"{label + f' ({ours[kind][1]})':24}{a:>10.3f}{b:>11.3f}{ratio:>8.2f}")
        numbers[kind] = {"kizashi": a, "rapidfuzz": b, "n": ours[kind][1]}
    print(f"{'threshold':24}{ours['threshold']:>10.3f}{theirs['threshold']:>11.3f}")
    print(f"{'false alerts':24}{ours['false_alerts']:>10}{theirs['false_alerts']:>11}")
    recall_ratio = ours["all"][0] / theirs["all"][0] if theirs["all"][0] else float("inf")
    at_default = _at_threshold(queries, ours["results"], same_name, DEFAULT_THRESHOLD)
    print(
        f"at the default threshold {DEFAULT_THRESHOLD:.2f}: kizashi recall@1 {at_default[0]:.3f}, "
        f"false alerts {at_default[1]:.1%}"
    )
    numbers["default_threshold"] = {
        "threshold": DEFAULT_THRESHOLD,
        "recall": at_default[0],
        "false_alerts": at_default[1],
    }
    numbers["threshold"] = {"kizashi": ours["threshold"], "rapidfuzz": theirs["threshold"]}

    if args.misses:
        _print_misses(queries, ours, same_name, args.misses)

    # Speed: queries are aliases and negatives in equal parts, so both hits and misses are timed.
    rng = random.Random(args.seed)
    pool = [q.text for q in queries if q.kind in ("alias", "negative", "ja")]
    texts = rng.sample(pool, min(len(pool), 600 if args.quick else 2000))
    negatives = [q.text for q in queries if q.kind == "negative"]
    make = generator(lists, negatives, args.seed)
    ten_k = [*entries, *make(10_000 - len(entries))]
    small = NameIndex([ScreeningList(lists[0].version, ten_k)], aliases=False)
    k10, r10 = speed(Kizashi(small).best, texts), speed(RapidFuzz(ten_k).best, texts[: len(texts) // 4])
    print(f"\nnames/s on {len(ten_k):,} entries: kizashi {k10:,.0f}, rapidfuzz {r10:,.0f} (ratio {k10 / r10:.1f})")
    numbers["speed_10k"] = {"kizashi": k10, "rapidfuzz": r10}
    k1m = None
    if not args.quick:
        started = time.perf_counter()
        big = NameIndex(
            [ScreeningList(lists[0].version, [*entries, *make(args.million - len(entries))])], aliases=False
        )
        built = time.perf_counter() - started
        rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        k1m = speed(Kizashi(big).best, texts)
        print(
            f"names/s on {len(big):,} entries: kizashi {k1m:,.0f} (index built in {built:.0f} s, peak RSS {rss:,.0f} MB)"
        )
        numbers["speed_1m"] = {"kizashi": k1m, "build_s": built, "peak_rss_mb": rss}

    print("\ngoals")
    checks = [
        (f"recall {recall_ratio:.2f} × rapidfuzz ≥ {GOALS['recall_ratio']}", recall_ratio >= GOALS["recall_ratio"]),
        (
            f"Japanese → English recall@1 {ours['ja'][0]:.3f} ≥ {GOALS['ja_en_recall']}",
            ours["ja"][0] >= GOALS["ja_en_recall"],
        ),
        (f"{k10:,.0f} names/s on 10 k ≥ {GOALS['speed_10k']:,}", k10 >= GOALS["speed_10k"]),
    ]
    if k1m is not None:
        checks.append((f"{k1m:,.0f} names/s on 1 M ≥ {GOALS['speed_1m']}", k1m >= GOALS["speed_1m"]))
    for text, ok in checks:
        print(f"  {'met ' if ok else 'MISSED'} {text}")
    if args.json:
        args.json.write_text(json.dumps(numbers, indent=2), encoding="utf-8")
    return 0


def _at_threshold(
    queries: Sequence[Query], results: Sequence[Result], same_name: Callable[[str, str], bool], threshold: float
) -> tuple[float, float]:
    """(recall@1, false-alert rate) when an alert is a score at or above `threshold`, as the CLI counts it."""
    hits = positives = alerts = negatives = 0
    for q, (found, value) in zip(queries, results, strict=True):
        if q.expected is None:
            negatives += 1
            alerts += value >= threshold
        else:
            positives += 1
            hits += bool(found and same_name(found, q.expected) and value >= threshold)
    return hits / positives, alerts / negatives


def _print_misses(queries: Sequence[Query], report: dict, same_name: Callable[[str, str], bool], n: int) -> None:
    threshold = report["threshold"]
    misses = [
        (q, r)
        for q, r in zip(queries, report["results"], strict=True)
        if q.expected and not (r[0] and same_name(r[0], q.expected) and r[1] > threshold)
    ]
    print(f"\nkizashi misses ({len(misses)}), first {n} per kind:")
    for kind in ("alias", "ja", "cross"):
        for q, r in [m for m in misses if m[0].kind == kind][:n]:
            print(f"  [{kind}] {q.text!r} → expected {q.expected}, got {r[0]} {r[1]:.3f}")
    alerts = sorted(
        ((r[1], q.text, r[0]) for q, r in zip(queries, report["results"], strict=True) if q.expected is None),
        reverse=True,
    )[:n]
    print("highest-scoring negatives:")
    for value, text, found in alerts:
        print(f"  {value:.3f} {text!r} → {found}")


if __name__ == "__main__":
    sys.exit(main())
