"""The Parquet corpus: works written as one part file per import, for analytics in DuckDB or Spark.

The store is the truth and the corpus is derived from it. A part is written under a temporary name while the import
runs and renamed once the import's transaction has committed; `sync` rebuilds any part a crash left unpublished from
the store. Readers take the row with the highest `import_id` for each `id` (a later import supersedes an earlier one).
"""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterable
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.parquet as pq
from sqlalchemy import select

from kizashi.model import Import, Work
from kizashi.store.readable import select_trusted
from kizashi.store.workspace import Workspace

_STR = pa.string()
_STRINGS = pa.list_(_STR)

WORKS_SCHEMA = pa.schema(
    [
        ("id", _STR),
        ("source", _STR),
        ("doi", _STR),
        ("title", _STR),
        ("abstract", _STR),
        ("year", pa.int32()),
        ("date", pa.date32()),
        ("type", _STR),
        ("language", _STR),
        (
            "authors",
            pa.list_(
                pa.struct(
                    [
                        ("id", _STR),
                        ("name", _STR),
                        ("orcid", _STR),
                        ("position", _STR),
                        ("institutions", _STRINGS),
                        ("countries", _STRINGS),
                    ]
                )
            ),
        ),
        (
            "institutions",
            pa.list_(pa.struct([("id", _STR), ("name", _STR), ("ror", _STR), ("country", _STR), ("type", _STR)])),
        ),
        ("countries", _STRINGS),
        ("cited_by_count", pa.int64()),
        ("citation_percentile", pa.float64()),
        ("is_top10", pa.bool_()),
        ("referenced_works", _STRINGS),
        ("topics", _STRINGS),
        ("keywords", _STRINGS),
        ("funders", _STRINGS),
        ("level", _STR),
        ("import_id", pa.int64()),
        # OpenAlex's counts_by_year (kept in the record's `extra`): citations received per year, for scans as of a
        # past date. Parts written before it was added lack the column; readers take it as empty.
        ("cited_by_year", pa.list_(pa.struct([("year", pa.int32()), ("count", pa.int64())]))),
    ]
)
ROWS_PER_GROUP = 20_000


def works_dir(workspace: Workspace) -> Path:
    return workspace.corpus_dir / "works"


def part_path(workspace: Workspace, import_id: int) -> Path:
    return works_dir(workspace) / f"part-{import_id:08d}.parquet"


class CorpusPart:
    """Collects the works of one import into a temporary Parquet file, published after commit."""

    def __init__(self, workspace: Workspace, kind: str) -> None:
        self.workspace = workspace
        self.folder = works_dir(workspace)
        self.folder.mkdir(parents=True, exist_ok=True)
        # The pid in the name lets `sync` tell a live import's part from a crashed one's.
        self.temp = self.folder / f".tmp-{os.getpid()}-{uuid.uuid4().hex}.parquet"
        self._writer: pq.ParquetWriter | None = None
        self._pending: list[dict[str, Any]] = []

    def append(self, rows: Iterable[dict[str, Any]]) -> None:
        self._pending.extend(corpus_row(row) for row in rows)
        if len(self._pending) >= ROWS_PER_GROUP:
            self._flush()

    def _flush(self) -> None:
        if not self._pending:
            return
        # from_pylist takes the schema's columns from each row and ignores the rest (content_hash, extra, ...).
        table = pa.Table.from_pylist(self._pending, WORKS_SCHEMA)
        if self._writer is None:
            self._writer = pq.ParquetWriter(self.temp, WORKS_SCHEMA, compression="zstd")
        self._writer.write_table(table)
        self._pending = []

    def close(self) -> None:
        self._flush()
        if self._writer is None:
            # An import that changed nothing still gets its (empty) part, so sync knows it is done.
            pq.write_table(WORKS_SCHEMA.empty_table(), self.temp, compression="zstd")
        else:
            self._writer.close()
            self._writer = None

    def publish(self, import_id: int) -> None:
        if self.temp.exists():
            os.replace(self.temp, part_path(self.workspace, import_id))

    def discard(self) -> None:
        if self._writer is not None:
            self._writer.close()
            self._writer = None
        self.temp.unlink(missing_ok=True)


def corpus_row(row: dict[str, Any]) -> dict[str, Any]:
    """A works record as the corpus holds it: what `extra` keeps for analytics in columns of its own."""
    by_year = (row.get("extra") or {}).get("cited_by_year")
    if not by_year:
        return row
    return {**row, "cited_by_year": [{"year": int(year), "count": count} for year, count in by_year.items()]}


def sync(workspace: Workspace) -> list[int]:
    """Rebuild the part of every committed works import that has none; remove temporary leftovers.

    Returns the import ids whose parts were rebuilt.
    """
    folder = works_dir(workspace)
    folder.mkdir(parents=True, exist_ok=True)
    for leftover in folder.glob(".tmp-*.parquet"):
        if not _process_alive(leftover.name.split("-")[1]):
            leftover.unlink(missing_ok=True)
    rebuilt = []
    with workspace.session() as session:
        import_ids = session.scalars(select(Import.id).where(Import.kind == "works").order_by(Import.id)).all()
        for import_id in import_ids:
            if part_path(workspace, import_id).exists():
                continue
            written = select_trusted(Work.__table__, why="the corpus mirrors every work").where(
                Work.import_id == import_id
            )
            rows = session.execute(written).mappings()
            part = CorpusPart(workspace, "works")
            part.append(dict(row) for row in rows)
            part.close()
            part.publish(import_id)
            rebuilt.append(import_id)
    return rebuilt


def _process_alive(pid_text: str) -> bool:
    if not pid_text.isdigit():
        return False
    try:
        os.kill(int(pid_text), 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True
