"""One technology and the works tagged with it that the reader may read, with the tagging's evidence."""

from __future__ import annotations

import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from kizashi.errors import InputError, NotFound
from kizashi.know.landscape import facts, inputs
from kizashi.know.landscape.engines import DuckDBEngine
from kizashi.messages import Message
from kizashi.policy import Actor
from kizashi.store.service import SHOWN, Delivery, delivered, service
from kizashi.store.workspace import Workspace

WORK_COLUMNS = ("work_id", "year", "cited_by_count", "title", "phrase", "field", "via", "direct")


@dataclass(frozen=True)
class TechnologyWorks:
    id: str
    name_ja: str
    name_en: str
    parent: str | None
    total: int
    works: list[dict[str, Any]]


@service("landscape.technology")
def technology_works(
    workspace: Workspace, actor: Actor, technology: str, *, limit: int = 50, delivery: Delivery = SHOWN
) -> TechnologyWorks:
    if limit < 1:
        raise InputError(Message("--limit must be at least 1"), field="--limit")
    entries, _ = inputs.taxonomy(workspace, actor.clearance, public=False)
    entry = next((e for e in entries if e["id"] == technology), None)
    if entry is None:
        raise NotFound(Message("no technology '{technology}'", technology=technology))
    derived = facts.ensure_facts(workspace, entries)
    with tempfile.TemporaryDirectory(prefix=".tech-", dir=workspace.corpus_dir) as scratch:
        readable = Path(scratch) / "readable.parquet"
        inputs.works(workspace, actor.clearance, readable, public=False)
        parts = facts.parts(workspace)
        if not parts or not derived["tags"]:
            rows: list[dict[str, Any]] = []
            total = 0
        else:
            engine = DuckDBEngine()
            try:
                engine.register("parts", parts)
                engine.register("readable", [readable])
                engine.register("tags", derived["tags"])
                engine.materialise(
                    "found",
                    f"""
                    SELECT t.work_id, p.year, p.cited_by_count, p.title, t.phrase, t.field, t.via, t.direct
                    FROM tags t
                    JOIN readable r ON r.key = t.key AND r.import_id = t.import_id
                    JOIN parts p ON p.id = t.work_id AND p.import_id = t.import_id
                    WHERE t.technology = '{technology.replace("'", "''")}'
                    """,
                )
                total = int(engine.rows("SELECT COUNT(*) AS n FROM found")[0]["n"])
                rows = engine.rows(
                    f"SELECT * FROM found ORDER BY cited_by_count DESC NULLS LAST, work_id LIMIT {int(limit)}"
                )
            finally:
                engine.close()
    delivered(workspace, actor, delivery, records=[technology, *(r["work_id"] for r in rows)], detail={"total": total})
    return TechnologyWorks(technology, str(entry["name_ja"]), str(entry["name_en"]), entry.get("parent"), total, rows)
