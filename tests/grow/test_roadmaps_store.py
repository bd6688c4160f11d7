"""Roadmaps and portfolio runs stored as labelled records, on both backends: labels at least their goal's and never
lowered by a revision, revisions appended, a hidden roadmap answering like a missing one, an invalid save storing
nothing, and the stored roadmap on the programme dashboard."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from programme_fixtures import BOSS, MANAGER, add_goal, load_threats, reader

from kizashi.errors import AccessDenied, InputError, NotFound
from kizashi.grow import roadmaps
from kizashi.grow.dashboard import dashboard
from kizashi.grow.roadmap_model import Roadmap
from kizashi.model import RoadmapRevision
from kizashi.store import audit
from kizashi.store.readable import select_trusted
from kizashi.store.workspace import Workspace


@pytest.fixture
def register(workspace: Workspace, tmp_path: Path) -> Workspace:
    load_threats(workspace, tmp_path)
    add_goal(workspace, "g-open", label="PUBLIC")
    add_goal(workspace, "g-secret", threats=["secret-threat"])  # CONFIDENTIAL [alpha], as its threat
    return workspace


def document(roadmap_id: str = "rm1", goal: str | None = "g-open", **more: Any) -> Roadmap:
    items = more.pop(
        "items",
        [
            {"id": "T1", "lane": "technology", "title_ja": "予測", "start": "2027-04", "end": "2028-03",
             "trl": {"from": 3, "to": 5}},
            {"id": "T2", "lane": "programme", "title_en": "Pilot", "start": "2028-04", "end": "2029-03",
             "depends_on": ["T1"], "trl": {"from": 5, "to": 7}},
        ],
    )  # fmt: skip
    values = {"id": roadmap_id, "title_ja": "洪水予測", "items": items, **more}
    if goal:
        values["goal"] = goal
    return Roadmap.model_validate(values)


def _revisions(workspace: Workspace, roadmap_id: str) -> list[dict[str, Any]]:
    table = RoadmapRevision.__table__
    statement = select_trusted(table, why="the test counts what was stored").where(table.c.roadmap_id == roadmap_id)
    with workspace.session() as session:
        return [dict(r) for r in session.execute(statement).mappings()]


def test_a_roadmap_is_stored_labelled_at_least_as_its_goal_and_audited(register: Workspace) -> None:
    saved = roadmaps.save_roadmap(register, BOSS, document(label="PUBLIC"), "first")
    assert (saved.id, saved.revision, saved.created, saved.changed) == ("rm1", 1, True, True)
    assert saved.label.shown() == "PUBLIC"
    found = roadmaps.get_roadmap(register, reader("PUBLIC"), "rm1")
    assert found["body"]["items"][1]["depends_on"] == ["T1"] and found["body"]["label"] == "PUBLIC"
    assert found["goal_id"] == "g-open" and found["revision"] == 1
    # A roadmap of the secret goal is at least the goal's label, whatever its file says.
    raised = roadmaps.save_roadmap(register, BOSS, document("rm2", "g-secret", label="PUBLIC"))
    assert raised.label.shown() == "CONFIDENTIAL [alpha]"
    assert roadmaps.get_roadmap(register, BOSS, "rm2")["body"]["label"] == "CONFIDENTIAL [alpha]"
    created = [e for e in audit.iter_events(register) if e["action"] == "create"]
    assert created[-2]["records"] == ["rm1", "g-open"] and created[-2]["detail"]["kind"] == "roadmaps"
    assert created[-2]["detail"]["note"] == "first" and created[-2]["detail"]["revision"] == 1
    assert audit.verify(register).ok


def test_a_save_of_a_stored_id_is_the_next_revision_and_never_lowers_the_label(register: Workspace) -> None:
    roadmaps.save_roadmap(register, BOSS, document(label="CONFIDENTIAL"))
    edited = document(title_en="Flood forecast", label="PUBLIC")  # an edit does not declassify
    saved = roadmaps.save_roadmap(register, MANAGER, edited, "English title")
    assert (saved.revision, saved.created, saved.label.shown()) == (2, False, "CONFIDENTIAL")
    again = roadmaps.save_roadmap(register, MANAGER, edited)  # unchanged: no revision
    assert (again.revision, again.changed) == (2, False)
    history = roadmaps.roadmap_revisions(register, BOSS, "rm1")
    assert [(r["revision"], r["note"], r["user"]) for r in history] == [(1, "", "boss"), (2, "English title", "reader")]
    assert "title_en" not in history[0]["body"] and history[1]["body"]["title_en"] == "Flood forecast"
    assert roadmaps.get_roadmap(register, BOSS, "rm1")["title_en"] == "Flood forecast"
    updated = [e for e in audit.iter_events(register) if e["action"] == "update"]
    assert updated[-1]["records"][0] == "rm1" and updated[-1]["detail"]["revision"] == 2
    # An editor who read revision 1 does not overwrite revision 2.
    with pytest.raises(InputError, match="changed meanwhile"):
        roadmaps.save_roadmap(register, MANAGER, document(title_en="stale"), base_revision=1)
    assert len(_revisions(register, "rm1")) == 2


def test_a_hidden_roadmap_answers_like_a_missing_one(register: Workspace) -> None:
    roadmaps.save_roadmap(register, BOSS, document("rm-secret", "g-secret"))
    low = reader("SECRET")  # high enough, but without the compartment alpha
    for call in (roadmaps.get_roadmap, roadmaps.roadmap_revisions):
        with pytest.raises(NotFound) as hidden:
            call(register, low, "rm-secret")
        with pytest.raises(NotFound) as missing:
            call(register, low, "no-such")
        assert str(hidden.value).replace("rm-secret", "X") == str(missing.value).replace("no-such", "X")
    assert roadmaps.list_roadmaps(register, low) == []
    assert [r["id"] for r in roadmaps.list_roadmaps(register, BOSS)] == ["rm-secret"]
    assert roadmaps.list_roadmaps(register, BOSS)[0]["items"] == 2
    # A manager who may not read it cannot overwrite it: the id is taken, and that is all they learn.
    blind = reader("SECRET", (), ("programme_manager",))
    with pytest.raises(InputError, match="is taken") as refused:
        roadmaps.save_roadmap(register, blind, document("rm-secret", None, label="PUBLIC"))
    assert "CONFIDENTIAL" not in str(refused.value) and "洪水" not in str(refused.value)
    assert len(_revisions(register, "rm-secret")) == 1
    denied = [e for e in audit.iter_events(register) if e["action"] == "denied"]
    assert denied[-1]["detail"]["service"] == "roadmaps.revisions" and denied[-1]["detail"]["code"] == "not_found"


def test_an_old_revision_goes_with_its_roadmap(register: Workspace) -> None:
    roadmaps.save_roadmap(register, BOSS, document(label="PUBLIC"))
    roadmaps.save_roadmap(register, BOSS, document(label="SECRET"))  # raised: revision 1 stays PUBLIC
    with pytest.raises(NotFound):
        roadmaps.roadmap_revisions(register, reader("PUBLIC"), "rm1")
    assert len(roadmaps.roadmap_revisions(register, BOSS, "rm1")) == 2


def test_an_invalid_roadmap_stores_nothing_and_says_why(register: Workspace) -> None:
    cycle = [
        {"id": "A", "lane": "technology", "title_ja": "a", "start": "2027-01", "end": "2027-06", "depends_on": ["B"]},
        {"id": "B", "lane": "technology", "title_ja": "b", "start": "2027-07", "end": "2027-12", "depends_on": ["A"]},
    ]
    with pytest.raises(roadmaps.RoadmapInvalid) as refused:
        roadmaps.save_roadmap(register, BOSS, document(items=cycle))
    assert next(f.code for f in refused.value.findings if f.severity == "error") == "cycle"
    assert refused.value.said("ja").startswith("項目")  # the location, then the reason in Japanese
    assert "誤り" in refused.value.said("ja")
    assert _revisions(register, "rm1") == [] and roadmaps.list_roadmaps(register, BOSS) == []
    # Its warnings are returned with a valid save.
    warned = document(items=[{"id": "K", "lane": "technology", "title_ja": "k", "start": "2027-01",
                              "end": "2027-02", "kind": "talent"}])  # fmt: skip
    assert [f.code for f in roadmaps.save_roadmap(register, BOSS, warned).warnings] == ["kind_outside_barrier_lane"]


def test_saving_needs_the_permission_a_readable_goal_and_a_readable_label(register: Workspace) -> None:
    with pytest.raises(AccessDenied):
        roadmaps.save_roadmap(register, reader("SECRET", ("alpha",)), document())
    with pytest.raises(NotFound):  # a goal the author may not read is as missing
        roadmaps.save_roadmap(register, reader("SECRET", (), ("programme_manager",)), document(goal="g-secret"))
    with pytest.raises(AccessDenied):  # above the author's own clearance
        roadmaps.save_roadmap(register, reader("PUBLIC", (), ("programme_manager",)), document(label="SECRET"))
    with pytest.raises(InputError, match="brackets"):
        roadmaps.save_roadmap(register, BOSS, document(label="SECRET [alpha"))
    assert roadmaps.list_roadmaps(register, BOSS) == []


def test_the_dashboard_shows_the_stored_roadmap_of_its_goal_to_who_may_read_it(register: Workspace) -> None:
    assert dashboard(register, BOSS, "g-open")["roadmap"] is None
    roadmaps.save_roadmap(register, BOSS, document(label="CONFIDENTIAL"))
    assert dashboard(register, BOSS, "g-open")["roadmap"].id == "rm1"
    assert dashboard(register, reader("PUBLIC"), "g-open")["roadmap"] is None


def test_a_portfolio_run_is_kept_labelled_and_read_only_by_who_may(register: Workspace) -> None:
    problem = {"budget": {"2027": 10}, "projects": [{"id": "P1", "value": 3, "cost": {"2027": 4}}]}
    result = {"chosen": ["P1"], "value": 3.0, "spent": {"2027": 4.0}, "binding": [], "next_unit": {"2027": 0.0}}
    open_run = roadmaps.save_portfolio_run(register, BOSS, problem, result, "案 A", "g-open", label="PUBLIC")
    secret_run = roadmaps.save_portfolio_run(register, BOSS, problem, result, "案 B", "g-secret")
    low = reader("PUBLIC")
    assert [r["id"] for r in roadmaps.list_portfolio_runs(register, low)] == [open_run]
    listed = roadmaps.list_portfolio_runs(register, BOSS, "g-secret")
    assert [(r["id"], r["chosen"], r["projects"], r["label"]) for r in listed] == [
        (secret_run, ["P1"], 1, "CONFIDENTIAL [alpha]")
    ]
    assert roadmaps.get_portfolio_run(register, low, open_run)["problem"] == problem
    with pytest.raises(NotFound):
        roadmaps.get_portfolio_run(register, low, secret_run)
    with pytest.raises(AccessDenied):
        roadmaps.save_portfolio_run(register, low, problem, result)
    kept = [e for e in audit.iter_events(register) if e["action"] == "create"][-1]
    assert kept["detail"]["kind"] == "portfolio_runs" and kept["records"] == [secret_run, "g-secret"]
