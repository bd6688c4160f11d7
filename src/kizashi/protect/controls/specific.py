"""Which evidence of a control-list candidate is specific, and how much each piece weighs.

A word that a technology and an item share is evidence in proportion to how unlikely the two were to share it by
chance: the chance that a technology text uses the word (its share of documents in general technical text,
general.py) times the chance that an item uses it (its share of the list's items). Its weight is the surprise of
the match, −ln of that product, in nats. "can", "two", "single", "end" and "points" are in 5–18 % of technical texts
and count for nothing, however rare they are among the items ("two" is in 16 of the CCL's 1,254 entries); "wafer"
or "sonar" are rare in both and count for much.

What makes a candidate one a reviewer should check is specific evidence, one of:

- a phrase of the item: two terms next to each other in both texts ("phased array", 「暗号 装置」), at least one of
  them not common;
- a rare term of the item's own title: not common in general text and in few of the list's items
  (RARE_AMONG_ITEMS): the word that names what the item is (「レーダー又はその部分品」);
- the same through a translation of the technology's Japanese into the item's English;
- a parameter: the technology states a value that meets one of the item's thresholds (parameters.py).

Common words (a share of GENERIC or more of general technical text) weigh nothing and are never shown as evidence. Concepts (taxonomy areas) are
shown but are never specific: they say which field, not which item.
"""

from __future__ import annotations

import itertools
import math
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import cache

from kizashi.protect.controls import general
from kizashi.text.normalise import is_japanese

# A term in at least this share of general technical texts is common: it is no evidence. English: "single" 2.1 %,
# "end" 2.7 %, "two" and "point" 4.3 %, "can" 17 %, "system" 22 % are common; "radar" 1.4 %, "drone" 1.5 %,
# "encryption" 1.3 %, "laser" 0.6 % are not. Japanese shares rest on a third as many documents per source, and a
# term such as 「レーダー」 (2.3 %, from needs about rain radar) or 「暗号」 (2.3 %) is common there by chance: the
# line is higher (研究 3.7 %, 開発 4.8 %, 技術 23 % are common).
GENERIC = {"en": 0.02, "ja": 0.035}
# A single term of an item's own title is specific evidence when at most this share of the list's items use it
# (「レーダー」 is in 4 of the Order's 293 items; 「装置」 in 109, "equipment" in 300 of the CCL's 1,254).
RARE_AMONG_ITEMS = 0.05
# A term found in fewer than this many documents of general text counts as seen in half a document of each source.
_UNSEEN = 0.5


@cache
def _shares(language: str) -> tuple[dict[str, float], float]:
    """term → its share of general technical documents in `language` (the geometric mean over the sources, so that
    a word is common only when it is common in every kind of text: "surveillance" is frequent in security research
    alone), and the share of a term never seen."""
    sizes = list(general.DOCUMENTS[language].values())
    floor = math.exp(sum(math.log(_UNSEEN / (n + 1)) for n in sizes) / len(sizes))
    shares: dict[str, float] = {}
    for entry in general.COUNTS[language].split():
        term, _, found = entry.rpartition(":")
        counts = found.split(",")
        logs = (math.log((int(c) or _UNSEEN) / (n + 1)) for c, n in zip(counts, sizes, strict=True))
        shares[term] = math.exp(sum(logs) / len(sizes))
    return shares, floor


def _language(term: str) -> str:
    return "ja" if is_japanese(term) else "en"


def general_share(term: str) -> float:
    """The share of general technical documents that use `term` (Japanese or English index term)."""
    shares, floor = _shares(_language(term))
    return shares.get(term, floor)


def is_common(term: str) -> bool:
    """Whether `term` is so common in general technical text that sharing it is no evidence."""
    return general_share(term) >= GENERIC[_language(term)]


class Weights:
    """The weight of a shared term for one list: its rarity among the list's items and in general text."""

    def __init__(self, item_terms: Iterable[Iterable[str]]) -> None:
        self.frequency: Counter[str] = Counter()
        self.items = 0
        for terms in item_terms:
            self.frequency.update(set(terms))
            self.items += 1

    def item_share(self, term: str) -> float:
        return self.frequency.get(term, 0) / max(self.items, 1)

    def among_items(self, term: str) -> float:
        """−ln of the term's share of the list's items (nats)."""
        return math.log((self.items + 1) / (self.frequency.get(term, 0) + _UNSEEN))

    def weight(self, term: str) -> float:
        """The surprise of the match in nats; 0 for a common term."""
        if is_common(term):
            return 0.0
        return round(self.among_items(term) - math.log(general_share(term)), 3)


@dataclass(frozen=True)
class ItemTerms:
    """An item's terms in order, by where they stand: its own title, its own text beyond the title (notes,
    definitions) and the titles of the items above it."""

    title: tuple[str, ...]
    text: tuple[str, ...]
    path: tuple[tuple[str, ...], ...]

    def parts(self) -> list[tuple[str, ...]]:
        return [self.title, self.text, *self.path]


@dataclass(frozen=True)
class Shared:
    """One piece of evidence: a term, a phrase (two terms) or a translated term, with its weight, where the item
    has it ("title", "text" or "path") and whether it is specific."""

    kind: str  # "phrase", "term" or "translation"
    terms: tuple[str, ...]
    weight: float
    where: str
    specific: bool


def pairs(parts: Iterable[Sequence[str]]) -> set[tuple[str, str]]:
    """Adjacent term pairs within each part (a title, a text): the phrases a text can share."""
    return {pair for terms in parts for pair in itertools.pairwise(terms) if pair[0] != pair[1]}


def _where(terms: Sequence[str], item: ItemTerms) -> str:
    if set(terms) <= set(item.title):
        return "title"
    if any(set(terms) <= set(part) for part in item.path):
        return "path"
    return "text"


def _phrase_where(pair: tuple[str, str], item: ItemTerms) -> str:
    if pair in pairs([item.title]):
        return "title"
    if pair in pairs(item.path):
        return "path"
    return "text"


def shared_evidence(
    technology: Sequence[str], item: ItemTerms, weights: Weights, translated: Iterable[str] = ()
) -> list[Shared]:
    """What a technology's terms (in order) share with an item, specific first, heaviest first.

    A phrase is specific wherever the item has it; a single term (or a translated one) only in the item's own title,
    where it names what the item is (「レーダー又はその部分品」), not in a note that mentions it in passing ("can
    process two or more wafers simultaneously")."""
    item_terms = {t for part in item.parts() for t in part}
    found: list[Shared] = []
    for pair in sorted(pairs([technology]) & pairs(item.parts())):
        if is_common(pair[0]) and is_common(pair[1]):
            continue
        weight = round(weights.weight(pair[0]) + weights.weight(pair[1]), 3)
        found.append(Shared("phrase", pair, weight, _phrase_where(pair, item), True))
    direct = set(technology) & item_terms
    for kind, terms in (("term", direct), ("translation", set(translated) & item_terms - direct)):
        for term in sorted(terms):
            weight = weights.weight(term)
            if weight > 0:
                where = _where((term,), item)
                rare = weights.item_share(term) <= RARE_AMONG_ITEMS
                found.append(Shared(kind, (term,), weight, where, where == "title" and rare))
    found.sort(key=lambda s: (not s.specific, -s.weight, s.terms))
    return found
