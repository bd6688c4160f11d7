"""The risk card page: reached from a record's page, bilingual, read through the policy, downloads audited as exports."""

from __future__ import annotations

import io
import re
from collections.abc import Callable
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from openpyxl import load_workbook
from pypdf import PdfReader

from conftest import as_user, masked
from kizashi.ingest.dispatch import ingest
from kizashi.protect import deemed_export, release
from kizashi.protect.controls.decisions import decide
from kizashi.protect.risk_card import SECTIONS, risk_card
from kizashi.store import audit
from kizashi.store.workspace import Workspace

SEEDS = (
    "id,title,description,organization,label,compartments\n"
    "s-alpha,量子鍵配送リンク,Quantum key distribution link,Tohoku University,CONFIDENTIAL,alpha\n"
    "s-pub,Open drone dataset,Flight logs,,PUBLIC,\n"
)


@pytest.fixture
def project(web_workspace: Workspace, tmp_path: Path) -> Workspace:
    seeds = tmp_path / "seeds.csv"
    seeds.write_text(SEEDS, encoding="utf-8")
    ingest(web_workspace, as_user(web_workspace, "boss"), "seeds", [seeds])
    decide(
        web_workspace,
        as_user(web_workspace, "boss"),
        "s-alpha",
        "listed",
        reason="QKD 9(7)",
        control_list="jp-etco-1",
        code="9(7)",
    )
    deemed_export.answer(web_workspace, as_user(web_workspace, "boss"), "s-alpha", "Chen Wei", ["non_resident"])
    return web_workspace


def _exports(workspace: Workspace) -> list[dict[str, object]]:
    return [e for e in audit.iter_events(workspace) if e["action"] == "export"]


def test_the_page_joins_the_sections_in_both_languages(
    project: Workspace, browser: Callable[[str], TestClient]
) -> None:
    ana = browser("ana")
    detail = ana.get("/seeds/s-alpha")
    assert 'id="risk-card" href="/risk/seeds/s-alpha"' in detail.text
    assert 'id="risk-card"' not in ana.get("/needs").text
    page = ana.get("/risk/seeds/s-alpha")
    assert page.status_code == 200
    html = page.text
    assert 'id="risk-level" data-level="high"' in html  # listed technology + a non-resident on the project
    assert "リスクカード" in html and "該非判定" in html and 'data-label="CONFIDENTIAL"' in html
    for name in SECTIONS:
        assert f'id="section-{name}"' in html
    assert 'data-finding="release_unsubmitted"' in html and "kizashi review submit s-alpha" in html
    assert 'id="names-withheld"' in html  # ana is an analyst: how many may read, not who
    assert 'href="?format=pdf"' in html and 'href="?format=xlsx"' in html
    english = ana.get("/risk/seeds/s-alpha?lang=en").text
    assert "Risk card" in english and "Technology sensitivity" in english and "Who may read the files" in english
    reads = [e for e in audit.iter_events(project) if e["action"] == "read" and e["records"] == ["s-alpha"]]
    assert reads[-1]["actor"] == "ana" and reads[-1]["detail"]["service"] == "risk card"  # type: ignore[index]
    assert reads[-1]["detail"]["via"] == "GET /risk/seeds/s-alpha"  # type: ignore[index]


def test_an_admin_sees_who_may_read(project: Workspace, browser: Callable[[str], TestClient]) -> None:
    html = browser("boss").get("/risk/seeds/s-alpha").text
    assert 'id="names-withheld"' not in html
    access = html[html.index('id="section-access"') :]
    assert ">ana<" in access and ">boss<" in access and ">low<" not in access


def test_downloads_are_files_and_audited_as_exports(project: Workspace, browser: Callable[[str], TestClient]) -> None:
    ana = browser("ana")
    pdf = ana.get("/risk/seeds/s-alpha?format=pdf")
    assert pdf.status_code == 200 and pdf.headers["content-type"] == "application/pdf"
    assert "attachment" in pdf.headers["content-disposition"] and "s-alpha.pdf" in pdf.headers["content-disposition"]
    text = "".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf.content)).pages)
    assert "量子鍵配送リンク" in text
    xlsx = ana.get("/risk/seeds/s-alpha?format=xlsx")
    assert xlsx.status_code == 200 and load_workbook(io.BytesIO(xlsx.content)).sheetnames == [
        "card",
        *SECTIONS,
        "missing",
    ]
    exports = _exports(project)
    assert [(e["actor"], e["records"], e["detail"]["format"]) for e in exports] == [  # type: ignore[index]
        ("ana", ["s-alpha"], "pdf"),
        ("ana", ["s-alpha"], "xlsx"),
    ]
    assert ana.get("/risk/seeds/s-alpha?format=docx").status_code in (400, 422)


def test_a_project_above_the_reader_is_not_found_and_nothing_leaves(
    project: Workspace, browser: Callable[[str], TestClient]
) -> None:
    low = browser("low")
    hidden = low.get("/risk/seeds/s-alpha")
    missing = low.get("/risk/seeds/no-such-seed")
    assert hidden.status_code == missing.status_code == 404
    assert "量子鍵配送" not in hidden.text
    assert masked(hidden.text, "s-alpha") == masked(missing.text, "no-such-seed")
    assert low.get("/risk/seeds/s-alpha?format=pdf").status_code == 404
    assert low.get("/risk/needs/s-alpha").status_code == 404
    assert _exports(project) == []
    assert low.get("/risk/seeds/s-pub").status_code == 200


def test_the_page_needs_a_login(project: Workspace, anonymous: TestClient) -> None:
    response = anonymous.get("/risk/seeds/s-pub", follow_redirects=False)
    assert response.status_code == 303 and response.headers["location"].startswith("/login")


def test_the_index_lists_the_projects_one_may_read_with_their_cards_status(
    project: Workspace, browser: Callable[[str], TestClient]
) -> None:
    ana = browser("ana")
    assert 'id="nav-risk" href="/risk"' in ana.get("/").text or 'href="/risk" id="nav-risk"' in ana.get("/").text
    page = ana.get("/risk")
    assert page.status_code == 200 and "リスクカード一覧" in page.text
    rows = re.findall(r'<tr data-record="([^"]+)" data-level="([a-z]+)">', page.text)
    assert rows == [("s-alpha", "high"), ("s-pub", "medium")]
    # The index says what the card says: the same level and sections' states.
    alpha = page.text[page.text.index('data-record="s-alpha"') :].split("</tr>")[0]
    card = risk_card(project, as_user(project, "ana"), "s-alpha", "seeds")
    for name, section in card.sections.items():
        assert f'data-section="{name}" data-state="{section.state}"' in alpha
    assert 'href="/risk/seeds/s-alpha"' in alpha and 'data-label="CONFIDENTIAL"' in page.text
    assert "Risk cards" in ana.get("/risk?lang=en").text
    # low reads only the PUBLIC one; no works here; a kind without cards is missing.
    low = browser("low")
    assert re.findall(r'<tr data-record="([^"]+)"', low.get("/risk").text) == ["s-pub"]
    assert 'id="risk-index-empty"' in low.get("/risk?kind=works").text
    assert low.get("/risk?kind=needs").status_code == 404
    assert re.findall(r'<tr data-record="([^"]+)"', ana.get("/risk?q=drone").text) == ["s-pub"]
    reads = [e for e in audit.iter_events(project) if (e["detail"] or {}).get("service") == "risk card index"]
    assert [(e["actor"], e["records"]) for e in reads][:2] == [
        ("ana", ["s-alpha", "s-pub"]),
        ("ana", ["s-alpha", "s-pub"]),
    ]


def test_the_card_flags_a_review_nobody_can_approve(project: Workspace, browser: Callable[[str], TestClient]) -> None:
    # ana submits the CONFIDENTIAL project; nobody holds the principal investigator's role.
    release.submit(project, as_user(project, "ana"), "s-alpha", funding="private")
    html = browser("boss").get("/risk/seeds/s-alpha").text
    access = html[html.index('id="section-access"') :]
    assert 'data-state="incomplete"' in access.split(">")[0] and 'data-finding="release_unapprovable"' in access
    assert 'id="release-stuck"' in html and 'data-finding="release_unapprovable"' in html.split('id="section-')[0]
    assert "研究代表者の役割を持つ承認者（秘以上の資格）を追加する" in html
