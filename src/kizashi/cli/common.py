"""What every command group shares: the consoles, the common options, tables and files, and the progress line.

Commands parse their arguments, build the actor once (kizashi.cli.acting), call one service and print what it
returns: they hold no logic of their own and never write audit events (the services do).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, SpinnerColumn, TextColumn, TimeElapsedColumn
from rich.table import Table

from kizashi.errors import InputError
from kizashi.files.export import EXPORT_MODE, FORMATS, write_rows
from kizashi.store.service import Delivery

console = Console()
errors = Console(stderr=True)

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


def short(value: object, width: int | None = 60) -> str:
    """A table cell: lists joined, long text cut with an ellipsis (never with `width` None)."""
    if value is None:
        return ""
    text = "; ".join(map(str, value)) if isinstance(value, list) else str(value)
    return text if width is None or len(text) <= width else text[: width - 1] + "…"


def print_table(
    rows: Iterable[Mapping[str, Any]], columns: Sequence[str], *, title: str | None = None, width: int | None = 60
) -> None:
    table = Table(*columns, title=title)
    for row in rows:
        table.add_row(*(short(row.get(column), width) for column in columns))
    console.print(table)


def file_format(fmt: str, out: Path | None) -> None:
    """Refuse --out with the table format: a table is for the terminal, and silently printing it instead of writing
    the file asked for would leave the user without the file."""
    if fmt not in FORMATS:
        raise InputError(f"unknown format '{fmt}'; use one of {', '.join(FORMATS)}", field="format")
    if fmt == "table" and out is not None:
        formats = ", ".join(f for f in FORMATS if f != "table")
        raise InputError(f"--out writes a file: give --format {formats}", field="out")


@dataclass
class Output:
    """The root options of this run about files: `--raw-csv` writes CSV cells as they are (formulas included)."""

    raw_csv: bool = False
    mode: int = EXPORT_MODE


OUTPUT = Output()


def write_file(rows: Iterable[dict[str, Any]], columns: Sequence[str], fmt: str, out: Path | None) -> None:
    """Rows as `fmt` to `out` (standard output without), CSV neutralised unless the run said --raw-csv, a file
    made with the run's --mode."""
    write_rows(rows, columns, fmt, out, raw_csv=OUTPUT.raw_csv, mode=OUTPUT.mode)


def file_mode(text: str) -> int:
    """--mode as given (octal, as chmod takes it: 600, 0640); at most rw for owner, group and others."""
    try:
        mode = int(text, 8)
    except ValueError:
        mode = -1
    if not 0 <= mode <= 0o666 or not mode & 0o600 == 0o600:
        raise InputError(f"--mode {text!r}: give an octal mode such as 600 or 640 (the owner reads and writes)")
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
) -> Callable[[Iterable[dict[str, Any]]], None]:
    """How rows leave: a table on the terminal (`fmt` "table", `table_columns` if they differ) or `fmt` to `out` (the
    terminal without); checked before any service runs."""
    file_format(fmt, out)

    def write(rows: Iterable[dict[str, Any]]) -> None:
        if fmt == "table":
            print_table(rows, table_columns or columns, title=title, width=width)
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
