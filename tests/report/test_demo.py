"""`kizashi demo` builds a workspace from the bundled real data and loads some of every kind."""

from __future__ import annotations

import json
import re
from pathlib import Path

import openpyxl
import pytest

from kizashi.model import RECORD_KINDS
from kizashi.store import audit
from kizashi.store.workspace import Workspace


@pytest.mark.slow
def test_demo_in_an_empty_folder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, cli) -> None:
    monkeypatch.delenv("KIZASHI_WORKSPACE", raising=False)
    monkeypatch.delenv("KIZASHI_DATABASE_URL", raising=False)
    monkeypatch.chdir(tmp_path)
    result = cli("demo")
    assert result.code == 0, result.err
    folder = tmp_path / "kizashi-workspace"
    assert (folder / "workspace.json").exists()
    status = cli("status", "--format", "json")
    assert status.code == 0
    counts = {row["kind"]: row["count"] for row in json.loads(status.out)}
    assert set(counts) == set(RECORD_KINDS)
    for kind, count in counts.items():
        assert count > 0, kind
    assert list((folder / "corpus" / "works").glob("part-*.parquet"))
    reports = list((folder / "reports").glob("*.html"))
    assert reports and all(path.stat().st_size > 0 for path in reports)
    # The main jobs run on the data: a matching workshop, partner screening against METI's lists, a risk card.
    workshop = (folder / "reports" / "match-workshop.html").read_text(encoding="utf-8")
    assert "倒壊建物" in workshop and "cordis:" in workshop
    sheet = openpyxl.load_workbook(folder / "reports" / "partner-screening.xlsx").active
    header, *rows = list(sheet.iter_rows(values_only=True))
    assert header[:3] == ("id", "name", "rank") and len(rows) > 1000
    ranked = [row[2] is not None for row in rows]
    assert ranked == sorted(ranked, reverse=True)  # alerts first
    assert "screened against Japan's export-ban designations" in result.out
    card = (folder / "reports" / "risk-card.html").read_text(encoding="utf-8")
    assert "リスク" in card
    assert "screen" in [e["action"] for e in audit.iter_events(Workspace.open(folder))]
    # A programme (goal, projects, the portfolio chosen, the roadmap drawn) and threat intelligence in a collection.
    portfolio = json.loads((folder / "reports" / "programme" / "portfolio.json").read_text(encoding="utf-8"))
    assert portfolio["chosen"] and portfolio["value"] > 0
    assert "クリティカルパス" in (folder / "reports" / "programme" / "roadmap.html").read_text(encoding="utf-8")
    listing = json.loads((folder / "reports" / "threat-intelligence.json").read_text(encoding="utf-8"))
    assert {"malware", "vulnerability", "attack-pattern"} <= {row["type"] for row in listing}
    assert {row["tlp"] for row in listing} <= {"AMBER"}
    # Running it again reloads the same data: nothing is duplicated.
    assert cli("demo").code == 0
    again = {row["kind"]: row["count"] for row in json.loads(cli("status", "--format", "json").out)}
    assert again == counts
    # The roadmap is stored and the portfolio run kept, once: an unchanged roadmap makes no second revision.
    stored = json.loads(cli("roadmap", "list", "--format", "json").out)
    assert [(row["id"], row["revision"], row["goal_id"]) for row in stored] == [("rm-flood", 1, "g-flood")]
    assert len(json.loads(cli("portfolio", "runs", "--format", "json").out)) == 1


@pytest.mark.slow
def test_demo_with_a_workspace_option_in_japanese(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, cli) -> None:
    monkeypatch.delenv("KIZASHI_DATABASE_URL", raising=False)
    monkeypatch.setenv("KIZASHI_LANG", "ja")
    result = cli("demo", "--workspace", tmp_path / "demo-ws")
    assert result.code == 0, result.err
    assert (tmp_path / "demo-ws" / "kizashi.sqlite").exists()
    # Each import line names its record kind in Japanese, and no English word is left in what the demo says
    # (file names, paths and the database's name aside).
    loaded = [line.strip() for line in result.out.splitlines() if "追加" in line]
    kinds = [line.split()[0] for line in loaded]
    assert kinds == ["技術", "脅威", "論文・プロジェクト", "シーズ", "ニーズ"], loaded
    # Ids (the goal, the sharing group, the collection) and the standards' own names (STIX, ATT&CK, KEV, TAXII, TLP
    # and its markings) are said as they are in Japanese too.
    words = re.sub(
        r"[\w./:-]+\.(csv|yaml|html|xlsx|json)|/\S+|cordis:\d+|sqlite|g-flood|demo-partners|\bics\b"
        r"|STIX|ATT&CK for ICS|CISA KEV|TAXII|TLP AMBER",
        "",
        result.out,
    )
    assert not re.search(r"[A-Za-z]{3,}", words), words
