"""normalise: one spelling whatever the keyboard mode; idempotent, so a stage may apply it again without harm."""

from __future__ import annotations

import unicodedata

import pytest
from hypothesis import given
from hypothesis import strategies as st

from kizashi.text import is_japanese, normalise

ASCII = st.text(alphabet=st.characters(min_codepoint=0x20, max_codepoint=0x7E) | st.sampled_from("\t\n"))


def to_fullwidth(text: str) -> str:
    """ASCII → full-width forms (U+FF01–U+FF5E, ideographic space), as a Japanese IME in full-width mode types."""
    return "".join(
        "\u3000" if char == " " else chr(ord(char) + 0xFEE0) if "!" <= char <= "~" else char for char in text
    )


def _halfwidth_katakana() -> dict[str, str]:
    """Full-width katakana → its half-width spelling (voiced letters as base + ﾞ or ﾟ), for every letter that has one."""
    table = {unicodedata.normalize("NFKC", chr(code)): chr(code) for code in range(0xFF66, 0xFF9E)}
    marks = {"\u3099": "\uff9e", "\u309a": "\uff9f"}
    for code in range(0x30A1, 0x30FB):
        base, *rest = unicodedata.normalize("NFD", chr(code))
        if rest and rest[0] in marks and base in table:
            table[chr(code)] = table[base] + marks[rest[0]]
    return table


HALFWIDTH = _halfwidth_katakana()
KATAKANA = st.text(alphabet=st.sampled_from(sorted(HALFWIDTH)), min_size=1)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("ＡＩを用いた　ｻｲﾊﾞｰ攻撃の検知", "aiを用いた サイバー攻撃の検知"),
        ("  Detecting\tDrones\n\nin  Buildings ", "detecting drones in buildings"),
        ("ｶﾞﾚｷ下の要救助者", "ガレキ下の要救助者"),
        ("①㈱ＮＴＴ", "1(株)ntt"),
        ("倒壊現場で、要救助者を捜索する。", "倒壊現場で、要救助者を捜索する。"),  # sentence punctuation kept
        ("Straße", "strasse"),
        ("", ""),
        (" \u3000\n", ""),
    ],
)
def test_golden(text: str, expected: str) -> None:
    assert normalise(text) == expected


@given(st.text())
def test_idempotent(text: str) -> None:
    once = normalise(text)
    assert normalise(once) == once


@given(st.text())
def test_no_whitespace_runs_or_edges(text: str) -> None:
    result = normalise(text)
    assert result == result.strip()
    assert "  " not in result
    assert all(char == " " or not char.isspace() for char in result)


@given(ASCII)
def test_fullwidth_ascii_is_the_same_text(text: str) -> None:
    assert normalise(to_fullwidth(text)) == normalise(text)


@given(KATAKANA)
def test_halfwidth_katakana_is_the_same_text(text: str) -> None:
    halfwidth = "".join(HALFWIDTH[char] for char in text)
    assert normalise(halfwidth) == normalise(text) == text


def test_halfwidth_table_covers_voiced_letters() -> None:
    assert HALFWIDTH["ガ"] == "ｶﾞ" and HALFWIDTH["パ"] == "ﾊﾟ" and HALFWIDTH["ヴ"] == "ｳﾞ"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("無人機", True),
        ("ドローン", True),
        ("ｻｲﾊﾞｰ", True),
        ("drones", False),
        ("無人機によるLiDAR計測", True),
        ("", False),
    ],
)
def test_is_japanese(text: str, expected: bool) -> None:
    assert is_japanese(text) is expected
