"""Concept tagging with the bundled bilingual taxonomy: found in either language, longest phrase first."""

from __future__ import annotations

from functools import cache

import pytest

from kizashi.text.concepts import ConceptTagger, bundled_taxonomy
from kizashi.text.tokenise import Tokeniser


@cache
def tagger() -> tuple[Tokeniser, ConceptTagger]:
    tokeniser = Tokeniser()
    return tokeniser, ConceptTagger(bundled_taxonomy(), tokeniser)


def concepts(text: str) -> set[str]:
    tokeniser, tag = tagger()
    return tag.concept_ids(tokeniser.tokens(text))


@pytest.mark.parametrize(
    ("japanese", "english", "concept"),
    [
        ("量子暗号通信の実証", "trials of quantum key distribution", "quantum.communication"),
        ("耐量子計算機暗号への移行", "migration to post-quantum cryptography", "cyber.cryptography"),
        ("無人航空機による監視", "surveillance with unmanned aerial vehicles", "robotics.uav"),
    ],
)
def test_a_concept_is_found_in_both_languages(japanese: str, english: str, concept: str) -> None:
    assert concept in concepts(japanese)
    assert concept in concepts(english)


def test_the_longest_phrase_wins_and_text_without_concepts_has_none() -> None:
    # "unmanned aerial vehicles" is the UAV concept, not three separate words
    assert concepts("unmanned aerial vehicles") == {"robotics.uav"}
    assert concepts("the weather was pleasant") == set()
    assert concepts("") == set()


def test_every_taxonomy_entry_is_a_concept_with_both_names() -> None:
    _, tag = tagger()
    assert len(tag.concepts) == len(bundled_taxonomy())
    assert all(c.name_ja and c.name_en for c in tag.concepts.values())
