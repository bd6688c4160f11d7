"""The matcher: index the seeds once, then rank them for any number of needs by the fused channels, with evidence.

Fusion: score(seed) = Σ_channel weight / (RRF_K + rank in channel), over the channels' top `depth` seeds.

Tried on the CORDIS dev set (benchmarks/match_quality.py) and left out, as each lowered English MRR under rank fusion:
a pseudo-relevance-feedback channel (−0.04; recall@10 +0.01), a titles-only channel (−0.04), concepts within one
language (−0.05: the terms already carry them). Bigrams and counting title terms twice helped (+0.02).
"""

from __future__ import annotations

import functools
import itertools
import math
from collections import Counter, defaultdict
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from functools import cache, lru_cache
from typing import Any

import numpy as np
import numpy.typing as npt

from kizashi.errors import InputError
from kizashi.messages import Message
from kizashi.retrieval.channels import CHANNELS, Query, synonym_set, word_scores
from kizashi.retrieval.fusion import RRF_K, top_positive
from kizashi.retrieval.latent import LatentSpace
from kizashi.retrieval.settings import MatchSettings, configured_settings
from kizashi.retrieval.statement import Proposal, Statement
from kizashi.retrieval.strength import strength
from kizashi.text.concepts import ConceptTagger, bundled_taxonomy
from kizashi.text.embed import Embedder, load_embedder
from kizashi.text.normalise import is_japanese
from kizashi.text.tokenise import Tokeniser, surfaces, word_forms
from kizashi.text.translate import Translation, Translator, load_taxonomy_pairs

WORD_SCORES_CACHED = 1_024  # Japanese words whose scores over the seeds a matcher keeps (needs share their words)
ENCODE_BATCH = 512  # seeds per call to the dense model: progress is told per batch


@dataclass(frozen=True)
class _NeedEvidence:
    terms: list[str]  # distinct, rarest first
    # (a rendering's terms, (the Japanese word, the rendering as written)), rarest first
    translations: list[tuple[tuple[str, ...], tuple[str, str]]]
    concepts: set[str]
    areas: frozenset[str]
    words: dict[str, str]  # term → the need's own word for it


class Matcher:
    """Index the seeds once; `match` ranks them for any number of needs."""

    def __init__(
        self,
        seeds: Sequence[Statement],
        *,
        settings: MatchSettings | None = None,
        tokeniser: Tokeniser | None = None,
        tagger: ConceptTagger | None = None,
        translator: Translator | None = None,
        embedder: Embedder | None = None,
        on_encoded: Callable[[int], None] | None = None,
    ) -> None:
        """`on_encoded(n)` is told as the dense channel's model encodes each batch of n seeds (the slow part of
        indexing when a transformer is set)."""
        if not seeds:
            raise InputError(Message("no seeds to match against"))
        duplicates = [key for key, n in Counter(seed.id for seed in seeds).items() if n > 1]
        if duplicates:
            raise InputError(
                Message("seed ids must be unique; repeated: {ids}", ids=", ".join(duplicates[:5])), field="id"
            )
        self.settings = settings or configured_settings()
        self.seeds = list(seeds)
        if tokeniser is None:
            tokeniser, default_tagger, default_translator = default_stages()
            tagger, translator = tagger or default_tagger, translator or default_translator
        self.tokeniser = tokeniser
        self.tagger = tagger or ConceptTagger(bundled_taxonomy(), tokeniser)
        self.translator = translator or Translator(tokeniser, load_taxonomy_pairs())
        documents: list[list[str]] = []
        self._concepts: list[set[str]] = []
        words: set[str] = set()
        for seed in self.seeds:
            title = self.tokeniser.tokens(seed.title, seed.lang, words)
            body = self.tokeniser.tokens(seed.description, seed.lang, words)
            documents.append(
                _with_bigrams(title, self.settings) * self.settings.title_weight + _with_bigrams(body, self.settings)
            )
            self._concepts.append(self.tagger.concept_ids(title + body))
        self._terms = [set(document) for document in documents]
        self._forms = word_forms(words)  # to find a term's word in a seed's text without reading all of it
        self._seed_areas = [frozenset(self.tagger.area(c) for c in concepts) for concepts in self._concepts]
        # The seeds' language, by majority: what "across languages" means for the concept channel.
        self.seeds_japanese = sum(is_japanese(seed.title) for seed in self.seeds) * 2 > len(self.seeds)
        import bm25s  # here, not at the top: importing it (and SciPy) costs every command and the web app's start

        self.bm25 = bm25s.BM25(k1=self.settings.k1, b=self.settings.b, method=self.settings.bm25_method)
        self.bm25.index(documents, show_progress=False)
        self.term_frequencies, lengths = _term_frequencies(documents, self.bm25.vocab_dict)
        self.postings = np.diff(self.term_frequencies.indptr)  # seeds per term
        # BM25's length normalisation of each seed, k1 (1 − b + b · length / mean length), for the structured query.
        self.saturation = (self.settings.k1 * (1 - self.settings.b + self.settings.b * lengths)).astype(np.float32)
        # A Japanese word's synonym set, worked out once per matcher (needs share their words).
        self.synonym_set = lru_cache(maxsize=100_000)(functools.partial(synonym_set, self))
        # ... and its scores over the seeds (at most a quarter of them each: tens of MB at 100 000 seeds).
        self.word_scores = lru_cache(maxsize=WORD_SCORES_CACHED)(functools.partial(word_scores, self))
        # At indexing, not on the first need in another language (seconds at 100 000 seeds); only a channel that
        # weighs something reads it.
        self.latent_space = self._latent_space() if self.settings.weights.get("latent", 0.0) > 0 else None
        frequency: Counter[str] = Counter(c for concepts in self._concepts for c in concepts)
        n = len(self.seeds)
        self.concept_idf = {c: math.log(1 + n / f) for c, f in frequency.items()}
        members: dict[str, list[int]] = defaultdict(list)
        for index, concepts in enumerate(self._concepts):
            for concept in concepts:
                members[concept].append(index)
        self.by_concept = {concept: np.asarray(indexes, dtype=np.intp) for concept, indexes in members.items()}
        self._term_idf = {
            t: math.log(1 + n / self.postings[i]) for t, i in self.bm25.vocab_dict.items() if self.postings[i]
        }
        if embedder is None and self.settings.dense_model and self.settings.weights.get("dense", 0.0) > 0:
            embedder = load_embedder(self.settings.dense_model)
        self.embedder = embedder
        self.seed_vectors = self._encode_seeds(embedder, on_encoded) if embedder is not None else None

    def _encode_seeds(self, embedder: Embedder, on_encoded: Callable[[int], None] | None) -> npt.NDArray[np.float32]:
        texts = [seed.text for seed in self.seeds]
        batches = []
        for at in range(0, len(texts), ENCODE_BATCH):
            batches.append(embedder.encode(texts[at : at + ENCODE_BATCH]))
            if on_encoded is not None:
                on_encoded(len(batches[-1]))
        return np.vstack(batches)

    def _latent_space(self) -> LatentSpace | None:
        unigrams = np.zeros(self.term_frequencies.shape[0], dtype=bool)
        unigrams[[token for term, token in self.bm25.vocab_dict.items() if "_" not in term]] = True
        return LatentSpace.build(self.term_frequencies, unigrams)

    def zeros(self) -> npt.NDArray[np.float64]:
        return np.zeros(len(self.seeds), dtype=np.float64)

    # ── matching ──────────────────────────────────────────────────────────────────────────────────────────────

    def match(self, needs: Sequence[Statement], top: int = 10) -> list[list[Proposal]]:
        if top < 1:
            raise InputError(Message("top must be at least 1"), field="top")
        vectors = self.need_vectors(needs)
        return [self.match_one(need, top, vectors.get(need.id)) for need in needs]

    def need_vectors(self, needs: Sequence[Statement]) -> dict[str, npt.NDArray[np.float32]]:
        """The dense channel's vectors of the needs it reads, by need id, encoded in one batch (a transformer is
        many times faster on a batch than text by text); empty without a dense channel."""
        if self.embedder is None:
            return {}
        read = [need for need in needs if self.dense_applies(need)]
        return dict(zip((need.id for need in read), self.embedder.encode([need.text for need in read]), strict=True))

    def dense_applies(self, need: Statement) -> bool:
        language = "ja" if need.lang == "ja" or is_japanese(need.text) else (need.lang or "en")
        return language in self.settings.dense_languages

    def propose(
        self,
        need: Statement,
        top: int = 10,
        *,
        cross_domain: bool = False,
        vector: npt.NDArray[np.float32] | None = None,
    ) -> list[Proposal]:
        """The best `top` proposals for `need`; with `cross_domain`, only seeds from other fields than the need's."""
        return self.cross_domain(need, top, vector=vector) if cross_domain else self.match_one(need, top, vector)

    def cross_domain(
        self, need: Statement, top: int = 10, pool: int = 100, vector: npt.NDArray[np.float32] | None = None
    ) -> list[Proposal]:
        """The best `top` proposals among the `pool` best whose seeds lie outside the need's taxonomy areas,
        re-ranked from 1."""
        found = [p for p in self.match_one(need, pool, vector) if p.evidence["cross_domain"]][:top]
        return [replace(p, rank=rank) for rank, p in enumerate(found, 1)]

    def query(self, need: Statement, vector: npt.NDArray[np.float32] | None = None) -> Query:
        """The need as every channel reads it."""
        terms = self.tokeniser.tokens(need.text, need.lang)
        translated: list[Translation] = []
        if need.lang == "ja" or is_japanese(need.text):
            translated = self.translator.translate(terms)
        return Query(need, terms, self.tagger.concept_ids(terms), translated, vector)

    def match_one(
        self, need: Statement, top: int = 10, vector: npt.NDArray[np.float32] | None = None
    ) -> list[Proposal]:
        """The `top` proposals for one need; `vector` is its dense vector when already encoded (`need_vectors`)."""
        query = self.query(need, vector)
        # Fusion over the channels' top `depth` seeds only: a dict of a few hundred entries, not a pass over
        # every seed.
        fused: dict[int, float] = defaultdict(float)
        ranks: dict[str, dict[int, int]] = {}
        for name, channel in CHANNELS.items():
            weight = self.settings.weights.get(name, 0.0)
            if weight <= 0:
                continue
            scores = channel.score(self, query)
            if scores is None:
                continue
            best = top_positive(scores, self.settings.depth)
            if not len(best):
                continue
            ranks[name] = {index: rank for rank, index in enumerate(best.tolist(), 1)}
            for index, rank in ranks[name].items():
                fused[index] += weight / (RRF_K + rank)
        best_fused = sorted(fused.items(), key=lambda item: (-item[1], item[0]))[:top]  # ties: the earlier seed
        if not best_fused:
            return []
        why = self._need_evidence(query)
        return [
            Proposal(need.id, self.seeds[index].id, rank, round(score, 6), self._evidence(why, index, ranks))
            for rank, (index, score) in enumerate(best_fused, 1)
        ]

    # ── evidence ──────────────────────────────────────────────────────────────────────────────────────────────

    def _need_evidence(self, query: Query) -> _NeedEvidence:
        """What the evidence of every proposal for one need shares, worked out once: its terms and translations
        rarest first (救助 → rescue says more than 技術 → technology), its words, its taxonomy areas."""
        rarest_first = sorted(dict.fromkeys(query.terms), key=lambda term: -self._term_idf.get(term, 0.0))
        # Only renderings that carry weight, and only as whole renderings: "present condition" is shown for 現状
        # when the seed has both words, never "present" alone.
        renderings: dict[tuple[str, ...], tuple[str, str]] = {}
        for word in query.translated:
            for rendering in word.carried():
                renderings.setdefault(rendering.terms, (word.japanese, rendering.english))
        return _NeedEvidence(
            terms=rarest_first,
            translations=sorted(renderings.items(), key=lambda item: -min(self._term_idf.get(t, 0.0) for t in item[0])),
            concepts=query.concepts,
            areas=frozenset(self.tagger.area(c) for c in query.concepts),
            words=surfaces(self.tokeniser, query.need.text),
        )

    def _evidence(self, need: _NeedEvidence, index: int, ranks: dict[str, dict[int, int]]) -> dict[str, Any]:
        """Why this seed: the terms both texts contain (in each text's own words), the translations that matched,
        the shared concepts, and the seed's rank in each channel."""
        seed_terms = self._terms[index]
        limit = self.settings.evidence_terms
        shared = list(itertools.islice((t for t in need.terms if t in seed_terms), limit))
        matched = list(itertools.islice(((t, w) for t, w in need.translations if seed_terms.issuperset(t)), limit))
        in_seed = surfaces(
            self.tokeniser, self.seeds[index].text, {*shared, *(t for terms, _ in matched for t in terms)}, self._forms
        )
        in_need = need.words
        channels = {name: ranked[index] for name, ranked in ranks.items() if index in ranked}
        word, agreement = strength(channels, len(ranks))
        return {
            "terms": [{"need": in_need.get(t, t), "seed": in_seed.get(t, t)} for t in shared],
            "translations": [
                {"ja": in_need.get(japanese, japanese), "en": _as_written(terms, english, in_seed)}
                for terms, (japanese, english) in matched
            ],
            "concepts": [
                {"id": c, "name_ja": self.tagger.concepts[c].name_ja, "name_en": self.tagger.concepts[c].name_en}
                for c in sorted(need.concepts & self._concepts[index], key=lambda c: -self.concept_idf[c])
            ],
            "channels": channels,
            # The channels that ranked any seed for this need, and how many of them agree on this one, in words.
            "ran": sorted(ranks),
            "strength": word,
            "agreement": round(agreement, 2),
            **self._areas(need.areas, index),
        }

    def _areas(self, need_areas: frozenset[str], index: int) -> dict[str, Any]:
        """The taxonomy areas (top-level concepts) of need and seed, and whether the seed comes from another field
        than the need's own: the proposals a ministry would not have found by searching its own domain."""
        seed_areas = self._seed_areas[index]
        return {
            "areas": {"need": sorted(need_areas), "seed": sorted(seed_areas)},
            "cross_domain": bool(need_areas and seed_areas and not need_areas & seed_areas),
        }


@cache
def default_stages() -> tuple[Tokeniser, ConceptTagger, Translator]:
    """The tokeniser, concept tagger and translator with the bundled taxonomy, built once per process: they are
    thread-safe, and building them (Sudachi's dictionary, every taxonomy name tokenised) would otherwise be paid by
    every matcher, e.g. on each workshop page."""
    tokeniser = Tokeniser()
    return tokeniser, ConceptTagger(bundled_taxonomy(), tokeniser), Translator(tokeniser, load_taxonomy_pairs())


def _as_written(terms: tuple[str, ...], english: str, in_seed: dict[str, str]) -> str:
    """A matched rendering in the seed's own word when it is one word ("drones" for drone), else as the source
    writes it ("disaster preparedness")."""
    return in_seed.get(terms[0], english) if len(terms) == 1 else english


def _term_frequencies(documents: list[list[str]], vocabulary: dict[str, int]) -> tuple[Any, npt.NDArray[np.float64]]:
    """Each term's postings as (seed, count), a CSR matrix with one row per term of bm25s's vocabulary, and each
    seed's length relative to the mean: what a structured query needs to count a set of translations as one term
    (bm25s keeps only per-term scores, which cannot be added across synonyms)."""
    from scipy import sparse

    rows = np.fromiter((vocabulary[t] for d in documents for t in d), dtype=np.int32)
    columns = np.repeat(np.arange(len(documents), dtype=np.int32), [len(d) for d in documents])
    matrix = sparse.csr_matrix(
        (np.ones(len(rows), dtype=np.float32), (rows, columns)), shape=(len(vocabulary), len(documents))
    )
    matrix.sum_duplicates()
    lengths = np.asarray([len(d) for d in documents], dtype=np.float64)
    return matrix, lengths / max(lengths.mean(), 1.0)


def _with_bigrams(terms: list[str], settings: MatchSettings) -> list[str]:
    if not settings.bigrams:
        return terms
    return terms + [f"{first}_{second}" for first, second in itertools.pairwise(terms)]
