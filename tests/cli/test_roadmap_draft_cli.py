"""`kizashi roadmap draft --technology ID [--start YYYY-MM] [--out FILE.yaml|.xlsx]`: YAML on the terminal that
`kizashi roadmap validate` passes, with its header in KIZASHI_LANG; a workbook that reads back with every item's
source; audited as a read or an export; a hidden technology, a bad month or a bad suffix refused with exit 2."""

from __future__ import annotations

import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
import yaml

sys.path.insert(0, str(Path(__file__).parents[1] / "grow"))
from draft_fixtures import SECRET_TITLE, build

from kizashi.grow.roadmap_model import read_roadmap
from kizashi.protect.people import actor_for as as_user
from kizashi.protect.people import add_user
from kizashi.store import audit
from kizashi.store.workspace import Workspace

Cli = Callable[..., Any]


@pytest.fixture
def evidence(workspace: Workspace, tmp_path: Path) -> Workspace:
    build(workspace, tmp_path)
    return workspace


def test_draft_prints_yaml_that_validates(
    evidence: Workspace, cli: Cli, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("KIZASHI_LANG", "en")
    done = cli("roadmap", "draft", "--technology", "flood", "--start", "2027-04")
    assert done.code == 0, done.err
    assert done.out.startswith("# A draft from the evidence you may read (kizashi roadmap draft flood)")
    document = yaml.safe_load(done.out)
    assert document["id"] == "draft-flood" and document["goal"] == "g-flood"
    assert all(item["source"] for item in document["items"]) and document["items"][0]["start"] == "2027-04"
    path = tmp_path / "draft.yaml"
    path.write_text(done.out, encoding="utf-8")
    checked = cli("roadmap", "validate", path)
    assert checked.code == 0 and "is valid" in checked.out, checked.out + checked.err
    monkeypatch.setenv("KIZASHI_LANG", "ja")
    said = cli("roadmap", "draft", "--technology", "flood")
    assert said.code == 0 and said.out.startswith("# 閲覧できる根拠から作った草案です")
    drafts = [e for e in audit.iter_events(evidence) if e["detail"].get("service") == "roadmap draft"]
    assert [(e["action"], e["detail"]["format"]) for e in drafts] == [("read", "yaml")] * 2


def test_draft_to_a_workbook_reads_back_with_its_sources(evidence: Workspace, cli: Cli, tmp_path: Path) -> None:
    out = tmp_path / "draft.xlsx"
    done = cli("roadmap", "draft", "--technology", "flood", "--start", "2027-04", "--out", out)
    assert done.code == 0, done.err
    roadmap = read_roadmap(out)
    assert roadmap.id == "draft-flood" and not roadmap.ignored
    assert all(item.source for item in roadmap.items)
    # the owner runs it, who may read the SECRET seed too
    assert next(item for item in roadmap.items if item.id == "N1").source == [
        "need:n1",
        "match-run:1",
        "seed:s1",
        "seed:s3",
    ]
    assert cli("roadmap", "validate", out).code == 0
    [event] = [e for e in audit.iter_events(evidence) if e["action"] == "export"]
    assert event["detail"]["file"] == str(out) and event["detail"]["format"] == "xlsx"


def test_a_reader_sees_only_what_they_may_read_and_hidden_is_missing(
    evidence: Workspace, cli: Cli, login_as: Callable[[str], None], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("KIZASHI_LANG", "en")
    add_user(evidence, as_user(evidence, "boss"), "boss", roles=["admin"])
    add_user(evidence, as_user(evidence, "boss"), "low", roles=["analyst"])  # PUBLIC
    login_as("low")
    done = cli("roadmap", "draft", "--technology", "flood")
    assert done.code == 0, done.err
    assert "s3" not in done.out and SECRET_TITLE not in done.out and "label: PUBLIC" in done.out
    hidden = cli("roadmap", "draft", "--technology", "hidden")
    missing = cli("roadmap", "draft", "--technology", "nowhere")
    assert hidden.code == missing.code == 2
    assert hidden.err.replace("hidden", "X") == missing.err.replace("nowhere", "X")


def test_bad_start_or_suffix_exits_2(evidence: Workspace, cli: Cli, tmp_path: Path) -> None:
    assert cli("roadmap", "draft", "--technology", "flood", "--start", "April").code == 2
    wrong = cli("roadmap", "draft", "--technology", "flood", "--out", tmp_path / "draft.txt")
    assert wrong.code == 2 and ".txt" in wrong.err and not (tmp_path / "draft.txt").exists()
