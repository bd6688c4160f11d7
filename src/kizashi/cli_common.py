"""What every command group shares: the consoles, the common options and the progress line."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, SpinnerColumn, TextColumn, TimeElapsedColumn
from rich.table import Table

from kizashi.errors import InputError
from kizashi.export import FORMATS, write_rows
from kizashi.protect import audit

if TYPE_CHECKING:
    from kizashi.store.workspace import Workspace

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
    if fmt == "table" and out is not None:
        formats = ", ".join(f for f in FORMATS if f != "table")
        raise InputError(f"--out writes a file: give --format {formats}", field="out")


def show_rows(
    ws: Workspace,
    actor: str,
    rows: Iterable[dict[str, Any]],
    columns: Sequence[str],
    fmt: str,
    out: Path | None,
    *,
    command: str,
    detail: Mapping[str, Any] | None = None,
    records: Iterable[str] = (),
    count: str | None = None,
    table_columns: Sequence[str] | None = None,
    title: str | None = None,
    width: int | None = 60,
) -> None:
    """Print `rows` as a table (`fmt` "table"; `table_columns` if they differ) or write them as `fmt` to `out` (the
    terminal without), then always record the audit event: "export" naming the file when one was written, else
    "read", with `detail` under `command`. With `count`, the number of rows shown goes into the detail under that
    key; rows pass through one at a time, so an iterator keeps streaming."""
    file_format(fmt, out)
    shown = 0

    def counted() -> Iterator[dict[str, Any]]:
        nonlocal shown
        for row in rows:
            shown += 1
            yield row

    if fmt == "table":
        print_table(counted(), table_columns or columns, title=title, width=width)
    else:
        write_rows(counted(), columns, fmt, out)
    exported = out is not None
    event = {"command": command, **(detail or {})}
    if count is not None:
        event[count] = shown
    if exported:
        event["file"] = str(out)
    audit.record(ws, actor, "export" if exported else "read", records=records, detail=event)


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
