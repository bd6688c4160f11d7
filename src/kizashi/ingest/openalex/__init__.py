"""OpenAlex works: the native records (API pages, the snapshot's JSON lines) and the flattened CSV export.

The native records are read in `native`, the flattened CSV in `flat`, both with the typed readers of one field in
`fields`.

Every work becomes a works row (`new_work`), level PUBLIC, id `openalex:W…`. Identifiers are stored short:
works `W…`, authors `A…`, institutions `I…`; DOIs lower-cased without their resolver; ORCID iDs and ROR ids
without their URL prefix. A value of the wrong type raises RowError naming the file, the row (JSON lines: the
line; JSON array: the position, from 1; CSV: the line) and the field as a dotted path
(`authorships[2].institutions`).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

from kizashi.files.tabular import Row, iter_rows
from kizashi.ingest.loader import Parsed
from kizashi.ingest.openalex.fields import ID_PREFIX, OPENALEX_PREFIX, SOURCE, Bad, abstract, bare_doi
from kizashi.ingest.openalex.flat import FlatReader
from kizashi.ingest.openalex.native import native_work
from kizashi.ingest.records import PerRow, RowError

__all__ = [
    "ID_PREFIX",
    "OPENALEX_PREFIX",
    "SOURCE",
    "bare_doi",
    "is_openalex_csv",
    "read_openalex_csv",
    "read_openalex_json",
    "rebuild_abstract",
]

_CSV_MARKERS = ("ids.openalex", "authorships.author.display_name", "authorships.author.id")


# ── public API ──────────────────────────────────────────────────────────────────────────────────────────────


def is_openalex_csv(header: list[str]) -> bool:
    """A flattened OpenAlex works CSV: `ids.openalex`, or `id` beside the flattened authorships columns."""
    columns = set(header)
    if "ids.openalex" in columns:
        return True
    return "id" in columns and any(marker in columns for marker in _CSV_MARKERS)


def read_openalex_json(path: Path) -> Iterator[Parsed]:
    """Works from native OpenAlex records: JSON lines (the snapshot) or JSON (work, array or API page).

    A record of the wrong shape raises RowError for its row, and the iterator goes on with the next row when
    asked again (as records.PerRow does). A structurally broken file raises InputError. Nesting is not limited:
    `native_work` takes typed scalars out of known fields and keeps nothing nested, so the check would only cost
    time on the hot path.
    """
    return _per_row(iter_rows(path, nested=True), native_work)


def read_openalex_csv(path: Path) -> Iterator[Parsed]:
    """Works from the flattened OpenAlex CSV (fields flattened with `.`, multi-valued ones `|`-separated).

    Errors as for `read_openalex_json`; a file without an `id` (or `ids.openalex`) column raises InputError.
    """
    return _per_row(iter_rows(path), FlatReader(path))


def _per_row(rows: Iterator[Row], extract: Callable[[dict[str, Any]], dict[str, Any]]) -> Iterator[Parsed]:
    """`(work, row)` pairs; a bad row raises RowError naming its field, and iteration goes on after it."""

    def convert(row: Row) -> dict[str, Any]:
        try:
            return extract(row.values)
        except Bad as bad:
            raise RowError(bad.message, file=row.file, row=row.number, field=bad.field) from None

    return PerRow(rows, convert)


def rebuild_abstract(index: Any) -> str:
    """The plain text of an `abstract_inverted_index` (word → positions): the words in position order.

    Words are joined by one space; gaps in the positions are skipped; None or an empty index gives "".
    Linear in the number of positions. Raises ValueError naming the word when the index is not a mapping
    of words to lists of non-negative whole numbers.
    """
    try:
        return abstract(index)
    except Bad as bad:
        raise ValueError(f"abstract_inverted_index{bad.field}: {bad.message}") from None
