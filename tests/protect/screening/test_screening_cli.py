"""`kizashi screen parties` end to end: formats, exit codes, errors, the documented default threshold."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path
from typing import Any

from openpyxl import load_workbook

from kizashi.protect.screening import DEFAULT_THRESHOLD

LISTS = Path(__file__).parents[2] / "fixtures" / "lists"


def names_file(tmp_path: Path, rows: list[tuple[str, str]], suffix: str = ".csv") -> Path:
    path = tmp_path / f"names{suffix}"
    if suffix == ".jsonl":
        path.write_text("".join(json.dumps({"id": i, "name": n}, ensure_ascii=False) + "\n" for i, n in rows), "utf-8")
    else:
        path.write_text("id,name\n" + "".join(f"{i},{n}\n" for i, n in rows), encoding="utf-8")
    return path


PARTNERS = [("p1", "タコ有限会社"), ("p2", "University of Greenwich"), ("p3", "HANIYYA Ismaeel")]


def test_jsonl_with_alerts_exits_1(cli: Any, tmp_path: Path) -> None:
    out = tmp_path / "alerts.jsonl"
    result = cli(
        "screen", "parties", "--names", names_file(tmp_path, PARTNERS), "--list", LISTS / "ofac",
        "--list", LISTS / "meti_parsed_entities.json", "--out", out,
    )  # fmt: skip
    assert result.code == 1
    rows = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    assert [(r["id"], [m["entry_id"] for m in r["matches"]]) for r in rows] == [
        ("p1", ["third_countries-1"]),
        ("p2", []),
        ("p3", ["9639"]),
    ]
    tako = rows[0]["matches"][0]
    assert tako["list"] == "METI third_countries" and tako["entry_name"] == "Tako LLC"
    assert tako["list_version"]["source"] == "meti-json" and tako["score"] >= DEFAULT_THRESHOLD
    assert tako["explanation"]["tokens"][0]["how"] == "transliterated"


def test_no_alert_exits_0_and_reads_jsonl(cli: Any, tmp_path: Path) -> None:
    result = cli(
        "screen", "parties", "--names", names_file(tmp_path, [("a", "Fraunhofer Gesellschaft")], ".jsonl"),
        "--list", LISTS / "generic.csv",
    )  # fmt: skip
    assert result.code == 0
    assert json.loads(result.out) == {"id": "a", "name": "Fraunhofer Gesellschaft", "matches": []}


def test_csv_has_one_row_per_match_with_the_reason(cli: Any, tmp_path: Path) -> None:
    result = cli(
        "screen", "parties", "--names", names_file(tmp_path, PARTNERS), "--list", LISTS / "meti_parsed_entities.json",
        "--format", "csv", "--top", "2", "--threshold", "0.9",
    )  # fmt: skip
    assert result.code == 1
    rows = list(csv.DictReader(io.StringIO(result.out)))
    assert [r["id"] for r in rows] == ["p1", "p2", "p3"]
    assert rows[0]["entry_id"] == "third_countries-1" and rows[0]["rank"] == "1"
    assert "タコ→tako = tako (transliterated)" in rows[0]["why"]
    assert rows[0]["list_date"] == "" and len(rows[0]["list_sha256"]) == 64  # METI's file states no date
    assert rows[1]["entry_id"] == "" and rows[2]["entry_id"] == ""


def test_xlsx(cli: Any, tmp_path: Path) -> None:
    out = tmp_path / "screening.xlsx"
    result = cli(
        "screen", "parties", "--names", names_file(tmp_path, PARTNERS), "--list", LISTS / "un_consolidated_slice.xml",
        "--list", LISTS / "meti_parsed_entities.json", "--format", "xlsx", "--out", out,
    )  # fmt: skip
    assert result.code == 1
    sheet = load_workbook(out, read_only=True).worksheets[0]
    header, *rows = list(sheet.iter_rows(values_only=True))
    assert header[:5] == ("id", "name", "rank", "list", "entry_id")
    assert rows[0][:5] == ("p1", "タコ有限会社", 1, "METI third_countries", "third_countries-1")


def test_bad_names_file_exits_2_naming_the_column(cli: Any, tmp_path: Path) -> None:
    path = tmp_path / "names.csv"
    path.write_text("id,company\n1,ACME\n", encoding="utf-8")
    result = cli("screen", "parties", "--names", path, "--list", LISTS / "generic.csv")
    assert result.code == 2
    assert "names.csv" in result.err and "name" in result.err


def test_broken_list_exits_2_naming_file_and_line(cli: Any, tmp_path: Path) -> None:
    broken = tmp_path / "un.xml"
    broken.write_text("<CONSOLIDATED_LIST>\n<INDIVIDUALS>\n<INDIVIDUAL>\n", encoding="utf-8")
    result = cli("screen", "parties", "--names", names_file(tmp_path, PARTNERS), "--list", broken)
    assert result.code == 2
    assert "un.xml" in result.err and "row 4" in result.err


def test_unknown_type_in_names(cli: Any, tmp_path: Path) -> None:
    path = tmp_path / "names.csv"
    path.write_text("id,name,type\n1,ACME,spaceship\n", encoding="utf-8")
    result = cli("screen", "parties", "--names", path, "--list", LISTS / "generic.csv")
    assert result.code == 2 and "type" in result.err


def test_help_documents_the_default_threshold_and_exit_codes(cli: Any) -> None:
    result = cli("screen", "parties", "--help")
    text = " ".join(result.out.replace("│", " ").split())  # the help is drawn in a box
    assert f"Default {DEFAULT_THRESHOLD:.2f}" in text
    assert "Exit code 1 when any name has an alert" in text
