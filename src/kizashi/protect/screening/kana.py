"""Kana → Hepburn romaji, and the long-vowel fold that makes Ō, Ou, Oh, Oo and O one key.

Our own small table (modified Hepburn, as passports and company registers write it), so that a reading from Sudachi
and a katakana transliteration of a foreign name come out in the same spelling.
"""

from __future__ import annotations

import re
from functools import lru_cache

__all__ = ["fold_long_vowels", "kana_to_romaji"]

_BASE = {
    "ア": "a", "イ": "i", "ウ": "u", "エ": "e", "オ": "o",
    "カ": "ka", "キ": "ki", "ク": "ku", "ケ": "ke", "コ": "ko",
    "ガ": "ga", "ギ": "gi", "グ": "gu", "ゲ": "ge", "ゴ": "go",
    "サ": "sa", "シ": "shi", "ス": "su", "セ": "se", "ソ": "so",
    "ザ": "za", "ジ": "ji", "ズ": "zu", "ゼ": "ze", "ゾ": "zo",
    "タ": "ta", "チ": "chi", "ツ": "tsu", "テ": "te", "ト": "to",
    "ダ": "da", "ヂ": "ji", "ヅ": "zu", "デ": "de", "ド": "do",
    "ナ": "na", "ニ": "ni", "ヌ": "nu", "ネ": "ne", "ノ": "no",
    "ハ": "ha", "ヒ": "hi", "フ": "fu", "ヘ": "he", "ホ": "ho",
    "バ": "ba", "ビ": "bi", "ブ": "bu", "ベ": "be", "ボ": "bo",
    "パ": "pa", "ピ": "pi", "プ": "pu", "ペ": "pe", "ポ": "po",
    "マ": "ma", "ミ": "mi", "ム": "mu", "メ": "me", "モ": "mo",
    "ヤ": "ya", "ユ": "yu", "ヨ": "yo",
    "ラ": "ra", "リ": "ri", "ル": "ru", "レ": "re", "ロ": "ro",
    "ワ": "wa", "ヰ": "i", "ヱ": "e", "ヲ": "o", "ン": "n", "ヴ": "vu",
    "ァ": "a", "ィ": "i", "ゥ": "u", "ェ": "e", "ォ": "o", "ャ": "ya", "ュ": "yu", "ョ": "yo", "ヮ": "wa",
    "ヵ": "ka", "ヶ": "ke",
}  # fmt: skip
# Two kana read as one syllable: the yōon (キャ) and the modern spellings of foreign sounds (ティ, ファ, ヴァ).
_PAIRS = {
    "キャ": "kya", "キュ": "kyu", "キョ": "kyo", "ギャ": "gya", "ギュ": "gyu", "ギョ": "gyo",
    "シャ": "sha", "シュ": "shu", "ショ": "sho", "シェ": "she", "ジャ": "ja", "ジュ": "ju", "ジョ": "jo", "ジェ": "je",
    "チャ": "cha", "チュ": "chu", "チョ": "cho", "チェ": "che", "ニャ": "nya", "ニュ": "nyu", "ニョ": "nyo",
    "ヒャ": "hya", "ヒュ": "hyu", "ヒョ": "hyo", "ビャ": "bya", "ビュ": "byu", "ビョ": "byo",
    "ピャ": "pya", "ピュ": "pyu", "ピョ": "pyo", "ミャ": "mya", "ミュ": "myu", "ミョ": "myo",
    "リャ": "rya", "リュ": "ryu", "リョ": "ryo",
    "ティ": "ti", "ディ": "di", "トゥ": "tu", "ドゥ": "du", "テュ": "tyu", "デュ": "dyu",
    "ファ": "fa", "フィ": "fi", "フェ": "fe", "フォ": "fo", "フュ": "fyu",
    "ヴァ": "va", "ヴィ": "vi", "ヴェ": "ve", "ヴォ": "vo", "ヴュ": "vyu",
    "ウィ": "wi", "ウェ": "we", "ウォ": "wo", "ツァ": "tsa", "ツィ": "tsi", "ツェ": "tse", "ツォ": "tso",
    "クァ": "kwa", "クィ": "kwi", "クェ": "kwe", "クォ": "kwo", "グァ": "gwa", "イェ": "ye", "スィ": "si", "ズィ": "zi",
}  # fmt: skip
_SOKUON = "ッ"
_CHOON = "ー"
_HIRAGANA_OFFSET = ord("ァ") - ord("ぁ")


def _katakana(text: str) -> str:
    return "".join(chr(ord(c) + _HIRAGANA_OFFSET) if "ぁ" <= c <= "ゖ" else c for c in text)


@lru_cache(maxsize=100_000)
def kana_to_romaji(text: str) -> str:
    """Hepburn for hiragana or katakana; other characters pass through. ン before b, m, p stays 'n' (as passports
    since 2000 and the long-vowel fold expect); ッ doubles the next consonant (ッチ → tchi)."""
    kana = _katakana(text)
    out: list[str] = []
    double = False
    i = 0
    while i < len(kana):
        pair = _PAIRS.get(kana[i : i + 2])
        if pair is not None:
            syllable, i = pair, i + 2
        elif kana[i] == _SOKUON:
            double, i = True, i + 1
            continue
        elif kana[i] == _CHOON:
            # The long-vowel mark repeats the vowel before it; the fold below makes it one key with the short one.
            previous = out[-1][-1] if out and out[-1][-1:] in ("a", "i", "u", "e", "o") else ""
            out.append(previous)
            i += 1
            continue
        else:
            syllable, i = _BASE.get(kana[i], kana[i]), i + 1
        if double and syllable[:1] not in ("a", "i", "u", "e", "o", ""):
            syllable = ("t" if syllable.startswith("ch") else syllable[0]) + syllable
        double = False
        out.append(syllable)
    return "".join(out)


_LONG = re.compile(r"([aeiu])\1+|o[ouh](?![aeiouy])|oo+|ou")


@lru_cache(maxsize=500_000)
def fold_long_vowels(word: str) -> str:
    """One key for the spellings of a long vowel in romanised Japanese: Ō, Ô, Ou, Oh, Oo and O (and ū/uu, ā/aa, ī/ii,
    ē/ee). Applied to every Latin token on both sides of a comparison, so it may fold English spellings too ("Moon"
    → "mon"); that costs nothing, as both sides fold the same way."""
    return _LONG.sub(lambda m: m.group()[0], word)
