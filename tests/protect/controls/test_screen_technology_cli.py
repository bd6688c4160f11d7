"""`kizashi screen technology` end to end: files in, the stable JSON lines (or CSV, XLSX) out, no workspace."""

from __future__ import annotations

import csv
import json
from pathlib import Path

import pytest
from openpyxl import load_workbook

ITEMS = (
    "id,title,description\n"
    "t1,256ビット鍵の暗号装置,AES-256による通信の暗号化を行う装置の研究開発\n"
    "t2,Quantum key distribution network,QKD system for secure key exchange over optical fibre\n"
)
OWN_LIST = (
    "list,code,title,text,parent\n"
    "own,A,Cryptography,Equipment for encryption with keys exceeding 128 bits,\n"
    "own,B,Marine,Ships and submarines,\n"
)


@pytest.fixture
def items(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("KIZASHI_WORKSPACE", str(tmp_path / "none"))  # there is none: the command must not need one
    path = tmp_path / "items.csv"
    path.write_text(ITEMS, encoding="utf-8")
    return path


def test_jsonl_keeps_the_stable_shape(cli, items: Path) -> None:
    result = cli("screen", "technology", "--items", items, "--controls", "all", "--top", "3")
    assert result.code == 0, result.err
    rows = [json.loads(line) for line in result.out.splitlines()]
    assert [row["id"] for row in rows] == ["t1", "t2"]
    for row in rows:
        assert 1 <= len(row["matches"]) <= 3
        for match in row["matches"]:
            assert set(match) == {"list", "code", "title", "score", "evidence"}
            assert match["list"] in ("jp-etco-1", "us-ccl-3-5")
    assert "9(7)" in [m["code"] for m in rows[0]["matches"]]
    assert "5A002.c" in [m["code"] for m in rows[1]["matches"]]


def test_a_users_list_beside_a_bundled_one(cli, items: Path, tmp_path: Path) -> None:
    own = tmp_path / "own.csv"
    own.write_text(OWN_LIST, encoding="utf-8")
    out = tmp_path / "out.csv"
    result = cli(
        "screen",
        "technology",
        "--items",
        items,
        "--controls",
        own,
        "--controls",
        "jp-etco-1",
        "--format",
        "csv",
        "--out",
        out,
    )
    assert result.code == 0, result.err
    with out.open(encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    first = [r for r in rows if r["id"] == "t1"]
    assert {r["list"] for r in first} == {"own", "jp-etco-1"}
    own_row = next(r for r in first if r["list"] == "own")
    assert own_row["code"] == "A" and "256ビット vs exceeding 128 bits (A): meets" in own_row["parameters"]


def test_xlsx_needs_out_and_writes_a_sheet(cli, items: Path, tmp_path: Path) -> None:
    assert cli("screen", "technology", "--items", items, "--controls", "jp-etco-1", "--format", "xlsx").code == 2
    out = tmp_path / "out.xlsx"
    assert (
        cli("screen", "technology", "--items", items, "--controls", "jp-etco-1", "--format", "xlsx", "--out", out).code
        == 0
    )
    sheet = load_workbook(out).active
    header = [cell.value for cell in next(sheet.iter_rows(max_row=1))]
    assert header[:5] == ["id", "technology", "rank", "list", "code"]


def test_bad_input_exits_2_naming_file_row_and_field(cli, items: Path, tmp_path: Path) -> None:
    broken = tmp_path / "broken.csv"
    broken.write_text("list,code,title,parent\nx,1,One,\nx,2,Two,7\n", encoding="utf-8")
    result = cli("screen", "technology", "--items", items, "--controls", broken)
    assert result.code == 2 and "row 3" in result.err and "parent" in result.err
    result = cli("screen", "technology", "--items", items, "--controls", "no-such-list")
    assert result.code == 2 and "jp-etco-1" in result.err
    no_title = tmp_path / "no_title.csv"
    no_title.write_text("id,description\nt1,x\n", encoding="utf-8")
    assert cli("screen", "technology", "--items", no_title, "--controls", "jp-etco-1").code == 2
    assert cli("screen", "technology", "--items", items, "--controls", "jp-etco-1", "--format", "html").code == 2
