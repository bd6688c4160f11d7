"""The third stage of the text pipeline: tagging a text with concepts of the bilingual technology taxonomy.

A concept is found when one of its names or synonyms, in either language, occurs in a text as a run of consecutive
terms (after normalise + tokenise, so 無人航空機 and "unmanned aerial vehicles" are found whichever way they are
written). Concepts connect a Japanese need to an English seed without any translation, and they explain a match.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from functools import cache
from importlib import resources
from typing import Any

import yaml

from kizashi.text.tokenise import Tokeniser

NAME_FIELDS = ("name_en", "name_ja")
SYNONYM_FIELDS = ("synonyms_en", "synonyms_ja")


@dataclass(frozen=True)
class Concept:
    id: str
    name_en: str
    name_ja: str
    parent: str | None = None


@dataclass(frozen=True)
class Hit:
    concept: str
    phrase: tuple[str, ...]  # the terms that matched


@cache
def bundled_taxonomy() -> tuple[dict[str, Any], ...]:
    """The taxonomy that ships with kizashi (data/reference/taxonomy.yaml), read once."""
    text = resources.files("kizashi").joinpath("data/reference/taxonomy.yaml").read_text(encoding="utf-8")
    return tuple(yaml.safe_load(text)["technologies"])


class ConceptTagger:
    """Finds taxonomy concepts in token lists. Build once per taxonomy; `tag` is a dictionary walk per token."""

    def __init__(self, entries: Iterable[Mapping[str, Any]], tokeniser: Tokeniser) -> None:
        self.concepts: dict[str, Concept] = {}
        # first term → [(phrase terms, concept id)], longest phrases first so the most specific one wins
        self._phrases: dict[str, list[tuple[tuple[str, ...], str]]] = defaultdict(list)
        for entry in entries:
            concept = Concept(str(entry["id"]), str(entry["name_en"]), str(entry["name_ja"]), entry.get("parent"))
            self.concepts[concept.id] = concept
            names = [entry[field] for field in NAME_FIELDS if entry.get(field)]
            names += [name for field in SYNONYM_FIELDS for name in entry.get(field) or []]
            for name in names:
                terms = tuple(tokeniser.tokens(str(name)))
                # A one-letter or purely generic name ("AI" survives; "bio" alone would tag every biology text)
                # is still a name its experts use: keep it, BM25-like weighting discounts common concepts.
                if terms and (terms, concept.id) not in self._phrases[terms[0]]:
                    self._phrases[terms[0]].append((terms, concept.id))
        for candidates in self._phrases.values():
            candidates.sort(key=lambda item: -len(item[0]))
        self._areas = {concept: self._walk_up(concept) for concept in self.concepts}

    def tag(self, tokens: Sequence[str]) -> list[Hit]:
        """Every concept occurrence in `tokens`, left to right; a longer phrase wins over a shorter one at the same
        place."""
        hits: list[Hit] = []
        position = 0
        while position < len(tokens):
            step = 1
            for phrase, concept in self._phrases.get(tokens[position], ()):
                if tuple(tokens[position : position + len(phrase)]) == phrase:
                    hits.append(Hit(concept, phrase))
                    step = len(phrase)
                    break
            position += step
        return hits

    def area(self, concept: str) -> str:
        """The top-level concept above `concept` (its field, e.g. robotics for robotics.uav)."""
        return self._areas[concept]

    def _walk_up(self, concept: str) -> str:
        seen = set()
        while (parent := self.concepts[concept].parent) is not None and parent in self.concepts and concept not in seen:
            seen.add(concept)
            concept = parent
        return concept

    def concept_ids(self, tokens: Sequence[str]) -> set[str]:
        return {hit.concept for hit in self.tag(tokens)}
