"""Expert finding: the organisations behind the best-matching records, from readable records only."""

from __future__ import annotations

import json
from importlib import resources
from pathlib import Path

from kizashi.ingest.dispatch import ingest
from kizashi.know.experts import EXPERT_INDEXES, find_experts, rank_experts
from kizashi.protect.people import actor_for as as_user
from kizashi.protect.people import add_user, grant
from kizashi.retrieval import Statement
from kizashi.store.workspace import Workspace

DEMO = Path(str(resources.files("kizashi").joinpath("data/demo")))
NEED = "Inspection of shipping containers at border crossing points"


def test_the_coordinator_of_the_matching_project_leads(workspace: Workspace) -> None:
    ingest(
        workspace,
        as_user(workspace, "tests"),
        "works",
        [DEMO / "cordis_projects.csv", DEMO / "cordis_organisations.csv"],
    )
    ingest(workspace, as_user(workspace, "tests"), "seeds", [DEMO / "cordis_projects.csv"])
    rows = find_experts(workspace, as_user(workspace, "tests"), text=NEED, top=5).rows
    assert rows[0]["name"] == "COMMISSARIAT A L ENERGIE ATOMIQUE ET AUX ENERGIES ALTERNATIVES"  # C-BORD's coordinator
    assert rows[0]["records"][0]["id"] == "cordis:653323"
    ids = [record["id"] for record in rows[0]["records"]]
    assert len(ids) == len(set(ids))  # a project that is both seed and work counts once
    assert [row["rank"] for row in rows] == [1, 2, 3, 4, 5]


def test_only_readable_records_name_experts(workspace: Workspace, tmp_path: Path, cli, login_as) -> None:
    seeds = tmp_path / "seeds.csv"
    seeds.write_text(
        "id,title,organization,label\n"
        "s1,Container inspection at border crossing points,Open Lab,PUBLIC\n"
        "s2,Container inspection with muon tomography at borders,Hidden Lab,SECRET\n",
        encoding="utf-8",
    )
    ingest(workspace, as_user(workspace, "boss"), "seeds", [seeds])
    add_user(workspace, as_user(workspace, "boss"), "boss", roles=["admin"])
    add_user(workspace, as_user(workspace, "boss"), "ana", roles=["analyst"])
    grant(workspace, as_user(workspace, "boss"), "ana", "INTERNAL")
    login_as("ana")
    result = cli("experts", "--text", "container inspection at borders", "-f", "jsonl")
    assert result.code == 0, result.err
    rows = [json.loads(line) for line in result.out.splitlines()]
    assert [row["name"] for row in rows] == ["Open Lab"]
    assert rows[0]["label"]["level"] == "PUBLIC"
    assert cli("experts", "no-such-need").code == 2  # unknown or unreadable need: not found


def test_scores_stay_within_0_and_1_and_only_well_matching_records_count(workspace: Workspace) -> None:
    ingest(
        workspace,
        as_user(workspace, "tests"),
        "works",
        [DEMO / "cordis_projects.csv", DEMO / "cordis_organisations.csv"],
    )
    actor = as_user(workspace, "tests")
    index = EXPERT_INDEXES.get(workspace, actor.clearance)
    for text in (NEED, "倒壊建物内の要救助者の捜索", "quantum key distribution for secure communication"):
        rows = rank_experts(index, Statement("n", text), top=20)
        assert all(0.0 <= row["score"] < 1.0 for row in rows), rows
        assert [row["score"] for row in rows] == sorted((row["score"] for row in rows), reverse=True)
        proposals = {p.seed_id: p for p in index.matcher.match_one(Statement("n", text), top=100)}
        for row in rows:
            for record in row["records"]:
                assert proposals[f"works/{record['id']}"].evidence["strength"] != "weak"
