"""The programme pages: the goals one may read with their projects, and a goal's dashboard (status by the rule of
docs/programmes.md, budget, TRL, next gates, open barriers, the roadmap); a hidden goal answers like a missing one."""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient
from hypothesis import given
from hypothesis import strategies as st

from conftest import as_user, masked
from kizashi.grow import barriers, gates, goals
from kizashi.grow.dashboard import ROADMAP_FOLDER, STATUSES, dashboard, planned_trl, roadmap_label, status_of
from kizashi.grow.roadmap_model import Item, Roadmap
from kizashi.ingest.dispatch import ingest
from kizashi.policy import Label
from kizashi.store.workspace import Workspace
from kizashi.web.i18n import MESSAGES
from kizashi.web.i18n_programme import PROGRAMME_MESSAGES

TODAY = datetime.now(UTC).date()


def _month(offset: int) -> str:
    """The month `offset` months from this one, as a roadmap writes it."""
    number = TODAY.year * 12 + TODAY.month - 1 + offset
    return f"{number // 12:04d}-{number % 12 + 1:02d}"


def _item(item_id: str, start: int, end: int, trl: tuple[int, int] | None = (3, 6)) -> Item:
    values: dict[str, Any] = {"id": item_id, "lane": "programme", "title_ja": "項目", "start": _month(start)}
    values["end"] = _month(end)
    if trl:
        values["trl"] = {"from": trl[0], "to": trl[1]}
    return Item.model_validate(values)


def _decision(outlook: str = "a", achieved: str = "a", at: datetime | None = None) -> dict[str, Any]:
    return {"gate": "G1", "decision": "go", "achieved": achieved, "outlook": outlook, "at": at or datetime.now(UTC)}


# ── the status rule (pure) ─────────────────────────────────────────────────────────────────────────────────────


@pytest.mark.parametrize(
    ("state", "decisions", "trl", "items", "expected", "codes"),
    [
        ("active", [], None, [], "on_track", []),
        ("active", [_decision("a")], 5, [_item("P", -12, 12)], "on_track", []),
        ("active", [_decision("b")], None, [], "at_risk", ["outlook_b"]),
        ("active", [_decision("a", "c")], None, [], "at_risk", ["achieved_c"]),
        ("active", [_decision("c")], None, [], "off_track", ["outlook_c"]),
        ("on_hold", [], None, [], "at_risk", ["status_on_hold"]),
        ("stopped", [], None, [], "off_track", ["stopped"]),
        # a gate due at the end of an item that no decision since its start held
        ("active", [], 6, [_item("P", -24, -1)], "at_risk", ["gate_overdue"]),
        ("active", [], 6, [_item("P", -24, -3)], "off_track", ["gate_overdue_long"]),
        ("active", [_decision("a")], 6, [_item("P", -24, -3)], "on_track", []),
        # TRL against the plan (3 → 6 over the item: 6 by its end)
        ("active", [_decision()], 5, [_item("P", -24, -1)], "at_risk", ["trl_behind"]),
        ("active", [_decision()], 4, [_item("P", -24, -1)], "off_track", ["trl_behind_far"]),
        ("active", [], None, [_item("P", -24, 0)], "at_risk", ["trl_unassessed"]),
    ],
)
def test_the_status_rule(
    state: str, decisions: list[dict[str, Any]], trl: int | None, items: list[Item], expected: str, codes: list[str]
) -> None:
    status, findings, _ = status_of({"status": state}, decisions, trl, items, TODAY)
    assert status == expected
    assert [f.code for f in findings] == codes


@given(
    st.sampled_from(goals.PROJECT_STATUSES),
    st.lists(st.tuples(st.sampled_from("abc"), st.sampled_from("abc")), max_size=3),
    st.none() | st.integers(1, 9),
    st.integers(-40, 10),
    st.integers(0, 30),
)
def test_the_worst_finding_decides(
    state: str, ratings: list[tuple[str, str]], trl: int | None, start: int, length: int
) -> None:
    decisions = [_decision(outlook, achieved, datetime(2020, 1, 1, tzinfo=UTC)) for achieved, outlook in ratings]
    status, findings, next_gate = status_of(
        {"status": state}, decisions, trl, [_item("P", start, start + length)], TODAY
    )
    worst = max((STATUSES.index(f.severity) for f in findings), default=0)
    assert status == STATUSES[worst]
    assert (status == "on_track") == (not findings)
    if state in ("stopped", "completed"):
        assert next_gate is None


@given(st.integers(1, 9), st.integers(1, 9), st.integers(-30, 30), st.integers(0, 40))
def test_the_planned_trl_stays_between_its_ends(low: int, high: int, start: int, length: int) -> None:
    low, high = min(low, high), max(low, high)
    item = _item("P", start, start + length, (low, high))
    planned = planned_trl(item, TODAY)
    assert planned is not None and low <= planned <= high
    assert planned == (high if start + length < 0 else low if start >= 0 else planned)


# ── the pages ──────────────────────────────────────────────────────────────────────────────────────────────────

ROADMAP = """id: rm-g1
title_ja: 洪水早期警戒のロードマップ
title_en: Flood warning roadmap
goal: g1
label: PUBLIC
items:
  - {{id: P-ok, lane: programme, title_ja: 順調な研究, start: {a}, end: {b}, trl: {{from: 3, to: 6}}}}
  - {{id: P-late, lane: programme, title_ja: 遅れた研究, start: {c}, end: {d}, trl: {{from: 2, to: 5}}}}
  - {{id: B1, lane: barrier, title_ja: 調達の障壁, start: {a}, end: {b}, owner: 内閣府, kind: procurement}}
"""


@pytest.fixture
def programme(web_workspace: Workspace, tmp_path: Path) -> Workspace:
    """Goal g1 (PUBLIC) with projects on track, at risk, off track and stopped, budgets and a roadmap; goal g2
    (CONFIDENTIAL, alpha) that `low` may not read."""
    boss = as_user(web_workspace, "boss")
    threats = tmp_path / "threats.csv"
    threats.write_text(
        "id,category,name_en,name_ja,label,compartments\n"
        "open-threat,disaster,River floods,河川の氾濫,PUBLIC,\n"
        "secret-threat,cyber,Attack on grid control,電力制御系への攻撃,CONFIDENTIAL,alpha\n",
        encoding="utf-8",
    )
    ingest(web_workspace, boss, "threats", [threats])
    for goal_id, threat, label in (("g1", "open-threat", "PUBLIC"), ("g2", "secret-threat", "CONFIDENTIAL")):
        values = {
            "id": goal_id,
            "title_ja": "洪水の早期警戒" if goal_id == "g1" else "制御系の防護",
            "title_en": "Early flood warning" if goal_id == "g1" else "Grid control defence",
            "threats": [threat],
            "capability": "6 時間先の河川水位予測",
            "target_date": "2030-03-31",
            "target": "全国の市町村の 9 割が 6 時間前に警報を出せる",
            "label": label,
        }
        goals.add_goal(web_workspace, boss, values, [])
    projects = {
        "P-ok": ({"2027": 30, "2028": 20}, "a"),
        "P-risk": ({"2027": 10}, "b"),
        "P-off": ({}, "c"),
        "P-late": ({}, None),
        "P-stop": ({"2026": 5, "2027": 40, "2028": 40}, None),
    }
    for project_id, (budget, outlook) in projects.items():
        goals.add_project(
            web_workspace,
            boss,
            "g1",
            {"id": project_id, "title": f"研究 {project_id}", "manager": "hana", "budget": budget},
        )
        if outlook:
            decision = "go" if outlook != "c" else "hold"
            gates.decide(
                web_workspace, boss, project_id, decision, achieved="a", outlook=outlook, reason="中間評価",
                reviewers=["外部委員 A"], gate="中間評価",
            )  # fmt: skip
    gates.decide(
        web_workspace, boss, "P-stop", "kill", achieved="c", outlook="c", reason="目標に届かない", reviewers=["委員"]
    )
    gates.assess(web_workspace, boss, "project", "P-ok", 6, evidence="実証試験")
    goals.add_project(web_workspace, boss, "g2", {"id": "P-secret", "title": "制御系防護", "manager": "ken"})
    barriers.add_barrier(
        web_workspace,
        boss,
        {"id": "bar-1", "title": "調達規則", "kind": "procurement", "owner": "内閣府", "blocks": ["P-ok"]},
    )
    folder = web_workspace.path / ROADMAP_FOLDER
    folder.mkdir()
    (folder / "rm-g1.yaml").write_text(
        ROADMAP.format(a=_month(-12), b=_month(6), c=_month(-24), d=_month(-5)), encoding="utf-8"
    )
    return web_workspace


def _statuses(page: str) -> dict[str, str]:
    return dict(re.findall(r'<tr id="project-([\w-]+)" data-status="(\w+)"', page))


def test_the_dashboard_shows_projects_by_status(programme: Workspace, browser: Callable[[str], TestClient]) -> None:
    page = browser("boss").get("/programmes/g1?lang=en")
    assert page.status_code == 200, page.text
    assert _statuses(page.text) == {
        "P-ok": "on_track",
        "P-risk": "at_risk",
        "P-off": "off_track",
        "P-late": "off_track",  # its gate five months overdue, TRL unassessed
        "P-stop": "off_track",
    }
    assert 'data-reason="gate_overdue_long"' in page.text and 'data-reason="trl_unassessed"' in page.text
    # budget: the kill released the stopped project's later years
    found = dashboard(programme, as_user(programme, "boss"), "g1")
    lines = {line["year"]: line for line in found["budget"]}
    assert lines["2027"]["planned"] == 80 and lines["2027"]["committed"] == 40 and lines["2026"]["released"] == 0
    assert '<svg id="trl-chart"' in page.text and '<g data-project="P-ok" data-trl="6">' in page.text
    assert 'id="roadmap"' in page.text and "Flood warning roadmap" in page.text
    assert '<tr id="barrier-bar-1">' in page.text and "<td>P-ok</td>" in page.text
    assert [g["project"] for g in found["next_gates"]] == ["P-late", "P-ok"]


def test_the_goals_list_their_projects_and_the_menu_leads_there(
    programme: Workspace, browser: Callable[[str], TestClient]
) -> None:
    boss, low = browser("boss").get("/programmes").text, browser("low").get("/programmes").text
    assert 'href="/programmes/g1"' in boss and 'href="/programmes/g2"' in boss and 'id="project-P-secret"' in boss
    assert 'href="/programmes/g1"' in low and "g2" not in low and "P-secret" not in low
    assert 'id="nav-programmes"' in browser("low").get("/").text


def test_a_hidden_goal_answers_like_a_missing_one(programme: Workspace, browser: Callable[[str], TestClient]) -> None:
    low = browser("low")
    hidden, missing = low.get("/programmes/g2"), low.get("/programmes/no-such-goal")
    assert hidden.status_code == missing.status_code == 404
    assert masked(hidden.text, "g2") == masked(missing.text, "no-such-goal")
    assert browser("ana").get("/programmes/g2").status_code == 200


def test_a_roadmap_above_the_reader_is_not_shown(programme: Workspace, browser: Callable[[str], TestClient]) -> None:
    path = programme.path / ROADMAP_FOLDER / "rm-g1.yaml"
    path.write_text(path.read_text(encoding="utf-8").replace("label: PUBLIC", "label: SECRET"), encoding="utf-8")
    assert 'id="roadmap-empty"' in browser("low").get("/programmes/g1").text
    assert 'id="roadmap"' in browser("boss").get("/programmes/g1").text


def test_the_dashboard_speaks_japanese(programme: Workspace, browser: Callable[[str], TestClient]) -> None:
    page = browser("boss").get("/programmes/g1?lang=ja").text
    for word in (
        "順調",
        "要注意",
        "遅延・不調",
        "次のゲート",
        "未解消の障壁",
        "計画額",
        "洪水早期警戒のロードマップ",
        "中止（Kill）",
    ):
        assert word in page, word
    for english in ("On track", "At risk", "Off track", "Next gates", "Open barriers", "Planned", "months overdue"):
        assert english not in page, english


def test_every_programme_message_has_both_languages() -> None:
    for key, (ja, en) in PROGRAMME_MESSAGES.items():
        assert ja and en and MESSAGES[key] == (ja, en), key
        assert set(re.findall(r"\{(\w+)\}", ja)) == set(re.findall(r"\{(\w+)\}", en)), key


@pytest.mark.parametrize(
    ("given", "expected"),
    [
        (None, Label("INTERNAL")),
        ("PUBLIC", Label("PUBLIC")),
        ("secret [nuclear, space]", Label("SECRET", frozenset({"nuclear", "space"}))),
        ("TOPSECRET", None),
        ("SECRET [", None),
    ],
)
def test_a_roadmap_label_is_read_or_shown_to_nobody(given: str | None, expected: Label | None) -> None:
    roadmap = Roadmap.model_validate(
        {"id": "rm", "label": given, "items": [_item("P", 0, 1).model_dump(by_alias=True)]}
    )
    assert roadmap_label(roadmap) == expected
