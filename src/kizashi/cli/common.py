"""What every command group shares: the consoles, the common options, tables and files, and the progress line.

Commands parse their arguments, build the actor once (kizashi.cli.acting), call one service and print what it
returns: they hold no logic of their own and never write audit events (the services do).
"""

from __future__ import annotations

import json
import re
import sys
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer
from rich import box
from rich.cells import cell_len
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, SpinnerColumn, TextColumn, TimeElapsedColumn
from rich.table import Table
from rich.text import Text

from kizashi.errors import InputError
from kizashi.files.export import EXPORT_MODE, FORMATS, human_rows, write_rows
from kizashi.messages import Message, environment_language, said
from kizashi.store.service import Delivery

if TYPE_CHECKING:
    from kizashi.retrieval.statement import Statement

console = Console()
errors = Console(stderr=True)


def measure_terminal() -> None:
    """Take the terminal's width as it is at the start of a run (COLUMNS when set): the consoles above were made at
    import, and rich keeps the COLUMNS of that moment."""
    for made in (console, errors):
        made.width = Console(stderr=made.stderr).width


WorkspaceOption = Annotated[
    Path | None,
    typer.Option(
        "--workspace",
        "-w",
        help="Workspace folder. Default: $KIZASHI_WORKSPACE, then ./kizashi-workspace.",
        show_default=False,
    ),
]
FormatOption = Annotated[str, typer.Option("--format", "-f", help=f"Output format: {', '.join(FORMATS)}.")]
OutOption = Annotated[Path | None, typer.Option("--out", "-o", help="Write to FILE instead of the terminal.")]
WideOption = Annotated[
    bool,
    typer.Option(
        "--wide", help="Show every cell of the table in full, wider than the terminal if need be (files always are)."
    ),
]


def in_language(text: str) -> str:
    """`text` in the reader's language (KIZASHI_LANG, else the locale): a Message said in Japanese when asked for,
    anything else as it is."""
    return str(said(text, environment_language()))


def tell(message: str, *, stderr: bool = False) -> None:
    """A line of the CLI's own (what was loaded, where a file went) in the reader's language, as plain text: ids,
    paths and titles in it are never read as markup; on stderr when the result itself may be going to stdout."""
    (errors if stderr else console).print(Text(in_language(message)), highlight=False, soft_wrap=True)


def warn(message: str) -> None:
    """A warning on stderr in the reader's language: the run goes on."""
    heading = in_language(Message("warning: "))
    errors.print(Text(heading, style="bold yellow") + Text(in_language(message)), highlight=False, soft_wrap=True)


# Table headings in Japanese (KIZASHI_LANG=ja); in English a heading is the column's own name, as the keys of JSON
# and CSV files are (files keep them in every language: programs read them). Titles of tables (the record kinds)
# too. A column not named here keeps its name.
HEADINGS: dict[str, Message] = {
    "title": Message("title"),
    "lang": Message("lang"),
    "organization": Message("organization"),
    "country": Message("country"),
    "countries": Message("countries"),
    "threat": Message("threat"),
    "deadline": Message("deadline"),
    "level": Message("level"),
    "label": Message("label"),
    "source": Message("source"),
    "year": Message("year"),
    "cited_by_count": Message("cited_by_count"),
    "category": Message("category"),
    "name_ja": Message("name_ja"),
    "name_en": Message("name_en"),
    "likelihood": Message("likelihood"),
    "impact": Message("impact"),
    "horizon": Message("horizon"),
    "parent": Message("parent"),
    "created_at": Message("created_at"),
    "user": Message("user"),
    "needs": Message("needs"),
    "seeds": Message("seeds"),
    "works": Message("works"),
    "threats": Message("threats"),
    "technologies": Message("technologies"),
    "proposals": Message("proposals"),
    "settings": Message("settings"),
    "need_id": Message("need_id"),
    "seed_id": Message("seed_id"),
    "decision": Message("decision"),
    "comment": Message("comment"),
    "at": Message("at"),
    "name": Message("name"),
    "kind": Message("kind"),
    "score": Message("score"),
    "screening": Message("screening"),
    "records": Message("records"),
    "release review queue": Message("release review queue"),
    # kizashi cti (cli/cti.py): collections, objects, groups, correlation hits, links to research assets
    "id": Message("id"),
    "type": Message("type"),
    "version": Message("version"),
    "added": Message("added"),
    "TLP": Message("TLP"),
    "collection": Message("collection"),
    "collections": Message("collections"),
    "group": Message("group"),
    "members": Message("members"),
    "default TLP": Message("default TLP"),
    "you read": Message("you read"),
    "you add": Message("you add"),
    "roles read": Message("roles read"),
    "roles add": Message("roles add"),
    "indicator": Message("indicator"),
    "indicates": Message("indicates"),
    "research assets": Message("research assets"),
    "observations": Message("observations"),
    "first seen": Message("first seen"),
    "last seen": Message("last seen"),
    "object": Message("object"),
    "asset": Message("asset"),
    "reason": Message("reason"),
}


def heading(column: str) -> str:
    """A column's (or a table's) heading in the reader's language."""
    found = HEADINGS.get(column)
    return column if found is None else in_language(found)


def short(value: object, width: int | None = 60) -> str:
    """A table cell: lists joined; long text (words with spaces) cut with an ellipsis, never a single token such as an
    id, a date or a DOI (cut, it would name another record), and nothing with `width` None."""
    if value is None:
        return ""
    if isinstance(value, list):
        text = "; ".join(map(str, value))
    elif isinstance(value, datetime | date):
        text = value.isoformat()  # one token, never cut: 2026-12-07T12:34:18
    elif isinstance(value, dict):
        text = json.dumps(value, ensure_ascii=False)  # with spaces: text that wraps, not a token
    else:
        text = str(value)
    if width is None or len(text) <= width or _is_token(text):
        return text
    return text[: width - 1] + "…"


def _is_token(text: str) -> bool:
    """An id, a date, a code, a number, a DOI or a URL: printable ASCII without spaces (Japanese text has no spaces
    either, but it is words and may wrap anywhere)."""
    return bool(text) and all("!" <= ch <= "~" for ch in text)


# How columns give way when a table is wider than the terminal, step by step (which columns, down to what width).
# "key" columns are the record's id (the first column) and dates: they give way last. Text first, to a width still
# readable; then codes and other ids fold; then long keys; then text further; then everything, keys last. Folded
# cells go onto more lines: an id or a date is never cut.
_STEPS = (
    ("text", 16),
    ("text", 12),
    ("token", 12),
    ("key", 20),
    ("text", 8),
    ("token", 6),
    ("text", 4),
    ("token", 3),
    ("key", 10),
    ("all", 1),
)
_TEXT_LINES = 3  # a text cell shows at most about this many lines in a fitted table (cut with an ellipsis)
_DATE = re.compile(r"\d{4}-\d\d-\d\d(T[\d:.]+([+-]\d\d:\d\d|Z)?)?")


def _natural(cells: Iterable[str]) -> int:
    return max((cell_len(line) for cell in cells for line in cell.splitlines() or [""]), default=0)


def _give_way(widths: list[int], indices: Sequence[int], floor: Sequence[int], excess: int) -> int:
    """Narrow the widest of `indices` one cell at a time (never below `floor`) until `excess` cells are freed or none
    can give more; the excess left."""
    while excess > 0:
        movable = [i for i in indices if widths[i] > floor[i]]
        if not movable:
            break
        top = max(widths[i] for i in movable)
        for i in movable:
            if widths[i] == top and excess > 0:
                widths[i] -= 1
                excess -= 1
    return excess


def token_columns(columns: Sequence[Sequence[str]]) -> list[bool]:
    """Which columns hold ids, dates, codes or numbers alone (see `_is_token`)."""
    return [all(_is_token(cell) for cell in cells if cell) for cells in columns]


def fit_widths(headings: Sequence[str], columns: Sequence[Sequence[str]], space: int) -> list[int]:
    """The width of each column so that the table fits in `space` cells of content: every column gets its longest
    cell (and its heading's longest word) when that fits; otherwise columns give way in the order of `_STEPS`."""
    tokens = token_columns(columns)
    keys = [
        token and (i == 0 or (all(_DATE.fullmatch(cell) for cell in cells if cell) and any(cells)))
        for i, (token, cells) in enumerate(zip(tokens, columns, strict=True))
    ]
    widths = [max(_natural(cells), _natural(heading.split())) for heading, cells in zip(headings, columns, strict=True)]
    groups = {
        "text": [i for i, token in enumerate(tokens) if not token],
        "token": [i for i, token in enumerate(tokens) if token and not keys[i]],
        "key": [i for i, key in enumerate(keys) if key],
        "all": list(range(len(widths))),
    }
    excess = sum(widths) - space
    for group, floor in _STEPS:
        excess = _give_way(widths, groups[group], [min(w, floor) for w in widths], excess)
    return widths


def _table(title: str | None, gap: int) -> Table:
    """A table without side borders: a rule under the headings, columns `gap` (1 or 2) spaces apart: the separator
    and, with 2, one cell of padding (see `_overhead`)."""
    padding = (0, 1) if gap == 2 else (0, 0)
    return Table(
        title=title, box=box.SIMPLE_HEAD, show_edge=False, pad_edge=False, collapse_padding=True, padding=padding
    )


def _overhead(columns: int, gap: int) -> int:
    """The cells `_table` spends between `columns` columns."""
    return gap * (columns - 1)


def print_table(
    rows: Iterable[Mapping[str, Any]],
    columns: Sequence[str],
    *,
    title: str | None = None,
    width: int | None = 60,
    wide: bool = False,
) -> None:
    """Rows as a table that fits the terminal (rich's console width, COLUMNS when set): long text wraps, ids and dates
    fold onto more lines but are never cut. `wide`: every cell in full, as wide as the longest, the terminal
    regardless."""
    rows = list(rows)
    headings = [heading(column) for column in columns]
    cells = [[short(row.get(column), None) for column in columns] for row in rows]
    by_column = [[row[i] for row in cells] for i in range(len(columns))]
    target, gap = console, 2
    if wide:
        widths = [max(_natural(c), cell_len(h)) for h, c in zip(headings, by_column, strict=True)]
        needed = sum(widths) + _overhead(len(columns), gap)
        target = console if needed <= console.width else Console(width=needed)
    else:
        natural = fit_widths(headings, by_column, sys.maxsize)
        gap = 2 if sum(natural) + _overhead(len(columns), 2) <= console.width else 1  # closer when tight
        widths = fit_widths(headings, by_column, console.width - _overhead(len(columns), gap))
        # Long text is cut to a few lines of its column (at most `width` characters); ids and dates never are.
        cells = [
            [short(row.get(column), _cut(width, size)) for column, size in zip(columns, widths, strict=True)]
            for row in rows
        ]
    table = _table(None if title is None else heading(title), gap)
    for name, size in zip(headings, widths, strict=True):
        table.add_column(name, width=max(size, 1), overflow="fold")
    for line in cells:
        table.add_row(*line)
    target.print(table)


def _cut(width: int | None, column: int) -> int | None:
    return None if width is None else max(min(width, column * _TEXT_LINES), 2)


def warn_titles_only(kind: str, paths: Sequence[Path], statements: Sequence[Statement]) -> None:
    """Warn on stderr when no row of the `kind` files has a description (the column missing, or empty in every row):
    matching and classifying would then read titles alone, which a file exported without its descriptions once made
    happen silently."""
    if any(statement.description.strip() for statement in statements):
        return
    files = ", ".join(str(path) for path in paths)
    warn(
        Message(
            "no {kind} in {files} has a description (the column is missing or empty): matching will use titles only",
            kind=HEADINGS.get(kind, kind),
            files=files,
        )
    )


def file_format(fmt: str, out: Path | None) -> None:
    """Refuse --out with the table format: a table is for the terminal, and silently printing it instead of writing
    the file asked for would leave the user without the file."""
    if fmt not in FORMATS:
        raise InputError(
            Message("unknown format '{format}'; use one of {choices}", format=fmt, choices=", ".join(FORMATS)),
            field="format",
        )
    if fmt == "table" and out is not None:
        formats = ", ".join(f for f in FORMATS if f != "table")
        raise InputError(Message("--out writes a file: give --format {formats}", formats=formats), field="out")


@dataclass
class Output:
    """The root options of this run about files: `--raw-csv` writes CSV cells as they are (formulas included)."""

    raw_csv: bool = False
    mode: int = EXPORT_MODE


OUTPUT = Output()


def write_file(rows: Iterable[dict[str, Any]], columns: Sequence[str], fmt: str, out: Path | None) -> None:
    """Rows as `fmt` to `out` (standard output without), CSV neutralised unless the run said --raw-csv, a file
    made with the run's --mode. In the files people open (CSV, Excel) a sentence kizashi wrote (a Message, such
    as a screening explanation) is in the reader's language; JSON keeps English for programs; keys stay English."""
    write_rows(
        human_rows(rows, fmt, environment_language()), columns, fmt, out, raw_csv=OUTPUT.raw_csv, mode=OUTPUT.mode
    )


def show_rows(
    rows: Sequence[dict[str, Any]], columns: Sequence[str], heads: Mapping[str, str], fmt: str, out: Path | None
) -> None:
    """Rows as a table under `heads` (each column's words, said in the reader's language), else as `fmt` to `out`."""
    if fmt != "table":
        write_file(rows, columns, fmt, out)
        return
    said = [in_language(heads[column]) for column in columns]
    print_table([{h: row.get(c) for h, c in zip(said, columns, strict=True)} for row in rows], said)


def file_mode(text: str) -> int:
    """--mode as given (octal, as chmod takes it: 600, 0640); at most rw for owner, group and others."""
    try:
        mode = int(text, 8)
    except ValueError:
        mode = -1
    if not 0 <= mode <= 0o666 or not mode & 0o600 == 0o600:
        raise InputError(
            Message("--mode {mode!r}: give an octal mode such as 600 or 640 (the owner reads and writes)", mode=text)
        )
    return mode


def delivery(fmt: str | None, out: Path | None) -> Delivery:
    """Where a command's result goes, as the service audits it: the terminal, or the file --out names."""
    return Delivery(str(out) if out is not None else None, fmt)


def rows_writer(
    fmt: str,
    out: Path | None,
    columns: Sequence[str],
    *,
    table_columns: Sequence[str] | None = None,
    title: str | None = None,
    width: int | None = 60,
    wide: bool = False,
) -> Callable[[Iterable[dict[str, Any]]], None]:
    """How rows leave: a table on the terminal (`fmt` "table", `table_columns` if they differ) or `fmt` to `out` (the
    terminal without; `wide`: the table's cells in full); checked before any service runs."""
    file_format(fmt, out)

    def write(rows: Iterable[dict[str, Any]]) -> None:
        if fmt == "table":
            print_table(rows, table_columns or columns, title=title, width=width, wide=wide)
        else:
            write_file(rows, columns, fmt, out)

    return write


class progress:
    """A progress line with a running count and rate; silent when output is not a terminal."""

    def __init__(self, label: str, total: int | None = None, unit: str = "records") -> None:
        self.total = total
        self.progress = Progress(
            SpinnerColumn(),
            TextColumn("[bold]{task.description}"),
            BarColumn(bar_width=None),
            MofNCompleteColumn(),
            TextColumn(unit),
            TimeElapsedColumn(),
            console=errors,
            transient=True,
            disable=not errors.is_terminal,
        )
        self.label = label

    def __enter__(self) -> Callable[[int], None]:
        self.progress.start()
        task = self.progress.add_task(self.label, total=self.total)
        return lambda n: self.progress.advance(task, n)

    def __exit__(self, *exc: object) -> None:
        self.progress.stop()
