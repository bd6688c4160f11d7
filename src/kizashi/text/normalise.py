"""The first stage of the text pipeline: one spelling for what a reader would call the same text.

Needs are typed by ministries in Japanese word processors (full-width "ＡＩ", half-width "ｻｲﾊﾞｰ"), seeds come from
English abstracts; matching must not depend on which keyboard mode a writer was in.
"""

from __future__ import annotations

import re
import unicodedata

__all__ = ["detect_lang", "is_japanese", "normalise"]

# Hiragana, katakana (full and half width) and the CJK ideographs: a text with any of them is read as Japanese.
_JAPANESE = re.compile(r"[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uff66-\uff9f]")

_WHITESPACE = re.compile(r"\s+")
# One round is already idempotent for every single code point (checked over all of Unicode); further rounds guard
# sequences where a fold followed by recomposition could expose a character with a fold of its own. Bounded, so a
# pathological input cannot loop.
_MAX_ROUNDS = 4


def _fold(text: str) -> str:
    # NFKC first, so full-width Latin becomes ASCII before it is case-folded; NFKC again, as folding can undo
    # composition (e.g. "İ" folds to "i" + combining dot).
    return unicodedata.normalize("NFKC", unicodedata.normalize("NFKC", text).casefold())


def normalise(text: str) -> str:
    """NFKC, case-folded, whitespace runs collapsed to one space, stripped. Idempotent.

    NFKC makes full-width ASCII half-width and half-width katakana full-width (with its voicing marks joined:
    "ｶﾞ" → "ガ"), and spells out compatibility characters ("①" → "1", "㈱" → "(株)"). Japanese punctuation that
    marks sentences and lists (。、・「」) has no compatibility form and is kept for the tokeniser; full-width
    "！？（）" become their ASCII forms, which the tokeniser treats the same way.
    """
    if text.isascii():
        # NFKC leaves ASCII as it is and casefold is lower(): the common case of English seeds, without four
        # Unicode passes.
        return " ".join(text.lower().split())  # str.split() splits on exactly what \s matches
    folded = _fold(text)
    for _ in range(_MAX_ROUNDS):
        again = _fold(folded)
        if again == folded:
            break
        folded = again
    return _WHITESPACE.sub(" ", folded).strip()


def detect_lang(text: str) -> str:
    """ "ja" for a text with any Japanese script in it, else "en"."""
    return "ja" if _JAPANESE.search(text) else "en"


def is_japanese(text: str) -> bool:
    """Whether the text holds any Japanese (kana or kanji): the same test ingest uses to set a record's `lang`."""
    return detect_lang(text) == "ja"
