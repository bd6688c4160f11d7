"""A proposal's strength in words: from how many of the channels that ran for the need put the seed in their top ten;
on every proposal's evidence and in the exports; a workshop reads it in Japanese."""

from __future__ import annotations

from functools import cache
from importlib import resources
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from kizashi.know.match import TABLE_COLUMNS, proposal_rows, read_statements
from kizashi.retrieval import Matcher, Statement
from kizashi.retrieval.strength import AGREE_TOP, STRENGTH_WORDS, STRENGTHS, judged, strength

DEMO = Path(str(resources.files("kizashi").joinpath("data/demo")))
CHANNEL_NAMES = ("lexical", "translated", "concepts", "dense")


@cache
def matcher() -> Matcher:
    return Matcher(read_statements("seeds", [DEMO / "cordis_projects.csv"]))


ranks = st.dictionaries(st.sampled_from(CHANNEL_NAMES), st.integers(min_value=1, max_value=200))


@given(ranks, st.integers(min_value=0, max_value=3))
def test_the_words_follow_the_agreeing_channels(channels: dict[str, int], extra: int) -> None:
    ran = len(channels) + extra  # channels that ranked seeds for the need, this one or not
    word, agreement = strength(channels, ran)
    agreeing = sum(1 for rank in channels.values() if rank <= AGREE_TOP)
    assert word in STRENGTHS and 0.0 <= agreement <= 1.0
    assert (word == "weak") == (agreeing == 0)
    if word == "strong":
        assert agreeing >= 2 and 3 * agreeing >= 2 * ran
    # One more channel agreeing never makes a proposal weaker.
    better, _ = strength({**channels, "more": 1}, ran + 1)
    assert STRENGTHS.index(better) <= STRENGTHS.index(word) or word == "strong"


def test_every_strength_has_words_in_both_languages() -> None:
    assert set(STRENGTH_WORDS) == set(STRENGTHS) and all(ja and en for ja, en in STRENGTH_WORDS.values())


def test_proposals_carry_their_strength_and_exports_show_it() -> None:
    # Read two ways (its Japanese words as English terms, and taxonomy concepts) that agree on the drone projects.
    need = Statement("n", "災害時にドローンで被災者を捜索する技術")
    proposals = matcher().match_one(need, top=10)
    assert proposals
    for proposal in proposals:
        evidence = proposal.evidence
        word, agreement = strength(evidence["channels"], len(evidence["ran"]))
        assert (evidence["strength"], evidence["agreement"]) == (word, round(agreement, 2))
        assert set(evidence["channels"]) <= set(evidence["ran"])
    assert proposals[0].evidence["strength"] == "strong"
    # One way of reading alone (an English need here: its own words) makes a proposal possible at most.
    english = matcher().match_one(Statement("e", "Risk and emergency management during a pandemic outbreak"), top=3)
    assert english and all(p.evidence["strength"] != "strong" for p in english if len(p.evidence["ran"]) == 1)
    rows = proposal_rows([need], list(read_statements("seeds", [DEMO / "cordis_projects.csv"])), [proposals])
    assert {"strength", "agreement"} <= set(TABLE_COLUMNS)
    assert [row["strength"] for row in rows] == [p.evidence["strength"] for p in proposals]


@pytest.mark.parametrize("word", STRENGTHS)
def test_an_analysts_decision_sets_the_word(word: str) -> None:
    assert judged(word, "accept") == ("strong", True)
    assert judged(word, "reject") == ("weak", True)
    assert judged(word, "later") == (word, False)
    assert judged(word, None) == (word, False)
