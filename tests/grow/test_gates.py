"""Stage-gate decisions and TRL assessments on both backends: append-only through the decision helper, audited,
labelled like their project, the gate rule kept, and unseen by who may not read the project and its goal."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st
from programme_fixtures import BOSS, MANAGER, add_goal, load_threats, reader
from sqlalchemy import update

from kizashi.errors import AccessDenied, InputError, NotFound
from kizashi.grow import gates, goals
from kizashi.model import GateDecision, Goal, TrlAssessment
from kizashi.store import audit
from kizashi.store.readable import select_trusted
from kizashi.store.workspace import Workspace


@pytest.fixture
def project(workspace: Workspace, tmp_path: Path) -> Workspace:
    """Goal g1 (PUBLIC) with project P1, and goal g2 (CONFIDENTIAL, alpha) with project P2."""
    load_threats(workspace, tmp_path)
    add_goal(workspace, "g1", label="PUBLIC")
    add_goal(workspace, "g2", label="CONFIDENTIAL", compartments=["alpha"])
    goals.add_project(workspace, BOSS, "g1", {"id": "P1", "title": "水位予測", "manager": "hana"})
    goals.add_project(workspace, BOSS, "g2", {"id": "P2", "title": "制御系防護", "manager": "ken"})
    return workspace


def _decide(workspace: Workspace, decision: str, achieved: str = "a", outlook: str = "b", **more: object) -> int:
    return gates.decide(
        workspace,
        more.pop("actor", MANAGER),  # type: ignore[arg-type]
        str(more.pop("project", "P1")),
        decision,
        achieved=achieved,
        outlook=outlook,
        reason="中間評価の結果",
        reviewers=["外部委員 A", "外部委員 B"],
        **more,  # type: ignore[arg-type]
    )


def _rows(workspace: Workspace) -> list[tuple[object, ...]]:
    with workspace.session() as session:
        everything = select_trusted(GateDecision, why="a test checks the raw, append-only rows")
        return [
            (r.id, r.project_id, r.decision, r.achieved, r.outlook, r.level)
            for r in session.execute(everything.order_by(GateDecision.id)).scalars()
        ]


def test_decisions_are_appended_audited_and_move_the_project(project: Workspace) -> None:
    first = _decide(project, "go", must_meet=[("TRL 4 到達", True)], should_meet=[("論文 2 本", False)])
    before = _rows(project)
    assert goals.list_projects(project, BOSS, goal_id="g1")[0]["status"] == "active"
    second = _decide(project, "hold", "b", "c")
    assert second > first and goals.list_projects(project, BOSS, goal_id="g1")[0]["status"] == "on_hold"
    third = _decide(project, "recycle", "c", "b", gate="再審査")
    assert _rows(project)[: len(before)] == before  # earlier rows never change
    history = gates.gate_history(project, reader("PUBLIC"), "P1")
    assert [(h["id"], h["decision"], h["gate"]) for h in history] == [
        (first, "go", "gate 1"),
        (second, "hold", "gate 2"),
        (third, "recycle", "再審査"),
    ]
    assert history[0]["must_meet"] == [{"criterion": "TRL 4 到達", "met": True}]
    assert history[0]["reviewers"] == ["外部委員 A", "外部委員 B"] and history[0]["label"] == "PUBLIC"
    events = [e for e in audit.iter_events(project) if e["action"] == "gate_decision"]
    assert [e["detail"]["gate_decision"] for e in events] == [first, second, third]
    assert events[0]["records"] == ["P1", "g1"] and events[0]["detail"]["should_meet_unmet"] == 1
    assert audit.verify(project).ok


@pytest.mark.parametrize(
    ("achieved", "outlook", "must", "refused"),
    [
        ("a", "a", [("安全審査", False)], "not met: 安全審査"),
        ("c", "a", [], "neither rating"),
        ("a", "c", [("安全審査", True)], "neither rating"),
    ],
)
def test_go_needs_every_must_meet_criterion_and_no_c(
    project: Workspace, achieved: str, outlook: str, must: list[tuple[str, bool]], refused: str
) -> None:
    with pytest.raises(InputError, match=refused):
        _decide(project, "go", achieved, outlook, must_meet=must)
    assert _rows(project) == []
    _decide(project, "hold", achieved, outlook, must_meet=must)  # any other decision may be taken
    assert len(_rows(project)) == 1


@given(
    decision=st.sampled_from(gates.DECISIONS),
    achieved=st.sampled_from(gates.RATINGS),
    outlook=st.sampled_from(gates.RATINGS),
    met=st.lists(st.booleans(), max_size=4),
)
def test_the_gate_rule(decision: str, achieved: str, outlook: str, met: list[bool]) -> None:
    criteria = [{"criterion": f"c{n}", "met": m} for n, m in enumerate(met)]
    allowed = decision != "go" or (all(met) and "c" not in (achieved, outlook))
    assert (gates.gate_rule(decision, achieved, outlook, criteria) is None) == allowed


def test_a_killed_project_takes_no_further_decision(project: Workspace) -> None:
    _decide(project, "kill", "c", "c")
    with pytest.raises(InputError, match="was killed"):
        _decide(project, "go")
    assert [r[2] for r in _rows(project)] == ["kill"]
    assert goals.list_projects(project, BOSS, goal_id="g1")[0]["status"] == "stopped"


def test_a_kill_decided_meanwhile_stops_a_decision_read_before_it(
    project: Workspace, monkeypatch: pytest.MonkeyPatch
) -> None:
    seen = gates.readable_project(project, BOSS.clearance, "P1")  # as read before another reviewer's kill commits
    _decide(project, "kill", "c", "c")
    monkeypatch.setattr(gates, "readable_project", lambda *args: seen)
    monkeypatch.setattr(gates, "_history", lambda *args: [])
    with pytest.raises(InputError, match="was killed"):
        _decide(project, "go")
    assert [r[2] for r in _rows(project)] == ["kill"]
    assert [e["detail"]["decision"] for e in audit.iter_events(project) if e["action"] == "gate_decision"] == ["kill"]


def test_a_project_added_stopped_takes_no_decision(project: Workspace) -> None:
    goals.add_project(project, BOSS, "g1", {"id": "P3", "title": "x", "manager": "y", "status": "stopped"})
    with pytest.raises(InputError, match="was killed"):
        _decide(project, "hold", project="P3")


def test_bad_values_are_refused_before_anything_is_stored(project: Workspace) -> None:
    with pytest.raises(InputError, match="unknown decision"):
        _decide(project, "continue")
    with pytest.raises(InputError, match="a rating is a, b or c"):
        _decide(project, "hold", "d")
    with pytest.raises(InputError, match="at least one reviewer"):
        gates.decide(project, MANAGER, "P1", "hold", achieved="a", outlook="a", reason="x", reviewers=[" "])
    with pytest.raises(InputError, match="required value"):
        gates.decide(project, MANAGER, "P1", "hold", achieved="a", outlook="a", reason="", reviewers=["x"])
    assert _rows(project) == []


def test_a_hidden_project_and_its_gates_answer_like_missing_ones(project: Workspace) -> None:
    _decide(project, "go", project="P2")
    outsider = reader("SECRET", roles=("programme_manager",))  # no compartment alpha
    with pytest.raises(NotFound) as hidden:
        gates.gate_history(project, outsider, "P2")
    with pytest.raises(NotFound) as missing:
        gates.gate_history(project, outsider, "P9")
    assert str(hidden.value).replace("P2", "X") == str(missing.value).replace("P9", "X")
    with pytest.raises(NotFound):
        _decide(project, "kill", "c", "c", project="P2", actor=outsider)
    with pytest.raises(NotFound):
        gates.show_project(project, outsider, "P2")
    assert [p["id"] for p in goals.list_projects(project, outsider)] == ["P1"]
    assert len(_rows(project)) == 1


def test_gates_go_with_their_goal_when_it_is_relabelled(project: Workspace) -> None:
    _decide(project, "go")
    assert len(gates.gate_history(project, reader("PUBLIC"), "P1")) == 1
    with project.session() as session:
        session.execute(update(Goal.__table__).where(Goal.__table__.c.id == "g1").values(level="SECRET"))
    with pytest.raises(NotFound):  # the project, and so its decisions (both still PUBLIC), follow the goal
        gates.gate_history(project, reader("PUBLIC"), "P1")


def test_only_who_may_decide_gates_decides(project: Workspace) -> None:
    with pytest.raises(AccessDenied, match="programme_manager"):
        _decide(project, "go", actor=reader("SECRET", ("alpha",), ("principal_investigator",)))
    assert _rows(project) == []
    assert [e["detail"]["service"] for e in audit.iter_events(project) if e["action"] == "denied"] == ["gates.decide"]


def test_trl_assessments_keep_their_history(project: Workspace, tmp_path: Path) -> None:
    pi = reader("PUBLIC", roles=("principal_investigator",))
    first = gates.assess(project, pi, "project", "P1", 3, evidence="実験室での原理実証")
    second = gates.assess(project, pi, "project", "P1", 5, evidence="模擬環境での実証", assessor="評価委員会")
    history = gates.trl_history(project, reader("PUBLIC"), "project", "P1")
    assert [(h["id"], h["trl"], h["assessor"]) for h in history] == [(first, 3, "reader"), (second, 5, "評価委員会")]
    assert gates.show_project(project, reader("PUBLIC"), "P1")["latest_trl"] == 5
    with pytest.raises(InputError, match="from 1 to 9"):
        gates.assess(project, pi, "project", "P1", 10, evidence="x")
    with pytest.raises(NotFound):
        gates.assess(project, pi, "project", "P2", 4, evidence="x")
    with pytest.raises(AccessDenied):
        gates.assess(project, reader("SECRET", roles=("analyst",)), "project", "P1", 4, evidence="x")
    events = [e for e in audit.iter_events(project) if e["action"] == "trl_assessment"]
    assert [e["detail"]["trl_assessment"] for e in events] == [first, second]
    with project.session() as session:
        assert session.execute(select_trusted(TrlAssessment.id, why="a test counts rows")).all() == [
            (first,),
            (second,),
        ]


def test_a_technology_is_assessed_too(project: Workspace, tmp_path: Path) -> None:
    from kizashi.ingest.dispatch import ingest

    path = tmp_path / "technologies.csv"
    path.write_text("id,parent,name_en,name_ja,label\nqkd,,Quantum key distribution,量子鍵配送,CONFIDENTIAL\n")
    ingest(project, BOSS, "technologies", [path])
    gates.assess(project, MANAGER, "technology", "qkd", 4, evidence="試験網での実証")
    assert [h["trl"] for h in gates.trl_history(project, MANAGER, "technology", "qkd")] == [4]
    with pytest.raises(NotFound):
        gates.trl_history(project, reader("INTERNAL"), "technology", "qkd")
    with pytest.raises(InputError, match="a project or a technology"):
        gates.trl_history(project, MANAGER, "work", "qkd")


def test_gate_and_trl_commands(project: Workspace, cli: object, monkeypatch: pytest.MonkeyPatch) -> None:
    run = cli
    decided = run(  # type: ignore[operator]
        "gate", "decide", "P1", "--decision", "go", "--achieved", "a", "--outlook", "b", "--reason", "順調",
        "--reviewer", "委員 A", "--must-met", "TRL 4", "--should-unmet", "論文",
    )  # fmt: skip
    assert decided.code == 0, decided.err
    refused = run(  # type: ignore[operator]
        "gate", "decide", "P1", "--decision", "go", "--achieved", "a", "--outlook", "b", "--reason", "x",
        "--reviewer", "y", "--must-unmet", "安全審査",
    )  # fmt: skip
    assert refused.code == 2 and "安全審査" in refused.err
    assert run("gate", "decide", "P9", "--decision", "hold", "--achieved", "a", "--outlook", "a",  # type: ignore[operator]
               "--reason", "x", "--reviewer", "y").code == 2  # fmt: skip
    history = run("gate", "history", "P1", "--format", "json")  # type: ignore[operator]
    assert history.code == 0 and '"decision": "go"' in history.out
    monkeypatch.setenv("KIZASHI_LANG", "ja")
    table = run("gate", "history", "P1", "--wide")  # type: ignore[operator]
    assert table.code == 0 and "継続（Go）" in table.out and "判定" in table.out
    assert run("trl", "assess", "--project", "P1", "--trl", "4", "--evidence", "実証").code == 0  # type: ignore[operator]
    assert run("trl", "assess", "--project", "P1", "--technology", "x", "--trl", "4",  # type: ignore[operator]
               "--evidence", "x").code == 2  # fmt: skip
    shown = run("project", "show", "P1", "--format", "json")  # type: ignore[operator]
    assert shown.code == 0 and '"latest_trl": 4' in shown.out
