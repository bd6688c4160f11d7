"""Rows from CSV, XLSX, JSON and JSON lines, each with the location it came from, read under the input limits
(files/limits.py).

Every structural problem (encoding, broken JSON, empty file, missing header) raises InputError naming file and row.
"""

from __future__ import annotations

import csv
import re
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime
from itertools import chain
from pathlib import Path
from typing import Any

import orjson

from kizashi.errors import InputError
from kizashi.files.limits import Limits, bounded, check_rows, check_structure, over
from kizashi.files.xml import XML_REFUSED
from kizashi.messages import Message

TABULAR_SUFFIXES = (".csv", ".tsv", ".xlsx", ".jsonl", ".ndjson", ".json")


@dataclass(frozen=True, slots=True)
class Row:
    file: Path
    number: int  # 1-based data row (CSV/XLSX: the line after the header is row 2, as a spreadsheet shows it)
    values: dict[str, Any]


def suffix_of(path: Path) -> str:
    """The format suffix, looking through a trailing .gz."""
    suffixes = [s.lower() for s in path.suffixes]
    if suffixes and suffixes[-1] == ".gz":
        suffixes = suffixes[:-1]
    return suffixes[-1] if suffixes else ""


# What Python's cp932 gives for bytes no Shift_JIS text holds (Excel never writes them): 0x80 as itself, the single
# bytes 0xA0 and 0xFD-0xFF as private-use characters, and the user-defined area (0xF040-0xF9FC) as U+E000-U+E757.
# Decoding them would let later steps drop them silently; they are errors.
_NOT_SHIFT_JIS = re.compile("[\u0080\ue000-\ue757\uf8f0-\uf8f3]")
_BOM = b"\xef\xbb\xbf"


def read_text(path: Path, limits: Limits | None = None) -> tuple[str, str]:
    """Whole text of a file parsed whole (YAML), and the encoding it was in (see `text_encoding`)."""
    with bounded(path, limits) as source:
        raw = source.document()
    lines = raw.splitlines(keepends=True)
    encoding = text_encoding(path, lambda: iter(lines))
    return "".join(_decoded(lines, encoding)), encoding


def text_encoding(path: Path, lines: Callable[[], Iterator[bytes]], fallback: str = "cp932") -> str:
    """The encoding of a text file given as its lines (read again for each candidate): UTF-8 (with or without BOM),
    else the fallback, strictly: Shift_JIS (cp932, see _NOT_SHIFT_JIS), which is what Excel on a Japanese Windows
    writes, or Windows-1252 (OFAC's older files). Anything else is an error naming the line and the first byte that
    is neither. Lines are decoded one by one: none of these encodings has a newline byte inside a character."""
    utf8_at = _first_undecodable(lines(), "utf-8")
    if utf8_at is None:
        return "utf-8"
    fallback_at = _first_undecodable(lines(), fallback)
    if fallback_at is None:
        return fallback
    # The later of the two failures: the bytes before it are text in one encoding or the other.
    line, offset, column, byte = max(utf8_at, fallback_at, key=lambda at: at[1] + at[2])
    raise InputError(
        Message(
            "not UTF-8 or {encoding} text (byte 0x{byte:02x} at line {line}, byte offset {offset}); "
            "save the file as UTF-8",
            encoding=_ENCODING_NAMES[fallback],
            byte=byte,
            line=line,
            offset=offset + column,
        ),
        file=path,
        row=line,
    )


_ENCODING_NAMES = {"cp932": "Shift_JIS", "cp1252": "Windows-1252"}


def _undecodable_at(line: bytes, encoding: str) -> int | None:
    try:
        text = line.decode(encoding)
    except UnicodeDecodeError as exc:
        return exc.start
    found = _NOT_SHIFT_JIS.search(text) if encoding == "cp932" else None
    return None if found is None else len(text[: found.start()].encode(encoding))


def _first_undecodable(lines: Iterator[bytes], encoding: str) -> tuple[int, int, int, int] | None:
    """(line, byte offset of the line, column, the byte) of the first byte not text in `encoding`, or None."""
    offset = 0
    for number, line in enumerate(lines, 1):
        if number == 1 and line.startswith(_BOM):
            line, offset = line[len(_BOM) :], len(_BOM)
        column = _undecodable_at(line, encoding)
        if column is not None:
            return number, offset, column, line[column]
        offset += len(line)
    return None


def _decoded(lines: Iterable[bytes], encoding: str) -> Iterator[str]:
    for number, line in enumerate(lines, 1):
        if number == 1:
            line = line.removeprefix(_BOM)
        yield line.decode(encoding)


def iter_rows(
    path: Path, required: Sequence[str] = (), *, nested: bool = False, sheet: str | None = None
) -> Iterator[Row]:
    """Rows of a CSV, TSV, XLSX, JSON or JSON-lines file under the input limits. JSON values nested deeper than the
    depth limit are refused, unless `nested`: a reader that takes only typed scalars out of each row (OpenAlex's
    native records) stores nothing deep. `sheet`: the XLSX sheet of that name (a format of one sheet per table)
    instead of the first."""
    if not path.exists():
        raise InputError(Message("no such file"), file=path)
    if path.is_dir():
        raise InputError(Message("is a folder, expected a file"), file=path)
    limits = Limits.current()
    suffix = suffix_of(path)
    if suffix in (".csv", ".tsv"):
        rows = _csv_rows(path, limits)
    elif suffix == ".xlsx":
        rows = _xlsx_rows(path, limits, sheet)
    elif suffix in (".jsonl", ".ndjson"):
        rows = _jsonl_rows(path, limits, nested)
    elif suffix == ".json":
        rows = _json_rows(path, limits, nested)
    else:
        raise InputError(
            Message(
                "unsupported file type '{suffix}'; use one of {suffixes}",
                suffix=suffix or path.name,
                suffixes=", ".join(TABULAR_SUFFIXES),
            ),
            file=path,
        )
    count = 0
    for row in rows:
        count += 1
        if count == 1:
            missing = [column for column in required if column not in row.values]
            if missing:
                raise InputError(
                    Message("missing required column(s): {columns}", columns=", ".join(missing)),
                    file=path,
                    row=1,
                    field=missing[0],
                )
        check_rows(count, path, limits)
        yield row
    if not count:
        raise InputError(Message("file is empty (no data rows)"), file=path)


def csv_header(path: Path) -> list[str]:
    """The header of a CSV, for format detection; an empty list when the file is not CSV or has none."""
    if suffix_of(path) not in (".csv", ".tsv"):
        return []
    # Only the first line is read, and no more of it than a line may hold: detection must not cost a second pass.
    with bounded(path) as source:
        first_line = next(source.lines(), b"")
    try:
        first = first_line.decode("utf-8-sig")
    except UnicodeDecodeError:
        first = first_line.decode("cp932", errors="replace")  # a bad encoding is reported when rows are read
    first = first.rstrip("\r\n")
    return next(csv.reader([first], delimiter=_delimiter(first, path)), [])


def _delimiter(header_line: str, path: Path) -> str:
    if suffix_of(path) == ".tsv":
        return "\t"
    # CORDIS and European Excel exports use ';'; pick whichever splits the header into more columns.
    return max((",", ";", "\t"), key=header_line.count)


# A carriage return alone ends a line too (Excel for Mac's "CSV (Mac)"), as with newline="" in open().
_LONE_CR = re.compile(r"(?<=\r)(?!\n|$)")


def text_lines(path: Path, limits: Limits, fallback: str = "cp932") -> Iterator[str]:
    """The decoded lines of a text file, streamed: the encoding is found in a first pass over the lines (nothing
    kept), and each line is held alone, under the line limit."""

    def raw_lines() -> Iterator[bytes]:
        with bounded(path, limits) as source:
            yield from source.lines()

    encoding = text_encoding(path, raw_lines, fallback)
    for line in _decoded(raw_lines(), encoding):
        if "\r" in line[:-2]:
            yield from _LONE_CR.split(line)
        else:
            yield line


def csv_rows(
    path: Path, limits: Limits, *, delimiter: str | None = None, fallback: str = "cp932"
) -> Iterator[tuple[int, list[str]]]:
    """(row number, cells) of a CSV file, streamed under the limits; the one CSV loop of every reader. Rows are
    numbered as a spreadsheet shows them, whatever newlines the cells hold; the delimiter, unless given, is the one
    that splits the first line most."""
    lines = text_lines(path, limits, fallback)
    first = next(lines, None)
    if first is None:
        return
    csv.field_size_limit(limits.field_chars)
    reader = csv.reader(chain((first,), lines), delimiter=delimiter or _delimiter(first, path), strict=True)
    number = 0
    while True:
        number += 1
        try:
            cells = next(reader)
        except StopIteration:
            return
        except csv.Error as exc:
            if "field larger than field limit" in str(exc):
                raise over(limits, "field_chars", path, Message("a cell"), row=number) from None
            raise InputError(
                Message("malformed CSV (line {line}): {problem}", line=reader.line_num, problem=str(exc)),
                file=path,
                row=number,
            ) from None
        yield number, cells


def _csv_rows(path: Path, limits: Limits) -> Iterator[Row]:
    rows = csv_rows(path, limits)
    first = next(rows, None)
    if first is None:
        return
    header = [h.strip() for h in first[1]]
    _check_header(header, path)
    for number, cells in rows:
        if not any(cell.strip() for cell in cells):
            continue
        if len(cells) > len(header):
            raise InputError(
                Message("{cells} cells but the header has {columns} columns", cells=len(cells), columns=len(header)),
                file=path,
                row=number,
            )
        # A short row (trailing empty cells left out, as some exporters write them) has those cells empty.
        cells += [""] * (len(header) - len(cells))
        yield Row(path, number, dict(zip(header, cells, strict=True)))


def _check_header(header: list[str], path: Path) -> None:
    seen: set[str] = set()
    for position, name in enumerate(header, 1):
        if not name:
            raise InputError(
                Message("column {position} of the header has no name", position=position), file=path, row=1
            )
        if name in seen:
            raise InputError(Message("column appears twice in the header"), file=path, row=1, field=name)
        seen.add(name)


def _xlsx_rows(path: Path, limits: Limits, sheet_name: str | None = None) -> Iterator[Row]:
    import zipfile

    from openpyxl import load_workbook

    check_workbook(path, limits)
    try:
        book = load_workbook(path, read_only=True, data_only=True)
    except (zipfile.BadZipFile, OSError, KeyError, ValueError, *XML_REFUSED) as exc:
        # openpyxl parses with defusedxml and wraps its refusal in a ValueError.
        if isinstance(exc, XML_REFUSED) or isinstance(exc.__cause__ or exc.__context__, XML_REFUSED):
            raise InputError(Message("XML with a DTD or entity declarations is refused"), file=path) from None
        raise InputError(_unreadable_workbook(exc), file=path) from None
    try:
        if sheet_name is not None and sheet_name not in book.sheetnames:
            raise InputError(Message("the workbook has no sheet named '{sheet}'", sheet=sheet_name), file=path)
        sheet = book.worksheets[0] if sheet_name is None else book[sheet_name]
        rows = sheet.iter_rows(values_only=True)
        header_cells = next(rows, None)
        if header_cells is None:
            return
        header = [str(cell).strip() if cell is not None else "" for cell in header_cells]
        while header and not header[-1]:
            header.pop()
        _check_header(header, path)
        for number, cells in enumerate(rows, start=2):
            # Read-only sheets end a row at its last non-empty cell; the cells after it are empty.
            cells = (*cells, *(None,) * (len(header) - len(cells)))
            values = {name: _cell(value) for name, value in zip(header, cells, strict=False)}
            if all(value in ("", None) for value in values.values()):
                continue
            for name, value in values.items():
                if isinstance(value, str) and len(value) > limits.field_chars:
                    raise over(limits, "field_chars", path, Message("a cell"), row=number, field=name)
            yield Row(path, number, values)
    finally:
        book.close()


def check_workbook(path: Path, limits: Limits) -> None:
    """Refuse a workbook whose archive would unpack past the limits, from its directory alone (nothing unpacked):
    openpyxl holds the shared strings of a workbook whole, so their size is what memory a workbook can cost. The
    sizes a ZIP directory declares bind: Python's zipfile stops reading a part at its declared size."""
    import zipfile

    try:
        with zipfile.ZipFile(path) as archive:
            parts = archive.infolist()
    except (zipfile.BadZipFile, OSError) as exc:
        raise InputError(_unreadable_workbook(exc), file=path) from None
    if len(parts) > limits.archive_entries:
        raise over(limits, "archive_entries", path, Message("the workbook's {count:,} parts", count=len(parts)))
    total = 0
    for part in parts:
        if part.file_size > limits.archive_part_bytes:
            raise over(
                limits, "archive_part_bytes", path, Message("the part {part}", part=part.filename), field=part.filename
            )
        total += part.file_size
    if total > limits.file_bytes:
        raise over(limits, "file_bytes", path, Message("the workbook, unpacked,"))


def _unreadable_workbook(exc: Exception) -> Message:
    return Message("not a readable XLSX workbook ({problem})", problem=f"{exc.__class__.__name__}: {exc}")


def _cell(value: Any) -> Any:
    if value is None:
        return ""
    if isinstance(value, datetime):
        return value.date() if value.time() == datetime.min.time() else value
    if isinstance(value, float) and value.is_integer():
        return int(value)
    return value


def _jsonl_rows(path: Path, limits: Limits, nested: bool) -> Iterator[Row]:
    with bounded(path, limits) as source:
        for number, line in enumerate(source.lines(), start=1):
            if number == 1:
                line = line.removeprefix(_BOM)  # Windows editors save UTF-8 with a byte order mark
            if not line.strip():
                continue
            value = json_object(line, path, number)
            if not nested:
                check_structure(value, path, limits, row=number)
            yield Row(path, number, value)


def _json_rows(path: Path, limits: Limits, nested: bool) -> Iterator[Row]:
    with bounded(path, limits) as source:
        raw = source.document().removeprefix(_BOM)
    if not raw.strip():
        return
    try:
        document = orjson.loads(raw)
    except orjson.JSONDecodeError as exc:
        raise InputError(
            Message("broken JSON: {problem}", problem=str(exc)), file=path, row=_json_error_line(raw, exc)
        ) from None
    # An API page ({"results": [...]}) or a bare array or a single object.
    if isinstance(document, dict) and isinstance(document.get("results"), list):
        document = document["results"]
    items = document if isinstance(document, list) else [document]
    for number, item in enumerate(items, start=1):
        if not isinstance(item, dict):
            raise InputError(
                Message("expected a JSON object, found {found}", found=type(item).__name__), file=path, row=number
            )
        if not nested:
            check_structure(item, path, limits, row=number)
        yield Row(path, number, item)


def json_object(line: bytes, path: Path, number: int) -> dict[str, Any]:
    """One JSON-lines record; anything but an object is an error at its line."""
    try:
        value = orjson.loads(line)
    except orjson.JSONDecodeError as exc:
        raise InputError(Message("broken JSON: {problem}", problem=str(exc)), file=path, row=number) from None
    if not isinstance(value, dict):
        raise InputError(
            Message("expected a JSON object, found {found}", found=type(value).__name__), file=path, row=number
        )
    return value


def _json_error_line(raw: bytes, exc: orjson.JSONDecodeError) -> int:
    return raw.count(b"\n", 0, max(exc.pos, 0)) + 1


# YYYY-MM-DD, or YYYY/MM/DD as Japanese spreadsheets write it; a time part after the date is allowed.
_DATE = re.compile(r"(?P<y>\d{4})[-/](?P<m>\d{1,2})[-/](?P<d>\d{1,2})(?:[T ][0-9:.+\-Z]*)?")


def utc_day(value: str | None, field: str) -> datetime | None:
    """A date typed by a person (YYYY-MM-DD or YYYY/MM/DD) as midnight UTC; InputError naming `field` if it is not one."""
    try:
        day = as_date(value)
    except ValueError as error:
        raise InputError(error.args[0], field=field) from None
    return None if day is None else datetime(day.year, day.month, day.day, tzinfo=UTC)


def as_date(value: Any) -> date | None:
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    text = str(value).strip()
    # The refusal is a Message: utc_day hands it to the user as it is.
    refusal = Message("'{text}' is not a date (use YYYY-MM-DD)", text=text)
    match = _DATE.fullmatch(text)
    if match is None:
        raise ValueError(refusal)
    try:
        return date(int(match["y"]), int(match["m"]), int(match["d"]))
    except ValueError:  # a day the calendar lacks (2025-02-30)
        raise ValueError(refusal) from None
