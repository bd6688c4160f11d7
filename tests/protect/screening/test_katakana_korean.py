"""Issue 13 §2: katakana of Korean names read the way Japanese writes Korean (キム → Kim, ン → n or ng), compared only
with Korean entries; and kinds of organisation that cannot be one party (a university is no bank)."""

from __future__ import annotations

import pytest

from kizashi.protect.screening import DEFAULT_THRESHOLD, Party, Screener, kana_korean
from kizashi.protect.screening.entries import ListEntry, ListVersion, ScreeningList
from kizashi.protect.screening.names import analyse
from kizashi.protect.screening.score import explanation_text, katakana_similarity
from kizashi.protect.screening.vocabulary import kinds_differ, organisation_kinds

VERSION = ListVersion("generic-csv", "t", "2026-01-01", "0" * 64, "-")
KP = ("Democratic People's Republic of Korea",)


def _screener(*entries: ListEntry) -> Screener:
    return Screener([ScreeningList(VERSION, list(entries))])


@pytest.fixture(scope="module")
def dprk() -> Screener:
    return _screener(
        ListEntry("t", "kim", "KIM YONG CHOL", type="person", countries=KP),
        ListEntry("t", "kim2", "KIM JONG SIK", type="person", countries=KP),
        ListEntry("t", "choe", "CHOE CHUN-SIK", type="person", countries=KP),
        ListEntry("t", "kang", "KANGBONG TRADING CORPORATION", type="organisation", countries=KP),
        ListEntry("t", "dcb", "DAEDONG CREDIT BANK", type="organisation", countries=KP),
        ListEntry("t", "koryo", "KORYO BANK", type="organisation", countries=KP),
        ListEntry("t", "mining", "KOREA MINING DEVELOPMENT TRADING CORPORATION", countries=KP),
    )


@pytest.mark.parametrize(
    ("word", "read"),
    [
        ("キム", (("キム", "kim"),)),  # a final written as a kana of its own: ム m
        ("パク", (("パク", "pak"),)),  # ク k
        ("ソル", (("ソル", "sol"),)),  # ル l
        ("カンボン", (("カン", "kang"), ("ボン", "bong"))),  # ン as ng …
        ("シンウン", (("シン", "sin"), ("ウン", "un"))),  # … or n after i and u
        ("アムノッカン", (("アム", "am"), ("ノッ", "nok"), ("カン", "kang"))),  # ッ: the final of the next consonant
        ("ヒョㇰ", (("ヒョㇰ", "hyok"),)),  # learners' small finals
        ("クァンソン", (("クァン", "kwang"), ("ソン", "song"))),
    ],
)
def test_katakana_are_read_as_korean_syllables(word: str, read: tuple[tuple[str, str], ...]) -> None:
    assert kana_korean.syllables(word) == read


def test_katakana_not_written_as_korean_have_no_korean_reading() -> None:
    for word in ("コマーシャル", "ツバサ", "ンア", "ティッ"):
        assert kana_korean.syllables(word) is None, word
    assert all(not form.reading for form in analyse("コマーシャル・バンク"))
    assert all(not form.reading for form in analyse("ソニーのカメラ"))  # hiragana: Japanese


def test_surnames_in_katakana_are_spelled_as_lists_spell_them() -> None:
    assert kana_korean.surname_spellings("パク") == ("pak", "park")
    assert kana_korean.surname_spellings("キム") == ("kim",)
    assert kana_korean.surname_spellings("チェ") == ("che",)  # Choe, Choi: alike already (katakana_similarity)
    assert kana_korean.is_surname("キム") and not kana_korean.is_surname("カンボン")


@pytest.mark.parametrize(
    ("ours", "theirs"),
    [
        ("jong", "jong"), ("jong", "jung"), ("jong", "chong"), ("jong", "jeong"), ("jong", "jon"),  # ジョン
        ("un", "eun"), ("un", "ung"),  # ウン
        ("yong", "yeon"), ("yong", "yon"),  # ヨン
        ("kangbong", "kanbon"), ("taedong", "daedong"), ("che", "choe"), ("che", "choi"),
        ("chongchonggang", "chongchongang"), ("pyongchong", "phyongchon"),
    ],
)  # fmt: skip
def test_a_katakana_reading_meets_each_korean_spelling_it_may_be(ours: str, theirs: str) -> None:
    assert katakana_similarity(ours, theirs)[0] >= 0.9


@pytest.mark.parametrize(("ours", "theirs"), [("samsung", "samjong"), ("jong", "song"), ("kim", "pak"), ("ri", "yi")])
def test_a_katakana_reading_does_not_meet_other_syllables(ours: str, theirs: str) -> None:
    assert katakana_similarity(ours, theirs) == (0.0, "")


def test_forms_read_katakana_as_korean() -> None:
    read = {form.keys: form for form in analyse("キム・ヨンチョル") if form.reading}
    (form,) = read.values()
    assert form.keys == ("kim", "yong", "chol") and form.reading == "キム・ヨンチョル"
    assert form.katakana_read == (0, 1, 2) == form.korean_read
    assert ("kimu", "yonchoru") in [f.keys for f in analyse("キム・ヨンチョル") if not f.reading]
    # In a name with organisation words a katakana word is one word, not a person: kangbong, not kang bong.
    assert ("kangbong", "trading") in [f.keys for f in analyse("カンボン貿易会社") if f.reading]
    assert {("pak", "to", "chun")[0], "park"} <= {f.keys[0] for f in analyse("パク・トチュン") if f.reading}


@pytest.mark.parametrize(
    ("name", "entry_id"),
    [
        ("キム・ヨンチョル", "kim"),
        ("キム・ジョンシク", "kim2"),
        ("チェ・チュンシク", "choe"),
        ("カンボン貿易会社", "kang"),
        ("テドン信用銀行", "dcb"),
    ],
)
def test_katakana_of_korean_names_find_the_dprk_entries(dprk: Screener, name: str, entry_id: str) -> None:
    (found,) = dprk.best(Party("q", name), top=1)
    assert found["entry_id"] == entry_id and found["score"] >= DEFAULT_THRESHOLD
    assert "read in Korean" in explanation_text(found["explanation"])


def test_the_katakana_reading_says_which_spelling_it_met(dprk: Screener) -> None:
    (found,) = dprk.best(Party("q", "テドン信用銀行"), top=1)
    assert "テドン→taedong = daedong (phonetic)" in explanation_text(found["explanation"])


def test_the_korean_reading_of_katakana_never_meets_entries_that_are_not_korean() -> None:
    # The same names, once Korean (country KP) and once Japanese: only the Korean one is met through the reading.
    screener = _screener(
        ListEntry("t", "kp", "KANGBONG TRADING CORPORATION", type="organisation", countries=KP),
        ListEntry("t", "jp", "KANGBONG TRADING CORPORATION", type="organisation", countries=("JP",)),
        ListEntry("t", "jp2", "KIM YONG CHOL", type="person", countries=("US",)),
    )
    found = {row["entry_id"]: row for row in screener.best(Party("q", "カンボン貿易会社"), top=3)}
    assert found["kp"]["explanation"]["reading"]["text"] == "カンボン무역회사" and found["kp"]["score"] == 1.0
    # The Japanese one only as Japanese reads the katakana (kanbon, by sound), as before.
    assert "reading" not in found["jp"]["explanation"] and found["jp"]["score"] < found["kp"]["score"]
    # A name that looks romanised from Korean may be Korean wherever its holder lives (korean.level): it is met.
    found = {row["entry_id"]: row for row in screener.best(Party("q", "キム・ヨンチョル"), top=3)}
    assert found["jp2"]["explanation"]["reading"]["text"] == "キム・ヨンチョル"


# --- kinds of organisation ----------------------------------------------------------------------------------------


@pytest.mark.parametrize("name", ["高麗大学", "고려대학교", "コリョ大学", "Korea University", "Koryo University"])
def test_a_university_is_no_bank(dprk: Screener, name: str) -> None:
    for row in dprk.best(Party("q", name), top=3):
        assert row["score"] < DEFAULT_THRESHOLD, row
        if row["entry_id"] == "koryo":
            why = explanation_text(row["explanation"])
            assert "kinds of organisation differ (university / bank)" in why
            assert row["explanation"]["kinds"] == {"query": ["university"], "list": ["bank"]}


@pytest.mark.parametrize("name", ["高麗銀行", "고려은행", "コリョ銀行", "Koryo Bank"])
def test_the_same_kind_still_matches(dprk: Screener, name: str) -> None:
    (found,) = dprk.best(Party("q", name), top=1)
    assert found["entry_id"] == "koryo" and found["score"] >= DEFAULT_THRESHOLD
    assert "kind" not in found["explanation"]["penalties"]


def test_a_ministry_is_no_company() -> None:
    screener = _screener(ListEntry("t", "c", "TANCHON TRADING CO., LTD.", type="organisation"))
    (found,) = screener.best(Party("q", "Tanchon Ministry of Trading"), top=1)
    assert found["explanation"]["penalties"]["kind"] > 0 and found["score"] < DEFAULT_THRESHOLD
    assert "(ministry / co_ltd)" in explanation_text(found["explanation"])


def test_kinds_of_organisation() -> None:
    assert organisation_kinds(("koryo", "bank"), ()) == ("bank",)
    assert organisation_kinds(("kwangson", "banking"), ()) == ("banking",)
    assert organisation_kinds(("koryo", "bank", "corporation"), ()) == ("bank",)  # a bank, though a corporation
    # A design institute that is a joint-stock company is a company as well (ULYANOVSK … INSTITUTE, OAO).
    assert organisation_kinds(("ulyanovsk", "institute"), ("jsc",)) == ("institute", "jsc")
    assert not kinds_differ(("institute", "jsc"), ("jsc",))
    assert organisation_kinds(("tanchon",), ("co_ltd",)) == ("co_ltd",)  # a legal form states a company
    assert organisation_kinds(("tokyo",), ("nup",)) == ()  # a national university corporation is no company
    assert kinds_differ(("university",), ("bank",))
    assert kinds_differ(("ministry",), ("co_ltd",))
    assert not kinds_differ(("bank",), ("corporation",))  # a bank is a company
    assert not kinds_differ(("university",), ("institute",))  # 北京理工大学: Beijing Institute of Technology
    assert not kinds_differ(("ministry",), ("bureau",))  # GBAE is also the Ministry of Atomic Energy Industry
    assert not kinds_differ(("university",), ())
    # The kinds of names in Japanese and Korean, through their translations or read aloud.
    assert {form.kinds for form in analyse("国防省")} == {("ministry",)}
    assert {form.kinds for form in analyse("국방성")} == {("ministry",)}
    assert {form.kinds for form in analyse("고려대학교")} == {("university",)}
    assert ("institute",) in {form.kinds for form in analyse("原子力研究所")}
