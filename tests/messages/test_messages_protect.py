"""The protect messages say themselves in Japanese: a screening explanation (the line a results page and a sheet
show, English unchanged), and errors a user meets (a weak password, an unknown role, a bad list file)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from kizashi.errors import InputError
from kizashi.messages import Message, said
from kizashi.protect.people import actor_for, add_user
from kizashi.protect.people.passwords import require_strong
from kizashi.protect.screening import Party, Screener, read_list
from kizashi.protect.screening.entries import ListEntry, ListVersion, ScreeningList
from kizashi.protect.screening.score import PENALTY_TEXT, explanation_text
from kizashi.store.workspace import Workspace


def _old_text(explanation: dict[str, Any]) -> str:
    """explanation_text as it was before the message table (its English must not change): the reference."""
    parts = [
        f"{t['query']}→{t['key']} = {t['matched']} ({t['how']})"
        if t["query"] != t["key"]
        else f"{t['key']} = {t['matched']} ({t['how']})"
        for t in explanation["tokens"]
    ]
    reading = explanation.get("reading")
    if reading:
        parts.insert(0, f"read in {reading['language']}: {reading['text']}")
    if explanation.get("joined"):
        parts.append("matched as one word")
    if explanation["unmatched_query"]:
        parts.append("not found: " + " ".join(explanation["unmatched_query"]))
    if explanation["unmatched_list"]:
        parts.append("not in the name: " + " ".join(explanation["unmatched_list"]))
    if explanation.get("not_compared"):
        parts.append(
            "kanji read in Japanese or Chinese, not compared with a Korean name: "
            + " ".join(explanation["not_compared"])
        )
    forms = explanation["legal_forms"]
    if forms["query"] or forms["list"]:
        parts.append(f"legal forms {'/'.join(forms['query']) or '-'} ~ {'/'.join(forms['list']) or '-'}")
    for name, value in explanation["penalties"].items():
        text = str(PENALTY_TEXT.get(name, name.replace("_", " ")))
        if name == "kind" and explanation.get("kinds"):
            kinds = explanation["kinds"]
            text += f" ({' '.join(kinds['query'])} / {' '.join(kinds['list'])})"
        parts.append(f"{text}: no match" if value >= 1 else f"{text} −{value:.2f}")
    return "; ".join(parts)


def test_a_screening_explanation_says_itself_in_japanese() -> None:
    version = ListVersion("generic-csv", "test", "", "0" * 64, "test.csv")
    entry = ListEntry(list="test", entry_id="1", name="Tako LLC", aliases=(), type="organisation")
    screener = Screener([ScreeningList(version, [entry])])
    found = screener.best(Party("q", "タコ有限会社"), top=1)
    text = explanation_text(found[0]["explanation"])
    assert isinstance(text, Message)
    assert text == "タコ→tako = tako (transliterated); legal forms ltd ~ llc"
    assert said(text, "ja") == "タコ→tako = tako（翻字）；法人形態 ltd ~ llc"


_words = st.lists(st.text("abcタコ貿易", min_size=1, max_size=5), max_size=3)
_tokens = st.lists(
    st.fixed_dictionaries(
        {
            "query": st.sampled_from(["タコ", "tako", "kogio"]),
            "key": st.sampled_from(["tako", "kogio"]),
            "matched": st.sampled_from(["tako", "kogyo"]),
            "how": st.sampled_from(["exact", "transliterated", "translated", "phonetic", "fuzzy 0.91", "other"]),
        }
    ),
    max_size=3,
)
_explanations = st.fixed_dictionaries(
    {
        "tokens": _tokens,
        "unmatched_query": _words,
        "unmatched_list": _words,
        "legal_forms": st.fixed_dictionaries({"query": _words, "list": _words}),
        "penalties": st.dictionaries(
            st.sampled_from([*PENALTY_TEXT, "some_new_penalty"]), st.floats(0.01, 1.0), max_size=4
        ),
    },
    optional={
        "reading": st.just({"language": "Korean", "text": "조선"}),
        "joined": st.booleans(),
        "not_compared": _words,
        "kinds": st.just({"query": ["university"], "list": ["bank"]}),
    },
)


@given(_explanations)
def test_an_explanation_keeps_its_english_and_says_each_part_in_japanese(explanation: dict[str, Any]) -> None:
    text = explanation_text(explanation)
    assert text == _old_text(explanation)
    japanese = said(text, "ja")
    # Every known word is said in Japanese: none of the English phrases is left.
    for english in ("legal forms", "not found", "not in the name", "no match", "transliterated", "read in"):
        assert english not in japanese
    for penalty in PENALTY_TEXT.values():
        assert str(penalty) not in japanese


def test_a_weak_password_is_refused_in_japanese() -> None:
    with pytest.raises(InputError) as refused:
        require_strong("short")
    assert str(refused.value).startswith("field 'password': password too weak: at least 12 characters")
    assert refused.value.said("ja") == (
        "項目「password」: パスワードが弱すぎます。12 文字以上で、前後に空白を含まず、同じ文字の繰り返しでないものに"
        "してください"
    )


def test_an_unknown_role_is_refused_in_japanese(workspace: Workspace) -> None:
    with pytest.raises(InputError) as refused:
        add_user(workspace, actor_for(workspace, "admin1"), "admin1", roles=["admin", "wizard"])
    assert "unknown role(s) wizard; use" in str(refused.value)
    japanese = refused.value.said("ja")
    assert japanese.startswith("項目「role」: 不明な役割 wizard です。") and "admin" in japanese


def test_a_bad_list_file_names_its_place_in_japanese(tmp_path: Path) -> None:
    path = tmp_path / "mine.csv"
    path.write_text("id,name,type\n1,Tako LLC,organisation\n2,Ika Ltd,submarine\n", encoding="utf-8")
    with pytest.raises(InputError) as refused:
        read_list(path)
    assert str(refused.value) == (
        f"{path}, row 3, field 'type': unknown type 'submarine'; use person, organisation, vessel or aircraft"
    )
    assert refused.value.said("ja") == (
        f"{path}、3 行目、項目「type」: 不明な種別「submarine」です。person、organisation、vessel、aircraft の"
        "いずれかを使用してください"
    )


def test_an_unknown_list_format_is_said_in_japanese(tmp_path: Path) -> None:
    path = tmp_path / "list.txt"
    path.write_text("x", encoding="utf-8")
    with pytest.raises(InputError) as refused:
        read_list(path)
    assert "unknown list format '.txt'" in str(refused.value)
    assert "不明なリスト形式「.txt」です" in refused.value.said("ja")
