"""The matcher's channels, by name: each ranks every seed for one need, and reciprocal-rank fusion joins them
(after nomenklatura's registry of algorithms: `CHANNELS[name]`, each with its help and its typed tunables in
`MatchSettings`; the default weights are KIZASHI_MATCH_WEIGHTS').

- `lexical`: BM25 (bm25s) over the terms of the seeds, queried with the need's own terms: Japanese meets Japanese,
  English meets English (Latin-script words inside Japanese text included);
- `translated`: the need's Japanese words, each with all its English renderings (text/translate.py) as one term of a
  structured query, scored by BM25 against the same index's counts;
- `latent`: the translated terms in a latent semantic space of the seeds (LSA), for needs in another language;
- `concepts`: taxonomy concepts (text/concepts.py) shared by need and seed, weighted by rarity among the seeds;
- `dense` (optional): cosine similarity of sentence vectors from a local model the user names (text/embed.py), for
  needs in the languages that model reads. It finds the seeds that say the same thing in other words.

A channel answers None when it has nothing to say about this need (no translation of an English need, no dense model).
"""

from __future__ import annotations

import itertools
import math
from collections import Counter, defaultdict
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import numpy as np
import numpy.typing as npt

from kizashi.retrieval.statement import Statement
from kizashi.text.normalise import is_japanese
from kizashi.text.translate import Translation

if TYPE_CHECKING:
    from kizashi.retrieval.matcher import Matcher

Scores = npt.NDArray[np.float64]


@dataclass(frozen=True)
class Query:
    """A need read once for every channel: its terms, taxonomy concepts, English translations and dense vector."""

    need: Statement
    terms: list[str]
    concepts: set[str]
    translated: list[Translation]  # the need's Japanese words with their English renderings
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
    return structured(matcher, query.translated)


def structured(matcher: Matcher, words: Sequence[Translation]) -> Scores:
    """BM25 of a structured query (Pirkola 1998; Darwish & Oard 2003): all English renderings of one Japanese word
    count as one term, their counts in a seed added in proportion to each rendering's weight, and their document
    frequencies likewise. A common right sense (技術 → technology) then stays, and a rare wrong one (技術 → art)
    cannot outrank it by being rare. A word the need repeats counts again, as a repeated English word does."""
    repeats: Counter[str] = Counter(word.japanese for word in words)
    seeds: list[npt.NDArray[Any]] = []
    scores: list[npt.NDArray[Any]] = []
    for word in {word.japanese: word for word in words}.values():
        found, scored = matcher.word_scores(word)
        if len(found):
            seeds.append(found)
            scores.append(scored * np.float32(repeats[word.japanese] * word.weight))
    if not seeds:
        return matcher.zeros()
    return np.bincount(np.concatenate(seeds), weights=np.concatenate(scores), minlength=len(matcher.seeds)).astype(
        np.float64
    )


def word_scores(matcher: Matcher, word: Translation) -> tuple[npt.NDArray[np.int32], npt.NDArray[np.float32]]:
    """One Japanese word's BM25 contribution to every seed that holds one of its renderings: (seeds, idf × saturated
    count). The same for every need, so the matcher keeps it for the words needs repeat."""
    from scipy import sparse

    members, idf = matcher.synonym_set(word)
    if not members:
        return np.empty(0, dtype=np.int32), np.empty(0, dtype=np.float32)
    tf = matcher.term_frequencies
    # In the counts' own dtype: a float64 query would make SciPy copy the whole count matrix.
    query = sparse.csr_matrix(
        (list(members.values()), ([0] * len(members), list(members.keys()))), shape=(1, tf.shape[0]), dtype=tf.dtype
    )
    counts = (query @ tf).tocsr()
    count, found = counts.data, counts.indices
    k1 = np.float32(matcher.settings.k1)
    return found, (np.float32(idf) * count * (k1 + 1) / (count + matcher.saturation[found])).astype(np.float32)


def synonym_set(matcher: Matcher, word: Translation) -> tuple[dict[int, float], float]:
    """A word's synonym set as the structured query reads it: its index terms with their shares, and its idf from
    their shares of the document frequencies. Terms worth less than `rendering_min_share` of the word are left out
    (the word-halves of a third sense's phrase: noise that costs a pass over their postings); no terms when the set is found in more than `translated_max_share` of
    the seeds (its idf is below log 4, and its postings are the longest: 技術 in a corpus on technology)."""
    n = len(matcher.seeds)
    members = {
        token: share
        for token, share in _members(word, matcher.bm25.vocab_dict, matcher.settings.phrase_share).items()
        if share >= matcher.settings.rendering_min_share
    }
    frequency = sum(share * matcher.postings[token] for token, share in members.items())
    if not members or frequency > matcher.settings.translated_max_share * n:
        return {}, 0.0
    return members, math.log(1 + (n - frequency + 0.5) / (frequency + 0.5))


def _members(word: Translation, vocabulary: Mapping[str, int], phrase_share: float) -> dict[int, float]:
    """The index terms of a word's synonym set, by token id, with their shares: a one-word rendering is its term; a
    rendering of several words ("disaster preparedness") counts as its word pairs, as the index holds them, for
    `phrase_share` of its weight and as its single words for the rest."""
    members: dict[int, float] = defaultdict(float)
    for rendering in word.renderings:
        terms = rendering.terms
        parts: list[tuple[str, float]] = []
        if len(terms) == 1:
            parts.append((terms[0], rendering.weight))
        else:
            pairs = [f"{first}_{second}" for first, second in itertools.pairwise(terms)]
            parts += [(pair, rendering.weight * phrase_share / len(pairs)) for pair in pairs]
            parts += [(term, rendering.weight * (1 - phrase_share) / len(terms)) for term in terms]
        for term, share in parts:
            token = vocabulary.get(term)
            if token is not None and share > 0:
                members[token] += share
    return members


def latent(matcher: Matcher, query: Query) -> Scores | None:
    """The translated need's cosine with each seed in the seeds' latent space (retrieval/latent.py): for needs in
    another language than the seeds only, where a rendering often differs from the seed's word for the same thing."""
    if not query.translated:
        return None
    space = matcher.latent_space
    if space is None:
        return None
    weights: dict[int, float] = defaultdict(float)
    for word in query.translated:
        for token, share in matcher.synonym_set(word)[0].items():
            weights[token] += word.weight * share
    return space.scores(weights) if weights else None


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
        Channel("latent", latent, "the translated need in the seeds' latent semantic space (LSA), across languages"),
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
