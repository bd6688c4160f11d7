"""Hangul names read as the lists spell them (protect/screening/hangul.py)."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from kizashi.protect.screening.hangul import SURNAMES, organisation, readings, syllable


@pytest.mark.parametrize(
    ("word", "expected"),
    [
        ("김정은", ["kim", "jong", "un"]),  # UN: KIM JONG UN
        ("리선권", ["ri", "son", "gwon"]),  # ㄱ after n is voiced: Son Gwon
        ("최룡해", ["choe", "ryong", "hae"]),
        ("박봉주", ["pak", "pong", "ju"]),  # ㅂ after k stays p
        ("김여정", ["kim", "yo", "jong"]),
    ],
)
def test_names_read_as_the_lists_write_them(word: str, expected: list[str]) -> None:
    assert [key for key, _ in readings(word)[0]] == expected


def test_a_surname_gives_one_reading_per_customary_spelling() -> None:
    assert [way[0][0] for way in readings("이민호")] == list(SURNAMES["이"])
    assert all([key for key, _ in way[1:]] == ["min", "ho"] for way in readings("이민호"))
    assert len(readings("정은", first=False)) == 1  # a given name after a separate surname is no surname


def test_a_long_word_is_read_syllable_by_syllable() -> None:
    (only,) = readings("조선광선은행")
    assert [surface for _, surface in only] == list("조선광선은행")


hangul_words = st.text(alphabet=st.characters(min_codepoint=0xAC00, max_codepoint=0xD7A3), min_size=1, max_size=8)


@given(hangul_words)
def test_every_syllable_gives_one_lowercase_ascii_key(word: str) -> None:
    for way in readings(word):
        assert [surface for _, surface in way] == list(word)
        assert all(key.isascii() and key == key.lower() and key for key, _ in way)


@given(st.characters(min_codepoint=0xAC00, max_codepoint=0xD7A3))
def test_a_syllable_is_never_empty(char: str) -> None:
    assert syllable(char)


def test_organisation_words_are_translated_and_the_rest_read_as_one_word() -> None:
    assert organisation("조선광선은행") == [
        ("korea", "조선", True),
        ("kwangson", "광선", False),
        ("bank", "은행", True),
    ]
    assert organisation("군사") is None  # a one-syllable word counts only at the end: 군 (army) inside is a name
    assert organisation("김정은") is None
