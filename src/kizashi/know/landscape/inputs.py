"""What a scan reads from the record store, through the access policy: the works it may use (their ids and current
versions), the taxonomy, the threats, and the needs and seeds; each with the labels that the scan's output takes.

`public` keeps only what may be published: level PUBLIC, no compartments, no TLP marking but CLEAR.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.parquet as pq

from kizashi.errors import InputError
from kizashi.ingest.reference import read_reference
from kizashi.ingest.taxonomy import check_taxonomy, parent_map
from kizashi.know.landscape.facts import work_keys
from kizashi.messages import Message
from kizashi.model import Need, Seed, Technology, Threat, Work
from kizashi.policy import Clearance, Label
from kizashi.policy.labels import PUBLIC
from kizashi.store.readable import select_readable
from kizashi.store.workspace import Workspace

LABEL_COLUMNS = ("level", "compartments", "tlp", "tlp_owner", "tlp_recipients")
PUBLISHABLE_TLP = (None, "CLEAR")


@dataclass(frozen=True)
class Readable:
    rows: list[dict[str, Any]]
    labels: list[Label]


def publishable(label: Label) -> bool:
    return label.level == PUBLIC and not label.compartments and label.tlp in PUBLISHABLE_TLP


def works(workspace: Workspace, clearance: Clearance, target: Path, *, public: bool) -> tuple[int, list[Label]]:
    """Write the (id, import_id) of every work the scan may use to `target` (Parquet); their count and labels."""
    table = Work.__table__
    label_columns = [table.c[name] for name in LABEL_COLUMNS]
    with workspace.session() as session:
        distinct = session.execute(
            select_readable(clearance, workspace.backend, table, columns=label_columns).distinct()
        ).mappings()
        labels = [Label.of(dict(row)) for row in distinct]
        statement = select_readable(clearance, workspace.backend, table, columns=[table.c.id, table.c.import_id])
        if public:
            statement = select_readable(
                clearance, workspace.backend, table, columns=[table.c.id, table.c.import_id, *label_columns]
            ).where(table.c.level == PUBLIC)
        ids: list[str] = []
        imports: list[int] = []
        for row in session.execute(statement.execution_options(yield_per=50_000)).mappings():
            if public and not publishable(Label.of(dict(row))):
                continue
            ids.append(row["id"])
            imports.append(row["import_id"])
    if public:
        labels = [label for label in labels if publishable(label)]
    id_array = pa.array(ids, pa.string())
    pq.write_table(
        pa.table({"key": work_keys(id_array), "id": id_array, "import_id": pa.array(imports, pa.int64())}), target
    )
    return len(ids), labels


def records(workspace: Workspace, clearance: Clearance, kind: str, *, public: bool) -> Readable:
    """Every readable record of a small kind (technologies, threats, needs, seeds), with its label."""
    table = {"technologies": Technology, "threats": Threat, "needs": Need, "seeds": Seed}[kind].__table__
    with workspace.session() as session:
        rows = [dict(row) for row in session.execute(select_readable(clearance, workspace.backend, table)).mappings()]
    labelled = [(row, Label.of(row)) for row in rows]
    if public:
        labelled = [(row, label) for row, label in labelled if publishable(label)]
    return Readable([row for row, _ in labelled], [label for _, label in labelled])


def taxonomy(
    workspace: Workspace, clearance: Clearance, *, public: bool, file: Path | None = None
) -> tuple[list[dict[str, Any]], list[Label]]:
    """The technologies to tag with: from `file` (a taxonomy the user gives, PUBLIC) or the readable stored ones.

    A stored taxonomy of which the reader sees only a part keeps its readable subtree: a technology whose parent is
    hidden becomes a root, so no hidden name is ever shown or used.
    """
    if file is not None:
        entries = [dict(values) for values, _ in read_reference("technologies", file)]
        check_taxonomy(parent_map(entries), file=file)
        return entries, []
    found = records(workspace, clearance, "technologies", public=public)
    if not found.rows:
        if public:
            raise InputError(
                Message(
                    "no PUBLIC technologies: --public publishes the taxonomy's names, so it uses only technologies "
                    "labelled PUBLIC"
                ),
                field="--public",
            )
        raise InputError(Message("no technologies to scan for: load a taxonomy (kizashi ingest technologies FILE)"))
    known = {row["id"] for row in found.rows}
    entries = [{**row, "parent": row["parent"] if row["parent"] in known else None} for row in found.rows]
    check_taxonomy(parent_map(entries), file="technologies")
    return entries, found.labels
