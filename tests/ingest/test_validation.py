"""Validation of one row into the columns of its table (ingest/records.py)."""

from __future__ import annotations

from datetime import date, datetime
from pathlib import Path
from typing import Any

import pytest

from kizashi.files.tabular import Row
from kizashi.ingest.records import (
    RowError,
    StatementRecord,
    TechnologyRecord,
    ThreatRecord,
    validate,
)
from kizashi.text.normalise import detect_lang


def need(**values: Any) -> dict[str, Any]:
    return validate(StatementRecord, Row(Path("n.csv"), 2, {"id": "N-1", "title": "A title", **values}))


def error_of(**values: Any) -> RowError:
    with pytest.raises(RowError) as caught:
        need(**values)
    return caught.value


def test_defaults() -> None:
    values = need()
    assert values == {
        "id": "N-1",
        "level": "INTERNAL",
        "tlp": None,
        "tlp_owner": None,
        "tlp_recipients": [],
        "compartments": [],
        "title": "A title",
        "description": "",
        "lang": "en",
        "keywords": [],
        "organization": None,
        "country": None,
        "trl": None,
        "threat": None,
        "deadline": None,
        "source": None,
        "extra": {},
    }


@pytest.mark.parametrize(
    ("cell", "expected"),
    [("", None), (None, None), ("  ", None), ("3", 3), (" 9 ", 9), (1, 1), (4.0, 4)],
)
def test_trl(cell: Any, expected: int | None) -> None:
    assert need(trl=cell)["trl"] == expected


@pytest.mark.parametrize("cell", ["0", "10", "abc", "3.5", 3.5, "-1"])
def test_bad_trl(cell: Any) -> None:
    error = error_of(trl=cell)
    assert (error.location.file, error.location.row, error.location.field) == (Path("n.csv"), 2, "trl")


@pytest.mark.parametrize(
    ("cell", "expected"),
    [
        ("2026-03-31", date(2026, 3, 31)),
        (" 2026-03-31 ", date(2026, 3, 31)),
        ("2026-03-31T09:00:00", date(2026, 3, 31)),
        ("2026/3/31", date(2026, 3, 31)),
        (date(2026, 3, 31), date(2026, 3, 31)),
        (datetime(2026, 3, 31, 12, 0), date(2026, 3, 31)),
        ("", None),
        ("   ", None),
    ],
)
def test_deadline(cell: Any, expected: date | None) -> None:
    assert need(deadline=cell)["deadline"] == expected


@pytest.mark.parametrize("cell", ["2026-02-30", "31/03/2026", "tomorrow", "2026年3月31日", "2026-03-31xyz"])
def test_bad_deadline(cell: str) -> None:
    error = error_of(deadline=cell)
    assert error.location.field == "deadline"
    assert cell in error.reason and "YYYY-MM-DD" in error.reason


@pytest.mark.parametrize(
    ("label", "level"),
    [
        ("PUBLIC", "PUBLIC"),
        ("public", "PUBLIC"),
        (" Confidential ", "CONFIDENTIAL"),
        ("公開", "PUBLIC"),
        ("部内限り", "INTERNAL"),
        ("取扱注意", "INTERNAL"),
        ("秘", "CONFIDENTIAL"),
        ("機密", "CONFIDENTIAL"),
        ("極秘", "SECRET"),
        ("", "INTERNAL"),
    ],
)
def test_labels(label: str, level: str) -> None:
    assert need(label=label)["level"] == level


def test_level_column_of_a_kizashi_listing_is_read_as_the_label() -> None:
    # `kizashi list --format csv` writes `level`; re-importing that file must not downgrade SECRET to the default.
    assert need(level="SECRET")["level"] == "SECRET"
    assert "level" not in need(level="SECRET")["extra"]


def test_unknown_label_names_the_label_column() -> None:
    error = error_of(label="TOP SECRET")
    assert error.location.field == "label"
    assert "TOP SECRET" in error.reason


@pytest.mark.parametrize(
    ("cell", "keywords"),
    [
        ("a; b;c", ["a", "b", "c"]),
        ("ドローン、レーダー", ["ドローン", "レーダー"]),
        ("制御；検知", ["制御", "検知"]),
        ("x | y", ["x", "y"]),
        (";; a ;", ["a"]),
        (["a", " b ", ""], ["a", "b"]),
        ("", []),
        ("one, with comma", ["one, with comma"]),
    ],
)
def test_keywords(cell: Any, keywords: list[str]) -> None:
    assert need(keywords=cell)["keywords"] == keywords


def test_country_is_upper_case_and_short() -> None:
    assert need(country="jp")["country"] == "JP"
    assert error_of(country="Japan, mostly").location.field == "country"


@pytest.mark.parametrize(
    ("text", "lang"),
    [("Drone detection", "en"), ("ドローン探知", "ja"), ("無人機", "ja"), ("ｶﾀｶﾅ", "ja"), ("QKD の研究", "ja")],
)
def test_language_is_detected_when_not_given(text: str, lang: str) -> None:
    assert detect_lang(text) == lang
    assert need(title=text)["lang"] == lang
    assert need(title=text, lang="fr")["lang"] == "fr"


def test_missing_and_blank_required_values() -> None:
    with pytest.raises(RowError) as caught:
        validate(StatementRecord, Row(Path("n.csv"), 5, {"id": "N-1"}))
    assert caught.value.location.field == "title"
    assert caught.value.reason == "required value is missing"
    assert error_of(title=" \u3000 ").location.field == "title"  # white space only, full-width space too
    assert error_of(id="").location.field == "id"


def test_unknown_columns_are_kept_as_extra_except_empty_ones() -> None:
    values = need(**{"担当": "技術部", "empty": "", "none": None, "number": 5})
    assert values["extra"] == {"担当": "技術部", "number": 5}


def test_text_is_nfc_and_stripped() -> None:
    values = need(title="  か\u3099す  ", description="\tline one\nline two\n")
    assert values["title"] == "がす"
    assert values["description"] == "line one\nline two"


def test_threat_record() -> None:
    row = Row(
        Path("t.yaml"),
        1,
        {
            "id": "t",
            "category": "cyber",
            "name_en": "T",
            "name_ja": "脅威",
            "likelihood": "5",
            "impact": 1,
            "horizon": "long",
            "technologies": "a; b",
        },
    )
    values = validate(ThreatRecord, row)
    assert (values["likelihood"], values["impact"], values["horizon"], values["technologies"]) == (
        5,
        1,
        "long",
        ["a", "b"],
    )
    for field, value in (("likelihood", 0), ("impact", "6"), ("horizon", "soon"), ("name_ja", "")):
        with pytest.raises(RowError) as caught:
            validate(ThreatRecord, Row(row.file, 1, {**row.values, field: value}))
        assert caught.value.location.field == field


def test_technology_record() -> None:
    row = Row(
        Path("t.csv"), 2, {"id": "t", "name_en": "Radar", "name_ja": "レーダー", "synonyms_ja": "電波探知、レーダ"}
    )
    values = validate(TechnologyRecord, row)
    assert values["synonyms_ja"] == ["電波探知", "レーダ"]
    assert values["parent"] is None
    assert "extra" not in values  # the technologies table has no extra column: unknown columns are dropped


@pytest.mark.parametrize(
    ("given", "expected"),
    [
        ("TLP:AMBER+STRICT", "AMBER+STRICT"),
        ("amber strict", "AMBER+STRICT"),
        ("TLP:WHITE", "CLEAR"),
        ("green", "GREEN"),
        ("", None),
    ],
)
def test_tlp_markings_are_normalised(given: str, expected: str | None) -> None:
    assert need(tlp=given, tlp_owner="NISC", tlp_recipients="hanako")["tlp"] == expected


def test_tlp_markings_that_nobody_could_read_are_refused() -> None:
    assert error_of(tlp="TLP:PURPLE").location.field == "tlp"
    assert "tlp_owner" in str(error_of(tlp="AMBER"))
    assert "tlp_recipients" in str(error_of(tlp="RED", tlp_owner="NISC"))


def test_nul_characters_are_refused() -> None:
    error = error_of(organization="Acme\x00 K.K.")
    assert error.location.field == "organization" and "NUL" in error.reason


@pytest.mark.parametrize("cell", [{"x": 1}, ["fine", {"x": 1}], [["nested"]]])
def test_a_list_field_refuses_a_mapping_or_nested_lists(cell: Any) -> None:
    # A YAML file may put a mapping where a list belongs; it once became the text "{'x': 1}".
    error = error_of(keywords=cell)
    assert (error.location.row, error.location.field) == (2, "keywords")
    assert "list of texts" in str(error)
