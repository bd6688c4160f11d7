"""Words: made-up sub-topic and technology vocabularies, the lexicon every text is drawn from, and each sub-topic's
OpenAlex topic and keywords."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np

from kizashi.know.landscape.planted.data import AREAS, FILLER, LEAVES, OA, TOPIC_BASE, Ints, Strings

_CONSONANTS = "bdfgklmnprstvz"
_VOWELS = "aiou"  # no e or y: the English stemmer leaves words ending in these vowels whole
SUBTOPIC_WORDS = 24
TECHNOLOGY_WORDS = 12
BACKGROUND_SUBTOPICS = 3
MAX_SUBTOPICS = 3


def made_up_words(count: int) -> list[str]:
    """`count` distinct three-syllable made-up words (consonant + vowel), the same on every call.

    Made-up words give each sub-topic a vocabulary that no other sub-topic, filler word or technology name shares.
    """
    rng = np.random.default_rng(20_240_917)
    taken = {word.lower() for word in FILLER}
    for entry in (*AREAS, *LEAVES):
        for phrase in (entry["name_en"], *entry["synonyms_en"]):
            taken.update(phrase.lower().split())
    words: list[str] = []
    while len(words) < count:
        letters = rng.integers(0, [len(_CONSONANTS), len(_VOWELS)] * 3, size=(count, 6))
        for row in letters.tolist():
            word = "".join(_CONSONANTS[row[i]] if i % 2 == 0 else _VOWELS[row[i]] for i in range(6))
            if word not in taken:
                taken.add(word)
                words.append(word)
                if len(words) == count:
                    break
    return words


@dataclass
class _Lexicon:
    """Every word a text can hold, each in four forms (word, Word, word., Word.), deduplicated to `strings`."""

    strings: Strings
    form: Ints  # vocabulary id * 4 + capital + 2 * full stop → index into strings
    technology_offset: int  # vocabulary ids: filler, then technology words, then sub-topic words, then phrase words
    subtopic_offset: int
    phrase_words: Ints  # vocabulary ids of every English phrase's words, phrase after phrase
    phrase_start: Ints
    phrase_length: Ints
    technology_phrase: Ints  # each technology's first phrase
    technology_phrases: Ints  # and how many it has
    phrases_ja: list[list[str]]


def _lexicon(technology_words: list[str], subtopic_words: list[str]) -> _Lexicon:
    vocabulary = [*FILLER, *technology_words, *subtopic_words]
    phrases = [[phrase.split() for phrase in (entry["name_en"], *entry["synonyms_en"])] for entry in LEAVES]
    extra = sorted({word for own in phrases for phrase in own for word in phrase} - set(vocabulary))
    vocabulary += extra
    position = {word: k for k, word in enumerate(vocabulary)}
    flat = [phrase for own in phrases for phrase in own]
    forms = [form for word in vocabulary for form in (word, _capital(word), word + ".", _capital(word) + ".")]
    strings, form = np.unique(np.array(forms, dtype=object), return_inverse=True)
    lengths = np.array([len(phrase) for phrase in flat], dtype=np.int64)
    counts = np.array([len(own) for own in phrases], dtype=np.int64)
    return _Lexicon(
        strings=strings,
        form=np.asarray(form, dtype=np.int64),
        technology_offset=len(FILLER),
        subtopic_offset=len(FILLER) + len(technology_words),
        phrase_words=np.array([position[word] for phrase in flat for word in phrase], dtype=np.int64),
        phrase_start=np.concatenate([[0], np.cumsum(lengths)[:-1]]).astype(np.int64),
        phrase_length=lengths,
        technology_phrase=np.concatenate([[0], np.cumsum(counts)[:-1]]).astype(np.int64),
        technology_phrases=counts,
        phrases_ja=[[entry["name_ja"], *entry["synonyms_ja"]] for entry in LEAVES],
    )


def _capital(word: str) -> str:
    return word[:1].upper() + word[1:]


def _topics(names: list[str], words: list[str], technology_words: list[str], owner: list[int]) -> list[dict[str, Any]]:
    """An OpenAlex topic per sub-topic, named after its words (hierarchy included, as OpenAlex gives it)."""
    topics: list[dict[str, Any]] = []
    for i, row in enumerate(owner):
        a, b = words[i * SUBTOPIC_WORDS], words[i * SUBTOPIC_WORDS + 1]
        subfield = technology_words[row * TECHNOLOGY_WORDS + 1].title()
        topics.append(
            {
                "id": f"{OA}T{TOPIC_BASE + i}",
                "display_name": f"{a.title()} and {b.title()} Studies",
                "score": 0.95,
                "subfield": {"id": f"{OA}subfields/{9000 + row}", "display_name": f"{subfield} Studies"},
                "field": {"id": f"{OA}fields/99", "display_name": "Planted Studies"},
                "domain": {"id": f"{OA}domains/9", "display_name": "Planted Sciences"},
            }
        )
    return topics


def _keywords(words: list[str]) -> list[dict[str, Any]]:
    """Six keywords of a sub-topic, each two of its words; a work takes three in a row."""
    return [
        {
            "id": f"{OA}keywords/{words[i]}-{words[i + 1]}",
            "display_name": f"{words[i].title()} {words[i + 1].title()}",
            "score": round(0.7 - 0.025 * i, 3),
        }
        for i in range(0, 12, 2)
    ]
