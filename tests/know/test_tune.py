"""Tuning the fusion weights from the workshop's decisions: the proposal is never worse than today's weights on
the same judgements, and setting it as KIZASHI_MATCH_* gives the matcher exactly the score tuning promised."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from kizashi.errors import InputError
from kizashi.ingest.dispatch import ingest
from kizashi.know.judgements import DENSE_GRID, MIN_TUNING_NEEDS, TUNING_GRID, evaluate, judge, tune
from kizashi.protect.people import actor_for as as_user
from kizashi.store.workspace import Workspace

NEEDS = [
    ("n1", "倒壊した建物の中で要救助者を無人機で捜索する"),
    ("n2", "港湾で輸入コンテナの中の爆発物を検知する"),
    ("n3", "重要インフラへのサイバー攻撃を早期に検知する"),
    ("n4", "空港周辺の小型ドローンをレーダーで探知する"),
    ("n5", "大規模災害時に関係機関が状況図を共有する"),
    ("n6", "国境で偽造旅券を見破る"),
]
SEEDS = [
    ("s1", "Search and rescue drones", "Unmanned aerial vehicles locate victims in collapsed buildings."),
    ("s2", "Explosive detection in cargo", "Scanning shipping containers at ports for explosives."),
    ("s3", "Intrusion detection for power grids", "Early detection of cyber attacks on critical infrastructure."),
    ("s4", "Counter-drone radar", "Radar detects small drones near airports."),
    ("s5", "Common operational picture", "Agencies share a situation map during large disasters."),
    ("s6", "Document fraud detection", "Detecting forged passports at border crossings."),
    ("s7", "Drone swarms for logistics", "Delivery of parcels by unmanned aircraft in cities."),
    ("s8", "Container logistics optimisation", "Scheduling of containers in ports."),
]


@pytest.fixture
def judged(workspace: Workspace, tmp_path: Path) -> Workspace:
    needs, seeds = tmp_path / "needs.csv", tmp_path / "seeds.csv"
    needs.write_text("id,title\n" + "".join(f"{i},{t}\n" for i, t in NEEDS), encoding="utf-8")
    seeds.write_text("id,title,description\n" + "".join(f"{i},{t},{d}\n" for i, t, d in SEEDS), encoding="utf-8")
    ingest(workspace, as_user(workspace, "tester"), "needs", [needs])
    ingest(workspace, as_user(workspace, "tester"), "seeds", [seeds])
    for number in range(1, 7):
        judge(workspace, as_user(workspace, "analyst"), f"n{number}", f"s{number}", "accept")
    judge(workspace, as_user(workspace, "analyst"), "n1", "s7", "reject")
    judge(workspace, as_user(workspace, "analyst"), "n2", "s8", "reject")
    return workspace


def test_tuning_never_proposes_worse_than_today_and_the_setting_delivers_it(
    judged: Workspace, monkeypatch: pytest.MonkeyPatch
) -> None:
    found = tune(judged, as_user(judged, "analyst"), top=3)
    current, best = found["current"], found["best"]
    assert current["mrr"] == evaluate(judged, as_user(judged, "analyst"), top=3)["mrr"]
    assert (best["mrr"], -best["rejected_in_top"]) >= (current["mrr"], -current["rejected_in_top"])
    assert best["weights"]["translated"] in TUNING_GRID["translated"]
    assert best["bigram_weight"] in TUNING_GRID["bigram_weight"]
    assert found["tried"] == len(TUNING_GRID["translated"]) * len(TUNING_GRID["concepts"]) * 3
    monkeypatch.setenv("KIZASHI_MATCH_WEIGHTS", json.dumps(best["weights"]))
    monkeypatch.setenv("KIZASHI_MATCH_BIGRAM_WEIGHT", str(best["bigram_weight"]))
    assert evaluate(judged, as_user(judged, "analyst"), top=3)["mrr"] == best["mrr"]


def test_with_a_dense_model_its_weight_is_tuned_too(
    judged: Workspace, static_model: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("KIZASHI_MATCH_DENSE_MODEL", str(static_model))
    monkeypatch.setenv("KIZASHI_MATCH_DENSE_LANGUAGES", "en,ja")
    found = tune(judged, as_user(judged, "analyst"), top=3)
    assert found["tried"] == len(TUNING_GRID["translated"]) * len(TUNING_GRID["concepts"]) * 3 * len(DENSE_GRID)
    best = found["best"]
    assert best["weights"]["dense"] in DENSE_GRID
    monkeypatch.setenv("KIZASHI_MATCH_WEIGHTS", json.dumps(best["weights"]))
    monkeypatch.setenv("KIZASHI_MATCH_BIGRAM_WEIGHT", str(best["bigram_weight"]))
    assert evaluate(judged, as_user(judged, "analyst"), top=3)["mrr"] == best["mrr"]


def test_too_few_judged_needs_are_refused(workspace: Workspace, tmp_path: Path) -> None:
    needs, seeds = tmp_path / "needs.csv", tmp_path / "seeds.csv"
    needs.write_text("id,title\n" + "".join(f"{i},{t}\n" for i, t in NEEDS), encoding="utf-8")
    seeds.write_text("id,title,description\n" + "".join(f"{i},{t},{d}\n" for i, t, d in SEEDS), encoding="utf-8")
    ingest(workspace, as_user(workspace, "tester"), "needs", [needs])
    ingest(workspace, as_user(workspace, "tester"), "seeds", [seeds])
    for number in range(1, MIN_TUNING_NEEDS):
        judge(workspace, as_user(workspace, "analyst"), f"n{number}", f"s{number}", "accept")
    with pytest.raises(InputError, match=f"at least {MIN_TUNING_NEEDS} needs"):
        tune(workspace, as_user(workspace, "analyst"))


def test_the_cli_prints_the_settings_to_use(judged: Workspace, cli, login_as) -> None:
    login_as("analyst")
    shown = cli("judgements", "--tune", "--top", "3")
    assert shown.code == 0, shown.out
    assert "export KIZASHI_MATCH_WEIGHTS='{" in shown.out and "KIZASHI_MATCH_BIGRAM_WEIGHT=" in shown.out
