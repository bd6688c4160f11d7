"""What a reader is shown of products made from records they may not all read: a stored match run ranked without
gaps and without the scores that would tell of the hidden seeds; experts labelled with every TLP constraint of their
records."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest

from kizashi.ingest.dispatch import ingest
from kizashi.know.experts import find_experts
from kizashi.know.matching import match_workspace, need_proposals
from kizashi.policy import Clearance, Label, can_read
from kizashi.protect import people
from kizashi.protect.people import actor_for as as_user
from kizashi.store import audit
from kizashi.store.workspace import Workspace

DONE = datetime(2026, 1, 1, tzinfo=UTC)
NEEDS = (
    "id,title,description,label,compartments\nn1,Drone detection near airports,small drones over runways,INTERNAL,\n"
)
# Every seed speaks of drones, so each is among n1's proposals; the SECRET one in the middle of the ranking.
SEEDS = """id,title,description,label,compartments
s1,Drone detection radar for airports,small drones over runways detected by radar,INTERNAL,
s2,Drone detection with acoustic sensors,small drones heard near runways,INTERNAL,
s3,Drone detection by passive radio,drones near airports found by their radio links,SECRET,
s4,Drone tracking cameras,cameras that follow drones,INTERNAL,
s5,Drone swarms in agriculture,drones spraying fields,INTERNAL,
"""


@pytest.fixture
def run_workspace(workspace: Workspace, tmp_path: Path) -> Workspace:
    """boss (admin, SECRET) saved a run over all five seeds; ana (analyst, INTERNAL) may not read s3."""
    people.add_user(workspace, as_user(workspace, "boss"), "boss", roles=["admin"])
    boss = as_user(workspace, "boss")
    people.grant(workspace, boss, "boss", "SECRET")
    for course in ("security-basics", "secret-handling"):
        people.record_training(workspace, boss, "boss", course, DONE)
    people.add_user(workspace, as_user(workspace, "boss"), "ana")
    people.grant(workspace, as_user(workspace, "boss"), "ana", "INTERNAL")
    (tmp_path / "needs.csv").write_text(NEEDS, encoding="utf-8")
    (tmp_path / "seeds.csv").write_text(SEEDS, encoding="utf-8")
    ingest(workspace, as_user(workspace, "boss"), "needs", [tmp_path / "needs.csv"])
    ingest(workspace, as_user(workspace, "boss"), "seeds", [tmp_path / "seeds.csv"])
    saved = match_workspace(workspace, as_user(workspace, "boss"), top=5, save=True)
    assert saved.run is not None
    return workspace


def test_a_saved_run_is_ranked_over_what_the_reader_may_read(run_workspace: Workspace) -> None:
    boss = need_proposals(run_workspace, as_user(run_workspace, "boss"), "n1", top=10, source="run")
    assert boss.source == "run"
    ranked = [seed.id for _, seed in boss.proposals]
    assert set(ranked) == {"s1", "s2", "s3", "s4", "s5"}
    assert 1 <= ranked.index("s3") < len(ranked) - 1, "the hidden seed must sit inside the ranking for this test"
    ana = need_proposals(run_workspace, as_user(run_workspace, "ana"), "n1", top=10, source="run")
    assert ana.source == "run" and ana.run is not None and boss.run is not None and ana.run.id == boss.run.id
    shown = [(p.rank, seed.id) for p, seed in ana.proposals]
    assert [rank for rank, _ in shown] == [1, 2, 3, 4]  # no gap where s3 was
    assert [seed for _, seed in shown] == [seed for seed in ranked if seed != "s3"]  # the run's order kept
    # Scores and channel ranks count the seeds ranked above: never shown from a run, to anyone alike.
    assert all(p.score is None and "channels" not in p.evidence for p, _ in ana.proposals)
    assert all(p.score is None and "channels" not in p.evidence for p, _ in boss.proposals)
    assert all(can_read(as_user(run_workspace, "ana").clearance, seed.label or Label()) for _, seed in ana.proposals)
    # Today's matcher, which only ever ranked what ana may read, keeps its scores.
    live = need_proposals(run_workspace, as_user(run_workspace, "ana"), "n1", top=10, source="live")
    assert [p.rank for p, _ in live.proposals] == [1, 2, 3, 4] and all(p.score for p, _ in live.proposals)


def test_the_experts_label_keeps_every_tlp_constraint(workspace: Workspace, tmp_path: Path) -> None:
    """A seed shared TLP:AMBER by k-lab makes the experts derived from it readable only in k-lab: the label of the
    result says so (it once lost the constraint when rebuilt from a dict)."""
    people.add_user(workspace, as_user(workspace, "boss"), "boss", roles=["admin"], organisation="k-lab")
    people.grant(workspace, as_user(workspace, "boss"), "boss", "INTERNAL")
    seeds = tmp_path / "seeds.jsonl"
    seeds.write_text(
        '{"id": "s-amber", "title": "Drone detection radar", "description": "radar for small drones", '
        '"organization": "K Lab", "label": "INTERNAL", "tlp": "AMBER", "tlp_owner": "k-lab"}\n'
        '{"id": "s-clear", "title": "Drone detection cameras", "description": "cameras for drones", '
        '"organization": "Camera Works", "label": "INTERNAL"}\n',
        encoding="utf-8",
    )
    ingest(workspace, as_user(workspace, "boss"), "seeds", [seeds])
    found = find_experts(workspace, as_user(workspace, "boss"), text="drone detection", top=5)
    amber = next(row for row in found.rows if row["name"] == "K Lab")
    assert amber["label"]["organisations"] == ["k-lab"] and amber["label"]["tlp"] == "AMBER"
    assert found.label.organisations == frozenset({"k-lab"})
    assert not can_read(Clearance("outsider", "SECRET", organisation="elsewhere"), found.label)
    assert can_read(Clearance("insider", "INTERNAL", organisation="k-lab"), found.label)
    event = [e for e in audit.iter_events(workspace) if e["action"] == "read"][-1]
    assert event["detail"]["service"] == "experts" and "s-amber" in event["records"]
