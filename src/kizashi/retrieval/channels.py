"""The matcher's channels, by name: each ranks every seed for one need, and reciprocal-rank fusion joins them
(after nomenklatura's registry of algorithms: `CHANNELS[name]`, each with its help and its typed tunables in
`MatchSettings`; the default weights are KIZASHI_MATCH_WEIGHTS').

- `lexical`: BM25 (bm25s) over the terms of the seeds, queried with the need's own terms: Japanese meets Japanese,
  English meets English (Latin-script words inside Japanese text included);
- `translated`: the need's Japanese terms turned into English terms (text/translate.py) and scored against the same
  index;
- `concepts`: taxonomy concepts (text/concepts.py) shared by need and seed, weighted by rarity among the seeds;
- `dense` (optional): cosine similarity of sentence vectors from a local model the user names (text/embed.py), for
  needs in the languages that model reads. It finds the seeds that say the same thing in other words.

A channel answers None when it has nothing to say about this need (no translation of an English need, no dense model).
"""

from __future__ import annotations

import itertools
from collections import defaultdict
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import numpy as np
import numpy.typing as npt

from kizashi.retrieval.statement import Statement
from kizashi.text.normalise import is_japanese

if TYPE_CHECKING:
    from kizashi.retrieval.matcher import Matcher

Scores = npt.NDArray[np.float64]


@dataclass(frozen=True)
class Query:
    """A need read once for every channel: its terms, taxonomy concepts, English translations and dense vector."""

    need: Statement
    terms: list[str]
    concepts: set[str]
    translated: list[tuple[str, str, float]]  # (Japanese word, English term, weight)
    vector: npt.NDArray[np.float32] | None


@dataclass(frozen=True)
class Channel:
    name: str
    score: Callable[[Matcher, Query], Scores | None]
    help: str


def weighted(matcher: Matcher, weights: Mapping[str, float]) -> Scores:
    """Σ weight × BM25 score of each term, read straight from bm25s's precomputed term rows: one dense array per
    query, and each term's postings touched once, however often it was asked for."""
    bm25 = matcher.bm25
    index, vocabulary = bm25.scores, bm25.vocab_dict
    data, indices, indptr = index["data"], index["indices"], index["indptr"]
    absent = getattr(bm25, "nonoccurrence_array", None)  # BM25L and BM25+ score absent terms too
    documents: list[npt.NDArray[Any]] = []
    values: list[npt.NDArray[Any]] = []
    constant = 0.0
    for term, weight in weights.items():
        token = vocabulary.get(term)
        if token is None:
            continue
        start, end = indptr[token], indptr[token + 1]
        documents.append(indices[start:end])
        values.append(weight * data[start:end])
        if absent is not None:
            constant += weight * float(absent[token])
    if not documents:
        return matcher.zeros()
    # One C pass over all the postings (faster than a scatter-add per term).
    scores = np.bincount(np.concatenate(documents), weights=np.concatenate(values), minlength=len(matcher.seeds))
    return np.asarray(scores + constant, dtype=np.float64)


def lexical(matcher: Matcher, query: Query) -> Scores:
    weights: dict[str, float] = defaultdict(float)
    for term in query.terms:
        weights[term] += 1.0
    if matcher.settings.bigrams:
        # A pair is partial evidence on top of its two words, which are already counted.
        for first, second in itertools.pairwise(query.terms):
            weights[f"{first}_{second}"] += matcher.settings.bigram_weight
    return weighted(matcher, weights)


def translated(matcher: Matcher, query: Query) -> Scores | None:
    if not query.translated:
        return None
    return weighted(matcher, _translation_weights(matcher, query.translated))


def _translation_weights(matcher: Matcher, pairs: Sequence[tuple[str, str, float]]) -> dict[str, float]:
    weights: dict[str, float] = defaultdict(float)
    n = len(matcher.seeds)
    frequency = matcher.document_frequency
    for _japanese, english, weight in pairs:
        if frequency.get(english, 0) <= matcher.settings.translated_max_share * n:
            weights[english] += weight
    # Rarest first, up to a budget of postings (in seeds' worth, so the same at any corpus size): a Japanese need
    # yields dozens of glosses, and the common ones cost the most and rank the least.
    budget = matcher.settings.translated_postings * n
    kept: dict[str, float] = {}
    for english in sorted(weights, key=lambda term: (frequency.get(term, 0), term)):
        budget -= frequency.get(english, 0)
        if budget < 0 and kept:
            break
        kept[english] = weights[english]
    return kept


def concepts(matcher: Matcher, query: Query) -> Scores | None:
    if not query.concepts or not _concepts_apply(matcher, query.need):
        return None
    scores = matcher.zeros()
    for concept in query.concepts:
        members = matcher.by_concept.get(concept)
        if members is not None:
            scores[members] += matcher.concept_idf[concept]
    return scores


def _concepts_apply(matcher: Matcher, need: Statement) -> bool:
    if not matcher.settings.concepts_across_languages_only:
        return True
    need_japanese = need.lang == "ja" or is_japanese(need.text)
    return need_japanese != matcher.seeds_japanese


def dense(matcher: Matcher, query: Query) -> Scores | None:
    if matcher.embedder is None or matcher.seed_vectors is None or matcher.settings.weights.get("dense", 0.0) <= 0:
        return None
    vector = query.vector
    if vector is None:
        if not matcher.dense_applies(query.need):
            return None
        vector = matcher.embedder.encode([query.need.text])[0]
    return (matcher.seed_vectors @ vector).astype(np.float64)


CHANNELS: dict[str, Channel] = {
    channel.name: channel
    for channel in (
        Channel("lexical", lexical, "BM25 over the need's own terms (Japanese meets Japanese, English English)"),
        Channel("translated", translated, "the need's Japanese terms translated to English (JMdict, taxonomy)"),
        Channel("concepts", concepts, "taxonomy concepts shared across languages, weighted by rarity"),
        Channel("dense", dense, "cosine of sentence vectors from a local model (KIZASHI_MATCH_DENSE_MODEL)"),
    )
}


def get_channel(name: str) -> Channel:
    """The channel called `name`; KeyError naming the channels otherwise."""
    try:
        return CHANNELS[name]
    except KeyError:
        raise KeyError(f"no channel '{name}'; the channels are {', '.join(CHANNELS)}") from None
