"""Japanese needs: exact text (NFC), Shift_JIS (cp932) as Excel writes it, UTF-8 with a BOM, Japanese label names."""

from __future__ import annotations

import csv
import unicodedata
from datetime import date
from pathlib import Path

import pytest

from kizashi.ingest.dispatch import ingest
from kizashi.policy import Clearance
from kizashi.protect.people import actor_for as as_user
from kizashi.store.records import iter_records
from kizashi.store.workspace import Workspace

TRUSTED = Clearance.everything("tests")  # these tests read what they wrote; tests/protect check the policy

JAPANESE = Path(__file__).parents[1] / "fixtures" / "japanese"
LEVELS = {"公開": "PUBLIC", "部内限り": "INTERNAL", "秘": "CONFIDENTIAL", "極秘": "SECRET", "INTERNAL": "INTERNAL"}


def source_rows() -> list[dict[str, str]]:
    with (JAPANESE / "needs_ja.csv").open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def stored_needs(workspace: Workspace) -> dict[str, dict[str, object]]:
    return {row["id"]: row for row in iter_records(workspace, "needs", TRUSTED)}


def test_the_fixture_is_nfc_and_has_what_we_test() -> None:
    text = (JAPANESE / "needs_ja.csv").read_text(encoding="utf-8")
    assert unicodedata.normalize("NFC", text) == text
    assert "ｶﾞ" in text  # half-width katakana: NFC keeps it (NFKC would not)
    assert "\n誤検知率" in text  # a line break inside a cell


@pytest.mark.parametrize("name", ["needs_ja.csv", "needs_ja_cp932.csv", "needs_ja_bom.csv"])
def test_japanese_needs_round_trip_exactly(workspace: Workspace, name: str) -> None:
    rows = source_rows()
    report = ingest(workspace, as_user(workspace, "tester"), "needs", [JAPANESE / name])
    assert (report.added, report.rejected) == (len(rows), [])
    stored = stored_needs(workspace)
    assert set(stored) == {row["id"] for row in rows}
    for row in rows:
        need = stored[row["id"]]
        assert need["title"] == row["title"].strip()
        assert need["description"] == row["description"]
        assert need["organization"] == row["organization"]
        assert need["threat"] == (row["threat"] or None)
        assert need["country"] == row["country"].upper()
        assert need["trl"] == int(row["trl"])
        assert need["deadline"] == (date.fromisoformat(row["deadline"]) if row["deadline"] else None)
        assert need["level"] == LEVELS[row["label"]]
        assert need["lang"] == "ja"  # given, or detected for the row that leaves it empty
        assert need["extra"] == ({"担当部署": row["担当部署"]} if row["担当部署"] else {})
    # Exact characters, as written: full-width letters and digits, half-width katakana, circled digits, ㈱ and ～.
    assert stored["JA-003"]["title"] == "ｶﾞｽ漏えい検知センサの小型化"
    assert "①既存製品" in str(stored["JA-002"]["description"])
    assert "数分～数十分" in str(stored["JA-003"]["description"])
    assert "㈱" in str(stored["JA-003"]["description"])
    assert "「４Ｋ映像」" in str(stored["JA-004"]["description"])
    # Keywords split on the Japanese separators too (、 and the full-width ；), and on | and ;.
    assert stored["JA-001"]["keywords"] == ["ドローン", "レーダー", "電波監視"]
    assert stored["JA-002"]["keywords"] == ["制御システム", "異常検知", "ＯＴセキュリティ"]
    assert stored["JA-004"]["keywords"] == ["衛星通信", "冗長化", "災害対応"]
    assert stored["JA-006"]["keywords"] == ["量子暗号", "QKD"]


def test_the_three_encodings_give_identical_records(workspace: Workspace) -> None:
    first = ingest(workspace, as_user(workspace, "tester"), "needs", [JAPANESE / "needs_ja.csv"])
    for name in ("needs_ja_cp932.csv", "needs_ja_bom.csv"):
        again = ingest(workspace, as_user(workspace, "tester"), "needs", [JAPANESE / name])
        assert (again.added, again.updated, again.unchanged) == (0, 0, first.added), name


def test_decomposed_text_is_stored_composed(workspace: Workspace, tmp_path: Path) -> None:
    # macOS file names and some tools write NFD: か + combining dakuten. The store holds NFC, so searches match.
    composed = "ガス検知センサ、ぱぴぷ"
    decomposed = unicodedata.normalize("NFD", composed)
    assert decomposed != composed
    path = tmp_path / "nfd.csv"
    path.write_text(f"id,title,description,keywords\nN-1,{decomposed},{decomposed},{decomposed}\n", encoding="utf-8")
    ingest(workspace, as_user(workspace, "tester"), "needs", [path])
    [need] = iter_records(workspace, "needs", TRUSTED)
    assert need["title"] == composed
    assert need["description"] == composed
    assert need["keywords"] == ["ガス検知センサ", "ぱぴぷ"]
    # The same text written composed is the same record: nothing to update.
    path.write_text(f"id,title,description,keywords\nN-1,{composed},{composed},{composed}\n", encoding="utf-8")
    assert ingest(workspace, as_user(workspace, "tester"), "needs", [path]).unchanged == 1


def test_japanese_column_values_in_xlsx_and_jsonl(workspace: Workspace, tmp_path: Path) -> None:
    from openpyxl import Workbook

    rows = source_rows()
    book = Workbook()
    sheet = book.active
    sheet.append(list(rows[0]))
    for row in rows:
        sheet.append([value or None for value in row.values()])
    book.save(tmp_path / "needs_ja.xlsx")
    first = ingest(workspace, as_user(workspace, "tester"), "needs", [JAPANESE / "needs_ja.csv"])
    again = ingest(workspace, as_user(workspace, "tester"), "needs", [tmp_path / "needs_ja.xlsx"])
    assert (again.added, again.updated, again.unchanged) == (0, 0, first.added)


@pytest.mark.parametrize(
    ("label", "level"),
    [("公開", "PUBLIC"), ("部内限り", "INTERNAL"), ("秘", "CONFIDENTIAL"), ("極秘", "SECRET"), ("secret", "SECRET")],
)
def test_japanese_label_names(workspace: Workspace, tmp_path: Path, label: str, level: str) -> None:
    path = tmp_path / "label.csv"
    path.write_text(f"id,title,label\nN-1,題名,{label}\n", encoding="utf-8")
    ingest(workspace, as_user(workspace, "tester"), "needs", [path])
    [need] = iter_records(workspace, "needs", TRUSTED)
    assert need["level"] == level
