"""The landscape report from a scan built by hand: the HTML page (every section, Japan's bar marked, nothing from
elsewhere, Japanese words only in Japanese), English with lang="en", the workbook (a sheet per table, header frozen,
every row, formulas kept as text), the PDF (Japanese text extractable), and the chart helpers' label fitting."""

from __future__ import annotations

import io
import re
from datetime import UTC, date, datetime
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import pytest
from hypothesis import example, given
from hypothesis import strategies as st
from openpyxl import load_workbook
from pypdf import PdfReader

from kizashi.errors import InputError
from kizashi.know.landscape.result import ScanResult
from kizashi.know.landscape.tables import COLUMNS
from kizashi.report import landscape
from kizashi.report.charts import (
    Bubble,
    bubble_chart,
    dot_whisker_chart,
    fit_text,
    marked_bar_chart,
    nice_ticks,
    text_width,
    wrap_text,
)
from kizashi.report.landscape import (
    MESSAGES,
    cell_text,
    country_chart,
    render_html,
    render_xlsx,
    sheet_columns,
    technology_order,
    technology_section,
    write_reports,
)

TECHNOLOGIES = {
    "quantum.computing": ("量子コンピューティング", "Quantum computing"),
    "cyber.cryptography": ("暗号技術", "Cryptography"),
    "robotics.uav": (
        "無人航空機（ドローン）の自律飛行と群制御に関する技術の総称としての長い名前",
        "Uncrewed aerial vehicles",
    ),
}
THREATS = {"cy.crqc": ("暗号解読可能な量子計算機", "Cryptographically relevant quantum computer")}
SECTIONS = ("summary", "critical", "trends", "emergence", "countries", "collaboration", "fronts", "threats")


def _countries() -> list[dict[str, object]]:
    """Three technologies: Japan leads quantum, is small in cryptography (outside the top 10) and absent from UAVs."""
    rows: list[dict[str, object]] = []
    shares = {
        "quantum.computing": {"JP": 0.5, "US": 0.3, "CN": 0.2},
        "cyber.cryptography": {**{f"X{i}": 0.09 for i in range(10)}, "JP": 0.01, "US": 0.0},
        "robotics.uav": {"US": 0.6, "CN": 0.4, "JP": 0.0},
    }
    for technology, by_country in shares.items():
        ordered = sorted(by_country.items(), key=lambda kv: -kv[1])
        for rank, (country, share) in enumerate(ordered, start=1):
            rows.append(
                {
                    "technology": technology,
                    "country": country,
                    "works": round(share * 100),
                    "works_fractional": share * 100,
                    "share": share,
                    "top10_works": round(share * 10),
                    "top10_share": share,
                    "rank": rank,
                    "lead_ratio": 1.67 if rank == 1 else None,
                    "top10_institutions": 5 if rank == 1 else 0,
                    "monopoly_risk": {"quantum.computing": "low", "robotics.uav": "high"}.get(technology, "medium")
                    if rank == 1
                    else None,
                    "top10_fractional": share * 10,
                }
            )
    return rows


def make_result(**overrides: object) -> ScanResult:
    trends = [
        {"technology": t, "year": y, "works": works, "share": works / 100, "top10_works": works // 10}
        for t, base, step in (("quantum.computing", 10, 5), ("cyber.cryptography", 40, 0), ("robotics.uav", 30, -3))
        for y, works in ((2019 + i, base + step * i) for i in range(5))
    ]
    emergence = [
        {
            "technology": t,
            "works": works,
            "growth": growth,
            "emergence_score": score,
            "emerging": emerging,
            "burst_years": bursts,
            "novelty": 0.4,
            "persistence": 0.7,
            "community": 0.5,
            "recent_works": works // 2,
        }
        for t, works, growth, score, emerging, bursts in (
            ("quantum.computing", 100, 0.19, 2.5, True, "2021-2023"),
            ("cyber.cryptography", 200, 0.0, 0.3, False, None),
            ("robotics.uav", 120, -0.08, -0.5, False, ""),
        )
    ]
    critical = [
        {
            "technology": t,
            "rank": rank,
            "score": score,
            "rank_low": low,
            "rank_high": high,
            "weighted_score": score,
            "weighted_rank": rank,
            "threat_relevance": 0.8,
            "momentum": 0.6,
            "japan_gap": 0.2,
            "japan_trend": 0.01,
            "dual_use": 0.9,
            "concentration": 0.5,
        }
        for t, rank, score, low, high in (
            ("cyber.cryptography", 1, 0.81, 1, 2),
            ("quantum.computing", 2, 0.64, 1, 3),
            ("robotics.uav", 3, 0.2, 3, 3),
        )
    ]
    fronts = [
        {
            "front": "F1",
            "label_en": "post-quantum lattice signatures",
            "label_ja": "耐量子格子署名",
            "works": 40,
            "growth": 0.35,
            "status": "new",
            "previous": None,
            "technologies": "cyber.cryptography;quantum.computing",
        },
        {
            "front": "F2",
            "label_en": "drone swarm control",
            "label_ja": "ドローン群制御",
            "works": 25,
            "growth": -0.1,
            "status": "split",
            "previous": "F7",
            "technologies": "robotics.uav",
        },
    ]
    threats = [
        {
            "threat": "cy.crqc",
            "threat_name_ja": THREATS["cy.crqc"][0],
            "threat_name_en": THREATS["cy.crqc"][1],
            "technology": t,
            "relation": relation,
            "momentum": 0.6,
            "emerging": emerging,
            "japan_rank": 1,
            "japan_share": 0.5,
            "needs": 2,
            "seeds": 1,
            "need_ids": "N1;N4",
            "seed_ids": "S2",
        }
        for t, relation, emerging in (
            ("cyber.cryptography", "counters", False),
            ("quantum.computing", "could_become", True),
        )
    ]
    tables: dict[str, list[dict[str, Any]]] = {
        "trends": trends,
        "emergence": emergence,
        "countries": _countries(),
        "collaboration": [
            {"technology": "quantum.computing", "country_a": "JP", "country_b": "US", "works": 12},
            {"technology": "quantum.computing", "country_a": "CN", "country_b": "US", "works": 7},
            {"technology": "robotics.uav", "country_a": "CN", "country_b": "US", "works": 3},
        ],
        "fronts": fronts,
        "front_works": [{"front": "F1", "work_id": f"openalex:W{i}"} for i in range(40)]
        + [{"front": "F2", "work_id": '=HYPERLINK("http://x")'}],
        "critical": critical,
        "threats": threats,
    }
    values: dict[str, object] = {
        "tables": tables,
        "technologies": TECHNOLOGIES,
        "threats": THREATS,
        "scan_id": 7,
        "created_at": datetime(2026, 3, 1, 9, 30, tzinfo=UTC),
        "engine": "duckdb",
        "year_from": 2019,
        "year_to": 2023,
        "as_of": date(2024, 1, 1),
        "public": False,
        "label": "INTERNAL",
        "works": 420,
        "fingerprint": "3f9ac0d2e1b4a5c6d7e8f9",
        "notes": [("note_as_of_citations", {"works": 17}), ("japan_absent", {"technology": "robotics.uav"})],
        "vanished_fronts": ["F3"],
        "previous_scan": 6,
    }
    values.update(overrides)
    return ScanResult(**values)  # type: ignore[arg-type]


class _Visible(HTMLParser):
    """The text a reader sees: element text outside <style> and SVG tooltips (<title> elements)."""

    def __init__(self) -> None:
        super().__init__()
        self.hidden = 0
        self.text: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in ("style", "title"):
            self.hidden += 1

    def handle_endtag(self, tag: str) -> None:
        if tag in ("style", "title"):
            self.hidden -= 1

    def handle_data(self, data: str) -> None:
        if not self.hidden:
            self.text.append(data)


def visible_text(html: str) -> str:
    parser = _Visible()
    parser.feed(html)
    return " ".join(parser.text)


@pytest.fixture(scope="module")
def result() -> ScanResult:
    return make_result()


@pytest.fixture(scope="module")
def html_ja(result: ScanResult) -> str:
    return render_html(result, "ja")


def test_html_has_every_section_and_the_label_at_top_and_bottom(html_ja: str) -> None:
    assert html_ja.startswith("<!doctype html>") and '<html lang="ja">' in html_ja
    for section in SECTIONS:
        assert f'<section id="{section}"' in html_ja, section
    positions = [html_ja.index(f'<section id="{s}"') for s in SECTIONS]
    assert positions == sorted(positions)
    top, bottom = html_ja.index('id="marking-top"'), html_ja.index('id="marking-bottom"')
    assert top < positions[0] and bottom > positions[-1]
    assert visible_text(html_ja).count("取扱区分：部内限り（INTERNAL）") == 2
    # The marking is also in every printed page's margins.
    assert "@top-center" in html_ja and "部内限り" in html_ja[: html_ja.index("</style>")]


def test_html_is_self_contained(html_ja: str) -> None:
    assert "<script" not in html_ja and "<link" not in html_ja and "<img" not in html_ja
    assert "src=" not in html_ja and "href=" not in html_ja and "url(" not in html_ja and "@import" not in html_ja
    # The one URL is the SVG namespace, a name rather than a place anything is loaded from.
    assert set(re.findall(r"https?://[^\s\"'<>]+", html_ja)) <= {"http://www.w3.org/2000/svg"}
    assert '"Noto Sans CJK JP", "IPAexGothic", sans-serif' in html_ja


def test_japanese_headings_and_names(html_ja: str) -> None:
    text = visible_text(html_ja)
    for heading in (
        "概要",
        "重要技術",
        "動向",
        "新興性",
        "国別の状況と日本の位置",
        "国際共著",
        "研究フロント",
        "脅威と技術",
    ):
        assert f"<h2>{heading}</h2>" in html_ja, heading
    for name in ("量子コンピューティング", "暗号技術", "耐量子格子署名", "暗号解読可能な量子計算機"):
        assert name in text
    assert "新興" in text and "新規" in text and "分裂" in text and "高" in text
    assert "対抗する技術" in text and "脅威になり得る技術" in text
    assert "消滅したフロント：F3" in text
    assert "日本の論文がない" in text  # a note, with the technology's name in place of its id
    assert "年別引用数のない17件" in text
    assert "2（N1、N4）" in text
    assert "+19.0%" in text and "50.0%" in text


def test_japanese_page_shows_no_english_words(result: ScanResult, html_ja: str) -> None:
    text = visible_text(html_ja)
    allowed = {"kizashi", "DuckDB", "INTERNAL", "TOPSIS"}
    allowed |= {part for t in TECHNOLOGIES for part in re.findall(r"[A-Za-z]+", t)}
    for word in re.findall(r"[A-Za-z][A-Za-z_]+", text.replace(result.fingerprint[:16], " ")):
        # Country codes (two capitals) and front ids stay as they are.
        if word in allowed or re.fullmatch(r"[A-Z]{2}", word):
            continue
        pytest.fail(f"English or a raw identifier in the Japanese page: {word!r}")


def test_english_page(result: ScanResult) -> None:
    html = render_html(result, "en")
    text = visible_text(html)
    assert '<html lang="en">' in html
    for heading in ("Summary", "Critical technologies", "Trends", "Emergence", "Research fronts"):
        assert f"<h2>{heading}</h2>" in html
    assert "Quantum computing" in text and "post-quantum lattice signatures" in text and "Emerging" in text
    assert "Label: INTERNAL" in text and "Could become it" in text
    assert not re.search(r"[\u3040-\u30ff\u4e00-\u9fff]", text), "Japanese in the English page"


def test_japan_bar_is_marked_and_always_shown(result: ScanResult) -> None:
    for technology in TECHNOLOGIES:
        chart = str(country_chart(result, technology, "ja"))
        marked = re.findall(r'<g class="bar marked" data-label="([^"]+)"', chart)
        assert marked == ["JP"], technology
        assert 'fill="#c62828"' in chart and chart.count('class="bar"') + 1 == chart.count("<rect")
    # Cryptography: Japan is twelfth of twelve and still drawn, after the top ten.
    chart = str(country_chart(result, "cyber.cryptography", "ja"))
    labels = re.findall(r'<g class="bar(?: marked)?" data-label="([^"]+)"', chart)
    assert len(labels) == 11 and labels[-1] == "JP" and "US" not in labels
    assert "独占リスク：中" in chart


def test_unranked_technologies_follow_the_ranking_by_works() -> None:
    result = make_result()
    result.tables["critical"] = [r for r in result.tables["critical"] if r["technology"] != "robotics.uav"]
    assert technology_order(result) == ["cyber.cryptography", "quantum.computing", "robotics.uav"]


def test_long_names_are_shortened_with_the_whole_name_as_tooltip(html_ja: str) -> None:
    long_name = TECHNOLOGIES["robotics.uav"][0]
    assert f"<title>{long_name}</title>" in html_ja  # in a chart, shortened
    assert f">{long_name}</td>" in html_ja  # in a table, whole (tables wrap)


def test_technology_section(result: ScanResult) -> None:
    fragment = str(technology_section(result, "quantum.computing", "ja"))
    assert fragment.startswith('<section id="technology-quantum.computing"')
    assert "技術：量子コンピューティング" in fragment and "<!doctype" not in fragment
    assert 'class="bar marked" data-label="JP"' in fragment and "<polyline" in fragment
    assert "耐量子格子署名" in fragment and "ドローン群制御" not in fragment


def test_values_read_in_the_chosen_language(result: ScanResult) -> None:
    assert cell_text(result, "monopoly_risk", "high", "ja") == "高"
    assert cell_text(result, "monopoly_risk", "high", "en") == "High"
    assert cell_text(result, "status", "vanished", "ja") == "消滅"
    assert cell_text(result, "emerging", True, "ja") == "新興"
    assert cell_text(result, "emerging", False, "ja") == "–"
    assert cell_text(result, "growth", -0.125, "en") == "-12.5%"
    assert cell_text(result, "needs", 1234, "en") == "1,234"
    assert cell_text(result, "japan_trend", -0.012, "en") == "-1.2 pt"
    assert cell_text(result, "japan_trend", 0.03, "ja") == "+3.0ポイント"
    assert cell_text(result, "japan_gap", 0.2, "ja") == "20.0ポイント"
    assert cell_text(result, "technology", "cyber.cryptography", "en") == "Cryptography"
    assert cell_text(result, "technology", "unknown.tech", "ja") == "unknown.tech"


def test_every_column_and_table_has_both_languages() -> None:
    for table in COLUMNS:
        for lang in (0, 1):
            assert len(MESSAGES[f"sheet.{table}"][lang]) <= 31
        for column in sheet_columns(table):
            assert f"col.{column}" in MESSAGES, column
    assert all(ja and en for ja, en in MESSAGES.values())


def test_xlsx_has_a_sheet_per_table(result: ScanResult) -> None:
    book = load_workbook(io.BytesIO(render_xlsx(result, "ja")))
    assert book.sheetnames == ["概要", *(MESSAGES[f"sheet.{t}"][0] for t in COLUMNS)]
    summary = {row[0]: row[1] for row in book["概要"].iter_rows(min_row=2, values_only=True)}
    assert summary["取扱区分"] == "部内限り（INTERNAL）" and summary["読み込んだ論文数"] == "420"
    for table in COLUMNS:
        sheet = book[MESSAGES[f"sheet.{table}"][0]]
        assert sheet.freeze_panes == "A2", table
        assert sheet.max_row == len(result.tables[table]) + 1, table
        headings = [c.value for c in sheet[1]]
        assert headings == [MESSAGES[f"col.{c}"][0] for c in sheet_columns(table)]
        assert sheet.auto_filter.ref and sheet.auto_filter.ref.startswith("A1:")
        assert all(sheet.column_dimensions[chr(ord("A") + i)].width >= len(str(h)) for i, h in enumerate(headings))
    countries = book["国別"]
    risks = {row[-2] for row in countries.iter_rows(min_row=2, values_only=True)}
    assert risks == {"高", "中", "低", None}
    fronts = list(book["研究フロント"].iter_rows(min_row=2, values_only=True))
    assert {row[5] for row in fronts} == {"新規", "分裂"}
    works = book["フロントの論文"]
    assert works.cell(works.max_row, 2).value == '\'=HYPERLINK("http://x")'  # text, never a formula
    trends = book["動向"]
    assert trends["B2"].value == "quantum.computing" or trends["A2"].value == "quantum.computing"
    assert trends["B2"].value == "量子コンピューティング" and isinstance(trends["E2"].value, float)
    assert trends["E2"].number_format == "0.0%"


def test_xlsx_in_english(result: ScanResult) -> None:
    book = load_workbook(io.BytesIO(render_xlsx(result, "en")))
    assert book.sheetnames[0] == "Summary" and "Critical technologies" in book.sheetnames
    assert [c.value for c in book["Trends"][1]][:3] == ["Technology", "Technology name", "Year"]


def test_write_reports_writes_the_three_files_and_refuses_bad_options(result: ScanResult, tmp_path: Path) -> None:
    out = tmp_path / "scan"
    paths = write_reports(result, out, formats=("html", "xlsx"))
    assert paths == [out / "report.html", out / "report.xlsx"]
    assert all(p.stat().st_mode & 0o077 == 0 for p in paths)  # labelled: the owner's alone
    assert (out / "report.html").read_text(encoding="utf-8") == render_html(result, "ja")
    with pytest.raises(InputError, match="format"):
        write_reports(result, out, formats=("docx",))
    with pytest.raises(InputError, match="language"):
        write_reports(result, out, lang="fr")


def test_a_sheet_stops_at_excels_row_limit_and_the_summary_says_so(
    result: ScanResult, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(landscape, "EXCEL_ROWS", 20)
    book = load_workbook(io.BytesIO(render_xlsx(result, "en")))
    assert book["Front works"].max_row == 21 and book["Front works"].auto_filter.ref == "A1:B21"
    assert book["Trends"].max_row == 16  # 15 rows: under the limit, whole
    notes = [row[1] for row in book["Summary"].iter_rows(min_row=2, values_only=True) if row[0] == "Notes"]
    assert [n for n in notes if "stops at" in n] == [
        "The sheet 'Front works' stops at the spreadsheet's limit of 20 rows; all rows are in front_works.csv."
    ]


def test_a_label_cannot_break_out_of_the_page_style() -> None:
    html = render_html(make_result(label='INTERNAL // X"}</style><script>alert(1)</script>'), "en")
    assert html.count("</style>") == 1 and "<script>" not in html
    assert "Label: INTERNAL // X&#34;}&lt;/style&gt;" in html


def test_an_unknown_note_is_shown_with_its_values() -> None:
    html = render_html(make_result(notes=[("note_something_new", {"works": 3})]), "en")
    assert "something_new works=3" in visible_text(html)


def test_an_empty_scan_still_renders() -> None:
    empty = make_result(tables={name: [] for name in COLUMNS}, notes=[("empty_corpus", {})], vanished_fronts=[])
    html = render_html(empty, "ja")
    assert "データなし" in html and "読み込める論文がなかった。" in html
    book = load_workbook(io.BytesIO(render_xlsx(empty, "ja")))
    assert all(book[name].max_row == 1 for name in book.sheetnames[1:])


def test_pdf_has_pages_and_japanese_text(result: ScanResult, tmp_path: Path) -> None:
    (path,) = write_reports(result, tmp_path, formats=("pdf",))
    reader = PdfReader(io.BytesIO(path.read_bytes()))
    assert len(reader.pages) >= 1
    text = "".join(page.extract_text() for page in reader.pages)
    assert "研究開発ランドスケープ" in text and "国別の状況と日本の位置" in text
    assert "部内限り" in reader.pages[-1].extract_text()  # the marking in every page's margin


# ------------------------------------------------------------------------------------------------- chart helpers


@given(st.text(max_size=60), st.floats(min_value=10, max_value=400))
def test_fit_text_fits_and_keeps_a_prefix(text: str, width: float) -> None:
    shown = fit_text(text, width)
    if text_width(text) <= width:
        assert shown == text
    else:
        assert shown.endswith("…") and text.startswith(shown[:-1].rstrip())
        assert text_width(shown) <= width or len(shown) == 1


def test_cjk_counts_as_two_latin_characters() -> None:
    assert text_width("日本") == pytest.approx(text_width("abcd"))
    assert text_width("ｶﾅ") == pytest.approx(text_width("ab"))  # halfwidth katakana is narrow


@given(st.floats(min_value=-1e6, max_value=1e6), st.floats(min_value=-1e6, max_value=1e6))
@example(0.0, 5e-324)  # a subnormal range: its step once had no logarithm
def test_nice_ticks_cover_the_range(low: float, high: float) -> None:
    ticks = nice_ticks(low, high)
    assert ticks == sorted(ticks) and len(ticks) >= 2
    assert ticks[0] <= min(low, high) + 1e-9 and ticks[-1] >= max(low, high) - 1e-9


@given(st.text(min_size=1, max_size=80), st.floats(min_value=30, max_value=400))
def test_wrap_text_keeps_the_text_in_order_within_two_lines(text: str, width: float) -> None:
    lines = wrap_text(text, width)
    assert 1 <= len(lines) <= 2
    assert all(text_width(line) <= width or len(line) <= 2 for line in lines)
    joined = "".join("".join(line.split()) for line in lines).removesuffix("…")
    assert "".join(text.split()).startswith(joined)
    if text_width(text) <= width:
        assert lines == [text]


def test_a_long_title_wraps_and_moves_the_chart_down() -> None:
    short = str(dot_whisker_chart([("a", 2, 1, 3)], title="t", integers=True))
    long = str(dot_whisker_chart([("a", 2, 1, 3)], title="長い題名" * 40, integers=True))
    assert long.count('class="chart-title"') == 2 and short.count('class="chart-title"') == 1
    height = [int(re.search(r'height="(\d+)"', chart)[1]) for chart in (short, long)]  # type: ignore[index]
    assert height[1] == height[0] + 17
    ticks = re.findall(r'text-anchor="middle">([^<]+)</text>', short)
    assert ticks and all(tick.isdigit() for tick in ticks)  # ranks: whole numbers only


def test_only_the_largest_bubbles_are_labelled_and_every_one_has_a_tooltip() -> None:
    bubbles = [Bubble(f"front {i}", i / 10, i, i + 1, key=f"F{i}") for i in range(20)]
    chart = str(bubble_chart(bubbles, title="t", labelled=5))
    assert chart.count('<g class="bubble"') == 20 and all(f"<title>front {i}</title>" in chart for i in range(20))
    shown = re.findall(r'font-size="11"[^>]*>([^<]+)</text>', chart)
    assert sorted(shown) == sorted(f"front {i}" for i in range(15, 20))


def test_a_marked_bar_with_nothing_is_still_drawn() -> None:
    chart = str(marked_bar_chart([("US", 0.9, False), ("JP", 0.0, True)], title="t", value_format="{:.0%}"))
    assert 'class="bar marked" data-label="JP"' in chart and ">0%</text>" in chart
