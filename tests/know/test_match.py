"""Matching needs to seeds: golden results on the bundled CORDIS slice, evidence that is really in both texts, bad input."""

from __future__ import annotations

import itertools
import json
from functools import cache
from importlib import resources
from pathlib import Path

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from kizashi.errors import InputError
from kizashi.ingest.dispatch import ingest
from kizashi.know.match import read_statements
from kizashi.protect.people import actor_for as as_user
from kizashi.protect.people import add_user, grant
from kizashi.retrieval import Matcher, Statement, top_positive
from kizashi.store import audit
from kizashi.text.normalise import normalise

DEMO = Path(str(resources.files("kizashi").joinpath("data/demo")))


@cache
def seeds() -> list[Statement]:
    return read_statements("seeds", [DEMO / "cordis_projects.csv"])


@cache
def matcher() -> Matcher:
    return Matcher(seeds())


GOLDEN = [
    # a need as an agency might write it → the CORDIS project that is about exactly that (checked by hand)
    ("Verification of a talker's identity from voice recordings for forensic speaker identification", "cordis:647850"),
    ("Risk and emergency management during a pandemic outbreak", "cordis:652868"),
    ("Inspection of shipping containers at border crossing points to detect illicit goods", "cordis:653323"),
    ("Resilience of critical infrastructure operators to cascading failures", "cordis:653260"),
]


@pytest.mark.parametrize(("text", "expected"), GOLDEN)
def test_golden_needs_find_their_project_in_the_top_3(text: str, expected: str) -> None:
    proposals = matcher().match_one(Statement("n", text), top=3)
    assert expected in [p.seed_id for p in proposals], [p.seed_id for p in proposals]


def test_evidence_terms_occur_in_both_texts() -> None:
    by_id = {seed.id: seed for seed in seeds()}
    for text, _ in GOLDEN:
        need = Statement("n", text)
        for proposal in matcher().match_one(need, top=5):
            seed = by_id[proposal.seed_id]
            for pair in proposal.evidence["terms"]:
                assert pair["need"] in normalise(need.text), pair
                assert pair["seed"] in normalise(seed.text), pair
            assert proposal.evidence["channels"], proposal


def test_ranks_are_consecutive_and_scores_fall() -> None:
    proposals = matcher().match_one(Statement("n", "cyber security risk assessment"), top=10)
    assert [p.rank for p in proposals] == list(range(1, len(proposals) + 1))
    assert all(a.score >= b.score for a, b in itertools.pairwise(proposals))


@settings(max_examples=25, deadline=None)
@given(text=st.text(max_size=300))
def test_any_need_text_gives_at_most_top_distinct_seeds(text: str) -> None:
    proposals = matcher().match_one(Statement("n", text), top=5)
    assert len(proposals) <= 5 and len({p.seed_id for p in proposals}) == len(proposals)


def test_empty_and_unreadable_needs_get_no_proposals() -> None:
    assert matcher().match_one(Statement("n", "   "), top=5) == []
    assert matcher().match_one(Statement("n", "★☆♪ 123"), top=5) == []


def test_a_very_long_need_is_handled() -> None:
    text = "Container inspection at border control points. " * 50_000  # about 2.4 MB
    assert matcher().match_one(Statement("n", text), top=3)[0].seed_id == "cordis:653323"


def test_bad_input_is_refused() -> None:
    with pytest.raises(InputError, match="unique"):
        Matcher([Statement("a", "x"), Statement("a", "y")])
    with pytest.raises(InputError, match="no seeds"):
        Matcher([])
    with pytest.raises(InputError, match="top"):
        matcher().match([Statement("n", "x")], top=0)


def test_the_cli_matches_files_without_a_workspace(cli, tmp_path: Path) -> None:
    needs = tmp_path / "needs.csv"
    needs.write_text(
        "id,title\nn1,Container inspection at border crossings\nn2,Pandemic emergency management\n", encoding="utf-8"
    )
    result = cli("match", "--needs", needs, "--seeds", DEMO / "cordis_projects.csv", "--top", "2")
    assert result.code == 0, result.err
    lines = [json.loads(line) for line in result.out.splitlines()]
    assert [(row["need_id"], row["rank"]) for row in lines] == [("n1", 1), ("n1", 2), ("n2", 1), ("n2", 2)]
    assert lines[0]["seed_id"] == "cordis:653323" and set(lines[0]) >= {"score", "evidence", "seed_title"}
    out = tmp_path / "workshop.xlsx"
    assert cli("match", "--needs", needs, "--seeds", DEMO / "cordis_projects.csv", "-f", "xlsx", "-o", out).code == 0
    assert out.stat().st_size > 0
    handout = tmp_path / "workshop.html"
    assert (
        cli("match", "--needs", needs, "--seeds", DEMO / "cordis_projects.csv", "-f", "html", "-o", handout).code == 0
    )
    html = handout.read_text(encoding="utf-8")
    assert "Container inspection at border crossings" in html and "cordis:653323" in html and "<script" not in html
    broken = tmp_path / "broken.csv"
    broken.write_text("id,title\nn1,\n", encoding="utf-8")
    result = cli("match", "--needs", broken, "--seeds", DEMO / "cordis_projects.csv")
    assert result.code == 2 and "row 2" in result.err and "title" in result.err


def test_the_cli_assigns_for_a_workshop(cli, tmp_path: Path) -> None:
    needs = tmp_path / "needs.csv"
    needs.write_text(
        "id,title\nn1,Container inspection at border crossings\nn2,Inspection of containers at the border\n",
        encoding="utf-8",
    )
    result = cli("match", "--needs", needs, "--seeds", DEMO / "cordis_projects.csv", "--top", "3", "--assign")
    assert result.code == 0, result.err
    rows = [json.loads(line) for line in result.out.splitlines()]
    assert {row["need_id"] for row in rows} == {"n1", "n2"}
    seeds_used = [row["seed_id"] for row in rows]
    assert len(seeds_used) == len(set(seeds_used))  # --per-seed 1
    repeated = tmp_path / "repeated.csv"
    repeated.write_text("id,title\nn1,a\nn1,b\n", encoding="utf-8")
    result = cli("match", "--needs", repeated, "--seeds", DEMO / "cordis_projects.csv")
    assert result.code == 2 and "row 3" in result.err and "repeats row 2" in result.err


def test_workspace_matching_reads_only_what_the_user_may(cli, workspace, tmp_path: Path, login_as) -> None:
    needs = tmp_path / "needs.csv"
    needs.write_text(
        "id,title,label\nn-pub,Container inspection at border crossings,PUBLIC\n"
        "n-int,Inspection of shipping containers at ports,INTERNAL\n",
        encoding="utf-8",
    )
    ingest(workspace, as_user(workspace, "boss"), "needs", [needs])
    ingest(workspace, as_user(workspace, "boss"), "seeds", [DEMO / "cordis_projects.csv"])  # public projects: PUBLIC
    add_user(workspace, as_user(workspace, "boss"), "boss", roles=["admin"])
    add_user(workspace, as_user(workspace, "boss"), "pub", roles=["analyst"])
    add_user(workspace, as_user(workspace, "boss"), "staff", roles=["analyst"])
    grant(workspace, as_user(workspace, "boss"), "staff", "INTERNAL")
    login_as("pub")
    public = [json.loads(line) for line in cli("match", "--top", "2").out.splitlines()]
    assert {row["need_id"] for row in public} == {"n-pub"}
    assert {row["label"]["level"] for row in public} == {"PUBLIC"}
    login_as("nobody")
    assert cli("match").code == 2  # not a user of this managed workspace
    login_as("staff")
    result = cli("match", "--top", "2")
    assert result.code == 0, result.err
    rows = [json.loads(line) for line in result.out.splitlines()]
    assert {row["need_id"] for row in rows} == {"n-pub", "n-int"}
    assert {(row["need_id"], row["label"]["level"]) for row in rows} == {("n-pub", "PUBLIC"), ("n-int", "INTERNAL")}
    event = list(audit.iter_events(workspace))[-1]
    assert (event["actor"], event["action"], event["detail"]["proposals"]) == ("staff", "read", 4)
    assert cli("match", "--needs", needs).code == 2  # --needs without --seeds


def test_cross_domain_proposals_come_from_other_fields() -> None:
    need = Statement("n", "Unmanned aerial vehicles to search for survivors in collapsed buildings after earthquakes")
    ordinary = matcher().match_one(need, top=10)
    assert all(set(p.evidence["areas"]) == {"need", "seed"} for p in ordinary)
    crossing = matcher().cross_domain(need, top=5)
    assert crossing and [p.rank for p in crossing] == list(range(1, len(crossing) + 1))
    for proposal in crossing:
        areas = proposal.evidence["areas"]
        assert proposal.evidence["cross_domain"] and areas["need"] and areas["seed"]
        assert not set(areas["need"]) & set(areas["seed"])


def test_the_area_of_a_concept_is_its_top_level() -> None:
    tagger = matcher().tagger
    assert tagger.area("robotics.uav") == "robotics" and tagger.area("robotics") == "robotics"


@given(
    st.lists(st.sampled_from([0.0, 0.5, 1.0, 1.5, 2.0, 3.25]) | st.floats(0, 10), min_size=1, max_size=6000),
    st.integers(1, 300),
)
@settings(max_examples=200, deadline=None)
def test_top_positive_is_the_sorted_positive_scores_ties_by_position(values: list[float], k: int) -> None:
    scores = np.asarray(values, dtype=np.float64)
    expected = sorted((i for i in range(len(values)) if values[i] > 0), key=lambda i: (-values[i], i))[:k]
    assert top_positive(scores, k).tolist() == expected
