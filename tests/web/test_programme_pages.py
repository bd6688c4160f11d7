"""The programme pages: the goals one may read with their projects, and a goal's dashboard (status by the rule of
docs/programmes.md, budget, TRL, next gates, open barriers, the roadmap); a hidden goal answers like a missing one."""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient
from hypothesis import given
from hypothesis import strategies as st
from test_browser import Browser, BrowserPool, browser_pool, new_browser, server  # noqa: F401 (fixtures)
from test_layout import BADGES, DESKTOP, MEASURE

from conftest import PASSWORD, as_user, masked, page_csrf
from kizashi.grow import barriers, gates, goals
from kizashi.grow.dashboard import (
    STATUSES,
    dashboard,
    planned_trl,
    project_items,
    project_page,
    roadmap_label,
    status_of,
)
from kizashi.grow.portfolio_model import load
from kizashi.grow.roadmap_model import Item, Roadmap, read_roadmap
from kizashi.grow.roadmaps import save_roadmap
from kizashi.ingest.dispatch import ingest
from kizashi.policy import Label
from kizashi.protect import people
from kizashi.report.demo_programme import PROGRAMME as DEMO_PROGRAMME
from kizashi.store.workspace import Workspace
from kizashi.web.api.programme import dashboard_out
from kizashi.web.i18n import MESSAGES
from kizashi.web.i18n_programme import PROGRAMME_MESSAGES
from kizashi.web.pages.programme import LABEL_FONT, fitted, text_width

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
    _save_roadmap(web_workspace, tmp_path, ROADMAP.format(a=_month(-12), b=_month(6), c=_month(-24), d=_month(-5)))
    return web_workspace


def _save_roadmap(workspace: Workspace, folder: Path, text: str) -> None:
    """The goal's roadmap stored as a record (grow/roadmaps.py), as `kizashi roadmap save` would."""
    path = folder / "roadmap.yaml"
    path.write_text(text, encoding="utf-8")
    save_roadmap(workspace, as_user(workspace, "boss"), read_roadmap(path))


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


def test_a_roadmap_above_the_reader_is_not_shown(
    programme: Workspace, browser: Callable[[str], TestClient], tmp_path: Path
) -> None:
    text = ROADMAP.format(a=_month(-12), b=_month(6), c=_month(-24), d=_month(-5)).replace("PUBLIC", "SECRET")
    _save_roadmap(programme, tmp_path, text)
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


# ── the forms, the project page, the API (issue 17 items 1, 4, 6) ─────────────────────────────────────────────


GOAL = {
    "id": "g-new",
    "title_ja": "内水氾濫の予測",
    "title_en": "Forecasting urban floods",
    "capability": "1 時間先の内水位予測",
    "target_date": "2031-03-31",
    "target": "政令市の 8 割が内水氾濫を 1 時間前に知らせる",
    "label": "",
}


def _goal_ids(workspace: Workspace) -> set[str]:
    return {g["id"] for g in goals.list_goals(workspace, as_user(workspace, "boss"))}


def test_the_goal_form_stores_a_goal(programme: Workspace, browser: Callable[[str], TestClient]) -> None:
    boss = browser("boss")
    form = boss.get("/programmes/new?lang=ja")
    assert form.status_code == 200
    # The threats to pick are the register's, by name, the ones above the reader left out for `low` below.
    assert 'value="open-threat"' in form.text and "河川の氾濫" in form.text and "電力制御系への攻撃" in form.text
    answer = boss.post(
        "/programmes/new",
        data={**GOAL, "threats": ["open-threat"], "csrf_token": page_csrf(form.text)},
        follow_redirects=False,
    )
    assert answer.status_code == 303 and answer.headers["location"] == "/programmes/g-new"
    shown = goals.show_goal(programme, as_user(programme, "boss"), "g-new")["goal"]
    assert shown["threats"] == ["open-threat"] and shown["title_en"] == "Forecasting urban floods"
    assert str(shown["target_date"]) == "2031-03-31"
    page = boss.get("/programmes/g-new?lang=en").text
    assert 'href="/threats/open-threat"' in page and "River floods" in page


@pytest.mark.parametrize(
    ("change", "field", "japanese"),
    [
        ({"target_date": ""}, "target_date", "必須"),
        ({"target_date": "2031-02-30"}, "target_date", None),
        ({"title_ja": ""}, "title_ja", "必須"),
        ({"threats": []}, "threats", None),
        ({"threats": ["secret-threat"]}, "threats", None),  # above `ana`'s compartments: refused like a missing one
        ({"id": "g1"}, "id", None),  # taken
    ],
)
def test_an_invalid_goal_is_refused_beside_its_field_and_nothing_is_stored(
    programme: Workspace,
    browser: Callable[[str], TestClient],
    change: dict[str, Any],
    field: str,
    japanese: str | None,
) -> None:
    people.add_user(programme, as_user(programme, "boss"), "pm", roles=["programme_manager"])
    people.set_password(programme, as_user(programme, "boss"), "pm", PASSWORD)
    people.grant(programme, as_user(programme, "boss"), "pm", "INTERNAL")
    before = _goal_ids(programme)
    pm = browser("pm")
    form = pm.get("/programmes/new?lang=ja").text
    assert "電力制御系への攻撃" not in form  # a threat above the reader is not offered
    values = {**GOAL, "threats": ["open-threat"], **change}
    answer = pm.post("/programmes/new", data={**values, "csrf_token": page_csrf(form)})
    assert answer.status_code == 400, answer.text
    error = re.search(rf'<span class="field-error" id="error-{field}" role="alert">([^<]+)</span>', answer.text)
    assert error, answer.text
    assert re.search(r"[\u3040-\u30ff\u4e00-\u9fff]", error.group(1)), error.group(1)  # said in Japanese
    if japanese:
        assert japanese in error.group(1)
    assert 'id="form-error"' in answer.text
    assert _goal_ids(programme) == before
    # What was typed stays in the form.
    assert "政令市の 8 割" in answer.text or field == "target"


def test_only_programme_managers_get_the_forms(programme: Workspace, browser: Callable[[str], TestClient]) -> None:
    low = browser("low")
    form = low.get("/programmes/new")
    assert form.status_code == 403 and 'id="may-not"' in form.text and 'id="goal-form"' not in form.text
    posted = low.post("/programmes/new", data={**GOAL, "threats": ["open-threat"], "csrf_token": page_csrf(form.text)})
    assert posted.status_code == 403 and _goal_ids(programme) == {"g1", "g2"}
    assert 'id="new-goal"' not in low.get("/programmes").text
    assert 'id="new-goal"' in browser("boss").get("/programmes").text
    # No CSRF token: refused before anything is read.
    assert browser("boss").post("/programmes/new", data={**GOAL, "threats": ["open-threat"]}).status_code == 403
    assert _goal_ids(programme) == {"g1", "g2"}


def test_a_proposal_answers_the_nine_heilmeier_questions(
    programme: Workspace, browser: Callable[[str], TestClient]
) -> None:
    boss = browser("boss")
    form = boss.get("/programmes/g1/proposals/new?lang=ja")
    assert form.status_code == 200
    for question in goals.HEILMEIER:
        assert f'name="{question}"' in form.text and MESSAGES[f"heilmeier_{question}"][0] in form.text
    answers = {question: f"{question} の答え" for question in goals.HEILMEIER}
    missing = boss.post(
        "/programmes/g1/proposals/new",
        data={"title": "レーダ雨量", **answers, "risks": "", "csrf_token": page_csrf(form.text)},
    )
    assert missing.status_code == 400 and 'id="error-risks"' in missing.text
    assert goals.show_goal(programme, as_user(programme, "boss"), "g1")["proposals"] == []
    stored = boss.post(
        "/programmes/g1/proposals/new",
        data={"id": "pr-1", "title": "レーダ雨量", **answers, "csrf_token": page_csrf(form.text)},
        follow_redirects=False,
    )
    assert stored.status_code == 303
    (proposal,) = goals.show_goal(programme, as_user(programme, "boss"), "g1")["proposals"]
    assert proposal["id"] == "pr-1" and proposal["final_exam"] == "final_exam の答え"
    page = boss.get("/programmes/g1").text
    assert 'id="proposal-pr-1"' in page and "midterm_exam の答え" in page
    # Under a goal one may not read: a 404 like a missing goal.
    low = browser("low")
    assert low.get("/programmes/g2/proposals/new").status_code == low.get("/programmes/nope/proposals/new").status_code
    assert low.get("/programmes/g2/proposals/new").status_code == 404


def test_the_project_page(programme: Workspace, browser: Callable[[str], TestClient]) -> None:
    gates.assess(programme, as_user(programme, "boss"), "project", "P-ok", 4, evidence="要素試験")
    gates.assess(programme, as_user(programme, "boss"), "project", "P-ok", 6, evidence="実証試験 2")
    page = browser("boss").get("/programmes/projects/P-ok?lang=ja")
    assert page.status_code == 200, page.text
    text = page.text
    assert 'id="project-status" data-status="on_track"' in text and "status-on_track" in text
    assert '<tr data-year="2027"><td>2027</td><td>30.0</td>' in text
    assert "中間評価" in text and "外部委員 A" in text and "継続（Go）" in text and "b（概ね）" in text
    assert text.count("<circle ") == 3 and '<svg id="trl-history"' in text  # three assessments drawn
    assert '<tr id="item-P-ok">' in text and "順調な研究" in text
    assert '<tr id="barrier-bar-1">' in text  # it blocks P-ok's item
    assert 'id="gate-form"' in text  # boss may decide
    found = project_page(programme, as_user(programme, "boss"), "P-ok")
    assert [a["trl"] for a in found["trl_history"]] == [6, 4, 6] and found["trl_target"] == 6
    stopped = browser("boss").get("/programmes/projects/P-stop").text
    assert "中止（Kill）" in stopped and 'id="gate-form"' not in stopped  # a killed project takes no decision
    assert 'id="gate-form"' not in browser("ana").get("/programmes/projects/P-ok").text


def test_a_hidden_project_answers_like_a_missing_one(
    programme: Workspace, browser: Callable[[str], TestClient]
) -> None:
    low = browser("low")
    hidden, missing = low.get("/programmes/projects/P-secret"), low.get("/programmes/projects/no-such")
    assert hidden.status_code == missing.status_code == 404
    assert masked(hidden.text, "P-secret") == masked(missing.text, "no-such")
    assert browser("ana").get("/programmes/projects/P-secret").status_code == 200


def _decisions(workspace: Workspace, project_id: str) -> int:
    return len(gates.gate_history(workspace, as_user(workspace, "boss"), project_id))


def test_a_gate_decision_from_the_project_page(programme: Workspace, browser: Callable[[str], TestClient]) -> None:
    boss = browser("boss")
    token = page_csrf(boss.get("/programmes/projects/P-risk").text)
    base = {"csrf_token": token, "gate": "最終評価", "achieved": "a", "outlook": "a", "reason": "目標達成"}
    # go with a must-meet criterion unmet: refused by the gate rule, beside the decision, nothing stored
    refused = boss.post(
        "/programmes/projects/P-risk/gate?lang=ja",
        data={**base, "decision": "go", "reviewers": "委員 A", "must_met": "精度 90 %", "must_unmet": "現地試験"},
    )
    assert refused.status_code == 400 and 'id="error-decision"' in refused.text and "現地試験" in refused.text
    no_reviewer = boss.post("/programmes/projects/P-risk/gate", data={**base, "decision": "go", "reviewers": " "})
    assert no_reviewer.status_code == 400 and 'id="error-reviewer"' in no_reviewer.text
    assert _decisions(programme, "P-risk") == 1
    stored = boss.post(
        "/programmes/projects/P-risk/gate",
        data={**base, "decision": "go", "reviewers": "委員 A\n委員 B", "must_met": "精度 90 %"},
        follow_redirects=False,
    )
    assert stored.status_code == 303
    last = gates.gate_history(programme, as_user(programme, "boss"), "P-risk")[-1]
    assert last["gate"] == "最終評価" and last["reviewers"] == ["委員 A", "委員 B"]
    assert last["must_meet"] == [{"criterion": "精度 90 %", "met": True}]
    # an analyst may read the project, not decide
    ana = browser("ana")
    denied = ana.post(
        "/programmes/projects/P-risk/gate",
        data={**base, "csrf_token": page_csrf(ana.get("/").text), "decision": "go", "reviewers": "委員"},
    )
    assert denied.status_code == 403 and 'id="may-not-decide"' in denied.text
    assert _decisions(programme, "P-risk") == 2
    # a project one may not read: 404 as a missing one, nothing stored
    low = browser("low")
    token = page_csrf(low.get("/").text)
    hidden = low.post("/programmes/projects/P-secret/gate", data={**base, "csrf_token": token, "decision": "go"})
    assert hidden.status_code == 404


def test_the_dashboard_api_answers_what_the_page_shows(
    programme: Workspace, browser: Callable[[str], TestClient]
) -> None:
    boss = browser("boss")
    answer = boss.get("/api/programmes/g1/dashboard")
    assert answer.status_code == 200, answer.text
    body = answer.json()
    expected = dashboard_out(dashboard(programme, as_user(programme, "boss"), "g1")).model_dump(mode="json")
    assert body == expected
    assert {p["id"]: p["dashboard_status"] for p in body["projects"]} == _statuses(boss.get("/programmes/g1").text)
    assert body["roadmap"]["id"] == "rm-g1" and "P-ok" in {i["id"] for i in body["roadmap"]["items"]}
    assert body["threats"] == [
        {"id": "open-threat", "name_ja": "河川の氾濫", "name_en": "River floods", "readable": True}
    ]
    low = browser("low")
    hidden, missing = low.get("/api/programmes/g2/dashboard"), low.get("/api/programmes/nope/dashboard")
    assert hidden.status_code == missing.status_code == 404
    assert hidden.json()["error"]["code"] == missing.json()["error"]["code"] == "not_found"
    assert TestClient(boss.app).get("/api/programmes/g1/dashboard").status_code == 401


def test_the_charts_scale_and_fit_their_labels(programme: Workspace, browser: Callable[[str], TestClient]) -> None:
    page = browser("boss").get("/programmes/g1").text
    roadmap = re.search(r'<div class="table-wrap" id="roadmap"><svg [^>]*>', page)
    assert roadmap and 'width="100%"' in roadmap.group(0) and "viewBox=" in roadmap.group(0)
    assert 'height="' not in roadmap.group(0).split("viewBox")[0]


@given(st.text(min_size=0, max_size=60), st.integers(20, 300))
def test_a_fitted_title_fits_and_keeps_its_beginning(title: str, width: int) -> None:
    short = fitted(title, width)
    if short == title:
        assert text_width(title, LABEL_FONT) <= width
    else:
        assert short.endswith("…") and title.startswith(short[:-1])
        assert text_width(short, LABEL_FONT) <= width or short == "…"


@pytest.mark.slow
def test_the_dashboard_and_a_project_in_chromium_in_japanese(
    programme: Workspace,
    new_browser: Callable[[], Browser],  # noqa: F811
) -> None:
    """Drawn by a real Chromium at a desktop's width, in Japanese: nothing cut (the layout test's measure, which
    checks every SVG label against the part of its chart one sees), the statuses coloured, the threat named."""
    boss = new_browser()
    boss.log_in("boss")
    boss.driver.set_window_size(DESKTOP, 1000)
    boss.open("/programmes/g1?lang=ja")
    boss.until(lambda: boss.all("#roadmap svg text"), "the roadmap drawn")
    assert boss.find("html").get_attribute("lang") == "ja"
    assert boss.text("#goal-threats a") == "河川の氾濫"
    problems = boss.driver.execute_script(MEASURE, boss.driver.execute_script("return window.innerWidth"), BADGES)
    assert problems == [], problems
    colours = {
        status: boss.driver.execute_script(
            "const el = document.querySelector(arguments[0]); const s = getComputedStyle(el);"
            "return [s.color, s.backgroundColor];",
            f"#projects .status-{status}",
        )
        for status in STATUSES
    }
    assert colours["on_track"] == ["rgb(27, 94, 32)", "rgb(232, 245, 233)"]
    assert colours["at_risk"] == ["rgb(122, 65, 0)", "rgb(255, 243, 224)"]
    assert colours["off_track"] == ["rgb(160, 20, 30)", "rgb(255, 235, 238)"]
    roadmap, wrapper = (boss.find(css).rect for css in ("#roadmap svg", "#roadmap"))
    assert roadmap["width"] <= wrapper["width"] + 1  # scaled to its container, the legend in sight
    boss.open("/programmes/projects/P-ok?lang=ja")
    boss.until(lambda: boss.all("#trl-history circle"), "the TRL history drawn")
    assert "順調" in boss.text("#project-status")
    problems = boss.driver.execute_script(MEASURE, boss.driver.execute_script("return window.innerWidth"), BADGES)
    assert problems == [], problems


def test_every_demo_project_has_a_gate_on_the_demo_roadmap() -> None:
    """The demo's dashboard showed next gates for 2 of its 8 projects: each candidate project of the demo's portfolio
    owns an item of the demo's roadmap, so each has a gate due (the roadmap starts after today's demo date too)."""
    roadmap = read_roadmap(DEMO_PROGRAMME / "roadmap.yaml")
    projects = load(DEMO_PROGRAMME / "portfolio.yaml").portfolio.projects
    assert len(projects) == 8
    for project in projects:
        items = project_items(roadmap, project.id)
        assert items, project.id
        _, _, next_gate = status_of({"status": "active"}, [], None, items, date(2026, 12, 7))
        assert next_gate is not None, project.id
