"""Rows from CSV, XLSX, JSON and JSON lines, each with the location it came from.

Every structural problem (encoding, broken JSON, empty file, missing header) raises InputError naming file and row.
"""

from __future__ import annotations

import csv
import gzip
import io
import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime
from pathlib import Path
from typing import IO, Any

import orjson

from kizashi.errors import InputError

csv.field_size_limit(64 * 1024 * 1024)

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


def open_binary(path: Path) -> IO[bytes]:
    if not path.exists():
        raise InputError("no such file", file=path)
    if path.is_dir():
        raise InputError("is a folder, expected a file", file=path)
    if path.suffix.lower() == ".gz":
        return gzip.open(path, "rb")  # type: ignore[return-value]
    return path.open("rb")


# What Python's cp932 gives for bytes no Shift_JIS text holds (Excel never writes them): 0x80 as itself, the single
# bytes 0xA0 and 0xFD-0xFF as private-use characters, and the user-defined area (0xF040-0xF9FC) as U+E000-U+E757.
# Decoding them would let later steps drop them silently; they are errors.
_NOT_SHIFT_JIS = re.compile("[\u0080\ue000-\ue757\uf8f0-\uf8f3]")


def read_text(path: Path) -> tuple[str, str]:
    """Whole text of a file and the encoding it was in: UTF-8 (with or without BOM), else Shift_JIS (cp932, strictly:
    see _NOT_SHIFT_JIS), which is what Excel on a Japanese Windows writes. Anything else is an error naming the line
    and the first byte that is neither."""
    with open_binary(path) as handle:
        try:
            raw = handle.read()
        except (OSError, EOFError) as exc:
            raise InputError(f"cannot read file: {exc}", file=path) from None
    try:
        return raw.decode("utf-8-sig"), "utf-8"
    except UnicodeDecodeError as utf8_error:
        try:
            text = raw.decode("cp932")
        except UnicodeDecodeError as sjis_error:
            # The later of the two failures: the bytes before it are text in one encoding or the other.
            at = max(utf8_error.start, sjis_error.start)
        else:
            found = _NOT_SHIFT_JIS.search(text)
            if found is None:
                return text, "cp932"
            at = len(text[: found.start()].encode("cp932"))
        line = raw.count(b"\n", 0, at) + 1
        raise InputError(
            f"not UTF-8 or Shift_JIS text (byte 0x{raw[at]:02x} at line {line}, byte offset {at}); "
            "save the file as UTF-8",
            file=path,
            row=line,
        ) from None


def iter_rows(path: Path, required: Sequence[str] = ()) -> Iterator[Row]:
    if not path.exists():
        raise InputError("no such file", file=path)
    if path.is_dir():
        raise InputError("is a folder, expected a file", file=path)
    suffix = suffix_of(path)
    if suffix in (".csv", ".tsv"):
        rows = _csv_rows(path)
    elif suffix == ".xlsx":
        rows = _xlsx_rows(path)
    elif suffix in (".jsonl", ".ndjson"):
        rows = _jsonl_rows(path)
    elif suffix == ".json":
        rows = _json_rows(path)
    else:
        raise InputError(
            f"unsupported file type '{suffix or path.name}'; use one of {', '.join(TABULAR_SUFFIXES)}", file=path
        )
    empty = True
    for row in rows:
        if empty:
            empty = False
            missing = [column for column in required if column not in row.values]
            if missing:
                raise InputError(
                    f"missing required column(s): {', '.join(missing)}", file=path, row=1, field=missing[0]
                )
        yield row
    if empty:
        raise InputError("file is empty (no data rows)", file=path)


def csv_header(path: Path) -> list[str]:
    """The header of a CSV, for format detection; an empty list when the file is not CSV or has none."""
    if suffix_of(path) not in (".csv", ".tsv"):
        return []
    # Only the first line is read: detection must not cost a second pass over the whole file.
    with open_binary(path) as handle:
        try:
            raw = handle.readline()
        except (OSError, EOFError) as exc:
            raise InputError(f"cannot read file: {exc}", file=path) from None
    try:
        first = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        first = raw.decode("cp932", errors="replace")  # a bad encoding is reported, with its line, when rows are read
    first = first.rstrip("\r\n")
    return next(csv.reader([first], delimiter=_delimiter(first, path)), [])


def _delimiter(header_line: str, path: Path) -> str:
    if suffix_of(path) == ".tsv":
        return "\t"
    # CORDIS and European Excel exports use ';'; pick whichever splits the header into more columns.
    return max((",", ";", "\t"), key=header_line.count)


def _csv_rows(path: Path) -> Iterator[Row]:
    text, _ = read_text(path)
    if not text.strip():
        return
    delimiter = _delimiter(text.split("\n", 1)[0], path)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter, strict=True)
    try:
        header = [h.strip() for h in next(reader)]
    except csv.Error as exc:
        raise InputError(f"malformed CSV header: {exc}", file=path, row=1) from None
    _check_header(header, path)
    # Rows are numbered as a spreadsheet shows them (header = row 1), whatever newlines the cells hold.
    number = 1
    while True:
        number += 1
        try:
            cells = next(reader)
        except StopIteration:
            return
        except csv.Error as exc:
            raise InputError(f"malformed CSV (line {reader.line_num}): {exc}", file=path, row=number) from None
        if not any(cell.strip() for cell in cells):
            continue
        if len(cells) > len(header):
            raise InputError(f"{len(cells)} cells but the header has {len(header)} columns", file=path, row=number)
        # A short row (trailing empty cells left out, as some exporters write them) has those cells empty.
        cells += [""] * (len(header) - len(cells))
        yield Row(path, number, dict(zip(header, cells, strict=True)))


def _check_header(header: list[str], path: Path) -> None:
    seen: set[str] = set()
    for position, name in enumerate(header, 1):
        if not name:
            raise InputError(f"column {position} of the header has no name", file=path, row=1)
        if name in seen:
            raise InputError("column appears twice in the header", file=path, row=1, field=name)
        seen.add(name)


def _xlsx_rows(path: Path) -> Iterator[Row]:
    import zipfile

    from openpyxl import load_workbook

    if not path.exists():
        raise InputError("no such file", file=path)
    try:
        book = load_workbook(path, read_only=True, data_only=True)
    except (zipfile.BadZipFile, OSError, KeyError, ValueError) as exc:
        raise InputError(f"not a readable XLSX workbook ({exc.__class__.__name__}: {exc})", file=path) from None
    try:
        sheet = book.worksheets[0]
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
            yield Row(path, number, values)
    finally:
        book.close()


def _cell(value: Any) -> Any:
    if value is None:
        return ""
    if isinstance(value, datetime):
        return value.date() if value.time() == datetime.min.time() else value
    if isinstance(value, float) and value.is_integer():
        return int(value)
    return value


_BOM = b"\xef\xbb\xbf"


def _jsonl_rows(path: Path) -> Iterator[Row]:
    with open_binary(path) as handle:
        for number, line in enumerate(_lines(handle, path), start=1):
            if number == 1:
                line = line.removeprefix(_BOM)  # Windows editors save UTF-8 with a byte order mark
            if not line.strip():
                continue
            yield Row(path, number, _json_object(line, path, number))


def _lines(handle: IO[bytes], path: Path) -> Iterator[bytes]:
    """The lines of a file; a damaged gzip stream (truncated, or not gzip at all) is an InputError at its line."""
    read = 0
    try:
        for line in handle:
            read += 1
            yield line
    except (OSError, EOFError) as exc:
        raise InputError(f"cannot read file: {exc}", file=path, row=read + 1) from None


def _json_rows(path: Path) -> Iterator[Row]:
    with open_binary(path) as handle:
        try:
            raw = handle.read().removeprefix(_BOM)
        except (OSError, EOFError) as exc:
            raise InputError(f"cannot read file: {exc}", file=path) from None
    if not raw.strip():
        return
    try:
        document = orjson.loads(raw)
    except orjson.JSONDecodeError as exc:
        raise InputError(f"broken JSON: {exc}", file=path, row=_json_error_line(raw, exc)) from None
    # An API page ({"results": [...]}) or a bare array or a single object.
    if isinstance(document, dict) and isinstance(document.get("results"), list):
        document = document["results"]
    items = document if isinstance(document, list) else [document]
    for number, item in enumerate(items, start=1):
        if not isinstance(item, dict):
            raise InputError(f"expected a JSON object, found {type(item).__name__}", file=path, row=number)
        yield Row(path, number, item)


def _json_object(line: bytes, path: Path, number: int) -> dict[str, Any]:
    try:
        value = orjson.loads(line)
    except orjson.JSONDecodeError as exc:
        raise InputError(f"broken JSON: {exc}", file=path, row=number) from None
    if not isinstance(value, dict):
        raise InputError(f"expected a JSON object, found {type(value).__name__}", file=path, row=number)
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
        raise InputError(str(error), field=field) from None
    return None if day is None else datetime(day.year, day.month, day.day, tzinfo=UTC)


def as_date(value: Any) -> date | None:
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    text = str(value).strip()
    match = _DATE.fullmatch(text)
    if match is None:
        raise ValueError(f"'{text}' is not a date (use YYYY-MM-DD)")
    return date(int(match["y"]), int(match["m"]), int(match["d"]))
