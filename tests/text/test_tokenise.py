"""Tokeniser: Sudachi normalised forms of Japanese content words, Snowball stems of English, both in mixed text.

The expected Japanese terms are what sudachidict-core gives in split mode B, checked, not guessed; a dictionary update
that changes them should fail here, so that the change is seen.
"""

from __future__ import annotations

import time
from concurrent.futures import ThreadPoolExecutor

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from kizashi.text import Tokeniser, normalise
from kizashi.text.tokenise import SUDACHI_MAX_CHARS, chunks

# Kana, common kanji, Latin, digits and the punctuation and spaces between them: text that exercises both paths.
MIXED = st.text(
    alphabet=st.sampled_from(
        "あいうえおかがきくけこさしすせそたちつてとなにぬねのはばぱひふへほまみむめもやゆよらりるれろわをん"
        "アイウエオカガキクケコサシスセソタチツテトナニヌネノハバパヒフヘホマミムメモヤユヨラリルレロワヲンー"
        "ｱｲｳｶﾞｻｲﾊﾞｰ無人機倒壊現場救助者捜索能力必要技術検知攻撃対策災害情報通信研究開発"
        "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZＡＢＣ0123456789０１２"
        " \u3000\t\n。、・「」！？!?.,;:-'’()"
    )
)


TOKENISER = Tokeniser()  # built once: hypothesis tests cannot take pytest fixtures
ANOTHER = Tokeniser()  # a second instance gives the same tokens


@pytest.fixture
def tokeniser() -> Tokeniser:
    return TOKENISER


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("倒壊現場で要救助者を無人機で捜索する", ["倒壊", "現場", "救助", "無人機", "捜索"]),
        ("倒壊現場で要救助者を無人機で捜索する能力が必要", ["倒壊", "現場", "救助", "無人機", "捜索", "能力", "必要"]),
        ("Detecting drones in collapsed buildings", ["detect", "drone", "collaps", "build"]),
        ("無人機によるLiDAR計測", ["無人機", "lidar", "計測"]),
        # Full-width Latin and half-width katakana read as their usual forms; mode B splits サイバー攻撃.
        ("ＡＩを用いたｻｲﾊﾞｰ攻撃の検知、ドローン　対策。", ["ai", "サイバー", "攻撃", "検知", "ドローン", "対策"]),
        # Grammar words by part of speech (する, できる, なる, よう, こと) and by the stop list (による, について).
        ("安全性を高めることができるようになった。", ["安全性", "高める"]),
        ("無人機による捜索について", ["無人機", "捜索"]),
        # Sudachi's own normalised form: the long-vowel spelling.
        ("セキュリティ対策", ["セキュリティー", "対策"]),
        # English stop words, numbers and single letters dropped; apostrophes and hyphens handled.
        ("The drone’s sensors don't work with 5G and COVID-19 in 2024.", ["drone", "sensor", "work", "5g", "covid"]),
        # Latin words in Japanese text are stemmed as English would be, not Sudachi's katakana (drone → ドローン),
        # and read whole where Sudachi splits them (5G → 5 + G).
        ("dronesによる捜索", ["drone", "捜索"]),
        ("5G通信と3Dプリンタ", ["5g", "通信", "3d", "プリンター"]),
        # Counters after numbers dropped (年, 人, 台), the same nouns elsewhere kept (長年, 人材).
        ("2024年に三人の隊員が10台の無人機で捜索", ["隊員", "無人機", "捜索"]),
        ("長年の人材育成", ["長年", "人材", "育成"]),
    ],
)
def test_golden(tokeniser: Tokeniser, text: str, expected: list[str]) -> None:
    assert tokeniser.tokens(text) == expected


def test_mixed_text_matches_both_languages(tokeniser: Tokeniser) -> None:
    japanese = set(tokeniser.tokens("無人機によるLiDAR計測で倒壊建物内の要救助者をdetectする"))
    english = set(tokeniser.tokens("LiDAR-equipped drones detect survivors"))
    assert {"lidar", "detect"} <= japanese & english
    assert {"無人機", "計測"} <= japanese


def test_stop_words_dropped(tokeniser: Tokeniser) -> None:
    assert tokeniser.tokens("the of and in with for to a an is are was") == []
    assert tokeniser.tokens("をにがでとはのもする") == []


@pytest.mark.parametrize("text", ["", "   ", "\u3000\n\t", "。、！？", "...", "2024 12 31"])
def test_empty_and_contentless_text(tokeniser: Tokeniser, text: str) -> None:
    assert tokeniser.tokens(text) == []


def test_lang_ja_reads_english_the_same(tokeniser: Tokeniser) -> None:
    text = "Detecting drones in collapsed buildings"
    assert tokeniser.tokens(text, "ja") == tokeniser.tokens(text)


def test_lang_en_still_reads_japanese(tokeniser: Tokeniser) -> None:
    assert tokeniser.tokens("無人機で捜索", "en") == ["無人機", "捜索"]


def test_other_scripts_kept_unstemmed(tokeniser: Tokeniser) -> None:
    assert tokeniser.tokens("Привет мир 안녕하세요") == ["привет", "мир", "안녕하세요"]


@settings(deadline=None)
@given(MIXED)
def test_tokens_are_words(text: str) -> None:
    tokens = TOKENISER.tokens(text)
    assert all(token and not any(char.isspace() for char in token) for token in tokens)


@settings(deadline=None)
@given(st.text())
def test_any_text_gives_words_deterministically(text: str) -> None:
    tokens = TOKENISER.tokens(text)
    assert all(token and not any(char.isspace() for char in token) for token in tokens)
    assert TOKENISER.tokens(text) == tokens
    assert ANOTHER.tokens(text) == tokens


@settings(deadline=None)
@given(st.text(alphabet=st.characters(min_codepoint=0x20, max_codepoint=0x7E)))
def test_latin_text_reads_the_same_through_sudachi(text: str) -> None:
    # The guarantee behind mixed text: a Latin word gives the same terms inside Japanese text as in English text.
    assert TOKENISER.tokens(text, "ja") == TOKENISER.tokens(text)


@settings(deadline=None)
@given(MIXED)
def test_tokens_depend_on_the_normalised_text(text: str) -> None:
    assert TOKENISER.tokens(normalise(text)) == TOKENISER.tokens(text)


@given(st.text(alphabet=st.sampled_from("あ。、 x.\n"), max_size=400), st.integers(min_value=8, max_value=64))
def test_chunks_cover_text_within_limit(text: str, limit: int) -> None:
    pieces = list(chunks(text, limit))
    assert "".join(pieces) == text
    assert all(0 < len(piece) <= limit for piece in pieces)


def test_chunks_cut_after_sentences() -> None:
    text = "一文目です。" * 5000
    pieces = list(chunks(text))
    assert len(pieces) > 1
    assert all(piece.endswith("。") for piece in pieces)


def test_text_over_sudachi_limit(tokeniser: Tokeniser) -> None:
    # 60,000 bytes in one run without punctuation: over Sudachi's 49,149-byte limit and with nowhere to cut.
    text = "無人機" * (SUDACHI_MAX_CHARS // 2)
    assert len(text.encode()) > 49_149
    tokens = tokeniser.tokens(text)
    assert tokens and set(tokens) <= {"無人機", "無人", "機"}


@pytest.mark.slow
def test_ten_megabytes(tokeniser: Tokeniser) -> None:
    sentence = "倒壊現場で要救助者を無人機で捜索し、LiDARで計測する。Drones detect survivors in collapsed buildings.\n"
    text = sentence * (10_000_000 // len(sentence.encode()) + 1)
    assert len(text.encode()) >= 10_000_000
    started = time.perf_counter()
    tokens = tokeniser.tokens(text)
    assert time.perf_counter() - started < 120
    assert tokens[:4] == ["倒壊", "現場", "救助", "無人機"]
    assert tokens.count("捜索") == text.count("捜索")


def test_threads_share_one_tokeniser(tokeniser: Tokeniser) -> None:
    texts = [f"倒壊現場{n}で無人機とLiDARを用いて要救助者を捜索する。Drones detect survivors." * 50 for n in range(16)]
    expected = [tokeniser.tokens(text) for text in texts]
    with ThreadPoolExecutor(max_workers=4) as pool:
        assert list(pool.map(tokeniser.tokens, texts)) == expected
