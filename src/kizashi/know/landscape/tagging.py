"""Tagging works with the technologies of a taxonomy: the first stage of every landscape table.

A work belongs to a technology when one of the technology's names or synonyms, in either language, occurs in its
title, keywords or abstract as a phrase: after NFKC width folding and case folding, as whole words in Latin script
(so "AI" never matches inside "maintain"), as a run of Sudachi words in Japanese (split mode A on both sides, so a
phrase and a text cut the same way). No stemming: "sensor" is not "sensing". A work then belongs to the ancestors
of each technology it names too, with the same evidence and the child it came through (`via`).

A taxonomy may also map a technology to works' topics (`topics`: OpenAlex topics and keywords, CORDIS call topics, as
the works carry them): a work whose topics or keywords include one, whole after the same folding, belongs to it too.

The evidence kept per work and technology is the first phrase found, in the order title, keywords, abstract, then the
mapped topic (field `topics`, or `keywords` when a keyword equals it).
"""

from __future__ import annotations

import re
import threading
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from functools import cache
from typing import Any

from sudachipy import Dictionary, SplitMode

from kizashi.ingest.taxonomy import ancestors, parent_map
from kizashi.text.normalise import is_japanese, normalise
from kizashi.text.tokenise import SUDACHI_MAX_CHARS, chunks

FIELDS = ("title", "keywords", "abstract", "topics")
NAME_KEYS = ("name_en", "name_ja", "synonyms_en", "synonyms_ja")
TOPIC_KEY = "topics"
_WORD = re.compile(r"[^\W_]+")
# Between two keywords, so that no phrase runs from one keyword into the next.
_GAP = "\x00"


@dataclass(frozen=True)
class Tag:
    technology: str
    phrase: str  # as the taxonomy writes it
    field: str  # title, keywords or abstract
    via: str | None = None  # the child technology named in the text, for an ancestor's tag


class _Japanese:
    """Sudachi words (split mode A, surface forms) of normalised text; one tokenizer per thread."""

    def __init__(self) -> None:
        self._dictionary = Dictionary(dict="core")
        self._local = threading.local()

    def words(self, text: str) -> list[str]:
        tokenizer = getattr(self._local, "tokenizer", None)
        if tokenizer is None:
            tokenizer = self._local.tokenizer = self._dictionary.tokenizer(mode=SplitMode.A)
        found: list[str] = []
        for piece in chunks(text) if len(text) > SUDACHI_MAX_CHARS else (text,):
            found.extend(m.surface() for m in tokenizer.tokenize(piece))
        return [word for word in found if _WORD.fullmatch(word)]


@cache
def _japanese() -> _Japanese:
    return _Japanese()


def words(text: str) -> list[str]:
    """The words of a text as tagging compares them: normalised, Sudachi's for Japanese text, else \\w runs."""
    folded = normalise(text)
    if not folded:
        return []
    if is_japanese(folded):
        return _japanese().words(folded)
    return _WORD.findall(folded)


class PhraseTagger:
    """Finds a taxonomy's technologies in works. Build once per taxonomy; tagging a work is a dictionary walk."""

    def __init__(self, technologies: Iterable[Mapping[str, Any]]) -> None:
        entries = list(technologies)
        self.parents = parent_map(entries)
        self._ancestors = {tech: ancestors(self.parents, tech) for tech in self.parents}
        # first word → [(phrase words, technology, phrase as written)], longest first
        self._phrases: dict[str, list[tuple[tuple[str, ...], str, str]]] = {}
        for entry in entries:
            technology = str(entry["id"])
            for phrase in _names(entry):
                terms = tuple(words(phrase))
                if not terms:
                    continue
                candidates = self._phrases.setdefault(terms[0], [])
                if not any(known == terms and tech == technology for known, tech, _ in candidates):
                    candidates.append((terms, technology, phrase))
        for candidates in self._phrases.values():
            candidates.sort(key=lambda item: -len(item[0]))
        # folded topic → [(technology, topic as the taxonomy writes it)]
        self._topics: dict[str, list[tuple[str, str]]] = {}
        for entry in entries:
            for topic in _listed(entry.get(TOPIC_KEY)):
                folded = normalise(topic)
                if folded:
                    self._topics.setdefault(folded, []).append((str(entry["id"]), topic))

    def tag(
        self,
        title: str | None,
        keywords: Sequence[str] | None,
        abstract: str | None,
        topics: Sequence[str] | None = None,
    ) -> list[Tag]:
        """The technologies of one work, direct ones first, then their ancestors; one tag per technology."""
        found: dict[str, Tag] = {}
        texts = (
            ("title", words(title or "")),
            ("keywords", _keyword_words(keywords or ())),
            ("abstract", words(abstract or "")),
        )
        for field, terms in texts:
            self._find(terms, field, found)
        if self._topics:
            for field, values in (("topics", topics or ()), ("keywords", keywords or ())):
                for value in values:
                    for technology, written in self._topics.get(normalise(value), ()):
                        if technology not in found:
                            found[technology] = Tag(technology, written, field)
        direct = list(found.values())
        for tag in direct:
            for ancestor in self._ancestors.get(tag.technology, ()):
                if ancestor not in found:
                    found[ancestor] = Tag(ancestor, tag.phrase, tag.field, tag.technology)
        return list(found.values())

    def _find(self, terms: list[str], field: str, found: dict[str, Tag]) -> None:
        phrases = self._phrases
        for position in [i for i, term in enumerate(terms) if term in phrases]:
            for phrase, technology, written in phrases[terms[position]]:
                if technology in found:
                    continue
                if len(phrase) == 1 or tuple(terms[position : position + len(phrase)]) == phrase:
                    found[technology] = Tag(technology, written, field)


def _names(entry: Mapping[str, Any]) -> list[str]:
    return [name for key in NAME_KEYS for name in _listed(entry.get(key))]


def _listed(value: Any) -> list[str]:
    if isinstance(value, str):
        return [value] if value else []
    if isinstance(value, list | tuple):
        return [str(item) for item in value if item]
    return []


def _keyword_words(keywords: Sequence[str]) -> list[str]:
    found: list[str] = []
    for keyword in keywords:
        if found:
            found.append(_GAP)
        found.extend(words(keyword))
    return found
