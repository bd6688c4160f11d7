"""The landscape report as an Excel workbook: a summary sheet, then a sheet per table of the scan with localised
headings, coded values in words and shares as percentages."""

from __future__ import annotations

import io
from collections.abc import Sequence
from typing import Any

from kizashi.files.export import _xlsx_value, neutralised
from kizashi.know.landscape.result import ScanResult
from kizashi.know.landscape.tables import COLUMNS, Row
from kizashi.report.charts import text_width
from kizashi.report.landscape.messages import column_name, say
from kizashi.report.landscape.summary import note_texts, scan_parameters
from kizashi.report.landscape.values import (
    INTEGER,
    ONE_DECIMAL,
    PERCENT,
    POINTS,
    SIGNED_PERCENT,
    SIGNED_POINTS,
    _number,
    enum_text,
    rows_of,
    technology_name,
)

EXCEL_ROWS = 1_048_575  # a sheet's rows below its heading


def sheet_columns(table: str) -> list[str]:
    """A table's columns in its sheet: the scan's columns, with the technology's name next to its id."""
    columns = list(COLUMNS[table])
    if "technology" in columns:
        columns.insert(columns.index("technology") + 1, "technology_name")
    return columns


def xlsx_value(result: ScanResult, column: str, value: Any, lang: str) -> Any:
    """A cell of the workbook: numbers stay numbers, coded values read in `lang`, text safe from formula injection."""
    word = enum_text(column, value, lang)
    if word is not None:
        return word
    if isinstance(value, bool):
        return say("yes" if value else "no", lang)
    if isinstance(value, str):
        return neutralised(value)
    return value


def _number_format(column: str, value: Any) -> str | None:
    if _number(value) is None:
        return None
    if column in PERCENT | SIGNED_PERCENT | POINTS | SIGNED_POINTS:
        return "0.0%"
    if column in ONE_DECIMAL:
        return "0.0"
    if isinstance(value, float) and column not in INTEGER:
        return "0.000"
    return None


def _width(value: Any) -> float:
    """A column width in Excel's units (one Latin character), CJK characters counting two."""
    return text_width(str(value), 1) / 0.55 if value is not None else 0.0


def _plain(sheet: Any, value: Any) -> Any:
    """A cell's value as `files.export` writes it; printable short text (most cells) needs none of its care."""
    if isinstance(value, str) and value.isprintable() and len(value) < 32767 and not value.startswith("="):
        return value
    if isinstance(value, int | float) and not isinstance(value, bool):
        return value
    return _xlsx_value(sheet, value)


def _write_sheet(
    book: Any, title: str, headings: Sequence[str], columns: Sequence[str], rows: list[list[Any]], max_rows: int
) -> None:
    """One sheet: bold localised headings frozen in row 1 under an autofilter, columns fitted to their text, shares
    as percentages; at most `max_rows` rows (Excel's limit; the CSV files hold every row)."""
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Font
    from openpyxl.utils import get_column_letter

    rows = rows[:max_rows]
    sheet = book.create_sheet(title)
    widths = [_width(h) for h in headings]
    for row in rows[:1000]:  # the first thousand rows say enough about a column's width
        widths = [max(w, _width(v)) for w, v in zip(widths, row, strict=True)]
    for index, width in enumerate(widths, start=1):
        sheet.column_dimensions[get_column_letter(index)].width = min(60.0, width + 2)
    sheet.freeze_panes = "A2"
    sheet.auto_filter.ref = f"A1:{get_column_letter(max(1, len(headings)))}{len(rows) + 1}"
    bold = Font(bold=True)
    header = []
    for name in headings:
        cell = WriteOnlyCell(sheet, value=name)
        cell.font = bold
        header.append(cell)
    sheet.append(header)
    for row in rows:
        cells = []
        for column, value in zip(columns, row, strict=True):
            fmt = _number_format(column, value)
            if fmt is None:
                cells.append(_plain(sheet, value))
            else:
                cell = WriteOnlyCell(sheet, value=value)
                cell.number_format = fmt
                cells.append(cell)
        sheet.append(cells)


def _sheet_row(result: ScanResult, row: Row, columns: Sequence[str], lang: str) -> list[Any]:
    return [
        neutralised(technology_name(result, str(row["technology"]), lang))
        if c == "technology_name"
        else xlsx_value(result, c, row.get(c), lang)
        for c in columns
    ]


def build_workbook(result: ScanResult, lang: str, *, max_rows: int = EXCEL_ROWS) -> bytes:
    """The workbook: a summary sheet (label first, the scan's parameters, its notes), then a sheet per table of the
    scan (tables.COLUMNS, in that order) with every row (up to `max_rows`, which the summary then says)."""
    from openpyxl import Workbook

    book = Workbook(write_only=True)
    summary = [[name, value] for name, value in scan_parameters(result, lang)]
    summary += [[say("notes", lang), text] for text in note_texts(result, lang)]
    for table in COLUMNS:
        if len(rows_of(result, table)) > max_rows:
            cut = say("sheet_cut", lang, sheet=say(f"sheet.{table}", lang), rows=max_rows, table=f"{table}.csv")
            summary.append([say("notes", lang), cut])
    headings = [say("col.item", lang), say("col.value", lang)]
    _write_sheet(book, say("sheet.summary", lang), headings, ["item", "value"], summary, max_rows)
    for table in COLUMNS:
        columns = sheet_columns(table)
        rows = [_sheet_row(result, row, columns, lang) for row in rows_of(result, table)[: max_rows + 1]]
        _write_sheet(
            book, say(f"sheet.{table}", lang), [column_name(c, lang) for c in columns], columns, rows, max_rows
        )
    stream = io.BytesIO()
    book.save(stream)
    return stream.getvalue()
