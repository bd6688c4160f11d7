"""Issue 13 §2: kanji of Korean entities are read in Korean (KANJIDIC2's readings, korean.py), and that reading is
compared only with Korean entries; a Japanese or Chinese reading of kanji is not compared with a Korean name's Latin
spelling (総 → "so" against a person named So)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from kizashi.protect.screening import DEFAULT_THRESHOLD, Party, Screener, korean, read_list
from kizashi.protect.screening.entries import ListEntry, ListVersion, ScreeningList
from kizashi.protect.screening.names import analyse
from kizashi.protect.screening.score import explanation_text, korean_similarity

UN_SLICE = Path(__file__).parents[2] / "fixtures" / "lists" / "un_consolidated_slice.xml"
VERSION = ListVersion("generic-csv", "t", "2026-01-01", "0" * 64, "-")
KP = ("Democratic People's Republic of Korea",)


@pytest.fixture(scope="module")
def un() -> ScreeningList:
    return read_list(UN_SLICE)


@pytest.fixture(scope="module")
def screener(un: ScreeningList) -> Screener:
    # The bundled UN slice, and two people named So: a Korean one and one of nowhere in particular.
    people = [
        ListEntry("t", "so-kp", "SO CHANG HO", type="person", countries=KP),
        ListEntry("t", "so", "SO", type="person"),
    ]
    return Screener([un, ScreeningList(VERSION, people)])


def test_the_bundled_un_list_has_the_entities() -> None:
    entries = {e.entry_id: e for e in read_list(UN_SLICE).entries}
    assert entries["KPe.003"].name == "TANCHON COMMERCIAL BANK"
    assert entries["KPe.002"].name == "KOREA RYONBONG GENERAL CORPORATION"


@pytest.mark.parametrize(
    ("kanji", "hangul"),
    [
        ("端川商業銀行", ("단천상업은행",)),
        # The DPRK keeps an initial ㄹ (Ryonbong); South Korea's spelling (Yonbong, an alias on the list) as well.
        ("朝鮮連峰総会社", ("조선련봉총회사", "조선연봉총회사")),
        ("金融", ("금융",)),  # an organisation word wins over the first reading (김융)
        ("金正恩", ("김정은",)),  # 金 is 김 where it can be a surname …
        ("朝鮮金山貿易会社", ("조선금산무역회사",)),  # … and 금 elsewhere
        ("タンチョン商業銀行", ("タンチョン상업은행",)),  # katakana stays for the kana reading
        ("佐々木", ("좌좌목",)),  # 々 repeats the reading before it
    ],
)
def test_kanji_are_read_in_korean(kanji: str, hangul: tuple[str, ...]) -> None:
    assert korean.readings(kanji) == hangul


def test_no_korean_reading_for_japanese_text_or_unknown_characters() -> None:
    assert korean.readings("三菱ふそう") == ()  # hiragana: a Japanese name
    assert korean.readings("Acme") == ()
    assert korean.readings("金铁三") == ()  # 铁 (simplified) has no reading in KANJIDIC2


def test_without_the_dictionary_kanji_are_not_read_in_korean(monkeypatch: pytest.MonkeyPatch) -> None:
    korean.readings.cache_clear()
    monkeypatch.setattr(korean, "_table", dict)
    try:
        assert korean.readings("端川商業銀行") == ()
    finally:
        korean.readings.cache_clear()


def test_the_korean_reading_finds_tanchon_commercial_bank(screener: Screener) -> None:
    (found, *_) = screener.best(Party("q", "端川商業銀行"), top=3)
    assert (found["entry_id"], found["entry_name"]) == ("KPe.003", "TANCHON COMMERCIAL BANK")
    assert found["score"] >= DEFAULT_THRESHOLD
    why = explanation_text(found["explanation"])
    assert why.startswith("read in Korean: 단천상업은행; 端川→tanchon = tanchon")
    assert found["explanation"]["reading"] == {"language": "Korean", "text": "단천상업은행"}


def test_the_korean_reading_finds_ryonbong_and_no_person(screener: Screener) -> None:
    found = screener.best(Party("q", "朝鮮連峰総会社"), top=5)
    assert found[0]["entry_id"] == "KPe.002" and found[0]["score"] >= DEFAULT_THRESHOLD
    assert "連峰→ryonbong = ryonbong" in explanation_text(found[0]["explanation"])
    for row in found[1:]:
        assert row["score"] < DEFAULT_THRESHOLD
    (korean_person,) = [row for row in found if row["entry_id"] == "so-kp"]
    # 総 read in Japanese is not compared with a Korean name; elsewhere "so" is one word of a longer name.
    assert all(token["query"] != "総" for token in korean_person["explanation"]["tokens"])
    assert "総" in korean_person["explanation"]["not_compared"] and korean_person["score"] == 0.0
    assert all(row["score"] < DEFAULT_THRESHOLD for row in found if row["entry_id"] == "so")


def test_katakana_with_kanji_is_read_both_ways(screener: Screener) -> None:
    found = screener.best(Party("q", "タンチョン商業銀行"), top=1)
    assert found[0]["entry_id"] == "KPe.003" and found[0]["score"] >= DEFAULT_THRESHOLD
    spelled = screener.best(Party("q", "タンチョン・コマーシャル・バンク"), top=1)  # the kana path alone
    assert spelled[0]["entry_id"] == "KPe.003" and spelled[0]["score"] >= DEFAULT_THRESHOLD


def test_the_korean_reading_counts_only_against_korean_entries() -> None:
    # 東京大学 read in Korean is "tonggyong university": a name a Korean entry may have, a Japanese one not.
    entries = [
        ListEntry("t", "jp", "Tonggyong University", type="organisation", countries=("JP",)),
        ListEntry("t", "kp", "Tonggyong University", type="organisation", countries=KP),
    ]
    found = Screener([ScreeningList(VERSION, entries)]).best(Party("q", "東京大学"), top=2)
    assert found[0]["entry_id"] == "kp" and found[0]["score"] >= DEFAULT_THRESHOLD
    assert all(row["score"] < 0.3 for row in found if row["entry_id"] == "jp")


def test_a_korean_entry_in_kanji_is_compared_in_every_reading() -> None:
    entries = [ListEntry("t", "kp", "端川商業銀行", countries=KP), ListEntry("t", "kp2", "SO CHANG HO", countries=KP)]
    screener = Screener([ScreeningList(VERSION, entries)])
    assert screener.best(Party("q", "端川商業銀行"), top=1)[0]["score"] == 1.0  # kanji against kanji
    latin = screener.best(Party("q", "Tanchon Commercial Bank"), top=1)  # against the list name read in Korean
    assert latin[0]["entry_id"] == "kp" and latin[0]["score"] >= DEFAULT_THRESHOLD


def test_which_entries_are_korean() -> None:
    assert korean.level(ListEntry("t", "1", "TANCHON COMMERCIAL BANK", countries=KP)) == korean.CERTAIN
    assert korean.level(ListEntry("t", "2", "Samsung", countries=("KR",))) == korean.CERTAIN
    assert korean.level(ListEntry("t", "3", "Tanchon Bank", aliases=("단천은행",))) == korean.CERTAIN
    assert korean.level(ListEntry("t", "4", "KOREA KUMRYONG TRADING CORPORATION")) == korean.POSSIBLE
    assert korean.level(ListEntry("t", "5", "Kim Jong Un")) == korean.POSSIBLE
    assert korean.level(ListEntry("t", "6", "Park Ji Sung")) == korean.POSSIBLE
    assert korean.level(ListEntry("t", "7", "Yamada Taro", countries=("JP",))) == korean.NOT
    assert korean.level(ListEntry("t", "8", "Vladimir Putin")) == korean.NOT


def test_korean_spellings_of_one_syllable_are_alike() -> None:
    assert korean_similarity("taedong", "daedong") == (0.95, "phonetic")  # McCune–Reischauer / Revised
    assert korean_similarity("jong", "chong")[0] == 0.95
    assert korean_similarity("jong", "jung") == (0.9, "phonetic")
    assert korean_similarity("jong", "song") == (0.0, "")  # alike in katakana, not in Korean
    assert korean_similarity("ji", "jo") == (0.0, "")


def test_forms_say_how_they_were_read() -> None:
    forms = analyse("端川商業銀行")
    read = [form for form in forms if form.reading]
    assert {form.reading for form in read} == {"단천상업은행"}
    assert ("tanchon", "commercial", "bank") in [form.keys for form in read]
    assert all(not form.reading for form in analyse("端川商業銀行", korean_reading=False))
    japanese = forms[0]
    assert japanese.keys == ("hashikawa", "shogyo", "bank") and japanese.kanji_read == (0, 1)


@pytest.fixture(autouse=True)
def _fresh_readings() -> Iterator[None]:
    yield
    korean.readings.cache_clear()
