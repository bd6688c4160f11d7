"""Search in lists across Japanese and English: the words of a query widened by the translation matching uses.

A ministry's analyst types ドローン, 量子 or 捜索 into the seeds' list, where most records are English CORDIS projects;
an English reader types drone into the needs' list, where most needs are Japanese. A search that matches only the
characters typed finds nothing in the other language. Here each word of the query becomes a group, "the word as
typed OR any of its translations", and every group must match (AND across groups, OR within: a structured query,
as the matcher reads a Japanese need; Pirkola 1998).

Japanese → English: the matcher's own tokeniser and translator (kizashi.retrieval.matcher.default_stages: the
taxonomy's bilingual pairs first, then JMdict), and only the renderings that carry weight (`Translation.carried`), so
a rare sense never widens a search. A word the translator reads as one (量子暗号, ドローン) is one group; a word typed
without spaces that holds several (ドローン捜索, 倒壊建物内の要救助者の捜索) becomes one group per word the translator
reads, and one per other content word (建物内, without a translation: as typed), each as it is written inside the
typed word, so a record holding the typed word still matches; particles and affixes (の, 要, 者) are not searched for.

English → Japanese: the taxonomy's bilingual pairs read backwards (an English name, of one word or of up to
MAX_PHRASE_WORDS consecutive words of the query, gives the Japanese names of the same technology), then JMdict read
backwards: the Japanese words whose gloss is the English word exactly, kept only if reading them forwards with the
translator gives that word among their carried renderings (the same test as the other direction, so "search" widens
to 捜索 and 探索 but never to a word whose usual sense is another), most frequent first (JMdict's newspaper bands).
The backward look-up costs a few indexed reads of the JMdict SQLite database per new word (measured 0.2-7 ms, then
cached); it is what finds 量子 for "quantum", which the taxonomy does not pair alone, and 救助 for "rescue". A word of
MAX_ACRONYM_CHARS letters or fewer finds a taxonomy name only as typed: stemming makes AIS "ai", but AI is not AIS.

Bounds (so a query of any size costs bounded SQL; kizashi.store.records checks them again): at most
MAX_WIDENED_GROUPS groups of a query are widened (later words are searched as typed), each with at most
MAX_ALTERNATIVES alternatives (store.records.MAX_ALTERNATIVES), heaviest first, after dropping those another one
implies ("quantum cryptography" when "cryptography" is there) and one-character Japanese words (線, 術: inside too
many others).
"""

from __future__ import annotations

import sqlite3
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import cache, lru_cache
from pathlib import Path

from kizashi.errors import InputError
from kizashi.messages import Message
from kizashi.retrieval.matcher import default_stages
from kizashi.store.records import MAX_ALTERNATIVES, WORD_SEPARATORS, SearchGroup, at_word_start, literal_groups
from kizashi.text.normalise import is_japanese
from kizashi.text.tokenise import Tokeniser, surfaces
from kizashi.text.translate import Translation, Translator, jmdict_connection, load_taxonomy_pairs

__all__ = [
    "MAX_QUERY_CHARS",
    "MAX_WIDENED_GROUPS",
    "Widener",
    "default_widener",
    "search_groups",
]

MAX_QUERY_CHARS = 500  # as the pages and the API accept
MAX_WIDENED_GROUPS = 8
MAX_PHRASE_WORDS = 4
# JMdict entries read for one English word before the forward check; "line" has hundreds of glosses that start so.
MAX_DICTIONARY_ENTRIES = 60
# Dictionary words kept for one English word, after the forward check; the taxonomy's names come first.
MAX_DICTIONARY_WORDS = 6
MIN_JAPANESE_CHARS = 2
# A word of this many characters or fewer may be an acronym: it finds a taxonomy name only as typed (case aside).
MAX_ACRONYM_CHARS = 3

_ASCII_LOWER = str.maketrans("ABCDEFGHIJKLMNOPQRSTUVWXYZ", "abcdefghijklmnopqrstuvwxyz")


def _folded(text: str) -> str:
    """As both backends compare case-insensitively: ASCII letters only (SQLite's lower() folds nothing else)."""
    return text.translate(_ASCII_LOWER)


def _implies(inner: str, outer: str) -> bool:
    """Whether every value that matches `outer` as an alternative also matches `inner` (so `outer` adds nothing)."""
    if inner == outer:
        return False
    inner_f, outer_f = _folded(inner), _folded(outer)
    if not at_word_start(inner):
        return inner_f in outer_f
    at = outer_f.find(inner_f)
    while at >= 0:
        if at == 0 or outer_f[at - 1] in WORD_SEPARATORS:
            return True
        at = outer_f.find(inner_f, at + 1)
    return False


def _kept(words: Sequence[str], alternatives: Iterable[str], cap: int = MAX_ALTERNATIVES) -> tuple[str, ...]:
    """The alternatives worth a LIKE, in their order (heaviest first), at most `cap`: without repeats, without those
    that contain the typed word (a record with them holds the word already) or another alternative, and without
    one-character Japanese words."""
    candidates: list[str] = []
    seen: set[str] = set()
    for alternative in alternatives:
        text = " ".join(alternative.split())
        if not text or "\x00" in text or _folded(text) in seen:
            continue
        if is_japanese(text) and len(text) < MIN_JAPANESE_CHARS:
            continue
        if len(words) == 1 and _folded(words[0]) in _folded(text):
            continue
        seen.add(_folded(text))
        candidates.append(text)
    kept = [text for text in candidates if not any(_implies(other, text) for other in candidates)]
    return tuple(kept[:cap])


def _substring(word: str, piece: str) -> str | None:
    """`piece` as it is written inside `word` (compared as the backends compare), or None."""
    at = _folded(word).find(_folded(piece))
    return None if at < 0 or not piece else word[at : at + len(piece)]


@dataclass(frozen=True)
class _Segment:
    tokens: tuple[str, ...]
    alternatives: tuple[str, ...]


class Widener:
    """A query's words as groups widened by their translations. Build once and share (thread-safe): it reads the
    taxonomy's pairs once and caches dictionary look-ups."""

    def __init__(
        self,
        tokeniser: Tokeniser,
        translator: Translator,
        pairs: Iterable[tuple[str, str]] = (),
        *,
        dictionary: str | Path | None = None,
    ) -> None:
        self.tokeniser = tokeniser
        self.translator = translator
        # English name as terms → the Japanese names paired with it → that English name as written (Japanese script
        # only: a Latin "Japanese" name, UAV, is an English word already).
        english: dict[tuple[str, ...], dict[str, str]] = defaultdict(dict)
        for japanese, name in pairs:
            key = tuple(tokeniser.tokens(name, lang="en"))
            if key and is_japanese(japanese):
                english[key].setdefault(" ".join(japanese.split()), " ".join(name.split()))
        self._english = dict(english)
        self._dictionary = Path(dictionary) if dictionary is not None else None
        self.dictionary_words = lru_cache(maxsize=50_000)(self._dictionary_words)

    # -- Japanese → English ------------------------------------------------------------------------------------

    def _japanese(self, word: str) -> list[SearchGroup]:
        tokens = self.tokeniser.tokens(word, lang="ja")
        translations = self.translator.translate(tokens)
        if not any(translation.carried() for translation in translations):
            return [SearchGroup((word,))]
        segments = _segments(tokens, translations)
        if len(segments) == 1:
            return [SearchGroup((word,), _kept((word,), segments[0].alternatives))]
        written = surfaces(self.tokeniser, word)
        groups: list[SearchGroup] = []
        for segment in segments:
            pieces = [written.get(token, token) for token in segment.tokens]
            joined = _substring(word, "".join(pieces))
            found = [joined] if joined is not None else [_substring(word, piece) for piece in pieces]
            if any(piece is None for piece in found):
                return [SearchGroup((word,))]  # not as typed (a width or case folded): searched as typed
            words = tuple(dict.fromkeys(piece for piece in found if piece is not None))
            group = SearchGroup(words, _kept(words, segment.alternatives))
            if group not in groups:
                groups.append(group)
        return groups

    # -- English → Japanese ------------------------------------------------------------------------------------

    def _english_run(self, words: Sequence[str], start: int) -> tuple[SearchGroup, int]:
        """The group that starts at `words[start]`: the longest run of words that names a technology of the taxonomy
        (or a JMdict gloss), else the word alone with its dictionary words."""
        for length in range(min(MAX_PHRASE_WORDS, len(words) - start), 0, -1):
            run = words[start : start + length]
            if length > 1 and any(is_japanese(word) for word in run):
                continue
            terms = [self.tokeniser.tokens(word, lang="en") for word in run]
            if not terms[0] or not terms[-1]:
                continue  # a run starts and ends with a content word: "the drone" is "the" and "drone"
            key = tuple(term for word_terms in terms for term in word_terms)
            typed = " ".join(run)
            named = self._english.get(key, {})
            # An acronym's stem may be another's (AIS → ai): a short name counts only as typed (AI is not AIS).
            taxonomy = [
                ja for ja, name in named.items() if len(typed) > MAX_ACRONYM_CHARS or _folded(name) == _folded(typed)
            ]
            japanese = [*taxonomy, *self.dictionary_words(typed, key)]
            if japanese or length == 1:
                return SearchGroup(tuple(run), _kept(run, japanese)), length
        return SearchGroup((words[start],)), 1

    def _connection(self) -> sqlite3.Connection:
        return jmdict_connection(self._dictionary)

    def _dictionary_words(self, typed: str, terms: tuple[str, ...]) -> tuple[str, ...]:
        """Common JMdict words (written in kanji, or in kana when they have no kanji) with a gloss that is the English
        `typed` exactly ("search", "Search", "SEARCH", "to search", "search (for a person)"), kept when one of their
        carried renderings, as the translator reads them, is `terms`; at most MAX_DICTIONARY_WORDS, the most frequent
        first."""
        english = typed.casefold()
        db = self._connection()
        found = db.execute(
            "SELECT DISTINCT s.idseq FROM SenseGloss g JOIN Sense s ON s.ID = g.sid "
            "WHERE g.text IN (?, ?, ?, ?) OR (g.text >= ? AND g.text < ?) ORDER BY s.idseq LIMIT ?",
            (
                english,
                english.capitalize(),
                english.upper(),
                f"to {english}",
                f"{english} (",
                f"{english} )",
                MAX_DICTIONARY_ENTRIES,
            ),
        ).fetchall()
        scored: dict[str, tuple[int, float]] = {}
        for (idseq,) in found:
            forms = db.execute(
                "SELECT k.text, group_concat(p.text, ' ') FROM Kanji k JOIN KJP p ON p.kid = k.ID WHERE k.idseq = ? "
                "GROUP BY k.ID",
                (idseq,),
            ).fetchall()
            if not forms and not db.execute("SELECT 1 FROM Kanji WHERE idseq = ?", (idseq,)).fetchone():
                forms = db.execute(
                    "SELECT r.text, group_concat(p.text, ' ') FROM Kana r JOIN KNP p ON p.kid = r.ID "
                    "WHERE r.idseq = ? GROUP BY r.ID",
                    (idseq,),
                ).fetchall()
            for form, tags in forms:
                if form in scored or len(form) < MIN_JAPANESE_CHARS or not is_japanese(form):
                    continue
                renderings = self.translator.glossary.renderings(form)
                carried = Translation(form, "dictionary", renderings).carried()
                weight = max((r.weight for r in carried if r.terms == terms), default=0.0)
                if weight > 0:
                    scored[form] = (_frequency_band(tags), weight)
        # The most frequent words first (JMdict's nfXX bands, from newspaper frequency), then those the English word
        # translates most strongly: 攻撃 before 発病 for "attack", though 発病 has no other sense.
        ranked = sorted(scored, key=lambda form: (scored[form][0], -scored[form][1], form))
        return tuple(ranked[:MAX_DICTIONARY_WORDS])

    # -- the query ---------------------------------------------------------------------------------------------

    def widen(self, query: str) -> tuple[SearchGroup, ...]:
        """The groups of `query`, in its order: its words (split at white space) with their translations; at most
        MAX_WIDENED_GROUPS of them widened. InputError for a query over MAX_QUERY_CHARS or with a NUL."""
        _check(query)
        words = query.split()
        groups: list[SearchGroup] = []
        position = 0
        while position < len(words):
            word = words[position]
            if is_japanese(word):
                found, used = self._japanese(word), 1
            else:
                group, used = self._english_run(words, position)
                found = [group]
            for group in found:
                if group not in groups:
                    groups.append(group)
            position += used
        widened = 0
        out: list[SearchGroup] = []
        for group in groups:
            if group.alternatives and widened < MAX_WIDENED_GROUPS:
                widened += 1
                out.append(group)
            else:
                # searched as typed: a run of words read as one name becomes its words again
                out.extend(SearchGroup((word,)) for word in group.words)
        return tuple(dict.fromkeys(out))


def _frequency_band(tags: str | None) -> int:
    """JMdict's frequency band of a form: nf01 (the 500 most frequent words of a newspaper corpus) to nf48; a common
    form without a band after them."""
    bands = [int(tag[2:]) for tag in (tags or "").split() if tag.startswith("nf") and tag[2:].isdigit()]
    return min(bands, default=49)


def _check(query: str) -> None:
    if len(query) > MAX_QUERY_CHARS:
        raise InputError(Message("a search may be at most {limit} characters long", limit=MAX_QUERY_CHARS), field="q")
    if "\x00" in query:
        raise InputError(Message("a search may not contain a NUL character"), field="q")


def _segments(tokens: Sequence[str], translations: Sequence[Translation]) -> list[_Segment]:
    """The tokens in order as segments: each translated word with its carried renderings (as written), and each
    token no translation covers on its own, without any. The translator returns its words in text order, each the
    concatenation of consecutive tokens."""
    segments: list[_Segment] = []
    position = 0
    for translation in translations:
        start, length = _find(tokens, translation.japanese, position)
        if start < 0:
            continue
        segments.extend(_Segment((token,), ()) for token in tokens[position:start])
        alternatives = tuple(rendering.english for rendering in translation.carried())
        segments.append(_Segment(tuple(tokens[start : start + length]), alternatives))
        position = start + length
    segments.extend(_Segment((token,), ()) for token in tokens[position:])
    return segments


def _find(tokens: Sequence[str], japanese: str, position: int) -> tuple[int, int]:
    for start in range(position, len(tokens)):
        joined = ""
        for end in range(start, len(tokens)):
            joined += tokens[end]
            if joined == japanese:
                return start, end - start + 1
            if not japanese.startswith(joined):
                break
    return -1, 0


@cache
def default_widener() -> Widener:
    """The widener with the matcher's tokeniser and translator and the bundled taxonomy, built once per process."""
    tokeniser, _tagger, translator = default_stages()
    return Widener(tokeniser, translator, load_taxonomy_pairs())


def search_groups(query: str, *, literal: bool = False) -> tuple[SearchGroup, ...]:
    """The groups a search for `query` looks for: its words as typed with `literal`, else widened across languages.
    An empty query is no group (every record matches) and loads nothing."""
    _check(query)
    if literal or not query.split():
        return literal_groups(query)
    return default_widener().widen(query)
