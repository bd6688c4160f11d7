"""Findings of the access-policy and audit review of the screening, control-list, release-review, deemed-export and
risk-card code: each test fails on the code as it landed and passes with the fix beside it."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest

from kizashi.errors import InputError, KizashiError
from kizashi.ingest.dispatch import ingest
from kizashi.protect import deemed_export, release
from kizashi.protect import people as users
from kizashi.protect.controls.decisions import decide as classify
from kizashi.protect.people import actor_for as as_user
from kizashi.protect.risk_card import risk_card
from kizashi.protect.screening.store import load_list
from kizashi.store import audit
from kizashi.store.workspace import Workspace

FIXTURES = Path(__file__).parent / "fixtures"
# name → (roles, level, compartments)
PEOPLE: dict[str, tuple[list[str], str, list[str]]] = {
    "stu": (["analyst"], "CONFIDENTIAL", ["alpha"]),
    "pi": (["principal_investigator"], "CONFIDENTIAL", ["alpha"]),
    "so": (["security_officer"], "CONFIDENTIAL", ["alpha"]),
    "mid": (["analyst"], "INTERNAL", []),
    "midpi": (["principal_investigator"], "INTERNAL", []),
}


def _people(workspace: Workspace) -> None:
    done = datetime(2026, 1, 1, tzinfo=UTC)
    users.add_user(workspace, as_user(workspace, "boss"), "boss", roles=["admin"])
    users.grant(workspace, as_user(workspace, "boss"), "boss", "SECRET", compartments=["alpha"])
    for course in ("security-basics", "secret-handling"):
        users.record_training(workspace, as_user(workspace, "boss"), "boss", course, done)
    for name, (roles, level, compartments) in PEOPLE.items():
        users.add_user(workspace, as_user(workspace, "boss"), name, roles=roles)
        users.grant(workspace, as_user(workspace, "boss"), name, level, compartments=compartments)
        if level == "CONFIDENTIAL":
            users.record_training(workspace, as_user(workspace, "boss"), name, "security-basics", done)


def _label(workspace: Workspace, tmp_path: Path, level: str, compartments: str = "") -> None:
    """(Re-)import the seeds p1 and p2 with this label (a re-import relabels them, as the loader does)."""
    seeds = tmp_path / f"seeds-{level}-{compartments}.csv"
    seeds.write_text(
        "id,title,description,label,compartments\n"
        f"p1,Quantum key distribution testbed,256-bit keys,{level},{compartments}\n"
        f"p2,Drone swarm coordination,Formation flight,{level},{compartments}\n",
        encoding="utf-8",
    )
    ingest(workspace, as_user(workspace, "boss"), "seeds", [seeds])


@pytest.fixture
def people(workspace: Workspace) -> Workspace:
    _people(workspace)
    return workspace


# ---------------------------------------------------------------------------------------------------- release review


def test_a_hidden_listed_decision_does_not_route_what_the_reader_sees(people: Workspace, tmp_path: Path) -> None:
    """A control decision keeps the label of its day. After the project is relabelled down, a reader of the new
    label must not learn from the release route (its rules, its required roles) that a hidden decision says
    "listed"; the security officer is still required when the reviewers decide."""
    _label(people, tmp_path, "CONFIDENTIAL", "alpha")
    classify(
        people,
        as_user(people, "so"),
        "p1",
        "listed",
        reason="QKD: 9(7)",
        control_list="jp-etco-1",
        code="9(7)",
        kind="seeds",
    )
    _label(people, tmp_path, "INTERNAL")
    step = release.submit(people, as_user(people, "mid"), "p1", funding="private", kind="seeds")
    assert step.route is not None and "listed" not in step.route.rules
    seen = release.history(people, as_user(people, "mid"), "p1", kind="seeds").reviews[-1]
    assert "listed" not in seen["rules"] and "security_officer" not in seen["required"]
    card = risk_card(people, as_user(people, "mid"), "p1", "seeds", suggest=False)
    assert card.sections["technology"].facts["decision"] is None
    assert "listed" not in card.sections["release"].facts["rules"]
    # Whoever may read the decision sees the requirement, and it is enforced when the reviewers decide.
    assert (
        "security_officer" in release.history(people, as_user(people, "so"), "p1", kind="seeds").reviews[-1]["required"]
    )
    release.move(people, as_user(people, "pi"), "p1", "start", kind="seeds")
    assert release.move(people, as_user(people, "pi"), "p1", "approved", kind="seeds").to_state == "under_review"
    assert release.move(people, as_user(people, "so"), "p1", "approved", kind="seeds").to_state == "approved"


def test_a_review_history_carries_the_label_of_the_steps_it_shows(people: Workspace, tmp_path: Path) -> None:
    """A step taken while the record was CONFIDENTIAL/alpha keeps that label; a history (and the risk card built from
    it) that shows the step's comment must carry it too, even after the record is relabelled down."""
    _label(people, tmp_path, "INTERNAL")
    release.submit(people, as_user(people, "stu"), "p1", funding="private", kind="seeds")
    _label(people, tmp_path, "CONFIDENTIAL", "alpha")
    release.move(
        people,
        as_user(people, "pi"),
        "p1",
        "start",
        kind="seeds",
        comment="the 256-bit key schedule is the secret part",
    )
    _label(people, tmp_path, "INTERNAL")
    shown = release.history(people, as_user(people, "pi"), "p1", kind="seeds")
    view = shown.reviews[-1]
    assert any("key schedule" in step["comment"] for step in view["steps"])
    assert (view["label"].level, view["label"].compartments) == ("CONFIDENTIAL", frozenset({"alpha"}))
    assert (shown.label.level, shown.label.compartments) == ("CONFIDENTIAL", frozenset({"alpha"}))  # the whole page
    card = risk_card(people, as_user(people, "pi"), "p1", "seeds", suggest=False)
    assert any("key schedule" in str(row["comment"]) for row in card.sections["release"].rows)
    assert (card.label.level, card.label.compartments) == ("CONFIDENTIAL", frozenset({"alpha"}))
    # The reader of the new label sees neither the step nor the higher label.
    low_history = release.history(people, as_user(people, "mid"), "p1", kind="seeds")
    low = low_history.reviews[-1]
    assert all("key schedule" not in step["comment"] for step in low["steps"]) and low["label"].level == "INTERNAL"
    assert low_history.label.level == "INTERNAL"


def test_a_hidden_open_review_answers_like_none_and_is_never_acted_on(people: Workspace, tmp_path: Path) -> None:
    """p1's review was opened while it was CONFIDENTIAL/alpha; p2 was never submitted. Relabelled down, both are
    INTERNAL: a reader of that label may not tell them apart, nor take a step in the hidden review."""
    _label(people, tmp_path, "CONFIDENTIAL", "alpha")
    release.submit(people, as_user(people, "stu"), "p1", funding="private", kind="seeds")
    release.move(people, as_user(people, "pi"), "p1", "start", kind="seeds")
    release.move(
        people, as_user(people, "pi"), "p1", "return", kind="seeds", comment="fix the key lengths"
    )  # back to draft
    _label(people, tmp_path, "INTERNAL")
    answers = []
    for record in ("p1", "p2"):
        with pytest.raises(KizashiError) as caught:
            release.move(people, as_user(people, "midpi"), record, "start", kind="seeds")
        answers.append((type(caught.value), caught.value.status, caught.value.detail.replace(record, "X")))
    assert answers[0] == answers[1]
    assert answers[0][0] is InputError
    steps_before = len(release.history(people, as_user(people, "pi"), "p1", kind="seeds").reviews[-1]["steps"])
    with pytest.raises(KizashiError):
        release.submit(people, as_user(people, "mid"), "p1", funding="private", kind="seeds")
    assert len(release.history(people, as_user(people, "pi"), "p1", kind="seeds").reviews[-1]["steps"]) == steps_before


# ---------------------------------------------------------------------------------------------------- deemed export


def test_a_deemed_export_status_carries_the_label_of_the_answers_it_shows(people: Workspace, tmp_path: Path) -> None:
    _label(people, tmp_path, "CONFIDENTIAL", "alpha")
    deemed_export.answer(
        people, as_user(people, "so"), "p1", "Chen Wei", ["foreign_income"], kind="seeds", evidence="pledge"
    )
    _label(people, tmp_path, "INTERNAL")
    result = deemed_export.status(people, as_user(people, "so"), "p1", kind="seeds")
    assert result["licence_check"] == ["Chen Wei"]
    assert (result["label"].level, result["label"].compartments) == ("CONFIDENTIAL", frozenset({"alpha"}))
    hidden = deemed_export.status(people, as_user(people, "mid"), "p1", kind="seeds")
    assert hidden["people"] == [] and hidden["label"].level == "INTERNAL"


# ---------------------------------------------------------------------------------------------------- screening CLI


def test_screening_in_the_workspace_to_a_file_is_an_audited_export(
    workspace: Workspace, cli, tmp_path: Path, login_as
) -> None:
    """The results (with the officers' decisions) leave as a file: the trail says so, as for the other exports."""
    login_as("op")
    load_list(workspace, as_user(workspace, "op"), FIXTURES / "lists" / "generic.csv")
    names = tmp_path / "names.csv"
    names.write_text("id,name\n1,Toto Seimitsu Kogyo KK\n2,Kasumi Optics\n", encoding="utf-8")
    out = tmp_path / "screened.csv"
    result = cli("screen", "parties", "--names", names, "--format", "csv", "--out", out)  # type: ignore[operator]
    assert result.code == 1 and out.exists(), result.err
    # The screening service writes one event per run, saying where its results went (Delivery): here, the file.
    (screened,) = [event for event in audit.iter_events(workspace) if event["action"] == "screen"]
    assert screened["actor"] == "op" and screened["detail"]["via"] == "cli: kizashi screen parties"
    assert (screened["detail"]["file"], screened["detail"]["format"]) == (str(out), "csv")
    assert screened["detail"]["names"] == 2
