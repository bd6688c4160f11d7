"""Partner screening: names of companies, universities and people against end-user and sanctions lists, in Japanese
and English, every match with its explanation and the list version it was screened against."""

from kizashi.protect.screening import kana, kana_korean, korean, names, score, vocabulary
from kizashi.protect.screening.entries import ListEntry, ListVersion, ScreeningList
from kizashi.protect.screening.lists import read_list, read_lists
from kizashi.protect.screening.screen import DEFAULT_THRESHOLD, DEFAULT_TOP, Party, Screener, screen_names

__all__ = [
    "DEFAULT_THRESHOLD",
    "DEFAULT_TOP",
    "ListEntry",
    "ListVersion",
    "Party",
    "Screener",
    "ScreeningList",
    "read_list",
    "read_lists",
    "screen_names",
]


def clear_caches() -> None:
    """Forget the memoised readings, skeletons and token similarities (they are shared by every screener in the
    process): for a fair timing, or to give the memory back after a large batch."""
    for cached in (
        kana.kana_to_romaji,
        kana.fold_long_vowels,
        names.skeleton,
        names._kanji_reading,
        score.token_similarity,
        score.korean_sound,
        score.korean_similarity,
        score.katakana_sound,
        score.katakana_similarity,
        korean.readings,
        kana_korean.syllables,
        kana_korean.surname_spellings,
        vocabulary.legal_family,
        vocabulary.organisation_kinds,
    ):
        cached.cache_clear()
