"""A token blocking index over list names, so that a query scores a handful of candidates instead of the whole list.

Every name (primary, aliases and their bracketed parts, in each reading) is one record of matching keys. Each key is
posted under up to four blocking keys: itself; its sound skeleton (Mohammed/Muhammad, グローバル/global); for longer
keys its first four letters (Haniya/Haniyya); for longer skeletons their first three classes, so that one katakana
word meets the two English words it renders (キドマテック / Kidma Tech). A query gathers the postings of its tokens'
blocking keys, rarest first, within a budget (very frequent keys such as "trading" or "al" are skipped when rarer
ones exist; a query of common words only takes the names that have them all), adds the token weights per record,
and keeps the best few records for full scoring (score.py).
"""

from __future__ import annotations

import gc
import itertools
import math
import sys
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

from kizashi.protect.screening import korean
from kizashi.protect.screening.entries import ListEntry, ListVersion, ScreeningList
from kizashi.protect.screening.names import NameForm, analyse, has_han, name_variants, skeleton
from kizashi.protect.screening.vocabulary import GENERIC_WEIGHT, GENERIC_WORDS

__all__ = ["NameIndex", "NameRecord", "Postings", "blocking_keys"]

_PREFIX = 4
_SOUND_PREFIX = 3
# Postings read per query at most; the rarest keys come first, so a query over a million names stays fast and the
# keys skipped are the ones that say least.
_BUDGET = 8_000
_KEEP = 0.5  # a candidate must gather this share of the best candidate's block weight
_CANDIDATES, _PHONETIC_CANDIDATES = 5, 10  # scored in full per query form
_LARGE = 100_000  # entries in a list from which building the index ends with a full collection


class Postings:
    """Blocking key → record numbers. Lists while names are added; then packed into one int32 array with a slice per
    key (a third of the memory of a million Python lists, and a query adds them up in numpy)."""

    def __init__(self) -> None:
        self._lists: dict[str, list[int]] = {}
        self._slots: dict[str, tuple[int, int]] = {}
        self._flat: NDArray[np.int32] = np.zeros(0, dtype=np.int32)

    def add(self, block: str, record: int) -> None:
        if self._slots:
            self._unpack()
        self._lists.setdefault(block, []).append(record)

    def size(self, block: str) -> int:
        if self._lists:
            self.pack()
        slot = self._slots.get(block)
        return slot[1] - slot[0] if slot else 0

    def get(self, block: str) -> NDArray[np.int32]:
        start, end = self._slots[block]
        return self._flat[start:end]

    def __len__(self) -> int:
        return len(self._slots) + len(self._lists)

    def pack(self) -> None:
        if not self._lists:
            return
        sizes = np.fromiter((len(v) for v in self._lists.values()), dtype=np.int64, count=len(self._lists))
        ends = np.cumsum(sizes)
        self._flat = np.fromiter(
            itertools.chain.from_iterable(self._lists.values()), dtype=np.int32, count=int(ends[-1]) if len(ends) else 0
        )
        self._slots = {
            block: (int(end - size), int(end)) for block, size, end in zip(self._lists, sizes, ends, strict=True)
        }
        self._lists = {}

    def _unpack(self) -> None:
        self._lists = {block: self._flat[start:end].tolist() for block, (start, end) in self._slots.items()}
        self._slots, self._flat = {}, np.zeros(0, dtype=np.int32)


@dataclass(frozen=True, slots=True)
class NameRecord:
    entry: int  # position in NameIndex.entries
    text: str  # the name as the list writes it (a variant of one of the entry's names)
    keys: tuple[str, ...]
    legal_forms: tuple[str, ...]
    phonetic: bool


def blocking_keys(key: str) -> list[tuple[str, float]]:
    """(blocking key, share of the token's weight it carries)."""
    found = [(key, 1.0)]
    sound = skeleton(key)
    if len(sound) >= 2:
        found.append(("~" + sound, 0.7))
    if len(sound) > _SOUND_PREFIX:
        # A katakana word for two English ones (キドマテック / Kidma Tech) shares the start of its skeleton.
        found.append(("=" + sound[:_SOUND_PREFIX], 0.5))
    if len(key) > _PREFIX:
        found.append(("^" + key[:_PREFIX], 0.7))
    return found


class NameIndex:
    def __init__(self, lists: Sequence[ScreeningList] = (), *, aliases: bool = True) -> None:
        self.entries: list[ListEntry] = []
        self.versions: list[ListVersion] = []
        self.entry_version: list[int] = []
        self.records: list[NameRecord] = []
        self.postings = Postings()
        # Caches, emptied whenever names are added (the counts change).
        self._weights: dict[str, float] = {}
        self._record_weights: dict[int, tuple[float, ...]] = {}
        self._korean: dict[int, int] = {}  # entry → korean.level, asked only for queries with kanji
        for screening_list in lists:
            self.add(screening_list, aliases=aliases)

    def add(self, screening_list: ScreeningList, *, aliases: bool = True) -> None:
        version = len(self.versions)
        self.versions.append(screening_list.version)
        # Millions of small objects and no cycles among them: the cyclic collector would rescan them all, again
        # and again, as the index grows.
        collecting = gc.isenabled()
        gc.disable()
        try:
            for entry in screening_list.entries:
                self.add_entry(entry, version, aliases=aliases)
        finally:
            self.postings.pack()
            if collecting:
                gc.enable()
                if len(screening_list.entries) > _LARGE:
                    # Pay the collector's debt for the new objects now, not in the middle of the first queries.
                    gc.collect()

    def add_entry(self, entry: ListEntry, version: int, *, aliases: bool = True) -> None:
        number = len(self.entries)
        self.entries.append(entry)
        self.entry_version.append(version)
        names = entry.names if aliases else (entry.name,)
        seen: set[tuple[str, ...]] = set()
        kanji = []
        for name in names:
            for variant in name_variants(name):
                for form in analyse(variant, korean_reading=False):
                    if form.keys and form.keys not in seen:
                        seen.add(form.keys)
                        self._post(number, variant, form)
                if has_han(variant):
                    kanji.append(variant)
        if kanji and self.korean(number):
            # A Korean entry's name in kanji is read in Korean as well (a Japanese list may write 朝鮮連峰総会社).
            for variant in kanji:
                for form in analyse(variant):
                    if form.reading and form.keys and form.keys not in seen:
                        seen.add(form.keys)
                        self._post(number, variant, form)

    def korean(self, entry: int) -> int:
        """How surely an entry is Korean (korean.level): a name's kanji read in Korean are compared with it only
        when it may be, and read otherwise not with its Latin names when it certainly is."""
        found = self._korean.get(entry)
        if found is None:
            found = self._korean[entry] = korean.level(self.entries[entry])
        return found

    def _post(self, entry: int, text: str, form: NameForm) -> None:
        if self._weights:
            self._weights.clear()
            self._record_weights.clear()
        record = len(self.records)
        keys = tuple(sys.intern(key) for key in form.keys)
        self.records.append(NameRecord(entry, text, keys, form.legal_forms, form.phonetic))
        posted: set[str] = set()
        for key in keys:
            for block, _ in blocking_keys(key):
                if block not in posted:
                    posted.add(block)
                    self.postings.add(block, record)

    def record_weights(self, number: int) -> tuple[float, ...]:
        cached = self._record_weights.get(number)
        if cached is None:
            cached = tuple(self.weight(key) for key in self.records[number].keys)
            self._record_weights[number] = cached
        return cached

    def __len__(self) -> int:
        return len(self.entries)

    # --- weights ---------------------------------------------------------------------------------------------------

    def weight(self, key: str) -> float:
        """Inverse document frequency of a key over the names: rare tokens (a surname, a company's own word) weigh
        more than "trading", "company" or "al". A key no list name has weighs as the rarest."""
        cached = self._weights.get(key)
        if cached is None:
            df = self.postings.size(key)
            rarity = math.log((len(self.records) + 1) / (df + 1)) + 0.1
            # Kind-of-organisation words and single letters (initials, "A" of "A/S") say little about which party.
            cached = rarity * GENERIC_WEIGHT if key in GENERIC_WORDS or len(key) == 1 else rarity
            self._weights[key] = cached
        return cached

    # --- candidates ------------------------------------------------------------------------------------------------

    def candidates(self, keys: Iterable[str], limit: int | None = None, *, phonetic: bool = False) -> list[int]:
        """Record numbers most likely to match `keys`, best first, at most `limit`. The coarse sound-prefix blocks
        are read only for a `phonetic` query (one read out of kana): they are what a katakana compound needs, and
        too wide for spellings; such a query also keeps more candidates, as its block weights say less."""
        if limit is None:
            limit = _PHONETIC_CANDIDATES if phonetic else _CANDIDATES
        blocks: list[tuple[int, str, float]] = []
        postings = self.postings
        for key in keys:
            weight = self.weight(key)
            for block, share in blocking_keys(key):
                if block[0] == "=" and not phonetic:
                    continue
                size = postings.size(block)
                if size:
                    blocks.append((size, block, weight * share))
        blocks.sort()
        if not blocks:
            return []
        if blocks[0][0] > _BUDGET:
            return self._common(keys, blocks, limit)
        taken: list[NDArray[np.int32]] = []
        weights: list[float] = []
        sizes: list[int] = []
        read = 0
        for size, block, weight in blocks:
            if read + size > _BUDGET:
                break
            read += size
            taken.append(postings.get(block))
            weights.append(weight)
            sizes.append(size)
        records, position = np.unique(np.concatenate(taken), return_inverse=True)
        sums = np.bincount(position, weights=np.repeat(np.asarray(weights), sizes))
        if len(sums) > limit:
            best = np.argpartition(sums, -limit)[-limit:]
            best = best[np.argsort(-sums[best], kind="stable")]
        else:
            best = np.argsort(-sums, kind="stable")
        # Records that share only a small part of what the best one shares with the query cannot outscore it.
        floor = sums[best[0]] * _KEEP
        return [int(records[i]) for i in best if sums[i] >= floor]

    def _common(self, keys: Iterable[str], blocks: list[tuple[int, str, float]], limit: int) -> list[int]:
        """Candidates for a query of common words only ("Global Trading"): the names that have all its words that
        any name has, else those with its rarest word; at most the budget of them, in list order."""
        found: NDArray[np.int32] | None = None
        for key in sorted(set(keys), key=self.postings.size):
            if self.postings.size(key):
                postings = self.postings.get(key)
                narrower = postings if found is None else np.intersect1d(found, postings, assume_unique=True)
                if len(narrower) == 0:
                    break
                found = narrower
        if found is None:
            found = self.postings.get(blocks[0][1])
        return [int(record) for record in found[: max(limit, 1)]]
