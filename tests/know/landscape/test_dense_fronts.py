"""Research fronts from a dense model's document vectors (`kizashi scan --dense-model`): works that share no word
but mean the same thing form one front, which TF-IDF/LSA cannot see; a work in a language the model does not read
sends the scan back to TF-IDF/LSA, and the report says so."""

from __future__ import annotations

import csv
import json
from pathlib import Path
from typing import Any

import pytest

from kizashi.store.workspace import Workspace

# Words to which the `static_model` fixture (tests/know/conftest.py) gives one direction per group.
MEANINGS = (
    ("drone", "uav", "unmanned"),
    ("survivors", "victims", "rubble", "earthquake"),
    ("malware", "network", "intrusion", "ransomware"),
)
TAXONOMY = "technologies:\n  - {id: robots, parent: null, name_en: Robotics, name_ja: ロボット}\n"


def _works(folder: Path, *, japanese: bool = False) -> Path:
    """Twelve works per meaning; each names one word of its meaning and words of its own (which no other work has),
    so no two works of a meaning need share a word."""
    lines = []
    number = 0
    for group in MEANINGS:
        for i in range(12):
            number += 1
            word = group[i % len(group)]
            title = f"{word} qz{number}a qz{number}b"
            if japanese and number == 1:
                title = "ドローン 研究"
            lines.append(
                json.dumps(
                    {
                        "id": f"https://openalex.org/W{900000 + number}",
                        "display_name": title,
                        "publication_year": 2015 + i % 8,
                        "type": "article",
                    },
                    ensure_ascii=False,
                )
            )
    path = folder / ("works-ja.jsonl" if japanese else "works.jsonl")
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def _fronts(out: Path) -> list[set[str]]:
    members: dict[str, set[str]] = {}
    with (out / "front_works.csv").open(encoding="utf-8", newline="") as handle:
        for row in csv.DictReader(handle):
            members.setdefault(row["front"], set()).add(row["work_id"])
    return sorted(members.values(), key=min)


def _meaning_of(work_id: str) -> int:
    return (int(work_id.rsplit("W", 1)[1]) - 900001) // 12


def test_a_dense_model_finds_the_fronts_that_share_no_words(
    workspace: Workspace, cli: Any, static_model: Path, tmp_path: Path
) -> None:
    (tmp_path / "taxonomy.yaml").write_text(TAXONOMY, encoding="utf-8")
    assert cli("ingest", "technologies", tmp_path / "taxonomy.yaml").code == 0
    assert cli("ingest", "works", _works(tmp_path)).code == 0

    dense = cli("scan", "--out", tmp_path / "dense", "--dense-model", static_model)
    assert dense.code == 0, dense.err
    fronts = _fronts(tmp_path / "dense")
    assert len(fronts) == 3
    for members in fronts:
        assert len(members) == 12 and len({_meaning_of(work_id) for work_id in members}) == 1
    notes = json.loads((tmp_path / "dense" / "scan.json").read_text(encoding="utf-8"))["notes"]
    assert {"note": "note_dense_fronts", "model": static_model.name} in notes

    lexical = cli("scan", "--out", tmp_path / "lexical", "--no-dense")
    assert lexical.code == 0, lexical.err
    assert _fronts(tmp_path / "lexical") != fronts


def test_a_work_the_model_cannot_read_sends_the_scan_back_to_tf_idf(
    workspace: Workspace, cli: Any, static_model: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (tmp_path / "taxonomy.yaml").write_text(TAXONOMY, encoding="utf-8")
    assert cli("ingest", "technologies", tmp_path / "taxonomy.yaml").code == 0
    assert cli("ingest", "works", _works(tmp_path, japanese=True)).code == 0
    monkeypatch.setenv("KIZASHI_MATCH_DENSE_MODEL", str(static_model))  # configured, not named on the command line
    result = cli("scan", "--out", tmp_path / "out", "--lang", "en")
    assert result.code == 0, result.err
    notes = json.loads((tmp_path / "out" / "scan.json").read_text(encoding="utf-8"))["notes"]
    assert {"note": "note_dense_languages", "works": 1, "languages": "en"} in notes
    report = (tmp_path / "out" / "report.html").read_text(encoding="utf-8")
    assert "1 works are in a language the dense model does not read (en)" in report
    lexical = cli("scan", "--out", tmp_path / "lexical", "--no-dense")
    assert lexical.code == 0, lexical.err
    assert _fronts(tmp_path / "out") == _fronts(tmp_path / "lexical")

    monkeypatch.setenv("KIZASHI_MATCH_DENSE_LANGUAGES", "en,ja")  # a model that reads both
    both = cli("scan", "--out", tmp_path / "both")
    assert both.code == 0, both.err
    assert len(_fronts(tmp_path / "both")) == 3
