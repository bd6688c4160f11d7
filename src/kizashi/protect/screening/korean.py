"""Kanji read in Korean, and which list entries are Korean.

Korean names are written in kanji (hanja) in Japanese and Chinese text: 端川商業銀行 is 단천상업은행, which the lists
write TANCHON COMMERCIAL BANK. Read in Japanese (hashikawa shogyo) or Chinese (duan chuan shang ye) such a name meets
nothing on a list, or meets the wrong party by chance (総 → "so" against a person named So). Here each kanji gets its
Korean reading from KANJIDIC2 (in the JMdict database that `jamdict-data` installs: readings of type korean_h,
shinjitai forms included), the usual one first, and the Hangul goes the way of any Hangul name (hangul.py).

- The readings are the DPRK's, which keeps an initial ㄹ and ㄴ (連峰 → 련봉 → Ryonbong, as the UN list writes it).
  South Korea drops them at the start of a word (연봉 → Yonbong, an alias of the same company): when the rule changes
  a word of an organisation's name, that spelling is read as well.
- Where a kanji has several readings, an organisation word of hangul.WORDS wins (金融 → 금융, finance, not 김융); 金
  reads 김 only where it can be a surname (at the start of a name without organisation words), else 금 (金剛 → 금강).
- A kanji KANJIDIC2 gives no Korean reading (Japanese-made characters such as 畑 may have one, 々 repeats the one
  before), or any hiragana in the name (a Japanese name), means no Korean reading at all.

A match through the Korean reading counts only against entries that are Korean (`level`); a match through a Japanese
or Chinese reading of kanji does not count against the Latin names of an entry that is certainly Korean.
"""

from __future__ import annotations

import logging
import re
from functools import lru_cache
from itertools import product

from anyascii import anyascii

from kizashi.protect.screening import hangul
from kizashi.protect.screening.entries import ListEntry
from kizashi.protect.screening.kana import fold_long_vowels
from kizashi.protect.screening.places import country_code
from kizashi.protect.screening.segment import split_known

__all__ = ["CERTAIN", "NOT", "POSSIBLE", "level", "readings", "romanised", "spellings"]

_log = logging.getLogger(__name__)

_HAN = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff々〆ヶ]+")
_HIRAGANA = re.compile(r"[\u3041-\u3096]")
_SQL = (
    "SELECT c.literal, r.value FROM character c JOIN rm_group g ON g.cid = c.ID JOIN reading r ON r.gid = g.ID "
    "WHERE r.r_type = 'korean_h' ORDER BY c.ID, g.ID, r.rowid"
)
# 金 is 김 as a surname and 금 (gold) anywhere else.
_SURNAME_ONLY = {"김": "금"}
_REPEAT = "々"
_MOST_COMBINATIONS = 64  # readings tried together for one organisation word (4 kanji of up to 3 readings: 81)


@lru_cache(maxsize=1)
def _table() -> dict[str, tuple[str, ...]]:
    """Kanji → its Korean readings in Hangul, KANJIDIC2's order (the usual one first). Read once, read-only."""
    from kizashi.text.translate import jmdict_connection

    try:
        rows = jmdict_connection().execute(_SQL).fetchall()
    except FileNotFoundError as error:
        _log.warning("kanji are not read in Korean: %s", error)
        return {}
    table: dict[str, list[str]] = {}
    for literal, value in rows:
        found = table.setdefault(literal, [])
        if value not in found:
            found.append(value)
    return {literal: tuple(values) for literal, values in table.items()}


def _options(run: str, table: dict[str, tuple[str, ...]]) -> list[tuple[str, ...]] | None:
    options: list[tuple[str, ...]] = []
    for char in run:
        found = options[-1] if char == _REPEAT and options else table.get(char)
        if not found:
            return None
        options.append(found)
    return options


def _word_at(options: list[tuple[str, ...]], start: int) -> tuple[str, int] | None:
    """The longest organisation word (hangul.WORDS) that some choice of readings makes from `start`, and its length."""
    for length in range(min(hangul.LONGEST_WORD, len(options) - start), 1, -1):
        choices = options[start : start + length]
        count = 1
        for readings_of in choices:
            count *= len(readings_of)
        if count > _MOST_COMBINATIONS:
            choices = [readings_of[:1] for readings_of in choices]
        for combination in product(*choices):
            word = "".join(combination)
            if word in hangul.WORDS:
                return word, length
    return None


def _read_run(run: str, table: dict[str, tuple[str, ...]]) -> str | None:
    options = _options(run, table)
    if options is None:
        return None
    read: list[str] = []
    organisation = False
    start = 0
    while start < len(options):
        word = _word_at(options, start)
        if word is not None:
            read.append(word[0])
            start += word[1]
            organisation = True
            continue
        read.append(options[start][0])
        start += 1
    # 金 is a surname only where a name can start with one: at the start of a name without organisation words.
    return "".join(
        _SURNAME_ONLY.get(syllable, syllable) if organisation or position else syllable
        for position, syllable in enumerate(read)
    )


def _initial_sound(syllable: str) -> str:
    """A syllable at the start of a word as South Korea writes it: ㄹ → ㅇ before i and y, else → ㄴ; ㄴ → ㅇ before i
    and y (련 → 연, 로 → 노, 녀 → 여)."""
    code = ord(syllable) - 0xAC00
    initial, rest = code // 588, code % 588
    y_vowel = rest // 28 in (2, 3, 6, 7, 12, 17, 20)  # ㅑ ㅒ ㅕ ㅖ ㅛ ㅠ ㅣ
    if initial == 5:  # ㄹ
        initial = 11 if y_vowel else 2
    elif initial == 2 and y_vowel:  # ㄴ
        initial = 11
    return chr(0xAC00 + initial * 588 + rest)


def _south(text: str) -> str:
    """The Hangul with the initial-sound rule applied to the first syllable of each word between organisation words
    (조선련봉총회사 → 조선연봉총회사); unchanged for a name without organisation words."""

    def word(match: re.Match[str]) -> str:
        pieces = split_known(match.group(), hangul.WORDS, hangul.LONGEST_WORD, lambda _, found: len(found) > 1)
        if not any(known for _, known in pieces):
            return match.group()
        return "".join(piece if known else _initial_sound(piece[0]) + piece[1:] for piece, known in pieces)

    return hangul.HANGUL.sub(word, text)


@lru_cache(maxsize=50_000)
def readings(text: str) -> tuple[str, ...]:
    """The text with its kanji read in Korean (Hangul), the DPRK's reading first, then South Korea's when it differs;
    () when the text has no kanji, has hiragana, or has a kanji without a Korean reading."""
    if not _HAN.search(text) or _HIRAGANA.search(text):
        return ()
    table = _table()
    parts: list[str] = []
    end = 0
    for run in _HAN.finditer(text):
        read = _read_run(run.group(), table)
        if read is None:
            return ()
        parts.extend((text[end : run.start()], read))
        end = run.end()
    north = "".join(parts) + text[end:]
    south = _south(north)
    return (north, south) if south != north else (north,)


# The first letters of a romanised syllable that another romanisation writes otherwise: McCune–Reischauer writes an
# initial ㄷ ㄱ ㅂ ㅈ as t k p ch, Revised Romanisation and many lists as d g b j (Taedong / Daedong Credit Bank); the
# UN writes the DPRK's aspirated ㅍ ㅌ ㅋ with an h (PHYONGCHON, THAE), other lists without. The longest first letters
# that a key begins with decide.
_OTHER_ONSET = (
    ("ph", ("p", "b")), ("th", ("t", "d")), ("kh", ("k", "g")), ("ch", ("j",)), ("j", ("ch",)),
    ("t", ("d", "th")), ("d", ("t",)), ("k", ("g", "kh")), ("g", ("k",)), ("p", ("b", "ph")), ("b", ("p",)),
)  # fmt: skip


def spellings(key: str) -> tuple[str, ...]:
    """The key as other romanisations begin it (taedong → daedong, thaedong), for finding candidates: a list spelling
    the first letters otherwise shares no blocking key with it."""
    for ours, theirs in _OTHER_ONSET:
        if key.startswith(ours) and len(key) > len(ours):
            return tuple(other + key[len(ours) :] for other in theirs)
    return ()


# --- Korean entries ---------------------------------------------------------------------------------------------

NOT, POSSIBLE, CERTAIN = 0, 1, 2
_KOREAN_COUNTRIES = frozenset({"kp", "kr"})
# Words that make a romanised name Korean (the DPRK names Korea Choson; Koryo is its older name).
_MARKERS = frozenset({"korea", "korean", "dprk", "choson", "chosun", "koryo", "pyongyang"})
_WORD = re.compile(r"[a-z]+")
_PERSON_WORDS = range(2, 5)

# How lists and passports spell the parts of a Hangul syllable: McCune–Reischauer without its marks, Revised
# Romanisation and the customary variants (ㅓ o/eo/u, ㅈ j/ch, ㄱ k/g …).
_ONSETS = (("k", "g"), ("kk", "gg"), ("n",), ("t", "d"), ("tt", "dd"), ("r", "l"), ("m",), ("p", "b"), ("pp", "bb"),
           ("s", "sh"), ("ss",), ("",), ("j", "ch"), ("jj", "tch"), ("ch",), ("k",), ("t",), ("p",), ("h",))  # fmt: skip
_NUCLEI = (("a",), ("ae",), ("ya",), ("yae",), ("o", "eo", "u"), ("e",), ("yo", "yeo"), ("ye",), ("o",), ("wa",),
           ("wae",), ("oe", "oi"), ("yo",), ("u", "oo"), ("wo", "weo"), ("we",), ("wi",), ("yu",), ("u", "eu"),
           ("ui", "ei"), ("i",))  # fmt: skip
_CODAS = ("", "k", "g", "n", "t", "d", "l", "r", "m", "p", "b", "ng")


@lru_cache(maxsize=1)
def _syllables() -> frozenset[str]:
    """Every spelling of a Hangul syllable a romanised Korean name may use, long vowels folded as the keys are."""
    return frozenset(
        fold_long_vowels(onset + nucleus + coda)
        for onsets in _ONSETS
        for onset in onsets
        for nuclei in _NUCLEI
        for nucleus in nuclei
        for coda in _CODAS
    )


@lru_cache(maxsize=1)
def _surnames() -> frozenset[str]:
    return frozenset(fold_long_vowels(spelling) for spellings in hangul.SURNAMES.values() for spelling in spellings)


def _korean_word(word: str, syllables: frozenset[str]) -> bool:
    """Whether a word is one or two romanised Hangul syllables (Jong, Un, Hojin)."""
    return word in syllables or any(word[:i] in syllables and word[i:] in syllables for i in range(1, len(word)))


def romanised(name: str) -> bool:
    """Whether a Latin name looks romanised from Korean: it says Korea (Korea, Choson, Koryo, DPRK …), or it is two to
    four words, one at either end a Korean surname and each of them one or two Korean syllables (KIM JONG UN,
    Ri Son Gwon). A hint, not proof: Chinese names often look the same (Li Ming)."""
    words = [fold_long_vowels(word) for word in _WORD.findall(anyascii(name).lower())]
    if _MARKERS.intersection(words):
        return True
    if len(words) not in _PERSON_WORDS:
        return False
    surnames, syllables = _surnames(), _syllables()
    return (words[0] in surnames or words[-1] in surnames) and all(
        word in surnames or _korean_word(word, syllables) for word in words
    )


def level(entry: ListEntry) -> int:
    """How surely a list entry is Korean: CERTAIN when a country or nationality is the DPRK or South Korea, or a name
    is written in Hangul; POSSIBLE when a name looks romanised from Korean (`romanised`); else NOT."""
    if any(country_code(country) in _KOREAN_COUNTRIES for country in entry.countries):
        return CERTAIN
    if any(hangul.is_hangul(name) for name in entry.names):
        return CERTAIN
    return POSSIBLE if any(romanised(name) for name in entry.names) else NOT
