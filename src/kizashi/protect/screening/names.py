"""A name as the matcher sees it: Latin tokens with how each was obtained, and the legal form set aside.

Pipeline: NFKC, width and case (`kizashi.text.normalise`); legal forms (株式会社, (株), K.K., Co., Ltd., OOO …) removed
into their own field; Japanese organisation words translated (大学 → university) and the rest read in Hepburn (kanji
through Sudachi's readings, kana through our table); kanji also read as Chinese and, for Korean entries only, as
Korean (korean.py: 端川商業銀行 → 단천상업은행 → tanchon commercial bank); katakana also as Japanese writes Korean names,
for Korean entries only (kana_korean.py: キム・ヨンチョル → kim yong chol); Hangul as the lists spell Korean (hangul.py);
Cyrillic and other scripts romanised with anyascii; long vowels folded (Ō/Ou/Oh/Oo/O) on every token, whatever script
it came from.
"""

from __future__ import annotations

import re
import threading
from dataclasses import dataclass, field
from functools import lru_cache, partial
from typing import TYPE_CHECKING

from anyascii import anyascii

from kizashi.protect.screening import hangul, kana_korean, korean
from kizashi.protect.screening.kana import fold_long_vowels, kana_to_romaji
from kizashi.protect.screening.places import is_place
from kizashi.protect.screening.segment import split_known
from kizashi.protect.screening.vocabulary import (
    ABBREVIATIONS,
    LEGAL_FORMS,
    LEGAL_FORMS_CJK,
    STOP_WORDS,
    TRANSLATIONS,
    organisation_kinds,
)
from kizashi.text.normalise import normalise

if TYPE_CHECKING:
    from sudachipy import Tokenizer

__all__ = ["NameForm", "Token", "analyse", "has_han", "has_kana_or_kanji", "name_variants", "skeleton"]

EXACT, TRANSLITERATED, TRANSLATED, ABBREVIATION = "exact", "transliterated", "translated", "abbreviation"


@dataclass(frozen=True, slots=True)
class Token:
    key: str  # the Latin matching key: ASCII, lower case, long vowels folded
    surface: str  # what the name said, for the explanation
    how: str  # exact | transliterated | translated | abbreviation


@dataclass(frozen=True, slots=True)
class NameForm:
    text: str
    tokens: tuple[Token, ...]
    legal_forms: tuple[str, ...]  # canonical codes (vocabulary.LEGAL_FORMS), in the order found
    # The Hangul that this form read the name's kanji as (korean.py); "" for any other form. Such a form is compared
    # only with Korean entries.
    reading: str = ""
    keys: tuple[str, ...] = field(init=False)
    # Whether a token was read out of kana, Hangul or (in Korean) kanji: then spelling differs from sound, and the
    # matcher compares sound skeletons too.
    phonetic: bool = field(init=False)
    # Positions of the tokens read aloud out of kanji (not translated): what a Japanese or Chinese reading says only
    # about a Japanese or Chinese name.
    kanji_read: tuple[int, ...] = field(init=False)
    # Positions of the tokens read aloud out of Hangul, or out of kanji or katakana read in Korean: their spellings
    # vary as Korean romanisations do (score.korean_similarity), not as katakana renders sounds.
    korean_read: tuple[int, ...] = field(init=False)
    # Those of them read out of katakana as Korean (kana_korean.py): compared by score.katakana_similarity.
    katakana_read: tuple[int, ...] = field(init=False)
    # The words that say what kind of organisation the name is (vocabulary.organisation_kinds), also where the
    # form reads them aloud rather than translates them (고려대학교 → koryo taehakkyo states a university).
    kinds: tuple[str, ...] = field(init=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "keys", tuple(token.key for token in self.tokens))
        sound = any(token.how == TRANSLITERATED and _SOUND_SCRIPTS.search(token.surface) for token in self.tokens)
        object.__setattr__(self, "phonetic", sound or bool(self.reading))
        read = tuple(i for i, t in enumerate(self.tokens) if t.how == TRANSLITERATED and _HAN.search(t.surface))
        object.__setattr__(self, "kanji_read", read)
        katakana = tuple(
            i
            for i, t in enumerate(self.tokens)
            if self.reading and t.how == TRANSLITERATED and _KATAKANA_WORD.fullmatch(t.surface)
            and kana_korean.is_korean(t.surface)
        )  # fmt: skip
        korean = tuple(
            i
            for i, t in enumerate(self.tokens)
            if t.how == TRANSLITERATED
            and (hangul.is_hangul(t.surface) or (self.reading and i in read) or i in katakana)
        )
        object.__setattr__(self, "korean_read", korean)
        object.__setattr__(self, "katakana_read", katakana)
        object.__setattr__(self, "kinds", organisation_kinds(_kind_words(self.tokens), self.legal_forms))


def _kind_words(tokens: tuple[Token, ...]) -> tuple[str, ...]:
    """The keys, and the translation of each organisation word read aloud (大学 → daigaku, 대학교 → taehakkyo)."""
    words: list[str] = []
    for token in tokens:
        words.append(token.key)
        if token.how == TRANSLITERATED:
            english = TRANSLATIONS.get(token.surface) or hangul.WORDS.get(token.surface)
            if english:
                words.extend(english.split())
    return tuple(words)


_OPEN, _CLOSE = "(（[「", ")）]」"
_ALIAS_LEAD = re.compile(
    r"^\s*(?:別称|通称|旧称|a\.?k\.?a\.?|f\.?k\.?a\.?|formerly|also known as)\s*[、,:：]?\s*", re.I
)
_ALIAS_SPLIT = re.compile(r"\s*(?:及び|および|、|;|；)\s*")
# An alias written into the name itself: "Eastech Electronics Limited 別称：イーステック…; Eastech Electronics Ltd".
_ALIAS_MARK = re.compile(r"\s*(?:別称|通称|旧称)\s*[：:、]\s*|\s*\b(?:a\.k\.a\.|f\.k\.a\.)\s*,?\s*", re.I)


def _brackets(name: str) -> tuple[str, list[str]]:
    """The name outside any brackets, and the text of each outermost bracket (nested ones stay inside it; an
    unclosed bracket runs to the end)."""
    if not any(char in name for char in _OPEN):
        return name, []
    outside, inside, depth, current = [], [], 0, []
    for char in name:
        if char in _OPEN:
            if depth:
                current.append(char)
            depth += 1
        elif char in _CLOSE and depth:
            depth -= 1
            if depth:
                current.append(char)
            else:
                inside.append("".join(current))
                current = []
                outside.append(" ")
        elif depth:
            current.append(char)
        else:
            outside.append(char)
    if current:
        inside.append("".join(current))
    return "".join(outside), inside


def name_variants(name: str) -> list[str]:
    """The name, the name without its bracketed parts, each bracketed part (often the name in another script or an
    alias: 「深圳比广贸易有限公司」 after the katakana, "(AQAP)" after the full name), and the aliases a name writes
    into itself (別称、…; a.k.a. …). Deduplicated, in that order."""
    found = [name]
    outside, inside = _brackets(name)
    if inside:
        found.append(outside)
    # A bracket that only says where or what kind ("(Cyprus)", "(U.K.)", "(Pvt)") is no name of its own: as a variant
    # it would match every partner in that place.
    inside = [part for part in inside if not _says_little(part)]
    for part in [outside, *inside]:
        for alias in _ALIAS_MARK.split(_ALIAS_LEAD.sub("", part)):
            pieces = _ALIAS_SPLIT.split(alias) if part is not outside or alias is not part else [alias]
            found.append(alias)
            found.extend(pieces if len(pieces) > 1 else ())
    seen: dict[str, str] = {}
    for variant in found:
        variant = variant.strip(" 、,;:：")
        if len(variant) > 1:
            seen.setdefault(normalise(variant), variant)
    return list(seen.values())


_FORM_WORDS = frozenset(word for form in LEGAL_FORMS for word in form)


def _says_little(part: str) -> bool:
    """Whether a bracketed part is only places, legal forms and single letters: (Cyprus), (U.K.), (Europe) LBG."""
    words = _LATIN_WORD.findall(anyascii(part).lower())
    return bool(words) and all(len(w) == 1 or w in _FORM_WORDS or is_place(w) for w in words)


# --- scripts ------------------------------------------------------------------------------------------------------

_HAN = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff々〆ヶ]")
_JA_SEPARATORS = re.compile(r"(?:[・･\s、,/／「」『』“”\"。:：;；]|及び|および)+")
_LATIN_WORD = re.compile(r"[a-z0-9]+")
_APOSTROPHES = re.compile(r"['’ʼ‘`´]")
_KATAKANA_RUN = re.compile(r"[\u30a1-\u30fa\u30fc]+")
# A katakana word as a Korean name may write it: with the small finals of Katakana Phonetic Extensions (ㇰ ㇽ ㇺ ㇷ゚).
_KATAKANA_WORD = re.compile(r"[\u30a1-\u30fa\u30fc\u31f0-\u31ff\u309a]+")
_HIRAGANA = re.compile(r"[\u3041-\u3096]")
_MAX_TRANSLATION = max(len(key) for key in TRANSLATIONS)
# Single-character words (省, 局, 軍) are translated only at the end of a run of kanji: inside one they are as
# likely part of a proper name.
_SUFFIX_ONLY = {key for key in TRANSLATIONS if len(key) == 1}


def has_han(text: str) -> bool:
    """Whether the text has kanji (hanzi, hanja) in it."""
    return _HAN.search(text) is not None


# Scripts whose romanisation follows sound rather than a fixed spelling (kana, Hangul, Thai, Indic) or leaves the
# vowels out (Arabic, Hebrew): names read out of them are compared by sound skeleton as well.
_SOUND_SCRIPTS = re.compile(
    r"[\u3041-\u3096\u30a1-\u30fa\u30fc\u0590-\u05ff\u0600-\u06ff\u0750-\u077f\u0900-\u097f"
    r"\u0e00-\u0e7f\u1100-\u11ff\uac00-\ud7af]"
)
_KANA = re.compile(r"[\u3041-\u3096\u30a1-\u30fa\u30fc\u30fd\u30fe]")


def _has_kana(text: str) -> bool:
    return _KANA.search(text) is not None


def has_kana_or_kanji(text: str) -> bool:
    """Whether the text is (partly) written in Japanese or Chinese script: then kanji read one way meet it read the
    same way."""
    return _KANA.search(text) is not None or _HAN.search(text) is not None


class _Sudachi(threading.local):
    """Sudachi for kanji readings: one tokenizer per thread, made on first use (the dictionary is memory-mapped)."""

    tokenizer: Tokenizer | None = None

    def get(self) -> Tokenizer:
        if self.tokenizer is None:
            from sudachipy import Dictionary, SplitMode

            # Mode C keeps proper nouns whole (深圳 → シンセン, not two characters read apart).
            self.tokenizer = Dictionary(dict="core").tokenizer(mode=SplitMode.C)
        return self.tokenizer


_SUDACHI = _Sudachi()


@lru_cache(maxsize=50_000)
def _kanji_reading(text: str) -> tuple[tuple[str, str], ...]:
    """(surface, romaji) per Sudachi word of a run of kanji and hiragana."""
    words = []
    for morpheme in _SUDACHI.get().tokenize(text):
        surface = morpheme.surface()
        reading = morpheme.reading_form()
        # Sudachi gives the surface back as reading for words it does not know; romanise those character by
        # character rather than keep kanji in a Latin key.
        romaji = kana_to_romaji(reading) if _has_kana(reading) else anyascii(reading).lower()
        words.append((surface, romaji))
    return tuple(words)


def _latin_tokens(text: str, how: str = EXACT) -> list[Token]:
    ascii_text = anyascii(_APOSTROPHES.sub("", text)).lower()
    changed = how if not text.isascii() else EXACT
    tokens = []
    for word in _LATIN_WORD.findall(ascii_text):
        tokens.append(Token(word, word if text.isascii() else text, changed))
    if not text.isascii() and len(tokens) > 1:
        # Each token names the word it came from, not the whole run.
        tokens = [Token(t.key, t.key, t.how) for t in tokens]
    return tokens


def _translated(english: str, surface: str) -> list[Token]:
    return [Token(word, surface, TRANSLATED) for word in english.split()]


# Latin letters spelled out in katakana (エム・スター for M Star, アイジェット for iJet), read as the letter when they
# stand alone.
_LETTERS = {
    "エー": "a", "エイ": "a", "ビー": "b", "シー": "c", "ディー": "d", "イー": "e", "エフ": "f", "ジー": "g",
    "エイチ": "h", "エッチ": "h", "アイ": "i", "ジェイ": "j", "ジェー": "j", "ケイ": "k", "ケー": "k", "エル": "l",
    "エム": "m", "エヌ": "n", "オー": "o", "ピー": "p", "キュー": "q", "アール": "r", "エス": "s", "ティー": "t",
    "ユー": "u", "ブイ": "v", "ヴィー": "v", "ダブリュー": "w", "エックス": "x", "ワイ": "y", "ゼット": "z",
}  # fmt: skip


def _japanese_segment(segment: str, out: list[Token], translate: bool = True) -> None:
    """Translate known organisation words (longest first), read the rest: kana by table, kanji through Sudachi."""
    if segment in _LETTERS:
        out.append(Token(_LETTERS[segment], segment, TRANSLITERATED))
        return
    if not translate:
        _read(segment, out)
        return
    for piece, known in split_known(segment, TRANSLATIONS, _MAX_TRANSLATION, partial(_may_translate, segment)):
        if known:
            out.extend(_translated(TRANSLATIONS[piece], piece))
        else:
            _read(piece, out)


def _may_translate(segment: str, start: int, word: str) -> bool:
    end = start + len(word)
    if word in _SUFFIX_ONLY:
        return start >= 2 and (end == len(segment) or not _HAN.match(segment[end]))
    if _KATAKANA_RUN.fullmatch(word) and len(word) < 4:
        # A short katakana word counts only when it is a whole word, not a piece of a longer one (ラボ in コラボ).
        before = segment[start - 1] if start else ""
        after = segment[end] if end < len(segment) else ""
        return not (before and _KATAKANA_RUN.match(before)) and not (after and _KATAKANA_RUN.match(after))
    return True


def _read(text: str, out: list[Token]) -> None:
    if not text:
        return
    for run in re.finditer(
        r"[\u30a1-\u30fa\u30fc]+|[\u3041-\u3096\u3400-\u4dbf\u4e00-\u9fff々〆ヶ]+|[^\u3041-\u30ff\u3400-\u9fff]+", text
    ):
        piece = run.group()
        if _KATAKANA_RUN.fullmatch(piece):
            out.append(Token(kana_to_romaji(piece), piece, TRANSLITERATED))
        elif has_han(piece) or _has_kana(piece):
            for surface, romaji in _kanji_reading(piece):
                for word in _LATIN_WORD.findall(romaji):
                    out.append(Token(word, surface, TRANSLITERATED))
        else:
            out.extend(_latin_tokens(piece, TRANSLITERATED))


def _chinese_tokens(text: str, out: list[Token]) -> None:
    """Han without kana, read as Chinese: known words translated, the rest in pinyin, one token per syllable (the
    matcher also compares the joined string, so 'Gaoke' meets 'gao ke')."""
    # Words of two characters or more only: a single character inside a Chinese name is as likely part of it.
    for piece, known in split_known(text, TRANSLATIONS, _MAX_TRANSLATION, lambda _, word: len(word) > 1):
        if known:
            out.extend(_translated(TRANSLATIONS[piece], piece))
        else:
            _pinyin(piece, out)


def _pinyin(text: str, out: list[Token]) -> None:
    for char in text:
        if _HAN.match(char):
            out.extend(Token(w, char, TRANSLITERATED) for w in _LATIN_WORD.findall(anyascii(char).lower()))
        else:
            out.extend(_latin_tokens(char, TRANSLITERATED))


# --- legal forms --------------------------------------------------------------------------------------------------

_CJK_FORMS = sorted(LEGAL_FORMS_CJK, key=len, reverse=True)
_LONGEST_FORM = max(len(form) for form in LEGAL_FORMS)
# Forms that may lead a name (OOO Romashka, JSC Integral); the others only end one, so "Ag" in "Iyad Ag Ghali" stays.
_LEADING = {"ooo", "oao", "zao", "pao", "jsc", "ojsc", "cjsc", "pjsc", "tov", "too", "llc", "kk", "ao", "sfp", "rue"}


def _strip_cjk_forms(text: str) -> tuple[str, list[str]]:
    found = []
    for form in _CJK_FORMS:
        if form in text:
            found.append(LEGAL_FORMS_CJK[form])
            text = text.replace(form, " ")
    return text, found


def _strip_latin_forms(tokens: list[Token]) -> tuple[list[Token], list[str]]:
    found: list[str] = []
    changed = True
    while changed and len(tokens) > 1:
        changed = False
        keys = tuple(t.key for t in tokens)
        for length in range(min(_LONGEST_FORM, len(tokens) - 1), 0, -1):
            code = LEGAL_FORMS.get(keys[-length:])
            if code is not None:
                found.insert(0, code)
                tokens = tokens[:-length]
                changed = True
                break
            code = LEGAL_FORMS.get(keys[:length])
            if code is not None and (length > 1 or keys[0] in _LEADING):
                found.append(code)
                tokens = tokens[length:]
                changed = True
                break
    return tokens, found


# --- the whole name -----------------------------------------------------------------------------------------------


def analyse(name: str, *, korean_reading: bool = True) -> list[NameForm]:
    """The forms of one name string: usually one. A Japanese name with organisation words gives a translated and a
    read form (大橋工業 → ohashi industry, ohashi kogyo); a name in kanji alone may be Japanese (東京大学 → tokyo
    university) or Chinese (深圳五力高科 → shen zhen wu li gao ke) and is read both ways; kanji without hiragana are
    also read in Korean (端川商業銀行 → 단천상업은행 → tanchon commercial bank), forms with `reading` set, unless
    `korean_reading` is False."""
    text = normalise(name)
    stripped, forms = _strip_cjk_forms(text)
    readings: list[tuple[list[Token], str]] = []
    if _has_kana(stripped) or has_han(stripped):
        translated = _japanese(stripped)
        readings.append((translated, ""))
        if any(token.how == TRANSLATED for token in translated):
            # Also as read aloud: a list may romanise 大橋工業 as "Ohashi Kogyo" rather than translate it.
            readings.append((_japanese(stripped, translate=False), ""))
    if not _has_kana(stripped) and has_han(stripped):
        chinese: list[Token] = []
        for segment in _JA_SEPARATORS.split(stripped):
            if has_han(segment):
                _chinese_tokens(segment, chinese)
            else:
                chinese.extend(_latin_tokens(segment, TRANSLITERATED))
        readings.append((chinese, ""))
    if korean_reading and has_han(stripped):
        for read in korean.readings(stripped):
            readings.extend((tokens, read) for tokens in _korean(read, stripped))
    if korean_reading and not has_han(stripped) and _KATAKANA_WORD.search(stripped) and not _HIRAGANA.search(stripped):
        # Katakana that Japanese writes Korean names with (キム・ヨンチョル, カンボン): read as Korean too, compared only
        # with Korean entries as kanji read in Korean are.
        readings.extend((tokens, stripped) for tokens in _korean(stripped, katakana_only=True))
    if not readings and hangul.is_hangul(stripped):
        readings.extend((tokens, "") for tokens in _korean(stripped))
    if not readings:
        readings.append((_latin_tokens(stripped, TRANSLITERATED), ""))
    result = []
    # keys → whether the form kept with them reads no kanji aloud (then a Korean reading to the same keys adds nothing)
    seen: dict[tuple[str, ...], bool] = {}
    for tokens, reading in readings:
        tokens, latin_forms = _strip_latin_forms(tokens)
        content = [t for t in tokens if t.key not in STOP_WORDS] or tokens
        content = [_expanded(t) for t in content]
        keys = tuple(t.key for t in content)
        if keys in seen and (seen[keys] or reading == ""):
            continue
        seen[keys] = not any(t.how == TRANSLITERATED and has_han(t.surface) for t in content)
        result.append(NameForm(name, tuple(content), tuple(forms + latin_forms), reading))
    return result


_KOREAN_FORMS = 6  # a name's forms from surname spellings: enough for 이 (ri, lee, yi, rhee, li) and one more word


_KOREAN_WORDS = re.compile(
    r"[\uac00-\ud7a3]+|[\u30a1-\u30fa\u30fc\u31f0-\u31ff\u309a]+"
    r"|[^\s\uac00-\ud7a3\u30a1-\u30fc\u31f0-\u31ff\u309a]+"
)


def _korean(text: str, original: str | None = None, *, katakana_only: bool = False) -> list[list[Token]]:
    """A name with Hangul or katakana in it, once per customary spelling of its surname(s) (hangul.py,
    kana_korean.py); other words as Latin or kana. `original`: the text the Hangul was read from, character for
    character (kanji read in Korean), whose characters the tokens then name (端川→tanchon rather than 단천→tanchon).
    With `katakana_only` (a name in katakana), [] when a katakana word is neither Korean nor a known word: the name
    is not Korean."""
    source = text if original is None else original
    words = list(_KOREAN_WORDS.finditer(text))
    # Organisation words anywhere make the name an organisation's: its katakana are names of places and firms.
    organisation = any(
        word in TRANSLATIONS or (len(word) > 1 and hangul.is_hangul(word) and hangul.organisation(word) is not None)
        for word in (found.group() for found in words)
    )
    forms: list[list[Token]] = [[]]
    surname = False  # whether the word before was a surname alone (김 정은): then this one is a given name
    for found in words:
        word, at = found.group(), found.start()
        first = not any(forms[0])
        katakana = _KATAKANA_WORD.fullmatch(word) is not None
        if katakana:
            ways = _katakana_ways(word, source[at : found.end()], first=first, given=surname, organisation=organisation)
            if ways is None:
                if katakana_only:
                    return []
                ways = [[]]
                _read(source[at : found.end()], ways[0])
        elif not hangul.is_hangul(word):
            ways = [[]]
            _read(source[at : found.end()], ways[0])
        elif len(word) > 1 and (parts := hangul.organisation(word)) is not None:
            # Translated (조선 → korea) and, as a list may romanise it instead, read aloud word by word (CHOSON TAESONG
            # UNHAENG, TONGBANG U'NHAENG).
            translated, aloud, start = [], [], at
            for key, surface, words_of in parts:
                piece = source[start : start + len(surface)]
                translated.extend(_korean_part(key, piece, words_of))
                aloud.append(Token(hangul.run(surface), piece, TRANSLITERATED))
                start += len(surface)
            ways = [translated, aloud]
        elif hangul.person(word, first=first) or surname:
            read = hangul.readings(word, first=first)
            ways = [[Token(key, source[at + i], TRANSLITERATED) for i, (key, _) in enumerate(way)] for way in read]
        else:
            # Neither a person's name nor organisation words: one word, as lists write Korean names of places and
            # companies (단천 → Tanchon, 현대 → Hyondae); read syllable by syllable it would meet the syllables of any
            # Korean name by chance.
            ways = [[Token(hangul.run(word), source[at : found.end()], TRANSLITERATED)]]
        if katakana:
            surname = first and not organisation and kana_korean.is_surname(word)
        else:
            surname = len(word) == 1 and hangul.person(word, first=first)
        forms = [form + way for form in forms for way in ways][:_KOREAN_FORMS]
    return forms


def _katakana_ways(
    word: str, surface: str, *, first: bool, given: bool, organisation: bool
) -> list[list[Token]] | None:
    """The ways of reading a katakana word of a Korean name (kana_korean.py), each a list of tokens; None when it is
    not written as Japanese writes Korean. A known word is translated (バンク → bank); a given name after a surname
    alone is read syllable by syllable, as lists write it (キム・ヨンチョル → kim yong chol); a surname alone that
    begins a name without organisation words once per spelling (パク → pak, park); any other word as one word (カンボン
    → kangbong). Japanese writes a Korean family name apart from the given name: a word that only begins with one is
    not cut (テスコ is not Tae Su Ko)."""
    if word in TRANSLATIONS:
        return [_translated(TRANSLATIONS[word], surface)]
    read = kana_korean.syllables(word)
    if read is None:
        return None
    if given:
        return [[Token(key, kana, TRANSLITERATED) for kana, key in read]]
    if first and not organisation and kana_korean.is_surname(word):
        return [[Token(spelling, surface, TRANSLITERATED)] for spelling in kana_korean.surname_spellings(word)]
    return [[Token("".join(key for _, key in read), surface, TRANSLITERATED)]]


def _korean_part(key: str, surface: str, translated: bool) -> list[Token]:
    return _translated(key, surface) if translated else [Token(key, surface, TRANSLITERATED)]


def _expanded(token: Token) -> Token:
    """The token with its abbreviation written out (Corp → corporation) and its long vowels folded."""
    full = ABBREVIATIONS.get(token.key)
    if full is not None:
        return Token(fold_long_vowels(full), token.surface, ABBREVIATION)
    return Token(fold_long_vowels(token.key), token.surface, token.how)


def _japanese(text: str, *, translate: bool = True) -> list[Token]:
    tokens: list[Token] = []
    for segment in _JA_SEPARATORS.split(text):
        if segment:
            _japanese_segment(segment, tokens, translate)
    return tokens


# --- sound skeletons ----------------------------------------------------------------------------------------------

# English spelling → sound classes, one pass, first alternative that matches wins. Japanese renders English sounds
# with a limited inventory (l and r are one sound, v is b, th is s, "-tion" is "-shon"; ジ writes j, soft g and z
# alike, シ both s and sh), so the classes are those a katakana reading cannot tell apart. Vowels, w, y and an h that
# follows a consonant drop out — unless a consonant follows it too: Arabic romanised without vowels (محمد → mhmd)
# sounds that h, as "Mohamed" does.
_SOUND = re.compile(
    r"(?P<S1>tio(?=n)|sio(?=n))|(?P<f>ph)|(?P<k1>ck|q|ch(?=[^aeiouy]|$)|kh|gh(?=[aeiou]))|(?P<d>dh)|(?P<x>x)"
    r"|(?P<S2>tch|ch|j|dg|g(?=[eiy])|zh|sh|th|ts|z|s|c(?=[eiyh]))|(?P<k2>c)|(?P<n>m(?=[bp]))|(?P<R>[lr])|(?P<B>[vb])"
    r"|(?P<drop>(?<=[^aeiou])h(?![b-df-hj-np-tv-z])|h$|[wy]|[aeiou]+)"
)
_SOUND_OF = {"S1": "s", "f": "f", "k1": "k", "d": "d", "x": "ks", "S2": "s", "k2": "k", "n": "n", "R": "r", "B": "b",
             "drop": ""}  # fmt: skip
_REPEATS = re.compile(r"(.)\1+")


def _sound(match: re.Match[str]) -> str:
    return _SOUND_OF[match.lastgroup or "drop"]


@lru_cache(maxsize=500_000)
def skeleton(key: str) -> str:
    """The consonant skeleton of a key in sound classes: 'global' and 'gurobaru' (グローバル) are both 'grbr',
    'technology' and 'tekunoroji' (テクノロジー) both 'tknrs'."""
    return _REPEATS.sub(r"\1", _SOUND.sub(_sound, key))
