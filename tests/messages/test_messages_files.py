"""Real errors of the file readers, the input limits, the settings, the permissions and the reader process, said in
Japanese: each names the same file and row as the English, and the parts a reader reads (the reason, the phrase of
what is over a limit, the permission) come from the table, not as English inside Japanese."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from kizashi.errors import AccessDenied, ConfigError, InputError
from kizashi.files.limits import TooLarge
from kizashi.files.tabular import iter_rows, utc_day
from kizashi.ingest.pipeline import ReaderProcess
from kizashi.policy import Actor
from kizashi.policy.labels import Clearance
from kizashi.policy.permissions import require
from kizashi.settings import get_settings

JAPANESE = re.compile(r"[\u3040-\u30ff\u4e00-\u9fff]")


def _refusal(path: Path) -> InputError:
    with pytest.raises(InputError) as refused:
        list(iter_rows(path))
    return refused.value


def test_an_empty_csv_is_refused_in_japanese_naming_the_file(tmp_path: Path) -> None:
    path = tmp_path / "needs.csv"
    path.write_text("id,title\n", encoding="utf-8")
    error = _refusal(path)
    assert str(error) == f"{path}: file is empty (no data rows)"  # the English as before
    assert error.said("ja") == f"{path}: ファイルが空です（データ行がありません）"
    assert error.said("en") == str(error)


def test_a_header_naming_a_column_twice_is_refused_in_japanese_at_row_and_field(tmp_path: Path) -> None:
    path = tmp_path / "seeds.csv"
    path.write_text("id,title,title\nx,y,z\n", encoding="utf-8")
    said = _refusal(path).said("ja")
    assert said == f"{path}、1 行目、項目「title」: 見出しに同じ列が 2 回あります"


def test_a_file_over_the_row_limit_names_row_limit_and_setting_in_japanese(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("KIZASHI_MAX_ROWS", "2")
    path = tmp_path / "needs.csv"
    path.write_text("id,title\na,A\nb,B\nc,C\n", encoding="utf-8")
    error = _refusal(path)
    assert isinstance(error, TooLarge) and error.status == 413
    assert str(error) == f"{path}, row 3: row 3 is over the limit of 2 (the setting KIZASHI_MAX_ROWS raises it)"
    assert error.said("ja") == (
        f"{path}、3 行目: 行数（3 行目）が上限の 2 を超えています（設定 KIZASHI_MAX_ROWS で上限を上げられます）"
    )


def test_a_line_over_the_byte_limit_says_its_size_and_phrase_in_japanese(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("KIZASHI_MAX_LINE_BYTES", "1024")
    path = tmp_path / "needs.jsonl"
    path.write_text('{"id": "a", "title": "' + "x" * 2000 + '"}\n', encoding="utf-8")
    said = _refusal(path).said("ja")
    assert (
        said
        == f"{path}、1 行目: 行の長さが上限の 1 KiB を超えています（設定 KIZASHI_MAX_LINE_BYTES で上限を上げられます）"
    )


def test_text_in_no_known_encoding_is_refused_in_japanese_at_its_line(tmp_path: Path) -> None:
    path = tmp_path / "needs.csv"
    path.write_bytes(b"id,title\nn1,ok\nn2,\x80\xff\n")
    error = _refusal(path)
    assert error.location.row == 3
    said = error.said("ja")
    assert said.startswith(f"{path}、3 行目: UTF-8 でも Shift_JIS でもないテキストです（3 行目のバイト 0x")
    assert said.endswith("UTF-8 で保存し直してください")


def test_an_invalid_setting_is_refused_in_japanese_naming_the_variable(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("KIZASHI_MATCH_WEIGHTS", '{"lexical": 1, "telepathy": 2}')
    with pytest.raises(ConfigError) as refused:
        get_settings()
    assert str(refused.value).startswith("invalid setting: KIZASHI_MATCH_WEIGHTS: ")
    said = refused.value.said("ja")
    assert said.startswith("設定が正しくありません: KIZASHI_MATCH_WEIGHTS: ")
    assert "telepathy" in said


def test_a_date_that_is_not_one_is_refused_in_japanese_naming_the_field() -> None:
    for typed in ("next week", "2025-02-30"):
        with pytest.raises(InputError) as refused:
            utc_day(typed, "expires")
        assert str(refused.value) == f"field 'expires': '{typed}' is not a date (use YYYY-MM-DD)"
        assert (
            refused.value.said("ja")
            == f"項目「expires」: 「{typed}」は日付ではありません（YYYY-MM-DD で指定してください）"
        )


def test_a_refused_permission_says_what_it_would_do_in_japanese() -> None:
    analyst = Actor(Clearance("hanako", roles=frozenset({"analyst"})))
    with pytest.raises(AccessDenied) as refused:
        require(analyst, "audit.read")
    assert str(refused.value) == (
        "'hanako' may not read or export the audit trail: that needs one of the roles admin, security_officer"
    )
    assert refused.value.said("ja") == (
        "「hanako」には監査証跡を閲覧・エクスポートする権限がありません（必要な役割: admin, security_officer のいずれか）"
    )


def test_an_error_in_the_reader_process_is_still_said_in_japanese(tmp_path: Path) -> None:
    # The child sends its errors as data; sent as English alone, the parent could not say them in Japanese.
    path = tmp_path / "works.json"
    path.write_text('[{"id": "W1"}, 3]', encoding="utf-8")
    reader = ReaderProcess("works", [path])
    try:
        with pytest.raises(InputError) as refused:
            list(reader)
    finally:
        reader.close()
    assert str(refused.value) == f"{path}, row 2: expected a JSON object, found int"
    assert refused.value.said("ja") == f"{path}、2 行目: JSON オブジェクトが必要ですが、int がありました"


def test_a_limit_in_the_reader_process_is_said_in_japanese_with_its_phrase(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # The refusal holds a Message inside a Message ("{what} is over the limit…", what = "row {count:,}").
    monkeypatch.setenv("KIZASHI_MAX_ROWS", "1")
    path = tmp_path / "works.jsonl"
    path.write_text('{"id": "W1"}\n{"id": "W2"}\n', encoding="utf-8")
    reader = ReaderProcess("works", [path])
    try:
        with pytest.raises(InputError) as refused:
            list(reader)
    finally:
        reader.close()
    assert refused.value.said("ja") == (
        f"{path}、2 行目: 行数（2 行目）が上限の 1 を超えています（設定 KIZASHI_MAX_ROWS で上限を上げられます）"
    )


def test_a_bad_openalex_field_is_said_in_japanese_with_what_was_found(tmp_path: Path) -> None:
    # Row errors of the reader (RowError) are set aside under --skip-invalid and reported with their place.
    from kizashi.ingest.openalex import read_openalex_json
    from kizashi.ingest.records import RowError

    path = tmp_path / "works.jsonl"
    path.write_text('{"id": "https://openalex.org/W1", "publication_year": [2020]}\n', encoding="utf-8")
    with pytest.raises(RowError) as refused:
        list(read_openalex_json(path))
    assert str(refused.value) == f"{path}, row 1, field 'publication_year': expected a whole number, found a list"
    assert refused.value.said("ja") == f"{path}、1 行目、項目「publication_year」: 整数が必要ですが、リストがありました"


@settings(max_examples=25, suppress_health_check=[HealthCheck.function_scoped_fixture], deadline=None)
@given(rows=st.integers(min_value=2, max_value=30), limit=st.integers(min_value=1, max_value=29))
def test_whatever_row_is_over_the_limit_both_languages_name_it(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, rows: int, limit: int
) -> None:
    monkeypatch.setenv("KIZASHI_MAX_ROWS", str(limit))
    path = tmp_path / "needs.csv"
    path.write_text("id,title\n" + "".join(f"n{i},T{i}\n" for i in range(rows)), encoding="utf-8")
    if rows <= limit:
        assert len(list(iter_rows(path))) == rows
        return
    error: Any = _refusal(path)
    over = limit + 1
    assert error.location.row == over
    assert f"row {over:,} is over the limit of {limit:,}" in str(error)
    said = error.said("ja")
    assert f"{over:,} 行目" in said and f"上限の {limit:,} を" in said and JAPANESE.search(said)
    assert "over the limit" not in said
