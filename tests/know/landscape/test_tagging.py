"""Tagging works with a taxonomy: whole phrases, width- and case-insensitive, Sudachi words for Japanese, ancestors
with the child they came through."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from kizashi.know.landscape.tagging import PhraseTagger, words

TAXONOMY = [
    {
        "id": "sense",
        "parent": None,
        "name_en": "Sensing",
        "name_ja": "センシング",
        "synonyms_en": [],
        "synonyms_ja": [],
    },
    {
        "id": "sense.lidar",
        "parent": "sense",
        "name_en": "LiDAR",
        "name_ja": "ライダー",
        "synonyms_en": ["laser scanning", "light detection and ranging"],
        "synonyms_ja": ["レーザー計測"],
    },
    {
        "id": "ai",
        "parent": None,
        "name_en": "AI",
        "name_ja": "人工知能",
        "synonyms_en": ["machine learning"],
        "synonyms_ja": [],
    },
]
TAGGER = PhraseTagger(TAXONOMY)
FILLER = st.lists(st.sampled_from(["the", "river", "bridge", "survey", "data", "of", "flood", "model"]), max_size=12)


def technologies(
    title: str = "", keywords: list[str] | None = None, abstract: str = ""
) -> dict[str, tuple[str, str, str | None]]:
    return {tag.technology: (tag.phrase, tag.field, tag.via) for tag in TAGGER.tag(title, keywords, abstract)}


@given(FILLER, FILLER, st.sampled_from(["laser scanning", "LASER Scanning", "ｌａｓｅｒ　ｓｃａｎｎｉｎｇ", "LiDAR"]))
@settings(max_examples=60)
def test_a_phrase_anywhere_in_the_text_tags_the_work_and_its_ancestors(
    before: list[str], after: list[str], phrase: str
) -> None:
    found = technologies(abstract=" ".join([*before, phrase, *after]))
    assert found["sense.lidar"][1] == "abstract"
    assert found["sense"] == (found["sense.lidar"][0], "abstract", "sense.lidar")
    assert "ai" not in found


@given(FILLER, FILLER)
def test_a_phrase_inside_longer_words_is_not_found(before: list[str], after: list[str]) -> None:
    # "AI" inside "maintain", "said"; laser and scanning apart; "lidars" is another word (no stemming).
    text = " ".join([*before, "maintain said laser bridge scanning lidars", *after])
    assert technologies(abstract=text) == {}


def test_japanese_text_is_cut_by_sudachi_and_matches_japanese_names() -> None:
    found = technologies(title="河川のレーザー計測による堤防点検")
    assert found["sense.lidar"] == ("レーザー計測", "title", None)
    assert found["sense"][2] == "sense.lidar"
    # A Latin name inside Japanese text is found too.
    assert "ai" in technologies(abstract="AIを用いた洪水予測")


def test_evidence_prefers_the_title_then_keywords_then_the_abstract() -> None:
    found = technologies(title="Flood models", keywords=["machine learning"], abstract="LiDAR and AI")
    assert found["ai"] == ("machine learning", "keywords", None)
    assert found["sense.lidar"] == ("LiDAR", "abstract", None)


def test_a_phrase_never_runs_across_two_keywords() -> None:
    assert "sense.lidar" not in technologies(keywords=["green laser", "scanning electron microscopy"])


@given(st.text(alphabet=st.characters(codec="latin-1"), max_size=200))
def test_latin_words_are_normalised_and_idempotent(text: str) -> None:
    once = words(text)
    assert words(" ".join(once)) == once
    assert all(w == w.casefold() and w.isalnum() for w in once)
