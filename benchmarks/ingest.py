"""Ingest benchmark: OpenAlex works per second into the store and the Parquet corpus, against plain orjson parsing.

For each size n, generates n OpenAlex-shaped works (benchmarks/openalex_generator.py; cached under a temporary folder
keyed by n, seed and compression), then in the same run:

- baseline: read the same file (gzip or plain JSON lines) and `orjson.loads` every line, nothing else;
- kizashi: the full `kizashi ingest works FILE` path, `kizashi.ingest.dispatch.ingest(workspace, actor, "works",
  [file])` on a fresh `Workspace.create(...)` (the actor, `actor_for(workspace, "bench")`: its operator, built before
  the clock starts): reader, extraction, content hashing, SQL insert, Parquet part, the audit event.

It prints works/s for both and their ratio (kizashi ÷ orjson); the goal is a ratio of at least 1/3 (GOAL below).
kizashi runs in a child process, so its peak memory is its own and an out-of-memory kill is reported, not fatal.

    python benchmarks/ingest.py                      # 100 k works, plain JSON lines
    python benchmarks/ingest.py --n 1000000 --gzip   # 1 M works, gzipped (several minutes)
    python benchmarks/ingest.py --n 20000 --profile  # also: stage timings and a cProfile breakdown

`--database-url postgresql+psycopg://...` benchmarks PostgreSQL instead of the workspace's SQLite file: each run
gets a schema of its own (`kizashi_bench_…`, dropped afterwards), so existing data is never touched.
"""

from __future__ import annotations

import argparse
import cProfile
import gc
import gzip
import multiprocessing
import os
import pstats
import resource
import shutil
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import IO, Any

import orjson

sys.path.insert(0, str(Path(__file__).resolve().parent))
import openalex_generator  # the sibling script, found through sys.path
from kizashi.store.scratch import scratch_database

GOAL = 1 / 3
GENERATOR_VERSION = 2  # bump when the generator's output changes, so cached files are regenerated
DEFAULT_CACHE = Path(tempfile.gettempdir()) / "kizashi-bench"


# ── the input file ──────────────────────────────────────────────────────────────────────────────────────────


def works_file(cache: Path, n: int, seed: int, compress: bool) -> Path:
    """The generated file for (n, seed, compression), made once and reused."""
    suffix = ".jsonl.gz" if compress else ".jsonl"
    vocabulary = "" if openalex_generator.SAMPLE.is_file() else "-builtin"  # without the real sample the text differs
    path = cache / f"openalex-works-n{n}-seed{seed}-v{GENERATOR_VERSION}{vocabulary}{suffix}"
    if not path.exists():
        print(f"generating {n:,} works into {path} ...", file=sys.stderr)
        started = time.perf_counter()
        openalex_generator.write(path, n, seed=seed, compress=compress, progress=n >= 100_000)
        print(f"  done in {time.perf_counter() - started:.0f} s", file=sys.stderr)
    return path


def open_lines(path: Path) -> IO[bytes]:
    return gzip.open(path, "rb") if path.suffix == ".gz" else path.open("rb")


# ── baseline ────────────────────────────────────────────────────────────────────────────────────────────────


def baseline(path: Path) -> tuple[int, float, float]:
    """Read the file and orjson.loads every line; (works, wall seconds, CPU seconds)."""
    loads = orjson.loads
    count = 0
    started, cpu = time.perf_counter(), time.process_time()
    with open_lines(path) as handle:
        for line in handle:
            loads(line)
            count += 1
    return count, time.perf_counter() - started, time.process_time() - cpu


def best_baseline(path: Path, repeat: int) -> tuple[int, float, float]:
    """The fastest of `repeat` runs (the first also warms the page cache for both contenders)."""
    runs = [baseline(path) for _ in range(max(1, repeat))]
    return min(runs, key=lambda run: run[1])


# ── kizashi ─────────────────────────────────────────────────────────────────────────────────────────────────


def fresh_workspace(folder: Path, database_url: str | None) -> Any:
    from sqlalchemy import func

    from kizashi.model import Work
    from kizashi.store.engine import sqlite_url
    from kizashi.store.readable import select_trusted
    from kizashi.store.workspace import DATABASE_FILE, Workspace

    # Without --database-url always the workspace's own SQLite file, whatever KIZASHI_DATABASE_URL says.
    url = database_url or sqlite_url(folder / DATABASE_FILE)
    workspace = Workspace.create(folder, url)
    with workspace.session() as session:
        counted = select_trusted(func.count(), why="the benchmark wants an empty store").select_from(Work)
        existing = session.execute(counted).scalar_one()
    if existing:
        workspace.close()
        raise SystemExit(f"the database already holds {existing:,} works; give an empty one")
    return workspace


def database_bytes(workspace: Any) -> int:
    """Size of the record store: the SQLite file (with WAL) or PostgreSQL's works + imports relations."""
    if workspace.backend == "sqlite":
        database = Path(workspace.engine.url.database)
        return sum(
            candidate.stat().st_size
            for candidate in (database, Path(f"{database}-wal"), Path(f"{database}-shm"))
            if candidate.exists()
        )
    from sqlalchemy import text

    with workspace.engine.connect() as connection:
        return int(
            connection.execute(
                text("select pg_total_relation_size('works') + pg_total_relation_size('imports')")
            ).scalar_one()
        )


class GcClock:
    """Time spent in the cyclic garbage collector (gc.callbacks), which runs inside whatever allocates."""

    def __init__(self) -> None:
        self.seconds = 0.0
        self.collections = 0
        self._started = 0.0

    def __enter__(self) -> GcClock:
        gc.callbacks.append(self._callback)
        return self

    def __exit__(self, *_exc: object) -> None:
        gc.callbacks.remove(self._callback)

    def _callback(self, phase: str, _info: dict[str, int]) -> None:
        if phase == "start":
            self._started = time.perf_counter()
        else:
            self.seconds += time.perf_counter() - self._started
            self.collections += 1


def run_kizashi(path: Path, folder: Path, database_url: str | None) -> dict[str, Any]:
    """The full ingest path on a fresh workspace in `folder`; seconds, counts and sizes."""
    from kizashi.ingest.dispatch import ingest
    from kizashi.protect.people import actor_for
    from kizashi.settings import get_settings
    from kizashi.store.corpus import works_dir

    workspace = fresh_workspace(folder, database_url)
    actor = actor_for(workspace, "bench")  # a workspace without users: its operator
    backend = workspace.backend
    with GcClock() as collector:
        started, cpu = time.perf_counter(), all_cpu()
        report = ingest(workspace, actor, "works", [path])
        seconds, cpu_seconds = time.perf_counter() - started, all_cpu() - cpu
    if backend != "sqlite":
        db_bytes = database_bytes(workspace)
    workspace.close()  # the last connection checkpoints the WAL into the SQLite file
    if backend == "sqlite":
        db_bytes = database_bytes(workspace)
    parquet = sum(part.stat().st_size for part in works_dir(workspace).glob("*.parquet"))
    return {
        "seconds": seconds,
        "cpu_seconds": cpu_seconds,
        "gc_seconds": collector.seconds,
        "gc_collections": collector.collections,
        "works": report.total,
        "counts": report.counts(),
        "backend": backend,
        "batch_size": get_settings().batch_size,
        "db_bytes": db_bytes,
        "parquet_bytes": parquet,
        "max_rss": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024,
        "reader_rss": resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss * 1024,
    }


def all_cpu() -> float:
    """CPU seconds of this process and of its finished children: the reader process of a large import counts too."""
    times = os.times()
    return times.user + times.system + times.children_user + times.children_system


def physical_memory() -> int:
    return os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES")


def in_child(function: Callable[..., dict[str, Any]], *args: Any, memory_limit: int = 0) -> dict[str, Any]:
    """Run `function(*args)` in a forked child; its result, or {"error": ...} when it fails or is killed.

    `memory_limit` (bytes of address space, 0 for none) makes a runaway child fail with MemoryError instead of
    waking the kernel's out-of-memory killer on a shared machine.
    """
    context = multiprocessing.get_context("fork")
    receiver, sender = context.Pipe(duplex=False)

    def target() -> None:
        if memory_limit:
            resource.setrlimit(resource.RLIMIT_AS, (memory_limit, memory_limit))
        try:
            result = function(*args)
        except BaseException as exc:  # reported to the parent, which prints it
            result = {"error": f"{type(exc).__name__}: {exc}"}
        sender.send(result)
        sender.close()

    process = context.Process(target=target)
    process.start()
    sender.close()
    try:
        result = receiver.recv()
    except EOFError:
        result = None
    process.join()
    if result is None:
        code = process.exitcode
        reason = "was killed (out of memory?)" if code == -9 else f"exited with code {code}"
        return {"error": f"kizashi ingest {reason}"}
    return result


# ── profile ─────────────────────────────────────────────────────────────────────────────────────────────────

# (label, file suffix, function name): the cumulative time of each, from one cProfile of the full ingest.
PROFILE_PARTS = [
    ("reader: lines + orjson.loads + Row (tabular._jsonl_rows)", "kizashi/files/tabular.py", "_jsonl_rows"),
    ("extraction (openalex.native.native_work)", "kizashi/ingest/openalex/native.py", "native_work"),
    ("  abstract rebuild (openalex.fields.abstract)", "kizashi/ingest/openalex/fields.py", "abstract"),
    ("  authorships (openalex.native._authorships)", "kizashi/ingest/openalex/native.py", "_authorships"),
    ("hashing (loader.content_hash)", "kizashi/ingest/loader.py", "content_hash"),
    ("dedupe (loader._deduplicated)", "kizashi/ingest/loader.py", "_deduplicated"),
    ("SQL write (loader._write_batch, incl. hashing)", "kizashi/ingest/loader.py", "_write_batch"),
    ("  JSON columns serialised (engine._dumps)", "kizashi/store/engine.py", "_dumps"),
    ("  sqlite3 executemany", "~", "<method 'executemany' of 'sqlite3.Cursor' objects>"),
    ("  psycopg executemany", "psycopg/cursor.py", "executemany"),
    ("Parquet: rows collected (CorpusPart.append)", "kizashi/store/corpus.py", "append"),
    ("Parquet: write (CorpusPart._flush)", "kizashi/store/corpus.py", "_flush"),
    ("commit and publish (Session commit, os.replace)", "sqlalchemy/orm/session.py", "commit"),
    ("sync (corpus.sync, before the import)", "kizashi/store/corpus.py", "sync"),
]


def _cumulative(stats: pstats.Stats, suffix: str, name: str) -> float | None:
    total = None
    for (filename, _line, function), (_cc, _nc, _tt, ct, _callers) in stats.stats.items():  # type: ignore[attr-defined]
        if function == name and (filename == suffix or filename.endswith(suffix)):
            total = (total or 0.0) + ct
    return total


def profile_ingest(path: Path, folder: Path, database_url: str | None, out: Path) -> dict[str, Any]:
    from kizashi.ingest.dispatch import ingest
    from kizashi.protect.people import actor_for

    workspace = fresh_workspace(folder, database_url)
    actor = actor_for(workspace, "bench")
    profiler = cProfile.Profile()
    profiler.enable()
    report = ingest(workspace, actor, "works", [path])
    profiler.disable()
    workspace.close()
    profiler.dump_stats(out)
    return {"works": report.total, "stats": str(out)}


def stage_timings(path: Path, folder: Path) -> list[tuple[str, float]]:
    """CPU time of growing prefixes of the pipeline, without a profiler's distortion (seconds each).

    CPU time rather than wall time, so other processes on the machine disturb the shares less.
    """
    from kizashi.files.tabular import Row, iter_rows
    from kizashi.ingest.loader import content_hash, load
    from kizashi.ingest.openalex import read_openalex_json
    from kizashi.store.corpus import CorpusPart

    def timed(function: Callable[[], Any]) -> float:
        gc.collect()
        started = time.process_time()
        function()
        return time.process_time() - started

    def rows() -> None:
        for _row in iter_rows(path):
            pass

    def extracted() -> None:
        for _work, _row in read_openalex_json(path):
            pass

    def hashed() -> None:
        for work, _row in read_openalex_json(path):
            content_hash(work)

    measured = [
        ("orjson baseline (read + loads)", timed(lambda: baseline(path))),
        ("+ Row objects (tabular.iter_rows)", timed(rows)),
        ("+ extraction (read_openalex_json)", timed(extracted)),
        ("+ content_hash", timed(hashed)),
    ]

    works = [work for work, _row in read_openalex_json(path)]
    for work in works:
        work["content_hash"] = content_hash(work)
        work["import_id"] = 1

    class _Scratch:  # just enough of a Workspace for CorpusPart
        corpus_dir = folder / "stage-corpus"

    def parquet() -> None:
        part = CorpusPart(_Scratch(), "works")  # type: ignore[arg-type]
        part.append(works)
        part.close()
        part.discard()

    measured.append(("Parquet alone (CorpusPart on the extracted rows)", timed(parquet)))

    def store() -> None:
        workspace = fresh_workspace(folder / "stage-store", None)
        for work in works:
            del work["content_hash"], work["import_id"]
        parsed = ((work, Row(path, number, {})) for number, work in enumerate(works, start=1))
        gc.freeze()  # the prepared works are not the loader's doing: keep them out of the collector's scans
        try:
            load(workspace, "works", parsed, [path], last_wins=True)
        finally:
            gc.unfreeze()
            workspace.close()

    measured.append(("store alone (loader.load on the extracted works)", timed(store)))
    works.clear()
    gc.collect()
    full = in_child(run_kizashi, path, folder / "stage-ws", None)
    if "error" in full:
        raise SystemExit(f"the full ingest failed: {full['error']}")
    measured.append(("full ingest (dispatch.ingest, SQLite)", full["cpu_seconds"]))
    measured.append(("  of which in the garbage collector", full["gc_seconds"]))
    return measured


def print_profile(path: Path, n_profile: int, folder: Path, args: argparse.Namespace) -> None:
    print(f"\n## where the time goes: {n_profile:,} works ({path.name})\n")
    stages = stage_timings(path, folder)
    by_label = dict(stages)
    print(f"{'stage (CPU time, no profiler)':<52} {'s':>7} {'works/s':>9}")
    for label, seconds in stages:
        rate = "" if label.startswith("  ") else f"{n_profile / seconds:9,.0f}"
        print(f"{label:<52} {seconds:7.2f} {rate:>9}")
    base = by_label["orjson baseline (read + loads)"]
    rows = by_label["+ Row objects (tabular.iter_rows)"]
    extraction = by_label["+ extraction (read_openalex_json)"]
    hashing = by_label["+ content_hash"]
    parquet = by_label["Parquet alone (CorpusPart on the extracted rows)"]
    full = by_label["full ingest (dispatch.ingest, SQLite)"]
    stored = by_label["store alone (loader.load on the extracted works)"]
    collector = by_label["  of which in the garbage collector"]
    shares = [
        ("read + orjson.loads", base),
        ("Row objects / tabular reader overhead", rows - base),
        ("extraction (openalex.native.native_work)", extraction - rows),
        ("content_hash (orjson.dumps sorted + blake2b)", hashing - extraction),
        ("SQL insert and commit (store alone - hash - Parquet)", stored - (hashing - extraction) - parquet),
        ("Parquet (from_pylist + zstd write)", parquet),
        # The stages alone keep little alive, so the collector hardly runs in them; in the full ingest it does.
        ("cyclic garbage collector (gc.callbacks)", collector),
    ]
    # What none of the stages shows alone: the stages interfering through memory and caches (a full collection
    # evicts what the parser had warm, a heap full of live rows makes allocation slower).
    shares.append(("the rest: interference (full - all of the above)", full - sum(seconds for _, seconds in shares)))
    print("\nshares of the full ingest (differences of the stages above):")
    for label, seconds in shares:
        print(f"  {label:<54} {seconds:7.2f} s  {100 * seconds / full:5.1f} %")

    stats_file = folder / "ingest.prof"
    with scratch_database(args.database_url) as url:
        result = in_child(profile_ingest, path, folder / "profile-ws", url, stats_file, memory_limit=args.memory_limit)
    if "error" in result:
        print(f"\ncProfile run failed: {result['error']}")
        return
    stats = pstats.Stats(str(stats_file))
    total = _cumulative(stats, "kizashi/ingest/dispatch.py", "ingest") or 1.0
    print(f"\ncProfile of the full ingest ({total:.2f} s under the profiler; cumulative time, parts overlap):")
    for label, suffix, name in PROFILE_PARTS:
        seconds = _cumulative(stats, suffix, name)
        if seconds is not None:
            print(f"  {label:<58} {seconds:7.2f} s  {100 * seconds / total:5.1f} %")
    print("\ntop functions by own time:")
    stats.sort_stats("tottime").print_stats(18)


# ── the table ───────────────────────────────────────────────────────────────────────────────────────────────


def measure(n: int, args: argparse.Namespace) -> dict[str, Any]:
    path = works_file(args.cache_dir, n, args.seed, args.gzip)
    print(f"n={n:,}: baseline (best of {args.repeat}) ...", file=sys.stderr)
    works, base_seconds, base_cpu = best_baseline(path, args.repeat)
    print(f"n={n:,}: kizashi ingest ...", file=sys.stderr)
    with (
        tempfile.TemporaryDirectory(prefix="kizashi-bench-ws-", dir=args.work_dir) as folder,
        scratch_database(args.database_url) as url,
    ):
        result = in_child(run_kizashi, path, Path(folder) / "ws", url, memory_limit=args.memory_limit)
    row: dict[str, Any] = {
        "n": n,
        "file": str(path),
        "file_mb": path.stat().st_size / 1e6,
        "orjson_per_s": works / base_seconds,
        "orjson_seconds": base_seconds,
        "orjson_cpu_seconds": base_cpu,
    }
    if "error" in result:
        row["error"] = result["error"]
        return row
    if result["works"] != works:
        row["error"] = f"kizashi stored {result['works']:,} works, the file has {works:,}"
    row.update(
        kizashi_per_s=result["works"] / result["seconds"],
        kizashi_seconds=result["seconds"],
        backend=result["backend"],
        batch_size=result["batch_size"],
        db_mb=result["db_bytes"] / 1e6,
        parquet_mb=result["parquet_bytes"] / 1e6,
        max_rss_mb=result["max_rss"] / 1e6,
        gc_seconds=result["gc_seconds"],
        gc_collections=result["gc_collections"],
    )
    row["ratio"] = row["kizashi_per_s"] / row["orjson_per_s"]
    # The same ratio from CPU time: steadier than wall time when other processes share the cores.
    row["cpu_ratio"] = (base_cpu / works) / (result["cpu_seconds"] / result["works"])
    row["goal_met"] = row["ratio"] >= GOAL
    return row


def print_table(rows: list[dict[str, Any]]) -> None:
    header = (
        f"{'n':>9} {'file MB':>8} {'orjson/s':>9} {'kizashi/s':>9} {'ratio':>6} {'goal':>5} {'cpu ratio':>9} "
        f"{'db MB':>8} {'parquet MB':>10} {'kizashi s':>9} {'of it GC s':>10} {'peak RSS MB':>11}"
    )
    print(header)
    print("-" * len(header))
    for row in rows:
        if "kizashi_per_s" not in row:
            print(f"{row['n']:>9,} {row['file_mb']:8.1f} {row['orjson_per_s']:9,.0f}  {row['error']}")
            continue
        print(
            f"{row['n']:>9,} {row['file_mb']:8.1f} {row['orjson_per_s']:9,.0f} {row['kizashi_per_s']:9,.0f} "
            f"{row['ratio']:6.3f} {'yes' if row['goal_met'] else 'no':>5} {row['cpu_ratio']:9.3f} {row['db_mb']:8.1f} "
            f"{row['parquet_mb']:10.1f} {row['kizashi_seconds']:9.1f} {row['gc_seconds']:10.1f} {row['max_rss_mb']:11,.0f}"
        )
        if "error" in row:
            print(f"          note: {row['error']}")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--n", type=int, action="append", help="works per run; repeat for several (default 100000)")
    parser.add_argument("--gzip", action="store_true", help="benchmark a gzipped file (.jsonl.gz, as the snapshot)")
    parser.add_argument(
        "--database-url",
        help="benchmark this database instead of the workspace's SQLite file (PostgreSQL: in a scratch schema)",
    )
    parser.add_argument("--seed", type=int, default=0, help="generator seed (default 0)")
    parser.add_argument("--repeat", type=int, default=2, help="baseline runs; the fastest counts (default 2)")
    parser.add_argument(
        "--cache-dir", type=Path, default=DEFAULT_CACHE, help=f"generated files (default {DEFAULT_CACHE})"
    )
    parser.add_argument("--work-dir", type=Path, default=None, help="where the temporary workspaces go")
    parser.add_argument(
        "--profile",
        nargs="?",
        type=int,
        const=20_000,
        default=None,
        metavar="N",
        help="also time the stages and cProfile the ingest of N works (default 20000)",
    )
    parser.add_argument(
        "--memory-limit",
        type=float,
        default=0.8 * physical_memory() / 2**30,
        metavar="GiB",
        help="address-space limit of the kizashi child, so a runaway import fails instead of exhausting the "
        "machine (default 80%% of RAM; 0 for none)",
    )
    parser.add_argument("--json", type=Path, help="also write the results as JSON to this file")
    args = parser.parse_args(argv)
    args.memory_limit = int(args.memory_limit * 2**30)
    sizes = args.n or [100_000]
    args.cache_dir.mkdir(parents=True, exist_ok=True)
    if args.work_dir is not None:
        args.work_dir.mkdir(parents=True, exist_ok=True)

    import kizashi

    print(
        f"kizashi {kizashi.__version__}, Python {sys.version.split()[0]}, orjson {orjson.__version__}, "
        f"{os.cpu_count()} CPUs, load average {os.getloadavg()[0]:.2f}",
    )
    print(f"input: OpenAlex works as {'gzipped ' if args.gzip else ''}JSON lines, generated (seed {args.seed})")
    print(f"baseline: read the same file and orjson.loads every line; goal: kizashi/orjson >= {GOAL:.2f}")
    print("ratio: from wall time (the goal); cpu ratio: the same from CPU time, steadier on a busy machine\n")
    rows = []
    for n in sizes:
        rows.append(measure(n, args))
    backend = next((row["backend"] for row in rows if "backend" in row), "?")
    batch = next((row["batch_size"] for row in rows if "batch_size" in row), "?")
    print(
        f"store: {backend}, batch size {batch}; kizashi child memory limit "
        f"{args.memory_limit / 2**30:.1f} GiB; load average after: {os.getloadavg()[0]:.2f}\n"
    )
    print_table(rows)
    if args.json:
        args.json.write_text(orjson.dumps(rows, option=orjson.OPT_INDENT_2).decode(), encoding="utf-8")
    if args.profile:
        folder = Path(tempfile.mkdtemp(prefix="kizashi-bench-profile-", dir=args.work_dir))
        try:
            path = works_file(args.cache_dir, args.profile, args.seed, args.gzip)
            print_profile(path, args.profile, folder, args)
        finally:
            shutil.rmtree(folder, ignore_errors=True)
    failed = any("kizashi_per_s" not in row for row in rows)
    return 1 if failed else 0


if __name__ == "__main__":
    raise SystemExit(main())
