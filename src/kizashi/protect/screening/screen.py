"""Screening names of partners against lists: the rows of `kizashi screen parties` (DESIGN §4).

DEFAULT_THRESHOLD (0.60) was set a little above the score that 1 % of real organisation names on no list reached
against the dev lists (benchmarks/screening.py, issue 5: 0.56). Since the weak-match penalties of issue 13 (one word
of a longer name, generic words, initials, a person against an organisation) that score is 0.38: at 0.60, 0.1 % of
them raise an alert and 40 % of the lists' aliases are found at rank 1. An office that would rather check more alerts
than miss an alias lowers it; scores under 0.5 are rarely more than one shared word.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

from kizashi.errors import InputError
from kizashi.files.tabular import iter_rows
from kizashi.messages import Message
from kizashi.protect.screening import kana_korean, korean
from kizashi.protect.screening.entries import ScreeningList, entry_type, unknown_type
from kizashi.protect.screening.index import NameIndex
from kizashi.protect.screening.names import analyse, has_kana_or_kanji, name_variants
from kizashi.protect.screening.places import country_code
from kizashi.protect.screening.score import Match, explain, explanation_text, score

__all__ = [
    "DEFAULT_THRESHOLD",
    "DEFAULT_TOP",
    "JSONL_COLUMNS",
    "TABLE_COLUMNS",
    "Party",
    "Screener",
    "read_parties",
    "screen_names",
    "table_rows",
]

JSONL_COLUMNS = ("id", "name", "matches")
TABLE_COLUMNS = (
    "id", "name", "rank", "list", "entry_id", "entry_name", "matched_name", "score", "why", "list_source",
    "list_date", "list_sha256",
)  # fmt: skip

DEFAULT_THRESHOLD = 0.60
DEFAULT_TOP = 5
# Candidates gathered for a form read in Korean, of which only the Korean entries are scored.
_KOREAN_CANDIDATES = 30


@dataclass(frozen=True, slots=True)
class Party:
    id: str
    name: str
    country: str | None = None
    type: str | None = None


class Screener:
    """An index over the lists, built once, screening any number of names."""

    def __init__(self, lists: Sequence[ScreeningList] | NameIndex) -> None:
        self.index = lists if isinstance(lists, NameIndex) else NameIndex(lists)

    def best(self, party: Party, top: int = DEFAULT_TOP, threshold: float = 0.0) -> list[dict[str, Any]]:
        """The best entries for one party, best first, at most `top`, scoring at least `threshold`."""
        index = self.index
        found: dict[int, tuple[float, int, Match, Any]] = {}
        countries = _codes((party.country,)) if party.country else ()
        for variant in name_variants(party.name):
            for form in analyse(variant):
                if not form.keys:
                    continue
                weights = [index.weight(key) for key in form.keys]
                limit = _KOREAN_CANDIDATES if form.reading else None
                keys = form.keys
                if form.korean_read:
                    # Korean romanisations differ in their first letters (Taedong / Daedong): look for both; a
                    # katakana reading also in its other finals and vowels (カンボン: kangbong, kanbon …).
                    keys = (
                        *keys,
                        *(other for i in form.korean_read for other in korean.spellings(keys[i])),
                        *(other for i in form.katakana_read for other in kana_korean.spellings(keys[i])),
                    )
                for number in index.candidates(keys, limit, phonetic=form.phonetic):
                    record = index.records[number]
                    entry = index.entries[record.entry]
                    excluded: tuple[int, ...] = ()
                    if form.reading or form.kanji_read:
                        level = index.korean(record.entry)
                        if form.reading and level == korean.NOT:
                            continue  # kanji read in Korean say nothing about a name that is not Korean
                        if not form.reading and level == korean.CERTAIN and not has_kana_or_kanji(record.text):
                            # Read in Japanese or Chinese, kanji say nothing about how a Korean name is romanised
                            # (総 → so against a person named So): those tokens stay unmatched.
                            excluded = form.kanji_read
                    theirs = _codes(entry.countries) if countries and entry.countries else ()
                    ours = countries if theirs else ()
                    match = score(
                        form,
                        weights,
                        record.keys,
                        index.record_weights(number),
                        record.legal_forms,
                        record.phonetic,
                        query_type=party.type,
                        entry_type=entry.type,
                        query_countries=ours,
                        entry_countries=theirs,
                        excluded=excluded,
                    )
                    held = found.get(record.entry)
                    if held is None or match.score > held[0]:
                        found[record.entry] = (match.score, number, match, form)
        ranked = sorted(found.items(), key=lambda item: -item[1][0])
        rows = []
        for entry_number, (value, number, match, form) in ranked[:top]:
            if value < threshold:
                break
            record = index.records[number]
            entry = index.entries[entry_number]
            rows.append(
                {
                    "list": entry.list,
                    "entry_id": entry.entry_id,
                    "entry_name": entry.name,
                    "matched_name": record.text,
                    "score": round(value, 4),
                    "explanation": explain(match, form, record.keys, record.legal_forms),
                    "list_version": index.versions[index.entry_version[entry_number]].as_dict(),
                }
            )
        return rows


@lru_cache(maxsize=4096)
def _codes(countries: tuple[str, ...]) -> tuple[str, ...]:
    """Countries as ISO codes, so that a list's "Democratic People's Republic of Korea" meets a partner file's "KP";
    () when one of them is unknown: then the two sides are not compared (they may write one country differently)."""
    codes = tuple(country_code(country) for country in countries)
    return () if None in codes else tuple(code for code in codes if code)


def screen_names(
    names: Iterable[Party],
    lists: Sequence[ScreeningList] | NameIndex,
    threshold: float = DEFAULT_THRESHOLD,
    top: int = DEFAULT_TOP,
    on_progress: Callable[[int], None] | None = None,
) -> list[dict[str, Any]]:
    """One row per name, as `kizashi screen parties` writes it: {"id", "name", "matches": [...]}, the matches at or
    above `threshold`, best first, at most `top`; each match names its list version."""
    screener = Screener(lists)
    rows = []
    for party in names:
        rows.append({"id": party.id, "name": party.name, "matches": screener.best(party, top, threshold)})
        if on_progress is not None:
            on_progress(1)
    return rows


def read_parties(path: Path, *, most: int | None = None) -> list[Party]:
    """Names to screen from CSV, XLSX or JSON lines with `id` and `name` (optional `country`, `type`); with `most`,
    a file of more names is refused at the first one too many, before the rest is read."""
    parties: list[Party] = []
    seen: dict[str, int] = {}
    for row in iter_rows(path, required=("id", "name")):
        if most is not None and len(parties) == most:
            raise InputError(
                Message("at most {most:,} names at a time", most=most), file=path, row=row.number, field="name"
            )
        values = {key: "" if value is None else str(value).strip() for key, value in row.values.items()}
        if not values["id"]:
            raise InputError(Message("empty id"), file=path, row=row.number, field="id")
        if values["id"] in seen:
            raise InputError(
                Message("id '{id}' repeats row {row}", id=values["id"], row=seen[values["id"]]),
                file=path,
                row=row.number,
                field="id",
            )
        seen[values["id"]] = row.number
        if not values["name"]:
            raise InputError(Message("empty name"), file=path, row=row.number, field="name")
        try:
            kind = entry_type(values.get("type", ""))
        except ValueError:
            raise InputError(unknown_type(values.get("type", "")), file=path, row=row.number, field="type") from None
        parties.append(Party(values["id"], values["name"], values.get("country") or None, kind))
    return parties


def table_rows(rows: Iterable[dict[str, Any]]) -> list[dict[str, Any]]:
    """One row per match (rank 1, 2 …) for CSV and Excel, with the explanation as a sentence; a name without a
    match keeps one row with the match columns empty, so the sheet shows that it was screened."""
    flat = []
    for row in rows:
        if not row["matches"]:
            flat.append({"id": row["id"], "name": row["name"], "rank": None})
        for rank, match in enumerate(row["matches"], start=1):
            version = match["list_version"]
            flat.append(
                {
                    "id": row["id"],
                    "name": row["name"],
                    "rank": rank,
                    **{key: match[key] for key in ("list", "entry_id", "entry_name", "matched_name", "score")},
                    "why": explanation_text(match["explanation"]),
                    "list_source": version["source"],
                    "list_date": version["date"],
                    "list_sha256": version["sha256"],
                }
            )
    return flat
