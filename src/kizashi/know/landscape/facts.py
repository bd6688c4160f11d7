"""Flat tables derived from the corpus, one set per corpus part, for SQL that runs alike on DuckDB and Spark.

The corpus keeps lists inside works (countries, institutions, citations per year). Unnesting them is the one thing
DuckDB and Spark SQL spell differently, so it is done here, once per part, with Arrow's vectorised list kernels:
`works` (key, id, import_id and the columns indicators read), `countries` (key, import_id, country), `institutions`
(key, import_id, institution, name, country), `citations` (key, import_id, year, count). Tags (key, work_id,
import_id, technology, direct, phrase, field, via) depend on the taxonomy too and are kept per taxonomy fingerprint,
with the tags already joined to their works' country pairs (`tag_pairs`). A scan of every work (indicators.prepare)
then joins and computes nothing big: for it the tags also come with their top-10 % flag over the whole corpus
(`tag_works`) and joined to their works' countries and institutions (`tag_countries`, `tag_institutions`); since the
flag depends on every part, these are kept per corpus state and rewritten when a part comes or goes.
`key` is a 64-bit hash of the work's id (`work_keys`), `inst` one of an institution's, and `tech` a technology's
place in its taxonomy (`technology_codes`): joins and groups on integers instead of strings are what keeps the
indicators within a few times a single GROUP BY. A corpus part never changes once published (its
name carries its import), so a derived file next to it stays valid; FACTS_VERSION invalidates them all when their
shape changes.
"""

from __future__ import annotations

import hashlib
import os
import shutil
from collections.abc import Callable, Iterable, Mapping, Sequence
from pathlib import Path
from typing import Any

import orjson
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq

from kizashi.know.landscape.engines import DuckDBEngine
from kizashi.know.landscape.indicators import OPENALEX_TOP10, PERCENTILES_SQL, TOP10_FLAG
from kizashi.know.landscape.tagging import NAME_KEYS, TOPIC_KEY, PhraseTagger
from kizashi.store.corpus import works_dir
from kizashi.store.workspace import Workspace

FACTS_VERSION = "7"
_STR = pa.string()
_KEYS = [("key", pa.int64()), ("import_id", pa.int64())]
WORK_COLUMNS = ["id", "import_id", "year", "date", "cited_by_count", "is_top10", "citation_percentile"]
SCHEMAS: dict[str, pa.Schema] = {
    "works": pa.schema(
        [
            *_KEYS,
            ("id", _STR),
            ("year", pa.int32()),
            ("date", pa.date32()),
            ("cited_by_count", pa.int64()),
            ("is_top10", pa.bool_()),
            ("citation_percentile", pa.float64()),
        ]
    ),
    "countries": pa.schema([*_KEYS, ("country", _STR), ("k", pa.int64())]),
    # Country pairs of a work (country_a < country_b): its international co-authorship, for collaboration.csv.
    "pairs": pa.schema([*_KEYS, ("country_a", _STR), ("country_b", _STR)]),
    "institutions": pa.schema([*_KEYS, ("institution", _STR), ("inst", pa.int64()), ("name", _STR), ("country", _STR)]),
    "citations": pa.schema([*_KEYS, ("year", pa.int32()), ("count", pa.int64())]),
    # Tags carry what the indicators read of their work, so that a scan of everything needs no join to the works.
    "tags": pa.schema(
        [
            *_KEYS,
            ("year", pa.int32()),
            ("cited_by_count", pa.int64()),
            ("is_top10", pa.bool_()),
            ("citation_percentile", pa.float64()),
            ("work_id", _STR),
            ("technology", _STR),
            ("tech", pa.int32()),
            ("direct", pa.bool_()),
            ("phrase", _STR),
            ("field", _STR),
            ("via", _STR),
        ]
    ),
}
# What a tag carries of its work, and the tables joined to it per taxonomy.
_TAG_WORK = [
    *_KEYS,
    ("technology", _STR),
    ("tech", pa.int32()),
    ("year", pa.int32()),
    ("cited_by_count", pa.int64()),
    ("is_top10", pa.bool_()),
    ("citation_percentile", pa.float64()),
]
# The tags with their work's top-10 % flag (indicators.TOP10_FLAG over the whole corpus), alone and joined to the works'
# countries and institutions: the flag depends on every part, so these are kept per corpus state (`_ensure_flagged`).
_FLAG = ("top10", pa.bool_())
SCHEMAS["tag_works"] = pa.schema([*_TAG_WORK, _FLAG])
SCHEMAS["tag_countries"] = pa.schema([*_TAG_WORK, ("country", _STR), ("k", pa.int64()), _FLAG])
SCHEMAS["tag_institutions"] = pa.schema(
    [*_TAG_WORK, ("institution", _STR), ("inst", pa.int64()), ("country", _STR), _FLAG]
)
FLAGGED = {"tag_works": None, "tag_countries": "countries", "tag_institutions": "institutions"}
SCHEMAS["tag_pairs"] = pa.schema(
    [*_KEYS, ("technology", _STR), ("tech", pa.int32()), ("country_a", _STR), ("country_b", _STR)]
)
# Each technology's small integer (its place among the taxonomy's sorted ids; the tags' folder is per taxonomy, so
# the codes hold for every part there): the indicators group by it and name the technology only in their results.
SCHEMAS["technology_codes"] = pa.schema([("tech", pa.int32()), ("technology", _STR)])
JOINED = {"tag_pairs": "pairs"}
BATCH_ROWS = 20_000
FLAT = ("works", "countries", "pairs", "institutions", "citations")


def work_key(work_id: str) -> int:
    """A work id as a signed 64-bit integer (BLAKE2b): the same in every table and engine; two ids of a million
    collide with odds of about 1 in 30 million million."""
    return int.from_bytes(hashlib.blake2b(work_id.encode(), digest_size=8).digest(), "little", signed=True)


def work_keys(ids: pa.Array | pa.ChunkedArray) -> pa.Array:
    return pa.array([work_key(work_id) for work_id in ids.to_pylist()], pa.int64())


def string_keys(values: pa.Array | pa.ChunkedArray) -> pa.Array:
    """`work_key` of each string (null stays null), hashed once per distinct value."""
    encoded = pc.dictionary_encode(values)
    if isinstance(encoded, pa.ChunkedArray):
        encoded = encoded.combine_chunks()
    keys = pa.array([None if v is None else work_key(v) for v in encoded.dictionary.to_pylist()], pa.int64())
    return pc.take(keys, encoded.indices)


def technology_codes(technologies: Iterable[Mapping[str, Any]]) -> dict[str, int]:
    return {technology: code for code, technology in enumerate(sorted({str(t["id"]) for t in technologies}))}


def rows_in(paths: Iterable[Path]) -> int:
    return sum(pq.ParquetFile(path).metadata.num_rows for path in paths)


def parts(workspace: Workspace) -> list[Path]:
    return sorted(works_dir(workspace).glob("part-*.parquet"))


def facts_dir(workspace: Workspace) -> Path:
    return workspace.corpus_dir / "facts" / f"v{FACTS_VERSION}"


def taxonomy_fingerprint(technologies: Iterable[Mapping[str, Any]]) -> str:
    """Of what tagging reads from a taxonomy: ids, parents, names, synonyms and mapped topics."""
    keyed = sorted(
        (
            [str(t["id"]), t.get("parent") or None, *[t.get(key) for key in NAME_KEYS], t.get(TOPIC_KEY) or []]
            for t in technologies
        ),
        key=lambda item: str(item[0]),
    )
    return hashlib.sha256(orjson.dumps(keyed)).hexdigest()[:16]


def ensure_facts(
    workspace: Workspace,
    technologies: Sequence[Mapping[str, Any]],
    *,
    on_progress: Callable[[int, int], None] | None = None,
) -> dict[str, list[Path]]:
    """The derived files of every corpus part, written where missing. `on_progress(done, total)` counts works."""
    folder = facts_dir(workspace)
    tag_folder = folder / f"tags-{taxonomy_fingerprint(technologies)}"
    tag_folder.mkdir(parents=True, exist_ok=True)
    found: dict[str, list[Path]] = {name: [] for name in SCHEMAS}
    codes = technology_codes(technologies)
    found["technology_codes"] = [tag_folder / "technologies.parquet"]
    if not found["technology_codes"][0].exists():
        table = pa.table({"tech": list(codes.values()), "technology": list(codes)})
        _publish(table.cast(SCHEMAS["technology_codes"]), found["technology_codes"][0])
    tagger: PhraseTagger | None = None
    sources = parts(workspace)
    total = sum(pq.ParquetFile(path).metadata.num_rows for path in sources)
    done = 0
    for source in sources:
        stem = source.stem
        flat = {name: folder / f"{stem}.{name}.parquet" for name in FLAT}
        tags = tag_folder / f"{stem}.parquet"
        if not all(path.exists() for path in flat.values()):
            _write_flat(source, flat)
        if not tags.exists():
            tagger = tagger or PhraseTagger(technologies)
            _write_tags(source, tags, tagger, codes, _offset(on_progress, done, total))
        joined = {name: tag_folder / f"{stem}.{name}.parquet" for name in JOINED}
        if not all(path.exists() for path in joined.values()):
            _write_joined(tags, flat, joined)
        for name, path in (*flat.items(), *joined.items()):
            found[name].append(path)
        found["tags"].append(tags)
        done += pq.ParquetFile(source).metadata.num_rows
        if on_progress is not None:
            on_progress(done, total)
    found.update(_ensure_flagged(tag_folder, found))
    return found


def _offset(on_progress: Callable[[int, int], None] | None, start: int, total: int) -> Callable[[int], None]:
    def report(done: int) -> None:
        if on_progress is not None:
            on_progress(start + done, total)

    return report


def empty_file(folder: Path, name: str) -> Path:
    """An empty table of one kind, for an engine to read when the corpus has no parts yet."""
    path = folder / f"empty.{name}.parquet"
    if not path.exists():
        _publish(SCHEMAS[name].empty_table(), path)
    return path


def _write_flat(source: Path, targets: Mapping[str, Path]) -> None:
    columns = [*WORK_COLUMNS, "countries", "institutions"]
    file = pq.ParquetFile(source)
    has_citations = "cited_by_year" in file.schema_arrow.names
    if has_citations:
        columns.append("cited_by_year")
    pieces: dict[str, list[pa.Table]] = {name: [] for name in targets}
    for batch in file.iter_batches(batch_size=BATCH_ROWS, columns=columns):
        batch = batch.append_column("key", work_keys(batch.column("id")))
        pieces["works"].append(pa.Table.from_batches([batch]).select(SCHEMAS["works"].names))
        countries = _countries(batch)
        pieces["countries"].append(countries)
        pieces["pairs"].append(_pairs(countries))
        pieces["institutions"].append(_institutions(batch))
        if has_citations:
            pieces["citations"].append(_citations(batch))
    for name, path in targets.items():
        tables = pieces[name]
        table = pa.concat_tables(tables) if tables else SCHEMAS[name].empty_table()
        _publish(table.cast(SCHEMAS[name]), path)


def _unnested(batch: pa.RecordBatch, column: str) -> tuple[pa.Array, pa.Array, pa.Array]:
    """The list column's items with the id and import of the work each came from."""
    values = batch.column(column)
    parents = pc.list_parent_indices(values)
    return (
        pc.take(batch.column("key"), parents),
        pc.take(batch.column("import_id"), parents),
        pc.list_flatten(values),
    )


def _countries(batch: pa.RecordBatch) -> pa.Table:
    ids, imports, countries = _unnested(batch, "countries")
    table = pa.table({"key": ids, "import_id": imports, "country": pc.utf8_upper(countries)})
    table = table.filter(pc.and_(pc.is_valid(table["country"]), pc.not_equal(table["country"], "")))
    # A work names a country once, however many of its authors are there; k, its number of countries, splits it.
    distinct = table.group_by(["key", "import_id", "country"], use_threads=False).aggregate([])
    k = distinct.group_by(["key", "import_id"], use_threads=False).aggregate([([], "count_all")])
    return distinct.join(k.rename_columns(["key", "import_id", "k"]), ["key", "import_id"], use_threads=False)


def _pairs(countries: pa.Table) -> pa.Table:
    several = countries.filter(pc.greater(countries["k"], 1)).select(["key", "import_id", "country"])
    joined = several.join(several, ["key", "import_id"], right_suffix="_b", use_threads=False)
    joined = joined.filter(pc.less(joined["country"], joined["country_b"]))
    return pa.table(
        {
            "key": joined["key"],
            "import_id": joined["import_id"],
            "country_a": joined["country"],
            "country_b": joined["country_b"],
        }
    )


def _institutions(batch: pa.RecordBatch) -> pa.Table:
    ids, imports, items = _unnested(batch, "institutions")
    key = pc.coalesce(pc.struct_field(items, "id"), pc.struct_field(items, "name"))
    table = pa.table(
        {
            "key": ids,
            "import_id": imports,
            "institution": key,
            "inst": string_keys(key),
            "name": pc.struct_field(items, "name"),
            "country": pc.utf8_upper(pc.struct_field(items, "country")),
        }
    )
    return table.filter(pc.is_valid(table["institution"]))


def _citations(batch: pa.RecordBatch) -> pa.Table:
    ids, imports, items = _unnested(batch, "cited_by_year")
    return pa.table(
        {
            "key": ids,
            "import_id": imports,
            "year": pc.struct_field(items, "year"),
            "count": pc.struct_field(items, "count"),
        }
    )


def _write_tags(
    source: Path, target: Path, tagger: PhraseTagger, codes: Mapping[str, int], on_progress: Callable[[int], None]
) -> None:
    file = pq.ParquetFile(source)
    out: dict[str, list[Any]] = {name: [] for name in SCHEMAS["tags"].names}
    done = 0
    carried = ("year", "cited_by_count", "is_top10", "citation_percentile")
    columns = ["id", "import_id", "title", "keywords", "abstract", "topics", *carried]
    for batch in file.iter_batches(batch_size=BATCH_ROWS, columns=columns):
        rows = batch.to_pydict()
        for position, (work_id, import_id, title, keywords, abstract, topics) in enumerate(
            zip(
                rows["id"],
                rows["import_id"],
                rows["title"],
                rows["keywords"],
                rows["abstract"],
                rows["topics"],
                strict=True,
            )
        ):
            key = work_key(work_id)
            for tag in tagger.tag(title, keywords, abstract, topics):
                for name in carried:
                    out[name].append(rows[name][position])
                out["key"].append(key)
                out["work_id"].append(work_id)
                out["import_id"].append(import_id)
                out["technology"].append(tag.technology)
                out["tech"].append(codes[tag.technology])
                out["direct"].append(tag.via is None)
                out["phrase"].append(tag.phrase)
                out["field"].append(tag.field)
                out["via"].append(tag.via)
        done += batch.num_rows
        on_progress(done)
    _publish(pa.table(out, schema=SCHEMAS["tags"]), target)


def _write_joined(tags: Path, flat: Mapping[str, Path], targets: Mapping[str, Path]) -> None:
    """The part's tags joined to its works' country pairs (one Arrow join each)."""
    tagged = pq.read_table(tags, columns=["key", "import_id", "technology", "tech"])
    for name, path in targets.items():
        table = tagged.join(
            pq.read_table(flat[JOINED[name]]), ["key", "import_id"], join_type="inner", use_threads=False
        )
        _publish(table.select(SCHEMAS[name].names).cast(SCHEMAS[name]), path)


def _ensure_flagged(tag_folder: Path, found: Mapping[str, list[Path]]) -> dict[str, list[Path]]:
    """The FLAGGED tables of every part for the corpus as it is now (its parts and their sizes), written once."""
    tags = found["tags"]
    if not tags:
        return {name: [] for name in FLAGGED}
    state = orjson.dumps([(path.name, pq.ParquetFile(path).metadata.num_rows) for path in tags])
    folder = tag_folder / f"top10-{hashlib.sha256(state).hexdigest()[:16]}"
    targets = {name: [folder / f"{path.stem}.{name}.parquet" for path in tags] for name in FLAGGED}
    if not all(path.exists() for paths in targets.values() for path in paths):
        _write_flagged(found, targets)
        # The state before this one is kept, for a scan that may still be reading it; older ones go.
        older = sorted((p for p in tag_folder.glob("top10-*") if p != folder), key=lambda p: p.stat().st_mtime)
        for stale in older[:-1]:
            shutil.rmtree(stale, ignore_errors=True)
    return targets


def _write_flagged(found: Mapping[str, list[Path]], targets: Mapping[str, list[Path]]) -> None:
    """Each tag's top-10 % flag as a scan of everything defines it (indicators.py: OpenAlex's flag, else citations
    at or above the 90th percentile of the technology's works that year over every part), then joined per part."""
    engine = DuckDBEngine()
    try:
        engine.register("tags", found["tags"])
        engine.materialise("q", PERCENTILES_SQL.format(source="(SELECT tech, year, cited_by_count AS cited FROM tags)"))
        for position, tags in enumerate(found["tags"]):
            engine.register("part", [tags])
            listed = ", ".join(f"tw.{name}" for name in SCHEMAS["tag_works"].names if name != "top10")
            flagged = engine.arrow(
                f"""
                SELECT {listed}, {TOP10_FLAG} AS top10
                FROM (SELECT p.*, p.cited_by_count AS cited, {OPENALEX_TOP10} AS oa_top10 FROM part p) tw
                LEFT JOIN q ON q.tech = tw.tech AND q.year = tw.year
                """
            ).cast(SCHEMAS["tag_works"])
            for name, joined in FLAGGED.items():
                table = flagged
                if joined is not None:
                    right = pq.read_table(found[joined][position])
                    if name == "tag_institutions":
                        right = right.select(["key", "import_id", "institution", "inst", "country"])
                    table = flagged.join(right, ["key", "import_id"], join_type="inner", use_threads=False)
                _publish(table.select(SCHEMAS[name].names).cast(SCHEMAS[name]), targets[name][position])
    finally:
        engine.close()


def _publish(table: pa.Table, path: Path) -> None:
    """Written under a temporary name and renamed, so a crash never leaves half a file that looks whole."""
    path.parent.mkdir(parents=True, exist_ok=True)
    temp = path.with_name(f".tmp-{os.getpid()}-{path.name}")
    pq.write_table(table, temp, compression="zstd")
    os.replace(temp, path)
