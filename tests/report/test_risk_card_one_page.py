"""The risk card's PDF fits one A4 page (docs/risk-card.md) for the demo's records: the card the demo writes, the
project with the most partners, and one with a release review nobody can approve in a workspace with users (the
longest card: its steps, the unblocking, the readers' names). Pages are counted in the rendered PDF; and the card's
words for identifiers are the web pages' words."""

from __future__ import annotations

import io
from datetime import UTC, datetime

import pytest
from pypdf import PdfReader

from kizashi.ingest.dispatch import ingest
from kizashi.protect import deemed_export, people, release
from kizashi.protect.people import actor_for as as_user
from kizashi.protect.risk_card import risk_card
from kizashi.protect.screening.store import load_list
from kizashi.report.demo import SCREENING_LIST, SCREENING_LIST_DATE, STEPS
from kizashi.report.risk_card import WORDS, render_html, render_pdf
from kizashi.store.records import iter_records
from kizashi.store.workspace import Workspace
from kizashi.web.i18n import MESSAGES


def _pages(pdf: bytes) -> int:
    return len(PdfReader(io.BytesIO(pdf)).pages)


@pytest.fixture
def demo(workspace: Workspace) -> Workspace:
    """The demo's works and seeds with its screening list, as the demo loads them (no matching: not needed here)."""
    operator = as_user(workspace, "op")
    for kind, files in STEPS:
        if kind in ("works", "seeds"):
            ingest(workspace, operator, kind, files)
    load_list(workspace, operator, SCREENING_LIST, date=SCREENING_LIST_DATE)
    return workspace


def _most_partners(workspace: Workspace) -> str:
    clearance = as_user(workspace, "op").clearance
    return max(
        iter_records(workspace, "works", clearance),
        key=lambda work: len(work.get("institutions") or []) + len(work.get("authors") or []),
    )["id"]


def test_the_demos_cards_fit_one_a4_page(demo: Workspace) -> None:
    operator = as_user(demo, "op")
    first_seed = next(iter_records(demo, "seeds", operator.clearance))["id"]  # the card `kizashi demo` writes
    crowded = _most_partners(demo)
    for kind, project in (("seeds", first_seed), ("works", crowded)):
        card = risk_card(demo, operator, project, kind)
        assert _pages(render_pdf(card)) == 1, f"{kind} {project}"
    # The crowded one really is long: more partners than the page shows, the rest are in the files.
    card = risk_card(demo, operator, crowded, "works", suggest=False)
    assert len(card.sections["partners"].rows) > 6


def test_a_card_with_a_stuck_review_and_named_readers_fits_one_page(demo: Workspace) -> None:
    project = _most_partners(demo)
    boss = as_user(demo, "boss")
    people.add_user(demo, boss, "boss", roles=["admin"])
    people.grant(demo, as_user(demo, "boss"), "boss", "SECRET")
    done = datetime(2026, 1, 1, tzinfo=UTC)
    for course in ("security-basics", "secret-handling"):
        people.record_training(demo, as_user(demo, "boss"), "boss", course, done)
    for index in range(12):  # more readers than the page shows
        people.add_user(demo, as_user(demo, "boss"), f"reader{index}", roles=["analyst"])
        people.grant(demo, as_user(demo, "boss"), f"reader{index}", "INTERNAL")
    boss = as_user(demo, "boss")
    for person in ("陳偉", "Maria Rossi", "John Smith", "山田太郎"):
        deemed_export.answer(demo, boss, project, person, ["non_resident"], kind="works")
    release.submit(demo, boss, project, kind="works", funding="government", publication_clause=True)
    card = risk_card(demo, boss, project, "works")
    assert card.sections["access"].state == "incomplete" and card.sections["release"].facts["stuck"]
    assert len(card.sections["access"].rows) > 6
    html = render_html(card)
    assert 'data-finding="release_unapprovable"' in html and "申請済 / Submitted" in html
    assert "公的資金 / Government-funded" in html and "<td>government" not in html and ": government" not in html
    assert _pages(render_pdf(card)) == 1


def test_the_cards_words_are_the_pages_words() -> None:
    assert {key: MESSAGES[key] for key in WORDS} == WORDS
