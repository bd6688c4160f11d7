"""Paged reports (issue 15): no page ends with a heading, and no table leaves its header row alone at a page's foot
(a header repeated on the next page always comes with a row). Measured in WeasyPrint's laid-out boxes, with the
report shifted down line by line so that every heading and table meets a page's foot somewhere. WeasyPrint itself
moved a header row on with its first row in every layout tried (thead or th rows, a tall first row at a page's
foot), so the header check guards a change of renderer or of the templates' tables; the heading check is shown
to fail below."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from test_landscape import make_result

from kizashi.report.landscape import render_html

weasyprint = pytest.importorskip("weasyprint")

HEADINGS = ("h1", "h2", "h3", "caption")


def _blocks(box: Any) -> Iterator[Any]:
    for child in getattr(box, "children", None) or []:
        if getattr(child, "element_tag", None):
            yield child
            if child.element_tag in ("section", "div", "figure"):
                yield from _blocks(child)


def _is_header(row: Any) -> bool:
    cells = row.children
    return bool(cells) and all(cell.element_tag == "th" for cell in cells)


def _body_rows(wrapper: Any) -> int:
    """Rows that are not headers: outside a thead, with a cell that is not a th."""
    return sum(
        1
        for table in wrapper.children
        for group in table.children
        if not group.is_header
        for row in group.children
        if not _is_header(row)
    )


def stranded(html: str) -> list[str]:
    """What is left alone at the foot of each page but the last: a heading, or a table with no body row."""
    found = []
    pages = weasyprint.HTML(string=html).render().pages
    for number, page in enumerate(pages[:-1], start=1):
        body = page._page_box.children[0].children[0]
        blocks = list(_blocks(body))
        content = [b for b in blocks if b.element_tag not in ("section", "div")]
        if content and content[-1].element_tag in HEADINGS:
            found.append(f"page {number}: {content[-1].element_tag} last")
        found += [
            f"page {number}: table header alone"
            for b in blocks
            if b.element_tag == "table" and type(b).__name__ == "TableWrapperBox" and _body_rows(b) == 0
        ]
    return found


def _shifted(html: str, lines: int) -> str:
    return html.replace("<body>", "<body>" + "<p>&#8203;</p>" * lines, 1)


@pytest.mark.parametrize("lines", [0, 4, 9, 15, 22, 31])
def test_the_landscape_report_strands_nothing(lines: int) -> None:
    html = render_html(make_result(), "ja")
    assert stranded(_shifted(html, lines)) == []


def test_the_check_finds_a_stranded_heading() -> None:
    html = "<html><head><style>h2 { break-after: page; }</style></head><body><h2>見出し</h2><p>本文</p></body></html>"
    assert stranded(html) == ["page 1: h2 last"]
