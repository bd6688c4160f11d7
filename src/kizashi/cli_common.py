"""What every command group shares: the consoles, the common options and the progress line."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, SpinnerColumn, TextColumn, TimeElapsedColumn
from rich.table import Table

from kizashi.export import FORMATS

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


def short(value: object, width: int = 60) -> str:
    """A table cell: lists joined, long text cut with an ellipsis."""
    if value is None:
        return ""
    text = "; ".join(map(str, value)) if isinstance(value, list) else str(value)
    return text if len(text) <= width else text[: width - 1] + "…"


def print_table(
    rows: Iterable[Mapping[str, Any]], columns: Sequence[str], *, title: str | None = None, width: int = 60
) -> None:
    table = Table(*columns, title=title)
    for row in rows:
        table.add_row(*(short(row.get(column), width) for column in columns))
    console.print(table)


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
