"""The message table: every Message's template has Japanese with the same placeholders, nothing in the table is
unused, and errors are raised with Messages, not bare English (files still to convert are listed and may only
shrink)."""

from __future__ import annotations

import pickle

import pytest
from hypothesis import given
from hypothesis import strategies as st
from message_source import bare_errors, templates

from kizashi.errors import InputError, NotFound
from kizashi.messages import JAPANESE, Message, environment_language, placeholders

# Modules whose errors still carry bare English (issue 15): converting one removes it here; none may be added.
PENDING: set[str] = set()


def test_every_template_has_japanese_with_the_same_placeholders() -> None:
    found, _ = templates()
    assert found, "no Message in the source: the scan is broken"
    missing = sorted({f"{f.file}:{f.line}: {f.text}" for f in found if f.text not in JAPANESE})
    assert not missing, "templates without Japanese:\n" + "\n".join(missing)
    unequal = sorted(
        f"{f.file}:{f.line}: {f.text}" for f in found if placeholders(f.text) != placeholders(JAPANESE[f.text])
    )
    assert not unequal, "Japanese with other placeholders than English:\n" + "\n".join(unequal)


def test_every_japanese_template_is_japanese_and_used() -> None:
    found, _ = templates()
    used = {f.text for f in found} | {"row {row}", "field '{field}'"}  # the latter two: kizashi.errors.Location
    assert not sorted(set(JAPANESE) - used), "unused templates: remove them"
    assert not [ja for ja in JAPANESE.values() if ja.isascii()], "a Japanese template without Japanese"


def test_a_message_template_is_a_literal() -> None:
    # A template made at run time could not be in the table.
    _, other = templates()
    assert not other, "\n".join(f"{f.file}:{f.line}: Message({f.text})" for f in other)


def test_errors_are_raised_with_messages_and_the_pending_list_only_shrinks() -> None:
    bare = {f.file for f in bare_errors()}
    new = sorted(f"{f.file}:{f.line}: {f.text}" for f in bare_errors() if f.file not in PENDING)
    assert not new, "errors raised with bare English (use kizashi.messages.Message):\n" + "\n".join(new)
    assert not sorted(PENDING - bare), "converted: remove these from PENDING"


def test_an_error_says_itself_in_japanese_with_its_place() -> None:
    error = InputError(Message("missing required column(s): {columns}", columns="name"), file="a.csv", row=3, field="x")
    assert str(error) == "a.csv, row 3, field 'x': missing required column(s): name"
    assert error.said("en") == str(error)
    assert error.said("ja") == "a.csv、3 行目、項目「x」: " + JAPANESE["missing required column(s): {columns}"].format(
        columns="name"
    )
    assert NotFound("plain").said("ja") == "plain"  # text that is not a Message stays as it is


@given(st.text(max_size=30), st.integers())
def test_a_message_is_its_english_and_survives_pickling(word: str, number: int) -> None:
    message = Message("missing required column(s): {columns}", columns=f"{word}{number}")
    assert message == f"missing required column(s): {word}{number}"
    copy = pickle.loads(pickle.dumps(message))
    assert copy == message and copy.said("ja") == message.said("ja")
    assert message.said("ja") != message.said("en")


@pytest.mark.parametrize(
    ("env", "expected"),
    [
        ({"KIZASHI_LANG": "ja"}, "ja"),
        ({"KIZASHI_LANG": "en", "LANG": "ja_JP.UTF-8"}, "en"),
        ({"LANG": "ja_JP.UTF-8"}, "ja"),
        ({"LANG": "C.UTF-8"}, "en"),
        ({}, "en"),
    ],
)
def test_the_language_outside_the_web(monkeypatch: pytest.MonkeyPatch, env: dict[str, str], expected: str) -> None:
    for name in ("KIZASHI_LANG", "LC_ALL", "LC_MESSAGES", "LANG"):
        monkeypatch.delenv(name, raising=False)
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    assert environment_language() == expected


def test_files_people_open_say_sentences_in_their_language_and_programs_get_english() -> None:
    from kizashi.files.export import human_rows

    rows = [{"id": "p1", "why": Message("file is empty (no data rows)"), "n": 3}]
    (csv_row,) = human_rows(rows, "csv", "ja")
    assert csv_row == {"id": "p1", "why": JAPANESE["file is empty (no data rows)"], "n": 3}
    (json_row,) = human_rows(rows, "jsonl", "ja")
    assert json_row["why"] == "file is empty (no data rows)"
    (english,) = human_rows(rows, "xlsx", "en")
    assert english["why"] == "file is empty (no data rows)"
