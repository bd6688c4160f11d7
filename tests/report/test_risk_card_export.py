"""The risk card as files: self-contained bilingual HTML, a PDF with the Japanese text and its font embedded, an Excel
workbook with a sheet per section, JSON; and the `kizashi risk-card` command end to end, audited."""

from __future__ import annotations

import io
import json
from pathlib import Path

import pytest
from openpyxl import load_workbook
from pypdf import PdfReader

from kizashi.ingest.dispatch import ingest
from kizashi.protect import deemed_export
from kizashi.protect.controls.decisions import decide
from kizashi.protect.people import actor_for as as_user
from kizashi.protect.risk_card import SECTIONS, RiskCard, risk_card
from kizashi.report.risk_card import render, render_html, render_pdf, render_xlsx
from kizashi.store import audit
from kizashi.store.workspace import Workspace

SEEDS = (
    "id,title,description,organization,label\n"
    "p-1,量子鍵配送の試験環境,Quantum key distribution testbed with 256-bit keys,Tohoku University,INTERNAL\n"
    'p-2,"=HYPERLINK(""http://x"")",formula in a title,,PUBLIC\n'
)


@pytest.fixture
def project(workspace: Workspace, tmp_path: Path) -> Workspace:
    seeds = tmp_path / "seeds.csv"
    seeds.write_text(SEEDS, encoding="utf-8")
    ingest(workspace, as_user(workspace, "op"), "seeds", [seeds])
    decide(
        workspace, as_user(workspace, "op"), "p-1", "listed", reason="QKD: 9(7)", control_list="jp-etco-1", code="9(7)"
    )
    deemed_export.answer(workspace, as_user(workspace, "op"), "p-1", "陳偉", ["foreign_income"])
    return workspace


@pytest.fixture
def card(project: Workspace) -> RiskCard:
    return risk_card(project, as_user(project, "op"), "p-1", suggest=False)


def test_html_is_one_bilingual_self_contained_page(card: RiskCard) -> None:
    html = render_html(card)
    assert html.startswith("<!doctype html>") and '<html lang="ja">' in html
    assert "プロジェクト・リスクカード" in html and "Project risk card" in html
    assert html.index("プロジェクト・リスクカード") < html.index("Project risk card")  # Japanese first
    assert 'id="risk-level" data-level="high"' in html and "size: A4" in html
    for name in SECTIONS:
        assert f'id="section-{name}"' in html
    assert 'data-finding="release_unsubmitted"' in html and "☐" in html  # the checklist
    assert "量子鍵配送の試験環境" in html and "陳偉" in html
    # Self-contained: nothing is loaded from elsewhere.
    assert "<script" not in html and "<link" not in html and "src=" not in html


def test_html_escapes_what_the_records_say(project: Workspace) -> None:
    html = render_html(risk_card(project, as_user(project, "op"), "p-2", suggest=False))
    assert '=HYPERLINK("http://x")' not in html and "=HYPERLINK(&#34;http://x&#34;)" in html


def test_pdf_is_a_valid_pdf_with_the_japanese_text_and_font(card: RiskCard) -> None:
    data = render_pdf(card)
    assert data.startswith(b"%PDF-")
    reader = PdfReader(io.BytesIO(data))
    text = "".join(page.extract_text() for page in reader.pages)
    assert "プロジェクト・リスクカード" in text and "量子鍵配送の試験環境" in text and "Project risk card" in text
    fonts = {
        str(font.get_object()["/BaseFont"])
        for page in reader.pages
        for font in page["/Resources"]["/Font"].values()  # type: ignore[union-attr]
    }
    assert any("CJK" in font for font in fonts), fonts


def test_xlsx_has_a_sheet_per_section(card: RiskCard) -> None:
    book = load_workbook(io.BytesIO(render_xlsx(card)))
    assert book.sheetnames == ["card", *SECTIONS, "missing"]
    summary = {row[0]: row[1] for row in book["card"].iter_rows(min_row=2, values_only=True)}
    assert summary["risk level"] == "high" and summary["label"] == "INTERNAL"
    technology = {row[0]: row[1] for row in book["technology"].iter_rows(values_only=True) if row and row[0]}
    assert technology["code"] == "9(7)" and technology["state"] == "complete"
    deemed = [row for row in book["deemed_export"].iter_rows(values_only=True) if row and row[0] == "陳偉"]
    assert deemed and deemed[0][2] == "foreign_income"
    missing = [row for row in book["missing"].iter_rows(min_row=2, values_only=True)]
    assert {row[1] for row in missing} >= {"release_unsubmitted", "partners_not_screened", "deemed_licence_check"}


def test_a_formula_in_a_title_stays_text_in_excel(project: Workspace) -> None:
    book = load_workbook(io.BytesIO(render_xlsx(risk_card(project, as_user(project, "op"), "p-2", suggest=False))))
    title = next(row[1] for row in book["card"].iter_rows(values_only=True) if row[0] == "title")
    assert title == '=HYPERLINK("http://x")' and book["card"]["B4"].data_type == "s"


def test_json_carries_the_whole_card(card: RiskCard) -> None:
    payload = json.loads(render(card, "json"))
    assert payload["level"] == "high" and payload["project"]["id"] == "p-1"
    assert set(payload["sections"]) == set(SECTIONS)
    assert payload["sections"]["technology"]["facts"]["code"] == "9(7)"


def test_the_cli_end_to_end(project: Workspace, cli, tmp_path: Path, login_as) -> None:
    login_as("op")
    summary = cli("risk-card", "p-1", "--no-suggest")
    assert summary.code == 0, summary.err
    assert "risk level: high" in summary.out and "kizashi review submit p-1" in summary.out
    assert cli("risk-card", "p-1", "--no-suggest", "--check").code == 1
    for suffix in ("pdf", "xlsx", "html", "json"):
        out = tmp_path / f"card.{suffix}"
        result = cli("risk-card", "p-1", "--kind", "seeds", "--out", out, "--no-suggest")
        assert result.code == 0, result.err
        assert out.stat().st_size > 0
    assert (tmp_path / "card.pdf").read_bytes().startswith(b"%PDF-")
    shown = cli("risk-card", "p-1", "--format", "json", "--no-suggest")
    assert json.loads(shown.out)["level"] == "high"
    exports = [e for e in audit.iter_events(project) if e["action"] == "export" and e["records"] == ["p-1"]]
    assert [e["detail"]["format"] for e in exports] == ["pdf", "xlsx", "html", "json"]  # type: ignore[index]
    assert exports[0]["detail"]["file"] == str(tmp_path / "card.pdf")  # type: ignore[index]


def test_the_cli_refuses_bad_input(project: Workspace, cli, tmp_path: Path, login_as) -> None:
    login_as("op")
    assert "--out" in cli("risk-card", "p-1", "--format", "pdf").err
    assert cli("risk-card", "p-1", "--format", "docx").code == 2
    assert cli("risk-card", "p-1", "--out", tmp_path / "card.docx").code == 2
    missing = cli("risk-card", "no-such-project")
    assert missing.code != 0 and "no record 'no-such-project'" in missing.err
    assert not (tmp_path / "card.docx").exists()
