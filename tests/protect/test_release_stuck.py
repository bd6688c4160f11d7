"""A release review nobody can approve (protect/release/eligible.py): the matching of awaited roles to distinct
eligible people against a brute force, and on the store (submit, queue, history) with what would unblock it; and a
submitter's own submissions (`release.mine`)."""

from __future__ import annotations

import itertools
from datetime import UTC, datetime
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from kizashi.ingest.dispatch import ingest
from kizashi.messages.words import LEVELS as LEVEL_WORDS
from kizashi.messages.words import ROLES as ROLE_WORDS
from kizashi.policy import LEVELS, Clearance, Label
from kizashi.policy import ROLES as POLICY_ROLES
from kizashi.protect import people
from kizashi.protect.people import actor_for as as_user
from kizashi.protect.release import history, mine, move, queue, submit, unfilled
from kizashi.protect.release.eligible import eligible, stuck
from kizashi.protect.risk_card import risk_card
from kizashi.store import audit
from kizashi.store.workspace import Workspace
from kizashi.web.i18n import MESSAGES

ROLES = ("principal_investigator", "security_officer", "programme_manager")
NAMES = ("ann", "ben", "cho", "dai", "eri")
ORGS = ("tohoku", "riken")


# ------------------------------------------------------------------------------------------------ the pure matching


def _reads(person: Clearance, label: Label) -> bool:
    """The access rule written out again, independently of policy.can_read."""
    return (
        LEVELS.index(person.level) >= LEVELS.index(label.level)
        and label.compartments <= person.compartments
        and (label.organisations is None or person.organisation in label.organisations)
        and (label.people is None or person.user in label.people)
    )


def _most_filled(roles: list[str], crowd: list[Clearance], label: Label, exclude: set[str]) -> int:
    """By brute force: the most roles that distinct eligible people can fill (every assignment tried)."""
    best = 0
    for choice in itertools.product([None, *crowd], repeat=len(roles)):
        chosen = [p for p in choice if p is not None]
        if len({p.user for p in chosen}) != len(chosen):
            continue
        if all(
            p is None or (role in p.roles and p.user not in exclude and _reads(p, label))
            for role, p in zip(roles, choice, strict=True)
        ):
            best = max(best, len(chosen))
    return best


clearances = st.builds(
    Clearance,
    user=st.sampled_from(NAMES),
    level=st.sampled_from(LEVELS),
    compartments=st.frozensets(st.sampled_from(("alpha", "beta")), max_size=2),
    organisation=st.sampled_from((None, *ORGS)),
    roles=st.frozensets(st.sampled_from(ROLES), max_size=3),
)
labels = st.builds(
    Label,
    level=st.sampled_from(LEVELS),
    compartments=st.frozensets(st.sampled_from(("alpha", "beta")), max_size=2),
    organisations=st.none() | st.frozensets(st.sampled_from(ORGS), min_size=1),
    people=st.none() | st.frozensets(st.sampled_from(NAMES), min_size=1),
)


@settings(max_examples=500, deadline=None)
@given(
    crowd=st.lists(clearances, max_size=5, unique_by=lambda p: p.user),
    label=labels,
    roles=st.lists(st.sampled_from(ROLES), unique=True, max_size=3),
    exclude=st.sets(st.sampled_from(NAMES), max_size=2),
)
def test_unfilled_roles_agree_with_a_brute_force(
    crowd: list[Clearance], label: Label, roles: list[str], exclude: set[str]
) -> None:
    left = unfilled(roles, crowd, label, exclude)
    assert set(left) <= set(roles)
    assert len(left) == len(roles) - _most_filled(roles, crowd, label, exclude), "a maximum matching"
    filled = [role for role in roles if role not in left]
    assert _most_filled(filled, crowd, label, exclude) == len(filled), "the roles it fills can all be filled at once"
    for role in roles:  # a role nobody eligible holds is always left
        if not any(role in p.roles and p.user not in exclude and _reads(p, label) for p in crowd):
            assert role in left
    # What would unblock each: a holder shown lacks something a grant or the TLP marking decides, never nothing.
    for found in stuck(roles, crowd, label, exclude):
        assert found.role in left
        for lack in found.holders:
            assert lack.user not in exclude and lack.user not in eligible(crowd, found.role, label)
            assert lack.level or lack.compartments or lack.outside_tlp


def test_one_person_cannot_fill_two_roles() -> None:
    duo = Clearance("duo", "SECRET", roles=frozenset({"principal_investigator", "security_officer"}))
    label = Label("CONFIDENTIAL")
    assert unfilled(["principal_investigator", "security_officer"], [duo], label) == ("security_officer",)
    assert unfilled(["principal_investigator"], [duo], label) == ()
    assert unfilled(["principal_investigator"], [duo], label, {"duo"}) == ("principal_investigator",)
    low = Clearance("low", "INTERNAL", roles=frozenset({"security_officer"}))
    (found,) = stuck(["principal_investigator", "security_officer"], [duo, low], label)
    assert found.role == "security_officer" and [(h.user, h.level) for h in found.holders] == [("low", "CONFIDENTIAL")]


# ------------------------------------------------------------------------------------------------------- on the store

DONE = datetime(2026, 1, 1, tzinfo=UTC)
SEEDS = (
    "id,title,label,compartments\n"
    "s-secret,Hypersonic seeker,SECRET,\n"
    "s-conf,Radar for small drone detection,CONFIDENTIAL,\n"
    "s-pub,Open drone dataset,PUBLIC,\n"
)


def _user(workspace: Workspace, name: str, roles: list[str], level: str) -> None:
    boss = as_user(workspace, "boss")
    people.add_user(workspace, boss, name, roles=roles)
    people.grant(workspace, boss, name, level)
    for course in ("security-basics", "secret-handling")[: max(0, LEVELS.index(level) - 1)]:
        people.record_training(workspace, boss, name, course, DONE)


@pytest.fixture
def office(workspace: Workspace, tmp_path: Path) -> Workspace:
    """boss (admin, SECRET); stu (analyst, SECRET) submits; pi, the only principal investigator, is CONFIDENTIAL;
    so (security officer) is SECRET."""
    people.add_user(workspace, as_user(workspace, "boss"), "boss", roles=["admin"])
    people.grant(workspace, as_user(workspace, "boss"), "boss", "SECRET")
    for course in ("security-basics", "secret-handling"):
        people.record_training(workspace, as_user(workspace, "boss"), "boss", course, DONE)
    _user(workspace, "stu", ["analyst"], "SECRET")
    _user(workspace, "pi", ["principal_investigator"], "CONFIDENTIAL")
    _user(workspace, "so", ["security_officer"], "SECRET")
    seeds = tmp_path / "seeds.csv"
    seeds.write_text(SEEDS, encoding="utf-8")
    ingest(workspace, as_user(workspace, "boss"), "seeds", [seeds])
    return workspace


def test_a_review_only_an_uncleared_investigator_could_approve_is_flagged(office: Workspace) -> None:
    step = submit(office, as_user(office, "stu"), "s-secret", funding="private")
    assert step.to_state == "submitted"
    (found,) = step.stuck
    assert found["role"] == "principal_investigator" and found["level"] == "SECRET"
    # stu may not read the user directory: the holder is counted with what they lack, never named.
    assert found["holders"] == [{"user": None, "level": "SECRET", "compartments": [], "outside_tlp": False}]
    # The security officer sees it on the queue, named (officers may read the directory).
    (row,) = [r for r in queue(office, as_user(office, "so")) if r["record_id"] == "s-secret"]
    assert [(s["role"], [h["user"] for h in s["holders"]]) for s in row["stuck"]] == [
        ("principal_investigator", ["pi"])
    ]
    assert history(office, as_user(office, "stu"), "s-secret").reviews[-1]["stuck"] == [found]
    # The CONFIDENTIAL one is not stuck: pi reads it, so does the officer.
    assert submit(office, as_user(office, "stu"), "s-conf", funding="private").stuck == ()
    # Raising pi's clearance unblocks it, at once.
    _user(office, "pi2", ["principal_investigator"], "SECRET")
    assert history(office, as_user(office, "stu"), "s-secret").reviews[-1]["stuck"] == []


def test_a_submitter_who_is_the_only_investigator_is_stuck_until_another_is_added(office: Workspace) -> None:
    step = submit(office, as_user(office, "pi"), "s-pub", funding="private")
    assert [(s["role"], s["holders"]) for s in step.stuck] == [("principal_investigator", [])]
    _user(office, "pi2", ["principal_investigator"], "INTERNAL")
    assert history(office, as_user(office, "pi"), "s-pub").reviews[-1]["stuck"] == []


def test_an_unmanaged_workspace_flags_nothing(workspace: Workspace, tmp_path: Path) -> None:
    seeds = tmp_path / "seeds.csv"
    seeds.write_text(SEEDS, encoding="utf-8")
    ingest(workspace, as_user(workspace, "op"), "seeds", [seeds])
    assert submit(workspace, as_user(workspace, "op"), "s-secret", funding="private").stuck == ()


def test_my_submissions_list_what_i_submitted_and_may_read(office: Workspace) -> None:
    submit(office, as_user(office, "stu"), "s-conf", funding="private", comment="学会発表")
    submit(office, as_user(office, "stu"), "s-secret", funding="government", publication_clause=True)
    submit(office, as_user(office, "so"), "s-pub", funding="private")
    rows = mine(office, as_user(office, "stu"))
    assert [r["record_id"] for r in rows] == ["s-secret", "s-conf"]  # the latest first
    assert rows[1]["title"] == "Radar for small drone detection" and rows[1]["state"] == "submitted"
    assert rows[1]["next"] == ["principal_investigator", "security_officer"] and rows[1]["submitted_at"]
    assert rows[0]["stuck"] and not rows[1]["stuck"]
    assert [r["record_id"] for r in mine(office, as_user(office, "so"))] == ["s-pub"]
    assert mine(office, as_user(office, "pi")) == []
    # Returned to draft: the submitter acts next.
    move(office, as_user(office, "pi"), "s-conf", "start")
    move(office, as_user(office, "pi"), "s-conf", "return", comment="図3を削除")
    (conf,) = [r for r in mine(office, as_user(office, "stu")) if r["record_id"] == "s-conf"]
    assert conf["state"] == "draft" and conf["next"] == ["submitter"]
    # A clearance lowered below a record's label: its review leaves the list (hidden ≡ missing).
    people.revoke(office, as_user(office, "boss"), "stu")
    people.grant(office, as_user(office, "boss"), "stu", "CONFIDENTIAL")
    assert [r["record_id"] for r in mine(office, as_user(office, "stu"))] == ["s-conf"]
    events = [e for e in audit.iter_events(office) if (e["detail"] or {}).get("service") == "my submissions"]
    assert [e["actor"] for e in events][-1] == "stu" and events[-1]["records"] == ["s-conf"]


# ---------------------------------------------------------------------------------------------------- the risk card


def test_the_risk_card_does_not_call_who_may_read_done_while_nobody_can_approve(office: Workspace) -> None:
    submit(office, as_user(office, "stu"), "s-secret", funding="private")
    card = risk_card(office, as_user(office, "boss"), "s-secret", suggest=False)
    access = card.sections["access"]
    assert access.state == "incomplete" and access.findings == ("release_unapprovable",)
    assert [s["role"] for s in card.sections["release"].facts["stuck"]] == ["principal_investigator"]
    (step,) = [s for s in card.missing if s.finding == "release_unapprovable"]
    assert step.section == "access" and step.page == "/admin/users"
    assert "pi の資格を極秘に引き上げる" in step.ja and "raise pi's clearance to SECRET" in step.en
    assert step.command == "kizashi user grant pi --level SECRET"
    assert "unapprovable-release-review" in [rule.name for rule in card.reasons]
    # stu may not see the user directory: the way out is told without a name.
    told = [s for s in risk_card(office, as_user(office, "stu"), "s-secret", suggest=False).missing]
    (unnamed,) = [s for s in told if s.finding == "release_unapprovable"]
    assert " pi " not in unnamed.ja and "研究代表者の役割を持つ利用者の資格を極秘に引き上げる" in unnamed.ja
    # Another investigator cleared for it: who may read is complete again.
    _user(office, "pi2", ["principal_investigator"], "SECRET")
    again = risk_card(office, as_user(office, "boss"), "s-secret", suggest=False)
    assert again.sections["access"].state == "complete" and again.sections["access"].findings == ()
    assert not any(s.finding == "release_unapprovable" for s in again.missing)


def test_the_cards_words_for_roles_and_levels_are_the_pages_words() -> None:
    # One table (kizashi.messages.words) says them everywhere, and it names every role and level policy knows.
    for prefix, table in (("role", ROLE_WORDS), ("level", LEVEL_WORDS)):
        assert {key: MESSAGES[f"{prefix}_{key}"] for key in table} == {key: (w.ja, str(w)) for key, w in table.items()}
    assert set(ROLE_WORDS) == set(POLICY_ROLES) and set(LEVEL_WORDS) == set(LEVELS)


def test_the_command_line_says_at_once_who_would_unblock_it(  # type: ignore[no-untyped-def]
    office: Workspace, cli, login_as, monkeypatch: pytest.MonkeyPatch
) -> None:
    login_as("stu")
    monkeypatch.setenv("KIZASHI_LANG", "ja")
    said = cli("review", "submit", "s-secret", "--funding", "private")
    assert said.code == 0, said.err
    assert "承認できる研究代表者がいない" in said.err and "極秘" in said.err
    assert "kizashi user add NAME --role principal_investigator" in said.out  # stu may not see who holds the role
    monkeypatch.setenv("KIZASHI_LANG", "en")
    quiet = cli("review", "submit", "s-conf", "--funding", "private")
    assert quiet.code == 0 and "Nobody can approve" not in quiet.err
