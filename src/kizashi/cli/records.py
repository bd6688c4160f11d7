"""Workspace and records: `init`, `ingest`, `list`, `status`, `demo`, and `corpus sync`."""

from __future__ import annotations

import sys
from itertools import chain
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.cells import cell_len
from rich.table import Table

from kizashi.cli import acting as login
from kizashi.cli.acting import acting
from kizashi.cli.common import (
    HEADINGS,
    FormatOption,
    OutOption,
    WideOption,
    WorkspaceOption,
    console,
    delivery,
    heading,
    in_language,
    progress,
    rows_writer,
    tell,
    write_file,
)
from kizashi.errors import InputError
from kizashi.ingest.dispatch import KINDS, ingest
from kizashi.ingest.loader import ImportReport
from kizashi.know.records import list_records, record_counts
from kizashi.messages import Message
from kizashi.protect.people import record_owner
from kizashi.store import corpus
from kizashi.store.records import LIST_COLUMNS
from kizashi.store.workspace import Workspace

corpus_app = typer.Typer(help="The Parquet corpus of works (for DuckDB and Spark).", no_args_is_help=True)


def init(workspace: WorkspaceOption = None) -> None:
    """Create a workspace (a folder with the record store and the corpus), or upgrade an existing one; the first to
    create it is recorded as its owner, who operates it until it has users."""
    ws = Workspace.create(workspace)
    owner = record_owner(ws, login.os_login())
    tell(Message("workspace ready at {path} ({backend}), owner {owner}", path=ws.path, backend=ws.backend, owner=owner))


def ingest_command(
    kind: Annotated[str, typer.Argument(help=f"What the files hold: {', '.join(KINDS)}.", show_default=False)],
    files: Annotated[list[Path], typer.Argument(help="Files to load (CSV, XLSX, JSON, JSONL, YAML; .gz too).")],
    workspace: WorkspaceOption = None,
    skip_invalid: Annotated[
        bool, typer.Option("--skip-invalid", help="Set invalid rows aside (listed, exit code 1) instead of failing.")
    ] = False,
    fmt: Annotated[str, typer.Option("--format", "-f", help="Report as table or json.")] = "table",
) -> None:
    """Load records of one KIND from FILES in one transaction: all of them, or (on any error) none."""
    ws, actor = acting(workspace)
    with progress(f"ingest {kind}") as advance:
        report = ingest(ws, actor, kind, files, skip_invalid=skip_invalid, on_progress=advance)
    _print_report(report, fmt)
    if report.rejected:
        raise typer.Exit(1)


def list_command(
    kind: Annotated[str, typer.Argument(help=f"One of {', '.join(KINDS)}.", show_default=False)],
    workspace: WorkspaceOption = None,
    fmt: FormatOption = "table",
    out: OutOption = None,
    limit: Annotated[int | None, typer.Option(help="At most this many records.")] = None,
    all_columns: Annotated[
        bool,
        typer.Option(
            "--all-columns",
            help="The table shows every column, not only the main ones (files always hold every column, "
            "bookkeeping hashes aside).",
        ),
    ] = False,
    wide: WideOption = False,
) -> None:
    """List the records of one KIND: a table of the main columns on the terminal, every column in a file."""
    if kind not in LIST_COLUMNS:
        raise InputError(
            Message("unknown kind '{kind}'; use one of {choices}", kind=kind, choices=", ".join(LIST_COLUMNS))
        )
    rows_writer(fmt, out, LIST_COLUMNS[kind])  # a bad --format or --out is refused before anything is read
    ws, actor = acting(workspace)

    def write(rows: Any) -> None:
        columns = LIST_COLUMNS[kind]
        if fmt != "table" or all_columns:
            # Every column (a file that left out the descriptions would match on titles alone): the first row's,
            # the main ones first. Peek at it and put it back, so the listing keeps streaming.
            first = next(rows, None)
            if first is not None:
                columns = [*(c for c in columns if c in first), *(c for c in first if c not in columns)]
                rows = chain([first], rows)
        rows_writer(fmt, out, columns, title=kind, wide=wide)(rows)

    list_records(
        ws,
        actor,
        kind,
        write,
        limit=limit if fmt != "table" or limit is not None else 50,
        delivery=delivery(fmt, out),
    )


def status(workspace: WorkspaceOption = None, fmt: FormatOption = "table") -> None:
    """Record counts by kind (of the records you may read)."""
    ws, actor = acting(workspace)
    found = record_counts(ws, actor)
    if fmt == "table":
        _print_counts(found.counts, ws)
    else:
        write_file([{"kind": k, "count": v} for k, v in found.counts.items()], ["kind", "count"], fmt, None)


def demo(workspace: WorkspaceOption = None) -> None:
    """Build a workspace from the bundled real data (CORDIS security projects, topics, Japanese needs,
    taxonomy, threats), write a report and print a summary."""
    from kizashi.report.demo import run_demo

    with progress("demo") as advance:
        result = run_demo(workspace, login.os_login(), on_progress=advance)
    for report in result.imports:
        kind = heading(report.kind)  # the record kind in the reader's language, padded to line up by its width
        tell(
            Message(
                "  {kind} {files}: {added} added, {updated} updated, {unchanged} unchanged",
                kind=kind + " " * max(0, 13 - cell_len(kind)),
                files=", ".join(Path(f).name for f in report.files),
                added=report.added,
                updated=report.updated,
                unchanged=report.unchanged,
            )
        )
    _print_counts(result.counts, result.workspace)
    tell(Message("report: {path}", path=result.report))
    for what, path in result.done:
        tell(f"{in_language(what)}: {path}")


@corpus_app.command("sync")
def corpus_sync(workspace: WorkspaceOption = None) -> None:
    """Rebuild Parquet parts that an interrupted import left unwritten."""
    ws, _actor = acting(workspace)
    rebuilt = corpus.sync(ws)
    tell(Message("corpus in sync; rebuilt {count} part(s)", count=len(rebuilt)))


def register_records(app: typer.Typer) -> None:
    app.command("init")(init)
    app.command("ingest")(ingest_command)
    app.command("list")(list_command)
    app.command("status")(status)
    app.command("demo")(demo)


def _print_report(report: ImportReport, fmt: str) -> None:
    if fmt == "json":
        import orjson

        payload = {
            "kind": report.kind,
            "import_id": report.import_id,
            **report.counts(),
            "rejected_rows": [{"location": r.location, "reason": r.reason} for r in report.rejected],
        }
        sys.stdout.write(orjson.dumps(payload, option=orjson.OPT_INDENT_2).decode() + "\n")
        return
    tell(
        Message(
            "{kind}: {added} added, {updated} updated, {unchanged} unchanged, {rejected} rejected (import {number})",
            kind=HEADINGS.get(report.kind, report.kind),
            added=report.added,
            updated=report.updated,
            unchanged=report.unchanged,
            rejected=len(report.rejected),
            number=report.import_id,
        )
    )
    for rejected in report.rejected[:50]:
        tell(Message("  rejected {location}: {reason}", location=rejected.location, reason=rejected.reason))
    if len(report.rejected) > 50:
        tell(Message("  … and {count} more (use --format json for all)", count=len(report.rejected) - 50))


def _print_counts(by_kind: dict[str, int], ws: Workspace) -> None:
    tell(Message("workspace: {path} ({backend})", path=ws.path, backend=ws.backend))
    table = Table(heading("kind"), heading("records"))
    for kind, count in by_kind.items():
        table.add_row(heading(kind), f"{count:,}")
    console.print(table)
