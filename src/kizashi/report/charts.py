"""Charts as inline SVG, so a report is one self-contained file that opens anywhere and prints cleanly."""

from __future__ import annotations

import math
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass
from html import escape

from markupsafe import Markup

PALETTE = ("#1f5f8b", "#3f8fc0", "#7fb7da", "#c2dcee")


_LINE_PX = 14  # the distance between two lines of a wrapped label
# The baseline of a rotated y-axis title: a CJK glyph rises about 1.15 em above it, so at 12 px it was cut at x < 0.
_Y_TITLE_X = 15


def bar_chart(
    items: Sequence[tuple[str, float]], *, title: str, width: int = 640, bar_height: int = 18, unit: str = ""
) -> Markup:
    """Horizontal bars, labelled on the left, values on the right. The label area is as wide as the longest label
    needs (measured, CJK counting double: 「新興技術がもたらす脅威」 was cut to 「らす脅威」 by a per-character guess),
    up to 45% of the chart; a longer label wraps onto a second line (a bilingual "ja / en" label at its spaces), and
    only what still does not fit is shortened with "…", its whole text kept as a tooltip."""
    if not items:
        return Markup(f'<p class="empty">{escape(title)}: —</p>')
    values = [f"{value:,.0f}{unit}" for _, value in items]
    value_room = 8 + max(text_width(shown) for shown in values)
    label_width = min(width * 0.45, 10 + max(text_width(label) for label, _ in items))
    labels = [wrap_text(label, label_width - 8) for label, _ in items]
    row = max(bar_height, _LINE_PX * max(len(lines) for lines in labels) + 4) + 6
    chart_width = max(40.0, width - label_width - value_room)
    top = max(value for _, value in items) or 1
    height = 28 + len(items) * row
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" role="img" width="{width}" height="{height}" '
        f'viewBox="0 0 {width} {height}" font-family="{FONT_FAMILY}" font-size="{_FONT_PX}" '
        f'aria-label="{escape(title)}">',
        f'<text x="0" y="16" class="chart-title">{escape(title)}</text>',
    ]
    for index, ((label, value), lines, shown) in enumerate(zip(items, labels, values, strict=True)):
        y = 28 + index * row
        middle = y + (row - 6) / 2  # the label's lines and the bar are centred on the row
        first = middle + 4 - _LINE_PX * (len(lines) - 1) / 2
        length = max(1.0, chart_width * value / top)
        shortened = lines[-1].endswith("…") and not label.endswith("…")
        parts.append(f"<g><title>{escape(label)}</title>" if shortened else "<g>")
        parts.extend(
            f'<text x="{label_width - 6:.1f}" y="{first + _LINE_PX * number:.1f}" text-anchor="end">'
            f"{escape(line)}</text>"
            for number, line in enumerate(lines)
        )
        parts.append("</g>")
        bar_top = middle - bar_height / 2
        parts.append(
            f'<rect x="{label_width:.1f}" y="{bar_top:.1f}" width="{length:.1f}" height="{bar_height}" '
            f'fill="{PALETTE[0]}"/>'
            f'<text x="{label_width + length + 4:.1f}" y="{middle + 4:.1f}">{escape(shown)}</text>'
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
    # Labels too wide for one column (years under narrow columns) are shown on every `every`-th column only, so each
    # one shown is whole; a value too wide for its column is left to the label and the column's height.
    every = max(1, math.ceil((8 + max(text_width(label) for label, _ in items)) / step))
    for index, (label, value) in enumerate(items):
        column = (plot_bottom - plot_top) * value / top
        x = index * step + step * 0.15
        centre = x + step * 0.35
        parts.append(
            f'<rect x="{x:.1f}" y="{plot_bottom - column:.1f}" width="{step * 0.7:.1f}" height="{column:.1f}" '
            f'fill="{PALETTE[1]}"/>'
        )
        if text_width(f"{value:,.0f}") + 2 <= step:
            parts.append(
                f'<text x="{centre:.1f}" y="{plot_bottom - column - 3:.1f}" text-anchor="middle">{value:,.0f}</text>'
            )
        room = min(step * every - 4, 2 * centre, 2 * (width - centre))
        if index % every == 0 and text_width(label) <= room:  # whole, or not at all: "2…" says nothing
            parts.append(f'<text x="{centre:.1f}" y="{height - 8}" text-anchor="middle">{escape(label)}</text>')
    parts.append("</svg>")
    return Markup("".join(parts))


# ---------------------------------------------------------------------------------------------------------------------
# Charts of the landscape report. They take strings already in the reader's language and never clip a label: a label
# is shortened to its room with "…" and keeps its whole text as a tooltip (SVG <title>).

FONT_FAMILY = "Noto Sans CJK JP, IPAexGothic, sans-serif"
MARK = "#c62828"  # the one bar or dot a chart singles out (Japan), in a colour none of the series uses
SERIES_COLOURS = ("#0072b2", "#e69f00", "#009e73", "#cc79a7", "#56b4e9", "#d55e00", "#7a5c00", "#555555")
"""Okabe and Ito's colour-blind-safe palette (yellow left out: it vanishes on paper), then a dark grey."""

_FONT_PX = 12
# An average Latin glyph of a sans-serif face is about 0.55 em; a CJK glyph is a full em, i.e. two Latin glyphs.
_LATIN_EM = 0.55


def text_width(text: str, size: float = _FONT_PX) -> float:
    """The width `text` takes in pixels at font `size`, estimated: East Asian wide and fullwidth characters count
    as two Latin ones (Unicode's East_Asian_Width W/F), Latin capitals as 1¼, combining marks as none."""
    units = 0.0
    for char in text:
        if unicodedata.combining(char):
            continue
        if unicodedata.east_asian_width(char) in ("W", "F"):
            units += 2
        else:
            units += 1.25 if char.isupper() else 1  # capitals run wider than the average glyph
    return units * size * _LATIN_EM


def fit_text(text: str, width: float, size: float = _FONT_PX) -> str:
    """`text` shortened with "…" to fit `width` pixels (unchanged when it fits)."""
    if text_width(text, size) <= width:
        return text
    room = width - text_width("…", size)
    kept: list[str] = []
    for char in text:
        if text_width("".join(kept) + char, size) > room:
            break
        kept.append(char)
    return "".join(kept).rstrip() + "…"


def svg_label(
    text: str,
    x: float,
    y: float,
    width: float,
    *,
    anchor: str = "start",
    size: float = _FONT_PX,
    css: str = "",
    fill: str = "",
    bold: bool = False,
) -> str:
    """One label of a chart, fitted to `width`; a shortened label carries its whole text as a tooltip. Colour and
    weight are attributes, not CSS classes: WeasyPrint's SVG renderer does not apply the page's stylesheet."""
    shown = fit_text(text, width, size)
    attributes = f' class="{css}"' if css else ""
    attributes += f' font-size="{size:g}"' if size != _FONT_PX else ""
    attributes += f' fill="{fill}"' if fill else ""
    attributes += ' font-weight="bold"' if bold else ""
    element = f'<text x="{x:.1f}" y="{y:.1f}" text-anchor="{anchor}"{attributes}>{escape(shown)}</text>'
    if shown == text:
        return element
    return f"<g><title>{escape(text)}</title>{element}</g>"


def nice_ticks(low: float, high: float, count: int = 5, *, min_step: float = 0.0) -> list[float]:
    """Round tick values covering [low, high] (steps of 1, 2 or 5 × 10ⁿ; Heckbert, "Nice numbers for graph
    labels", Graphics Gems, 1990)."""
    if not math.isfinite(low) or not math.isfinite(high):
        return [0.0]
    if high < low:
        low, high = high, low
    if high - low < 1e-9:
        # Ticks are rounded to 10 decimals, so a narrower range (down to a subnormal one, whose step's logarithm
        # is undefined) gets the axis of a single value.
        high = low + 1
    raw = (high - low) / max(1, count)
    magnitude = 10 ** math.floor(math.log10(raw))
    step = max(min_step, next(m * magnitude for m in (1, 2, 5, 10) if m * magnitude >= raw))
    first = math.floor(low / step)
    last = math.ceil(high / step)
    ticks = [round(index * step, 10) for index in range(first, last + 1)]
    return ticks


def wrap_text(text: str, width: float, size: float = _FONT_PX, lines: int = 2) -> list[str]:
    """`text` broken into at most `lines` lines of `width` pixels: Latin text at spaces, CJK text between any two
    characters; what does not fit in the last line is shortened with "…"."""
    out: list[str] = []
    rest = text
    while rest and len(out) < lines - 1 and text_width(rest, size) > width:
        cut = len(fit_text(rest, width, size).removesuffix("…"))
        space = rest.rfind(" ", 0, cut + 1)
        wide = unicodedata.east_asian_width(rest[cut - 1 : cut] or " ") in ("W", "F")
        if space > 0 and not wide:
            cut = space
        cut = max(1, cut)
        out.append(rest[:cut].rstrip())
        rest = rest[cut:].lstrip()
    if rest:
        out.append(fit_text(rest, width, size))
    return out


_TITLE_PX = 13
_TITLE_LINE = 17


def _chart(width: float, height: float, title: str, css: str, body: Sequence[str]) -> Markup:
    """The SVG around a chart's `body`, whose y = 0…28 is the title's first line: a long title wraps onto a second
    line and the body moves down by it; the whole title is the chart's tooltip and accessible name."""
    lines = wrap_text(title, width, _TITLE_PX)
    shift = _TITLE_LINE * (len(lines) - 1)
    heading = "".join(
        f'<text x="0" y="{16 + _TITLE_LINE * index}" class="chart-title" font-size="{_TITLE_PX}" '
        f'font-weight="bold">{escape(line)}</text>'
        for index, line in enumerate(lines)
    )
    return Markup(
        f'<svg xmlns="http://www.w3.org/2000/svg" role="img" class="{css}" width="{width:.0f}" '
        f'height="{height + shift:.0f}" viewBox="0 0 {width:.0f} {height + shift:.0f}" font-family="{FONT_FAMILY}" '
        f'font-size="{_FONT_PX}" aria-label="{escape(title)}"><title>{escape(title)}</title>{heading}'
        f'<g transform="translate(0 {shift})">{"".join(body)}</g></svg>'
    )


def _empty(title: str, empty: str) -> Markup:
    return Markup(f'<p class="empty">{escape(title)}: {escape(empty)}</p>')


def marked_bar_chart(
    items: Sequence[tuple[str, float, bool]],
    *,
    title: str,
    width: int = 640,
    bar_height: int = 16,
    value_format: str = "{:,.0f}",
    empty: str = "—",
) -> Markup:
    """Horizontal bars, labelled on the left, values on the right; a marked bar (e.g. Japan's) in the `MARK`
    colour with a bold label, drawn even when its value is zero."""
    if not items:
        return _empty(title, empty)
    value_room = max(text_width(value_format.format(value)) for _, value, _ in items) + 8
    label_width = min(width * 0.4, 14 + max(text_width(label) for label, _, _ in items))
    chart_width = max(40.0, width - label_width - value_room)
    top = max(value for _, value, _ in items) or 1
    height = 28 + len(items) * (bar_height + 6)
    parts: list[str] = []
    for index, (label, value, marked) in enumerate(items):
        y = 28 + index * (bar_height + 6)
        length = max(1.0, chart_width * max(0.0, value) / top)
        colour = MARK if marked else PALETTE[0]
        css = "bar marked" if marked else "bar"
        parts.append(
            f'<g class="{css}" data-label="{escape(label)}">'
            + svg_label(
                label,
                label_width - 6,
                y + bar_height - 4,
                label_width - 8,
                anchor="end",
                css="marked" if marked else "",
                fill=MARK if marked else "",
                bold=marked,
            )
            + f'<rect x="{label_width:.1f}" y="{y}" width="{length:.1f}" height="{bar_height}" fill="{colour}"/>'
            f'<text x="{label_width + length + 4:.1f}" y="{y + bar_height - 4}">'
            f"{escape(value_format.format(value))}</text></g>"
        )
    return _chart(width, height, title, "chart bars", parts)


def dot_whisker_chart(
    items: Sequence[tuple[str, float, float, float]],
    *,
    title: str,
    axis_title: str = "",
    width: int = 640,
    row_height: int = 20,
    integers: bool = False,
    empty: str = "—",
) -> Markup:
    """A dot per item at its value with a whisker from its low to its high (e.g. a rank and the band it moves in
    when the weights move), one row each in the given order; the axis starts at the smallest low on the left."""
    if not items:
        return _empty(title, empty)
    low = min(min(value, lo) for _, value, lo, _ in items)
    high = max(max(value, hi) for _, value, _, hi in items)
    ticks = nice_ticks(low, high, min_step=1.0 if integers else 0.0)
    axis_low, axis_high = min(ticks[0], low), max(ticks[-1], high)
    label_width = min(width * 0.4, 8 + max(text_width(label) for label, *_ in items))
    plot_left, plot_right = label_width + 6, width - 16
    top = 30
    height = top + len(items) * row_height + 36

    def x_of(value: float) -> float:
        return plot_left + (plot_right - plot_left) * (value - axis_low) / ((axis_high - axis_low) or 1)

    parts: list[str] = []
    bottom = top + len(items) * row_height
    for tick in ticks:
        parts.append(
            f'<line x1="{x_of(tick):.1f}" y1="{top}" x2="{x_of(tick):.1f}" y2="{bottom}" stroke="#e3e3e3"/>'
            f'<text x="{x_of(tick):.1f}" y="{bottom + 14}" text-anchor="middle">{tick:g}</text>'
        )
    if axis_title:
        parts.append(
            svg_label(axis_title, (plot_left + plot_right) / 2, bottom + 30, plot_right - plot_left, anchor="middle")
        )
    for index, (label, value, lo, hi) in enumerate(items):
        y = top + index * row_height + row_height / 2
        parts.append(
            f'<g class="whisker" data-label="{escape(label)}" data-value="{value:g}" data-low="{lo:g}" '
            f'data-high="{hi:g}">'
            + svg_label(label, label_width, y + 4, label_width - 8, anchor="end")
            + f'<line x1="{x_of(lo):.1f}" y1="{y:.1f}" x2="{x_of(hi):.1f}" y2="{y:.1f}" stroke="{PALETTE[2]}" '
            f'stroke-width="4" stroke-linecap="round"/>'
            f'<circle cx="{x_of(value):.1f}" cy="{y:.1f}" r="4.5" fill="{PALETTE[0]}"/></g>'
        )
    return _chart(width, height, title, "chart whiskers", parts)


def line_chart(
    series: Sequence[tuple[str, Sequence[tuple[float, float]]]],
    *,
    title: str,
    x_title: str = "",
    y_title: str = "",
    width: int = 640,
    height: int = 300,
    empty: str = "—",
) -> Markup:
    """Lines over a shared x axis (e.g. works per year), one SVG polyline per series with its points dotted, a
    legend on the right in the series' colours (at most len(SERIES_COLOURS) series are drawn)."""
    series = [(name, sorted(points)) for name, points in series[: len(SERIES_COLOURS)] if points]
    if not series:
        return _empty(title, empty)
    xs = [x for _, points in series for x, _ in points]
    ys = [y for _, points in series for _, y in points]
    x_low, x_high = min(xs), max(xs)
    if x_low == x_high:
        x_low, x_high = x_low - 1, x_high + 1
    y_ticks = nice_ticks(0, max(ys) or 1)
    y_high = y_ticks[-1] or 1
    tick_labels = [f"{tick:,.0f}" for tick in y_ticks]
    legend_width = min(width * 0.3, 24 + max(text_width(name) for name, _ in series))
    plot_left = 10 + max(text_width(label) for label in tick_labels) + (_Y_TITLE_X + 4 if y_title else 0)
    plot_right = width - legend_width - 12
    plot_top, plot_bottom = 30, height - (40 if x_title else 26)

    def x_of(value: float) -> float:
        return plot_left + (plot_right - plot_left) * (value - x_low) / (x_high - x_low)

    def y_of(value: float) -> float:
        return plot_bottom - (plot_bottom - plot_top) * value / y_high

    parts: list[str] = []
    for tick, label in zip(y_ticks, tick_labels, strict=True):
        parts.append(
            f'<line x1="{plot_left:.1f}" y1="{y_of(tick):.1f}" x2="{plot_right:.1f}" y2="{y_of(tick):.1f}" '
            f'stroke="#e3e3e3"/><text x="{plot_left - 4:.1f}" y="{y_of(tick) + 4:.1f}" text-anchor="end">'
            f"{label}</text>"
        )
    x_step = max(1, math.ceil((x_high - x_low) / max(1, (plot_right - plot_left) // 44)))
    for x in range(math.ceil(x_low), math.floor(x_high) + 1, x_step):
        parts.append(f'<text x="{x_of(x):.1f}" y="{plot_bottom + 14}" text-anchor="middle">{x}</text>')
    parts.append(
        f'<line x1="{plot_left:.1f}" y1="{plot_bottom}" x2="{plot_right:.1f}" y2="{plot_bottom}" stroke="#888"/>'
    )
    if x_title:
        parts.append(
            svg_label(x_title, (plot_left + plot_right) / 2, height - 6, plot_right - plot_left, anchor="middle")
        )
    if y_title:
        parts.append(
            f'<g transform="translate({_Y_TITLE_X} {(plot_top + plot_bottom) / 2:.1f}) rotate(-90)">'
            + svg_label(y_title, 0, 0, plot_bottom - plot_top, anchor="middle")
            + "</g>"
        )
    for index, (name, points) in enumerate(series):
        colour = SERIES_COLOURS[index]
        coordinates = " ".join(f"{x_of(x):.1f},{y_of(y):.1f}" for x, y in points)
        dots = "".join(f'<circle cx="{x_of(x):.1f}" cy="{y_of(y):.1f}" r="2.2" fill="{colour}"/>' for x, y in points)
        legend_y = plot_top + 6 + index * 18
        parts.append(
            f'<g class="series" data-series="{escape(name)}"><polyline points="{coordinates}" fill="none" '
            f'stroke="{colour}" stroke-width="2"/>{dots}'
            f'<line x1="{plot_right + 10:.1f}" y1="{legend_y - 4}" x2="{plot_right + 24:.1f}" y2="{legend_y - 4}" '
            f'stroke="{colour}" stroke-width="3"/>'
            + svg_label(name, plot_right + 28, legend_y, legend_width - 28)
            + "</g>"
        )
    return _chart(width, height, title, "chart lines", parts)


@dataclass(frozen=True)
class Bubble:
    label: str
    x: float
    y: float
    size: float
    colour: str = PALETTE[1]
    key: str = ""  # what the bubble stands for (e.g. a front's id), as a data attribute


def _free_label(
    text: str, cx: float, cy: float, radius: float, width: float, placed: list[tuple[float, float, float, float]]
) -> str:
    """A bubble's label right of it, else left of it, where it overlaps no label placed before (then added to
    `placed`); "" when neither side is free (the bubble keeps its tooltip)."""
    size, room = 11, 150.0
    span = min(room, text_width(text, size))
    for right in (True, False):
        x0 = cx + radius + 3 if right else cx - radius - 3 - span
        box = (x0, cy - 8, x0 + span, cy + 5)
        if x0 < 0 or box[2] > width:
            continue
        if any(box[0] < b[2] and b[0] < box[2] and box[1] < b[3] and b[1] < box[3] for b in placed):
            continue
        placed.append(box)
        anchor = "start" if right else "end"
        return svg_label(text, x0 if right else x0 + span, cy + 4, room, anchor=anchor, size=size)
    return ""


def bubble_chart(
    bubbles: Sequence[Bubble],
    *,
    title: str,
    x_title: str = "",
    y_title: str = "",
    x_format: str = "{:g}",
    legend: Sequence[tuple[str, str]] = (),
    labelled: int = 15,
    width: int = 640,
    height: int = 380,
    empty: str = "—",
) -> Markup:
    """Labelled bubbles on two axes, area proportional to `size` (e.g. the map of research fronts: growth against
    works); a dashed line marks x = 0 when the axis spans it; `legend` is (text, colour) pairs. Only the `labelled`
    largest bubbles carry a label, so that labels stay readable; every bubble has its label as a tooltip."""
    if not bubbles:
        return _empty(title, empty)
    x_ticks = nice_ticks(min(b.x for b in bubbles), max(b.x for b in bubbles))
    y_ticks = nice_ticks(0, max(b.y for b in bubbles) or 1)
    y_labels = [f"{tick:,.0f}" for tick in y_ticks]
    plot_left = 10 + max(text_width(label) for label in y_labels) + (_Y_TITLE_X + 4 if y_title else 0)
    plot_right, plot_top = width - 20, 30 + (20 if legend else 0)
    inset = 26.0  # the largest bubble's radius: no bubble crosses an axis
    plot_bottom = height - (40 if x_title else 26)
    biggest = max(b.size for b in bubbles) or 1

    def x_of(value: float) -> float:
        span = (x_ticks[-1] - x_ticks[0]) or 1
        return plot_left + inset + (plot_right - plot_left - 2 * inset) * (value - x_ticks[0]) / span

    def y_of(value: float) -> float:
        return plot_bottom - inset - (plot_bottom - plot_top - 2 * inset) * value / (y_ticks[-1] or 1)

    parts: list[str] = []
    legend_x = 0.0
    for text, colour in legend:
        parts.append(
            f'<circle cx="{legend_x + 6:.1f}" cy="34" r="5" fill="{colour}"/>'
            f'<text x="{legend_x + 14:.1f}" y="38">{escape(text)}</text>'
        )
        legend_x += 26 + text_width(text)
    for tick, label in zip(y_ticks, y_labels, strict=True):
        parts.append(
            f'<line x1="{plot_left:.1f}" y1="{y_of(tick):.1f}" x2="{plot_right}" y2="{y_of(tick):.1f}" '
            f'stroke="#e3e3e3"/><text x="{plot_left - 4:.1f}" y="{y_of(tick) + 4:.1f}" text-anchor="end">'
            f"{label}</text>"
        )
    for tick in x_ticks:
        parts.append(
            f'<text x="{x_of(tick):.1f}" y="{plot_bottom + 14}" text-anchor="middle">'
            f"{escape(x_format.format(tick))}</text>"
        )
    if x_ticks[0] < 0 < x_ticks[-1]:
        parts.append(
            f'<line x1="{x_of(0):.1f}" y1="{plot_top}" x2="{x_of(0):.1f}" y2="{plot_bottom}" stroke="#888" '
            f'stroke-dasharray="4 3"/>'
        )
    if x_title:
        parts.append(
            svg_label(x_title, (plot_left + plot_right) / 2, height - 6, plot_right - plot_left, anchor="middle")
        )
    if y_title:
        parts.append(
            f'<g transform="translate({_Y_TITLE_X} {(plot_top + plot_bottom) / 2:.1f}) rotate(-90)">'
            + svg_label(y_title, 0, 0, plot_bottom - plot_top, anchor="middle")
            + "</g>"
        )
    # Big bubbles first, so that small ones stay visible on top of them; labels last, on top of every bubble.
    labels: list[str] = []
    placed: list[tuple[float, float, float, float]] = []
    for index, bubble in enumerate(sorted(bubbles, key=lambda b: -b.size)):
        radius = 4 + (inset - 4) * math.sqrt(max(0.0, bubble.size) / biggest)
        cx, cy = x_of(bubble.x), y_of(bubble.y)
        parts.append(
            f'<g class="bubble" data-key="{escape(bubble.key)}"><title>{escape(bubble.label)}</title>'
            f'<circle cx="{cx:.1f}" cy="{cy:.1f}" r="{radius:.1f}" fill="{bubble.colour}" fill-opacity="0.65" '
            f'stroke="{bubble.colour}"/></g>'
        )
        if index < labelled:
            label = _free_label(bubble.label, cx, cy, radius, width, placed)
            if label:
                labels.append(label)
    parts.extend(labels)
    return _chart(width, height, title, "chart bubbles", parts)
