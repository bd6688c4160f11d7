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


MAPPED = PhraseTagger(
    [
        *TAXONOMY,
        {
            "id": "cyber",
            "parent": None,
            "name_en": "Cybersecurity",
            "name_ja": "サイバーセキュリティ",
            "topics": ["Network Security and Intrusion Detection", "SU-DS02-2020"],
        },
        {"id": "cyber.ids", "parent": "cyber", "name_en": "Intrusion detection", "name_ja": "侵入検知"},
    ]
)


@given(st.sampled_from(["Network Security and Intrusion Detection", "NETWORK SECURITY AND INTRUSION DETECTION"]))
def test_a_mapped_topic_tags_a_work_whose_text_never_names_the_technology(topic: str) -> None:
    tags = {t.technology: t for t in MAPPED.tag("Packet traces of a campus", [], "", [topic, "Other topic"])}
    assert set(tags) == {"cyber"}
    assert (tags["cyber"].phrase, tags["cyber"].field, tags["cyber"].via) == (
        "Network Security and Intrusion Detection",
        "topics",
        None,
    )


def test_a_topic_maps_only_whole_and_a_keyword_equal_to_it_maps_too() -> None:
    assert MAPPED.tag("x", [], "", ["Network Security"]) == []
    assert MAPPED.tag("x", [], "", ["SU-DS02-2020-extra"]) == []
    by_keyword = {t.technology: t.field for t in MAPPED.tag("x", ["su-ds02-2020"], "", [])}
    assert by_keyword == {"cyber": "keywords"}


def test_a_phrase_in_the_text_is_the_evidence_before_a_mapped_topic() -> None:
    tags = {t.technology: t for t in MAPPED.tag("Cybersecurity of dams", [], "", ["SU-DS02-2020"])}
    assert (tags["cyber"].phrase, tags["cyber"].field) == ("Cybersecurity", "title")
    child = {t.technology: t for t in MAPPED.tag("Intrusion detection at scale", [], "", ["SU-DS02-2020"])}
    assert child["cyber.ids"].field == "title"
    assert (child["cyber"].field, child["cyber"].via) == ("topics", None)  # the topic names the parent itself


def test_the_taxonomy_fingerprint_changes_with_its_topics() -> None:
    from kizashi.know.landscape.facts import taxonomy_fingerprint

    base = [{"id": "cyber", "name_en": "Cybersecurity", "name_ja": "サイバー"}]
    mapped = [{**base[0], "topics": ["Network Security and Intrusion Detection"]}]
    assert taxonomy_fingerprint(base) != taxonomy_fingerprint(mapped)
