"""Golden tables for normalisation, legal forms, transliteration and translation, and their properties."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from kizashi.protect.screening.kana import fold_long_vowels, kana_to_romaji
from kizashi.protect.screening.names import analyse, name_variants, skeleton

FIXTURES = Path(__file__).parents[2] / "fixtures" / "lists"


def readings(name: str) -> list[tuple[str, ...]]:
    return [form.keys for form in analyse(name)]


@pytest.mark.parametrize(
    ("kana", "romaji"),
    [
        ("トウキョウ", "toukyou"),
        ("とうきょう", "toukyou"),
        ("シンブン", "shinbun"),
        ("マッチ", "matchi"),
        ("ジェット", "jetto"),
        ("チャンネル", "channeru"),
        ("ヴィジョン", "vijon"),
        ("ティエンイー", "tienii"),
        ("グローバル", "guroobaru"),
        ("ファイル", "fairu"),
    ],
)
def test_kana_to_hepburn(kana: str, romaji: str) -> None:
    assert kana_to_romaji(kana) == romaji


@pytest.mark.parametrize("spelling", ["tokyo", "toukyou", "tookyoo", "tohkyoh", "tokyou"])
def test_long_vowels_fold_to_one_key(spelling: str) -> None:
    assert fold_long_vowels(spelling) == "tokyo"


def test_oh_before_a_vowel_is_not_a_long_vowel() -> None:
    assert fold_long_vowels("ohashi") == "ohashi"  # O-hashi, not Ō-ashi


@pytest.mark.parametrize(
    ("name", "keys"),
    [
        # width and case
        ("ＴＯＫＹＯ　ＥＬＥＣＴＲＯＮ", ("tokyo", "electron")),
        ("ﾄﾖﾀ", ("toyota",)),
        ("とよた", ("toyota",)),
        # Hepburn variants of the same name, in Latin and in Japanese
        ("Ōsaka", ("osaka",)),
        ("Ohsaka", ("osaka",)),
        ("Oosaka", ("osaka",)),
        ("Ousaka", ("osaka",)),
        ("Tōkyō", ("tokyo",)),
        ("大阪", ("osaka",)),
        # kanji read through Sudachi, organisation words translated
        ("山田太郎", ("yamada", "taro")),
        ("田中花子", ("tanaka", "hanako")),
        ("東京大学", ("tokyo", "university")),
        ("University of Tokyo", ("university", "tokyo")),
        ("三菱重工業株式会社", ("mitsubishi", "heavy", "industries")),
        ("Mitsubishi Heavy Industries, Ltd.", ("mitsubishi", "heavy", "industries")),
        ("有限会社タコ", ("tako",)),
        ("タコ有限会社", ("tako",)),
        ("アイ・ジェット・グローバル DMCC", ("i", "jetto", "global")),
        # Cyrillic
        ("Владимир Путин", ("vladimir", "putin")),
        ("Иван Иванов", ("ivan", "ivanov")),
        ("Дмитрий Медведев", ("dmitriy", "medvedev")),
        ("ООО Ромашка", ("romashka",)),
        # Chinese
        ("李明", ("li", "ming")),
        ("王伟", ("wang", "wei")),
        ("习近平", ("xi", "jin", "ping")),
        ("北京航空航天大学", ("beijing", "aviation", "aerospace", "university")),
    ],
)
def test_golden_keys(name: str, keys: tuple[str, ...]) -> None:
    assert keys in readings(name)


@pytest.mark.parametrize(
    ("name", "forms", "keys"),
    [
        ("Tako LLC", ("llc",), ("tako",)),
        ("有限会社タコ", ("ltd",), ("tako",)),
        ("㈱東芝", ("kk",), ("toshiba",)),
        ("(株)東芝", ("kk",), ("toshiba",)),
        ("東芝株式会社", ("kk",), ("toshiba",)),
        ("Toshiba K.K.", ("kk",), ("toshiba",)),
        ("ABC Co., Ltd.", ("co_ltd",), ("abc",)),
        ("OAO Gazprom", ("jsc",), ("gazprom",)),
        ("Gazprom PJSC", ("jsc",), ("gazprom",)),
        ("Siemens GmbH", ("gmbh",), ("siemens",)),
        ("Renault S.A.", ("sa",), ("renault",)),
        ("Tata Consultancy Pvt Ltd", ("ltd",), ("tata", "consultancy")),
        ("Laserchips FZCO", ("fzco",), ("laserchips",)),
        ("I JET GLOBAL DMCC", ("dmcc",), ("i", "jet", "global")),
        ("OTKRYTOE AKTSIONERNOE OBSHCHESTVO GAZPROM", ("jsc",), ("gazprom",)),
        ("北方电子科技有限公司", ("co_ltd",), ("bei", "fang", "electronics", "technology")),
    ],
)
def test_legal_forms_are_set_aside(name: str, forms: tuple[str, ...], keys: tuple[str, ...]) -> None:
    found = {(form.legal_forms, form.keys) for form in analyse(name)}
    assert (forms, keys) in found or any(f == forms and k[-len(keys) :] == keys for f, k in found)


def test_a_legal_form_word_inside_a_name_stays() -> None:
    # "Ag" is a particle of Tuareg names; only a trailing AG is the German legal form.
    assert readings("Iyad Ag Ghali") == [("iyad", "ag", "ghali")]
    assert analyse("Siemens AG")[0].legal_forms == ("ag",)


def test_the_legal_form_is_never_the_whole_name() -> None:
    assert readings("Company") == [("company",)]


@pytest.mark.parametrize(
    ("a", "b"),
    [("global", "グローバル"), ("technology", "テクノロジー"), ("mohammed", "muhammad"), ("zixis", "ジクシス")],
)
def test_sound_skeletons_meet(a: str, b: str) -> None:
    assert skeleton(readings(a)[0][0]) == skeleton(kana_to_romaji(b) if not b.isascii() else b)


def test_variants_split_brackets_and_written_aliases() -> None:
    assert name_variants("AL-QAIDA IN THE ARABIAN PENINSULA (AQAP)") == [
        "AL-QAIDA IN THE ARABIAN PENINSULA (AQAP)",
        "AL-QAIDA IN THE ARABIAN PENINSULA",
        "AQAP",
    ]
    variants = name_variants("クバンテク有限会社(別称、クバンテク及びクバンテク（HK）有限会社)")
    assert "クバンテク有限会社" in variants
    assert "Eastech Electronics Ltd" in name_variants(
        "Eastech Electronics Limited 別称：イーステック; Eastech Electronics Ltd"
    )


def cross_script_pairs() -> list[tuple[str, str]]:
    with (FIXTURES / "cross_script_pairs.csv").open(encoding="utf-8") as handle:
        return [(row["query"], row["expected"]) for row in csv.DictReader(handle)]


@pytest.mark.parametrize(("query", "expected"), cross_script_pairs())
def test_cross_script_pairs_share_tokens(query: str, expected: str) -> None:
    """Every token of the Latin name is met by a token of one reading of the other script, exactly or by sound
    (Aleksandr / Alexander)."""
    latin = readings(expected)[0]
    best = max(
        (
            sum(1 for key in latin if key in keys or skeleton(key) in {skeleton(k) for k in keys})
            for keys in readings(query)
        ),
    )
    assert best == len(latin) or "".join(latin) in {"".join(keys) for keys in readings(query)}


names = st.text(
    alphabet=st.sampled_from(
        list("abcdefghijklmnopqrstuvwxyz ABCXYZ-.,'()アイウカタコ株式会社大学東京ÉéÖöДжЯ李明김정은이박")
    ),
    max_size=30,
)


@given(names)
def test_analysis_is_total_and_keys_are_ascii(name: str) -> None:
    for form in analyse(name):
        assert all(key and key.isascii() and key == key.lower() for key in form.keys)


@given(names)
def test_analysis_is_stable_under_normalisation(name: str) -> None:
    from kizashi.text.normalise import normalise

    assert readings(name) == readings(normalise(name))
