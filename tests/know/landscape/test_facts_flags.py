"""The top-10 % flags stored for scans of everything (facts.FLAGGED) follow the corpus: a part that comes in changes
every technology's percentiles, so the flags are rewritten and agree with the ones a window computes at scan time."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from kizashi.cli.acting import actor_of
from kizashi.know.landscape import facts, inputs
from kizashi.know.landscape.planted import PlantedSpec, generate, write_jsonl, write_taxonomy_yaml
from kizashi.know.landscape.service import ScanRequest, scan
from kizashi.store.workspace import Workspace


def _flag_folders(workspace: Workspace) -> list[Path]:
    return sorted(facts.facts_dir(workspace).glob("tags-*/top10-*"))


def test_flags_are_rewritten_when_a_part_comes_and_agree_with_a_window(
    workspace: Workspace, cli: Any, tmp_path: Path
) -> None:
    if workspace.backend != "sqlite":
        pytest.skip("the flags are files beside the corpus, not in the store: one backend is enough")
    plan, generated = generate(PlantedSpec(works=900, seed=11))
    works = list(generated)
    write_taxonomy_yaml(tmp_path / "taxonomy.yaml", plan)
    assert cli("ingest", "technologies", tmp_path / "taxonomy.yaml").code == 0
    actor = actor_of(workspace)
    first_flags: list[Path] = []
    for half, chunk in enumerate((works[:500], works[500:])):
        write_jsonl(tmp_path / f"works-{half}.jsonl", chunk)
        assert cli("ingest", "works", tmp_path / f"works-{half}.jsonl").code == 0
        everything = scan(workspace, actor, ScanRequest(fronts=False))
        window = scan(workspace, actor, ScanRequest(fronts=False, year_from=1900, year_to=2100))
        assert everything.works == window.works == len(chunk) + (500 if half else 0)
        for name in ("trends", "countries"):
            assert everything.tables[name] == window.tables[name], name
        assert any(row["top10_works"] for row in everything.tables["trends"])
        folders = _flag_folders(workspace)
        if half == 0:
            first_flags = folders
            assert len(folders) == 1
        else:
            # A new state, and the one before it kept for a scan that may still read it.
            assert len(folders) == 2 and first_flags[0] in folders
    technologies, _ = inputs.taxonomy(workspace, actor.clearance, public=False)
    derived = facts.ensure_facts(workspace, technologies)
    assert facts.rows_in(derived["tag_works"]) == facts.rows_in(derived["tags"])
