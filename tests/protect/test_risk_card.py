"""The project risk card: the rules table, a full card on a small workspace, and the access policy on every section."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st
from sqlalchemy import update
from test_release import add_reviewers

from kizashi.errors import NotFound
from kizashi.ingest.dispatch import ingest
from kizashi.model import Seed
from kizashi.protect import deemed_export, people, release
from kizashi.protect.controls.decisions import decide
from kizashi.protect.people import actor_for as as_user
from kizashi.protect.risk_card import SECTIONS, project_parties, risk_card
from kizashi.protect.risk_rules import FINDINGS, LEVELS, RULES, RiskRule, assess, rank
from kizashi.protect.screening import store as screening
from kizashi.store import audit
from kizashi.store.workspace import Workspace

FIXTURES = Path(__file__).parent.parent / "fixtures"
SEEDS = (
    "id,title,description,organization,label,compartments\n"
    "p-alpha,量子鍵配送の試験環境,Quantum key distribution testbed with 256-bit keys,Tohoku University; 株式会社テスト,"
    "CONFIDENTIAL,alpha\n"
    "p-open,Open drone dataset,Flight logs of small drones,,INTERNAL,\n"
)

# ------------------------------------------------------------------------------------------------------ the rules


@pytest.mark.parametrize(
    ("findings", "level"),
    [
        ((), "low"),
        (("release_withheld",), "low"),
        (("technology_undecided",), "medium"),
        (("partners_not_screened", "release_pending"), "medium"),
        (("technology_listed",), "medium"),
        (("deemed_licence_check",), "medium"),
        (("technology_listed", "deemed_licence_check"), "high"),
        (("partner_alert",), "high"),
        (("partner_escalated", "technology_undecided"), "high"),
        (("partner_true_match",), "high"),
        (("partner_true_match", "technology_listed"), "blocked"),
        (("partner_true_match", "technology_listed", "release_withheld", "access_unmanaged"), "blocked"),
        (("access_unmanaged",), "medium"),
    ],
)
def test_the_rules_table(findings: tuple[str, ...], level: str) -> None:
    assessment = assess(findings)
    assert assessment.level == level
    # The reasons are the rules that applied, highest first; the first one sets the level.
    assert [rank(r.level) for r in assessment.reasons] == sorted(
        (rank(r.level) for r in assessment.reasons), reverse=True
    )
    assert (assessment.reasons[0].level if assessment.reasons else "low") == level


def test_rules_name_known_findings_and_levels_only() -> None:
    assert {finding for rule in RULES for finding in rule.when} <= set(FINDINGS)
    assert all(rule.why and rule.why_ja and rule.why_ja not in FINDINGS for rule in RULES)
    with pytest.raises(ValueError, match="level"):
        RiskRule("x", frozenset({"partner_alert"}), "catastrophic", "no such level")
    with pytest.raises(ValueError, match="findings"):
        RiskRule("x", frozenset({"moon_phase"}), "high", "no such finding")
    with pytest.raises(ValueError, match="unknown findings"):
        assess(["moon_phase"])
    # Every gap a card can report has a rule that makes it at least medium.
    gaps = {"technology_undecided", "partners_not_screened", "partners_unknown", "release_unsubmitted"}
    gaps |= {"release_pending", "deemed_unanswered", "deemed_nobody"}
    for gap in gaps:
        assert rank(assess([gap]).level) >= rank("medium"), gap


@given(st.sets(st.sampled_from(sorted(FINDINGS))), st.sets(st.sampled_from(sorted(FINDINGS))))
def test_a_worse_finding_never_lowers_the_level(found: set[str], more: set[str]) -> None:
    assert rank(assess(found | more).level) >= rank(assess(found).level)
    assert assess(found).level in LEVELS


# ------------------------------------------------------------------------------------------------- a full card


@pytest.fixture
def projects(workspace: Workspace, tmp_path: Path) -> Workspace:
    add_reviewers(workspace)
    people.add_user(workspace, as_user(workspace, "boss"), "mid", roles=["analyst"])
    people.grant(workspace, as_user(workspace, "boss"), "mid", "INTERNAL")
    seeds = tmp_path / "seeds.csv"
    seeds.write_text(SEEDS, encoding="utf-8")
    ingest(workspace, as_user(workspace, "boss"), "seeds", [seeds])
    return workspace


def _prepare(ws: Workspace) -> None:
    decide(
        ws,
        as_user(ws, "so"),
        "p-alpha",
        "listed",
        reason="QKD equipment: item 9(7)",
        control_list="jp-etco-1",
        code="9(7)",
    )
    release.submit(ws, as_user(ws, "pi"), "p-alpha", funding="government", publication_clause=True)
    deemed_export.answer(ws, as_user(ws, "so"), "p-alpha", "Chen Wei", ["foreign_income"], evidence="pledge")
    deemed_export.answer(ws, as_user(ws, "so"), "p-alpha", "Ana Silva", [])


def test_a_full_card_joins_every_section(projects: Workspace) -> None:
    _prepare(projects)
    card = risk_card(projects, as_user(projects, "so"), "p-alpha", suggest=False)
    assert list(card.sections) == list(SECTIONS)
    technology = card.sections["technology"]
    assert technology.state == "complete" and technology.findings == ("technology_listed",)
    assert (technology.facts["list"], technology.facts["code"], technology.facts["decided_by"]) == (
        "jp-etco-1",
        "9(7)",
        "so",
    )
    partners = card.sections["partners"]
    assert [(r["name"], r["type"]) for r in partners.rows] == [
        ("Tohoku University", "organisation"),
        ("株式会社テスト", "organisation"),
        ("Ana Silva", "person"),
        ("Chen Wei", "person"),
    ]
    review = card.sections["release"]
    assert review.facts["state"] == "submitted" and review.facts["funding"] == "government"
    assert set(review.facts["required"]) == {"principal_investigator", "programme_manager", "security_officer"}
    assert review.findings == ("release_pending",) and review.rows[0]["action"] == "submit"
    deemed = card.sections["deemed_export"]
    assert deemed.facts["licence_check"] == ["Chen Wei"] and deemed.state == "complete"
    access = card.sections["access"]
    assert access.facts["names_shown"] and {r["user"] for r in access.rows} == {
        "boss",
        "stu",
        "pi",
        "pi2",
        "pm",
        "so",
        "duo",
    }
    # Listed technology + a person in a deemed-export category: high; the card carries the project's label.
    assert card.level == "high" and card.reasons[0].name == "listed-technology-to-a-deemed-exporter"
    assert (card.label.level, card.label.compartments) == ("CONFIDENTIAL", frozenset({"alpha"}))
    steps = {step.finding: step for step in card.missing}
    assert set(steps) >= {"partners_not_screened", "release_pending", "deemed_licence_check"}
    assert "technology_undecided" not in steps
    assert steps["release_pending"].page == "/review/seeds/p-alpha"
    assert steps["release_pending"].command.startswith("kizashi review move p-alpha --kind seeds")
    payload = json.loads(json.dumps(card.as_json(), default=str))
    # The label keeps its TLP constraints through serialisation (docs/security.md): none here.
    label = {"level": "CONFIDENTIAL", "compartments": ["alpha"], "tlp": None, "organisations": None, "people": None}
    assert payload["level"] == "high" and payload["label"] == label
    event = list(audit.iter_events(projects))[-1]
    assert (event["action"], event["actor"], event["records"]) == ("read", "so", ["p-alpha"])
    assert event["detail"]["label"] == label  # type: ignore[index]
    assert "high" not in json.dumps(event["detail"])  # the trail says what left, not what the card found


def test_without_the_directory_role_readers_are_counted_not_named(projects: Workspace) -> None:
    _prepare(projects)
    access = risk_card(projects, as_user(projects, "pi"), "p-alpha", suggest=False).sections["access"]
    assert access.rows == [] and not access.facts["names_shown"]
    assert access.facts["readers"] == 7
    assert access.facts["readers_by_role"]["principal_investigator"] == 3  # pi, pi2, duo


def test_an_undecided_project_gets_candidates_and_next_steps(projects: Workspace) -> None:
    card = risk_card(projects, as_user(projects, "so"), "p-alpha")
    technology = card.sections["technology"]
    assert technology.state == "missing" and technology.findings == ("technology_undecided",)
    assert technology.rows and {row["list"] for row in technology.rows} <= {"jp-etco-1", "us-ccl-3-5"}
    assert card.sections["release"].facts["state"] is None
    # Never submitted: the route it would take by funding is shown instead.
    routes = {(r["funding"], r["publication_clause"]): r["required"] for r in card.sections["release"].rows}
    assert "programme_manager" in routes[("government", True)] and "security_officer" in routes[("private", False)]
    findings = {step.finding for step in card.missing}
    assert {"technology_undecided", "release_unsubmitted", "deemed_nobody", "partners_not_screened"} <= findings
    assert card.level == "medium"
    command = next(s.command for s in card.missing if s.finding == "technology_undecided")
    assert command.startswith("kizashi screen classify p-alpha --kind seeds")


def test_a_project_above_the_reader_is_missing(projects: Workspace) -> None:
    _prepare(projects)
    before = len(list(audit.iter_events(projects)))
    for project in ("p-alpha", "no-such-project"):
        with pytest.raises(NotFound) as caught:
            risk_card(projects, as_user(projects, "low"), project, suggest=False)
        assert caught.value.detail == f"no record '{project}' among the works or seeds"
    # Nothing was shown, so nothing was read; each refusal is audited as `denied` by the service (docs/architecture.md,
    # rule 4), and the hidden project's refusal reads exactly like the missing one's (docs/security.md, hidden ≡ missing).
    hidden, missing = list(audit.iter_events(projects))[before:]
    for event, project in ((hidden, "p-alpha"), (missing, "no-such-project")):
        assert (event["action"], event["actor"], event["records"]) == ("denied", "low", [])
        assert event["detail"] == {
            "service": "risk_card",
            "code": "not_found",
            "why": f"no record '{project}' among the works or seeds",
        }


def test_sections_the_reader_may_not_see_look_missing_and_do_not_leak(projects: Workspace) -> None:
    """The decision, the review and the answers keep the project's label of their day: after the project is
    relabelled down, a reader of the new label sees the project, and those sections as if nothing were recorded."""
    _prepare(projects)
    with projects.session() as session:
        session.execute(update(Seed).where(Seed.id == "p-alpha").values(level="INTERNAL", compartments=[]))
    card = risk_card(projects, as_user(projects, "mid"), "p-alpha", suggest=False)
    fresh = risk_card(projects, as_user(projects, "mid"), "p-open", suggest=False)
    for name in ("technology", "release", "deemed_export"):
        assert card.sections[name].state == fresh.sections[name].state == "missing", name
        assert card.sections[name].findings == fresh.sections[name].findings, name
    assert card.sections["deemed_export"].rows == []
    assert card.label.level == "INTERNAL" and not card.label.compartments
    text = json.dumps(card.as_json(), default=str, ensure_ascii=False)
    for secret in ("9(7)", "QKD equipment", "Chen Wei", "foreign_income", "jp-etco-1"):
        assert secret not in text
    # The route it would take is computed from what the reader sees: the hidden "listed" decision routes nothing.
    assert all("listed" not in row["rules"] for row in card.sections["release"].rows)
    # The one who may read them still sees them all.
    assert (
        risk_card(projects, as_user(projects, "so"), "p-alpha", suggest=False).sections["technology"].facts["code"]
        == "9(7)"
    )


def test_partners_are_screened_and_a_confirmed_match_with_listed_technology_blocks(
    projects: Workspace, tmp_path: Path
) -> None:
    _prepare(projects)
    listing = tmp_path / "list.csv"
    listing.write_text(
        "id,name,aliases,type,country,list,program\n"
        "T-9,Test K.K.,株式会社テスト,organisation,JP,kizashi-test-list,fictitious\n",
        encoding="utf-8",
    )
    screening.load_list(projects, as_user(projects, "so"), listing)
    card = risk_card(projects, as_user(projects, "so"), "p-alpha", suggest=False)
    partners = card.sections["partners"]
    by_name = {row["name"]: row for row in partners.rows}
    assert by_name["株式会社テスト"]["status"] == "alert" and "T-9" in by_name["株式会社テスト"]["matches"]
    assert by_name["Tohoku University"]["status"] == "clear" and partners.state == "incomplete"
    assert partners.facts["lists"][0].startswith("kizashi-test-list (generic-csv")
    assert card.level == "high" and "partner_alert" in partners.findings
    step = next(s for s in card.missing if s.finding == "partner_alert")
    assert step.command.startswith("kizashi screen decide '株式会社テスト' kizashi-test-list T-9 --decision")
    assert step.page == "/screening?name=%E6%A0%AA%E5%BC%8F%E4%BC%9A%E7%A4%BE%E3%83%86%E3%82%B9%E3%83%88"

    screening.decide(
        projects,
        as_user(projects, "so"),
        "株式会社テスト",
        "kizashi-test-list",
        "T-9",
        "true-match",
        reason="same company",
    )
    card = risk_card(projects, as_user(projects, "so"), "p-alpha", suggest=False)
    assert card.level == "blocked" and card.reasons[0].name == "listed-technology-to-a-listed-party"
    assert card.sections["partners"].state == "complete"
    assert all(s.finding != "partner_alert" for s in card.missing)


def test_a_works_card_screens_its_authors_and_institutions(projects: Workspace) -> None:
    ingest(projects, as_user(projects, "boss"), "works", [FIXTURES / "openalex" / "works_flat_40.csv"])
    work = "openalex:W3160856016"
    card = risk_card(projects, as_user(projects, "so"), work, suggest=False)
    assert card.kind == "works"
    types = {row["type"] for row in card.sections["partners"].rows}
    assert types == {"organisation", "person"}
    deemed = card.sections["deemed_export"]
    assert deemed.state == "missing" and "deemed_unanswered" in deemed.findings
    assert {row["person"] for row in deemed.rows} <= {row["name"] for row in card.sections["partners"].rows}
    step = next(s for s in card.missing if s.finding == "release_unsubmitted")
    assert step.page == "/review/works/openalex:W3160856016" and "--kind works" in step.command


def test_a_works_authors_and_institutions_are_its_parties() -> None:
    work = {
        "institutions": [{"name": "Kyoto University", "country": "JP"}, "Tokyo Tech"],
        "authors": [{"name": "Hanako Yamada"}, {"name": " "}, "Taro Sato"],
    }
    assert project_parties("works", work, ["Taro Sato", "Guest"]) == [
        ("Kyoto University", "organisation"),
        ("Tokyo Tech", "organisation"),
        ("Hanako Yamada", "person"),
        ("Taro Sato", "person"),
        ("Guest", "person"),
    ]
    assert project_parties("seeds", {"organization": "A社；B大学; "}) == [
        ("A社", "organisation"),
        ("B大学", "organisation"),
    ]
    assert project_parties("seeds", {"organization": None}) == []


def test_an_unmanaged_workspace_is_flagged(workspace: Workspace, tmp_path: Path) -> None:
    seeds = tmp_path / "seeds.csv"
    seeds.write_text(SEEDS, encoding="utf-8")
    ingest(workspace, as_user(workspace, "op"), "seeds", [seeds])
    card = risk_card(workspace, as_user(workspace, "op"), "p-open", suggest=False)
    assert card.sections["access"].findings == ("access_unmanaged",)
    assert card.sections["partners"].findings == ("partners_unknown",)
    assert card.generated_at <= datetime.now(UTC) and card.generated_by == "op"


def test_a_technology_sharing_the_projects_id_does_not_hide_the_projects_decision(
    projects: Workspace, tmp_path: Path
) -> None:
    technologies = tmp_path / "technologies.csv"
    technologies.write_text(
        "id,parent,name_en,name_ja\np-alpha,,Quantum key distribution,量子鍵配送\n", encoding="utf-8"
    )
    ingest(projects, as_user(projects, "boss"), "technologies", [technologies])
    decide(
        projects,
        as_user(projects, "so"),
        "p-alpha",
        "listed",
        reason="QKD: 9(7)",
        control_list="jp-etco-1",
        code="9(7)",
        kind="seeds",
    )
    decide(projects, as_user(projects, "so"), "p-alpha", "not-listed", reason="the taxonomy entry", kind="technologies")
    technology = risk_card(projects, as_user(projects, "so"), "p-alpha", "seeds", suggest=False).sections["technology"]
    assert technology.state == "complete" and technology.facts["decision"] == "listed"
