"""Screening: listed names are found, token order does not matter, scores stay in [0, 1], matches explain
themselves and name their list version."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from kizashi.protect.screening import DEFAULT_THRESHOLD, Party, Screener, read_lists, screen_names
from kizashi.protect.screening.entries import ListEntry, ListVersion, ScreeningList
from kizashi.protect.screening.places import is_place
from kizashi.protect.screening.score import PENALTIES, explanation_text
from kizashi.protect.screening.vocabulary import GENERIC_WORDS, LEGAL_FORMS, STOP_WORDS

LISTS = Path(__file__).parents[2] / "fixtures" / "lists"
ALL = [LISTS / "un_consolidated_slice.xml", LISTS / "ofac", LISTS / "meti_parsed_entities.json", LISTS / "generic.csv"]


@pytest.fixture(scope="module")
def screener() -> Screener:
    return Screener(read_lists(ALL))


def best(screener: Screener, name: str, **extra: str) -> dict[str, object] | None:
    found = screener.best(Party("q", name, **extra), top=1)
    return found[0] if found else None


@pytest.mark.parametrize(
    ("query", "entry_id"),
    [
        # Japanese ↔ English, legal forms in either order and script
        ("有限会社タコ", "third_countries-1"),
        ("タコ有限会社", "third_countries-1"),
        ("Tako, LLC", "third_countries-1"),
        ("グアンジョウ・オーサイ・テクノロジー", "third_countries-9"),
        ("エムヴィジョン", "third_countries-16"),
        ("サクセス・アビエーション・サービス", "third_countries-4"),
        ("株式会社インテグラル", "belarus-2"),
        # the lists' own aliases and spelling variants
        ("HANIYYA Ismaeel", "9639"),
        ("Ismail Haniya", "9639"),
        ("Korea Ryonbong General Corp.", "KPe.002"),
        ("KOMID", "KPe.001"),
        ("Allied Democratic Forces", "CDe.001"),
        # the generic list: kanji, Hepburn variants, Cyrillic, Chinese
        ("東都精密工業", "T-001"),
        ("Tōto Seimitsu Kōgyō Co., Ltd.", "T-001"),
        ("ООО Северный Машиностроительный Завод", "T-002"),
        ("Yamada Taroh", "T-003"),
        ("大橋貿易株式会社", "T-004"),
        ("Ohashi Trading K.K.", "T-004"),
        ("北方电子科技", "T-005"),
    ],
)
def test_finds_the_listed_entry(screener: Screener, query: str, entry_id: str) -> None:
    found = best(screener, query)
    assert found is not None and found["entry_id"] == entry_id
    assert float(found["score"]) >= DEFAULT_THRESHOLD  # type: ignore[arg-type]


@pytest.mark.parametrize(
    "query", ["University of Greenwich", "Fraunhofer Gesellschaft", "株式会社日立製作所", "Siemens AG", "東京大学"]
)
def test_unlisted_organisations_raise_no_alert(screener: Screener, query: str) -> None:
    assert screener.best(Party("q", query), threshold=DEFAULT_THRESHOLD) == []


def test_a_match_explains_itself_and_names_its_list_version(screener: Screener) -> None:
    found = best(screener, "タコ有限会社")
    assert found is not None
    explanation = found["explanation"]
    assert explanation["tokens"] == [  # type: ignore[index]
        {"query": "タコ", "key": "tako", "matched": "tako", "how": "transliterated", "similarity": 1.0}
    ]
    assert explanation["legal_forms"] == {"query": ["ltd"], "list": ["llc"]}  # type: ignore[index]
    assert found["list_version"]["source"] == "meti-json"  # type: ignore[index]
    assert len(found["list_version"]["sha256"]) == 64  # type: ignore[index]
    assert "タコ→tako = tako (transliterated)" in explanation_text(explanation)  # type: ignore[arg-type]


def test_translated_and_fuzzy_tokens_say_so(screener: Screener) -> None:
    found = best(screener, "Toto Seimitsu Kogio")
    assert found is not None and found["entry_id"] == "T-001"
    hows = {t["key"]: t["how"] for t in found["explanation"]["tokens"]}  # type: ignore[index]
    assert hows["kogio"].startswith("fuzzy 0.")
    translated = best(screener, "大橋貿易")
    assert translated is not None
    assert {"query": "貿易", "how": "translated"}.items() <= translated["explanation"]["tokens"][1].items()  # type: ignore[index]


def test_penalties_apply_only_when_both_sides_say(screener: Screener) -> None:
    plain = best(screener, "Yamada Taro")
    typed = best(screener, "Yamada Taro", type="vessel")
    elsewhere = best(screener, "Yamada Taro", country="KR")
    same = best(screener, "Yamada Taro", country="JP")
    assert plain and typed and elsewhere and same
    assert typed["explanation"]["penalties"] == {"type": PENALTIES["type"]}  # type: ignore[index]
    assert elsewhere["explanation"]["penalties"] == {"country": PENALTIES["country"]}  # type: ignore[index]
    # A person is never an organisation: stated on both sides, the score is 0.
    organisation = best(screener, "Yamada Taro", type="organisation")
    assert organisation is None or organisation["score"] == 0.0
    assert same["score"] == plain["score"]
    # A list that writes country names and a partner file with codes do not disagree.
    assert best(screener, "Tako LLC", country="AM")["explanation"]["penalties"] == {}  # type: ignore[index]


def test_rows_have_the_stable_shape() -> None:
    lists = read_lists([LISTS / "generic.csv"])
    rows = screen_names([Party("1", "東都精密工業"), Party("2", "Nobody In Particular")], lists, top=3)
    assert [sorted(row) for row in rows] == [["id", "matches", "name"]] * 2
    assert rows[1]["matches"] == []
    match = rows[0]["matches"][0]
    assert set(match) == {"list", "entry_id", "entry_name", "matched_name", "score", "explanation", "list_version"}
    assert match["list"] == "kizashi-test-list" and match["entry_id"] == "T-001"


# --- properties ---------------------------------------------------------------------------------------------------

# Ordinary words: a legal form is one only at the start or end of a name ("Ag" in "Iyad Ag Ghali" is a name); a name
# of generic words and places alone ("Automation", "Ministry of Defence") is weak by design (score.PENALTIES).
words = st.text(alphabet="abcdefghijklmnopqrstuvwxyz", min_size=2, max_size=10).filter(
    lambda word: (
        (word,) not in LEGAL_FORMS and word not in STOP_WORDS and word not in GENERIC_WORDS and not is_place(word)
    )
)
names = st.lists(words, min_size=1, max_size=4, unique=True).map(" ".join)
FILLER = [ListEntry("t", f"f{i}", name) for i, name in enumerate(["Acme Trading", "Global Tech", "Ivan Petrov"])]


def one_list(entries: list[ListEntry]) -> ScreeningList:
    return ScreeningList(ListVersion("generic-csv", "t", "2026-01-01", "0" * 64, "t.csv"), entries)


@settings(max_examples=60, suppress_health_check=[HealthCheck.too_slow], deadline=None)
@given(names, st.lists(names, max_size=5))
def test_a_listed_name_is_found_at_rank_one(name: str, others: list[str]) -> None:
    entries = [*FILLER, *(ListEntry("t", f"o{i}", other) for i, other in enumerate(others) if other != name)]
    entries.append(ListEntry("t", "target", name))
    found = Screener([one_list(entries)]).best(Party("q", name), top=3)
    assert found[0]["score"] == 1.0
    # Equal names in the list tie; the target is among the best.
    assert "target" in [m["entry_id"] for m in found if m["score"] == found[0]["score"]]


@settings(max_examples=60, deadline=None)
@given(st.lists(words, min_size=2, max_size=4, unique=True), st.randoms())
def test_token_order_does_not_matter(tokens: list[str], random: object) -> None:
    screener = Screener([one_list([*FILLER, ListEntry("t", "target", " ".join(tokens))])])
    shuffled = list(tokens)
    random.shuffle(shuffled)  # type: ignore[attr-defined]
    forward = screener.best(Party("q", " ".join(tokens)), top=1)
    backward = screener.best(Party("q", " ".join(shuffled)), top=1)
    assert forward[0]["entry_id"] == backward[0]["entry_id"] == "target"
    assert forward[0]["score"] == backward[0]["score"]


@settings(max_examples=80, deadline=None)
@given(names, names, st.sampled_from([None, "person", "organisation"]), st.sampled_from([None, "JP", "RU"]))
def test_scores_are_between_zero_and_one(query: str, listed: str, kind: str | None, country: str | None) -> None:
    entry = ListEntry("t", "x", listed, type="person", countries=("JP",))
    for match in Screener([one_list([entry])]).best(Party("q", query, country, kind), top=5):
        assert 0.0 <= match["score"] <= 1.0
        assert all(0.0 <= t["similarity"] <= 1.0 for t in match["explanation"]["tokens"])


@pytest.mark.parametrize(
    ("query", "listed"),
    [
        ("東京大学", "University of Tokyo"),
        ("タコ有限会社", "Tako LLC"),
        ("三菱重工業株式会社", "Mitsubishi Heavy Industries, Ltd."),
        ("Ōhashi Kōgyō K.K.", "大橋工業株式会社"),
        ("Владимир Путин", "PUTIN, Vladimir"),
        ("Muhammad Jamal", "MOHAMMED JAMAL"),
        ("김정은", "KIM JONG UN"),
        ("이민호", "Lee Min Ho"),
        ("리선권", "RI Son Gwon"),
        ("최 룡해", "CHOE RYONG HAE"),
        ("조선광선은행", "KOREA KWANGSON BANKING CORPORATION (KKBC)"),
        ("단천상업은행", "TANCHON COMMERCIAL BANK"),
        ("조선광업개발무역회사", "KOREA MINING DEVELOPMENT TRADING CORPORATION"),
    ],
)
def test_across_scripts_and_spellings(query: str, listed: str) -> None:
    entries = [*FILLER, ListEntry("t", "target", listed)]
    found = Screener([one_list(entries)]).best(Party("q", query), top=1, threshold=DEFAULT_THRESHOLD)
    assert found and found[0]["entry_id"] == "target"
