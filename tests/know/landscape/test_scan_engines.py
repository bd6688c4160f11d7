"""The same scan on DuckDB and on Apache Spark (local mode) gives the same tables: one query text, two engines."""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any

import pytest

from kizashi.cli.acting import actor_of
from kizashi.know.landscape.planted import PlantedSpec, generate, write_jsonl, write_taxonomy_yaml
from kizashi.know.landscape.service import ScanRequest, scan
from kizashi.store.workspace import Workspace

pyspark = pytest.importorskip("pyspark")
if shutil.which("java") is None:
    pytest.skip("Spark needs a Java runtime (.ci/run installs one)", allow_module_level=True)

COMPARED = ("trends", "emergence", "countries", "collaboration", "critical", "threats")


def _planted(workspace: Workspace, cli: Any, folder: Path, seed: int) -> None:
    if workspace.backend != "sqlite":
        pytest.skip("the engines read the corpus, not the store: one backend is enough")
    plan, works = generate(PlantedSpec(works=1_200, seed=seed))
    write_jsonl(folder / "works.jsonl", works)
    write_taxonomy_yaml(folder / "taxonomy.yaml", plan)
    assert cli("ingest", "technologies", folder / "taxonomy.yaml").code == 0
    assert cli("ingest", "works", folder / "works.jsonl").code == 0


@pytest.mark.slow
def test_spark_and_duckdb_give_identical_tables(workspace: Workspace, cli: Any, tmp_path: Path) -> None:
    _planted(workspace, cli, tmp_path, seed=5)
    actor = actor_of(workspace)
    for request in (ScanRequest(fronts=False), ScanRequest(fronts=False, year_from=2014, as_of=None, year_to=2022)):
        duck = scan(workspace, actor, request)
        spark = scan(workspace, actor, ScanRequest(**{**request.__dict__, "engine": "spark"}))
        for name in COMPARED:
            assert duck.tables[name] == spark.tables[name], name
        assert duck.works == spark.works


def test_a_scan_of_everything_and_a_window_around_everything_agree(
    workspace: Workspace, cli: Any, tmp_path: Path
) -> None:
    # A scan of every work reads the tags joined to countries, institutions and pairs in advance; a window reads
    # them joined at scan time. Both must count the same.
    _planted(workspace, cli, tmp_path, seed=6)
    actor = actor_of(workspace)
    everything = scan(workspace, actor, ScanRequest(fronts=False))
    window = scan(workspace, actor, ScanRequest(fronts=False, year_from=1900, year_to=2100))
    assert everything.works == window.works == 1_200
    for name in ("trends", "countries", "collaboration"):
        assert everything.tables[name] == window.tables[name], name
    assert everything.tables["countries"] and everything.tables["collaboration"]
