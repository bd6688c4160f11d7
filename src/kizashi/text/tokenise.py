"""The second stage of the text pipeline: normalised text → index terms, Japanese and English alike.

Japanese goes through Sudachi (split mode B, normalised forms, content words only); words in other scripts, including
the Latin words inside Japanese text ("無人機によるLiDAR計測"), go through the Snowball English stemmer, so "LiDAR" in
a ministry's need and "lidar" in an English abstract become the same term.
"""

from __future__ import annotations

import re
import threading
from collections import defaultdict
from collections.abc import Collection, Iterable, Iterator, Mapping, Sequence
from functools import lru_cache
from typing import TYPE_CHECKING

import Stemmer
from sudachipy import Dictionary, SplitMode

from kizashi.text.normalise import is_japanese, normalise

if TYPE_CHECKING:
    from sudachipy import Morpheme, Tokenizer

__all__ = ["ENGLISH_STOP_WORDS", "JAPANESE_STOP_WORDS", "SUDACHI_MAX_CHARS", "Tokeniser", "chunks", "english_term"]

# Sudachi refuses input over 49,149 UTF-8 bytes. A character is at most 4 bytes, so this many characters always fit
# without encoding the text to measure it.
SUDACHI_MAX_CHARS = 12_000
# Where a chunk may end, best first: after a sentence, after a clause, at a space. The lookbehind keeps the
# punctuation with its sentence.
_CUTS = (re.compile(r"(?<=[。!?])|(?<=\. )"), re.compile(r"(?<=[、,;・])"), re.compile(r"(?<= )"))

# A word outside Japanese script: letters and digits. Apostrophes split ("drone's" → drone + s, "don't" → don + t)
# as Sudachi splits them in Japanese text, so that a Latin word gives the same terms in either; the pieces left
# over are single letters or on the stop list. `[^\W_]` is `\w` without the underscore.
_WORD = re.compile(r"[^\W_]+")
_HAS_LETTER = re.compile(r"[^\W\d_]")

# Function words of English; a short list on purpose: BM25's IDF already discounts what is frequent in a corpus,
# and a long list would remove words that are terms here ("can" as in container, "us" as in the country).
ENGLISH_STOP_WORDS = frozenset(
    """
    a about above after again against all also am an and any are as at be because been before being below between both
    but by could did do does doing down during each few for from further had has have having he her here hers herself
    him himself his how however i if in into is it its itself just may me might more most must my myself no nor not of
    off on once only or other our ours ourselves out over own same she should so some such than that the their theirs
    them themselves then there these they this those through thus to too under until up upon very via was we were what
    when where whether which while who whom why will with within without would you your yours yourself yourselves
    aren couldn didn doesn don hadn hasn haven isn ll mustn re shouldn ve wasn weren wouldn
    """.split()  # noqa: SIM905 (a word list reads better as text)
)

# Content words by part of speech that still carry no topic: formal nouns (こと, ため) and the verbs of functional
# phrases (について → つく, において → おく, による → よる). Normalised forms, as Sudachi gives them.
JAPANESE_STOP_WORDS = frozenset(
    """
    事 こと 物 もの 為 ため 所 ところ 様 よう 方 場合 等 など
    つく 付く 就く おく 於く 置く よる 因る 依る 関する 対する 通じる 基づく 伴う 向ける 含む 行う 用いる
    為る 成る 有る 在る 居る 出来る 言う 思う
    """.split()  # noqa: SIM905 (a word list reads better as text)
)


def _content_pos(pos: tuple[str, ...]) -> bool:
    """Nouns, verbs, adjectives and adjectival nouns; not their dependent uses, numerals or affixes.

    非自立可能 marks words that are mostly grammar (する, なる, できる, ある, いる); 数詞 numerals, which match
    everything and mean nothing on their own; 助動詞語幹 the よう of ようになる. Prefixes and suffixes (要救助者's 要
    and 者) are dropped so that 救助 matches 救助.
    """
    major, minor = pos[0], pos[1]
    if major == "名詞":
        return minor != "数詞"
    if major in ("動詞", "形容詞"):
        return minor != "非自立可能"
    if major == "形状詞":
        return minor != "助動詞語幹"
    return False


# What a part of speech is to the tokeniser; looked up by Sudachi's POS id, one call per morpheme.
_OTHER, _CONTENT, _COUNTER, _NUMERAL = 0, 1, 2, 3


def _kind(pos: tuple[str, ...]) -> int:
    if pos[:2] == ("名詞", "数詞"):
        return _NUMERAL
    if not _content_pos(pos):
        return _OTHER
    # 年, 人, 台: content words, except right after a number (2024年, 三人), where they say how much, not what about.
    return _COUNTER if pos[2] == "助数詞可能" else _CONTENT


class _Stemmers(threading.local):
    # PyStemmer keeps state inside an instance, so each thread has its own.
    def __init__(self) -> None:
        self.english = Stemmer.Stemmer("english")


_STEMMERS = _Stemmers()


@lru_cache(maxsize=200_000)
def english_term(word: str) -> str | None:
    """The index term of one word outside Japanese script, or None for a stop word, a number or a single letter.

    Cached: a corpus repeats its words, and the stemmer costs more than the lookup.
    """
    if len(word) < 2 or word in ENGLISH_STOP_WORDS or not _HAS_LETTER.search(word):
        return None
    stem: str = _STEMMERS.english.stemWord(word)
    return stem


def _english_terms(text: str, out: list[str], words: set[str] | None = None) -> None:
    found = _WORD.findall(text)
    if words is not None:
        words.update(found)
    for word in found:
        term = english_term(word)
        if term is not None:
            out.append(term)


def _first_word(text: str, words: Sequence[str]) -> str | None:
    """The word of `words` that occurs first in `text` as a whole word (as _WORD reads words)."""
    best: tuple[int, str] | None = None
    for word in words:
        start = text.find(word)
        while start >= 0 and (best is None or start < best[0]):
            end = start + len(word)
            if (start == 0 or not _is_word_char(text[start - 1])) and (
                end == len(text) or not _is_word_char(text[end])
            ):
                best = (start, word)
                break
            start = text.find(word, start + 1)
    return None if best is None else best[1]


def _is_word_char(char: str) -> bool:
    return char.isalnum()  # what [^\W_] matches


def _last_cut(pattern: re.Pattern[str], window: str, start: int) -> int | None:
    return max((match.start() for match in pattern.finditer(window, start)), default=None)


def chunks(text: str, limit: int = SUDACHI_MAX_CHARS) -> Iterator[str]:
    """Pieces of at most `limit` characters, cut at sentence ends where there are any, else at clauses or spaces.

    A piece with none of them (a 12,000-character run without punctuation) is cut at the limit: one word broken in
    two is better than refusing the text.
    """
    start = 0
    while len(text) - start > limit:
        window = text[start : start + limit]
        # Only the second half of a window is searched, so that no piece is short (one call per sentence would cost
        # Sudachi's per-call overhead on every sentence).
        end = next(
            (cut for cut in (_last_cut(pattern, window, limit // 2) for pattern in _CUTS) if cut is not None),
            limit,
        )
        yield text[start : start + end]
        start += end
    if start < len(text):
        yield text[start:]


class Tokeniser:
    """Index terms of Japanese, English and mixed text. Construct once and share: each instance opens Sudachi's
    dictionary (about 40 ms, memory-mapped) and builds its part-of-speech table.

    Safe to share between threads: the dictionary is shared, and each thread gets its own Sudachi tokenizer (one
    tokenizer may not be used by two threads at once).
    """

    # Mode B, the middle unit: A splits 無人機 into 無人 + 機 (and 機 then matches every machine); C keeps
    # compounds whole, so サイバー攻撃 would not match 攻撃. B gives 無人機, サイバー, 攻撃.
    MODE = SplitMode.B

    def __init__(self) -> None:
        self._dictionary = Dictionary(dict="core")
        kinds: list[int] = []
        while (pos := self._dictionary.pos_of(len(kinds))) is not None:
            kinds.append(_kind(pos))
        self._kinds = tuple(kinds)
        self._local = threading.local()

    def _sudachi(self) -> Tokenizer:
        tokenizer: Tokenizer | None = getattr(self._local, "tokenizer", None)
        if tokenizer is None:
            tokenizer = self._dictionary.tokenizer(mode=self.MODE)
            self._local.tokenizer = tokenizer
        return tokenizer

    def tokens(self, text: str, lang: str | None = None, words: set[str] | None = None) -> list[str]:
        """The index terms of `text`, in order, repeats kept (BM25 counts them); [] for empty or blank text.

        `lang` is the record's declared language, if any. "ja" sends the text through Sudachi; otherwise the text's
        own script decides, so an "en" record that quotes Japanese still yields its Japanese words. Words in scripts
        other than Japanese and Latin (Hangul, Cyrillic) are kept as they are, case-folded and unstemmed.
        `words` collects the words outside Japanese script as the text writes them (for `word_forms`).
        """
        text = normalise(text)
        if not text:
            return []
        out: list[str] = []
        if lang == "ja" or is_japanese(text):
            tokenizer = self._sudachi()
            for piece in chunks(text):
                self._japanese_terms(tokenizer.tokenize(piece), out, words)
        else:
            _english_terms(text, out, words)
        return out

    def _japanese_terms(self, morphemes: Iterable[Morpheme], out: list[str], words: set[str] | None) -> None:
        kinds = self._kinds
        # Text outside Japanese script is collected, as it stands, and read by the English path once the run ends:
        # Sudachi's view of it is not what an English text gives. It splits "5G" into 5 + G and "A4" into A + 4,
        # tags "yo" as a particle, and normalises "drone" to ドローン, "e-mail" to Eメール but "LiDAR" to lidar.
        latin = ""
        after_number = False
        for morpheme in morphemes:
            surface = morpheme.surface()
            kind = kinds[morpheme.part_of_speech_id()]
            if surface.isascii():
                latin += surface
                after_number = kind == _NUMERAL
                continue
            is_content = kind == _CONTENT or (kind == _COUNTER and not after_number)
            after_number = kind == _NUMERAL
            if kind != _OTHER and kind != _NUMERAL and not is_japanese(surface):
                latin += surface  # café, naïve: Latin beyond ASCII
                continue
            if latin:
                _english_terms(latin, out, words)
                latin = ""
            if is_content:
                term = morpheme.normalized_form()
                if term not in JAPANESE_STOP_WORDS:
                    out.append(term)
        if latin:
            _english_terms(latin, out, words)


def word_forms(words: Iterable[str]) -> dict[str, tuple[str, ...]]:
    """term → the words that give it (detection, detecting → detect): what `surfaces` looks for in a text whose
    vocabulary is known, instead of reading every word of it."""
    forms: dict[str, list[str]] = defaultdict(list)
    for word in words:
        term = english_term(word)
        if term is not None:
            forms[term].append(word)
    return {term: tuple(sorted(found)) for term, found in forms.items()}


def surfaces(
    tokeniser: Tokeniser,
    text: str,
    wanted: Collection[str] | None = None,
    forms: Mapping[str, Sequence[str]] | None = None,
) -> dict[str, str]:
    """term → the first word of the (normalised) text that gives it: evidence shown in the text's own words.
    With `wanted`, only those terms, and the scan stops once all are found. With `forms` (from `word_forms` over a
    vocabulary that includes this text's words) the wanted terms are searched for by their words, which is much
    faster on a long text than reading all of it.

    Slower than `tokens` (a second pass); meant for the few terms a match shows, not for indexing.
    """
    text = normalise(text)
    found: dict[str, str] = {}
    missing = None if wanted is None else set(wanted)
    if missing is not None and forms is not None and not is_japanese(text):
        for wanted_term in missing:
            first = _first_word(text, forms.get(wanted_term, ()))
            if first is not None:
                found[wanted_term] = first
        return found
    for word in dict.fromkeys(_WORD.findall(text)):  # each distinct word once, in order
        term = english_term(word)
        if term is not None and term not in found and (missing is None or term in missing):
            found[term] = word
            if missing is not None:
                missing.discard(term)
                if not missing:
                    return found
    if is_japanese(text):
        tokenizer = tokeniser._sudachi()
        for piece in chunks(text):
            for morpheme in tokenizer.tokenize(piece):
                surface = morpheme.surface()
                term = morpheme.normalized_form()
                if not surface.isascii() and (missing is None or term in missing):
                    found.setdefault(term, surface)
    return found
