"""Control-list candidates a reader can trust: calibrated scores, a line, and how often a project that is not
controlled gets a candidate above it. kizashi's classifier and plain bm25s in the same run.

Items: the bundled lists (`jp-etco-1`, `us-ccl-3-5`; 1,547 items, Japanese and English). Texts and labels:
`benchmarks/data/controls_pairs.csv` (see benchmarks/data/SOURCE.md): one row per (text, item code, label), a text
labelled `controlled` under the codes it falls under, or `not` (code `*`) when no item applies. Texts are

- technologies written for the benchmark from the items' texts (Japanese and English; the 20 of the earlier
  benchmark, `dev-…`, and 46 more, `w-…`), each checked by reading its items;
- 24 near misses written for it (`n-…`: a microwave oven, a laser pointer, till software that "can print a single
  receipt at the end of the day"), not controlled;
- real abstracts, not copied but read at run time from `../shared/data` (`--shared DIR`): the H2020 "Secure
  societies" projects of `cordis-security` (`cordis:ID`, 355 of the 391; 36 whose technology could not be settled
  from the abstract left out) and a fixed sample of `security-papers` (`paper:ID`, id mod 250 = 7; 56 of 62).
  Most are not controlled: the realistic base rate.

Halves, by a fixed rule: a text is in the tuning half when the first hex digit of sha256(text id) is 0–7, else in the
report half; the 20 `dev-` technologies, on which the classifier was developed before, are always tuning. The
calibration (src/kizashi/protect/controls/calibration.py) is fitted on the tuning half (`fit`), and the general-text
shares (general.py) use only tuning-half projects; figures are printed for both halves and the report half is the one
to quote.

Contenders: bm25s (`bm25s.tokenize(title + text, stopwords="en", stemmer=english)` over the items, `retrieve(k=3)`:
what the library gives alone) and kizashi (`Classifier(load_controls(["all"])).classify(text, 5)`).

Printed per half: texts (controlled / not); top-3 accuracy on the controlled texts (a proposal is right when its code
is a labelled code or lies under one: 5A002.a.1 under 5A002; 7(17) is not under 7(1)) for both contenders; over the
top 5 candidates of every text, the Brier score and a reliability table (predicted against observed, in bins); above
the line (the classifier's threshold): precision (right candidates / candidates above), recall (controlled texts with
a right candidate above / controlled texts), and **the share of non-controlled texts with any candidate above the
line**, also per source.

    python benchmarks/controls.py                  # report both halves
    python benchmarks/controls.py fit              # fit the calibration on the tuning half, print its constants
    python benchmarks/controls.py general          # rebuild src/kizashi/protect/controls/general.py
"""

from __future__ import annotations

import argparse
import csv
import gzip
import hashlib
import itertools
import json
import textwrap
import time
from collections import Counter, defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import bm25s
import numpy as np
import Stemmer
import yaml

from kizashi.protect.controls import calibration
from kizashi.protect.controls.classify import Candidate, Classifier
from kizashi.protect.controls.lists import ControlItem, load_controls
from kizashi.retrieval import Statement

HERE = Path(__file__).resolve().parent
PAIRS = HERE / "data" / "controls_pairs.csv"
SHARED = HERE.parents[1] / "shared" / "data"
TOP = 3
SHOWN = 5
FIT_POOL = 10  # candidates per text the calibration is fitted on (more than are shown: fitting reorders them)
BINS = (0.0, 0.05, 0.1, 0.2, 0.3, 0.5, 0.7, 1.0001)
csv.field_size_limit(2**31 - 1)


def half(text_id: str) -> str:
    """ "tuning" or "report", by the fixed rule above."""
    if text_id.startswith("dev-"):
        return "tuning"
    return "tuning" if int(hashlib.sha256(text_id.encode()).hexdigest()[0], 16) < 8 else "report"


def _csv(path: Path) -> list[dict[str, str]]:
    with path.open(newline="", encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


@dataclass(frozen=True)
class Text:
    id: str
    source: str
    lang: str
    title: str
    description: str
    labels: tuple[tuple[str, str], ...]  # (list, code) it falls under; () when not controlled

    @property
    def controlled(self) -> bool:
        return bool(self.labels)

    @property
    def statement(self) -> Statement:
        return Statement(self.id, self.title, self.description)


def load_texts(shared: Path, pairs: Path = PAIRS) -> list[Text]:
    """The labelled texts, their real abstracts read from `shared`."""
    rows = _csv(pairs)
    cordis = {
        r["id"]: (r["title"], r["objective"])
        for r in _csv(shared / "cordis-security" / "h2020_secure_societies_projects.csv")
    }
    wanted = {int(r["text_id"].split(":")[1]) for r in rows if r["text_id"].startswith("paper:")}
    papers: dict[int, tuple[str, str]] = {}
    with gzip.open(shared / "security-papers" / "papers.jsonl.gz", "rt", encoding="utf-8") as handle:
        for line in handle:
            paper = json.loads(line)
            if paper["id"] in wanted:
                papers[paper["id"]] = (paper["title"], paper["abstract"])
    grouped: dict[str, list[dict[str, str]]] = defaultdict(list)
    for row in rows:
        grouped[row["text_id"]].append(row)
    texts = []
    for text_id, group in grouped.items():
        first = group[0]
        if text_id.startswith("cordis:"):
            title, description = cordis[text_id.split(":")[1]]
        elif text_id.startswith("paper:"):
            title, description = papers[int(text_id.split(":")[1])]
        else:
            title, description = first["title"], first["description"]
        labels = tuple((r["list"], r["code"]) for r in group if r["label"] == "controlled")
        texts.append(Text(text_id, first["source"], first["lang"], title, description, labels))
    return texts


def is_right(list_name: str, code: str, labels: Sequence[tuple[str, str]]) -> bool:
    return any(
        list_name == lst and (code == label or code.startswith((f"{label}.", f"{label}(")) or _inner(code, label))
        for lst, label in labels
    )


def _inner(code: str, label: str) -> bool:
    # Numbered goods inside a Japanese sub-item: 3(2)1 lies under 3(2).
    return label.endswith(")") and code.startswith(label) and code[len(label) :].isdigit()


# ── contenders ──────────────────────────────────────────────────────────────────────────────────────────────────


def bm25s_top(items: list[ControlItem], texts: Sequence[Text]) -> list[list[tuple[str, str]]]:
    stemmer = Stemmer.Stemmer("english")
    corpus = [f"{item.title}\n{item.text}" for item in items]
    retriever = bm25s.BM25()
    retriever.index(bm25s.tokenize(corpus, stopwords="en", stemmer=stemmer, show_progress=False), show_progress=False)
    tokens = bm25s.tokenize(
        [f"{t.title}\n{t.description}" for t in texts], stopwords="en", stemmer=stemmer, show_progress=False
    )
    documents, scores = retriever.retrieve(tokens, k=TOP, show_progress=False)
    return [
        [(items[int(d)].list, items[int(d)].code) for d, s in zip(row, row_scores, strict=True) if s > 0]
        for row, row_scores in zip(documents, scores, strict=True)
    ]


def kizashi_candidates(classifier: Classifier, texts: Sequence[Text], top: int) -> tuple[list[list[Candidate]], float]:
    start = time.perf_counter()
    found = [classifier.classify(t.statement, top) for t in texts]
    return found, time.perf_counter() - start


# ── measures ────────────────────────────────────────────────────────────────────────────────────────────────────


def top_accuracy(texts: Sequence[Text], found: Sequence[Sequence[tuple[str, str]]]) -> float:
    chosen = [(codes[:TOP], t.labels) for t, codes in zip(texts, found, strict=True) if t.controlled]
    return sum(any(is_right(lst, code, labels) for lst, code in codes) for codes, labels in chosen) / max(
        len(chosen), 1
    )


def measures(texts: Sequence[Text], found: Sequence[Sequence[Candidate]], threshold: float) -> dict[str, Any]:
    """Top-3 accuracy, Brier score, reliability, precision and recall above the line, and the share of
    non-controlled texts with any candidate above it (overall and per source)."""
    scored = [
        (c.score, is_right(c.item.list, c.item.code, t.labels), c.level == calibration.CHECK)
        for t, candidates in zip(texts, found, strict=True)
        for c in candidates[:SHOWN]
    ]
    above = [right for _, right, check in scored if check]
    controlled = [(t, cs) for t, cs in zip(texts, found, strict=True) if t.controlled]
    clean = [(t, cs) for t, cs in zip(texts, found, strict=True) if not t.controlled]
    flagged = {t.id for t, cs in clean if any(c.level == calibration.CHECK for c in cs[:SHOWN])}
    by_source: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    for t, _ in clean:
        by_source[t.source][0] += t.id in flagged
        by_source[t.source][1] += 1
    return {
        "texts": (len(controlled), len(clean)),
        "top3": top_accuracy(texts, [[(c.item.list, c.item.code) for c in cs] for cs in found]),
        "brier": sum((p - right) ** 2 for p, right, _ in scored) / max(len(scored), 1),
        "reliability": reliability([(p, right) for p, right, _ in scored]),
        "above": len(above),
        "precision": sum(above) / len(above) if above else float("nan"),
        "recall": sum(
            any(is_right(c.item.list, c.item.code, t.labels) and c.level == calibration.CHECK for c in cs[:SHOWN])
            for t, cs in controlled
        )
        / max(len(controlled), 1),
        "clean_flagged": len(flagged) / max(len(clean), 1),
        "by_source": {source: (n, total) for source, (n, total) in sorted(by_source.items())},
    }


def reliability(pairs: Sequence[tuple[float, bool]]) -> list[tuple[float, float, float, int]]:
    """(bin low, mean predicted, observed share right, candidates) per bin that holds any."""
    rows = []
    for low, high in itertools.pairwise(BINS):
        inside = [(p, y) for p, y in pairs if low <= p < high]
        if inside:
            rows.append(
                (low, sum(p for p, _ in inside) / len(inside), sum(y for _, y in inside) / len(inside), len(inside))
            )
    return rows


# ── calibration fit ─────────────────────────────────────────────────────────────────────────────────────────────


def fit(texts: Sequence[Text], found: Sequence[Sequence[Candidate]], l2: float = 5.0) -> tuple[dict[str, float], float]:
    """Logistic regression (Newton's method, a small L2 penalty on the slopes) of "right" on the calibration's
    inputs, over the tuning half's candidates with specific evidence; and the share right of those without."""
    rows, labels, plain = [], [], []
    for t, candidates in zip(texts, found, strict=True):
        for c in candidates:
            right = is_right(c.item.list, c.item.code, t.labels)
            if c.evidence["basis"]:
                rows.append([1.0, *(c.evidence["inputs"][name] for name in calibration.FEATURES)])
                labels.append(float(right))
            else:
                plain.append(right)
    x, y = np.asarray(rows), np.asarray(labels)
    scale = np.maximum(x.std(axis=0), 1e-9)
    scale[0] = 1.0
    z = x / scale
    beta = np.zeros(z.shape[1])
    penalty = np.full(z.shape[1], l2)
    penalty[0] = 0.0
    for _ in range(100):
        p = 1 / (1 + np.exp(-z @ beta))
        gradient = z.T @ (y - p) - penalty * beta
        hessian = (z * (p * (1 - p))[:, None]).T @ z + np.diag(penalty)
        step = np.linalg.solve(hessian, gradient)
        beta += step
        if np.abs(step).max() < 1e-9:
            break
    beta = beta / scale
    coefficients = {"intercept": float(beta[0])} | {
        name: float(b) for name, b in zip(calibration.FEATURES, beta[1:], strict=True)
    }
    no_specific = (sum(plain) + 1) / (len(plain) + 2)
    return coefficients, no_specific


# ── the general-text shares (src/kizashi/protect/controls/general.py) ──────────────────────────────────────────

GENERAL_MODULE = Path(__file__).resolve().parents[1] / "src" / "kizashi" / "protect" / "controls" / "general.py"
REFERENCE = Path(__file__).resolve().parents[1] / "src" / "kizashi" / "data" / "reference"
JA_NEEDS = (
    Path(__file__).resolve().parents[1] / "src" / "kizashi" / "data" / "demo" / "needs_ja.csv",
    HERE / "data" / "ja_needs_dev.csv",
)
GENERAL_JA = HERE / "data" / "controls_general_ja.csv"
MIN_DOCUMENTS = 2  # a term in fewer documents of every source is left out (it counts as never seen)


def general_sources(shared: Path) -> dict[str, dict[str, list[str]]]:
    """The documents of general technical text, by language and source: what says a word is common anywhere.

    English: the CORDIS projects of the tuning half (security research), the 187 OpenAlex abstracts (bibliometrics:
    general scholarly English; CC0) and kizashi's taxonomy and threat catalogue (technology descriptions of every
    area). Japanese: the taxonomy and threat catalogue, and the Japanese needs kizashi's developers wrote (demo and
    ja_needs_dev.csv), and 50 summaries of research projects in other fields written for this purpose
    (data/controls_general_ja.csv): where 研究, 開発 and 手法 are as common as they are in Japanese project texts.
    No text of the report half is among them."""
    taxonomy = yaml.safe_load((REFERENCE / "taxonomy.yaml").read_text(encoding="utf-8"))["technologies"]
    threats = yaml.safe_load((REFERENCE / "threats.yaml").read_text(encoding="utf-8"))["threats"]
    reference = [*taxonomy, *threats]
    cordis = [
        f"{row['title']}\n{row['objective']}"
        for row in _csv(shared / "cordis-security" / "h2020_secure_societies_projects.csv")
        if half(f"cordis:{row['id']}") == "tuning"
    ]
    openalex = [
        f"{row['title']}\n{row['abstract']}"
        for row in _csv(shared / "openalex-sample" / "openalex_works_bibliometrics_613.csv")
        if row.get("abstract")
    ]
    needs = [f"{row['title']}\n{row['description']}" for path in JA_NEEDS for row in _csv(path)]
    written = [row["text"] for row in _csv(GENERAL_JA)]
    return {
        "en": {
            "cordis": cordis,
            "openalex": openalex,
            "reference": [f"{e['name_en']}\n{e['description_en']}" for e in reference],
        },
        "ja": {
            "reference": [f"{e['name_ja']}\n{e['description_ja']}" for e in reference],
            "needs": needs,
            "written": written,
        },
    }


def build_general(shared: Path) -> None:
    """Write general.py: for each term found in at least MIN_DOCUMENTS documents of some source, its document count
    in each source (tokenised as the classifier tokenises)."""
    from kizashi.text.tokenise import Tokeniser

    tokeniser = Tokeniser()
    lines = [
        '"""How common each term is in general technical text, by source: what tells a word that is evidence from one',
        "that every technical text uses (generated by `python benchmarks/controls.py general` from the sources its",
        "docstring names; do not edit by hand).",
        "",
        "Sources: CORDIS project records © European Union (CORDIS / European Commission, CC BY 4.0, via Open Security",
        "Data Europe); OpenAlex works (CC0); kizashi's taxonomy, threat catalogue and Japanese needs (Apache-2.0).",
        "Only document counts of index terms are kept, no text.",
        '"""',
        "",
        "# language → source → number of documents",
        "DOCUMENTS: dict[str, dict[str, int]] = {",
    ]
    counts: dict[str, dict[str, Counter[str]]] = {}
    sources_read = general_sources(shared)
    for language, sources in sources_read.items():
        counts[language] = {}
        for name, documents in sources.items():
            frequency: Counter[str] = Counter()
            for document in documents:
                frequency.update(set(tokeniser.tokens(document)))
            counts[language][name] = frequency
    for language, sources in counts.items():
        sizes = {name: len(sources_read[language][name]) for name in sources}
        lines.append(f"    {language!r}: {sizes!r},")
    lines += [
        "}",
        "# language → 'term:count,count,…' (its document count in each source, in DOCUMENTS' order), space-separated",
    ]
    lines.append("COUNTS: dict[str, str] = {")
    for language, sources in counts.items():
        names = list(sources)
        terms = sorted({t for f in sources.values() for t, n in f.items() if n >= MIN_DOCUMENTS})
        lines.append(f'    {language!r}: """')
        entries = [f"{term}:{','.join(str(sources[name].get(term, 0)) for name in names)}" for term in terms]
        lines += textwrap.wrap(" ".join(entries), width=116, break_long_words=False, break_on_hyphens=False)
        lines.append('""",')
    lines.append("}")
    GENERAL_MODULE.write_text("\n".join(lines) + "\n", encoding="utf-8")
    print(f"wrote {GENERAL_MODULE}")


# ── report ──────────────────────────────────────────────────────────────────────────────────────────────────────


def print_half(name: str, m: dict[str, Any], baseline: float, speed: float, threshold: float) -> None:
    controlled, clean = m["texts"]
    print(f"\n== {name} half: {controlled} controlled texts, {clean} not controlled; line at {threshold:.2f}")
    print(
        f"top-{TOP} accuracy on controlled texts: bm25s {baseline:.3f}, kizashi {m['top3']:.3f} ({speed:.1f} texts/s)"
    )
    print(f"Brier score (top {SHOWN} candidates of every text): {m['brier']:.4f}")
    print(f"above the line: {m['above']} candidates, precision {m['precision']:.3f}, recall {m['recall']:.3f}")
    print(f"non-controlled texts with any candidate above the line: {m['clean_flagged']:.3f}")
    for source, (n, total) in m["by_source"].items():
        print(f"    {source:16} {n:3} of {total:3} ({n / total:.3f})")
    print("reliability: bin  predicted  observed  candidates")
    for low, predicted, observed, n in m["reliability"]:
        print(f"    ≥{low:4.2f}  {predicted:9.3f}  {observed:8.3f}  {n:10}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("command", nargs="?", default="report", choices=("report", "fit", "general"))
    parser.add_argument("--shared", type=Path, default=SHARED, help="the shared data folder (../shared/data)")
    parser.add_argument("--threshold", type=float, default=None, help="the line (default: the setting)")
    args = parser.parse_args()
    if args.command == "general":
        build_general(args.shared)
        return
    texts = load_texts(args.shared)
    controls = load_controls(["all"])
    classifier = Classifier(controls, threshold=args.threshold)
    halves = {name: [t for t in texts if half(t.id) == name] for name in ("tuning", "report")}
    if args.command == "fit":
        found, _ = kizashi_candidates(classifier, halves["tuning"], FIT_POOL)
        coefficients, no_specific = fit(halves["tuning"], found)
        print("COEFFICIENTS: dict[str, float] = {")
        for name, value in coefficients.items():
            print(f'    "{name}": {value:.4f},')
        print("}")
        print(f"NO_SPECIFIC = {no_specific:.4f}")
        return
    items = list(controls.items)
    print(f"{len(texts)} texts against {len(items)} items")
    for name, chosen in halves.items():
        baseline = top_accuracy(chosen, bm25s_top(items, chosen))
        found, elapsed = kizashi_candidates(classifier, chosen, SHOWN)
        print_half(
            name, measures(chosen, found, classifier.threshold), baseline, len(chosen) / elapsed, classifier.threshold
        )


if __name__ == "__main__":
    main()
