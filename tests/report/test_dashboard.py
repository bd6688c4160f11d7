"""The dashboard's items (issue 15): what the counts do not say, each only for a reader who may take it and only
what they may read. Both backends (the `workspace` fixture)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from kizashi.ingest.dispatch import ingest
from kizashi.know.judgements import judge
from kizashi.know.matching import match_workspace
from kizashi.policy import Label
from kizashi.protect import people, release
from kizashi.protect.people import actor_for
from kizashi.protect.screening.screen import Party
from kizashi.protect.screening.store import decide, load_list, screen
from kizashi.report.dashboard import EXPIRING_DAYS, TOP, _good, dashboard
from kizashi.store import audit
from kizashi.store.workspace import Workspace

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures"
NEEDS = """id,title,description,label,compartments
n1,Detecting drones near airports,Unmanned aerial vehicles must be detected near airports with radar,PUBLIC,
n2,Drone detection with passive radio,drones found by their radio links near airports,SECRET,beta
n3,Deep sea mining permits,licensing of seabed mineral extraction,PUBLIC,
"""
SEEDS = """id,title,description,label,compartments
s1,Radar for small drone detection,Detecting unmanned aerial vehicles near airports with radar,PUBLIC,
s2,Acoustic drone detection,small drones heard near airports,PUBLIC,
s3,Passive radio drone finder,drones near airports found by their radio links,SECRET,beta
s4,River level sensors,sensors measure water levels in rivers,PUBLIC,
"""
NOW = datetime(2026, 12, 7, 12, tzinfo=UTC)


@pytest.fixture
def office(workspace: Workspace, tmp_path: Path) -> Workspace:
    """boss (admin, SECRET alpha beta), so (security officer, CONFIDENTIAL), ana (analyst, CONFIDENTIAL alpha),
    low (analyst, PUBLIC), pi (principal investigator, CONFIDENTIAL alpha)."""
    boss = actor_for(workspace, "boss")
    people.add_user(workspace, boss, "boss", roles=["admin"])
    done = datetime(2026, 1, 1, tzinfo=UTC)
    users = {
        "so": (["security_officer"], "CONFIDENTIAL", []),
        "ana": (["analyst"], "CONFIDENTIAL", ["alpha"]),
        "low": (["analyst"], "PUBLIC", []),
        "pi": (["principal_investigator"], "CONFIDENTIAL", ["alpha"]),
    }
    for name, (roles, _, _) in users.items():
        people.add_user(workspace, boss, name, roles=roles)
    people.grant(workspace, boss, "boss", "SECRET", compartments=["alpha", "beta"])  # bootstrap: the sole admin
    for course in ("security-basics", "secret-handling"):
        people.record_training(workspace, boss, "boss", course, done)
    for name, (_, level, compartments) in users.items():
        people.grant(workspace, boss, name, level, compartments=compartments)
        people.record_training(workspace, boss, name, "security-basics", done)
    (tmp_path / "needs.csv").write_text(NEEDS, encoding="utf-8")
    (tmp_path / "seeds.csv").write_text(SEEDS, encoding="utf-8")
    ingest(workspace, boss, "needs", [tmp_path / "needs.csv"])
    ingest(workspace, boss, "seeds", [tmp_path / "seeds.csv"])
    return workspace


def _needs(workspace: Workspace, name: str) -> dict[str, int | None]:
    found = dashboard(workspace, actor_for(workspace, name), now=NOW).attention
    return {need.id: need.run for need in found.needs}


def test_without_a_run_every_readable_need_lacks_a_seed(office: Workspace) -> None:
    attention = dashboard(office, actor_for(office, "low"), now=NOW).attention
    assert not attention.any_run
    assert [need.id for need in attention.needs] == ["n1", "n3"] and attention.needs_total == 2
    assert "n2" in _needs(office, "boss")


def test_a_need_with_a_good_proposal_is_not_listed_and_judgements_count(office: Workspace) -> None:
    boss = actor_for(office, "boss")
    run = match_workspace(office, boss, top=3, save=True).run
    assert run is not None
    # n1 (drones near airports) has seeds every channel that read it agrees on; n3 (deep sea mining) no proposal.
    assert _needs(office, "low") == {"n3": None}
    assert dashboard(office, actor_for(office, "low"), now=NOW).attention.any_run
    # An analyst's rejection outranks the channels: n1's seeds rejected, n1 lacks a good seed (in that run) again.
    for seed in ("s1", "s2"):
        judge(office, actor_for(office, "ana"), "n1", seed, "reject")
    assert _needs(office, "low") == {"n1": run, "n3": None}
    # ...and an acceptance makes a seed good whatever the channels said.
    judge(office, actor_for(office, "ana"), "n1", "s2", "accept")
    assert "n1" not in _needs(office, "low")
    # Hidden needs are never listed, nor counted; boss reads n2, which has proposals he may read.
    assert "n2" not in _needs(office, "ana") and "n2" not in _needs(office, "boss")


def test_good_is_the_strong_rule_or_every_channel_agreeing() -> None:
    assert _good("strong", 2 / 3, None) and _good("possible", 1.0, None)
    assert not _good("possible", 0.5, None) and not _good("weak", 1.0, None) and not _good(None, None, None)
    assert _good("weak", 0.0, "accept") and not _good("strong", 1.0, "reject") and _good("strong", 1.0, "later")


def test_screening_alerts_awaiting_a_decision_are_the_officers(office: Workspace) -> None:
    boss, so = actor_for(office, "boss"), actor_for(office, "so")
    load_list(office, boss, FIXTURES / "lists" / "generic.csv")
    found = screen(office, actor_for(office, "low"), [Party("1", "東都精密工業株式会社"), Party("2", "Nobody Ltd")])
    assert found.alerts == 1
    attention = dashboard(office, so, now=NOW).attention
    assert attention.alerts is not None and [a.name for a in attention.alerts] == ["東都精密工業株式会社"]
    entries = attention.alerts[0].entries
    assert entries and all(entry.startswith("kizashi-test-list:") for entry in entries)
    # Not for those who do not decide them: left out, not shown empty.
    assert dashboard(office, actor_for(office, "ana"), now=NOW).attention.alerts is None
    # Escalated: still awaiting; decided a false positive: gone.
    list_name, entry = entries[0].split(":", 1)
    decide(office, so, "東都精密工業株式会社", list_name, entry, "escalate", reason="要確認")
    after = dashboard(office, so, now=NOW).attention.alerts
    assert after is not None and len(after) == 1
    assert after[0].escalated == (len(entries) == 1)
    for entry_key in entries:
        list_name, entry = entry_key.split(":", 1)
        decide(office, so, "東都精密工業株式会社", list_name, entry, "false-positive", reason="別会社")
    assert dashboard(office, so, now=NOW).attention.alerts == []


def test_reviews_waiting_on_the_reader(office: Workspace) -> None:
    release.submit(office, actor_for(office, "ana"), "s1", funding="private", kind="seeds")
    pi = dashboard(office, actor_for(office, "pi"), now=NOW).attention
    assert pi.reviews is not None and [r["record_id"] for r in pi.reviews] == ["s1"] and pi.reviews_total == 1
    assert dashboard(office, actor_for(office, "low"), now=NOW).attention.reviews_total == 0


def test_grants_and_trainings_expiring_within_30_days_are_for_admins(office: Workspace) -> None:
    boss = actor_for(office, "boss")
    soon, later = NOW + timedelta(days=EXPIRING_DAYS - 1), NOW + timedelta(days=EXPIRING_DAYS + 1)
    people.grant(office, boss, "low", "INTERNAL", expires_at=soon)
    people.grant(office, boss, "ana", "INTERNAL", expires_at=later)
    people.grant(office, boss, "so", "INTERNAL", expires_at=NOW - timedelta(days=1))  # already over
    people.record_training(office, boss, "pi", "secret-handling", datetime(2026, 6, 1, tzinfo=UTC), soon)
    people.record_training(office, boss, "so", "secret-handling", datetime(2026, 6, 1, tzinfo=UTC), soon)
    people.record_training(office, boss, "so", "secret-handling", datetime(2026, 7, 1, tzinfo=UTC), later)
    expiring = dashboard(office, boss, now=NOW).attention.expiring
    assert expiring is not None
    assert [(e.user, e.kind, e.what) for e in expiring] == [
        ("low", "grant", "INTERNAL"),
        ("pi", "training", "secret-handling"),
    ]
    people.revoke(office, boss, "low")
    assert [e.user for e in dashboard(office, boss, now=NOW).attention.expiring or []] == ["pi"]
    # An officer who may not read users, an analyst: left out.
    assert dashboard(office, actor_for(office, "so"), now=NOW).attention.expiring is None
    assert dashboard(office, actor_for(office, "ana"), now=NOW).attention.expiring is None


def test_at_most_top_items_each_with_the_total_and_the_read_audited(office: Workspace, tmp_path: Path) -> None:
    rows = "".join(f"x{i:02},Need {i},text {i},PUBLIC,\n" for i in range(TOP + 3))
    (tmp_path / "more.csv").write_text("id,title,description,label,compartments\n" + rows, encoding="utf-8")
    ingest(office, actor_for(office, "boss"), "needs", [tmp_path / "more.csv"])
    found = dashboard(office, actor_for(office, "low"), now=NOW)
    assert len(found.attention.needs) == TOP and found.attention.needs_total == TOP + 5
    assert found.label == Label("PUBLIC")
    event = [e for e in audit.iter_events(office) if e["detail"].get("service") == "dashboard"][-1]
    assert event["actor"] == "low" and event["records"] == [need.id for need in found.attention.needs]
    assert event["detail"]["needs_without_good_seed"] == TOP + 5 and event["detail"]["expiring"] is None
