"""Screening against a workspace's stored lists: what storing the lists and caching the index buy.

On the dev lists in ../shared/data (UN SC consolidated XML, OFAC non-SDN legacy CSV, METI lists) plus a generated
generic CSV of --n entries (names spliced from the real lists' tokens, so the vocabulary looks like theirs), in one
run, in a fresh SQLite workspace in a temporary folder:

- **load**: `kizashi screen load` (store.load_list: read, one transaction, audit) against reading the file alone
  (`read_list`), entries per second of each;
- **screen**: a batch of --names queries (aliases of listed entries, and as many names of no list), three ways:
  - *baseline, file mode*: what `kizashi screen parties --list ...` does on every run: read every list file, build
    the index, screen;
  - *workspace, first run*: store.screen on a process that has not built the index yet (entries read from the
    database, index built, decisions looked up, the run audited);
  - *workspace, cached*: store.screen again: the index is reused (one query for the versions in use).

Printed: seconds per run and names/s of each, **ratio = file mode ÷ cached** (how much faster a second screening in
the same process — a web server's every request — is than re-reading the lists), and the cached run against the bare
`Screener.best` loop (the cost of the store: decisions, audit).

    python benchmarks/screening_store.py                # 20 000 generated entries, 500 names (about a minute)
    python benchmarks/screening_store.py --n 100000     # a larger list
"""

from __future__ import annotations

import argparse
import random
import sys
import tempfile
import time
from pathlib import Path

from kizashi.protect.people import actor_for
from kizashi.protect.screening import Party, Screener, read_list, read_lists
from kizashi.protect.screening import store as screening_store
from kizashi.protect.screening.store import load_list, screen
from kizashi.store.workspace import Workspace

DATA = Path(__file__).resolve().parents[2] / "shared" / "data"


def generated_list(path: Path, n: int, tokens: list[str], seed: int) -> Path:
    rng = random.Random(seed)
    forms = ["LLC", "Co., Ltd.", "JSC", "K.K.", "GmbH", "Trading", "Industries", ""]
    with path.open("w", encoding="utf-8") as handle:
        handle.write("id,name,aliases,type,country,list,program\n")
        for number in range(n):
            words = " ".join(rng.choice(tokens) for _ in range(rng.randint(2, 4)))
            name = f"{words} {rng.choice(forms)}".strip().replace(",", "")
            handle.write(f"G-{number},{name},,organisation,,generated,bench\n")
    return path


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--data", type=Path, default=DATA)
    parser.add_argument("--n", type=int, default=20_000, help="entries of the generated list")
    parser.add_argument("--names", type=int, default=500, help="names screened per run")
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args()
    real = [
        args.data / "un-sc-consolidated" / "UN_consolidated_2026-02-27.xml",
        args.data / "ofac-non-sdn",
        args.data / "jp-meti-lists" / "parsed_entities.json",
    ]
    if not all(path.exists() for path in real):
        print(f"missing data under {args.data}", file=sys.stderr)
        return 2
    rng = random.Random(args.seed)
    lists = read_lists(real)
    entries = [entry for screening_list in lists for entry in screening_list.entries]
    tokens = sorted({word for entry in entries for word in entry.name.replace(",", " ").split() if len(word) > 2})
    aliases = [(alias, entry) for entry in entries for alias in entry.aliases]
    half = args.names // 2
    queries = [Party(f"a{i}", alias) for i, (alias, _) in enumerate(rng.sample(aliases, min(half, len(aliases))))]
    queries += [Party(f"n{i}", " ".join(rng.sample(tokens, 3)) + " Institute") for i in range(args.names - half)]

    with tempfile.TemporaryDirectory(prefix="kizashi-bench-") as folder:
        generated = generated_list(Path(folder) / "generated.csv", args.n, tokens, args.seed)
        files = [*real, generated]
        workspace = Workspace.create(Path(folder) / "ws")
        actor = actor_for(workspace, "bench")  # a workspace without users: its operator
        print(f"lists: {len(entries):,} real entries + {args.n:,} generated; {len(queries)} names per run")

        print("\nload                 read_list s   load_list s   entries/s (load)   load ÷ read")
        for path in files:
            start = time.perf_counter()
            count = len(read_list(path).entries)
            read = time.perf_counter() - start
            start = time.perf_counter()
            load_list(workspace, actor, path)
            loaded = time.perf_counter() - start
            print(
                f"  {path.name[:18]:<18} {read:>12.3f} {loaded:>13.3f} {count / loaded:>18,.0f} {loaded / read:>13.2f}"
            )

        start = time.perf_counter()
        screener = Screener(read_lists(files))
        for party in queries:
            screener.best(party, 5, 0.6)
        file_mode = time.perf_counter() - start
        bare_runs = []
        for _ in range(3):
            start = time.perf_counter()
            for party in queries:
                screener.best(party, 5, 0.6)
            bare_runs.append(time.perf_counter() - start)
        bare = min(bare_runs)

        screening_store._CACHE.clear()
        start = time.perf_counter()
        first = screen(workspace, actor, queries)
        first_run = time.perf_counter() - start
        cached_runs = []
        for _ in range(3):
            start = time.perf_counter()
            again = screen(workspace, actor, queries)
            cached_runs.append(time.perf_counter() - start)
        cached = min(cached_runs)
        assert [r["matches"] for r in first.rows] == [r["matches"] for r in again.rows]
        workspace.close()

    n = len(queries)
    print("\nscreen                         s/run     names/s")
    for label, seconds in (
        ("file mode (read + build)", file_mode),
        ("workspace, first run", first_run),
        ("workspace, cached", cached),
        ("bare Screener.best loop", bare),
    ):
        print(f"  {label:<26} {seconds:>9.3f} {n / seconds:>11,.0f}")
    print(f"\nratio file mode ÷ cached: {file_mode / cached:.1f}×")
    print(
        f"cached ÷ bare loop: {cached / bare:.2f} (the store's own cost: versions query, decisions, audit; best of 3 each)"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
