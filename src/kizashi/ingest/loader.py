"""The one loader: writes validated records of one kind in one transaction, upserting by stable id.

A re-import of the same file updates rows whose content changed and leaves the rest alone; nothing is duplicated.
Works are also written to the Parquet corpus once the transaction has committed (see store/corpus.py).
"""

from __future__ import annotations

import contextlib
import gc
import hashlib
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import orjson
from sqlalchemy import Connection, Table, bindparam, insert, update

from kizashi.errors import InputError
from kizashi.files.tabular import Row
from kizashi.ingest.records import RowError
from kizashi.ingest.taxonomy import check_taxonomy
from kizashi.messages import Message
from kizashi.model import RECORD_KINDS, Import
from kizashi.policy import DEFAULT_LEVEL, Clearance, Label, can_read
from kizashi.settings import get_settings
from kizashi.store.corpus import CorpusPart
from kizashi.store.readable import select_trusted
from kizashi.store.workspace import Workspace

# A parsed record: its columns, and where it came from (for error messages and duplicate checks).
Parsed = tuple[dict[str, Any], Row]


@dataclass
class Rejected:
    location: str
    reason: str


@dataclass
class ImportReport:
    kind: str
    files: list[str]
    import_id: int | None = None
    added: int = 0
    updated: int = 0
    unchanged: int = 0
    rejected: list[Rejected] = field(default_factory=list)

    @property
    def total(self) -> int:
        return self.added + self.updated + self.unchanged

    def counts(self) -> dict[str, int]:
        return {
            "added": self.added,
            "updated": self.updated,
            "unchanged": self.unchanged,
            "rejected": len(self.rejected),
        }


def content_hash(values: dict[str, Any]) -> str:
    return hashlib.blake2b(
        orjson.dumps(values, option=orjson.OPT_SORT_KEYS | orjson.OPT_NON_STR_KEYS), digest_size=16
    ).hexdigest()


def load(
    workspace: Workspace,
    kind: str,
    parsed: Iterable[Parsed],
    files: Sequence[Path],
    *,
    skip_invalid: bool = False,
    last_wins: bool = False,
    user: str | None = None,
    clearance: Clearance | None = None,
    on_progress: Callable[[int], None] | None = None,
) -> ImportReport:
    """Write `parsed` records of `kind` in one transaction.

    With `clearance`, every record must be one that clearance may read (see `_within`).

    `skip_invalid` sets invalid rows aside (reported as rejected) instead of failing the import; a structurally
    broken file always fails it. `last_wins` lets a later record replace an earlier one with the same id within
    the import (OpenAlex snapshots repeat updated works); otherwise a repeated id is an error naming both rows.
    """
    model = RECORD_KINDS[kind]
    table: Table = model.__table__  # type: ignore[assignment]
    report = ImportReport(kind, [str(path) for path in files])
    batch_size = get_settings().batch_size
    corpus = CorpusPart(workspace, kind) if kind == "works" else None
    try:
        with _fewer_collections(), workspace.session() as session:
            record = Import(kind=kind, files=report.files, counts={}, user=user)
            session.add(record)
            session.flush()
            report.import_id = record.id
            connection = session.connection()
            seen: dict[str, tuple[Path, int]] = {}
            for batch in _batches(_checked(parsed, report, skip_invalid, clearance), batch_size):
                batch = _deduplicated(batch, seen, last_wins)
                written = _write_batch(connection, table, batch, record.id, report)
                if corpus is not None and written:
                    corpus.append(written)
                if on_progress is not None:
                    on_progress(len(batch))
            if report.total == 0 and not report.rejected:
                raise InputError(Message("no records found"), file=files[0] if files else None)
            record.counts = report.counts()
            if kind == "technologies":
                _check_stored_taxonomy(connection, table, files)
            if corpus is not None:
                corpus.close()
        # Committed: only now does the Parquet part take its final name.
        if corpus is not None:
            corpus.publish(record.id)
    except BaseException:
        if corpus is not None:
            corpus.discard()
        raise
    finally:
        # A reader in another process (ingest/pipeline.py) is stopped however the import ends.
        close = getattr(parsed, "close", None)
        if close is not None:
            close()
    return report


def _check_stored_taxonomy(connection: Connection, table: Table, files: Sequence[Path]) -> None:
    """The whole taxonomy after this import, whoever may read each technology: a parent loaded before counts."""
    rows = connection.execute(
        select_trusted(table.c.id, table.c.parent, why="a taxonomy's shape is checked whole, never shown")
    )
    check_taxonomy({row.id: row.parent for row in rows}, file=files[0] if files else None)


@contextlib.contextmanager
def _fewer_collections() -> Iterator[None]:
    """Run the cyclic garbage collector rarely during a bulk load.

    Parsed JSON makes millions of short-lived containers, freed by reference counting; at the default thresholds the
    collector scans them over and over, which cost a third of the import time (benchmarks/ingest.py).
    """
    before = gc.get_threshold()
    gc.set_threshold(50_000, 20, 100)
    try:
        yield
    finally:
        gc.set_threshold(*before)


def _checked(
    parsed: Iterable[Parsed], report: ImportReport, skip_invalid: bool, clearance: Clearance | None
) -> Iterator[Parsed]:
    iterator = iter(parsed)
    while True:
        try:
            item = next(iterator)
            if clearance is not None:
                _within(clearance, *item)
        except StopIteration:
            return
        except RowError as error:
            if not skip_invalid:
                raise
            report.rejected.append(Rejected(str(error.location), error.reason))
            continue
        yield item


def _within(clearance: Clearance, values: dict[str, Any], row: Row) -> None:
    """A record the importer could not read back is refused: importing is not a way into compartments, levels or
    TLP circles the importer is not in."""
    label = Label.of(
        {
            "level": values.get("level", DEFAULT_LEVEL),
            "compartments": values.get("compartments", []),
            "tlp": values.get("tlp"),
            "tlp_owner": values.get("tlp_owner"),
            "tlp_recipients": values.get("tlp_recipients", []),
        }
    )
    if not can_read(clearance, label):
        raise RowError(
            Message(
                "labelled {label}, above the clearance of '{user}' who imports it",
                label=label.shown(),
                user=clearance.user,
            ),
            file=row.file,
            row=row.number,
            field="label",
        )


def _batches(items: Iterable[Parsed], size: int) -> Iterator[list[Parsed]]:
    batch: list[Parsed] = []
    for item in items:
        batch.append(item)
        if len(batch) >= size:
            yield batch
            batch = []
    if batch:
        yield batch


def _deduplicated(batch: list[Parsed], seen: dict[str, tuple[Path, int]], last_wins: bool) -> list[Parsed]:
    """The batch with one record per id. Where the last copy wins, a copy in a later batch simply updates the row
    written by an earlier one, so only this batch is deduplicated and nothing is remembered across batches."""
    by_id: dict[str, Parsed] = {}
    for values, row in batch:
        record_id = values["id"]
        if not last_wins:
            earlier = seen.get(record_id)
            if earlier is not None:
                raise InputError(
                    Message(
                        "id '{id}' appears twice (first at {file} row {row})",
                        id=record_id,
                        file=earlier[0].name,
                        row=earlier[1],
                    ),
                    file=row.file,
                    row=row.number,
                    field="id",
                )
            seen[record_id] = (row.file, row.number)
        by_id[record_id] = (values, row)
    return list(by_id.values())


def _write_batch(
    connection: Any, table: Table, batch: list[Parsed], import_id: int, report: ImportReport
) -> list[dict[str, Any]]:
    """Insert new ids, update changed ones; return the rows written (for the corpus)."""
    hashed = []
    for values, _row in batch:
        if "content_hash" not in values:  # a reader in another process hashes as it reads (ingest/pipeline.py)
            values["content_hash"] = content_hash(values)
        hashed.append(values)
    ids = [values["id"] for values in hashed]
    known = select_trusted(table.c.id, table.c.content_hash, why="an upsert tells new ids from changed ones")
    existing = dict(connection.execute(known.where(table.c.id.in_(ids))).all())
    to_insert, to_update = [], []
    for values in hashed:
        values["import_id"] = import_id
        previous = existing.get(values["id"])
        if previous is None:
            to_insert.append(values)
        elif previous != values["content_hash"]:
            to_update.append(values)
        else:
            report.unchanged += 1
    if to_insert:
        connection.execute(insert(table), to_insert)
        report.added += len(to_insert)
    if to_update:
        columns = [name for name in to_update[0] if name != "id"]
        statement = (
            update(table).where(table.c.id == bindparam("_id")).values({name: bindparam(name) for name in columns})
        )
        connection.execute(statement, [{**values, "_id": values["id"]} for values in to_update])
        report.updated += len(to_update)
    return to_insert + to_update
