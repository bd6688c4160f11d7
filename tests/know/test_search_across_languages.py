"""Search in lists across Japanese and English (issue 13, section 5): a Japanese word finds English records through
the translation matching uses, an English word finds Japanese records, a switch searches the words as typed, and a
record the reader may not read is never found nor counted. On a real store, SQLite and PostgreSQL alike."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import select

from kizashi.errors import InputError
from kizashi.ingest.dispatch import ingest
from kizashi.know.records import search_records
from kizashi.know.search_terms import MAX_QUERY_CHARS, MAX_WIDENED_GROUPS, default_widener, search_groups
from kizashi.model import AuditEvent
from kizashi.protect import people
from kizashi.protect.people import actor_for as as_user
from kizashi.store.records import MAX_ALTERNATIVES, SEARCH_COLUMNS, SearchGroup
from kizashi.store.workspace import Workspace

DONE = datetime(2026, 1, 1, tzinfo=UTC)
SEEDS = """id,title,description,label,lang
s-drone,Drone swarms for disaster response,Small drones map flooded districts,PUBLIC,en
s-uav,Mapping with unmanned aerial vehicles,Photogrammetry from the air,PUBLIC,en
s-qkd,Quantum key distribution networks,Secure links from entangled photons,PUBLIC,en
s-sar,Search-and-rescue robotics,Finding people trapped in collapsed buildings,PUBLIC,en
s-research,Research on steel alloys,A study of fatigue in welded joints,PUBLIC,en
s-ja,ドローンによるインフラ点検,橋梁の点検を無人で行う,PUBLIC,ja
s-ja-rescue,倒壊建物からの救助,要救助者の捜索と救出,PUBLIC,ja
s-hidden,Drone quantum search and rescue,secret drones ドローン 量子 捜索,SECRET,en
"""
PUBLIC_IDS = {"s-drone", "s-uav", "s-qkd", "s-sar", "s-research", "s-ja", "s-ja-rescue"}


@pytest.fixture
def seeded(workspace: Workspace, tmp_path: Path) -> Workspace:
    """Seeds in both languages; `reader` may read the PUBLIC ones, `boss` all."""
    people.add_user(workspace, as_user(workspace, "boss"), "boss", roles=["admin"])
    boss = as_user(workspace, "boss")
    people.grant(workspace, boss, "boss", "SECRET")
    for course in ("security-basics", "secret-handling"):
        people.record_training(workspace, boss, "boss", course, DONE)
    people.add_user(workspace, boss, "reader")
    people.grant(workspace, boss, "reader", "PUBLIC")
    (tmp_path / "seeds.csv").write_text(SEEDS, encoding="utf-8")
    ingest(workspace, boss, "seeds", [tmp_path / "seeds.csv"])
    return workspace


def found(workspace: Workspace, query: str, *, user: str = "reader", literal: bool = False) -> set[str]:
    page = search_records(workspace, as_user(workspace, user), "seeds", query=query, literal=literal, limit=500)
    ids = {row["id"] for row in page.rows}
    assert page.total == len(ids)  # everything fits on one page here: the total is what was shown
    return ids


def test_a_japanese_word_finds_english_records(seeded: Workspace) -> None:
    assert {"s-drone", "s-uav"} <= found(seeded, "ドローン")  # drone, unmanned aerial vehicle
    assert "s-qkd" in found(seeded, "量子")  # quantum
    assert "s-sar" in found(seeded, "捜索")  # search, at the start of "Search-and-rescue"
    # The Japanese records still match as typed.
    assert "s-ja" in found(seeded, "ドローン") and "s-ja-rescue" in found(seeded, "捜索")


def test_an_english_rendering_matches_at_a_word_start_only(seeded: Workspace) -> None:
    # "search" is inside "Research": a translation of 捜索 must not find it.
    assert "s-research" not in found(seeded, "捜索")
    # The word as typed keeps today's meaning (anywhere in the text).
    assert "s-research" in found(seeded, "search") and "s-research" in found(seeded, "search", literal=True)


def test_an_english_word_finds_japanese_records(seeded: Workspace) -> None:
    assert "s-ja" in found(seeded, "drone")  # the taxonomy pairs drone with ドローン
    assert "s-ja" in found(seeded, "unmanned aerial vehicle")  # a taxonomy name of three words, one group
    assert "s-ja-rescue" in found(seeded, "rescue")  # JMdict read backwards: 救助, checked forwards


def test_every_word_must_match_through_itself_or_its_translations(seeded: Workspace) -> None:
    # ドローン and 捜索: only the records on both (the drone swarm is not about search).
    assert found(seeded, "ドローン 捜索") == set()
    assert found(seeded, "量子 ドローン") == set()
    assert found(seeded, "drone 点検") == {"s-ja"}


def test_the_literal_switch_searches_the_words_as_typed(seeded: Workspace) -> None:
    assert found(seeded, "ドローン", literal=True) == {"s-ja"}
    assert found(seeded, "量子", literal=True) == set()
    assert found(seeded, "drone", literal=True) == {"s-drone"}
    page = search_records(seeded, as_user(seeded, "reader"), "seeds", query="ドローン", literal=True)
    assert page.literal and page.widened == ()


def test_a_record_the_reader_may_not_read_is_never_found_nor_counted(seeded: Workspace) -> None:
    for query in ("ドローン", "量子", "捜索", "drone", "quantum search", "secret"):
        assert "s-hidden" not in found(seeded, query)
    assert "s-hidden" in found(seeded, "ドローン", user="boss")
    page = search_records(seeded, as_user(seeded, "reader"), "seeds", query="", facets=True)
    assert page.total == len(PUBLIC_IDS)
    assert dict(page.facets["level"]) == {"PUBLIC": len(PUBLIC_IDS)}


def test_the_page_and_the_audit_trail_say_what_the_query_was_widened_to(seeded: Workspace) -> None:
    page = search_records(seeded, as_user(seeded, "reader"), "seeds", query="ドローン 量子")
    widened = {" ".join(group.words): group.alternatives for group in page.widened}
    assert "drone" in widened["ドローン"] and "unmanned aerial vehicle" in widened["ドローン"]
    assert widened["量子"] == ("quantum",)
    with seeded.session() as session:
        event = session.scalars(
            select(AuditEvent).where(AuditEvent.actor == "reader").order_by(AuditEvent.seq.desc()).limit(1)
        ).one()
        assert event.action == "read"
        assert event.detail["query"] == "ドローン 量子" and event.detail["literal"] is False
        assert event.detail["widened"]["量子"] == ["quantum"]


def test_a_compound_the_translator_reads_as_one_word_is_one_group() -> None:
    groups = search_groups("量子暗号")
    assert len(groups) == 1 and groups[0].words == ("量子暗号",)
    assert "quantum key distribution" in groups[0].alternatives
    # Several words typed without a space: one group each, written as inside the typed word.
    split = search_groups("ドローン捜索")
    assert [group.words for group in split] == [("ドローン",), ("捜索",)]


def test_only_carried_renderings_widen_and_the_groups_are_bounded() -> None:
    widener = default_widener()
    for word in ("技術", "情報", "捜索", "無人機", "量子暗号"):
        (group,) = widener.widen(word)
        translation = widener.translator.translate(widener.tokeniser.tokens(word, "ja"))
        carried = {rendering.english for t in translation for rendering in t.carried()}
        assert set(group.alternatives) <= carried, word
        assert len(group.alternatives) <= MAX_ALTERNATIVES
    many = " ".join(["ドローン", "量子", "捜索", "救助", "津波", "地震", "暗号", "攻撃", "検知", "予測", "倒壊"])
    assert sum(bool(group.alternatives) for group in search_groups(many)) == MAX_WIDENED_GROUPS


def test_queries_that_cannot_be_searched_are_a_clear_input_error(seeded: Workspace) -> None:
    reader = as_user(seeded, "reader")
    for query in ("a" * (MAX_QUERY_CHARS + 1), "drone\x00", "ドローン\x00量子"):
        for literal in (False, True):
            with pytest.raises(InputError):
                search_records(seeded, reader, "seeds", query=query, literal=literal)


def test_the_largest_query_runs_on_every_kind(seeded: Workspace) -> None:
    """500 characters: the widest groups first (each with the most alternatives), then as many words as fit; on the
    kind with the most searchable columns too. Bounded SQL, so neither backend refuses it (SQLite's expression depth,
    the number of bound parameters)."""
    widest = ["無人機", "量子暗号", "ドローン", "drone", "search", "rescue", "line", "attack", "AI"]
    query = " ".join(widest)
    # then distinct one-letter words (Hangul jamo: neither Japanese nor Latin, so neither translated nor merged)
    query += "".join(f" {chr(0x1100 + i)}" for i in range((MAX_QUERY_CHARS - len(query)) // 2))
    assert MAX_QUERY_CHARS - 1 <= len(query) <= MAX_QUERY_CHARS
    groups = search_groups(query)
    assert sum(bool(group.alternatives) for group in groups) == MAX_WIDENED_GROUPS
    # (the widest of these words has 7 alternatives since taxonomy names that do not translate the word are left out)
    assert len(groups) > 230 and 5 <= max(len(group.alternatives) for group in groups) <= MAX_ALTERNATIVES
    for kind in ("needs", "seeds", "works", "threats", "technologies"):
        page = search_records(seeded, as_user(seeded, "reader"), kind, query=query)
        assert page.total == 0


# -- any query ----------------------------------------------------------------------------------------------------

WORDS = st.sampled_from(
    ["ドローン", "量子", "捜索", "救助", "drone", "search", "quantum", "rescue", "unmanned", "aerial", "vehicle", "the"]
)
ODD = st.text(st.sampled_from(list("%_\\'\"()-/ 　\t\nabcSD量ド検索")), max_size=12)
QUERIES = st.one_of(
    st.lists(st.one_of(WORDS, ODD), max_size=8).map(" ".join),
    st.lists(st.one_of(WORDS, ODD), max_size=4).map("".join),
    st.text(max_size=40),
    st.text(st.sampled_from(list("ab%_ ド")), min_size=MAX_QUERY_CHARS - 5, max_size=MAX_QUERY_CHARS + 5),
)


def _fold(text: str) -> str:
    return text.translate(str.maketrans("ABCDEFGHIJKLMNOPQRSTUVWXYZ", "abcdefghijklmnopqrstuvwxyz"))


def _holds(record: dict[str, object], text: str) -> bool:
    return any(_fold(text) in _fold(str(record[column] or "")) for column in SEARCH_COLUMNS["seeds"])


def _matches(record: dict[str, object], group: SearchGroup) -> bool:
    """The search as plain substrings: the typed words, or any of the words the expansion added."""
    return all(_holds(record, word) for word in group.words) or any(_holds(record, alt) for alt in group.alternatives)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(query=QUERIES)
def test_any_query_finds_at_least_the_literal_search_and_nothing_beyond_its_words_and_theirs(
    seeded: Workspace, query: str
) -> None:
    reader = as_user(seeded, "reader")
    try:
        widened = search_records(seeded, reader, "seeds", query=query, limit=500)
    except InputError:
        assert len(query) > MAX_QUERY_CHARS or "\x00" in query
        return
    assert len(query) <= MAX_QUERY_CHARS and "\x00" not in query
    literal = search_records(seeded, reader, "seeds", query=query, literal=True, limit=500)
    ids = {row["id"] for row in widened.rows}
    assert {row["id"] for row in literal.rows} <= ids
    assert ids <= PUBLIC_IDS and widened.total == len(ids)
    groups = search_groups(query)
    # Every group's typed words come from the query's own words.
    assert all(any(word in typed for typed in query.split()) for group in groups for word in group.words)
    for row in widened.rows:
        assert all(_matches(row, group) for group in groups), (row["id"], groups)
