"""`kizashi scan`, `kizashi scan weights|backtest` and `kizashi technology show` from the command line: the files
of DESIGN §4, exit 2 with the file or option named on bad input, nothing stored, the access policy."""

from __future__ import annotations

import csv
import json
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import func

from kizashi.know.landscape.planted import PlantedSpec, generate, write_jsonl, write_taxonomy_yaml
from kizashi.know.landscape.tables import COLUMNS
from kizashi.model import LandscapeScan
from kizashi.store.readable import select_trusted
from kizashi.store.workspace import Workspace


@pytest.fixture(scope="module")
def files(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    folder = tmp_path_factory.mktemp("planted-cli")
    plan, works = generate(PlantedSpec(works=800, seed=9))
    write_jsonl(folder / "works.jsonl", works)
    write_taxonomy_yaml(folder / "taxonomy.yaml", plan)
    (folder / "cycle.yaml").write_text(
        "technologies:\n"
        "  - {id: a, parent: b, name_en: A, name_ja: エー}\n"
        "  - {id: b, parent: a, name_en: B, name_ja: ビー}\n",
        encoding="utf-8",
    )
    (folder / "orphan.yaml").write_text(
        "technologies:\n  - {id: a, parent: nowhere, name_en: A, name_ja: エー}\n", encoding="utf-8"
    )
    (folder / "weights-unknown.yaml").write_text("momentum: 0.5\nhype: 0.5\n", encoding="utf-8")
    (folder / "weights-negative.yaml").write_text("momentum: -0.5\ndual_use: 1\n", encoding="utf-8")
    return {
        "works": folder / "works.jsonl",
        "taxonomy": folder / "taxonomy.yaml",
        **{name: folder / f"{name}.yaml" for name in ("cycle", "orphan", "weights-unknown", "weights-negative")},
    }


def _scans(workspace: Workspace) -> int:
    with workspace.session() as session:
        return int(session.execute(select_trusted(func.count(LandscapeScan.id), why="test")).scalar_one())


def test_scan_writes_every_table_and_report(
    workspace: Workspace, cli: Any, files: dict[str, Path], tmp_path: Path
) -> None:
    assert cli("ingest", "technologies", files["taxonomy"]).code == 0
    assert cli("ingest", "works", files["works"]).code == 0
    out = tmp_path / "out"
    result = cli("scan", "--out", out, "--no-fronts")
    assert result.code == 0, result.err
    assert "scan 1: 800 works" in result.out
    for name, columns in COLUMNS.items():
        with (out / f"{name}.csv").open(encoding="utf-8", newline="") as handle:
            reader = csv.reader(handle)
            assert tuple(next(reader)) == columns, name
    with (out / "emergence.csv").open(encoding="utf-8", newline="") as handle:
        assert {row["emerging"] for row in csv.DictReader(handle)} <= {"true", "false"}
    for report in ("report.html", "report.xlsx", "report.pdf"):
        assert (out / report).stat().st_size > 0
    manifest = json.loads((out / "scan.json").read_text(encoding="utf-8"))
    assert manifest["scan"] == 1 and manifest["label"] == "INTERNAL" and manifest["works"] == 800
    assert _scans(workspace) == 1
    shown = cli("technology", "show", "px-sensing.lidar", "--limit", "3", "--format", "json")
    assert shown.code == 0, shown.err
    assert shown.out.count('"work_id"') == 3 and '"phrase"' in shown.out


def test_bad_input_exits_2_naming_the_file_or_option_and_stores_nothing(
    workspace: Workspace, cli: Any, files: dict[str, Path], tmp_path: Path
) -> None:
    out = tmp_path / "out"
    empty = cli("scan", "--out", out)
    assert empty.code == 2 and "no technologies" in empty.err
    assert cli("ingest", "technologies", files["taxonomy"]).code == 0
    nothing = cli("scan", "--out", out)
    assert nothing.code == 2 and "no works" in nothing.err
    assert cli("ingest", "works", files["works"]).code == 0
    cases = [
        (["--from", "2020", "--to", "2015"], "--from"),
        (["--weights", files["weights-unknown"]], "hype"),
        (["--weights", files["weights-negative"]], "weights-negative.yaml"),
        (["--taxonomy", files["cycle"]], "cycle"),
        (["--taxonomy", files["orphan"]], "orphan.yaml"),
        (["--engine", "excel"], "--engine"),
        (["--as-of", "yesterday"], "--as-of"),
    ]
    for args, named in cases:
        result = cli("scan", "--out", out, *args)
        assert result.code == 2, (args, result.err)
        assert named in result.err, (args, result.err)
    assert _scans(workspace) == 0
    cycle = cli("ingest", "technologies", files["cycle"])
    assert cycle.code == 2 and "cycle" in cycle.err and "cycle.yaml" in cycle.err


def test_weights_prints_a_file_that_scan_accepts(
    workspace: Workspace, cli: Any, files: dict[str, Path], tmp_path: Path
) -> None:
    printed = cli("scan", "weights")
    assert printed.code == 0 and "momentum" in printed.out
    (tmp_path / "w.yaml").write_text(printed.out, encoding="utf-8")
    assert cli("ingest", "technologies", files["taxonomy"]).code == 0
    assert cli("ingest", "works", files["works"]).code == 0
    assert (
        cli("scan", "--out", tmp_path / "out", "--no-fronts", "--weights", tmp_path / "w.yaml", "--lang", "en").code
        == 0
    )


def test_backtest_reports_precision_recall_and_rank_correlations(
    workspace: Workspace, cli: Any, files: dict[str, Path]
) -> None:
    assert cli("ingest", "technologies", files["taxonomy"]).code == 0
    assert cli("ingest", "works", files["works"]).code == 0
    result = cli("scan", "backtest", "--as-of", "2020-12-31", "--horizon", "3", "--format", "json")
    assert result.code == 0, result.err
    for key in ("precision", "recall", "spearman_score", "spearman_naive"):
        assert f'"{key}"' in result.out
    too_far = cli("scan", "backtest", "--as-of", "2022-12-31", "--horizon", "5")
    assert too_far.code == 2 and "--horizon" in too_far.err


def test_a_taxonomy_that_maps_a_topic_tags_the_works_that_carry_it(
    workspace: Workspace, cli: Any, files: dict[str, Path], tmp_path: Path
) -> None:
    works = [json.loads(line) for line in files["works"].read_text(encoding="utf-8").splitlines()]
    topic = works[0]["topics"][0]["display_name"]
    carrying = sum(any(t["display_name"] == topic for t in work["topics"]) for work in works)
    assert 0 < carrying < len(works)
    taxonomy = tmp_path / "mapped.yaml"
    taxonomy.write_text(
        "technologies:\n"
        f"  - {{id: mapped, parent: null, name_en: Qqzx Mapped, name_ja: 写像技術, topics: ['{topic.upper()}']}}\n",
        encoding="utf-8",
    )
    assert cli("ingest", "works", files["works"]).code == 0
    out = tmp_path / "out"
    result = cli("scan", "--out", out, "--no-fronts", "--taxonomy", taxonomy)
    assert result.code == 0, result.err
    with (out / "trends.csv").open(encoding="utf-8", newline="") as handle:
        counted = sum(int(row["works"]) for row in csv.DictReader(handle) if row["technology"] == "mapped")
    assert counted == carrying
    assert cli("ingest", "technologies", taxonomy).code == 0
    shown = cli("technology", "show", "mapped", "--limit", "1", "--format", "json")
    assert shown.code == 0, shown.err
    assert '"field": "topics"' in shown.out.replace('":"', '": "') and topic.upper() in shown.out
