"""A roadmap drawn: SVG written by hand (every text escaped), HTML (the SVG inline and a table of the items), PDF
(WeasyPrint, as the risk card) and PNG (the PDF of the chart alone rasterised by PDFium through pypdfium2, a wheel
with PDFium inside: no download at run time and no system library beyond what WeasyPrint already needs).

Swimlanes in T-Plan order, one row per item in the file's order within its lane, a month axis, bars with their TRL
at start and end as milestones, finish-to-start arrows, and the critical path drawn in red. Japanese is drawn with
the Noto Sans CJK JP font named first (the system's; the PDF embeds it), then common Japanese fonts.
"""

from __future__ import annotations

import io
import math
from collections.abc import Sequence
from dataclasses import dataclass
from html import escape

from kizashi.errors import KizashiError
from kizashi.grow.critical_path import CriticalPath
from kizashi.grow.roadmap_model import BARRIER_WORDS, LANE_WORDS, LANES, Item, Roadmap, month_number
from kizashi.messages import Message, Words

FORMATS = ("svg", "html", "pdf", "png")
FONTS = '"Noto Sans CJK JP", "Noto Sans JP", "Hiragino Sans", "Yu Gothic", "Meiryo", "IPAexGothic", sans-serif'
CRITICAL = "#c0392b"
_LEFT, _TOP, _ROW, _RIGHT, _BOTTOM = 130, 96, 48, 260, 24
_BAR_Y, _BAR_H = 20, 14  # within an item's row
_MAX_AXIS = 6000  # px for the months at most
_MAX_PIXELS = 40_000_000  # of a PNG: a roadmap of thousands of items is drawn at a lower resolution, not refused
_LANE_FILL = ("#f4f7fa", "#ffffff")
_BAR_FILL = {
    "need": "#7f8c8d",
    "capability": "#2e86c1",
    "technology": "#1f5f8b",
    "programme": "#27ae60",
    "resources": "#b9770e",
    "barrier": "#6c3483",
}


def render(roadmap: Roadmap, path: CriticalPath, fmt: str, lang: str) -> bytes:
    """The roadmap in `fmt` (svg, html, pdf, png), its words in `lang`."""
    if fmt == "svg":
        return svg(roadmap, path, lang).encode("utf-8")
    if fmt == "html":
        return html(roadmap, path, lang).encode("utf-8")
    if fmt == "pdf":
        return _pdf(html(roadmap, path, lang))
    if fmt == "png":
        return png(roadmap, path, lang)
    raise ValueError(fmt)  # the command line offers FORMATS only


@dataclass(frozen=True)
class _Layout:
    first: int  # month number of the first month drawn
    months: int
    month_width: float
    rows: dict[str, int]  # item id → its row (0-based, lanes in order)
    lanes: list[tuple[str, int, int]]  # lane, first row, rows

    @property
    def width(self) -> float:
        return _LEFT + self.months * self.month_width + _RIGHT

    @property
    def height(self) -> int:
        return _TOP + sum(rows for _, _, rows in self.lanes) * _ROW + _BOTTOM

    def x(self, month: int) -> float:
        """The left edge of a month (month numbers, see roadmap_model.month_number)."""
        return _LEFT + (month - self.first) * self.month_width

    def y(self, item_id: str) -> int:
        return _TOP + self.rows[item_id] * _ROW


def _layout(roadmap: Roadmap) -> _Layout:
    first = min(month_number(item.start) for item in roadmap.items)
    last = max(month_number(item.end) for item in roadmap.items)
    # Whole years on the axis: from the January before the first month to the December after the last.
    first -= first % 12
    last += 11 - last % 12
    months = last - first + 1
    # About 960 px for the months; long roadmaps widen the chart, up to a width a viewer still opens.
    month_width = min(max(960 / months, 6.0), 40.0, _MAX_AXIS / months)
    rows: dict[str, int] = {}
    lanes = []
    row = 0
    for lane in LANES:
        members = [item for item in roadmap.items if item.lane == lane]
        if not members:
            continue
        lanes.append((lane, row, len(members)))
        for item in members:
            rows[item.id] = row
            row += 1
    return _Layout(first, months, month_width, rows, lanes)


def _attr(value: object) -> str:
    return escape(str(value), quote=True)


def _said(message: Message, lang: str) -> str:
    return escape(message.said(lang))


def svg(roadmap: Roadmap, path: CriticalPath, lang: str) -> str:
    """The chart as an SVG document (UTF-8)."""
    layout = _layout(roadmap)
    critical = set(path.path)
    links = set(zip(path.path, path.path[1:], strict=False))
    width, height = round(layout.width), layout.height
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" viewBox="0 0 {width} {height}" '
        f'font-family=\'{FONTS.replace(chr(34), "")}\' font-size="12" role="img" lang="{_attr(lang)}">',
        f"<title>{escape(roadmap.title(lang))}</title>",
        "<defs>",
        '<marker id="arrow" viewBox="0 0 10 10" refX="9" refY="5" markerUnits="userSpaceOnUse" markerWidth="8" markerHeight="8" orient="auto">'
        '<path d="M0,0 L10,5 L0,10 z" fill="#555"/></marker>',
        f'<marker id="arrow-critical" viewBox="0 0 10 10" refX="9" refY="5" markerUnits="userSpaceOnUse" markerWidth="8" markerHeight="8" '
        f'orient="auto"><path d="M0,0 L10,5 L0,10 z" fill="{CRITICAL}"/></marker>',
        "</defs>",
        f"<style>text {{ font-family: {FONTS}; }}</style>",
        '<rect x="0" y="0" width="100%" height="100%" fill="#ffffff"/>',
        f'<text x="8" y="22" font-size="17" font-weight="bold">{escape(roadmap.title(lang))}</text>',
        f'<text x="8" y="40" font-size="11" fill="#555">{_heading_line(roadmap, path, lang)}</text>',
        *_legend(layout, lang),
        *_lanes(layout, lang),
        *_axis(layout),
        *_arrows(roadmap, layout, links),
        *(_bar(item, layout, item.id in critical, lang) for item in roadmap.items),
        "</svg>",
    ]
    return "\n".join(parts) + "\n"


def _heading_line(roadmap: Roadmap, path: CriticalPath, lang: str) -> str:
    line = Message(
        "roadmap {id}: {count} items; critical path {months} months ({path})",
        id=roadmap.id,
        count=len(roadmap.items),
        months=path.length_months,
        path=" → ".join(path.path),
    )
    return _said(line, lang)


def _legend(layout: _Layout, lang: str) -> list[str]:
    x = layout.width - _RIGHT + 10
    return [
        f'<line x1="{x:.1f}" y1="18" x2="{x + 24:.1f}" y2="18" stroke="{CRITICAL}" stroke-width="3"/>',
        f'<text x="{x + 30:.1f}" y="22" font-size="11">{escape(CRITICAL_WORDS.said(lang))}</text>',
        f'<path d="M{x + 12:.1f},30 l5,5 l-5,5 l-5,-5 z" fill="#fff" stroke="#1b1b1b"/>',
        f'<text x="{x + 30:.1f}" y="39" font-size="11">{escape(MILESTONE_WORDS.said(lang))}</text>',
    ]


def _lanes(layout: _Layout, lang: str) -> list[str]:
    parts = []
    right = layout.width - _RIGHT
    for number, (lane, first, rows) in enumerate(layout.lanes):
        top, band = _TOP + first * _ROW, rows * _ROW
        parts.append(
            f'<g class="lane" data-lane="{lane}"><rect x="0" y="{top}" width="{right:.1f}" height="{band}" '
            f'fill="{_LANE_FILL[number % 2]}" stroke="#d5dde5"/>'
            f'<text x="8" y="{top + band / 2 + 4:.1f}" font-weight="bold">{escape(LANE_WORDS[lane].said(lang))}</text>'
            "</g>"
        )
    return parts


def _axis(layout: _Layout) -> list[str]:
    parts = []
    bottom = layout.height - _BOTTOM
    # Years labelled at least 40 px apart (a roadmap of centuries labels every tenth year or so).
    every = max(1, math.ceil(40 / (12 * layout.month_width)))
    for offset in range(layout.months + 1):
        month = layout.first + offset
        january = month % 12 == 0
        if not january and layout.month_width < 3:
            continue  # months too narrow to mark: years only
        x = layout.x(month)
        stroke, top = ("#8a9aa9", _TOP - 26) if january else ("#e3e8ee", _TOP - 8)
        parts.append(f'<line x1="{x:.1f}" y1="{top}" x2="{x:.1f}" y2="{bottom}" stroke="{stroke}"/>')
        if offset == layout.months:
            break
        if january and (month // 12) % every == 0:
            parts.append(
                f'<text x="{x + 3:.1f}" y="{_TOP - 14}" font-size="12" font-weight="bold">{month // 12}</text>'
            )
        if layout.month_width >= 16:
            parts.append(
                f'<text x="{x + layout.month_width / 2:.1f}" y="{_TOP - 2}" font-size="9" fill="#555" '
                f'text-anchor="middle">{month % 12 + 1}</text>'
            )
    return parts


def _arrows(roadmap: Roadmap, layout: _Layout, links: set[tuple[str, str]]) -> list[str]:
    parts = []
    by_id = {item.id: item for item in roadmap.items}
    for item in roadmap.items:
        for before in dict.fromkeys(item.depends_on):
            dependency = by_id[before]
            x1 = layout.x(month_number(dependency.end) + 1)
            y1 = layout.y(before) + _BAR_Y + _BAR_H / 2
            x2 = layout.x(month_number(item.start))
            y2 = layout.y(item.id) + _BAR_Y + _BAR_H / 2
            if x2 - x1 >= 12:
                middle = x1 + (x2 - x1) / 2
                route = f"M{x1:.1f},{y1:.1f} H{middle:.1f} V{y2:.1f} H{x2:.1f}"
            else:  # little room between the bars: round the dependent's start, entering it from the left
                above = y2 - _BAR_H / 2 - 3
                route = f"M{x1:.1f},{y1:.1f} H{x1 + 6:.1f} V{above:.1f} H{x2 - 8:.1f} V{y2:.1f} H{x2:.1f}"
            on_path = (before, item.id) in links
            colour, marker, stroke = (CRITICAL, "arrow-critical", 2.2) if on_path else ("#555", "arrow", 1.2)
            parts.append(
                f'<path class="dependency{" critical" if on_path else ""}" data-from="{_attr(before)}" '
                f'data-to="{_attr(item.id)}" d="{route}" fill="none" '
                f'stroke="{colour}" stroke-width="{stroke}" marker-end="url(#{marker})"/>'
            )
    return parts


def _bar(item: Item, layout: _Layout, critical: bool, lang: str) -> str:
    top = layout.y(item.id)
    x1, x2 = layout.x(month_number(item.start)), layout.x(month_number(item.end) + 1)
    bar_top, middle = top + _BAR_Y, top + _BAR_Y + _BAR_H / 2
    outline = f'stroke="{CRITICAL}" stroke-width="3"' if critical else 'stroke="#1b1b1b" stroke-width="0.5"'
    tooltip = " / ".join(part for part in (item.title_ja, item.title_en) if part)
    label = f"{item.id}  {item.title(lang)}"
    if item.lane == "barrier" and item.kind is not None:
        label += f" [{BARRIER_WORDS[item.kind].said(lang)}]"
    if item.owner:
        label += f" — {item.owner}"
    parts = [
        f'<g class="item{" critical" if critical else ""}" data-item="{_attr(item.id)}" data-lane="{item.lane}">',
        f"<title>{escape(f'{item.id}: {tooltip} ({item.start} – {item.end})')}</title>",
        f'<text x="{x1:.1f}" y="{top + 15}" font-size="12">{escape(label)}</text>',
        f'<rect x="{x1:.1f}" y="{bar_top}" width="{max(x2 - x1, 2):.1f}" height="{_BAR_H}" rx="3" '
        f'fill="{_BAR_FILL[item.lane]}" {outline}/>',
    ]
    if item.trl is not None:
        for x, level, anchor in ((x1, item.trl.from_, "start"), (x2, item.trl.to, "end")):
            parts.append(
                f'<path class="milestone" d="M{x:.1f},{middle - 6:.1f} l6,6 l-6,6 l-6,-6 z" fill="#fff" '
                f'stroke="#1b1b1b"/>'
                f'<text x="{x:.1f}" y="{top + _ROW - 3}" font-size="10" text-anchor="{anchor}" fill="#333">'
                f"TRL {level}</text>"
            )
    parts.append("</g>")
    return "".join(parts)


_COLUMNS: Sequence[tuple[str, Words]] = (
    ("id", Words("項目", "item")),
    ("lane", Words("レーン", "lane")),
    ("title_ja", Words("題名（日本語）", "title (Japanese)")),
    ("title_en", Words("題名（英語）", "title (English)")),
    ("start", Words("開始", "start")),
    ("end", Words("終了（当月を含む）", "end (inclusive)")),
    ("months", Words("月数", "months")),
    ("trl", Words("TRL", "TRL")),
    ("mrl", Words("MRL", "MRL")),
    ("depends_on", Words("依存先", "depends on")),
    ("owner", Words("担い手", "owner")),
    ("kind", Words("障壁の種類", "barrier kind")),
    ("slack", Words("余裕（月）", "slack (months)")),
)
CRITICAL_WORDS = Words("クリティカルパス", "critical path")
MILESTONE_WORDS = Words("開始時と終了時の TRL", "TRL at start and end")


def table_rows(roadmap: Roadmap, path: CriticalPath, lang: str) -> list[dict[str, str]]:
    """One row per item, the cells as text in `lang` (for the HTML table and the terminal)."""
    rows = []
    for item in roadmap.items:
        rows.append(
            {
                "id": item.id,
                "lane": LANE_WORDS[item.lane].said(lang),
                "title_ja": item.title_ja or "",
                "title_en": item.title_en or "",
                "start": item.start,
                "end": item.end,
                "months": str(item.months),
                "trl": f"{item.trl.from_} → {item.trl.to}" if item.trl else "",
                "mrl": f"{item.mrl.from_} → {item.mrl.to}" if item.mrl else "",
                "depends_on": ", ".join(item.depends_on),
                "owner": item.owner or "",
                "kind": BARRIER_WORDS[item.kind].said(lang) if item.kind else "",
                "slack": str(path.slack[item.id]),
            }
        )
    return rows


def column_headings(lang: str) -> dict[str, str]:
    return {key: heading.said(lang) for key, heading in _COLUMNS}


def html(roadmap: Roadmap, path: CriticalPath, lang: str) -> str:
    """A page: the title, the chart (inline SVG) and the items as a table, critical ones in bold."""
    headings = column_headings(lang)
    critical = set(path.path)
    head = "".join(f"<th>{escape(headings[key])}</th>" for key, _ in _COLUMNS)
    body = "\n".join(
        f'<tr{" class=critical" if row["id"] in critical else ""} data-item="{_attr(row["id"])}">'
        + "".join(f"<td>{escape(row[key])}</td>" for key, _ in _COLUMNS)
        + "</tr>"
        for row in table_rows(roadmap, path, lang)
    )
    facts = [f"<b>{escape(roadmap.id)}</b>"]
    if roadmap.goal:
        facts.append(escape(Message("goal {goal}", goal=roadmap.goal).said(lang)))
    if roadmap.label:
        facts.append(escape(Message("label {label}", label=roadmap.label).said(lang)))
    return f"""<!doctype html>
<html lang="{_attr(lang)}">
<head>
<meta charset="utf-8">
<title>{escape(roadmap.title(lang))}</title>
<style>
  @page {{ size: A3 landscape; margin: 10mm; }}
  body {{ font-family: {FONTS}; color: #1b1b1b; margin: 1rem; font-size: 10pt; }}
  svg {{ max-width: 100%; height: auto; }}
  table {{ border-collapse: collapse; width: 100%; font-size: 9pt; margin-top: .8rem; }}
  th, td {{ border: 1px solid #c9d3dd; padding: .15rem .35rem; text-align: left; vertical-align: top; }}
  th {{ background: #f0f5f9; }}
  thead {{ display: table-header-group; }}
  tr {{ break-inside: avoid; }}
  tr.critical td {{ font-weight: bold; color: {CRITICAL}; }}
</style>
</head>
<body>
<h1>{escape(roadmap.title(lang))}</h1>
<p>{" · ".join(facts)}</p>
{svg(roadmap, path, lang)}
<table>
<thead><tr>{head}</tr></thead>
<tbody>
{body}
</tbody>
</table>
</body>
</html>
"""


def _pdf(page: str) -> bytes:
    try:
        from weasyprint import HTML  # type: ignore[import-untyped]
    except (ImportError, OSError) as error:  # OSError: the Pango libraries are missing
        raise KizashiError(
            Message(
                "PDF needs WeasyPrint and Pango (pip install weasyprint; apt libpango): {problem}", problem=str(error)
            )
        ) from None
    made: bytes = HTML(string=page).write_pdf()
    return made


def png(roadmap: Roadmap, path: CriticalPath, lang: str, scale: float = 2.0) -> bytes:
    """The chart alone as PNG: a PDF page the size of the SVG, rasterised by PDFium at `scale` × 72 dpi."""
    layout = _layout(roadmap)
    page = (
        f'<!doctype html><html lang="{_attr(lang)}"><head><meta charset="utf-8"><style>'
        f"@page {{ size: {round(layout.width)}px {layout.height}px; margin: 0; }} body {{ margin: 0; }}"
        f"svg {{ display: block; }}</style></head><body>{svg(roadmap, path, lang)}</body></html>"
    )
    document = _pdf(page)
    # A CSS px is 3/4 of a PDF point; PDFium renders `scale` pixels a point.
    pixels = (layout.width * 0.75 * scale) * (layout.height * 0.75 * scale)
    if pixels > _MAX_PIXELS:
        scale *= (_MAX_PIXELS / pixels) ** 0.5
    try:
        import pypdfium2  # type: ignore[import-untyped]
    except ImportError as error:
        raise KizashiError(
            Message("PNG needs pypdfium2 (pip install pypdfium2): {problem}", problem=str(error))
        ) from None
    pdf = pypdfium2.PdfDocument(document)
    try:
        image = pdf[0].render(scale=scale).to_pil()
        out = io.BytesIO()
        image.save(out, format="PNG")
        return out.getvalue()
    finally:
        pdf.close()
