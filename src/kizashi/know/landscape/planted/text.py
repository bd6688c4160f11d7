"""Titles and abstracts of a chunk of works: the technologies' phrases inserted into runs of sub-topic, technology
and filler words, built for all texts at once; and OpenAlex's inverted index of each abstract."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from kizashi.know.landscape.planted.data import FILLER, FILLER_JA, Bools, Floats, Ints
from kizashi.know.landscape.planted.draws import _flat
from kizashi.know.landscape.planted.vocabulary import SUBTOPIC_WORDS, TECHNOLOGY_WORDS, _Lexicon


@dataclass
class _Inserts:
    """Phrases to put into texts: the text (work in the chunk), the phrase, and the gap (before word `gap`)."""

    work: Ints
    phrase: Ints
    gap: Ints


@dataclass
class _Texts:
    """Texts of a chunk in reading order: each word's form (index into the lexicon's strings)."""

    form: Ints
    start: Ints  # where each text starts; m + 1 values


def _japanese_title(names: list[str], u: list[float]) -> str:
    """The technology's Japanese name (or a synonym) and two different filler phrases."""
    size = len(FILLER_JA)
    a = int(u[1] * size)
    b = (a + 1 + int(u[2] * (size - 1))) % size
    return f"{names[int(u[0] * len(names))]}の{FILLER_JA[a]}と{FILLER_JA[b]}"


def _inserts(
    lexicon: _Lexicon,
    rng: np.random.Generator,
    technology: Ints,
    second: Ints,
    japanese: Bools,
    no_abstract: Bools,
    title_length: Ints,
    abstract_length: Ints,
) -> tuple[_Inserts, _Inserts]:
    """Where the phrases go: a work names its technology in its title, its abstract or both (the title when it
    has no abstract); a second technology goes into the abstract (the title when there is none). Two phrases in
    one text never share a gap, so a word always separates them."""
    m = len(technology)
    english = (technology >= 0) & ~japanese
    u = rng.random((m, 6))
    title = english & (no_abstract | (u[:, 0] < 0.5))
    abstract = english & ~no_abstract & (~title | (u[:, 1] < 0.6))
    primary = _phrase(lexicon, technology, u[:, 2])
    other = _phrase(lexicon, second, u[:, 3])
    has_other = second >= 0
    first_title = (u[:, 4] * (title_length + 1)).astype(np.int64)
    first_abstract = (u[:, 4] * (abstract_length + 1)).astype(np.int64)
    other_title = _other_gap(first_title, u[:, 5], title_length)
    other_abstract = np.where(abstract, _other_gap(first_abstract, u[:, 5], abstract_length), first_abstract)
    other_in_title = has_other & no_abstract
    other_in_abstract = has_other & ~no_abstract
    works = np.arange(m)
    in_title = _Inserts(
        np.concatenate([works[title], works[other_in_title]]),
        np.concatenate([primary[title], other[other_in_title]]),
        np.concatenate([first_title[title], other_title[other_in_title]]),
    )
    in_abstract = _Inserts(
        np.concatenate([works[abstract], works[other_in_abstract]]),
        np.concatenate([primary[abstract], other[other_in_abstract]]),
        np.concatenate([first_abstract[abstract], other_abstract[other_in_abstract]]),
    )
    return in_title, in_abstract


def _phrase(lexicon: _Lexicon, technology: Ints, u: Floats) -> Ints:
    """One of the technology's English phrases (its name or a synonym), at random; -1 where there is none."""
    t = np.clip(technology, 0, None)
    chosen = lexicon.technology_phrase[t] + (u * lexicon.technology_phrases[t]).astype(np.int64)
    return np.where(technology >= 0, chosen, -1)


def _other_gap(first: Ints, u: Floats, length: Ints) -> Ints:
    """A gap in [0, length] other than `first`."""
    other = (u * length).astype(np.int64)
    return other + (other >= first)


def _texts(
    lexicon: _Lexicon,
    rng: np.random.Generator,
    lengths: Ints,
    row: Ints,
    subtopic: Ints,
    mix: tuple[float, float],
    inserts: _Inserts,
    sentence: Ints | None,
) -> _Texts:
    """Texts of these lengths from sub-topic words, technology words and filler (in the proportions `mix`), the
    phrases inserted, full stops every `sentence` words (when given) and a capital at the start of each sentence."""
    owner, start = _flat(lengths)
    j = np.arange(len(owner)) - start[owner]
    words = _words(lexicon, rng, row[owner], subtopic[owner], mix)
    form = words * 4
    if sentence is not None:
        every = sentence[owner]
        form += (j % every == 0) + 2 * ((j % every == every - 1) | (j == lengths[owner] - 1))
    # Phrases sort before the word at their gap (key 2 * gap), base words after (key 2 * j + 1).
    phrase_length = lexicon.phrase_length[inserts.phrase]
    which, phrase_start = _flat(phrase_length)
    k = np.arange(len(which)) - phrase_start[which]
    phrase_words = lexicon.phrase_words[lexicon.phrase_start[inserts.phrase[which]] + k]
    work = np.concatenate([owner, inserts.work[which]])
    key = np.concatenate([2 * j + 1, 2 * inserts.gap[which]])
    order = np.lexsort((np.concatenate([np.zeros_like(j), k]), key, work))
    form = np.concatenate([form, phrase_words * 4])[order]
    total = lengths + np.bincount(inserts.work, weights=phrase_length, minlength=len(lengths)).astype(np.int64)
    _, text_start = _flat(total)
    form[text_start[:-1][total > 0]] |= 1  # every text starts with a capital
    return _Texts(lexicon.form[form], text_start)


def _words(lexicon: _Lexicon, rng: np.random.Generator, row: Ints, subtopic: Ints, mix: tuple[float, float]) -> Ints:
    """Vocabulary ids: a sub-topic word with chance mix[0], a technology word with chance mix[1], else filler."""
    u = rng.random(len(row))
    pick = rng.integers(0, 1 << 30, len(row))
    technology_word = lexicon.technology_offset + row * TECHNOLOGY_WORDS + pick % TECHNOLOGY_WORDS
    subtopic_word = lexicon.subtopic_offset + subtopic * SUBTOPIC_WORDS + pick % SUBTOPIC_WORDS
    return np.where(u < mix[0], subtopic_word, np.where(u < mix[0] + mix[1], technology_word, pick % len(FILLER)))


def _inverted_indexes(lexicon: _Lexicon, texts: _Texts) -> list[dict[str, list[int]] | None]:
    """OpenAlex's abstract_inverted_index of each text (word → its positions); None for a text without words."""
    words = lexicon.strings[texts.form].tolist()
    bounds = texts.start.tolist()
    indexes: list[dict[str, list[int]] | None] = []
    for i in range(len(bounds) - 1):
        if bounds[i] == bounds[i + 1]:
            indexes.append(None)
            continue
        index: dict[str, list[int]] = {}
        for position, word in enumerate(words[bounds[i] : bounds[i + 1]]):
            found = index.get(word)
            if found is None:
                index[word] = [position]
            else:
                found.append(position)
        indexes.append(index)
    return indexes
