"""Needs ↔ seeds matching: channels that each rank the seeds for a need, fused by reciprocal rank, with evidence.

Channels (each replaceable; weights in `MatchSettings`):
- `lexical`: BM25 (bm25s) over the terms of the seeds, queried with the need's own terms: Japanese meets Japanese,
  English meets English (Latin-script words inside Japanese text included);
- `translated`: the need's Japanese terms turned into English terms (text/translate.py, when available) and scored
  against the same index;
- `concepts`: taxonomy concepts (text/concepts.py) shared by need and seed, weighted by rarity among the seeds;
- `dense` (optional): cosine similarity of sentence vectors from a local model the user names (text/embed.py), for
  needs in the languages that model reads. It finds the seeds that say the same thing in other words.
Fusion: score(seed) = Σ_channel weight / (RRF_K + rank in channel), over the channels' top `depth` seeds.

Tried on the CORDIS dev set (benchmarks/match_quality.py) and left out, as each lowered English MRR under rank fusion:
a pseudo-relevance-feedback channel (−0.04; recall@10 +0.01), a titles-only channel (−0.04), concepts within one
language (−0.05: the terms already carry them). Bigrams and counting title terms twice helped (+0.02).
"""

from __future__ import annotations

import itertools
import math
from collections import Counter, defaultdict
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from functools import cache
from pathlib import Path
from typing import Any

import numpy as np
import numpy.typing as npt

from kizashi.errors import InputError
from kizashi.protect.policy import Clearance, Label
from kizashi.settings import MATCH_WEIGHTS, get_settings
from kizashi.store.records import iter_records
from kizashi.store.workspace import Workspace
from kizashi.text.concepts import ConceptTagger, bundled_taxonomy
from kizashi.text.embed import Embedder, load_embedder
from kizashi.text.normalise import is_japanese
from kizashi.text.tokenise import Tokeniser, surfaces, word_forms
from kizashi.text.translate import Translator, load_taxonomy_pairs

RRF_K = 60
SAMPLE_STEP = 16  # top-k selection: one score in this many is sampled for a threshold
ENCODE_BATCH = 512  # seeds per call to the dense model: progress is told per batch


@dataclass(frozen=True)
class Statement:
    """A need or a seed as the matcher sees it."""

    id: str
    title: str
    description: str = ""
    lang: str | None = None
    label: Label | None = None  # set when it comes from a workspace: a proposal is labelled by its need and seed

    @property
    def text(self) -> str:
        return f"{self.title}\n{self.description}" if self.description else self.title


@dataclass(frozen=True)
class Proposal:
    need_id: str
    seed_id: str
    rank: int
    score: float
    evidence: dict[str, Any]


@dataclass(frozen=True)
class _NeedEvidence:
    terms: list[str]  # distinct, rarest first
    translations: list[tuple[str, str]]  # (English term, the Japanese word that gave it), rarest first
    concepts: set[str]
    areas: frozenset[str]
    words: dict[str, str]  # term → the need's own word for it


@dataclass(frozen=True)
class MatchSettings:
    weights: dict[str, float] = field(default_factory=lambda: dict(MATCH_WEIGHTS))
    # Concepts bridge languages; within one language the terms already carry them, and a coarse channel costs
    # precision there.
    concepts_across_languages_only: bool = True
    depth: int = 200  # how far down each channel's ranking fusion looks
    title_weight: int = 2  # a seed's title terms count this many times (titles say what a project is about)
    bigrams: bool = (
        True  # adjacent term pairs as terms too: "critical infrastructure" beats "critical" + "infrastructure"
    )
    # A need's word pairs weigh this much against its words (0.25–0.75 all helped on the CORDIS dev set; 1 and
    # more let a shared phrase outrank the need's rarer words).
    bigram_weight: float = 0.5
    k1: float = 1.5
    b: float = 0.75
    bm25_method: str = "lucene"  # bm25s's variants: lucene, robertson, atire, bm25l, bm25+
    evidence_terms: int = 8
    # Translated terms found in more than this share of the seeds are dropped: a dictionary gloss such as
    # "technology" or "system" matches half a corpus, costs a pass over its postings and ranks nothing.
    translated_max_share: float = 0.5
    # The translated terms' postings read per need, in multiples of the number of seeds (rarest terms first).
    translated_postings: float = 5.0
    # The dense channel's model folder (None: no dense channel) and the languages of needs it reads; a need in
    # another language gets no dense ranking, as an English-only model ranks a Japanese text at random.
    dense_model: str | None = None
    dense_languages: frozenset[str] = frozenset({"en"})


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
            raise InputError("no seeds to match against")
        duplicates = [key for key, n in Counter(seed.id for seed in seeds).items() if n > 1]
        if duplicates:
            raise InputError(f"seed ids must be unique; repeated: {', '.join(duplicates[:5])}", field="id")
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
        self._seeds_japanese = sum(is_japanese(seed.title) for seed in self.seeds) * 2 > len(self.seeds)
        import bm25s  # here, not at the top: importing it (and SciPy) costs every command and the web app's start

        self._bm25 = bm25s.BM25(k1=self.settings.k1, b=self.settings.b, method=self.settings.bm25_method)
        self._bm25.index(documents, show_progress=False)
        frequency: Counter[str] = Counter(c for concepts in self._concepts for c in concepts)
        n = len(self.seeds)
        self._concept_idf = {c: math.log(1 + n / f) for c, f in frequency.items()}
        members: dict[str, list[int]] = defaultdict(list)
        for index, concepts in enumerate(self._concepts):
            for concept in concepts:
                members[concept].append(index)
        self._by_concept = {concept: np.asarray(indexes, dtype=np.intp) for concept, indexes in members.items()}
        self._document_frequency: Counter[str] = Counter(t for terms in self._terms for t in terms)
        self._term_idf = {t: math.log(1 + n / f) for t, f in self._document_frequency.items()}
        if embedder is None and self.settings.dense_model and self.settings.weights.get("dense", 0.0) > 0:
            embedder = load_embedder(self.settings.dense_model)
        self.embedder = embedder
        self._seed_vectors = self._encode_seeds(embedder, on_encoded) if embedder is not None else None

    def _encode_seeds(self, embedder: Embedder, on_encoded: Callable[[int], None] | None) -> npt.NDArray[np.float32]:
        texts = [seed.text for seed in self.seeds]
        batches = []
        for at in range(0, len(texts), ENCODE_BATCH):
            batches.append(embedder.encode(texts[at : at + ENCODE_BATCH]))
            if on_encoded is not None:
                on_encoded(len(batches[-1]))
        return np.vstack(batches)

    # ── channels ──────────────────────────────────────────────────────────────────────────────────────────────

    def _lexical(self, terms: Sequence[str]) -> npt.NDArray[np.float64]:
        weights: dict[str, float] = defaultdict(float)
        for term in terms:
            weights[term] += 1.0
        if self.settings.bigrams:
            # A pair is partial evidence on top of its two words, which are already counted.
            for first, second in itertools.pairwise(terms):
                weights[f"{first}_{second}"] += self.settings.bigram_weight
        return self._weighted(weights)

    def _translated(self, pairs: Sequence[tuple[str, str, float]]) -> npt.NDArray[np.float64]:
        weights: dict[str, float] = defaultdict(float)
        n = len(self.seeds)
        for _japanese, english, weight in pairs:
            if self._document_frequency.get(english, 0) <= self.settings.translated_max_share * n:
                weights[english] += weight
        # Rarest first, up to a budget of postings (in seeds' worth, so the same at any corpus size): a Japanese
        # need yields dozens of glosses, and the common ones cost the most and rank the least.
        budget = self.settings.translated_postings * n
        kept: dict[str, float] = {}
        for english in sorted(weights, key=lambda term: (self._document_frequency.get(term, 0), term)):
            budget -= self._document_frequency.get(english, 0)
            if budget < 0 and kept:
                break
            kept[english] = weights[english]
        return self._weighted(kept)

    def _weighted(self, weights: Mapping[str, float]) -> npt.NDArray[np.float64]:
        """Σ weight × BM25 score of each term, read straight from bm25s's precomputed term rows: one dense array
        per query, and each term's postings touched once, however often it was asked for."""
        index, vocabulary = self._bm25.scores, self._bm25.vocab_dict
        data, indices, indptr = index["data"], index["indices"], index["indptr"]
        absent = getattr(self._bm25, "nonoccurrence_array", None)  # BM25L and BM25+ score absent terms too
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
            return self._zeros()
        # One C pass over all the postings (faster than a scatter-add per term).
        scores = np.bincount(np.concatenate(documents), weights=np.concatenate(values), minlength=len(self.seeds))
        return np.asarray(scores + constant, dtype=np.float64)

    def _concept_scores(self, concepts: set[str]) -> npt.NDArray[np.float64]:
        scores = self._zeros()
        for concept in concepts:
            members = self._by_concept.get(concept)
            if members is not None:
                scores[members] += self._concept_idf[concept]
        return scores

    def _concepts_apply(self, need: Statement) -> bool:
        if not self.settings.concepts_across_languages_only:
            return True
        need_japanese = need.lang == "ja" or is_japanese(need.text)
        return need_japanese != self._seeds_japanese

    def _zeros(self) -> npt.NDArray[np.float64]:
        return np.zeros(len(self.seeds), dtype=np.float64)

    def _dense(self, need: Statement, vector: npt.NDArray[np.float32] | None) -> npt.NDArray[np.float64] | None:
        if self.embedder is None or self._seed_vectors is None or self.settings.weights.get("dense", 0.0) <= 0:
            return None
        if vector is None:
            if not self._dense_applies(need):
                return None
            vector = self.embedder.encode([need.text])[0]
        return (self._seed_vectors @ vector).astype(np.float64)

    # ── matching ──────────────────────────────────────────────────────────────────────────────────────────────

    def match(self, needs: Sequence[Statement], top: int = 10) -> list[list[Proposal]]:
        if top < 1:
            raise InputError("top must be at least 1", field="top")
        vectors = self.need_vectors(needs)
        return [self.match_one(need, top, vectors.get(need.id)) for need in needs]

    def need_vectors(self, needs: Sequence[Statement]) -> dict[str, npt.NDArray[np.float32]]:
        """The dense channel's vectors of the needs it reads, by need id, encoded in one batch (a transformer is
        many times faster on a batch than text by text); empty without a dense channel."""
        if self.embedder is None:
            return {}
        read = [need for need in needs if self._dense_applies(need)]
        return dict(zip((need.id for need in read), self.embedder.encode([need.text for need in read]), strict=True))

    def _dense_applies(self, need: Statement) -> bool:
        language = "ja" if need.lang == "ja" or is_japanese(need.text) else (need.lang or "en")
        return language in self.settings.dense_languages

    def cross_domain(
        self, need: Statement, top: int = 10, pool: int = 100, vector: npt.NDArray[np.float32] | None = None
    ) -> list[Proposal]:
        """The best `top` proposals among the `pool` best whose seeds lie outside the need's taxonomy areas,
        re-ranked from 1."""
        found = [p for p in self.match_one(need, pool, vector) if p.evidence["cross_domain"]][:top]
        return [replace(p, rank=rank) for rank, p in enumerate(found, 1)]

    def match_one(
        self, need: Statement, top: int = 10, vector: npt.NDArray[np.float32] | None = None
    ) -> list[Proposal]:
        """The `top` proposals for one need; `vector` is its dense vector when already encoded (`need_vectors`)."""
        terms = self.tokeniser.tokens(need.text, need.lang)
        concepts = self.tagger.concept_ids(terms)
        translated: list[tuple[str, str, float]] = []
        if need.lang == "ja" or is_japanese(need.text):
            translated = list(self.translator.english_terms(terms))
        channels: dict[str, npt.NDArray[np.float64] | None] = {
            "lexical": self._lexical(terms),
            "translated": self._translated(translated) if translated else None,
            "concepts": self._concept_scores(concepts) if concepts and self._concepts_apply(need) else None,
            "dense": self._dense(need, vector),
        }
        # Fusion over the channels' top `depth` seeds only: a dict of a few hundred entries, not a pass over
        # every seed.
        fused: dict[int, float] = defaultdict(float)
        ranks: dict[str, dict[int, int]] = {}
        for name, scores in channels.items():
            weight = self.settings.weights.get(name, 0.0)
            if scores is None or weight <= 0:
                continue
            best = _top_positive(scores, self.settings.depth)
            if not len(best):
                continue
            ranks[name] = {index: rank for rank, index in enumerate(best.tolist(), 1)}
            for index, rank in ranks[name].items():
                fused[index] += weight / (RRF_K + rank)
        best_fused = sorted(fused.items(), key=lambda item: (-item[1], item[0]))[:top]  # ties: the earlier seed
        if not best_fused:
            return []
        why = self._need_evidence(need, terms, concepts, translated)
        return [
            Proposal(need.id, self.seeds[index].id, rank, round(score, 6), self._evidence(why, index, ranks))
            for rank, (index, score) in enumerate(best_fused, 1)
        ]

    def _need_evidence(
        self, need: Statement, terms: Sequence[str], concepts: set[str], translated: Sequence[tuple[str, str, float]]
    ) -> _NeedEvidence:
        """What the evidence of every proposal for one need shares, worked out once: its terms and translations
        rarest first (救助 → rescue says more than 技術 → technology), its words, its taxonomy areas."""
        rarest_first = sorted(dict.fromkeys(terms), key=lambda term: -self._term_idf.get(term, 0.0))
        first_japanese: dict[str, str] = {}
        for japanese, english, _ in translated:
            first_japanese.setdefault(english, japanese)  # English term → the first Japanese word that gave it
        return _NeedEvidence(
            terms=rarest_first,
            translations=sorted(first_japanese.items(), key=lambda item: -self._term_idf.get(item[0], 0.0)),
            concepts=concepts,
            areas=frozenset(self.tagger.area(c) for c in concepts),
            words=surfaces(self.tokeniser, need.text),
        )

    def _evidence(self, need: _NeedEvidence, index: int, ranks: dict[str, dict[int, int]]) -> dict[str, Any]:
        """Why this seed: the terms both texts contain (in each text's own words), the translations that matched,
        the shared concepts, and the seed's rank in each channel."""
        seed_terms = self._terms[index]
        limit = self.settings.evidence_terms
        shared = list(itertools.islice((t for t in need.terms if t in seed_terms), limit))
        matched = list(itertools.islice(((e, j) for e, j in need.translations if e in seed_terms), limit))
        in_seed = surfaces(self.tokeniser, self.seeds[index].text, {*shared, *(e for e, _ in matched)}, self._forms)
        in_need = need.words
        return {
            "terms": [{"need": in_need.get(t, t), "seed": in_seed.get(t, t)} for t in shared],
            "translations": [{"ja": in_need.get(j, j), "en": in_seed.get(e, e)} for e, j in matched],
            "concepts": [
                {"id": c, "name_ja": self.tagger.concepts[c].name_ja, "name_en": self.tagger.concepts[c].name_en}
                for c in sorted(need.concepts & self._concepts[index], key=lambda c: -self._concept_idf[c])
            ],
            "channels": {name: ranked[index] for name, ranked in ranks.items() if index in ranked},
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


def configured_settings() -> MatchSettings:
    """MatchSettings with the fusion weights of KIZASHI_MATCH_WEIGHTS and KIZASHI_MATCH_BIGRAM_WEIGHT and the dense
    channel of KIZASHI_MATCH_DENSE_MODEL and KIZASHI_MATCH_DENSE_LANGUAGES."""
    configured = get_settings()
    return MatchSettings(
        weights=dict(configured.match_weights),
        bigram_weight=configured.match_bigram_weight,
        dense_model=str(configured.match_dense_model) if configured.match_dense_model else None,
        dense_languages=frozenset(configured.match_dense_languages),
    )


@cache
def default_stages() -> tuple[Tokeniser, ConceptTagger, Translator]:
    """The tokeniser, concept tagger and translator with the bundled taxonomy, built once per process: they are
    thread-safe, and building them (Sudachi's dictionary, every taxonomy name tokenised) would otherwise be paid by
    every matcher, e.g. on each workshop page."""
    tokeniser = Tokeniser()
    return tokeniser, ConceptTagger(bundled_taxonomy(), tokeniser), Translator(tokeniser, load_taxonomy_pairs())


def _with_bigrams(terms: list[str], settings: MatchSettings) -> list[str]:
    if not settings.bigrams:
        return terms
    return terms + [f"{first}_{second}" for first, second in itertools.pairwise(terms)]


def _top_positive(scores: npt.NDArray[np.float64], k: int) -> npt.NDArray[np.intp]:
    """Indices of the (at most) k highest positive scores, best first; ties by position, so results are
    deterministic.

    Exact, but it sorts only a few hundred candidates: a strided sample's best values give a threshold that about
    2k scores pass; if fewer than k pass, every positive score is taken instead. (A partition of all scores costs
    ten times as much at 100 000 seeds, and a channel asks for its top `depth` on every need.)
    """
    found = None
    if len(scores) > SAMPLE_STEP * 4 * k:
        sample = np.sort(scores[::SAMPLE_STEP])
        threshold = sample[-(2 * k // SAMPLE_STEP + 1)]
        if threshold > 0:
            found = np.flatnonzero(scores >= threshold)
            if len(found) < k:
                found = None
    if found is None:
        found = np.flatnonzero(scores > 0)
    if len(found) > k:
        # Every candidate tied with the k-th best stays, so that ties are broken by position below.
        kth = scores[found[np.argpartition(-scores[found], k - 1)[k - 1]]]
        found = found[scores[found] >= kth]
    return found[np.lexsort((found, -scores[found]))][:k]


def read_statements(kind: str, paths: Sequence[Path]) -> list[Statement]:
    """Needs or seeds from files, validated as `kizashi ingest` validates them (so the errors name file, row and
    field), without a workspace."""
    from kizashi.ingest.formats import readers

    statements = []
    seen: dict[str, int] = {}
    for values, row in readers(kind, list(paths)):
        if values["id"] in seen:
            raise InputError(
                f"id '{values['id']}' repeats row {seen[values['id']]}", file=row.file, row=row.number, field="id"
            )
        seen[values["id"]] = row.number
        statements.append(
            Statement(str(values["id"]), str(values["title"]), str(values.get("description") or ""), values.get("lang"))
        )
    if not statements:
        raise InputError(f"no {kind} found", file=paths[0] if paths else None)
    return statements


def workspace_statements(workspace: Workspace, kind: str, clearance: Clearance) -> list[Statement]:
    """The needs or seeds of a workspace that `clearance` may read, with their labels."""
    return [
        Statement(str(r["id"]), str(r["title"]), str(r.get("description") or ""), r.get("lang"), Label.of(r))
        for r in iter_records(workspace, kind, clearance)
    ]


def run_match(
    needs: Sequence[Statement],
    seeds: Sequence[Statement],
    *,
    top: int = 10,
    per_seed: int | None = None,
    cross_domain: bool = False,
    on_progress: Callable[[int], None] | None = None,
    settings: MatchSettings | None = None,
) -> list[list[Proposal]]:
    """Index the seeds, match every need (with `cross_domain`, only seeds from other taxonomy areas than the
    need's), and with `per_seed` keep only an optimal workshop assignment (know/assign.py). `on_progress(n)` is told
    of every n needs matched and, with a dense channel, of every n seeds encoded first (`progress_steps`)."""
    matcher = Matcher(seeds, settings=settings, on_encoded=on_progress)
    vectors = matcher.need_vectors(needs)
    results = []
    for need in needs:
        vector = vectors.get(need.id)
        results.append(
            matcher.cross_domain(need, top, vector=vector) if cross_domain else matcher.match_one(need, top, vector)
        )
        if on_progress is not None:
            on_progress(1)
    if per_seed is None:
        return results
    from kizashi.know.assign import assign

    chosen = {id(p) for p in assign({need.id: found for need, found in zip(needs, results, strict=True)}, per_seed)}
    return [[proposal for proposal in found if id(proposal) in chosen] for found in results]


def progress_steps(needs: Sequence[Statement], seeds: Sequence[Statement], settings: MatchSettings) -> int:
    """How many steps `run_match` reports: the needs, and the seeds too when the dense channel encodes them."""
    dense = bool(settings.dense_model) and settings.weights.get("dense", 0.0) > 0
    return len(needs) + (len(seeds) if dense else 0)


def proposal_rows(
    needs: Sequence[Statement], seeds: Sequence[Statement], results: Sequence[Sequence[Proposal]]
) -> list[dict[str, Any]]:
    """One row per proposal, with the titles beside the ids and the evidence also as short readable columns
    (for CSV and Excel, where a workshop reads it)."""
    by_id = {seed.id: seed for seed in seeds}
    rows = []
    for need, proposals in zip(needs, results, strict=True):
        for proposal in proposals:
            evidence = proposal.evidence
            rows.append(
                {
                    "need_id": proposal.need_id,
                    "need_title": need.title,
                    "rank": proposal.rank,
                    "seed_id": proposal.seed_id,
                    "seed_title": by_id[proposal.seed_id].title,
                    "score": proposal.score,
                    "terms": [
                        f"{t['need']}={t['seed']}" if t["need"] != t["seed"] else t["need"] for t in evidence["terms"]
                    ],
                    "translations": [f"{t['ja']}→{t['en']}" for t in evidence["translations"]],
                    "concepts": [f"{c['name_ja']} / {c['name_en']}" for c in evidence["concepts"]],
                    "channels": evidence["channels"],
                    "evidence": evidence,
                    "label": _label(need, by_id[proposal.seed_id]),
                }
            )
    return rows


def _label(need: Statement, seed: Statement) -> dict[str, Any] | None:
    if need.label is None or seed.label is None:
        return None
    label = Label.highest([need.label, seed.label])
    return {"level": label.level, "compartments": sorted(label.compartments), "tlp": label.tlp}


# JSON lines keep the stable interface of DESIGN.md §4 (need_id, seed_id, rank, score, evidence) plus the titles;
# CSV and Excel show the evidence in short columns.
JSONL_COLUMNS = ("need_id", "seed_id", "rank", "score", "evidence", "need_title", "seed_title", "label")
TABLE_COLUMNS = (
    "need_id",
    "need_title",
    "rank",
    "seed_id",
    "seed_title",
    "score",
    "terms",
    "translations",
    "concepts",
    "label",
)
