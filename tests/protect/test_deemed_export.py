"""The deemed-export questionnaire: answers append-only, audited, labelled like their project, read through the policy."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import pytest
from test_release import add_reviewers

from kizashi.errors import AccessDenied, InputError, NotFound
from kizashi.ingest.dispatch import ingest
from kizashi.model import DeemedExportAnswer
from kizashi.protect.deemed_export import CATEGORIES, answer, status
from kizashi.protect.people import actor_for as as_user
from kizashi.store import audit
from kizashi.store.readable import select_trusted
from kizashi.store.workspace import Workspace

FIXTURES = Path(__file__).parent.parent / "fixtures"


@pytest.fixture
def projects(workspace: Workspace, tmp_path: Path) -> Workspace:
    add_reviewers(workspace)
    seeds = tmp_path / "seeds.csv"
    seeds.write_text(
        "id,title,label,compartments\n"
        "p-open,Drone swarm coordination,INTERNAL,\n"
        "p-alpha,Quantum key distribution testbed,CONFIDENTIAL,alpha\n",
        encoding="utf-8",
    )
    ingest(workspace, as_user(workspace, "boss"), "seeds", [seeds])
    return workspace


def test_answers_are_latest_wins_append_only_audited_and_labelled(projects: Workspace) -> None:
    answer(
        projects, as_user(projects, "so"), "p-alpha", "Chen Wei", ["foreign_income"], evidence="pledge of 2026-04-01"
    )
    answer(
        projects,
        as_user(projects, "so"),
        "p-alpha",
        "Chen Wei",
        [],
        evidence="grant ended; new pledge",
        answered_on=date(2026, 11, 2),
    )
    answer(
        projects,
        as_user(projects, "pi"),
        "p-alpha",
        "Ana Silva",
        ["non_resident", "foreign_contract"],
        answered_by="Ana Silva",
    )
    answer(projects, as_user(projects, "stu"), "p-alpha", "stu", [])  # one answers for oneself
    result = status(projects, as_user(projects, "pi"), "p-alpha", people=["Kenji Sato"])
    assert result["answered"] == ["Ana Silva", "Chen Wei", "stu"]
    assert result["unanswered"] == ["Kenji Sato"]
    assert result["licence_check"] == ["Ana Silva"]
    by_person = {row["person"]: row for row in result["people"]}
    assert by_person["Ana Silva"]["categories"] == ["non_resident", "foreign_contract"]
    assert by_person["Chen Wei"]["answered_on"] == date(2026, 11, 2) and by_person["Chen Wei"]["categories"] == []
    assert by_person["Ana Silva"]["answered_by"] == "Ana Silva" and by_person["Ana Silva"]["recorded_by"] == "pi"
    with projects.session() as session:
        everything = select_trusted(DeemedExportAnswer, why="a test checks the raw, append-only rows and their labels")
        rows = session.scalars(everything.order_by(DeemedExportAnswer.id)).all()
    assert len(rows) == 4 and {(r.level, tuple(r.compartments)) for r in rows} == {("CONFIDENTIAL", ("alpha",))}
    events = [e for e in audit.iter_events(projects) if e["action"] == "deemed_export"]
    assert [e["detail"]["person"] for e in events] == ["Chen Wei", "Chen Wei", "Ana Silva", "stu"]  # type: ignore[index]
    assert events[0]["records"] == ["p-alpha"] and events[0]["detail"]["categories"] == ["foreign_income"]  # type: ignore[index]


def test_bad_answers_are_refused_naming_the_field(projects: Workspace) -> None:
    with pytest.raises(InputError, match="categories"):
        answer(projects, as_user(projects, "so"), "p-open", "Chen Wei", ["tourist"])
    with pytest.raises(InputError, match="date"):
        answer(projects, as_user(projects, "so"), "p-open", "Chen Wei", [], answered_on=date(2999, 1, 1))
    with pytest.raises(InputError, match="person"):
        answer(projects, as_user(projects, "so"), "p-open", "  ", [])
    with pytest.raises(AccessDenied):
        answer(projects, as_user(projects, "stu"), "p-open", "Chen Wei", [])  # an analyst answers only for themself
    assert set(CATEGORIES) == {"non_resident", "foreign_contract", "foreign_income", "foreign_instructions"}


def test_a_project_one_may_not_read_is_missing(projects: Workspace) -> None:
    answer(projects, as_user(projects, "so"), "p-alpha", "Chen Wei", ["foreign_instructions"])
    for project in ("p-alpha", "no-such-project"):
        with pytest.raises(NotFound) as caught:
            status(projects, as_user(projects, "low"), project)
        assert caught.value.detail == f"no record '{project}' among the works or seeds"
        with pytest.raises(NotFound):
            answer(projects, as_user(projects, "low"), project, "low", [])


def test_a_works_authors_are_on_its_roster(projects: Workspace) -> None:
    ingest(projects, as_user(projects, "boss"), "works", [FIXTURES / "openalex" / "works_flat_40.csv"])
    work = "openalex:W3160856016"
    result = status(projects, as_user(projects, "pi"), work, kind="works")
    assert result["unanswered"] and not result["answered"]
    first = result["unanswered"][0]
    answer(projects, as_user(projects, "so"), work, first, ["non_resident"], kind="works")
    again = status(projects, as_user(projects, "pi"), work)
    assert again["licence_check"] == [first] and first not in again["unanswered"]


def test_the_cli_records_and_reports(projects: Workspace, cli, login_as) -> None:
    login_as("so")
    done = cli(
        "review", "deemed-export", "p-open", "Chen Wei", "--foreign-income", "--note", "pledge", "--date", "2026-11-01"
    )
    assert done.code == 0 and "foreign_income" in done.out, done.err
    assert cli("review", "deemed-export", "p-open", "Kenji Sato", "--none").code == 0
    assert cli("review", "deemed-export", "p-open", "Kenji Sato").code == 2  # neither --none nor a category
    assert cli("review", "deemed-export", "p-open", "Kenji Sato", "--none", "--non-resident").code == 2
    assert cli("review", "deemed-export", "p-open", "Kenji Sato", "--none", "--date", "01.11.2026").code == 2
    shown = cli("review", "deemed-export-status", "p-open", "--person", "Ana Silva", "-f", "jsonl")
    rows = {row["person"]: row for row in map(json.loads, shown.out.splitlines())}
    assert (rows["Chen Wei"]["licence_check"], rows["Kenji Sato"]["answered"], rows["Ana Silva"]["answered"]) == (
        True,
        True,
        False,
    )
    assert cli("review", "deemed-export-status", "p-open", "--check").code == 1
    table = cli("review", "deemed-export-status", "p-open")
    assert table.code == 0 and "licence check 1" in table.out
    login_as("low")
    assert cli("review", "deemed-export-status", "p-open").code == 2
