"""A roadmap drawn: the SVG parses, holds every item with its Japanese title, the critical path and its arrows
marked, file text escaped; the HTML holds the SVG and a table; the PDF parses with pypdf; the PNG is an image."""

from __future__ import annotations

import io
import re
from pathlib import Path

from defusedxml import ElementTree
from PIL import Image
from pypdf import PdfReader

from kizashi.grow.critical_path import critical_path
from kizashi.grow.roadmap_model import LANES, Roadmap, read_roadmap
from kizashi.grow.roadmap_render import FONTS, html, png, render, svg

EXAMPLE = Path(__file__).parents[2] / "examples" / "roadmap.yaml"
NS = {"svg": "http://www.w3.org/2000/svg"}
JAPANESE = re.compile(r"[\u3040-\u30ff\u4e00-\u9fff]")


def _example() -> Roadmap:
    return read_roadmap(EXAMPLE)


def _texts(element: object) -> str:
    return " ".join(t.text or "" for t in element.iter() if t.text)  # type: ignore[attr-defined]


def test_the_svg_parses_and_holds_every_item_with_its_japanese_title() -> None:
    roadmap = _example()
    path = critical_path(roadmap)
    root = ElementTree.fromstring(svg(roadmap, path, "ja"))
    assert root.tag == "{http://www.w3.org/2000/svg}svg"
    groups = {g.get("data-item"): g for g in root.iterfind(".//svg:g[@data-item]", NS)}
    assert list(groups) == [item.id for item in roadmap.items]
    for item in roadmap.items:
        words = _texts(groups[item.id])
        assert item.title_ja in words and JAPANESE.search(words)
        assert groups[item.id].find("svg:rect", NS) is not None
        if item.trl is not None:
            assert f"TRL {item.trl.from_}" in words and f"TRL {item.trl.to}" in words
            assert len(groups[item.id].findall("svg:path[@class='milestone']", NS)) == 2
    critical = [g.get("data-item") for g in groups.values() if "critical" in (g.get("class") or "").split()]
    assert critical == path.path
    # Swimlanes in T-Plan order, in the reader's language.
    lanes = [g.get("data-lane") for g in root.iterfind(".//svg:g[@class='lane']", NS)]
    assert lanes == list(LANES)
    assert "技術" in _texts(root) and "Noto Sans CJK JP" in (root.get("font-family") or "")
    assert "Noto Sans CJK JP" in FONTS


def test_every_dependency_is_an_arrow_and_those_on_the_critical_path_are_red() -> None:
    roadmap = _example()
    path = critical_path(roadmap)
    root = ElementTree.fromstring(svg(roadmap, path, "en"))
    arrows = {(a.get("data-from"), a.get("data-to")): a for a in root.iterfind(".//svg:path[@data-from]", NS)}
    assert set(arrows) == {(d, item.id) for item in roadmap.items for d in item.depends_on}
    red = {pair for pair, arrow in arrows.items() if "critical" in (arrow.get("class") or "")}
    assert red == set(zip(path.path, path.path[1:], strict=False))
    # English chosen: the English titles are shown, the Japanese ones kept in each item's tooltip.
    assert "Short-term river level forecasting" in _texts(root) and "河川水位の短時間予測" in _texts(root)


def test_text_from_the_file_is_escaped() -> None:
    hostile = '<script>alert("x")</script> & ]]>'
    roadmap = Roadmap.model_validate(
        {
            "id": "rm-<x>",
            "title_en": hostile,
            "items": [{"id": 'A"&<', "lane": "need", "title_en": hostile, "start": "2027-01", "end": "2027-02"}],
        }
    )
    path = critical_path(roadmap)
    root = ElementTree.fromstring(svg(roadmap, path, "en"))
    assert root.find(".//svg:script", NS) is None and root.find(".//script") is None
    assert hostile in _texts(root)
    assert [g.get("data-item") for g in root.iterfind(".//svg:g[@data-item]", NS)] == ['A"&<']
    page = html(roadmap, path, "en")
    assert "<script>" not in page and "&lt;script&gt;" in page


def test_the_html_page_holds_the_chart_and_a_row_per_item() -> None:
    roadmap = _example()
    page = html(roadmap, critical_path(roadmap), "ja")
    assert page.count("<svg") == 1 and 'lang="ja"' in page
    for item in roadmap.items:
        assert f'data-item="{item.id}"' in page and item.title_ja in page
    assert "余裕（月）" in page


def test_the_pdf_parses_and_has_the_roadmap_in_it() -> None:
    roadmap = _example()
    data = render(roadmap, critical_path(roadmap), "pdf", "ja")
    reader = PdfReader(io.BytesIO(data))
    assert len(reader.pages) >= 1
    text = "".join(page.extract_text() for page in reader.pages)
    assert "rm-flood" in text and "T1" in text and "P2" in text and "河川水位の短時間予測" in text
    fonts = {
        str(font.get_object()["/BaseFont"])
        for page in reader.pages
        for font in page["/Resources"]["/Font"].values()  # type: ignore[index]
    }
    assert any("Noto-Sans-CJK-JP" in font for font in fonts), fonts  # embedded, a subset


def test_the_png_is_an_image_of_the_chart() -> None:
    roadmap = _example()
    data = png(roadmap, critical_path(roadmap), "ja", scale=1.0)
    assert data.startswith(b"\x89PNG\r\n\x1a\n")
    image = Image.open(io.BytesIO(data))
    assert image.width > 600 and image.height > 300
    # The critical path's red is drawn.
    assert (192, 57, 43) in {pixel[:3] for pixel in image.convert("RGB").get_flattened_data()}


def test_a_roadmap_of_centuries_stays_a_drawing_of_bounded_size() -> None:
    roadmap = Roadmap.model_validate(
        {"id": "rm", "items": [{"id": "A", "lane": "need", "title_en": "long", "start": "0001-01", "end": "9999-12"}]}
    )
    path = critical_path(roadmap)
    root = ElementTree.fromstring(svg(roadmap, path, "en"))
    assert float(root.get("width") or 0) < 7000 and len(root.findall(".//svg:line", NS)) < 20_000
    image = Image.open(io.BytesIO(png(roadmap, path, "en")))
    assert image.width * image.height <= 40_000_000
