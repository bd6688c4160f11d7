"""Built matchers kept between requests: one per readable set of records, shared by every reader who may read
exactly that set, rebuilt when any of those records changes.

Building a matcher tokenises and indexes every seed, which is what made each workshop page slow; matching one need
against a built one is cheap. The key is a fingerprint of the records inside the index — kind, id, content hash,
the import that last wrote it and when — computed from the very rows the index is built from. So:

- two readers with the same clearance (or different clearances that happen to read the same records) share one;
- a reader is handed an index only when the records they may read now fingerprint exactly like its contents: no
  record above them can be in it, whatever happened between the lookup and the build;
- an import that adds, changes or relabels a readable record changes the fingerprint; one that touches only
  records a reader may not see leaves that reader's index alone (no rebuild, which would show in a slower page).

Fingerprinting reads a stamp of every readable row; while the tables' own stamp (count, latest import, latest
change) stays the same, a clearance's fingerprint is remembered instead, so a page costs one aggregate query.
Entries are few (a matcher holds its records' terms): a small LRU per purpose, safe to share between threads.
"""

from __future__ import annotations

import hashlib
import threading
from collections import OrderedDict
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from typing import Any, Generic, TypeVar

from sqlalchemy import func

from kizashi.policy import Clearance, Label
from kizashi.retrieval import Matcher, MatchSettings, Proposal, Statement, configured_settings
from kizashi.store.readable import select_readable, select_trusted
from kizashi.store.records import iter_records, table_of
from kizashi.store.workspace import Workspace

SIZE = 4
# Fingerprints remembered per (tables' stamp, clearance): a page needs one aggregate query while nothing is written.
FINGERPRINTS = 256
# The columns that tell one version of a record from another (content_hash covers its fields and label).
STAMP_COLUMNS = ("id", "content_hash", "import_id", "updated_at")

Rows = Mapping[str, list[dict[str, Any]]]
T = TypeVar("T")
# Builds an index from the readable rows with these settings, telling progress as it goes (dense encoding).
Build = Callable[[Rows, MatchSettings, Callable[[int], None] | None], T]


def fingerprint(rows: Mapping[str, Iterable[Mapping[str, Any]]]) -> str:
    """One digest of which records, in which versions, by kind (rows in id order, as the store lists them)."""
    digest = hashlib.sha256()
    for kind, records in rows.items():
        digest.update(f"\x1e{kind}".encode())
        for record in records:
            digest.update("\x1f".join(str(record[name]) for name in STAMP_COLUMNS).encode("utf-8", "surrogatepass"))
            digest.update(b"\x1d")
    return digest.hexdigest()


def readable_fingerprint(workspace: Workspace, clearance: Clearance, kinds: Iterable[str]) -> str:
    """The fingerprint of what `clearance` may read now, from the stamp columns only (no texts are fetched)."""
    stamps: dict[str, list[Mapping[str, Any]]] = {}
    with workspace.session() as session:
        for kind in kinds:
            table = table_of(kind)
            columns = [table.c[name] for name in STAMP_COLUMNS]
            statement = select_readable(clearance, workspace.backend, table, columns=columns).order_by(table.c.id)
            stamps[kind] = [dict(row) for row in session.execute(statement).mappings()]
    return fingerprint(stamps)


def table_stamp(workspace: Workspace, kinds: Iterable[str]) -> tuple[tuple[Any, ...], ...]:
    """How many records each table holds, the latest import that wrote one and when one last changed: it moves
    whenever a record is written (the loader stamps every insert and update with its import)."""
    with workspace.session() as session:
        return tuple(
            tuple(
                session.execute(
                    select_trusted(
                        func.count(),
                        func.max(table.c.import_id),
                        func.max(table.c.updated_at),
                        why="a cache's invalidation stamp, never shown",
                    ).select_from(table)
                ).one()
            )
            for table in map(table_of, kinds)
        )


class IndexCache(Generic[T]):
    """`cache.get(workspace, clearance)`: the index built by `build` from the records of `kinds` that `clearance`
    may read, with the matcher's settings (the configured ones unless given), built once per distinct fingerprint
    and settings and kept while among the `size` most recently used."""

    def __init__(self, kinds: tuple[str, ...], build: Build[T], size: int = SIZE) -> None:
        self.kinds = kinds
        self._build = build
        self.size = size
        self._entries: OrderedDict[tuple[Any, ...], T] = OrderedDict()
        self._lock = threading.Lock()
        # One build at a time per key: the first page after an import builds, the others wait for it.
        self._building: dict[tuple[Any, ...], threading.Lock] = {}
        self._fingerprints: OrderedDict[tuple[str, str, tuple[Any, ...], Clearance], str] = OrderedDict()
        self.builds = 0  # how many indexes were built (for tests and benchmarks)
        self.fingerprints = 0  # how many readable sets were fingerprinted

    def get(
        self,
        workspace: Workspace,
        clearance: Clearance,
        settings: MatchSettings | None = None,
        on_progress: Callable[[int], None] | None = None,
    ) -> T:
        settings = settings or configured_settings()
        wanted = self._key(workspace, self._fingerprint(workspace, clearance), settings)
        with self._lock:
            if (found := self._hit(wanted)) is not None:
                return found
            building = self._building.setdefault(wanted, threading.Lock())
        try:
            with building:
                with self._lock:
                    if (found := self._hit(wanted)) is not None:
                        return found
                rows = {kind: list(iter_records(workspace, kind, clearance)) for kind in self.kinds}
                value = self._build(rows, settings, on_progress)
                # Keyed by what was read, not by what was asked for: should an import have landed in between,
                # the index is filed under its real contents.
                key = self._key(workspace, fingerprint(rows), settings)
                with self._lock:
                    self.builds += 1
                    self._entries[key] = value
                    self._entries.move_to_end(key)
                    while len(self._entries) > self.size:
                        self._entries.popitem(last=False)
                return value
        finally:
            with self._lock:
                self._building.pop(wanted, None)

    def _fingerprint(self, workspace: Workspace, clearance: Clearance) -> str:
        """The fingerprint of what `clearance` reads now. While the tables' stamp stays, the same clearance reads
        the same records, so the fingerprint is remembered rather than recomputed over every readable row."""
        memo = (str(workspace.path), workspace.database_url, table_stamp(workspace, self.kinds), clearance)
        with self._lock:
            digest = self._fingerprints.get(memo)
            if digest is not None:
                self._fingerprints.move_to_end(memo)
                return digest
        digest = readable_fingerprint(workspace, clearance, self.kinds)
        with self._lock:
            self.fingerprints += 1
            self._fingerprints[memo] = digest
            while len(self._fingerprints) > FINGERPRINTS:
                self._fingerprints.popitem(last=False)
        return digest

    def _hit(self, key: tuple[Any, ...]) -> T | None:
        found = self._entries.get(key)
        if found is not None:
            self._entries.move_to_end(key)
        return found

    def _key(self, workspace: Workspace, digest: str, settings: MatchSettings) -> tuple[Any, ...]:
        return (str(workspace.path), workspace.database_url, digest, settings.key())

    def clear(self) -> None:
        with self._lock:
            self._entries.clear()
            self._fingerprints.clear()

    def __len__(self) -> int:
        return len(self._entries)


@dataclass(frozen=True)
class SeedIndex:
    """The seeds one reader may read, by id, and a matcher over them (None when there are none)."""

    seeds: dict[str, Statement]
    matcher: Matcher | None

    def propose(self, need: Statement, top: int, *, cross_domain: bool = False) -> list[Proposal]:
        """The best `top` seeds for `need`; with `cross_domain`, only seeds from other fields than the need's."""
        if self.matcher is None:
            return []
        return self.matcher.propose(need, top, cross_domain=cross_domain)

    def label(self, need: Label, proposals: Iterable[Proposal]) -> Label:
        """The label of a page of proposals: the highest of the need and the seeds shown."""
        return Label.highest([need, *(self.seeds[p.seed_id].label or Label() for p in proposals)])


def seed_index(rows: Rows, settings: MatchSettings, on_progress: Callable[[int], None] | None = None) -> SeedIndex:
    seeds = {str(r["id"]): Statement.of(r) for r in rows["seeds"]}
    matcher = Matcher(list(seeds.values()), settings=settings, on_encoded=on_progress) if seeds else None
    return SeedIndex(seeds, matcher)


SEED_INDEXES: IndexCache[SeedIndex] = IndexCache(("seeds",), seed_index)
