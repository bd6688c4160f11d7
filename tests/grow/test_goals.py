"""Goals and their Heilmeier proposals on both backends: stored labelled and audited, read only by who may read the
goal (a hidden goal answers like a missing one, and nothing under it shows), files stored all or none."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from openpyxl import Workbook
from programme_fixtures import BOSS, HEILMEIER, MANAGER, add_goal, goal_values, load_threats, reader
from sqlalchemy import update

from kizashi.errors import AccessDenied, InputError, NotFound
from kizashi.grow import goals
from kizashi.model import Goal, GoalProposal
from kizashi.policy import LEVELS, Label, can_read
from kizashi.store import audit
from kizashi.store.readable import select_readable, select_trusted
from kizashi.store.workspace import Workspace


@pytest.fixture
def register(workspace: Workspace, tmp_path: Path) -> Workspace:
    load_threats(workspace, tmp_path)
    return workspace


def test_a_goal_is_stored_with_its_proposals_labelled_and_audited(register: Workspace) -> None:
    assert add_goal(register, "g1", proposals=2, label="PUBLIC") == "g1"
    found = goals.show_goal(register, reader("PUBLIC"), "g1")
    assert found["goal"]["title_ja"] == "洪水の早期警戒" and found["goal"]["threats"] == ["open-threat"]
    assert [p["id"] for p in found["proposals"]] == ["g1-p1", "g1-p2"]
    assert found["proposals"][0]["who_cares"] == HEILMEIER["who_cares"]
    assert found["label"] == "PUBLIC"
    created = [e for e in audit.iter_events(register) if e["action"] == "create"]
    assert created[-1]["records"] == ["g1", "g1-p1", "g1-p2"] and created[-1]["detail"]["kind"] == "goals"
    assert [e for e in audit.iter_events(register) if e["action"] == "read"][-1]["records"][0] == "g1"
    assert audit.verify(register).ok


def test_a_goal_is_at_least_as_high_as_the_threats_it_names(register: Workspace) -> None:
    add_goal(register, "g1", threats=["open-threat", "secret-threat"], label="PUBLIC")
    (listed,) = goals.list_goals(register, BOSS)
    assert listed["label"] == "CONFIDENTIAL [alpha]"
    with pytest.raises(NotFound):  # a PUBLIC reader would otherwise learn of the CONFIDENTIAL threat
        goals.show_goal(register, reader("PUBLIC"), "g1")


def test_a_hidden_goal_answers_like_a_missing_one_and_nothing_under_it_shows(register: Workspace) -> None:
    add_goal(register, "secret-goal", label="CONFIDENTIAL", compartments=["alpha"])
    low = reader("SECRET")  # high enough, but without the compartment
    with pytest.raises(NotFound) as hidden:
        goals.show_goal(register, low, "secret-goal")
    with pytest.raises(NotFound) as missing:
        goals.show_goal(register, low, "no-such-goal")
    assert str(hidden.value).replace("secret-goal", "X") == str(missing.value).replace("no-such-goal", "X")
    assert goals.list_goals(register, low) == []
    with pytest.raises(NotFound):
        goals.list_projects(register, low, goal_id="secret-goal")
    denied = [e for e in audit.iter_events(register) if e["action"] == "denied"]
    assert [e["detail"]["code"] for e in denied[-2:]] == ["not_found", "not_found"]


def test_proposals_go_with_their_goal_when_it_is_relabelled_above_the_reader(register: Workspace) -> None:
    add_goal(register, "g1", label="PUBLIC")
    table = GoalProposal.__table__
    statement = select_readable(reader("PUBLIC").clearance, register.backend, table)
    with register.session() as session:
        assert [r.id for r in session.execute(statement)] == ["g1-p1"]
        session.execute(update(Goal.__table__).where(Goal.__table__.c.id == "g1").values(level="SECRET"))
    with register.session() as session:  # the proposal's own label is still PUBLIC; its goal hides it now
        assert session.execute(statement).all() == []


def test_only_programme_managers_add_goals_and_never_above_themselves(register: Workspace) -> None:
    with pytest.raises(AccessDenied, match="programme_manager"):
        goals.add_goal(register, reader("SECRET", roles=("analyst",)), goal_values("g1"))
    with pytest.raises(AccessDenied, match="above your own clearance"):
        goals.add_goal(register, reader("INTERNAL", roles=("programme_manager",)), goal_values("g1", label="SECRET"))
    assert goals.list_goals(register, BOSS) == []
    assert goals.add_goal(register, MANAGER, goal_values("g1")) == "g1"


def test_a_threat_one_may_not_read_is_refused_like_a_missing_one(register: Workspace) -> None:
    manager = reader("PUBLIC", roles=("programme_manager",))
    with pytest.raises(InputError) as hidden:
        goals.add_goal(register, manager, goal_values("g1", threats=["secret-threat"]))
    with pytest.raises(InputError) as missing:
        goals.add_goal(register, manager, goal_values("g1", threats=["no-threat"]))
    assert hidden.value.location.field == missing.value.location.field == "threats"
    assert "no threat 'secret-threat'" in str(hidden.value) and "no threat 'no-threat'" in str(missing.value)


def test_a_taken_id_is_refused_and_never_overwritten(register: Workspace) -> None:
    add_goal(register, "g1", label="SECRET")
    with pytest.raises(InputError, match="is taken"):
        goals.add_goal(register, MANAGER, goal_values("g1", title_ja="上書き"))
    assert goals.show_goal(register, BOSS, "g1")["goal"]["title_ja"] == "洪水の早期警戒"


def _yaml(path: Path, target_date: str = "2030-03-31", proposal_risks: str = "欠測") -> Path:
    path.write_text(
        f"""goals:
  - id: g1
    title_ja: 洪水の早期警戒
    threats: [open-threat]
    capability: 水位予測
    target_date: 2030-03-31
    target: 市町村の 9 割
    proposals:
      - id: p1
        title: 予測
        what: a
        today: b
        new: c
        who_cares: d
        risks: "{proposal_risks}"
        cost: f
        time: g
        midterm_exam: h
        final_exam: i
  - id: g2
    title_ja: 通信の保護
    threats: open-threat; secret-threat
    capability: 暗号
    target_date: {target_date}
    target: 全省庁
""",
        encoding="utf-8",
    )
    return path


def test_a_yaml_file_of_goals_is_stored_whole(register: Workspace, tmp_path: Path, cli: object) -> None:
    result = cli("goal", "add", "--file", _yaml(tmp_path / "goals.yaml"))  # type: ignore[operator]
    assert result.code == 0, result.err
    assert [g["id"] for g in goals.list_goals(register, BOSS)] == ["g1", "g2"]
    assert goals.show_goal(register, BOSS, "g2")["goal"]["threats"] == ["open-threat", "secret-threat"]


@pytest.mark.parametrize(
    ("change", "row", "field"),
    [
        ({"target_date": "2031-02-30"}, 2, "target_date"),
        ({"proposal_risks": ""}, 1, "proposals[1].risks"),
        ({"target_date": "''"}, 2, "target_date"),
    ],
)
def test_a_bad_goals_file_exits_2_naming_file_row_and_field_and_stores_nothing(
    register: Workspace, tmp_path: Path, cli: object, change: dict[str, str], row: int, field: str
) -> None:
    path = _yaml(tmp_path / "goals.yaml", **change)
    result = cli("goal", "add", "--file", path)  # type: ignore[operator]
    assert result.code == 2
    assert str(path) in result.err and f"row {row}" in result.err and f"field '{field}'" in result.err
    assert goals.list_goals(register, BOSS) == []


def test_a_bad_goals_file_is_named_in_japanese(
    register: Workspace, tmp_path: Path, cli: object, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("KIZASHI_LANG", "ja")
    result = cli("goal", "add", "--file", _yaml(tmp_path / "goals.yaml", proposal_risks=""))  # type: ignore[operator]
    assert result.code == 2 and "1 行目" in result.err and "proposals[1].risks" in result.err


def _workbook(path: Path, proposal_goal: str = "g1") -> Path:
    book = Workbook()
    sheet = book.active
    sheet.title = "goals"
    sheet.append(["id", "title_ja", "threats", "capability", "target_date", "target", "label"])
    sheet.append(["g1", "洪水の早期警戒", "open-threat", "水位予測", "2030-03-31", "9 割", "PUBLIC"])
    proposals = book.create_sheet("proposals")
    proposals.append(["goal", "id", "title", *goals.HEILMEIER])
    proposals.append([proposal_goal, "p1", "予測", *"abcdefghi"])
    book.save(path)
    return path


def test_an_xlsx_workbook_of_goals_and_proposals(register: Workspace, tmp_path: Path, cli: object) -> None:
    assert cli("goal", "add", "--file", _workbook(tmp_path / "goals.xlsx")).code == 0  # type: ignore[operator]
    found = goals.show_goal(register, reader("PUBLIC"), "g1")
    assert [p["id"] for p in found["proposals"]] == ["p1"] and found["proposals"][0]["final_exam"] == "i"


def test_a_proposal_for_a_goal_not_in_the_workbook_is_refused(register: Workspace, tmp_path: Path, cli: object) -> None:
    result = cli("goal", "add", "--file", _workbook(tmp_path / "goals.xlsx", "g9"))  # type: ignore[operator]
    assert result.code == 2 and "row 2" in result.err and "field 'proposals.goal'" in result.err
    assert goals.list_goals(register, BOSS) == []


def test_goal_commands(register: Workspace, cli: object) -> None:
    run = cli  # type: ignore[assignment]
    added = run(  # type: ignore[operator]
        "goal", "add", "--id", "g1", "--title-ja", "洪水の早期警戒", "--threat", "open-threat",
        "--capability", "水位予測", "--target-date", "2030-03-31", "--target", "9 割",
    )  # fmt: skip
    assert added.code == 0 and "g1" in added.out
    assert run("goal", "propose", "g1", *_flags(HEILMEIER)).code == 0  # type: ignore[operator]
    shown = run("goal", "show", "g1", "--format", "json")  # type: ignore[operator]
    assert shown.code == 0 and '"final_exam": "実運用で 6 時間先の警報"' in shown.out
    assert run("goal", "show", "nothing").code == 2  # type: ignore[operator]
    assert run("goal", "add", "--title-ja", "x").code == 2  # type: ignore[operator]
    listed = run("goal", "list", "--format", "csv")  # type: ignore[operator]
    assert listed.code == 0 and listed.out.splitlines()[1].startswith("g1,")


def _flags(values: dict[str, str]) -> list[str]:
    return [part for key, value in values.items() for part in (f"--{key.replace('_', '-')}", value)]


def test_the_migration_matches_the_model(workspace: Workspace) -> None:
    from alembic.autogenerate import compare_metadata
    from alembic.migration import MigrationContext

    from kizashi.model import Base

    tables = ("goals", "goal_proposals", "programme_projects", "gate_decisions", "trl_assessments", "barriers")
    with workspace.engine.connect() as connection:
        diffs = compare_metadata(MigrationContext.configure(connection), Base.metadata)
    assert [d for d in diffs if any(name in repr(d) for name in tables)] == []


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    level=st.sampled_from(LEVELS),
    compartments=st.sets(st.sampled_from(["alpha", "beta"])),
    reader_level=st.sampled_from(LEVELS),
    reader_compartments=st.sets(st.sampled_from(["alpha", "beta"])),
)
def test_a_goal_is_shown_exactly_to_who_may_read_its_label(
    register: Workspace, level: str, compartments: set[str], reader_level: str, reader_compartments: set[str]
) -> None:
    goal_id = f"g-{level}-{'-'.join(sorted(compartments))}"
    with register.session() as session:
        exists = session.execute(select_trusted(Goal.id, why="a test reuses goals").where(Goal.id == goal_id)).first()
    if exists is None:
        add_goal(register, goal_id, label=level, compartments=sorted(compartments))
    someone = reader(reader_level, tuple(sorted(reader_compartments)))
    allowed = can_read(someone.clearance, Label(level, frozenset(compartments)))
    try:
        found = goals.show_goal(register, someone, goal_id)
    except NotFound:
        found = None
    assert (found is not None) == allowed
    if found is not None:
        assert [p["id"] for p in found["proposals"]] == [f"{goal_id}-p1"]
    assert (goal_id in {g["id"] for g in goals.list_goals(register, someone)}) == allowed
