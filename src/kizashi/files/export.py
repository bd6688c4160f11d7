"""Writing lists of records as JSON, JSON lines, CSV or XLSX: the one place every listing command goes through."""

from __future__ import annotations

import csv
import os
import sys
from collections.abc import Iterable, Sequence
from datetime import date, datetime
from pathlib import Path
from typing import IO, Any

import orjson

from kizashi.errors import InputError
from kizashi.messages import Message, said

FORMATS = ("table", "json", "jsonl", "csv", "xlsx")
# OWASP's rule against CSV injection: a text cell a spreadsheet would take for a formula (or whose leading tab or
# carriage return it would drop before one) is written with a leading apostrophe, which spreadsheets show as text.
FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")


# Exports hold labelled records: readable by their owner alone unless the user says otherwise (--mode).
EXPORT_MODE = 0o600


def created(out: Path, mode: int = EXPORT_MODE) -> Path:
    """`out` made (or emptied) with `mode` before anything is written to it, an existing file included (it would keep
    whatever mode it had), so that no moment exists in which others may read what is being written."""
    try:
        os.close(os.open(out, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, mode))
        out.chmod(mode)
    except OSError as exc:
        raise _unwritable(out, exc) from None
    return out


def neutralised(text: str) -> str:
    """`text` as a CSV cell a spreadsheet will not evaluate: prefixed with `'` exactly when it could start a formula."""
    return "'" + text if text.startswith(FORMULA_PREFIXES) else text


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


def human_rows(rows: Iterable[dict[str, Any]], fmt: str, lang: str) -> Iterable[dict[str, Any]]:
    """`rows` with their Messages said in `lang` when `fmt` is a file people open (CSV, Excel)."""
    if fmt not in ("csv", "xlsx"):
        return rows
    return ({key: said(value, lang) for key, value in row.items()} for row in rows)


def write_rows(
    rows: Iterable[dict[str, Any]],
    columns: Sequence[str],
    fmt: str,
    out: Path | None,
    *,
    raw_csv: bool = False,
    mode: int = EXPORT_MODE,
) -> None:
    """Rows as `fmt` to `out` (standard output without; a file is `created` with `mode`). CSV text cells are
    neutralised (see `neutralised`) unless `raw_csv`; XLSX stores every string as text, which no spreadsheet runs."""
    if fmt not in FORMATS or fmt == "table":
        raise InputError(
            Message("unknown format '{format}'; use one of {choices}", format=fmt, choices=", ".join(FORMATS[1:]))
        )
    if out is not None:
        created(out, mode)
    if fmt == "xlsx":
        if out is None:
            raise InputError(Message("--format xlsx needs --out FILE"), field="out")
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
            # CRLF, as RFC 4180 and Excel write it; it also makes the writer quote a cell holding a lone \r, which
            # a reader would otherwise take for the end of the row.
            writer = csv.writer(stream, lineterminator="\r\n")
            writer.writerow(columns)
            for row in rows:
                cells = [_cell(row.get(c)) for c in columns]
                writer.writerow(cells if raw_csv else [neutralised(v) if isinstance(v, str) else v for v in cells])
    finally:
        if out:
            stream.close()


def _unwritable(out: Path | None, exc: OSError) -> InputError:
    return InputError(
        Message("cannot write {path}: {problem}", path=str(out), problem=str(exc.strerror or exc)), field="out"
    )


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
