"""Workshop judgements: append-only, audited, labelled like their pair, readable only by who may read the pair."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from kizashi.errors import InputError, NotFound
from kizashi.ingest.dispatch import ingest
from kizashi.know.judgements import judge, latest
from kizashi.protect.people import actor_for as as_user
from kizashi.store import audit
from kizashi.store.workspace import Workspace


@pytest.fixture
def pairs(web_workspace: Workspace, tmp_path: Path) -> Workspace:
    needs, seeds = tmp_path / "needs.csv", tmp_path / "seeds.csv"
    needs.write_text(
        "id,title,label,compartments\n"
        "n1,Container inspection at border crossings,PUBLIC,\n"
        "n2,Detecting drones near airports,CONFIDENTIAL,alpha\n",
        encoding="utf-8",
    )
    seeds.write_text(
        "id,title,description,label,compartments\n"
        "s1,Muon tomography for container inspection,Scanning containers at borders,PUBLIC,\n"
        "s2,Radar for small drone detection,Detecting drones at airports,CONFIDENTIAL,alpha\n",
        encoding="utf-8",
    )
    ingest(web_workspace, as_user(web_workspace, "boss"), "needs", [needs])
    ingest(web_workspace, as_user(web_workspace, "boss"), "seeds", [seeds])
    return web_workspace


def test_judgements_are_append_only_audited_and_the_latest_counts(pairs: Workspace) -> None:
    first = judge(pairs, as_user(pairs, "ana"), "n1", "s1", "later", comment="ask the customs office")
    second = judge(pairs, as_user(pairs, "ana"), "n1", "s1", "accept", comment="confirmed")
    assert second > first
    shown = latest(pairs, as_user(pairs, "ana"), "n1")["s1"]
    assert (shown["decision"], shown["comment"], shown["history"], shown["user"]) == ("accept", "confirmed", 2, "ana")
    decisions = [e for e in audit.iter_events(pairs) if e["action"] == "decision"]
    assert [e["detail"]["decision"] for e in decisions] == ["later", "accept"]
    assert decisions[-1]["records"] == ["n1", "s1"]
    with pytest.raises(InputError, match="decision"):
        judge(pairs, as_user(pairs, "ana"), "n1", "s1", "maybe")


def test_a_pair_one_may_not_read_cannot_be_judged_or_seen(pairs: Workspace) -> None:
    with pytest.raises(NotFound):
        judge(pairs, as_user(pairs, "low"), "n2", "s2", "accept")  # CONFIDENTIAL/alpha: low is PUBLIC
    judge(pairs, as_user(pairs, "ana"), "n2", "s2", "accept", comment="radar fits")
    assert latest(pairs, as_user(pairs, "low"), "n2") == {}
    assert latest(pairs, as_user(pairs, "ana"), "n2")["s2"]["level"] == "CONFIDENTIAL"


def test_the_workshop_page_proposes_and_records(pairs: Workspace, browser: Callable[[str], TestClient]) -> None:
    from conftest import page_csrf

    client = browser("ana")
    page = client.get("/match/n2")
    assert page.status_code == 200 and "Radar for small drone detection" in page.text
    assert 'data-label="CONFIDENTIAL"' in page.text
    response = client.post(
        "/match/n2",
        data={"csrf_token": page_csrf(page.text), "seed_id": "s2", "decision": "accept", "comment": "良い候補"},
        follow_redirects=False,
    )
    assert response.status_code == 303
    again = client.get("/match/n2").text
    assert 'data-decision="accept"' in again and "良い候補" in again
    # The analyst's decision sets the strength word (accepted: strong), and says so.
    assert 'data-strength="strong" data-by="analyst"' in again
    page = client.get("/match/n2")
    client.post("/match/n2", data={"csrf_token": page_csrf(page.text), "seed_id": "s2", "decision": "reject"})
    assert 'data-strength="weak" data-by="analyst"' in client.get("/match/n2").text
    page = client.get("/match/n2")
    client.post("/match/n2", data={"csrf_token": page_csrf(page.text), "seed_id": "s2", "decision": "accept"})
    assert browser("low").get("/match/n2").status_code == 404  # the need itself is not low's to read
    forged = client.post("/match/n2", data={"csrf_token": "x", "seed_id": "s2", "decision": "reject"})
    assert forged.status_code == 403
    assert latest(pairs, as_user(pairs, "ana"), "n2")["s2"]["decision"] == "accept"


def test_the_cli_judges(pairs: Workspace, cli, login_as) -> None:
    login_as("ana")
    result = cli("judge", "n1", "s1", "reject", "--comment", "wrong scale")
    assert result.code == 0 and "reject n1 → s1" in result.out
    assert cli("judge", "n1", "nope", "accept").code == 2


def test_judgements_become_labels_for_evaluating_the_matcher(pairs: Workspace, cli, login_as) -> None:
    from kizashi.know.judgements import evaluate, readable_judgements

    judge(pairs, as_user(pairs, "ana"), "n1", "s1", "accept")
    judge(pairs, as_user(pairs, "ana"), "n2", "s2", "later")
    judge(pairs, as_user(pairs, "ana"), "n2", "s2", "accept")
    judge(pairs, as_user(pairs, "ana"), "n2", "s1", "reject")
    assert [(r["need_id"], r["seed_id"], r["decision"]) for r in readable_judgements(pairs, as_user(pairs, "ana"))] == [
        ("n1", "s1", "accept"),
        ("n2", "s1", "reject"),
        ("n2", "s2", "accept"),
    ]
    # low may read only the PUBLIC pair: the CONFIDENTIAL ones neither list nor count.
    assert [r["need_id"] for r in readable_judgements(pairs, as_user(pairs, "low"))] == ["n1"]
    result = evaluate(pairs, as_user(pairs, "ana"), top=1)
    assert (result["needs"], result["mrr"], result["recall"], result["rejected_in_top"]) == (2, 1.0, 1.0, 0)
    assert evaluate(pairs, as_user(pairs, "low"), top=1)["needs"] == 1
    login_as("ana")
    shown = cli("judgements", "--evaluate", "--top", "1")
    assert shown.code == 0 and "MRR 1.0" in shown.out
    exported = cli("judgements", "-f", "csv")
    assert exported.code == 0 and exported.out.splitlines()[0].startswith("need_id,seed_id,decision")


def test_a_seed_relabelled_above_the_reader_takes_its_judgements_with_it(pairs: Workspace, tmp_path: Path) -> None:
    judge(pairs, as_user(pairs, "ana"), "n1", "s1", "accept", comment="muon tomography fits")
    assert "s1" in latest(pairs, as_user(pairs, "low"), "n1")
    relabelled = tmp_path / "seeds-secret.csv"
    relabelled.write_text(
        "id,title,description,label,compartments\n"
        "s1,Muon tomography for container inspection,Scanning containers at borders,CONFIDENTIAL,alpha\n",
        encoding="utf-8",
    )
    ingest(pairs, as_user(pairs, "boss"), "seeds", [relabelled])
    assert latest(pairs, as_user(pairs, "low"), "n1") == {}
    assert "s1" in latest(pairs, as_user(pairs, "ana"), "n1")
