"""Access-policy benchmark: listing labelled records with the policy filter against the same query without it.

Creates a fresh workspace, inserts n needs (default 100 k) with a realistic label mix — most PUBLIC or INTERNAL
without compartments, some CONFIDENTIAL and SECRET needing one or two of ten compartments, 5 % with a TLP marking —
then, in the same run,
times the listing of `kizashi list needs` (the LIST_COLUMNS of store/records.py, in id order, every row fetched):

- baseline: the query without a filter (a trusted read, `kizashi.store.readable.select_trusted`: the workspace's
  engine refuses any other select of a labelled table);
- policy: the same query as a reader's, built by `kizashi.store.readable.select_readable`, which adds exactly
  `WHERE readable(needs, clearance, backend)` (kizashi.policy.sql; needs are records, not derived rows, so nothing
  more).

Each contender runs --repeat times (default 5), alternating; the fastest counts. Printed per kind of user: rows
returned, both times, and the overhead (policy ÷ baseline − 1); the goal is an overhead below 30 % (GOAL).
The count of rows each user gets is checked against `can_read` on the labels in Python.

    python benchmarks/policy.py                  # 100 k needs in the workspace's SQLite file
    python benchmarks/policy.py --n 1000000
    python benchmarks/policy.py --database-url postgresql+psycopg://user@host/db   # in a scratch schema
    python benchmarks/policy.py --index level    # also try with an index (a comma list of columns) on needs

With `--database-url postgresql+psycopg://...` the run gets a schema of its own (`kizashi_bench_…`, dropped
afterwards), as benchmarks/ingest.py does, so existing data is never touched.
"""

from __future__ import annotations

import argparse
import gc
import os
import random
import shutil
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from functools import partial
from pathlib import Path
from typing import Any

from kizashi.store.scratch import scratch_database

GOAL = 0.30
COMPARTMENTS = [
    "防衛装備",
    "サイバー",
    "宇宙",
    "量子",
    "経済安保",
    "NATO",
    "FIVE EYES",
    "project 'kite'",
    "100%_review",
    "輸出管理",
]
WORDS = [
    "量子",
    "センサ",
    "小型",
    "衛星",
    "通信",
    "暗号",
    "耐量子",
    "無人",
    "水中",
    "探知",
    "材料",
    "半導体",
    "AI",
    "自律",
    "航法",
    "電磁波",
    "防護",
    "高出力",
    "レーザー",
    "sensor",
    "quantum",
    "drone",
    "swarm",
    "radar",
    "hypersonic",
    "detection",
    "resilient",
    "supply",
    "chain",
    "battery",
    "autonomy",
    "lidar",
]
ORGANIZATIONS = ["防衛装備庁", "NEDO", "JAXA", "産総研", "NIDS", "Acme K.K.", "Tohoku Univ.", "MHI", None]
COUNTRIES = ["JP", "US", "GB", "AU", "DE", "FR", None]
THREATS = ["cyber", "space", "cbrn", "maritime", None]


# ── the data ────────────────────────────────────────────────────────────────────────────────────────────────


def label(rng: random.Random) -> tuple[str, list[str]]:
    """A label drawn from the mix: 45 % PUBLIC, 35 % INTERNAL (a few with a compartment), 13 % CONFIDENTIAL,
    7 % SECRET; the two upper levels mostly need one or two compartments."""
    draw = rng.random()
    if draw < 0.45:
        return "PUBLIC", []
    if draw < 0.80:
        return "INTERNAL", rng.sample(COMPARTMENTS, 1) if rng.random() < 0.05 else []
    if draw < 0.93:
        return "CONFIDENTIAL", rng.sample(COMPARTMENTS, rng.choice((1, 1, 2))) if rng.random() < 0.7 else []
    return "SECRET", rng.sample(COMPARTMENTS, rng.choice((1, 2)))


SHARERS = ["NISC", "JPCERT", "NIDS", "防衛装備庁"]


def marking(rng: random.Random) -> tuple[str | None, str | None, list[str]]:
    """A TLP 2.0 marking on 5 % of the records (threat information shared by an organisation): 2 % CLEAR or GREEN,
    2 % AMBER (some shared with a second organisation), 0.5 % AMBER+STRICT, 0.5 % RED to two named people."""
    draw = rng.random()
    if draw < 0.95:
        return None, None, []
    owner = rng.choice(SHARERS)
    if draw < 0.97:
        return rng.choice(("CLEAR", "GREEN")), owner, []
    if draw < 0.99:
        return "AMBER", owner, rng.sample(SHARERS, 1) if rng.random() < 0.5 else []
    if draw < 0.995:
        return "AMBER+STRICT", owner, []
    return "RED", owner, rng.sample(["analyst", "chief", "guest", "staff", "someone"], 2)


def needs(n: int, seed: int) -> Iterator[dict[str, Any]]:
    rng = random.Random(seed)
    for number in range(n):
        level, compartments = label(rng)
        tlp, tlp_owner, tlp_recipients = marking(rng)
        yield {
            "id": f"need:{number:08d}",
            "title": " ".join(rng.choices(WORDS, k=rng.randint(4, 12))),
            "description": " ".join(rng.choices(WORDS, k=rng.randint(30, 120))),
            "lang": rng.choice(("ja", "en")),
            "keywords": rng.sample(WORDS, rng.randint(0, 5)),
            "organization": rng.choice(ORGANIZATIONS),
            "country": rng.choice(COUNTRIES),
            "trl": rng.choice((None, *range(1, 10))),
            "threat": rng.choice(THREATS),
            "deadline": None,
            "source": "bench",
            "extra": {},
            "level": level,
            "compartments": compartments,
            "tlp": tlp,
            "tlp_owner": tlp_owner,
            "tlp_recipients": tlp_recipients,
            "content_hash": f"{number:032x}",
        }


def fill(workspace: Any, n: int, seed: int, indexes: list[str]) -> list[dict[str, Any]]:
    """Insert n needs; their label columns, in insertion order."""
    from sqlalchemy import insert, text

    from kizashi.model import Need

    table = Need.__table__
    labels: list[dict[str, Any]] = []
    batch: list[dict[str, Any]] = []
    with workspace.engine.begin() as connection:
        for row in needs(n, seed):
            labels.append({key: row[key] for key in ("level", "compartments", "tlp", "tlp_owner", "tlp_recipients")})
            batch.append(row)
            if len(batch) == 5000:
                connection.execute(insert(table), batch)
                batch.clear()
        if batch:
            connection.execute(insert(table), batch)
        for columns in indexes:
            name = "bench_ix_needs_" + columns.replace(",", "_")
            connection.execute(text(f"CREATE INDEX {name} ON needs ({columns})"))
    # Planner statistics, as a server that has been running would have them.
    if workspace.backend == "postgresql":
        with workspace.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as connection:
            connection.execute(text("VACUUM ANALYZE needs"))
    else:
        with workspace.engine.begin() as connection:
            connection.execute(text("ANALYZE"))
    return labels


# ── the measurement ─────────────────────────────────────────────────────────────────────────────────────────


def users() -> list[tuple[str, Any]]:
    from kizashi.policy import Clearance

    return [
        ("PUBLIC user", Clearance.public("guest")),
        ("INTERNAL, no compartments", Clearance("staff", "INTERNAL")),
        ("SECRET, 3 compartments, NIDS", Clearance("analyst", "SECRET", frozenset(COMPARTMENTS[:3]), "NIDS")),
        ("SECRET, all 10, NISC (worst)", Clearance("chief", "SECRET", frozenset(COMPARTMENTS), "NISC")),
    ]


def timed(connection: Any, statement: Any) -> tuple[float, int]:
    gc.collect()  # the previous run's rows are garbage: collect them now, not inside this run
    started = time.perf_counter()
    rows = connection.execute(statement).all()
    return time.perf_counter() - started, len(rows)


def best_of(repeat: int, contenders: list[Callable[[], tuple[float, int]]]) -> list[tuple[float, int]]:
    """Run the contenders in turn `repeat` times (alternating, so drift hits both alike); the fastest of each."""
    runs: list[list[tuple[float, int]]] = [[] for _ in contenders]
    for _ in range(repeat):
        for runs_of, contender in zip(runs, contenders, strict=True):
            runs_of.append(contender())
    return [min(runs_of) for runs_of in runs]


def measure(workspace: Any, labels: list[dict[str, Any]], repeat: int) -> list[dict[str, Any]]:
    from sqlalchemy import func

    from kizashi.model import Need
    from kizashi.policy import Label, can_read
    from kizashi.store.readable import select_readable, select_trusted
    from kizashi.store.records import LIST_COLUMNS

    table = Need.__table__
    columns = [table.c[name] for name in LIST_COLUMNS["needs"]]
    why = "the benchmark's baseline: the same listing without the access policy"
    listing = select_trusted(*columns, why=why).order_by(table.c.id)
    counting = select_trusted(func.count(), why=why).select_from(table)
    results = []
    with workspace.engine.connect() as connection:
        timed(connection, listing)  # warm the cache before the first contender
        for name, clearance in users():
            readable_listing = select_readable(clearance, workspace.backend, table, columns=columns)
            readable_listing = readable_listing.order_by(table.c.id)
            readable_counting = select_readable(clearance, workspace.backend, table, columns=[func.count()])
            expected = sum(can_read(clearance, Label.of(row)) for row in labels)
            (base, base_rows), (policy, policy_rows) = best_of(
                repeat, [partial(timed, connection, listing), partial(timed, connection, readable_listing)]
            )
            (count_base, _), (count_policy, _) = best_of(
                repeat, [partial(timed, connection, counting), partial(timed, connection, readable_counting)]
            )
            got = connection.execute(readable_counting).scalar_one()
            if policy_rows != expected or got != expected:
                raise SystemExit(
                    f"{name}: the filter returned {policy_rows} rows (count {got}), can_read allows {expected}"
                )
            results.append(
                {
                    "user": name,
                    "rows": policy_rows,
                    "of": base_rows,
                    "baseline_s": base,
                    "policy_s": policy,
                    "overhead": policy / base - 1,
                    "count_baseline_ms": 1000 * count_base,
                    "count_policy_ms": 1000 * count_policy,
                }
            )
    return results


def print_table(results: list[dict[str, Any]]) -> None:
    header = (
        f"{'user':<28} {'rows':>15} {'no filter s':>11} {'policy s':>9} {'overhead':>9} {'goal':>5}"
        f" {'count ms':>9} {'with policy':>11}"
    )
    print(header)
    print("-" * len(header))
    for row in results:
        rows = f"{row['rows']:,}/{row['of']:,}"
        print(
            f"{row['user']:<28} {rows:>15} {row['baseline_s']:11.3f} {row['policy_s']:9.3f} "
            f"{100 * row['overhead']:8.1f}% {'yes' if row['overhead'] < GOAL else 'no':>5}"
            f" {row['count_baseline_ms']:9.1f} {row['count_policy_ms']:11.1f}"
        )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--n", type=int, default=100_000, help="needs to insert (default 100000)")
    parser.add_argument("--database-url", help="benchmark this database (PostgreSQL: in a scratch schema)")
    parser.add_argument("--repeat", type=int, default=5, help="runs of each contender; the fastest counts (default 5)")
    parser.add_argument("--seed", type=int, default=0, help="seed of the labels and texts (default 0)")
    parser.add_argument(
        "--index", action="append", default=[], metavar="COLUMNS", help="create this index on needs first (repeatable)"
    )
    parser.add_argument("--work-dir", type=Path, default=None, help="where the temporary workspace goes")
    args = parser.parse_args(argv)

    import sqlalchemy

    import kizashi
    from kizashi.store.engine import sqlite_url
    from kizashi.store.workspace import DATABASE_FILE, Workspace

    print(
        f"kizashi {kizashi.__version__}, Python {sys.version.split()[0]}, SQLAlchemy {sqlalchemy.__version__}, "
        f"{os.cpu_count()} CPUs, load average {os.getloadavg()[0]:.2f}"
    )
    folder = Path(tempfile.mkdtemp(prefix="kizashi-bench-policy-", dir=args.work_dir))
    try:
        with scratch_database(args.database_url) as url:
            workspace = Workspace.create(folder, url or sqlite_url(folder / DATABASE_FILE))
            try:
                started = time.perf_counter()
                labels = fill(workspace, args.n, args.seed, args.index)
                print(
                    f"store: {workspace.backend}; {args.n:,} needs inserted in {time.perf_counter() - started:.1f} s"
                    f"{'; indexes: ' + ', '.join(args.index) if args.index else ''}"
                )
                print(
                    f"listing: LIST_COLUMNS['needs'] in id order, all rows fetched; best of {args.repeat}; "
                    f"goal: overhead < {GOAL:.0%}\n"
                )
                results = measure(workspace, labels, args.repeat)
            finally:
                workspace.close()
    finally:
        shutil.rmtree(folder, ignore_errors=True)
    print_table(results)
    print(f"\nload average after: {os.getloadavg()[0]:.2f}")
    met = all(row["overhead"] < GOAL for row in results)
    print(f"goal (overhead < {GOAL:.0%} for every user): {'met' if met else 'NOT met'}")
    return 0 if met else 1


if __name__ == "__main__":
    raise SystemExit(main())
