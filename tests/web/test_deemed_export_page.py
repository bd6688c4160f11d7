"""The deemed-export questionnaire page: a project's people, their latest answers, who needs a licence check."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from conftest import PASSWORD, as_user, masked, page_csrf
from kizashi.ingest.dispatch import ingest
from kizashi.protect import deemed_export, people
from kizashi.store import audit
from kizashi.store.workspace import Workspace

SEEDS = (
    "id,title,description,label,compartments\n"
    "s-qkd,量子鍵配送リンク,Quantum key distribution link,CONFIDENTIAL,alpha\n"
    "s-top,Hypersonic guidance,Scramjet guidance,SECRET,beta\n"
)
PAGE = "/deemed-export/seeds/s-qkd"


@pytest.fixture
def seeded(web_workspace: Workspace, tmp_path: Path) -> Workspace:
    """The conftest users plus `sec`, a security officer cleared CONFIDENTIAL // alpha."""
    people.add_user(web_workspace, as_user(web_workspace, "boss"), "sec", roles=["security_officer"])
    people.set_password(web_workspace, as_user(web_workspace, "boss"), "sec", PASSWORD)
    people.grant(web_workspace, as_user(web_workspace, "boss"), "sec", "CONFIDENTIAL", compartments=["alpha"])
    people.record_training(
        web_workspace, as_user(web_workspace, "boss"), "sec", "security-basics", datetime(2026, 1, 1, tzinfo=UTC)
    )
    seeds = tmp_path / "seeds.csv"
    seeds.write_text(SEEDS, encoding="utf-8")
    ingest(web_workspace, as_user(web_workspace, "boss"), "seeds", [seeds])
    return web_workspace


def _post(client: TestClient, page: str, **form: str | list[str]) -> int:
    token = page_csrf(client.get(PAGE).text)
    return client.post(page, data={"csrf_token": token, **form}, follow_redirects=False).status_code


def test_an_answer_is_recorded_and_a_category_flags_a_licence_check(
    seeded: Workspace, browser: Callable[[str], TestClient]
) -> None:
    sec = browser("sec")
    empty = sec.get(PAGE)
    assert empty.status_code == 200 and 'id="nobody"' in empty.text and 'data-label="CONFIDENTIAL"' in empty.text
    assert 'name="person" maxlength="200" list="roster"' in empty.text  # an officer answers for anyone
    assert _post(sec, PAGE, person="Chen Wei", categories=["non_resident"], evidence="passport, visa") == 303
    assert _post(sec, PAGE, person="佐藤花子", categories=["none"]) == 303
    html = sec.get(PAGE).text
    assert 'data-person="Chen Wei" data-status="licence_check"' in html and 'data-category="non_resident"' in html
    assert "非居住者" in html and "passport, visa" in html
    assert 'data-person="佐藤花子" data-status="answered"' in html and "いずれにも該当しない" in html
    status = deemed_export.status(seeded, as_user(seeded, "boss"), "s-qkd", kind="seeds")
    assert status["licence_check"] == ["Chen Wei"] and sorted(status["answered"]) == ["Chen Wei", "佐藤花子"]
    events = [e for e in audit.iter_events(seeded) if e["action"] == "deemed_export"]
    assert [(e["actor"], e["detail"]["person"]) for e in events] == [  # type: ignore[index]
        ("sec", "Chen Wei"),
        ("sec", "佐藤花子"),
    ]
    reads = [e for e in audit.iter_events(seeded) if e["action"] == "read" and e["records"] == ["s-qkd"]]
    # The service writes the read of whoever calls it: sec's page, then boss's status() call above.
    assert reads[-1]["actor"] == "boss" and reads[-1]["detail"]["service"] == "deemed export"  # type: ignore[index]
    page_reads = [e for e in reads if e["actor"] == "sec"]
    assert page_reads[-1]["detail"]["service"] == "deemed export"  # type: ignore[index]
    assert page_reads[-1]["detail"]["via"] == f"GET {PAGE}"  # type: ignore[index]
    english = sec.get(f"{PAGE}?lang=en").text
    assert "Deemed-export questionnaire" in english and "In a category: licence check needed" in english


def test_a_later_answer_supersedes(seeded: Workspace, browser: Callable[[str], TestClient]) -> None:
    sec = browser("sec")
    assert _post(sec, PAGE, person="Chen Wei", categories=["foreign_income", "foreign_contract"]) == 303
    assert _post(sec, PAGE, person="Chen Wei", categories=["none"], evidence="contract ended") == 303
    html = sec.get(PAGE).text
    assert 'data-person="Chen Wei" data-status="answered"' in html and "contract ended" in html
    assert 'data-category="foreign_income"' not in html


def test_a_person_answers_for_themself_only(seeded: Workspace, browser: Callable[[str], TestClient]) -> None:
    ana = browser("ana")
    page = ana.get(PAGE).text
    assert '<input type="hidden" name="person" value="ana">' in page and 'list="roster"' not in page
    assert _post(ana, PAGE, person="Chen Wei", categories=["none"]) == 403
    assert _post(ana, PAGE, person="ana", categories=["foreign_instructions"]) == 303
    status = deemed_export.status(seeded, as_user(seeded, "boss"), "s-qkd", kind="seeds")
    assert status["answered"] == ["ana"] and status["licence_check"] == ["ana"]


def test_the_form_needs_a_clear_answer_and_the_csrf_token(
    seeded: Workspace, browser: Callable[[str], TestClient]
) -> None:
    sec = browser("sec")
    assert _post(sec, PAGE, person="Chen Wei") == 400  # nothing ticked is no answer
    assert _post(sec, PAGE, person="Chen Wei", categories=["none", "non_resident"]) == 400
    assert _post(sec, PAGE, person="Chen Wei", categories=["martian"]) == 400
    for token in ("", "wrong"):
        posted = sec.post(
            PAGE, data={"csrf_token": token, "person": "Chen Wei", "categories": "none"}, follow_redirects=False
        )
        assert posted.status_code == 403
    assert deemed_export.status(seeded, as_user(seeded, "boss"), "s-qkd", kind="seeds")["answered"] == []


def test_a_hidden_project_is_a_missing_one(seeded: Workspace, browser: Callable[[str], TestClient]) -> None:
    deemed_export.answer(seeded, as_user(seeded, "boss"), "s-top", "Secret Person", ["non_resident"])
    sec = browser("sec")
    hidden = sec.get("/deemed-export/seeds/s-top")
    missing = sec.get("/deemed-export/seeds/s-none")
    assert hidden.status_code == missing.status_code == 404
    assert masked(hidden.text, "s-top") == masked(missing.text, "s-none")
    assert "Secret Person" not in hidden.text
    assert _post(sec, "/deemed-export/seeds/s-top", person="Someone", categories=["none"]) == 404
    assert sec.get("/deemed-export/technologies/s-qkd").status_code == 404  # projects are seeds and works
    assert browser("low").get(PAGE).status_code == 404
    assert "Secret Person" in browser("boss").get("/deemed-export/seeds/s-top").text


def test_the_review_page_and_the_risk_card_link_it(seeded: Workspace, browser: Callable[[str], TestClient]) -> None:
    ana = browser("ana")
    assert f'href="{PAGE}" id="deemed-export-link"' in ana.get("/review/seeds/s-qkd").text
    assert f'id="deemed-export-link" href="{PAGE}"' in ana.get("/risk/seeds/s-qkd").text
