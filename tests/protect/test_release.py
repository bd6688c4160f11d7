"""Release review: the routing table, the state machine (pure and on the store), the policy and the audit trail."""

from __future__ import annotations

import itertools
import json
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy.exc import IntegrityError

from kizashi.errors import AccessDenied, InputError, KizashiError, NotFound
from kizashi.ingest.dispatch import ingest
from kizashi.ingest.intake import create_statement
from kizashi.model import Base, ReleaseReview, ReleaseTransition
from kizashi.policy import ROLES
from kizashi.protect import people
from kizashi.protect.controls import decisions as control_decisions
from kizashi.protect.people import actor_for as as_user
from kizashi.protect.release import RULES, Route, Sensitivity, history, move, queue, route, submit
from kizashi.protect.release.machine import ACTIONS, TERMINAL, Step, allowed, approvals, decide, state_of, submitters
from kizashi.store import audit
from kizashi.store.workspace import Workspace

# name → (roles, level, compartments)
PEOPLE: dict[str, tuple[list[str], str, list[str]]] = {
    "stu": (["analyst"], "CONFIDENTIAL", ["alpha"]),
    "pi": (["principal_investigator"], "CONFIDENTIAL", ["alpha"]),
    "pi2": (["principal_investigator"], "CONFIDENTIAL", ["alpha"]),
    "pm": (["programme_manager"], "CONFIDENTIAL", ["alpha"]),
    "so": (["security_officer"], "CONFIDENTIAL", ["alpha"]),
    "duo": (["principal_investigator", "security_officer"], "CONFIDENTIAL", ["alpha"]),
    "low": (["principal_investigator"], "PUBLIC", []),
}
SEEDS = (
    "id,title,label,compartments\n"
    "s-pub,Open drone dataset,PUBLIC,\n"
    "s-conf,Radar for small drone detection,CONFIDENTIAL,\n"
    "s-alpha,Quantum key distribution link,CONFIDENTIAL,alpha\n"
)


def add_reviewers(workspace: Workspace) -> None:
    """boss (admin) and the PEOPLE, with the trainings their levels need."""
    done = datetime(2026, 1, 1, tzinfo=UTC)
    people.add_user(workspace, as_user(workspace, "boss"), "boss", roles=["admin"])
    people.grant(workspace, as_user(workspace, "boss"), "boss", "SECRET", compartments=["alpha"])
    for course in ("security-basics", "secret-handling"):
        people.record_training(workspace, as_user(workspace, "boss"), "boss", course, done)
    for name, (roles, level, compartments) in PEOPLE.items():
        people.add_user(workspace, as_user(workspace, "boss"), name, roles=roles)
        people.grant(workspace, as_user(workspace, "boss"), name, level, compartments=compartments)
        if level != "PUBLIC":
            people.record_training(workspace, as_user(workspace, "boss"), name, "security-basics", done)


@pytest.fixture
def reviewed(workspace: Workspace, tmp_path: Path) -> Workspace:
    add_reviewers(workspace)
    seeds = tmp_path / "seeds.csv"
    seeds.write_text(SEEDS, encoding="utf-8")
    ingest(workspace, as_user(workspace, "boss"), "seeds", [seeds])
    return workspace


# ---------------------------------------------------------------------------------------------------- routing table


@pytest.mark.parametrize(
    ("funding", "clause", "level", "listed", "roles", "notice"),
    [
        ("private", False, "PUBLIC", None, {"principal_investigator"}, {}),
        ("private", True, "INTERNAL", False, {"principal_investigator"}, {}),
        ("government", False, "INTERNAL", None, {"principal_investigator"}, {}),
        (
            "government",
            True,
            "PUBLIC",
            None,
            {"principal_investigator", "programme_manager"},
            {"programme_manager": 30},
        ),
        ("mixed", True, "INTERNAL", None, {"principal_investigator", "programme_manager"}, {"programme_manager": 30}),
        ("mixed", False, "INTERNAL", None, {"principal_investigator"}, {}),
        ("private", False, "CONFIDENTIAL", None, {"principal_investigator", "security_officer"}, {}),
        ("private", False, "INTERNAL", True, {"principal_investigator", "security_officer"}, {}),
        (
            "government",
            True,
            "SECRET",
            True,
            {"principal_investigator", "programme_manager", "security_officer"},
            {"programme_manager": 30},
        ),
    ],
)
def test_the_routing_table(
    funding: str, clause: bool, level: str, listed: bool | None, roles: set[str], notice: dict[str, int]
) -> None:
    found = route(funding, clause, Sensitivity(level, listed))
    assert (set(found.roles), found.notice_days) == (roles, notice)
    assert found.rules[0] == "investigator"


def test_routing_refuses_unknown_funding_and_names_only_known_roles() -> None:
    with pytest.raises(InputError, match="funding"):
        route("crowdfunded", False, Sensitivity("PUBLIC"))
    assert {role for rule in RULES for role in rule.roles} <= set(ROLES)
    # A role required outright by one rule loses the notice period another rule gives it.
    noticed = Route(frozenset({"programme_manager"}), {"programme_manager": 30})
    assert noticed.union(Route(frozenset({"programme_manager"}))).notice_days == {}
    assert noticed.union(Route(frozenset({"security_officer"}))).notice_days == {"programme_manager": 30}
    assert Route.from_json(json.loads(json.dumps(noticed.as_json()))) == Route(
        noticed.roles, noticed.notice_days, noticed.rules
    )


# ------------------------------------------------------------------------------------------- the pure state machine

T0 = datetime(2026, 11, 1, tzinfo=UTC)
HELD = {
    "stu": frozenset({"analyst"}),
    "pi": frozenset({"principal_investigator"}),
    "pi2": frozenset({"principal_investigator"}),
    "pm": frozenset({"programme_manager"}),
    "so": frozenset({"security_officer"}),
    "duo": frozenset({"principal_investigator", "security_officer"}),
}
ROUTES = [
    route("private", False, Sensitivity("PUBLIC")),
    route("government", True, Sensitivity("PUBLIC")),
    route("mixed", True, Sensitivity("CONFIDENTIAL", True)),
]
EDGES = {(start, end) for start, end in ACTIONS.values()} | {("under_review", "under_review")}


def _play(moves: list[tuple[str, str, int]], chosen: Route) -> tuple[list[Step], list[Step]]:
    """Apply (user, action, days later) moves; return the steps taken and the moves refused (as steps never made)."""
    history: list[Step] = []
    refused: list[Step] = []
    now = T0
    for user, action, days in moves:
        now += timedelta(days=days)
        before = state_of(history)
        try:
            step = decide(history, user, HELD[user], action, now, route=chosen)
        except (InputError, AccessDenied):
            refused.append(Step(action, before, before, user, None, now))
            continue
        history.append(step)
    return history, refused


@settings(max_examples=400, deadline=None)
@given(
    moves=st.lists(
        st.tuples(st.sampled_from(sorted(HELD)), st.sampled_from(sorted(ACTIONS)), st.integers(0, 20)), max_size=25
    ),
    chosen=st.sampled_from(ROUTES),
)
def test_any_sequence_of_moves_keeps_the_invariants(moves: list[tuple[str, str, int]], chosen: Route) -> None:
    history, _ = _play(moves, chosen)
    state = "draft"
    for index, step in enumerate(history):
        assert step.from_state == state, "a step starts where the one before it ended"
        assert (step.from_state, step.to_state) in EDGES, "no skipped state"
        assert state not in TERMINAL, "nothing leaves a final state"
        before = history[:index]
        if step.action != "submit":
            assert step.user not in submitters(before), "no submitter reviews"
            assert step.role in HELD[step.user] and step.role in chosen.roles, "only a required role held acts"
        if step.to_state in ("approved", "approved_with_changes"):
            signed = approvals(history[: index + 1])
            users = [s.user for s in signed.values()]
            assert len(users) == len(set(users)), "one person approves once"
            lapsed = {
                role
                for role, days in chosen.notice_days.items()
                if step.at >= next(s for s in reversed(before) if s.action == "submit").at + timedelta(days=days)
            }
            assert set(chosen.roles) <= set(signed) | lapsed, "every required role approved (or its notice lapsed)"
            assert "principal_investigator" in signed, "a person always approves"
        state = step.to_state
    for action in ACTIONS:  # a final state refuses everything
        if state in TERMINAL:
            with pytest.raises(InputError, match="final"):
                decide(history, "duo", HELD["duo"], action, T0 + timedelta(days=999), route=chosen)


def test_no_skipping_and_no_approval_by_the_submitter() -> None:
    chosen = ROUTES[0]
    history = [decide([], "pi", HELD["pi"], "submit", T0, route=chosen)]
    with pytest.raises(InputError, match="cannot approve a review that is submitted"):
        decide(history, "pi2", HELD["pi2"], "approve", T0, route=chosen)
    with pytest.raises(AccessDenied, match="submitter"):
        decide(history, "pi", HELD["pi"], "start", T0, route=chosen)
    with pytest.raises(AccessDenied, match="principal_investigator"):
        decide(history, "so", HELD["so"], "start", T0, route=chosen)
    history.append(decide(history, "pi2", HELD["pi2"], "start", T0, route=chosen))
    assert allowed(history, "pi2", HELD["pi2"], T0, chosen) == ["approve", "approve_with_changes", "withhold", "return"]
    assert allowed(history, "pi", HELD["pi"], T0, chosen) == []
    history.append(decide(history, "pi2", HELD["pi2"], "approve", T0, route=chosen))
    assert state_of(history) == "approved"


def test_a_notice_period_lapses_but_a_required_approval_never_does() -> None:
    chosen = route("government", True, Sensitivity("PUBLIC"))
    history = [decide([], "stu", HELD["stu"], "submit", T0, route=chosen)]
    history.append(decide(history, "pi", HELD["pi"], "start", T0, route=chosen))
    early = decide(history, "pi", HELD["pi"], "approve", T0 + timedelta(days=29), route=chosen)
    assert early.to_state == "under_review"  # the programme manager's notice period is still running
    late = decide(history, "pi", HELD["pi"], "approve", T0 + timedelta(days=30), route=chosen)
    assert late.to_state == "approved"
    strict = route("government", True, Sensitivity("CONFIDENTIAL"))
    assert decide(history, "pi", HELD["pi"], "approve", T0 + timedelta(days=300), route=strict).to_state == (
        "under_review"
    )  # the security officer added by today's route is still awaited


def test_one_person_cannot_stand_in_for_two_roles() -> None:
    chosen = route("private", False, Sensitivity("CONFIDENTIAL"))
    history = [decide([], "stu", HELD["stu"], "submit", T0, route=chosen)]
    history.append(decide(history, "duo", HELD["duo"], "start", T0, route=chosen))
    history.append(decide(history, "duo", HELD["duo"], "approve", T0, route=chosen, role="security_officer"))
    with pytest.raises(InputError, match="once"):
        decide(history, "duo", HELD["duo"], "approve", T0, route=chosen)
    with pytest.raises(InputError, match="already approved"):
        decide(history, "so", HELD["so"], "approve", T0, route=chosen)
    final = decide(history, "pi", HELD["pi"], "approve_with_changes", T0, route=chosen)
    assert final.to_state == "approved_with_changes"


# ---------------------------------------------------------------------------------------------------- on the store


def _events(workspace: Workspace) -> list[dict[str, object]]:
    return [e for e in audit.iter_events(workspace) if e["action"] == "release_review"]


def test_a_review_on_the_store_is_routed_appended_and_audited(reviewed: Workspace) -> None:
    step = submit(
        reviewed,
        as_user(reviewed, "stu"),
        "s-conf",
        funding="government",
        publication_clause=True,
        comment="paper for ICASSP",
    )
    assert step.route is not None
    assert set(step.route.roles) == {"principal_investigator", "programme_manager", "security_officer"}
    assert [row["record_id"] for row in queue(reviewed, as_user(reviewed, "pi"))] == ["s-conf"]
    assert queue(reviewed, as_user(reviewed, "pi"))[0]["actions"] == ["start"]
    assert queue(reviewed, as_user(reviewed, "stu")) == []
    with pytest.raises(InputError, match="cannot submit a review that is submitted"):
        submit(reviewed, as_user(reviewed, "stu"), "s-conf", funding="private")
    with pytest.raises(InputError, match="cannot approve a review that is submitted"):
        move(reviewed, as_user(reviewed, "pi"), "s-conf", "approved")
    with pytest.raises(AccessDenied):
        move(reviewed, as_user(reviewed, "stu"), "s-conf", "under_review")  # the submitter, and no required role
    move(reviewed, as_user(reviewed, "pi"), "s-conf", "under_review")
    assert (
        move(reviewed, as_user(reviewed, "so"), "s-conf", "approved", comment="no listed parameters").to_state
        == "under_review"
    )
    assert move(reviewed, as_user(reviewed, "pi2"), "s-conf", "approved").to_state == "under_review"
    assert move(reviewed, as_user(reviewed, "pm"), "s-conf", "approved").to_state == "approved"
    with pytest.raises(InputError, match="no open release review"):
        move(reviewed, as_user(reviewed, "pm"), "s-conf", "withheld")
    [review] = history(reviewed, as_user(reviewed, "stu"), "s-conf").reviews
    assert review["state"] == "approved"
    assert [(s["action"], s["from"], s["to"], s["user"]) for s in review["steps"]] == [
        ("submit", "draft", "submitted", "stu"),
        ("start", "submitted", "under_review", "pi"),
        ("approve", "under_review", "under_review", "so"),
        ("approve", "under_review", "under_review", "pi2"),
        ("approve", "under_review", "approved", "pm"),
    ]
    events = _events(reviewed)
    assert [(e["detail"]["action"], e["detail"]["to"], e["actor"]) for e in events] == [  # type: ignore[index]
        (s["action"], s["to"], s["user"]) for s in review["steps"]
    ]
    assert events[0]["records"] == ["s-conf"] and events[0]["detail"]["routing"]["funding"] == "government"  # type: ignore[index]
    assert audit.verify(reviewed).ok
    # A final decision is final; a revised record starts a new review.
    submit(reviewed, as_user(reviewed, "stu"), "s-conf", funding="private", comment="revised")
    assert [r["state"] for r in history(reviewed, as_user(reviewed, "stu"), "s-conf").reviews] == [
        "approved",
        "submitted",
    ]


def test_returned_to_draft_a_new_round_forgets_the_old_approvals(reviewed: Workspace) -> None:
    submit(reviewed, as_user(reviewed, "stu"), "s-conf", funding="private")
    move(reviewed, as_user(reviewed, "pi"), "s-conf", "under_review")
    move(reviewed, as_user(reviewed, "so"), "s-conf", "approved_with_changes", comment="drop figure 3")
    move(reviewed, as_user(reviewed, "pi"), "s-conf", "draft", comment="please revise")
    assert [row["actions"] for row in queue(reviewed, as_user(reviewed, "stu"))] == [["submit"]]
    with pytest.raises(AccessDenied, match="a reviewer may not submit"):  # one person, one role, in every round
        submit(reviewed, as_user(reviewed, "pi"), "s-conf", funding="private")
    with pytest.raises(InputError, match="draft"):
        move(reviewed, as_user(reviewed, "pi"), "s-conf", "approved")
    submit(reviewed, as_user(reviewed, "stu"), "s-conf", funding="private", comment="figure 3 removed")
    move(reviewed, as_user(reviewed, "pi"), "s-conf", "under_review")
    assert (
        move(reviewed, as_user(reviewed, "pi"), "s-conf", "approved").to_state == "under_review"
    )  # the officer must approve again
    assert move(reviewed, as_user(reviewed, "so"), "s-conf", "approved").to_state == "approved"
    [review] = history(reviewed, as_user(reviewed, "pi"), "s-conf").reviews
    assert len(review["steps"]) == 8


def test_withheld_is_final(reviewed: Workspace) -> None:
    submit(reviewed, as_user(reviewed, "stu"), "s-pub", funding="private")
    move(reviewed, as_user(reviewed, "pi"), "s-pub", "start")
    assert move(reviewed, as_user(reviewed, "pi2"), "s-pub", "withheld", comment="patent first").to_state == "withheld"
    for target in ("approved", "under_review", "draft"):
        with pytest.raises(InputError):
            move(reviewed, as_user(reviewed, "pi"), "s-pub", target)
    with pytest.raises(InputError, match="not a state"):
        move(reviewed, as_user(reviewed, "pi"), "s-pub", "published")


def test_a_record_one_may_not_read_is_missing(reviewed: Workspace) -> None:
    submit(reviewed, as_user(reviewed, "stu"), "s-alpha", funding="private")
    messages = []
    for record in ("s-alpha", "no-such-seed"):
        for attempt in (
            lambda r=record: submit(reviewed, as_user(reviewed, "low"), r, funding="private"),  # type: ignore[misc]
            lambda r=record: move(reviewed, as_user(reviewed, "low"), r, "under_review"),  # type: ignore[misc]
            lambda r=record: history(reviewed, as_user(reviewed, "low"), r),  # type: ignore[misc]
        ):
            with pytest.raises(NotFound) as caught:
                attempt()
            messages.append(caught.value.detail.replace(record, "X"))
    assert messages[:3] == messages[3:]
    assert queue(reviewed, as_user(reviewed, "low")) == []  # low is a principal investigator, but may not read s-alpha
    assert [row["record_id"] for row in queue(reviewed, as_user(reviewed, "pi"))] == ["s-alpha"]


def test_a_stricter_sensitivity_since_submission_applies_at_once(reviewed: Workspace, tmp_path: Path) -> None:
    submit(reviewed, as_user(reviewed, "stu"), "s-pub", funding="private")
    move(reviewed, as_user(reviewed, "pi"), "s-pub", "under_review")
    # An officer classifies the technology as listed while the review runs: the security officer must now approve.
    control_decisions.decide(
        reviewed,
        as_user(reviewed, "boss"),
        "s-pub",
        "listed",
        reason="暗号装置",
        control_list="jp-etco-1",
        code="9(7)",
        kind="seeds",
    )
    assert move(reviewed, as_user(reviewed, "pi"), "s-pub", "approved").to_state == "under_review"
    assert queue(reviewed, as_user(reviewed, "so"))[0]["waiting"] == ["security_officer"]
    assert move(reviewed, as_user(reviewed, "so"), "s-pub", "approved").to_state == "approved"
    with pytest.raises(InputError, match="funding"):
        submit(reviewed, as_user(reviewed, "stu"), "s-conf", funding="lottery")


def test_two_steps_cannot_share_a_place_in_the_history(reviewed: Workspace) -> None:
    submit(reviewed, as_user(reviewed, "stu"), "s-pub", funding="private")
    values = {
        "review_id": 1,
        "seq": 1,
        "action": "start",
        "from_state": "submitted",
        "to_state": "under_review",
        "user": "pi",
        "at": datetime.now(UTC),
        "comment": "",
        "level": "PUBLIC",
        "compartments": [],
        "tlp_recipients": [],
    }
    with pytest.raises(IntegrityError), reviewed.session() as session:
        session.add(ReleaseTransition(**values))
    twin = {"record_kind": "seeds", "record_id": "s-pub", "number": 1, "created_by": "pi", "created_at": values["at"]}
    with pytest.raises(IntegrityError), reviewed.session() as session:  # a second first review of the record
        session.add(ReleaseReview(**twin, level="PUBLIC", compartments=[], tlp_recipients=[]))


def test_the_migration_matches_the_model(reviewed: Workspace) -> None:
    ours = {"release_reviews", "release_transitions", "deemed_export_answers"}
    with reviewed.engine.connect() as connection:
        context = MigrationContext.configure(connection, opts={"compare_type": False})
        diffs = compare_metadata(context, Base.metadata)
    mine = [d for d in diffs if ours & {getattr(part, "name", None) for part in _parts(d)}]
    assert mine == []


def _parts(diff: object) -> Iterator[object]:
    if isinstance(diff, tuple):
        for part in diff:
            yield part
            table = getattr(part, "table", None)
            if table is not None:
                yield table
    elif isinstance(diff, list):
        for item in diff:
            yield from _parts(item)


# ------------------------------------------------------------------------------- random sequences on the store


@settings(max_examples=12, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    moves=st.lists(
        st.tuples(
            st.sampled_from(["stu", "pi", "pi2", "pm", "so", "duo", "low"]),
            st.sampled_from(["submit", "under_review", "approved", "approved_with_changes", "withheld", "draft"]),
        ),
        max_size=12,
    ),
    funding=st.sampled_from(["private", "government", "mixed"]),
)
def test_random_moves_on_the_store_keep_the_invariants(
    reviewed: Workspace, moves: list[tuple[str, str]], funding: str
) -> None:
    record = create_statement(
        reviewed, as_user(reviewed, "boss"), "seeds", {"title": "a result", "level": "CONFIDENTIAL"}
    )
    before = len(_events(reviewed))
    taken = 0
    for user, target in moves:
        try:
            if target == "submit":
                submit(reviewed, as_user(reviewed, user), record, funding=funding, publication_clause=True)
            else:
                move(reviewed, as_user(reviewed, user), record, target)
            taken += 1
        except KizashiError as refused:
            assert isinstance(refused, InputError | AccessDenied | NotFound)
            assert not (user == "low" and not isinstance(refused, NotFound)), "low may not even learn it exists"
    reviews = history(reviewed, as_user(reviewed, "boss"), record).reviews
    steps = [(r["review"], s) for r in reviews for s in r["steps"]]
    assert len(steps) == taken == len(_events(reviewed)) - before, "every step appended once and audited once"
    for review in reviews:
        seen = review["steps"]
        assert [s["seq"] for s in seen] == list(range(1, len(seen) + 1))
        assert all(a["to"] == b["from"] for a, b in itertools.pairwise(seen)), "no skipped state"
        assert all(a["to"] not in TERMINAL for a in seen[:-1]), "nothing leaves a final state"
        authors = {s["user"] for s in seen if s["action"] == "submit"}
        assert not authors & {s["user"] for s in seen if s["action"] != "submit"}
    assert all(r["state"] in TERMINAL for r in reviews[:-1]), "a new review only after a final one"


# ------------------------------------------------------------------------------------------------------------ CLI


def test_the_cli_end_to_end(reviewed: Workspace, cli, login_as, tmp_path: Path) -> None:
    def as_login(name: str, *args: object):  # type: ignore[no-untyped-def]
        login_as(name)
        return cli("review", *args)

    done = as_login("stu", "submit", "s-conf", "--funding", "government", "--publication-clause", "--comment", "talk")
    assert done.code == 0, done.err
    assert "draft → submitted" in done.out and "programme_manager" in done.out and "security_officer" in done.out
    assert as_login("pi", "move", "s-conf", "approved").code == 2  # no skipping: not yet under review
    assert as_login("stu", "move", "s-conf", "under_review").code == 2  # the submitter
    queued = as_login("so", "queue", "-f", "jsonl")
    assert queued.code == 0
    [row] = [json.loads(line) for line in queued.out.splitlines()]
    assert (row["record_id"], row["state"], row["actions"]) == ("s-conf", "submitted", ["start"])
    assert as_login("so", "move", "s-conf", "under_review").code == 0
    assert as_login("so", "move", "s-conf", "approved_with_changes", "--comment", "drop the range figure").code == 0
    assert as_login("pi", "move", "s-conf", "approved").code == 0
    csv_out = as_login("pm", "queue", "-f", "csv")
    assert csv_out.out.splitlines()[0].startswith("review,kind,record_id") and "s-conf" in csv_out.out
    final = as_login("pm", "move", "s-conf", "approved")
    assert final.code == 0 and "approved_with_changes" in final.out
    shown = as_login("stu", "show", "s-conf", "-f", "jsonl")
    steps = [json.loads(line) for line in shown.out.splitlines()]
    assert [s["to"] for s in steps] == [
        "submitted",
        "under_review",
        "under_review",
        "under_review",
        "approved_with_changes",
    ]
    assert "approved_with_changes" in as_login("stu", "show", "s-conf").out
    assert as_login("low", "show", "s-conf").code == 2  # hidden: the same answer as a missing record
    assert "no record 's-conf'" in as_login("low", "show", "s-conf").err
    book = tmp_path / "queue.xlsx"
    submit(reviewed, as_user(reviewed, "stu"), "s-pub", funding="private")
    assert as_login("pi", "queue", "-f", "xlsx", "-o", book).code == 0 and book.stat().st_size > 0
    assert as_login("stu", "submit", "s-pub", "--funding", "lottery").code == 2
    reads = [e for e in audit.iter_events(reviewed) if e["detail"].get("service") in ("review queue", "review history")]
    assert {e["detail"]["service"] for e in reads} == {"review queue", "review history"}  # type: ignore[index]
    assert any(e["action"] == "export" for e in reads)
