"""`kizashi cti correlate` names the run it kept and each hit's research assets; `kizashi cti runs` lists the reader's
runs and `kizashi cti run ID` shows one (table in KIZASHI_LANG, or JSON); someone else's run is missing to them."""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from kizashi.model import Seed
from kizashi.protect import people
from kizashi.protect.cti.assets import link_asset
from kizashi.protect.cti.groups import add_collection, add_group
from kizashi.protect.cti.store import add_objects
from kizashi.protect.cti.tlp import MARKING_OF
from kizashi.protect.people import actor_for as as_user
from kizashi.store.workspace import Workspace

STAMP = "2026-01-01T00:00:00.000Z"
MALWARE = "malware--8b2d3a52-0c5e-4d1c-9a51-2b7f0d0a1c01"
INDICATOR = "indicator--8b2d3a52-0c5e-4d1c-9a51-2b7f0d0a1c02"


def stix(kind: str, ident: str, **fields: Any) -> dict[str, Any]:
    return {"type": kind, "spec_version": "2.1", "id": ident, "created": STAMP, "modified": STAMP, **fields}


@pytest.fixture
def intel(workspace: Workspace) -> Workspace:
    """ana in 'partners' with an indicator of malware tied to seed S1; dan outside."""
    people.add_user(workspace, as_user(workspace, "boss"), "boss", roles=["admin"], organisation="kizashi")
    boss = as_user(workspace, "boss")
    people.add_user(workspace, boss, "ana", roles=["analyst"], organisation="lab-a")
    people.add_user(workspace, boss, "dan", roles=["analyst"], organisation="lab-a")
    add_group(workspace, boss, "partners", ["ana"])
    add_collection(workspace, boss, "intel", "partners")
    ana = as_user(workspace, "ana")
    objects = [
        stix("malware", MALWARE, name="GridWiper", is_family=True),
        stix(
            "indicator",
            INDICATOR,
            name="GridWiper C2",
            pattern="[domain-name:value = 'evil.example']",
            pattern_type="stix",
            valid_from="2026-01-01T00:00:00Z",
            object_marking_refs=[MARKING_OF["GREEN"]],
        ),
        stix(
            "relationship",
            "relationship--8b2d3a52-0c5e-4d1c-9a51-2b7f0d0a1c03",
            relationship_type="indicates",
            source_ref=INDICATOR,
            target_ref=MALWARE,
        ),
    ]
    add_objects(workspace, ana, "intel", objects)
    with workspace.session() as session:
        session.add(Seed(id="S1", title="Grid anomaly detection", level="PUBLIC", compartments=[], content_hash="x"))
    link_asset(workspace, ana, MALWARE, "seeds", "S1")
    return workspace


@pytest.fixture
def observations(tmp_path: Path) -> Path:
    path = tmp_path / "dns.csv"
    path.write_text("time,query\n2026-03-01T10:00:00Z,evil.example\n2026-03-01T11:00:00Z,good.example\n")
    return path


def test_correlate_keeps_a_run_that_runs_and_run_show(
    intel: Workspace,
    observations: Path,
    cli: Callable[..., Any],
    login_as: Callable[[str], None],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("COLUMNS", "240")  # the tables whole, whatever the terminal running the tests
    monkeypatch.setenv("KIZASHI_LANG", "en")
    login_as("ana")
    done = cli("cti", "correlate", observations)
    assert done.code == 0, done.err
    found = re.search(r"correlation run (\S+) kept: kizashi cti run \1", done.out)
    assert found, done.out
    run_id = found.group(1)
    assert "seed: Grid anomaly detection (tied directly)" in done.out
    listed = cli("cti", "runs")
    assert listed.code == 0 and run_id in listed.out and "dns.csv" in listed.out
    as_json = json.loads(cli("cti", "runs", "--format", "json").out)
    assert [(run["id"], run["observations"], run["hits"]) for run in as_json] == [(run_id, 2, 1)]
    shown = cli("cti", "run", run_id, "--format", "json")
    assert shown.code == 0, shown.err
    run = json.loads(shown.out)
    [hit] = run["hits"]
    assert hit["indicator"] == INDICATOR and hit["count"] == 1
    assert [(a["kind"], a["id"], a["via"]) for a in hit["indicates"][0]["assets"]] == [("seeds", "S1", "link")]
    monkeypatch.setenv("KIZASHI_LANG", "ja")
    table = cli("cti", "run", run_id)
    assert table.code == 0, table.err
    assert "研究資産" in table.out and "シーズ: Grid anomaly detection（直接の結び付き）" not in table.out
    assert "シーズ: Grid anomaly detection (直接の結び付き)" in table.out and "マルウェア: GridWiper" in table.out
    assert cli("cti", "run", run_id, "--format", "xml").code == 2
    login_as("dan")
    hidden = cli("cti", "run", run_id)
    assert hidden.code == 2 and "照合の実行" in hidden.err
    assert cli("cti", "runs").out.strip() == "閲覧できる照合の実行はありません"


def test_no_record_keeps_no_run(
    intel: Workspace, observations: Path, cli: Callable[..., Any], login_as: Callable[[str], None]
) -> None:
    login_as("ana")
    done = cli("cti", "correlate", observations, "--no-record", "--format", "json")
    assert done.code == 0 and json.loads(done.out)["run"] is None
    assert json.loads(cli("cti", "runs", "--format", "json").out) == []
