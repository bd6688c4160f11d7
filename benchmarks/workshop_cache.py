"""Workshop-page benchmark: proposals for one need from the cached seed index (know/seed_index.py) against building a
matcher over the readable seeds on every page, as the workshop did before, in the same run.

Seeds are generated as in match_speed.py (default 20 000, word frequencies of the CORDIS "Secure societies"
objectives in `../shared/data/cordis-security`, or the bundled demo slice without it), a quarter of them SECRET, and
ingested into a temporary SQLite workspace. A CONFIDENTIAL reader then asks for the top 10 seeds of generated needs:

- baseline: `workspace_statements(ws, "seeds", clearance)` + `Matcher(seeds).match_one(need, 10)` per page;
- cached: `SEED_INDEXES.get(ws, clearance).propose(need, 10)` per page: one aggregate query (the seeds table's
  stamp), lookups (the index is keyed by the matcher's settings too, the configured ones: read once a page), and
  the match; the first page builds the index (printed apart).

Printed: seconds per page for each, the cold first page, what fingerprinting the readable seeds costs the first
page after any write (one query over their id, hash and stamps; the index is rebuilt only if they changed), and
the ratio baseline ÷ cached (how many times faster).

    python benchmarks/workshop_cache.py
    python benchmarks/workshop_cache.py --seeds 5000 --pages 5     # a quick run
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
import time
from pathlib import Path

from kizashi.ingest.dispatch import ingest
from kizashi.know.match import workspace_statements
from kizashi.know.seed_index import SEED_INDEXES, readable_fingerprint
from kizashi.policy import Clearance
from kizashi.protect.people import actor_for
from kizashi.retrieval import Matcher, Statement
from kizashi.store.workspace import Workspace
from match_speed import DATA, generate


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--seeds", type=int, default=20_000, help="generated seeds (default 20000)")
    parser.add_argument("--pages", type=int, default=5, help="pages timed per contender (default 5)")
    parser.add_argument("--data", type=Path, default=DATA, help="cordis-security folder for the word frequencies")
    args = parser.parse_args(argv)
    seeds, needs = generate(args.seeds, args.pages, args.data, 0)
    reader = Clearance("bench", "CONFIDENTIAL")
    with tempfile.TemporaryDirectory(prefix="kizashi-bench-") as folder:
        workspace = Workspace.create(Path(folder) / "ws", f"sqlite:///{folder}/kizashi.sqlite")
        path = Path(folder) / "seeds.jsonl"
        with path.open("w", encoding="utf-8") as handle:
            for number, (sid, title, description) in enumerate(seeds):
                level = "SECRET" if number % 4 == 0 else "INTERNAL"
                record = {"id": sid, "title": title, "description": description, "label": level}
                handle.write(json.dumps(record) + "\n")
        ingest(workspace, actor_for(workspace, "bench"), "seeds", [path])  # no users: "bench" is its operator
        statements = [Statement(nid, text) for nid, text in needs]
        print(f"{len(seeds):,} seeds ({len(seeds) - len(seeds[::4]):,} readable), {len(statements)} pages", flush=True)

        started = time.perf_counter()
        for need in statements:
            Matcher(workspace_statements(workspace, "seeds", reader)).match_one(need, 10)
        baseline = (time.perf_counter() - started) / len(statements)

        started = time.perf_counter()
        SEED_INDEXES.get(workspace, reader).propose(statements[0], 10)
        cold = time.perf_counter() - started
        started = time.perf_counter()
        for need in statements:
            SEED_INDEXES.get(workspace, reader).propose(need, 10)
        cached = (time.perf_counter() - started) / len(statements)
        started = time.perf_counter()
        for _ in statements:
            readable_fingerprint(workspace, reader, ["seeds"])
        fingerprint = (time.perf_counter() - started) / len(statements)
        workspace.close()
    print(f"{'contender':<22} {'s per page':>10}")
    print(f"{'baseline (build each)':<22} {baseline:10.3f}")
    print(f"{'cached, first page':<22} {cold:10.3f}")
    print(f"{'cached':<22} {cached:10.3f}")
    print(f"{'fingerprint (on write)':<22} {fingerprint:10.3f}")
    print(f"ratio baseline / cached: {baseline / cached:.1f}x")
    return 0


if __name__ == "__main__":
    sys.exit(main())
