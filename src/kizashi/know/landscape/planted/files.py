"""Files: the works as JSON lines, the taxonomy as kizashi's YAML, and the command line that writes both with the
answers."""

from __future__ import annotations

import argparse
import gzip
import time
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any

import orjson
import yaml

from kizashi.know.landscape.planted.spec import Planted, PlantedSpec
from kizashi.know.landscape.planted.works import generate


def write_jsonl(path: Path, works: Iterable[dict[str, Any]]) -> int:
    """Write works one JSON object a line (gzipped when the name ends in .gz); return how many."""
    if path.suffix == ".gz":
        with gzip.open(path, "wb", compresslevel=3) as packed:
            return _write_lines(packed.write, works)
    with path.open("wb") as plain:
        return _write_lines(plain.write, works)


def _write_lines(write: Callable[[bytes], object], works: Iterable[dict[str, Any]]) -> int:
    written = 0
    batch: list[bytes] = []
    for work in works:
        batch.append(orjson.dumps(work))
        written += 1
        if len(batch) == 1000:
            write(b"\n".join(batch) + b"\n")
            batch = []
    if batch:
        write(b"\n".join(batch) + b"\n")
    return written


def write_taxonomy_yaml(path: Path, planted: Planted) -> None:
    """The planted taxonomy in kizashi's YAML form (`kizashi ingest technologies FILE`)."""
    document = {"version": "planted", "technologies": planted.taxonomy}
    path.write_text(yaml.safe_dump(document, allow_unicode=True, sort_keys=False), encoding="utf-8")


def main(argv: list[str] | None = None) -> None:
    """`python -m kizashi.know.landscape.planted --works N --out DIR`: works.jsonl(.gz), taxonomy.yaml and
    planted.json (the answers) in DIR."""
    parser = argparse.ArgumentParser(description=main.__doc__)
    parser.add_argument("--works", type=int, default=PlantedSpec.works)
    parser.add_argument("--seed", type=int, default=PlantedSpec.seed)
    parser.add_argument("--percentiles", action="store_true")
    parser.add_argument("--gzip", action="store_true")
    parser.add_argument("--out", type=Path, required=True)
    args = parser.parse_args(argv)
    args.out.mkdir(parents=True, exist_ok=True)
    began = time.perf_counter()
    planted, works = generate(PlantedSpec(works=args.works, seed=args.seed, percentiles=args.percentiles))
    count = write_jsonl(args.out / ("works.jsonl.gz" if args.gzip else "works.jsonl"), works)
    write_taxonomy_yaml(args.out / "taxonomy.yaml", planted)
    (args.out / "planted.json").write_bytes(orjson.dumps(planted.answers(), option=orjson.OPT_INDENT_2))
    print(f"{count} works in {time.perf_counter() - began:.1f} s → {args.out}")
