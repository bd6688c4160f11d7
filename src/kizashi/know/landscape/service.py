"""The landscape scan: one service for the command line, the web and the reports.

It reads only what the acting user may read (`--public`: only what may be published), tags the works with the
taxonomy, runs the indicators' SQL on DuckDB or Spark, scores emergence, finds research fronts and tracks them from
the last scan, ranks the critical technologies and maps threats to technologies. The scan is stored with its
parameters, engine, input fingerprint and label (the highest of everything it used), and its delivery is audited.
"""

from __future__ import annotations

import hashlib
import tempfile
from collections.abc import Callable, Mapping
from dataclasses import asdict, dataclass
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

import orjson
import pyarrow.parquet as pq
from sqlalchemy import insert

from kizashi.errors import InputError
from kizashi.know.landscape import critical, facts, inputs
from kizashi.know.landscape.emergence_run import emergence_rows
from kizashi.know.landscape.engines import ENGINES, open_engine, unknown_engine
from kizashi.know.landscape.fronts_run import dense_vectors, front_rows
from kizashi.know.landscape.indicators import (
    Window,
    collaboration,
    contributors,
    countries,
    first_years,
    prepare,
    summary,
    trends,
    year_totals,
)
from kizashi.know.landscape.ranking import DEFAULT_WEIGHTS, read_weights
from kizashi.know.landscape.result import ScanResult
from kizashi.messages import Message
from kizashi.model import LandscapeScan
from kizashi.policy import Actor, Label, label_columns
from kizashi.store.corpus import WORKS_SCHEMA
from kizashi.store.readable import select_readable, select_trusted
from kizashi.store.service import SHOWN, Delivery, delivered, service
from kizashi.store.workspace import Workspace

FRONT_WORKS = (
    "SELECT p.id, p.year, p.title, p.abstract, p.keywords, p.referenced_works FROM parts p "
    "JOIN (SELECT f.id, f.import_id FROM w JOIN works f ON f.key = w.key AND f.import_id = w.import_id) s "
    "ON p.id = s.id AND p.import_id = s.import_id ORDER BY p.id"
)
DIRECT_TAGS = (
    "SELECT t.work_id, t.technology FROM tags t JOIN w ON t.key = w.key AND t.import_id = w.import_id "
    "WHERE t.direct ORDER BY t.work_id, t.technology"
)
Progress = Callable[[str, int, int | None], None]
# Scores the dual-use signal of technologies from their texts (protect.controls supplies it: know may not import it).
DualUse = Callable[[Mapping[str, str]], dict[str, float]]


@dataclass(frozen=True)
class ScanRequest:
    year_from: int | None = None
    year_to: int | None = None
    as_of: date | None = None
    engine: str = "duckdb"
    spark_master: str | None = None
    public: bool = False
    taxonomy_file: Path | None = None
    weights_file: Path | None = None
    fronts: bool = True
    # A local sentence-transformers or model2vec folder for the fronts' document vectors (None: TF-IDF/LSA), and the
    # languages it reads; works in another language make the scan fall back to LSA (fronts_run.dense_vectors).
    dense_model: str | None = None
    dense_languages: tuple[str, ...] = ("en",)

    def checked(self) -> ScanRequest:
        if self.engine not in ENGINES:
            raise unknown_engine(self.engine)
        if self.year_from is not None and self.year_to is not None and self.year_from > self.year_to:
            raise InputError(
                Message("--from {start} is after --to {end}", start=self.year_from, end=self.year_to), field="--from"
            )
        if self.as_of is not None and self.year_from is not None and self.year_from > self.as_of.year:
            raise InputError(
                Message("--from {start} is after --as-of {as_of}", start=self.year_from, as_of=self.as_of),
                field="--from",
            )
        return self

    def parameters(self) -> dict[str, Any]:
        found = asdict(self)
        found["as_of"] = self.as_of.isoformat() if self.as_of else None
        for key in ("taxonomy_file", "weights_file"):
            found[key] = str(found[key]) if found[key] else None
        return found


def end_year(request: ScanRequest, last_year: int) -> int:
    """The last whole year the scan knows: --to, else the year before --as-of unless that is 31 December, else the
    last year with works."""
    candidates = [last_year]
    if request.year_to is not None:
        candidates.append(request.year_to)
    if request.as_of is not None:
        whole = request.as_of.year if (request.as_of.month, request.as_of.day) == (12, 31) else request.as_of.year - 1
        candidates.append(whole)
    return min(candidates)


@service("landscape.scan")
def scan(
    workspace: Workspace,
    actor: Actor,
    request: ScanRequest,
    *,
    delivery: Delivery = SHOWN,
    dual_use: DualUse | None = None,
    on_progress: Progress | None = None,
) -> ScanResult:
    """Compute the landscape, store the scan and audit its delivery."""
    result, label = compute(workspace, actor, request, dual_use=dual_use, on_progress=on_progress)
    _store(workspace, actor, request, result, label)
    delivered(
        workspace,
        actor,
        delivery,
        detail={
            "scan": result.scan_id,
            "works": result.works,
            "technologies": len(result.technologies),
            "fingerprint": result.fingerprint,
            "public": request.public,
            "engine": request.engine,
        },
    )
    return result


@service("landscape.compute")
def compute(
    workspace: Workspace,
    actor: Actor,
    request: ScanRequest,
    *,
    dual_use: DualUse | None = None,
    on_progress: Progress | None = None,
) -> tuple[ScanResult, Label]:
    """The landscape over what `actor` may read, and its label; stores nothing (`scan` does). Called by services."""
    request = request.checked()
    weights = read_weights(request.weights_file) if request.weights_file else dict(DEFAULT_WEIGHTS)
    step = on_progress or (lambda what, done, total: None)
    clearance = actor.clearance
    technologies, taxonomy_labels = inputs.taxonomy(
        workspace, clearance, public=request.public, file=request.taxonomy_file
    )
    with tempfile.TemporaryDirectory(prefix=".scan-", dir=workspace.corpus_dir) as scratch:
        readable_path = Path(scratch) / "readable.parquet"
        step("reading", 0, None)
        count, work_labels = inputs.works(workspace, clearance, readable_path, public=request.public)
        if count == 0:
            raise InputError(Message("no works to scan: load works first (kizashi ingest works FILE)"))
        derived = facts.ensure_facts(
            workspace, technologies, on_progress=lambda done, total: step("tagging", done, total)
        )
        files = _engine_files(workspace, Path(scratch), readable_path, derived)
        everything = count == facts.rows_in(derived["works"])
        window = Window(request.year_from, request.year_to, request.as_of, everything)
        step("indicators", 0, None)
        engine = open_engine(request.engine, spark_master=request.spark_master)
        try:
            prepare(engine, files, window)
            seen = summary(engine)
            if not seen["works"]:
                raise InputError(
                    Message("no works in the window: none published within --from/--to (and by --as-of)"),
                    field="--from",
                )
            last = end_year(request, int(seen["last"]))
            tech_ids = [str(entry["id"]) for entry in technologies]
            trend_rows = trends(engine)
            emergence = emergence_rows(
                trend_rows,
                year_totals(engine),
                contributors(engine),
                first_years(engine),
                first_year=int(request.year_from or seen["first"]),
                end_year=last,
                technologies=tech_ids,
            )
            country_table = countries(engine, tech_ids)
            collaboration_table = collaboration(engine)
            japan = critical.japan_trends(engine, last)
            top_titles = critical.top_titles(engine)
            front_input = engine.rows(FRONT_WORKS) if request.fronts else []
            front_tags: dict[str, list[str]] = {}
            for row in engine.rows(DIRECT_TAGS) if request.fronts else []:
                front_tags.setdefault(row["work_id"], []).append(row["technology"])
        finally:
            engine.close()
    step("fronts", 0, None)
    previous = _previous_scan(workspace, actor, request.public)
    scan_id = _next_id(workspace)
    vectors, dense_note = (
        dense_vectors(
            front_input,
            request.dense_model,
            frozenset(request.dense_languages),
            on_progress=lambda done, total: step("vectors", done, total),
        )
        if request.dense_model and front_input
        else (None, None)
    )
    fronts, front_works, vanished = front_rows(
        front_input,
        technologies,
        front_tags,
        end_year=last,
        previous=previous[1] if previous else {},
        id_prefix=f"S{scan_id}-F",
        on_progress=lambda what, share: step("fronts", int(share * 100), 100),
        vectors=vectors,
    )
    step("ranking", 0, None)
    threats = inputs.records(workspace, clearance, "threats", public=request.public)
    needs = inputs.records(workspace, clearance, "needs", public=request.public)
    seeds = inputs.records(workspace, clearance, "seeds", public=request.public)
    texts = {
        str(entry["id"]): "\n".join(
            [
                str(entry.get("name_en") or ""),
                str(entry.get("description_en") or ""),
                *top_titles.get(str(entry["id"]), []),
            ]
        )
        for entry in technologies
    }
    signal = dual_use(texts) if dual_use is not None else {}
    links = critical.Links.of(technologies, threats.rows, needs.rows, seeds.rows)
    critical_rows = critical.critical_rows(tech_ids, links, emergence, country_table, japan, signal, weights)
    threat_rows = critical.threat_rows(links, emergence, country_table)
    tables = {
        "trends": trend_rows,
        "emergence": emergence,
        "countries": country_table,
        "collaboration": collaboration_table,
        "fronts": fronts,
        "front_works": front_works,
        "critical": critical_rows,
        "threats": threat_rows,
    }
    label = Label.highest([*work_labels, *taxonomy_labels, *threats.labels, *needs.labels, *seeds.labels])
    fingerprint = _fingerprint(workspace, readable_path_digest=count, technologies=technologies, request=request)
    notes: list[tuple[str, dict[str, Any]]] = []
    if request.as_of is not None:
        notes.append(("note_as_of_citations", {"works": int(seen["uncited"] or 0)}))
    if dual_use is None:
        notes.append(("note_no_dual_use", {}))
    if dense_note is not None:
        notes.append(dense_note)
    result = ScanResult(
        tables=tables,
        technologies={str(e["id"]): (str(e["name_ja"]), str(e["name_en"])) for e in technologies},
        threats={str(t["id"]): (str(t["name_ja"]), str(t["name_en"])) for t in threats.rows},
        scan_id=scan_id,
        created_at=datetime.now(UTC),
        engine=request.engine,
        year_from=request.year_from,
        year_to=request.year_to,
        as_of=request.as_of,
        public=request.public,
        label=label.level,
        works=int(seen["works"]),
        fingerprint=fingerprint,
        notes=notes,
        vanished_fronts=vanished,
        previous_scan=previous[0] if previous else None,
    )
    return result, label


def _engine_files(
    workspace: Workspace, scratch: Path, readable: Path, derived: Mapping[str, list[Path]]
) -> dict[str, list[Path]]:
    parts = facts.parts(workspace)
    if not parts:
        empty = scratch / "empty.works.parquet"
        pq.write_table(WORKS_SCHEMA.empty_table(), empty)
        parts = [empty]
    files: dict[str, list[Path]] = {"parts": parts, "readable": [readable]}
    for name, paths in derived.items():
        files[name] = paths or [facts.empty_file(scratch, name)]
    return files


def _fingerprint(
    workspace: Workspace, *, readable_path_digest: int, technologies: list[dict[str, Any]], request: ScanRequest
) -> str:
    parts = [(path.name, path.stat().st_size) for path in facts.parts(workspace)]
    payload = {
        "parts": parts,
        "works": readable_path_digest,
        "taxonomy": facts.taxonomy_fingerprint(technologies),
        "parameters": request.parameters(),
    }
    return hashlib.sha256(orjson.dumps(payload, option=orjson.OPT_SORT_KEYS)).hexdigest()[:32]


def _next_id(workspace: Workspace) -> int:
    from sqlalchemy import func

    with workspace.session() as session:
        last = session.execute(
            select_trusted(func.max(LandscapeScan.id), why="the next scan's number names its fronts")
        ).scalar()
    return int(last or 0) + 1


def _previous_scan(workspace: Workspace, actor: Actor, public: bool) -> tuple[int, dict[str, list[str]]] | None:
    """The last scan this user may read (of the same kind: public or not), with its fronts."""
    table = LandscapeScan.__table__
    statement = (
        select_readable(actor.clearance, workspace.backend, table, columns=[table.c.id, table.c.fronts])
        .where(table.c.public == public)
        .order_by(table.c.id.desc())
        .limit(1)
    )
    with workspace.session() as session:
        row = session.execute(statement).first()
    return (int(row.id), dict(row.fronts)) if row else None


def _store(workspace: Workspace, actor: Actor, request: ScanRequest, result: ScanResult, label: Label) -> None:
    tables = {name: rows for name, rows in result.tables.items() if name != "front_works"}
    fronts: dict[str, list[str]] = {}
    for row in result.tables["front_works"]:
        fronts.setdefault(row["front"], []).append(row["work_id"])
    with workspace.session() as session:
        session.execute(
            insert(LandscapeScan).values(
                id=result.scan_id,
                created_at=result.created_at,
                user=actor.user,
                parameters=request.parameters(),
                engine=request.engine,
                fingerprint=result.fingerprint,
                public=request.public,
                works=result.works,
                tables=orjson.loads(orjson.dumps(tables)),
                fronts=fronts,
                **label_columns(label),
            )
        )
