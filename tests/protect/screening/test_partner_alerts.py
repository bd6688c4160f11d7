"""Issue 13 §2: partner alerts that a name's own words do not carry — one word of a longer name, generic words and
places, parenthesised places and legal forms, initials, a person against an organisation — stay under the threshold,
and each rule shows in the explanation."""

from __future__ import annotations

import pytest

from kizashi.protect.screening import DEFAULT_THRESHOLD, Party, Screener
from kizashi.protect.screening.entries import ListEntry, ListVersion, ScreeningList
from kizashi.protect.screening.names import analyse, name_variants
from kizashi.protect.screening.places import country_code
from kizashi.protect.screening.score import explanation_text, score

VERSION = ListVersion("generic-csv", "t", "2026-01-01", "0" * 64, "-")
KP = ("Democratic People's Republic of Korea",)
ENTRIES = [
    ListEntry("t", "person-israel", "PACIFIQUE NTAWUNGUKA", aliases=("Israel",), type="person"),
    ListEntry("t", "person-zia", "AHMAD ZIA AGHA", aliases=("Zia",), type="person"),
    ListEntry("t", "mod", "MINISTRY OF NATIONAL DEFENCE", type="organisation", countries=KP),
    ListEntry("t", "ipp", "IPP OIL PRODUCTS (CYPRUS) LIMITED", type="organisation", countries=("Cyprus",)),
    ListEntry("t", "ioc", "IRANIAN OIL COMPANY (U.K.) LIMITED", type="organisation"),
    ListEntry("t", "tanchon", "TANCHON COMMERCIAL BANK", type="organisation", countries=KP),
    ListEntry("t", "so", "SO CHANG HO", type="person", countries=KP),
    *(ListEntry("t", f"f{i}", f"{w} Trading Company") for i, w in enumerate(("Alpha", "Beta", "Gamma", "Delta"))),
]


@pytest.fixture(scope="module")
def screener() -> Screener:
    return Screener([ScreeningList(VERSION, ENTRIES)])


def top(screener: Screener, name: str, **extra: str) -> dict:
    found = screener.best(Party("q", name, **extra), top=1)
    return found[0] if found else {"entry_id": None, "score": 0.0, "explanation": {}}


def test_a_one_word_alias_of_a_person_does_not_carry_an_organisation(screener: Screener) -> None:
    found = top(screener, "THE ISRAEL ELECTRIC CORPORATION LIMITED")
    assert found["entry_id"] != "person-israel" or found["score"] < DEFAULT_THRESHOLD
    typed = screener.best(Party("q", "THE ISRAEL ELECTRIC CORPORATION LIMITED", type="organisation"), top=5)
    assert all(row["score"] == 0.0 for row in typed if row["entry_id"] == "person-israel")


def test_a_person_never_matches_an_organisation_and_says_so(screener: Screener) -> None:
    found = top(screener, "Israel Holdings Ltd")
    assert found["score"] < DEFAULT_THRESHOLD
    assert "a person against an organisation" in explanation_text(found["explanation"])
    stated = screener.best(Party("q", "Israel", type="organisation"), top=5)
    assert all(row["score"] == 0.0 for row in stated if row["entry_id"] == "person-israel")


def test_one_common_token_is_no_match(screener: Screener) -> None:
    assert top(screener, "SIA SPA")["score"] < DEFAULT_THRESHOLD
    found = top(screener, "Zia Consulting Partners")
    assert found["score"] < DEFAULT_THRESHOLD


def test_a_generic_name_is_weak_unless_the_country_agrees(screener: Screener) -> None:
    for name, country in (("Ministry of Defence", None), ("MINISTRY OF NATIONAL DEFENCE", "GR")):
        found = top(screener, name, **({"country": country} if country else {}))
        assert found["entry_id"] == "mod" and found["score"] < DEFAULT_THRESHOLD
        assert "only generic words or places match" in explanation_text(found["explanation"])
    same = top(screener, "MINISTRY OF NATIONAL DEFENCE", country="KP")
    assert same["entry_id"] == "mod" and same["score"] >= DEFAULT_THRESHOLD
    assert not same["explanation"]["penalties"]


def test_parenthesised_places_and_legal_forms_carry_no_score(screener: Screener) -> None:
    assert "CYPRUS" not in name_variants("IPP OIL PRODUCTS (CYPRUS) LIMITED")
    assert "U.K." not in name_variants("IRANIAN OIL COMPANY (U.K.) LIMITED")
    assert "PVT" not in name_variants("Alpha Trading (PVT) Ltd")
    assert "AQAP" in name_variants("Al-Qaida in the Arabian Peninsula (AQAP)")  # a name of its own stays
    assert top(screener, "UNIVERSITY OF CYPRUS")["score"] < DEFAULT_THRESHOLD
    assert top(screener, "I.C.T.S.(U.K.) LIMITED")["score"] < DEFAULT_THRESHOLD


def test_initials_are_not_a_full_match() -> None:
    query, entry = analyse("I.C.T.S. Consulting")[0], analyse("I.C. Petroleum")[0]
    match = score(query, [1.0] * len(query.keys), entry.keys, [1.0] * len(entry.keys), (), False)
    assert "initials" in match.penalties
    alone = analyse("I.C.")[0]
    assert "initials" not in score(alone, [1.0, 1.0], alone.keys, [1.0, 1.0], (), False).penalties  # the whole name


def test_a_kanji_organisation_does_not_reach_a_person_through_one_syllable(screener: Screener) -> None:
    found = screener.best(Party("q", "朝鮮連峰総会社"), top=1, threshold=DEFAULT_THRESHOLD)
    assert not found


def test_the_listed_names_are_still_found(screener: Screener) -> None:
    assert top(screener, "Tanchon Commercial Bank")["score"] == 1.0
    assert top(screener, "단천상업은행")["entry_id"] == "tanchon"
    assert top(screener, "IPP Oil Products Ltd")["entry_id"] == "ipp"
    assert top(screener, "Ahmad Zia Agha")["score"] == 1.0


def test_country_names_and_codes_compare() -> None:
    assert country_code("Democratic People's Republic of Korea") == country_code("KP") == "kp"
    assert country_code("EL") == country_code("Greece") == "gr"
    assert country_code("UK") == country_code("United Kingdom of Great Britain and Northern Ireland") == "gb"
    assert country_code("Atlantis") is None
