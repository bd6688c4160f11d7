"""Technology against control lists: for each technology the candidate control items, best first, with evidence.

The matching is kizashi.retrieval's (BM25 over Sudachi and Snowball terms, JMdict translation of Japanese, bilingual
taxonomy concepts, fused by reciprocal rank): each control item becomes a `Statement` whose text is its title, its
text and the titles of the items above it, so that 「暗号装置又はその部分品」 carries its item's heading
(telecommunications and information security) and 5A002.a.1 carries "cryptography for data confidentiality".
One matcher per list, so each list's term statistics are its own.

Score: the probability that the candidate is right (calibration.py), from its specific evidence (specific.py):
the phrases and rare title terms it shares with the item, weighed by how rare they are among the items and in
general technical text (common words such as "can", "two" or "points" carry nothing), a parameter that meets the
item's threshold, and the matcher's rank-fusion score as a share of the best attainable (so lists are compared
fairly). A candidate with specific evidence and a score of at least the threshold (KIZASHI_CONTROLS_THRESHOLD) is
"above the line": one a reviewer should check (level "check"); any other is shown, at most, as one to ask a human
about (level "ask"). Evidence says which kinds made it (`basis`) and `why` says it in words, in Japanese and English.

Order: by score (among equal scores, specific evidence first, then the matcher's order); leaves before their
ancestors (when an item and one of its descendants are both candidates, the descendant is shown, with the path above
it); an item matched only through its ancestors' titles stands for the ancestor; the best item under each parent
before its siblings. Parameters (parameters.py) are read from both texts: the evidence
says which of the item's parameters the technology mentions, and whether its value meets the item's threshold where
both are known. This proposes; a person decides (decisions.py).
"""

from __future__ import annotations

import functools
import math
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from typing import Any

from kizashi.errors import InputError
from kizashi.messages import Message
from kizashi.protect.controls import calibration
from kizashi.protect.controls.explain import why
from kizashi.protect.controls.lists import BUNDLED, ControlItem, ControlList, load_controls
from kizashi.protect.controls.parameters import Parameter, extract, within
from kizashi.protect.controls.specific import ItemTerms, Shared, Weights, is_common, shared_evidence
from kizashi.retrieval import RRF_K, Matcher, MatchSettings, Proposal, Statement
from kizashi.settings import get_settings
from kizashi.text.normalise import is_japanese, normalise
from kizashi.text.tokenise import surfaces

POOL = 60  # candidates per list looked at before leaves replace their ancestors
MIN_POOL_FACTOR = 5


@dataclass(frozen=True)
class Candidate:
    item: ControlItem
    score: float  # the probability that the candidate is right (calibration.py)
    evidence: dict[str, Any]

    @property
    def level(self) -> str:
        """ "check" (above the line: a reviewer should check it) or "ask" (ask a human)."""
        return str(self.evidence["level"])


def item_statement(controls: ControlList, item: ControlItem) -> Statement:
    """The statement a control item is matched as: its title and text, then the titles of its ancestors."""
    context = [ancestor.title for ancestor in controls.ancestors(item)]
    body = "\n".join(part for part in [item.text if item.text != item.title else "", *context] if part)
    return Statement(item.key, item.title, body, None)


class Classifier:
    """Index the control lists once; `classify` proposes items for any number of technologies.

    `threshold` is the line (KIZASHI_CONTROLS_THRESHOLD when not given)."""

    def __init__(self, controls: ControlList, threshold: float | None = None) -> None:
        if not controls.items:
            raise InputError(Message("the control lists hold no items"), field="controls")
        self.controls = controls
        self.threshold = get_settings().controls_threshold if threshold is None else threshold
        self._matchers: list[Matcher] = []
        self._weights: dict[str, Weights] = {}
        self._items: dict[str, ControlItem] = {}
        self._terms: dict[str, ItemTerms] = {}
        for name in controls.names:
            items = [item for item in controls.items if item.list == name]
            self._items.update((item.key, item) for item in items)
            statements = [item_statement(controls, item) for item in items]
            matcher = Matcher(statements, settings=_settings(statements))
            self._matchers.append(matcher)
            self._weights[name] = Weights([*self._tokens(item.title), *self._tokens(_own_text(item))] for item in items)

    def classify(self, technology: Statement, top: int = 5) -> list[Candidate]:
        if top < 1:
            raise InputError(Message("top must be at least 1"), field="top")
        pool = max(POOL, top * MIN_POOL_FACTOR)
        read = _Technology(
            technology.text,
            self._tokens(technology.text, technology.lang),
            extract(technology.text),
            surfaces(self._matchers[0].tokeniser, technology.text),
        )
        ranked: list[Candidate] = []
        for matcher in self._matchers:
            proposals = matcher.match_one(technology, pool)
            attainable = _attainable(matcher, proposals)
            proposals = _leaves_first(self.controls, self._items, self._lift(proposals))
            found = [self._candidate(p, read, attainable) for p in proposals]
            found.sort(key=_order)  # stable: the matcher's order among equals
            ranked.extend(_one_per_parent_first(found)[:top])
        ranked.sort(key=_order)
        return _one_per_parent_first(ranked)[:top]

    def _tokens(self, text: str, lang: str | None = None) -> list[str]:
        return self._matchers[0].tokeniser.tokens(text, lang) if self._matchers else []

    def _item_terms(self, item: ControlItem) -> ItemTerms:
        """The item's terms by where they stand, worked out once per item (a dict write is atomic: two threads at
        worst both work it out)."""
        found = self._terms.get(item.key)
        if found is None:
            path = tuple(tuple(self._tokens(a.title)) for a in self.controls.ancestors(item))
            found = ItemTerms(tuple(self._tokens(item.title)), tuple(self._tokens(_own_text(item))), path)
            self._terms[item.key] = found
        return found

    def _lift(self, proposals: list[Proposal]) -> list[Proposal]:
        """A proposal that matched only through its ancestors' titles (every item under 「10の項 センサー・レーザー
        (sensors and lasers)」 shares "lasers") stands for the nearest ancestor whose own words matched: the heading,
        not an arbitrary item under it. Each item is proposed once, at its best place."""
        lifted: list[Proposal] = []
        seen: set[str] = set()
        for proposal in proposals:
            item = self._items[proposal.seed_id]
            words = _matched_words(proposal.evidence)
            if words and not _says(item, words):
                owner = next((a for a in self.controls.ancestors(item) if _says(a, words)), None)
                if owner is not None:
                    proposal = replace(proposal, seed_id=owner.key)
            if proposal.seed_id not in seen:
                seen.add(proposal.seed_id)
                lifted.append(proposal)
        return lifted

    def _candidate(self, proposal: Proposal, technology: _Technology, attainable: float) -> Candidate:
        item = self._items[proposal.seed_id]
        found = proposal.evidence
        path = [{"code": a.code, "title": a.title} for a in reversed(list(self.controls.ancestors(item)))]
        # Evidence names only words found in both texts as they stand: the matcher shows a translated compound in
        # its dictionary form (量子コンピューター for 量子コンピュータ), which a reader could not find in the text.
        in_technology = normalise(technology.text)
        statement = item_statement(self.controls, item).text
        in_item = normalise(statement)
        translations = [t for t in found["translations"] if t["ja"] in in_technology and t["en"] in in_item]
        translated = {term for t in translations for term in self._tokens(t["en"])}
        shared = shared_evidence(technology.terms, self._item_terms(item), self._weights[item.list], translated)
        words = surfaces(self._matchers[0].tokeniser, statement, {t for s in shared for t in s.terms})
        parameters = parameter_evidence(self.controls, item, technology.parameters)
        meets = any(p["within"] is True for p in parameters)
        fused = min((proposal.score or 0.0) / attainable, 1.0)
        mine = technology.weights(item.list, self._weights[item.list])
        inputs = _inputs(
            shared, meets, fused, _cover(self._item_terms(item).title, shared, self._weights[item.list]), mine
        )
        basis = sorted({s.kind for s in shared if s.specific} | ({"parameter"} if meets else set()), key=_BASES.index)
        # A candidate with specific evidence never scores below one without: the fit says little so far down.
        score = max(calibration.probability(inputs), calibration.NO_SPECIFIC) if basis else calibration.NO_SPECIFIC
        evidence: dict[str, Any] = {
            "level": calibration.level(score, bool(basis), self.threshold),
            "basis": basis,
            "phrases": [
                {
                    "technology": [technology.words.get(t, t) for t in s.terms],
                    "item": [words.get(t, t) for t in s.terms],
                    "weight": s.weight,
                    "where": s.where,
                }
                for s in shared
                if s.kind == "phrase"
            ],
            "terms": [
                {
                    "technology": technology.words.get(s.terms[0], s.terms[0]),
                    "item": words.get(s.terms[0], s.terms[0]),
                    "weight": s.weight,
                    "specific": s.specific,
                    "where": s.where,
                }
                for s in shared
                if s.kind == "term"
            ],
            "translations": _translations(translations, shared, self._tokens),
            "concepts": found["concepts"],
            "parameters": parameters,
            "channels": found["channels"],
            "rank_score": round(fused, 6),
            "inputs": inputs,
            "parent": path[-1] if path else None,
            "path": path,
            "leaf": self.controls.is_leaf(item),
        }
        evidence["why"] = {language: why(evidence, score, language) for language in ("ja", "en")}
        return Candidate(item, round(score, 6), evidence)


@dataclass(frozen=True)
class _Technology:
    """A technology as every candidate reads it: its text, terms in order, parameters and words (term → word), and
    the weights of its terms against each list (worked out once per list)."""

    text: str
    terms: list[str]
    parameters: list[Parameter]
    words: dict[str, str]
    _weights: dict[str, dict[str, float]] = field(default_factory=dict)

    def weights(self, list_name: str, weights: Weights) -> dict[str, float]:
        found = self._weights.get(list_name)
        if found is None:
            found = self._weights[list_name] = {t: weights.weight(t) for t in set(self.terms)}
        return found


_BASES = ["phrase", "term", "translation", "parameter"]


def _own_text(item: ControlItem) -> str:
    """The item's text beyond its title (the bundled lists repeat the title at the start of the text)."""
    if item.text == item.title:
        return ""
    return item.text[len(item.title) :] if item.text.startswith(item.title) else item.text


def _order(candidate: Candidate) -> tuple[float, bool, float]:
    """Best score first; among equal scores, specific evidence first, then the matcher's order."""
    return (-candidate.score, not candidate.evidence["basis"], -candidate.evidence["rank_score"])


def _inputs(
    shared: list[Shared], meets: bool, fused: float, cover: float, technology: dict[str, float]
) -> dict[str, float]:
    """The calibration's inputs (calibration.FEATURES) from the evidence."""
    have = {t for s in shared for t in s.terms}
    whole = sum(technology.values())
    return {
        "phrases": round(math.log1p(sum(s.kind == "phrase" for s in shared)), 3),
        "parameter": 1.0 if meets else 0.0,
        "fused": round(fused, 3),
        "cover": cover,
        "tech_cover": round(sum(w for t, w in technology.items() if t in have) / whole, 3) if whole else 0.0,
    }


def _cover(title: Sequence[str], shared: list[Shared], weights: Weights) -> float:
    """The share of the weight of the item's own title terms that the technology shares: near 1 when it names
    what the item names (「レーダー又はその部分品」 for a radar), small when it meets one word of a long title."""
    total = {t: weights.weight(t) for t in title}
    have = {t for s in shared for t in s.terms}
    whole = sum(total.values())
    return round(sum(w for t, w in total.items() if t in have) / whole, 3) if whole else 0.0


def _translations(
    translations: list[dict[str, Any]], shared: list[Shared], tokens: Callable[[str], list[str]]
) -> list[dict[str, Any]]:
    """The matcher's translations that are in both texts, with the weight and specificity of their English term;
    those whose English is a common word are left out."""
    by_term = {s.terms[0]: s for s in shared if s.kind in ("translation", "term")}
    shown = []
    for pair in translations:
        found = [by_term[t] for t in tokens(pair["en"]) if t in by_term]
        if not found and all(is_common(t) for t in tokens(pair["en"])):
            continue
        best = max(found, key=lambda s: s.weight, default=None)
        shown.append(
            {
                **pair,
                "weight": best.weight if best else 0.0,
                "specific": bool(best and best.kind == "translation" and best.specific),
            }
        )
    return shown


@functools.cache
def bundled_classifier() -> Classifier:
    """The classifier over every bundled list. Indexing them takes about a second: once per process, and only
    when something (a risk card's suggestions, the classification page) asks for candidates."""
    return Classifier(load_controls(list(BUNDLED)))


def dual_use_signal(texts: Mapping[str, str]) -> dict[str, float]:
    """For each technology (id → its name, description and most cited works' titles, one per line), the probability
    that its best control-list candidate is right: how much of it the export-control lists describe. A landscape
    indicator, never a classification (that is `classify` and a person's decision)."""
    classifier = bundled_classifier()
    found: dict[str, float] = {}
    for technology, text in texts.items():
        title, _, rest = text.partition("\n")
        candidates = classifier.classify(Statement(technology, title, rest), top=1)
        found[technology] = round(candidates[0].score, 6) if candidates else 0.0
    return found


def _matched_words(evidence: dict[str, Any]) -> list[str]:
    words = [t["seed"] for t in evidence["terms"]] + [t["en"] for t in evidence["translations"]]
    return [w for w in words if w]


def _says(item: ControlItem, words: list[str]) -> bool:
    own = normalise(f"{item.title}\n{item.text}")
    return any(normalise(word) in own for word in words)


def _attainable(matcher: Matcher, proposals: list[Proposal]) -> float:
    """The fused score of an item ranked first by every channel that ranked anything for this technology: what
    makes scores of different lists comparable (a Japanese text meets a Japanese list in its own words only, an
    English list through translations and concepts too, so raw fused scores favour one or the other)."""
    active = {name for p in proposals for name in p.evidence["channels"]}
    total = sum(matcher.settings.weights.get(name, 0.0) for name in active) / (RRF_K + 1)
    return total or 1.0


def _settings(statements: Sequence[Statement]) -> MatchSettings:
    """know/match.py's defaults, without the translation channels (translated, latent) for a list in Japanese: a Japanese text meets it
    in its own words, and the English glosses would match only the list's few English headings, which every item
    under a heading shares, so they rank by length alone.

    Tried and left out: concepts within one language too (benchmarks/controls.py: top-3 accuracy 0.80 against 0.85;
    it finds 9(7) for 「暗号化」, which Sudachi keeps whole, but loses more elsewhere)."""
    japanese = sum(is_japanese(s.title) for s in statements) * 2 > len(statements)
    settings = MatchSettings()
    if japanese:
        settings.weights["translated"] = settings.weights["latent"] = 0.0
    return settings


def _one_per_parent_first(ranked: list[Candidate]) -> list[Candidate]:
    """The best candidate under each parent, in order, then the rest: 5A002.a.1, .a.2 and .a.3 share their
    evidence (the parent's key lengths), and three of them would crowd out the Japanese list's 9(7)."""
    first: list[Candidate] = []
    later: list[Candidate] = []
    parents: set[tuple[str, str | None]] = set()
    for candidate in ranked:
        parent = (candidate.item.list, candidate.item.parent)
        (later if parent in parents else first).append(candidate)
        parents.add(parent)
    return first + later


def _leaves_first(controls: ControlList, items: dict[str, ControlItem], found: list[Proposal]) -> list[Proposal]:
    """The proposals without those whose descendants are proposed too (the descendant says more)."""
    proposed = {p.seed_id for p in found}
    covered = {
        ancestor.key for p in found for ancestor in controls.ancestors(items[p.seed_id]) if ancestor.key in proposed
    }
    return [p for p in found if p.seed_id not in covered]


def parameter_evidence(
    controls: ControlList, item: ControlItem, technology: Sequence[Parameter]
) -> list[dict[str, Any]]:
    """The item's parameters (its own, then its ancestors') of a quantity the technology also states: both as
    written, and whether the technology's value meets the item's threshold (None where that cannot be said)."""
    if not technology:
        return []
    shown: list[dict[str, Any]] = []
    seen: set[tuple[str, str]] = set()
    for source in [item, *controls.ancestors(item)]:
        for threshold in source.parameters:
            for stated in technology:
                key = (threshold.text, stated.text)
                if stated.quantity != threshold.quantity or key in seen:
                    continue
                seen.add(key)
                shown.append(
                    {
                        "quantity": threshold.quantity,
                        "item": threshold.text,
                        "item_code": source.code,
                        "technology": stated.text,
                        "within": within(stated, threshold),
                    }
                )
    # Where the technology meets a threshold first, then the unknowns, then those it does not meet.
    order = {True: 0, None: 1, False: 2}
    shown.sort(key=lambda entry: order[entry["within"]])
    return shown[:MAX_PARAMETERS]


MAX_PARAMETERS = 8


def classify_all(
    classifier: Classifier,
    technologies: Sequence[Statement],
    top: int = 5,
    on_progress: Callable[[int], None] | None = None,
) -> list[list[Candidate]]:
    results = []
    for technology in technologies:
        results.append(classifier.classify(technology, top))
        if on_progress is not None:
            on_progress(1)
    return results


def result_rows(technologies: Sequence[Statement], results: Sequence[Sequence[Candidate]]) -> list[dict[str, Any]]:
    """One row per technology, in the stable shape `{"id", "matches": [{"list", "code", "title", "score",
    "evidence"}]}` (DESIGN.md §4), with the technology's title beside it."""
    return [
        {
            "id": technology.id,
            "title": technology.title,
            "matches": [
                {
                    "list": c.item.list,
                    "code": c.item.code,
                    "title": c.item.title,
                    "score": c.score,
                    "evidence": c.evidence,
                }
                for c in candidates
            ],
        }
        for technology, candidates in zip(technologies, results, strict=True)
    ]


def table_rows(technologies: Sequence[Statement], results: Sequence[Sequence[Candidate]]) -> list[dict[str, Any]]:
    """One row per candidate with the evidence in short columns, for CSV and Excel (an officer's worksheet)."""
    rows = []
    for technology, candidates in zip(technologies, results, strict=True):
        for rank, c in enumerate(candidates, 1):
            evidence = c.evidence
            parent = evidence["parent"] or {}
            rows.append(
                {
                    "id": technology.id,
                    "technology": technology.title,
                    "rank": rank,
                    "list": c.item.list,
                    "code": c.item.code,
                    "title": c.item.title,
                    "parent_code": parent.get("code"),
                    "parent_title": parent.get("title"),
                    "score": c.score,
                    "level": c.level,
                    "why": c.evidence["why"]["en"],
                    "why_ja": c.evidence["why"]["ja"],
                    "terms": [
                        t["technology"] if t["technology"] == t["item"] else f"{t['technology']}={t['item']}"
                        for t in evidence["terms"]
                    ],
                    "translations": [f"{t['ja']}→{t['en']}" for t in evidence["translations"]],
                    "concepts": [f"{x['name_ja']} / {x['name_en']}" for x in evidence["concepts"]],
                    "parameters": [
                        f"{p['technology']} vs {p['item']} ({p['item_code']}): "
                        + {True: "meets", False: "does not meet", None: "compare"}[p["within"]]
                        for p in evidence["parameters"]
                    ],
                }
            )
    return rows


JSONL_COLUMNS = ("id", "matches", "title")
TABLE_COLUMNS = (
    "id",
    "technology",
    "rank",
    "list",
    "code",
    "title",
    "parent_code",
    "parent_title",
    "score",
    "level",
    "why",
    "why_ja",
    "terms",
    "translations",
    "concepts",
    "parameters",
)
