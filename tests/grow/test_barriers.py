"""The barriers register on both backends: added, removed by a named action once, listed and exported (CSV, XLSX)
to who may read each barrier, audited; and the open barriers that block a roadmap's items."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest
from openpyxl import load_workbook
from programme_fixtures import BOSS, MANAGER, reader

from kizashi.errors import AccessDenied, InputError, NotFound
from kizashi.grow import barriers
from kizashi.store import audit
from kizashi.store.workspace import Workspace


@pytest.fixture
def register(workspace: Workspace) -> Workspace:
    """b-open (PUBLIC, procurement, blocking T1 anywhere and T2 of rm-flood) and b-secret (SECRET, export control)."""
    barriers.add_barrier(
        workspace,
        BOSS,
        {
            "id": "b-open",
            "title": "自治体の調達枠がない",
            "kind": "procurement",
            "owner": "内閣府",
            "blocks": ["T1", "rm-flood/T2"],
            "label": "PUBLIC",
        },
    )
    barriers.add_barrier(
        workspace,
        BOSS,
        {"id": "b-secret", "title": "該非判定待ち", "kind": "export_control", "owner": "経済産業省", "label": "SECRET"},
    )
    return workspace


def test_barriers_are_listed_to_who_may_read_them(register: Workspace) -> None:
    assert [b["id"] for b in barriers.list_barriers(register, BOSS)] == ["b-open", "b-secret"]
    (shown,) = barriers.list_barriers(register, reader("CONFIDENTIAL"))
    assert (shown["id"], shown["kind"], shown["status"], shown["blocks"]) == (
        "b-open",
        "procurement",
        "open",
        ["T1", "rm-flood/T2"],
    )
    assert [b["id"] for b in barriers.list_barriers(register, BOSS, kind="export_control")] == ["b-secret"]
    with pytest.raises(InputError, match="unknown barrier kind"):
        barriers.list_barriers(register, BOSS, kind="tax")
    created = [e for e in audit.iter_events(register) if e["action"] == "create"]
    assert [e["records"] for e in created] == [["b-open"], ["b-secret"]]


def test_a_barrier_is_removed_once_by_a_named_action(register: Workspace) -> None:
    barriers.remove_barrier(register, MANAGER, "b-open", "新たな調達ガイドライン")
    (removed,) = barriers.list_barriers(register, BOSS, status="removed")
    assert (removed["id"], removed["action"], removed["removed_by"]) == ("b-open", "新たな調達ガイドライン", "reader")
    assert removed["removed_at"] is not None
    with pytest.raises(InputError, match="already removed"):
        barriers.remove_barrier(register, MANAGER, "b-open", "again")
    with pytest.raises(InputError, match="required value"):
        barriers.remove_barrier(register, MANAGER, "b-secret", " ")
    updates = [e for e in audit.iter_events(register) if e["action"] == "update"]
    assert [(e["records"], e["detail"]["status"]) for e in updates] == [(["b-open"], "removed")]


def test_a_hidden_barrier_answers_like_a_missing_one(register: Workspace) -> None:
    manager = reader("CONFIDENTIAL", roles=("programme_manager",))
    with pytest.raises(NotFound) as hidden:
        barriers.remove_barrier(register, manager, "b-secret", "x")
    with pytest.raises(NotFound) as missing:
        barriers.remove_barrier(register, manager, "b-none", "x")
    assert str(hidden.value).replace("b-secret", "X") == str(missing.value).replace("b-none", "X")
    assert barriers.list_barriers(register, BOSS, status="open")[1]["status"] == "open"


def test_only_programme_managers_add_or_remove(register: Workspace) -> None:
    analyst = reader("SECRET", roles=("analyst",))
    with pytest.raises(AccessDenied):
        barriers.add_barrier(register, analyst, {"title": "x", "kind": "talent", "owner": "y"})
    with pytest.raises(AccessDenied):
        barriers.remove_barrier(register, analyst, "b-open", "x")
    made = barriers.add_barrier(register, MANAGER, {"title": "技術者不足", "kind": "talent", "owner": "文部科学省"})
    assert made.startswith("barrier:")


def test_open_barriers_block_roadmap_items(register: Workspace) -> None:
    found = barriers.open_blocking(register, BOSS.clearance, ["T1", "T2", "T3"], roadmap="rm-flood")
    assert found == {"T1": ["b-open"], "T2": ["b-open"]}
    assert barriers.open_blocking(register, BOSS.clearance, ["T1", "T2"], roadmap="rm-other") == {"T1": ["b-open"]}
    assert barriers.open_blocking(register, reader("PUBLIC").clearance, ["T1"]) == {"T1": ["b-open"]}
    barriers.remove_barrier(register, BOSS, "b-open", "解消")
    assert barriers.open_blocking(register, BOSS.clearance, ["T1", "T2"], roadmap="rm-flood") == {}


def test_barrier_commands_and_exports(
    register: Workspace, cli: object, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    run = cli
    added = run(  # type: ignore[operator]
        "barrier", "add", "--title", "安全基準が未整備", "--kind", "standards", "--owner", "国土交通省",
        "--blocks", "T4", "--id", "b-std",
    )  # fmt: skip
    assert added.code == 0, added.err
    assert run("barrier", "add", "--title", "x", "--kind", "tax", "--owner", "y").code == 2  # type: ignore[operator]
    assert run("barrier", "remove", "b-std", "--action", "JIS 制定").code == 0  # type: ignore[operator]
    assert run("barrier", "remove", "b-std", "--action", "again").code == 2  # type: ignore[operator]
    out = tmp_path / "barriers.xlsx"
    exported = run("barrier", "export", "--out", out)  # type: ignore[operator]
    assert exported.code == 0, exported.err
    sheet = load_workbook(out).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][:5] == ("id", "title", "kind", "owner", "status")
    assert [r[0] for r in rows[1:]] == ["b-open", "b-secret", "b-std"]
    monkeypatch.setenv("KIZASHI_LANG", "ja")
    out_csv = tmp_path / "barriers.csv"
    assert run("barrier", "export", "--format", "csv", "--out", out_csv, "--status", "removed").code == 0  # type: ignore[operator]
    with out_csv.open(encoding="utf-8") as handle:
        (row,) = list(csv.DictReader(handle))
    assert (row["id"], row["kind"], row["status"], row["action"]) == ("b-std", "標準", "解消済み", "JIS 制定")
    assert run("barrier", "export", "--format", "json", "--out", out_csv).code == 2  # type: ignore[operator]
    exports = [e for e in audit.iter_events(register) if e["action"] == "export"]
    assert [e["detail"]["format"] for e in exports] == ["xlsx", "csv"]


def test_roadmap_validation_warns_about_items_an_open_barrier_blocks(
    register: Workspace, cli: object, tmp_path: Path
) -> None:
    import json

    import yaml

    item = {"lane": "technology", "title_ja": "予測", "start": "2027-04", "end": "2027-09"}
    roadmap = {"id": "rm-flood", "items": [{"id": "T2", **item}, {"id": "T3", **item}]}
    path = tmp_path / "roadmap.yaml"
    path.write_text(yaml.safe_dump(roadmap, allow_unicode=True), encoding="utf-8")
    checked = cli("roadmap", "validate", path, "--format", "json")  # type: ignore[operator]
    assert checked.code == 0, checked.err
    found = json.loads(checked.out)["findings"]
    assert [(f["code"], f["items"]) for f in found] == [("blocked_by_open_barrier", ["T2"])]
    assert "b-open" in found[0]["message"]
    barriers.remove_barrier(register, BOSS, "b-open", "解消")
    assert json.loads(cli("roadmap", "validate", path, "--format", "json").out)["findings"] == []  # type: ignore[operator]
