"""Writing lists of records as JSON, JSON lines, CSV or XLSX: the one place every listing command goes through."""

from __future__ import annotations

import csv
import sys
from collections.abc import Iterable, Sequence
from datetime import date, datetime
from pathlib import Path
from typing import IO, Any

import orjson

from kizashi.errors import InputError

FORMATS = ("table", "json", "jsonl", "csv", "xlsx")


def _cell(value: Any) -> Any:
    """A flat cell for CSV/XLSX: lists joined with '; ', mappings as JSON."""
    if value is None:
        return ""
    if isinstance(value, list | tuple):
        return "; ".join(str(_cell(item)) for item in value)
    if isinstance(value, dict):
        return orjson.dumps(value).decode()
    if isinstance(value, datetime | date):
        return value.isoformat()
    return value


def write_rows(rows: Iterable[dict[str, Any]], columns: Sequence[str], fmt: str, out: Path | None) -> None:
    if fmt not in FORMATS or fmt == "table":
        raise InputError(f"unknown format '{fmt}'; use one of {', '.join(FORMATS[1:])}")
    if fmt == "xlsx":
        if out is None:
            raise InputError("--format xlsx needs --out FILE", field="out")
        try:
            _write_xlsx(rows, columns, out)
        except OSError as exc:
            raise _unwritable(out, exc) from None
        return
    try:
        stream: IO[str] = out.open("w", encoding="utf-8", newline="") if out else sys.stdout
    except OSError as exc:
        raise _unwritable(out, exc) from None
    try:
        if fmt == "json":
            stream.write(
                orjson.dumps([{c: row.get(c) for c in columns} for row in rows], option=orjson.OPT_INDENT_2).decode()
                + "\n"
            )
        elif fmt == "jsonl":
            for row in rows:
                stream.write(orjson.dumps({c: row.get(c) for c in columns}).decode() + "\n")
        else:
            writer = csv.writer(stream, lineterminator="\n")
            writer.writerow(columns)
            for row in rows:
                writer.writerow([_cell(row.get(c)) for c in columns])
    finally:
        if out:
            stream.close()


def _unwritable(out: Path | None, exc: OSError) -> InputError:
    return InputError(f"cannot write {out}: {exc.strerror or exc}", field="out")


def _write_xlsx(rows: Iterable[dict[str, Any]], columns: Sequence[str], out: Path) -> None:
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Font

    book = Workbook(write_only=True)
    sheet = book.create_sheet("records")
    sheet.freeze_panes = "A2"
    bold = Font(bold=True)
    header = []
    for name in columns:
        cell = WriteOnlyCell(sheet, value=name)
        cell.font = bold
        header.append(cell)
    sheet.append(header)
    for row in rows:
        sheet.append([_xlsx_value(sheet, row.get(c)) for c in columns])
    book.save(out)


def _xlsx_value(sheet: Any, value: Any) -> Any:
    from openpyxl.cell import WriteOnlyCell

    value = _cell(value)
    # Excel refuses control characters and caps a cell at 32,767 characters.
    if isinstance(value, str):
        value = "".join(ch for ch in value if ch in "\t\n\r" or ord(ch) >= 32)[:32767]
        if value.startswith("="):
            # openpyxl would write it as a formula: Excel would compute (or run) a title. Keep it text.
            cell = WriteOnlyCell(sheet, value=value)
            cell.data_type = "s"
            return cell
    return value
