"""Charts as inline SVG, so a report is one self-contained file that opens anywhere and prints cleanly."""

from __future__ import annotations

from collections.abc import Sequence
from html import escape

from markupsafe import Markup

PALETTE = ("#1f5f8b", "#3f8fc0", "#7fb7da", "#c2dcee")


def bar_chart(
    items: Sequence[tuple[str, float]], *, title: str, width: int = 640, bar_height: int = 18, unit: str = ""
) -> Markup:
    """Horizontal bars, labelled on the left, values on the right."""
    if not items:
        return Markup(f'<p class="empty">{escape(title)}: —</p>')
    label_width = min(260, 8 + 8 * max(len(label) for label, _ in items))
    chart_width = width - label_width - 70
    top = max(value for _, value in items) or 1
    height = 28 + len(items) * (bar_height + 6)
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" role="img" width="{width}" height="{height}" '
        f'viewBox="0 0 {width} {height}" aria-label="{escape(title)}">',
        f'<text x="0" y="16" class="chart-title">{escape(title)}</text>',
    ]
    for index, (label, value) in enumerate(items):
        y = 28 + index * (bar_height + 6)
        length = max(1.0, chart_width * value / top)
        parts.append(
            f'<text x="{label_width - 6}" y="{y + bar_height - 5}" text-anchor="end">{escape(label)}</text>'
            f'<rect x="{label_width}" y="{y}" width="{length:.1f}" height="{bar_height}" fill="{PALETTE[0]}"/>'
            f'<text x="{label_width + length + 4:.1f}" y="{y + bar_height - 5}">{value:,.0f}{escape(unit)}</text>'
        )
    parts.append("</svg>")
    return Markup("".join(parts))


def column_chart(items: Sequence[tuple[str, float]], *, title: str, width: int = 640, height: int = 220) -> Markup:
    """Vertical columns for a series over time (e.g. projects by start year)."""
    if not items:
        return Markup(f'<p class="empty">{escape(title)}: —</p>')
    plot_top, plot_bottom = 40, height - 24
    step = width / len(items)
    top = max(value for _, value in items) or 1
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" role="img" width="{width}" height="{height}" '
        f'viewBox="0 0 {width} {height}" aria-label="{escape(title)}">',
        f'<text x="0" y="16" class="chart-title">{escape(title)}</text>',
    ]
    for index, (label, value) in enumerate(items):
        column = (plot_bottom - plot_top) * value / top
        x = index * step + step * 0.15
        parts.append(
            f'<rect x="{x:.1f}" y="{plot_bottom - column:.1f}" width="{step * 0.7:.1f}" height="{column:.1f}" '
            f'fill="{PALETTE[1]}"/>'
            f'<text x="{x + step * 0.35:.1f}" y="{plot_bottom - column - 3:.1f}" text-anchor="middle">{value:,.0f}</text>'
            f'<text x="{x + step * 0.35:.1f}" y="{height - 8}" text-anchor="middle">{escape(label)}</text>'
        )
    parts.append("</svg>")
    return Markup("".join(parts))
