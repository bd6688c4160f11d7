"""A small workspace for drafting a roadmap: a technology with a sub-technology, needs and seeds at two labels, a
stored match run, a TRL assessment, a threat, a goal against it and barriers (used by tests/grow and tests/cli)."""

from __future__ import annotations

from pathlib import Path

from kizashi.grow import barriers, gates, goals
from kizashi.ingest.dispatch import ingest
from kizashi.know.match import workspace_statements
from kizashi.know.match_runs import save_run
from kizashi.policy import Actor, Clearance
from kizashi.retrieval import Proposal
from kizashi.store.workspace import Workspace

BOSS = Actor.operator("boss")
SECRET_TITLE = "Classified nowcasting of rainbands"  # the SECRET seed's title: never in a lower reader's draft

TECHNOLOGIES = """id,parent,name_en,name_ja,synonyms_en,synonyms_ja,label
flood,,Flood forecasting,洪水予測,river level forecasting;nowcasting,水位予測,PUBLIC
flood-sensor,flood,Water level sensor,水位センサー,,,PUBLIC
cyber,,Network intrusion detection,侵入検知,,,PUBLIC
lonely,,Quantum gravimetry,量子重力計,,,PUBLIC
hidden,,Hidden technology,秘匿技術,,,SECRET
"""
THREATS = """id,category,name_en,name_ja,technologies,label
t-flood,natural_hazard,River floods,河川の氾濫,flood,PUBLIC
t-cyber,cyber,Attack on grid control,電力制御系への攻撃,cyber,PUBLIC
"""
NEEDS = """id,title,description,organization,label
n1,Forecast river floods six hours ahead,Municipalities need time to evacuate,国土交通省,PUBLIC
n2,Detect malware in control networks,Operators of the grid,経済産業省,PUBLIC
"""
SEEDS = f"""id,title,description,organization,trl,label
s1,Water level sensor network for small rivers,Low-cost sensors,Lab A,4,PUBLIC
s2,機械学習による水位予測,中小河川の短時間予測,研究所 B,5,PUBLIC
s3,{SECRET_TITLE},Ensemble nowcasting for flood warning,Agency C,8,SECRET
s4,Soil moisture sensing for farms,Irrigation planning,Lab D,6,PUBLIC
"""


def reader(level: str) -> Actor:
    return Actor(Clearance("reader", level, frozenset()), via="test")


def _write(folder: Path, name: str, text: str) -> Path:
    path = folder / name
    path.write_text(text, encoding="utf-8")
    return path


def build(workspace: Workspace, folder: Path) -> dict[str, int]:
    """Load everything; the ids of the match run and the TRL assessment."""
    for kind, text in (("technologies", TECHNOLOGIES), ("threats", THREATS), ("needs", NEEDS), ("seeds", SEEDS)):
        ingest(workspace, BOSS, kind, [_write(folder, f"{kind}.csv", text)])
    goals.add_goal(
        workspace,
        BOSS,
        {
            "id": "g-flood",
            "title_ja": "洪水の早期警戒",
            "title_en": "Early flood warning",
            "threats": ["t-flood"],
            "capability": "河川の氾濫を 6 時間前に予測する",
            "target_date": "2034-03-31",
            "target": "9 割の市町村が 6 時間前に警報を出せる",
            "label": "PUBLIC",
        },
        [],
    )
    needs = workspace_statements(workspace, "needs", BOSS.clearance)
    seeds = workspace_statements(workspace, "seeds", BOSS.clearance)
    proposals = [Proposal("n1", "s1", 1, 0.9, {}), Proposal("n1", "s3", 2, 0.8, {})]
    run = save_run(workspace, BOSS, needs, seeds, [proposals], top=3)
    assessed = gates.assess(workspace, BOSS, "technology", "flood", 3, evidence="試験流域での検証")
    barriers.add_barrier(
        workspace,
        BOSS,
        {
            "id": "b-law",
            "title": "洪水予報の業務許可",
            "kind": "regulation",
            "owner": "気象庁",
            "blocks": ["flood"],
            "label": "PUBLIC",
        },
    )
    barriers.add_barrier(
        workspace,
        BOSS,
        {
            "id": "b-other",
            "title": "Grid operator procurement rules",
            "kind": "procurement",
            "owner": "METI",
            "label": "PUBLIC",
        },
    )
    return {"run": run, "trl": assessed}
