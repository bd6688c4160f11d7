"""Reading the workspace's records as one reader may see them: counts, listings, searches and single records, for
the command line, the pages and the API alike; each audited as a read (or an export) naming what it showed. A record
the reader may not read is NotFound, worded like a missing one (kizashi.store.records)."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from typing import Any

from kizashi.know.search_terms import search_groups
from kizashi.policy import Actor, Label
from kizashi.store.records import (
    FILTER_COLUMNS,
    SearchGroup,
    counts,
    facet,
    get_record,
    iter_records,
    readable_label,
    search,
)
from kizashi.store.service import SHOWN, Delivery, delivered, service
from kizashi.store.workspace import Workspace

HIDDEN_FIELDS = ("content_hash",)  # bookkeeping, never shown


def shown(record: dict[str, Any]) -> dict[str, Any]:
    return {key: value for key, value in record.items() if key not in HIDDEN_FIELDS}


@dataclass(frozen=True)
class Counts:
    counts: dict[str, int]
    label: Label  # the highest label among the records counted


@service("records.counts")
def record_counts(workspace: Workspace, actor: Actor) -> Counts:
    """How many records of each kind `actor` may read (a count of the others would tell they exist)."""
    by_kind = counts(workspace, actor.clearance)
    delivered(workspace, actor, SHOWN, detail={"service": "counts", "counts": by_kind})
    return Counts(by_kind, readable_label(workspace, actor.clearance))


@service("records.list")
def list_records(
    workspace: Workspace,
    actor: Actor,
    kind: str,
    write: Callable[[Iterator[dict[str, Any]]], None],
    *,
    limit: int | None = None,
    delivery: Delivery = SHOWN,
) -> int:
    """Stream the records of `kind` that `actor` may read, in id order, to `write` (a table, a file), then audit how
    many left and where; the count."""
    written = 0

    def counted(rows: Iterable[dict[str, Any]]) -> Iterator[dict[str, Any]]:
        nonlocal written
        for row in rows:
            written += 1
            yield shown(row)

    write(counted(iter_records(workspace, kind, actor.clearance, limit)))
    delivered(workspace, actor, delivery, detail={"service": "list", "kind": kind, "records": written})
    return written


@dataclass(frozen=True)
class Page:
    kind: str
    rows: list[dict[str, Any]]
    total: int  # matching records the reader may read
    label: Label  # the page's own label: the highest of its rows
    facets: dict[str, list[tuple[Any, int]]]
    # The words of the query that were widened across languages, each with what it was widened to (empty for a
    # literal search, or when no word has a translation).
    widened: tuple[SearchGroup, ...] = ()
    literal: bool = False


@service("records.search")
def search_records(
    workspace: Workspace,
    actor: Actor,
    kind: str,
    *,
    query: str = "",
    filters: dict[str, str] | None = None,
    limit: int = 50,
    offset: int = 0,
    facets: bool = False,
    literal: bool = False,
) -> Page:
    """A page of the records of `kind` that `actor` may read and that match, how many match in all, and with
    `facets` the values of the filter columns with their counts (over every record the actor may read).

    Matching: every word of `query` somewhere, each filter equal. Unless `literal`, a word also matches through its
    translations (kizashi.know.search_terms: ドローン finds "drone", drone finds ドローン), the same as matching
    reads a need; the page and the audit event say what each word was widened to."""
    groups = search_groups(query, literal=literal)
    rows, total = search(workspace, kind, actor.clearance, query=groups, filters=filters, limit=limit, offset=offset)
    widened = tuple(group for group in groups if group.alternatives)
    found = {
        name: facet(workspace, kind, name, actor.clearance)
        for name in FILTER_COLUMNS[kind]
        if facets and name != "parent"
    }
    delivered(
        workspace,
        actor,
        SHOWN,
        records=[row["id"] for row in rows],
        detail={
            "service": "search",
            "kind": kind,
            "query": query,
            "literal": literal,
            # what each word was widened to: {"ドローン": ["drone", "UAV", …]}
            **({"widened": {" ".join(g.words): list(g.alternatives) for g in widened}} if widened else {}),
            "filters": filters or {},
            "offset": offset,
            "total": total,
        },
    )
    label = Label.highest(Label.of(row) for row in rows)
    return Page(kind, [shown(row) for row in rows], total, label, found, widened, literal)


@service("records.read")
def read_record(workspace: Workspace, actor: Actor, kind: str, record_id: str) -> dict[str, Any]:
    """One record; NotFound alike for a missing one and one `actor` may not read (and the refusal audited)."""
    record = get_record(workspace, kind, record_id, actor.clearance)
    delivered(workspace, actor, SHOWN, records=[record_id], detail={"service": "record", "kind": kind})
    return shown(record)
