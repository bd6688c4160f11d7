"""The landscape report: one scan (`ScanResult`) as a self-contained HTML page with its charts inline, the same page as
PDF (WeasyPrint, Japanese fonts) and an Excel workbook with a sheet per table; Japanese first, English with lang="en".

Every word a reader sees comes from `MESSAGES` (key → (Japanese, English)); every number is the number in the scan's
tables (`tables.COLUMNS`), only formatted. The section builders (`technology_section`, the charts in `figures`) are
public so that the web pages show the same pieces.

The package, a module a job: `messages` (the words), `values` (how a value reads, the technologies' order),
`figures` (the charts), `summary` (the scan's parameters and notes), `sections` (the page's sections), `workbook`
(the Excel workbook); this module renders and writes the files.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from markupsafe import Markup

from kizashi import __version__
from kizashi.errors import InputError, KizashiError
from kizashi.files.export import created
from kizashi.know.landscape.result import ScanResult
from kizashi.messages import Message
from kizashi.report.landscape.figures import country_chart, critical_chart, front_map, trend_chart
from kizashi.report.landscape.messages import LANGS, MESSAGES, check_lang, column_name, marking, say
from kizashi.report.landscape.sections import Cell, Section, Table, japan_position, sections, technology_section
from kizashi.report.landscape.summary import note_texts, scan_parameters
from kizashi.report.landscape.values import (
    JAPAN,
    cell_text,
    enum_text,
    front_label,
    monopoly_risk,
    rows_of,
    split_ids,
    technology_name,
    technology_order,
    threat_name,
)
from kizashi.report.landscape.workbook import EXCEL_ROWS, build_workbook, sheet_columns, xlsx_value
from kizashi.report.templating import environment

__all__ = [
    "EXCEL_ROWS",
    "FORMATS",
    "JAPAN",
    "LANGS",
    "MESSAGES",
    "Cell",
    "Section",
    "Table",
    "cell_text",
    "check_lang",
    "column_name",
    "country_chart",
    "critical_chart",
    "enum_text",
    "front_label",
    "front_map",
    "japan_position",
    "marking",
    "monopoly_risk",
    "note_texts",
    "render_html",
    "render_pdf",
    "render_xlsx",
    "rows_of",
    "say",
    "scan_parameters",
    "sections",
    "sheet_columns",
    "split_ids",
    "technology_name",
    "technology_order",
    "technology_section",
    "threat_name",
    "trend_chart",
    "write_reports",
    "xlsx_value",
]

FORMATS = ("html", "xlsx", "pdf")


def _css_string(text: str) -> Markup:
    """`text` as the inside of a CSS string (the marking in the page margins): quotes, backslashes and angle brackets
    escaped so that no label can end the string or the <style> element."""
    escaped = "".join(f"\\{ord(c):x} " if c in '"\\<>\n' else c for c in text)
    return Markup(escaped)


def render_html(result: ScanResult, lang: str = "ja") -> str:
    """The whole report as one self-contained HTML page (inline SVG charts, fonts by name, no external resource)."""
    check_lang(lang)
    mark = marking(result.label, lang)
    return (
        environment()
        .get_template("landscape.html.j2")
        .render(
            fragment=None,
            lang=lang,
            title=say("title", lang),
            subtitle=say("subtitle", lang),
            marking=mark,
            marking_line=say("marking_line", lang, marking=mark),
            css_marking=_css_string(say("marking_line", lang, marking=mark)),
            summary_heading=say("section.summary", lang),
            parameters=scan_parameters(result, lang),
            notes_heading=say("notes", lang),
            notes=note_texts(result, lang),
            sections=sections(result, lang),
            footer=say("footer", lang, version=__version__),
            label=result.label,
        )
    )


def render_pdf(result: ScanResult, lang: str = "ja") -> bytes:
    """The HTML page printed on A4 by WeasyPrint, the fonts found by name on the system (Noto Sans CJK JP,
    IPAexGothic)."""
    html = render_html(result, lang)
    try:
        from weasyprint import HTML  # type: ignore[import-untyped]
    except (ImportError, OSError) as error:  # OSError: the Pango libraries are missing
        raise KizashiError(
            Message(
                "PDF needs WeasyPrint and Pango (pip install weasyprint; apt libpango): {problem}", problem=str(error)
            )
        ) from None
    pdf: bytes = HTML(string=html).write_pdf()
    return pdf


def render_xlsx(result: ScanResult, lang: str = "ja") -> bytes:
    """The workbook: a summary sheet (label first, the scan's parameters, its notes), then a sheet per table of the
    scan (tables.COLUMNS, in that order) with every row (up to Excel's limit, which the summary then says)."""
    check_lang(lang)
    # EXCEL_ROWS is read here, at each call, so that the limit stays a setting of this module (a test lowers it).
    return build_workbook(result, lang, max_rows=EXCEL_ROWS)


def write_reports(
    result: ScanResult, out: Path, *, lang: str = "ja", formats: Sequence[str] = ("html", "xlsx", "pdf")
) -> list[Path]:
    """The report in each of `formats` as out/report.html, out/report.xlsx, out/report.pdf; each file is made
    readable by its owner alone before it is written (it carries the scan's label)."""
    check_lang(lang)
    unknown = [f for f in formats if f not in FORMATS]
    if unknown:
        raise InputError(
            Message("unknown format '{format}'; use one of {choices}", format=unknown[0], choices=", ".join(FORMATS)),
            field="format",
        )
    out.mkdir(parents=True, exist_ok=True)
    written = []
    for fmt in dict.fromkeys(formats):
        if fmt == "html":
            data = render_html(result, lang).encode("utf-8")
        elif fmt == "xlsx":
            data = render_xlsx(result, lang)
        else:
            data = render_pdf(result, lang)
        path = created(out / f"report.{fmt}")
        path.write_bytes(data)
        written.append(path)
    return written
