"""The tabular readers (CSV, XLSX, JSON lines, JSON): rows, locations, encodings, and text that survives them."""

from __future__ import annotations

import csv
import gzip
import json
import string
import unicodedata
from datetime import date, datetime
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell

from kizashi.errors import InputError
from kizashi.files.tabular import csv_header, iter_rows, read_text, suffix_of
from kizashi.ingest.records import StatementRecord, validate

FIXTURES = Path(__file__).parents[1] / "fixtures"
JAPANESE = FIXTURES / "japanese"


def write_xlsx(path: Path, header: list[str], rows: list[list[object]]) -> None:
    """Write cells as given; strings are forced to be text (openpyxl would make '=…' a formula)."""
    book = Workbook(write_only=True)
    sheet = book.create_sheet("s")
    sheet.append(header)
    for row in rows:
        cells = []
        for value in row:
            cell = WriteOnlyCell(sheet, value=value)
            if isinstance(value, str) and value:
                cell.data_type = "s"
            cells.append(cell)
        sheet.append(cells)
    book.save(path)


def write_csv(path: Path, header: list[str], rows: list[list[str]], encoding: str = "utf-8") -> None:
    with path.open("w", encoding=encoding, newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(header)
        writer.writerows(rows)


def write_jsonl(path: Path, rows: list[dict[str, object]]) -> None:
    path.write_text("".join(json.dumps(row, ensure_ascii=False) + "\n" for row in rows), encoding="utf-8")


# --- formats and locations ---------------------------------------------------------------------------------------


def test_suffix_looks_through_gz() -> None:
    assert suffix_of(Path("works.jsonl.gz")) == ".jsonl"
    assert suffix_of(Path("Needs.CSV")) == ".csv"
    assert suffix_of(Path("noext")) == ""


def test_csv_rows_are_numbered_as_a_spreadsheet_shows_them(tmp_path: Path) -> None:
    path = tmp_path / "n.csv"
    path.write_text("id,title\nA,One\n\nB,Two\n", encoding="utf-8")
    rows = list(iter_rows(path, ("id", "title")))
    assert [(row.number, row.values) for row in rows] == [
        (2, {"id": "A", "title": "One"}),
        (4, {"id": "B", "title": "Two"}),
    ]
    assert rows[0].file == path


def test_csv_header_cells_are_stripped_values_are_not(tmp_path: Path) -> None:
    path = tmp_path / "n.csv"
    path.write_text(" id , title \nA,  spaced  \n", encoding="utf-8")
    [row] = iter_rows(path)
    assert row.values == {"id": "A", "title": "  spaced  "}


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("id;title\nA;One, with comma\n", {"id": "A", "title": "One, with comma"}),
        ("id\ttitle\nA\tOne; two\n", {"id": "A", "title": "One; two"}),
    ],
)
def test_csv_delimiter_is_detected_from_the_header(tmp_path: Path, text: str, expected: dict[str, str]) -> None:
    path = tmp_path / "n.csv"
    path.write_text(text, encoding="utf-8")
    assert [row.values for row in iter_rows(path)] == [expected]


def test_tsv_is_tab_separated(tmp_path: Path) -> None:
    path = tmp_path / "n.tsv"
    path.write_text("id\ttitle\nA\tOne, two; three\n", encoding="utf-8")
    assert [row.values for row in iter_rows(path)] == [{"id": "A", "title": "One, two; three"}]


def test_gzipped_csv_and_jsonl(tmp_path: Path) -> None:
    csv_path = tmp_path / "n.csv.gz"
    csv_path.write_bytes(gzip.compress("id,title\nA,一\n".encode()))
    jsonl_path = tmp_path / "n.jsonl.gz"
    jsonl_path.write_bytes(gzip.compress('{"id": "B", "title": "二"}\n'.encode()))
    assert [row.values for row in iter_rows(csv_path)] == [{"id": "A", "title": "一"}]
    assert [row.values for row in iter_rows(jsonl_path)] == [{"id": "B", "title": "二"}]


def test_jsonl_rows_are_numbered_by_line_and_skip_blank_lines(tmp_path: Path) -> None:
    path = tmp_path / "n.jsonl"
    path.write_text('{"id": "A"}\n\n{"id": "B", "n": 2}\n', encoding="utf-8")
    assert [(row.number, row.values) for row in iter_rows(path)] == [(1, {"id": "A"}), (3, {"id": "B", "n": 2})]


@pytest.mark.parametrize(
    "document",
    [
        '[{"id": "A"}, {"id": "B"}]',
        '{"meta": {"count": 2}, "results": [{"id": "A"}, {"id": "B"}]}',
    ],
)
def test_json_document_forms(tmp_path: Path, document: str) -> None:
    path = tmp_path / "n.json"
    path.write_text(document, encoding="utf-8")
    assert [(row.number, row.values["id"]) for row in iter_rows(path)] == [(1, "A"), (2, "B")]


def test_json_single_object(tmp_path: Path) -> None:
    path = tmp_path / "n.json"
    path.write_text('{"id": "A", "title": "x"}', encoding="utf-8")
    assert [row.values for row in iter_rows(path)] == [{"id": "A", "title": "x"}]


def test_json_array_of_non_objects_names_the_position(tmp_path: Path) -> None:
    path = tmp_path / "n.json"
    path.write_text('[{"id": "A"}, 5]', encoding="utf-8")
    with pytest.raises(InputError) as caught:
        list(iter_rows(path))
    assert caught.value.location.row == 2


def test_jsonl_line_that_is_not_an_object(tmp_path: Path) -> None:
    path = tmp_path / "n.jsonl"
    path.write_text('{"id": "A"}\n["B"]\n', encoding="utf-8")
    with pytest.raises(InputError) as caught:
        list(iter_rows(path))
    assert (caught.value.location.file, caught.value.location.row) == (path, 2)
    assert "expected a JSON object" in caught.value.reason


def test_xlsx_cells_keep_their_types(tmp_path: Path) -> None:
    path = tmp_path / "n.xlsx"
    write_xlsx(
        path,
        ["id", "title", "trl", "deadline", "when", "score", "empty"],
        [
            [123, "Text", 4.0, datetime(2026, 3, 31), datetime(2026, 3, 31, 12, 30), 0.5, None],
            [None, None, None, None, None, None, None],  # an empty row is skipped
            ["0042", "=not a formula", 7, date(2027, 1, 2), None, 2, None],
        ],
    )
    rows = list(iter_rows(path, ("id", "title")))
    assert [row.number for row in rows] == [2, 4]
    assert rows[0].values == {
        "id": 123,
        "title": "Text",
        "trl": 4,
        "deadline": date(2026, 3, 31),
        "when": datetime(2026, 3, 31, 12, 30),
        "score": 0.5,
        "empty": "",
    }
    assert rows[1].values["id"] == "0042"
    assert rows[1].values["title"] == "=not a formula"
    assert rows[1].values["deadline"] == date(2027, 1, 2)
    assert validate(StatementRecord, rows[0])["id"] == "123"


def test_xlsx_trailing_empty_header_cells_are_ignored(tmp_path: Path) -> None:
    path = tmp_path / "n.xlsx"
    write_xlsx(path, ["id", "title", None, None], [["A", "One", None, None]])
    assert [row.values for row in iter_rows(path)] == [{"id": "A", "title": "One"}]


def test_unsupported_suffix_is_an_input_error(tmp_path: Path) -> None:
    path = tmp_path / "n.txt"
    path.write_text("id,title\nA,B\n", encoding="utf-8")
    with pytest.raises(InputError, match="unsupported file type"):
        list(iter_rows(path))


def test_missing_required_column_names_the_column(tmp_path: Path) -> None:
    path = tmp_path / "n.csv"
    path.write_text("id,description\nA,x\n", encoding="utf-8")
    with pytest.raises(InputError) as caught:
        list(iter_rows(path, ("id", "title")))
    assert caught.value.location.field == "title"
    assert "missing required column" in caught.value.reason


def test_required_columns_come_from_the_csv_header_even_when_a_row_is_short(tmp_path: Path) -> None:
    # A short first row (trailing empty cells left out, as some exporters do) does not mean the column is missing.
    path = tmp_path / "n.csv"
    path.write_text("id,description,title\nA,x\nB,y,Two\n", encoding="utf-8")
    rows = list(iter_rows(path, ("id", "title")))
    assert [row.values for row in rows] == [
        {"id": "A", "description": "x", "title": ""},
        {"id": "B", "description": "y", "title": "Two"},
    ]


def test_csv_header_of_non_csv_is_empty(tmp_path: Path) -> None:
    path = tmp_path / "n.jsonl"
    path.write_text('{"id": "A"}\n', encoding="utf-8")
    assert csv_header(path) == []


def test_csv_header_with_crlf_and_quotes(tmp_path: Path) -> None:
    path = tmp_path / "n.csv"
    path.write_bytes(b'"id";"title";"objective"\r\n"1";"a";"b"\r\n')
    assert csv_header(path) == ["id", "title", "objective"]


# --- encodings ---------------------------------------------------------------------------------------------------


def test_read_text_utf8_bom_cp932() -> None:
    plain, encoding = read_text(JAPANESE / "needs_ja.csv")
    assert encoding == "utf-8"
    bom, encoding = read_text(JAPANESE / "needs_ja_bom.csv")
    assert (bom, encoding) == (plain, "utf-8")
    assert not bom.startswith("\ufeff")
    sjis, encoding = read_text(JAPANESE / "needs_ja_cp932.csv")
    assert (sjis, encoding) == (plain, "cp932")
    # cp932, not strict Shift_JIS: NEC and IBM extensions and the full-width tilde come through as Excel wrote them.
    for char in ("①", "②", "㈱", "～"):
        assert char in sjis


def test_bom_does_not_become_part_of_the_first_column_name() -> None:
    rows = list(iter_rows(JAPANESE / "needs_ja_bom.csv", ("id", "title")))
    assert rows[0].values["id"] == "JA-001"


def test_jsonl_with_a_utf8_bom(tmp_path: Path) -> None:
    # Windows Notepad saves UTF-8 with a BOM; the first line must still parse.
    path = tmp_path / "n.jsonl"
    path.write_bytes('{"id": "A", "title": "一"}\n{"id": "B", "title": "二"}\n'.encode("utf-8-sig"))
    assert [row.values["id"] for row in iter_rows(path)] == ["A", "B"]


def test_json_with_a_utf8_bom(tmp_path: Path) -> None:
    path = tmp_path / "n.json"
    path.write_bytes('[{"id": "A", "title": "一"}]'.encode("utf-8-sig"))
    assert [row.values["id"] for row in iter_rows(path)] == ["A"]


def test_undecodable_bytes_name_the_line(tmp_path: Path) -> None:
    path = FIXTURES / "broken" / "bad_encoding.csv"
    with pytest.raises(InputError) as caught:
        read_text(path)
    assert caught.value.location.row == 3
    assert "0x81" in caught.value.reason


# --- property tests: arbitrary text survives each format ----------------------------------------------------------

# Any text (no surrogates, which no UTF-8 file can hold): Japanese, emoji, commas, quotes, newlines, control characters.
ANY_TEXT = st.text(
    alphabet=st.one_of(
        # NUL is refused on purpose (PostgreSQL cannot store it): see test_validation.
        st.characters(codec="utf-8", exclude_characters="\x00"),
        st.sampled_from(list(",;\"'\n\r\t 　|、；=+-@\u3099\u309a") + list("日本語のテキスト🎉🇯🇵ｶﾞ")),
    ),
    max_size=40,
)
# XLSX cannot hold control characters (openpyxl refuses them: XML 1.0 forbids them), and XML parsing turns a
# carriage return into a line feed, so the XLSX alphabet leaves out C0 controls other than tab and line feed.
XLSX_TEXT = st.text(
    alphabet=st.one_of(
        st.characters(codec="utf-8", exclude_categories=("Cc", "Cs")),
        st.sampled_from(list(",;\"'\n\t 　|、；=+-@\u3099") + list("日本語のテキスト🎉ｶﾞ")),
    ),
    max_size=40,
)
KEYWORD = st.text(
    alphabet=st.characters(codec="utf-8", exclude_categories=("Cc", "Cs", "Zl", "Zp"), exclude_characters=";|、；"),
    min_size=1,
    max_size=12,
)


def stored(text: str) -> str:
    """What the documented text rule makes of a cell: NFC, leading and trailing white space stripped."""
    return unicodedata.normalize("NFC", text).strip()


def rows_strategy(text: st.SearchStrategy[str]) -> st.SearchStrategy[list[dict[str, object]]]:
    row = st.fixed_dictionaries(
        {
            "title": text.filter(lambda value: stored(value) != ""),
            "description": text,
            "organization": text,
            "note": text,  # an extra column: kept verbatim
            "keywords": st.lists(KEYWORD, max_size=4),
        }
    )
    return st.lists(row, min_size=1, max_size=5)


def check_rows(path: Path, rows: list[dict[str, object]], raw: list[dict[str, object]]) -> None:
    """The reader gives back exactly the cells written; validation applies only the documented text rule."""
    got = list(iter_rows(path, ("id", "title")))
    assert len(got) == len(rows)
    for row, written, expected in zip(got, raw, rows, strict=True):
        for key, value in written.items():
            assert row.values.get(key, "") == value, key
        values = validate(StatementRecord, row)
        assert values["id"] == expected["id"]
        assert values["title"] == stored(str(expected["title"]))
        assert values["description"] == stored(str(expected["description"]))
        assert values["organization"] == (stored(str(expected["organization"])) or None)
        assert values["keywords"] == [k for k in (stored(str(k)) for k in expected["keywords"]) if k]
        note = expected["note"]
        assert values["extra"] == ({"note": note} if note not in ("", None) else {})


COLUMNS = ["id", "title", "description", "organization", "note", "keywords"]


def as_cells(rows: list[dict[str, object]]) -> list[dict[str, object]]:
    cells = []
    for number, row in enumerate(rows, 1):
        row["id"] = f"R{number}"
        cells.append({**row, "keywords": "; ".join(row["keywords"])})
    return cells


PROPERTY = settings(max_examples=50, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])


@PROPERTY
@given(rows=rows_strategy(ANY_TEXT))
def test_any_text_survives_csv(tmp_path: Path, rows: list[dict[str, object]]) -> None:
    path = tmp_path / "p.csv"
    cells = as_cells(rows)
    write_csv(path, COLUMNS, [[str(cell[c]) for c in COLUMNS] for cell in cells])
    check_rows(path, rows, cells)


@PROPERTY
@given(rows=rows_strategy(ANY_TEXT))
def test_any_text_survives_csv_with_bom(tmp_path: Path, rows: list[dict[str, object]]) -> None:
    path = tmp_path / "p.csv"
    cells = as_cells(rows)
    write_csv(path, COLUMNS, [[str(cell[c]) for c in COLUMNS] for cell in cells], encoding="utf-8-sig")
    check_rows(path, rows, cells)


@PROPERTY
@given(rows=rows_strategy(ANY_TEXT))
def test_any_text_survives_jsonl(tmp_path: Path, rows: list[dict[str, object]]) -> None:
    path = tmp_path / "p.jsonl"
    for number, row in enumerate(rows, 1):
        row["id"] = f"R{number}"
    # JSON lines may carry keywords as a list; the other cells are strings.
    write_jsonl(path, rows)
    check_rows(path, rows, rows)


@PROPERTY
@given(rows=rows_strategy(XLSX_TEXT))
def test_any_text_survives_xlsx(tmp_path: Path, rows: list[dict[str, object]]) -> None:
    path = tmp_path / "p.xlsx"
    cells = as_cells(rows)
    # An empty string is an empty cell, which reads back as "".
    write_xlsx(path, COLUMNS, [[cell[c] if cell[c] != "" else None for c in COLUMNS] for cell in cells])
    check_rows(path, rows, cells)


@PROPERTY
@given(
    text=st.text(
        # These encode to cp932 but decode to other characters (e.g. − U+2212 comes back as － U+FF0D).
        # Private-use characters (cp932's user-defined area and its stand-ins for stray bytes) are refused: below.
        alphabet=st.characters(codec="cp932", exclude_categories=("Cs", "Co"), exclude_characters="¢£¬‖−〜\x80"),
        min_size=1,
        max_size=30,
    ).filter(lambda value: value.strip() != "")
)
def test_text_survives_shift_jis(tmp_path: Path, text: str) -> None:
    path = tmp_path / "p.csv"
    write_csv(path, ["id", "title"], [["R1", text]], encoding="cp932")
    [row] = iter_rows(path)
    raw = path.read_bytes()
    try:
        # The documented order: UTF-8 first. A cp932 file that is also valid UTF-8 (ASCII is both, and a few
        # half-width katakana pairs happen to be UTF-8 sequences) is read as UTF-8; anything else as cp932.
        raw.decode("utf-8")
    except UnicodeDecodeError:
        assert row.values["title"] == text
    else:
        assert row.values["title"] == text.encode("cp932").decode("utf-8")


def test_ascii_letters_alone_are_the_same_in_both_encodings(tmp_path: Path) -> None:
    # Guard for the property above: the fallback really is cp932, not Latin-1 or a lossy decode.
    path = tmp_path / "p.csv"
    path.write_bytes(("id,title\nR1," + string.ascii_letters + "ｱｲｳ\n").encode("cp932"))
    assert next(iter_rows(path)).values["title"] == string.ascii_letters + "ｱｲｳ"


@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    before=st.text(
        alphabet=st.characters(codec="cp932", exclude_categories=("Cs", "Co"), exclude_characters="\x80"), max_size=10
    ),
    stray=st.sampled_from(["\x80", "\ue000", "\ue3ab", "\ue757", "\uf8f0", "\uf8f1", "\uf8f2", "\uf8f3"]),
)
def test_bytes_no_shift_jis_text_holds_are_refused_not_dropped(tmp_path: Path, before: str, stray: str) -> None:
    path = tmp_path / "p.csv"
    data = f"id,title\nR1,日本{before}{stray}\n".encode("cp932")
    path.write_bytes(data)
    with pytest.raises(InputError) as refused:
        list(iter_rows(path))
    offset = len(f"id,title\nR1,日本{before}".encode("cp932"))
    assert f"byte 0x{data[offset]:02x}" in refused.value.detail and f"byte offset {offset}" in refused.value.detail
