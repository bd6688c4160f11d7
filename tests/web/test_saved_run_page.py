"""The workshop page of a need with a stored run, as a reader cleared below some of its seeds sees it: ranks from 1
without gaps, and no run scores that would tell of the hidden ones (the API and the command line never had gaps:
they rank what the reader may read)."""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path

from fastapi.testclient import TestClient

from kizashi.ingest.dispatch import ingest
from kizashi.know.matching import match_workspace
from kizashi.protect.people import actor_for as as_user
from kizashi.store.workspace import Workspace

NEEDS = (
    "id,title,description,label,compartments\nn1,Drone detection near airports,small drones over runways,INTERNAL,\n"
)
SEEDS = """id,title,description,label,compartments
s1,Drone detection radar for airports,small drones over runways detected by radar,INTERNAL,
s2,Drone detection with acoustic sensors,small drones heard near runways,INTERNAL,
s3,Drone detection by passive radio,drones near airports found by their radio links,SECRET,beta
s4,Drone tracking cameras,cameras that follow drones,INTERNAL,
s5,Drone swarms in agriculture,drones spraying fields,INTERNAL,
"""
# A proposal's row: seed, rank, and what its first cell says besides the rank (strength in words, fused score).
ROW = re.compile(
    r'<tr id="proposal-\d+" data-seed="([^"]+)"[^>]*>\s*<td>(\d+)((?:<br><(?:span|small) [^>]*>[^<]*</(?:span|small)>)*)'
)


def test_the_run_shows_without_gaps_or_scores(
    web_workspace: Workspace, browser: Callable[[str], TestClient], tmp_path: Path
) -> None:
    (tmp_path / "needs.csv").write_text(NEEDS, encoding="utf-8")
    (tmp_path / "seeds.csv").write_text(SEEDS, encoding="utf-8")
    boss = as_user(web_workspace, "boss")
    ingest(web_workspace, boss, "needs", [tmp_path / "needs.csv"])
    ingest(web_workspace, boss, "seeds", [tmp_path / "seeds.csv"])
    assert match_workspace(web_workspace, boss, top=5, save=True).run is not None
    as_boss = ROW.findall(browser("boss").get("/match/n1").text)
    assert [seed for seed, _, _ in as_boss].index("s3") not in (0, len(as_boss) - 1)
    page = browser("ana").get("/match/n1")
    assert page.status_code == 200 and 'data-source="run"' in page.text
    rows = ROW.findall(page.text)
    assert [seed for seed, _, _ in rows] == [seed for seed, _, _ in as_boss if seed != "s3"]
    assert [int(rank) for _, rank, _ in rows] == list(range(1, len(rows) + 1))
    assert all(score == "" for _, _, score in rows)  # neither score nor strength: both count the hidden seeds
    live = ROW.findall(browser("ana").get("/match/n1?source=live").text)
    assert [int(rank) for _, rank, _ in live] == list(range(1, len(live) + 1)) and all(score for _, _, score in live)
