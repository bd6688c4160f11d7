"""Stored match runs: written once and audited, labelled per proposal, read through the access policy on both
backends; `kizashi match --save` and `kizashi match-runs` end to end."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext

from kizashi.errors import NotFound
from kizashi.ingest.dispatch import ingest
from kizashi.know.match import run_match, workspace_statements
from kizashi.know.match_runs import RANK_EVIDENCE, run_proposals, runs, save_run
from kizashi.model import Base, MatchProposal
from kizashi.protect.people import actor_for as as_user
from kizashi.protect.people import add_user, grant, record_training
from kizashi.retrieval import Proposal, Statement
from kizashi.store import audit
from kizashi.store.readable import select_trusted
from kizashi.store.workspace import Workspace

NEEDS = """id,title,description,label,compartments
n1,Container inspection at border crossings,Scanning shipping containers for illicit goods,PUBLIC,
n2,Detecting drones near airports,Unmanned aerial vehicles near runways,CONFIDENTIAL,alpha
"""
SEEDS = """id,title,description,label,compartments
s1,Muon tomography for container inspection,Scanning shipping containers at border crossings,PUBLIC,
s2,Radar for small drone detection,Detecting drones near airports and containers at borders,CONFIDENTIAL,alpha
s3,Soil moisture sensing for farms,Irrigation planning from satellite data,PUBLIC,
"""


@pytest.fixture
def labelled(workspace: Workspace, tmp_path: Path) -> Workspace:
    """boss admin (SECRET, alpha); ana CONFIDENTIAL with alpha; low PUBLIC."""
    needs, seeds = tmp_path / "needs.csv", tmp_path / "seeds.csv"
    needs.write_text(NEEDS, encoding="utf-8")
    seeds.write_text(SEEDS, encoding="utf-8")
    add_user(workspace, as_user(workspace, "boss"), "boss", roles=["admin"])
    grant(workspace, as_user(workspace, "boss"), "boss", "SECRET", compartments=["alpha"])
    add_user(workspace, as_user(workspace, "boss"), "ana", roles=["analyst"])
    grant(workspace, as_user(workspace, "boss"), "ana", "CONFIDENTIAL", compartments=["alpha"])
    add_user(workspace, as_user(workspace, "boss"), "low", roles=["analyst"])
    done = datetime(2026, 1, 1, tzinfo=UTC)  # clearances above INTERNAL count only with their training
    for name, course in (("boss", "security-basics"), ("boss", "secret-handling"), ("ana", "security-basics")):
        record_training(workspace, as_user(workspace, "boss"), name, course, done)
    ingest(workspace, as_user(workspace, "boss"), "needs", [needs])
    ingest(workspace, as_user(workspace, "boss"), "seeds", [seeds])
    return workspace


def statements(workspace: Workspace, actor: str) -> tuple[list[Statement], list[Statement]]:
    clearance = as_user(workspace, actor).clearance
    return workspace_statements(workspace, "needs", clearance), workspace_statements(workspace, "seeds", clearance)


def evidence(cross: bool = False) -> dict[str, object]:
    return {"terms": [], "translations": [], "concepts": [], "channels": {}, "areas": {"need": [], "seed": []},
            "cross_domain": cross}  # fmt: skip


def test_a_saved_run_reads_back_as_the_matcher_gave_it(labelled: Workspace) -> None:
    needs, seeds = statements(labelled, "boss")
    results = run_match(needs, seeds, top=3)
    run_id = save_run(labelled, as_user(labelled, "boss"), needs, seeds, results, top=3, cross_domain=False)
    saved = run_proposals(labelled, as_user(labelled, "boss"), run_id)
    assert saved is not None and (saved.id, saved.user) == (run_id, "boss")
    expected = sorted((p for found in results for p in found), key=lambda p: (p.need_id, p.rank))
    # boss reads every seed the run ranked, so its order and ranks come back as they were; its scores and channel
    # ranks never do, to any reader (docs/security.md, "Stored match runs"), the rest of the evidence does.
    assert [(p.need_id, p.seed_id, p.rank) for p in saved.proposals] == [
        (p.need_id, p.seed_id, p.rank) for p in expected
    ]
    assert {"channels", "strength", "agreement"} <= set(RANK_EVIDENCE)  # each tells of seeds ranked above
    assert [p.evidence for p in saved.proposals] == [
        {key: value for key, value in p.evidence.items() if key not in RANK_EVIDENCE} for p in expected
    ]
    assert all(p.score is None for p in saved.proposals) and all(p.score for p in expected)
    with labelled.session() as session:  # the scores were stored all the same, as the matcher gave them
        raw = select_trusted(MatchProposal.score, why="a test checks the stored scores").where(
            MatchProposal.run_id == run_id
        )
        stored = session.scalars(raw.order_by(MatchProposal.need_id, MatchProposal.rank)).all()
    assert stored == pytest.approx([p.score for p in expected])
    assert saved.settings["top"] == 3 and saved.settings["per_seed"] is None
    assert set(saved.settings) == {"weights", "bigram_weight", "dense_model", "top", "per_seed", "cross_domain"}
    assert saved.settings["dense_model"] is None
    assert run_proposals(labelled, as_user(labelled, "boss")) == saved  # the latest run by default
    assert [p.need_id for p in run_proposals(labelled, as_user(labelled, "boss"), need_id="n2").proposals] == [
        "n2"
    ] * len(results[1])
    listed = runs(labelled, as_user(labelled, "boss"))
    proposed_seeds = len({p.seed_id for p in expected})  # distinct proposed seeds, not the seeds matched over
    assert [(r["id"], r["user"], r["needs"], r["seeds"]) for r in listed] == [(run_id, "boss", 2, proposed_seeds)]
    assert listed[0]["proposals"] == len(expected)


def test_each_proposal_carries_the_higher_label_of_its_pair(labelled: Workspace) -> None:
    needs, seeds = statements(labelled, "boss")
    by_id = {s.id: s for s in [*needs, *seeds]}
    pairs = [("n1", "s1"), ("n1", "s2"), ("n2", "s1"), ("n2", "s3")]
    results = [[Proposal(n, s, 1, 0.5, evidence())] for n, s in pairs]
    run_id = save_run(labelled, as_user(labelled, "boss"), [by_id[n] for n, _ in pairs], seeds, results, top=1)
    # low (PUBLIC) reads the all-public pair only: not the CONFIDENTIAL/alpha seed nor the CONFIDENTIAL/alpha need
    low = run_proposals(labelled, as_user(labelled, "low"), run_id)
    assert low is not None and [(p.need_id, p.seed_id) for p in low.proposals] == [("n1", "s1")]
    assert [(r["needs"], r["seeds"], r["proposals"]) for r in runs(labelled, as_user(labelled, "low"))] == [(1, 1, 1)]
    ana = run_proposals(labelled, as_user(labelled, "ana"), run_id)
    assert ana is not None and len(ana.proposals) == 4
    assert run_proposals(labelled, as_user(labelled, "low"), need_id="n2") is None


def test_a_run_one_may_not_read_is_no_run_at_all(labelled: Workspace) -> None:
    needs, seeds = statements(labelled, "boss")
    by_id = {s.id: s for s in [*needs, *seeds]}
    public = save_run(
        labelled, as_user(labelled, "boss"), [by_id["n1"]], seeds, [[Proposal("n1", "s1", 1, 0.4, evidence())]], top=1
    )
    hidden = save_run(
        labelled, as_user(labelled, "boss"), [by_id["n2"]], seeds, [[Proposal("n2", "s2", 1, 0.9, evidence())]], top=1
    )
    assert [r["id"] for r in runs(labelled, as_user(labelled, "low"))] == [public]
    assert [r["id"] for r in runs(labelled, as_user(labelled, "ana"))] == [hidden, public]  # newest first
    latest = run_proposals(labelled, as_user(labelled, "low"))
    assert latest is not None and latest.id == public  # the latest run low may see, not the latest run
    with pytest.raises(NotFound) as unreadable:
        run_proposals(labelled, as_user(labelled, "low"), hidden)
    with pytest.raises(NotFound) as unknown:
        run_proposals(labelled, as_user(labelled, "low"), hidden + 100)
    assert str(unreadable.value).replace(str(hidden), "N") == str(unknown.value).replace(str(hidden + 100), "N")


def test_saving_is_audited_with_the_run_and_its_counts(labelled: Workspace) -> None:
    needs, seeds = statements(labelled, "ana")
    results = run_match(needs, seeds, top=2)
    run_id = save_run(labelled, as_user(labelled, "ana"), needs, seeds, results, top=2)
    event = list(audit.iter_events(labelled))[-1]
    assert (event["actor"], event["action"]) == ("ana", "create")
    assert event["detail"] == {
        "match_run": run_id,
        "needs": 2,
        "seeds": 3,
        "proposals": sum(len(found) for found in results),
    }


def test_unlabelled_statements_are_not_stored(labelled: Workspace) -> None:
    need, seed = Statement("x", "Container inspection"), Statement("y", "Container scanning")
    with pytest.raises(ValueError, match="labels"):
        save_run(labelled, as_user(labelled, "boss"), [need], [seed], [[Proposal("x", "y", 1, 0.1, evidence())]], top=1)
    assert runs(labelled, as_user(labelled, "boss")) == []


def test_match_save_and_match_runs_end_to_end(labelled: Workspace, cli, login_as, tmp_path: Path) -> None:
    login_as("ana")
    result = cli("match", "--top", "2", "--save")
    assert result.code == 0, result.err
    assert "match run 1:" in result.err
    rows = [json.loads(line) for line in result.out.splitlines()]  # stdout stays JSON lines
    saved = run_proposals(labelled, as_user(labelled, "ana"), 1)
    assert saved is not None
    assert [(p.need_id, p.seed_id, p.rank) for p in saved.proposals] == [
        (r["need_id"], r["seed_id"], r["rank"]) for r in sorted(rows, key=lambda r: (r["need_id"], r["rank"]))
    ]
    listing = cli("match-runs", "--format", "jsonl")
    assert listing.code == 0, listing.err
    (run,) = [json.loads(line) for line in listing.out.splitlines()]
    assert (run["id"], run["user"], run["proposals"]) == (1, "ana", len(rows))
    assert run["settings"]["top"] == 2
    login_as("low")
    low = [json.loads(line) for line in cli("match-runs", "--format", "jsonl").out.splitlines()]
    assert [r["proposals"] for r in low] == [sum(1 for r in rows if r["label"]["level"] == "PUBLIC")]
    assert "cli: kizashi match-runs" in [e["detail"].get("via") for e in audit.iter_events(labelled)]
    needs = tmp_path / "needs.csv"
    needs.write_text(NEEDS, encoding="utf-8")
    refused = cli("match", "--needs", needs, "--seeds", needs, "--save")
    assert refused.code == 2 and "--save" in refused.err


def test_the_migration_matches_the_model(workspace: Workspace) -> None:
    with workspace.engine.connect() as connection:
        diffs = compare_metadata(MigrationContext.configure(connection), Base.metadata)
    assert [d for d in diffs if "match_runs" in repr(d) or "match_proposals" in repr(d)] == []


def test_a_seed_relabelled_above_the_reader_takes_its_stored_proposals_with_it(
    labelled: Workspace, tmp_path: Path
) -> None:
    needs, seeds = statements(labelled, "boss")
    run_id = save_run(labelled, as_user(labelled, "boss"), needs, seeds, run_match(needs, seeds, top=3), top=3)
    before = run_proposals(labelled, as_user(labelled, "low"), run_id)
    assert before is not None and "s1" in {p.seed_id for p in before.proposals}
    relabelled = tmp_path / "relabelled.csv"
    relabelled.write_text(SEEDS.replace("s1,Muon", "s1,Muon").replace(
        "Scanning shipping containers at border crossings,PUBLIC,", "Scanning shipping containers at border crossings,SECRET,"
    ), encoding="utf-8")  # fmt: skip
    ingest(labelled, as_user(labelled, "boss"), "seeds", [relabelled])
    after = run_proposals(labelled, as_user(labelled, "low"), need_id="n1")
    assert after is None or "s1" not in {p.seed_id for p in after.proposals}
    assert all(r["seeds"] < 2 for r in runs(labelled, as_user(labelled, "low")))
