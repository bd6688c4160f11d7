"""The matcher's typed settings: the fusion weights of its channels and the tunables of each stage."""

from __future__ import annotations

from dataclasses import dataclass, field

from kizashi.settings import MATCH_WEIGHTS, get_settings


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
    # A Japanese word whose renderings together occur in more than this share of the seeds is left out of the
    # structured query: its idf is below log 4, and its postings are the longest (技術 in a corpus on technology).
    # 0.25–0.5 gave the same dev MRR; 0.15 cost 0.013.
    translated_max_share: float = 0.25
    # An index term worth less than this share of its Japanese word is left out of the structured query (dev MRR
    # the same or better at 0.05; 0.1 cost 0.03), and reads a fifth fewer postings.
    rendering_min_share: float = 0.05
    # A rendering of several words ("disaster preparedness") counts this much as its word pairs, the rest as its
    # single words (channels.structured).
    phrase_share: float = 0.5
    # The dense channel's model folder (None: no dense channel) and the languages of needs it reads; a need in
    # another language gets no dense ranking, as an English-only model ranks a Japanese text at random.
    dense_model: str | None = None
    dense_languages: frozenset[str] = frozenset({"en"})

    def key(self) -> tuple[object, ...]:
        """A hashable summary of every field, for caches of matchers built with these settings."""
        return tuple(
            tuple(sorted(value.items())) if isinstance(value, dict) else value for value in self.__dict__.values()
        )


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
