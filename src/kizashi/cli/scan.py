"""`kizashi scan`: the R&D landscape over the works you may read; `kizashi scan weights`, `kizashi scan backtest`;
`kizashi technology show`."""

from __future__ import annotations

import sys
from datetime import date
from pathlib import Path
from typing import Annotated

import typer
from rich.progress import BarColumn, Progress, TaskID, TextColumn, TimeElapsedColumn

from kizashi.cli.acting import acting
from kizashi.cli.common import (
    OUTPUT,
    FormatOption,
    OutOption,
    WorkspaceOption,
    console,
    delivery,
    errors,
    rows_writer,
    tell,
)
from kizashi.errors import InputError
from kizashi.messages import Message

scan_app = typer.Typer(
    help="The R&D landscape: trends, emergence, countries and Japan's position, research fronts, critical "
    "technologies and threats → technologies, over the works you may read. Writes trends.csv, emergence.csv, "
    "countries.csv, collaboration.csv, fronts.csv, front_works.csv, critical.csv, threats.csv and report.html, "
    "report.xlsx, report.pdf to --out (columns are a stable interface: added, never renamed).",
    invoke_without_command=True,
    no_args_is_help=False,
)
technology_app = typer.Typer(help="The taxonomy's technologies and the works tagged with them.", no_args_is_help=True)

STEPS = {
    "reading": "reading the works you may read",
    "tagging": "tagging works with technologies",
    "indicators": "computing indicators",
    "vectors": "document vectors from the dense model",
    "fronts": "finding research fronts",
    "ranking": "ranking critical technologies",
    "report": "writing the report",
}


def _as_of(text: str | None) -> date | None:
    if text is None:
        return None
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise InputError(Message("--as-of {date!r}: give a date as YYYY-MM-DD", date=text), field="--as-of") from None


class _Steps:
    """One progress bar per step of the scan, on standard error; silent when that is not a terminal."""

    def __init__(self) -> None:
        self.progress = Progress(
            TextColumn("[bold]{task.description}"),
            BarColumn(bar_width=None),
            TextColumn("{task.completed:,}/{task.total}", justify="right"),
            TimeElapsedColumn(),
            console=errors,
            transient=True,
            disable=not errors.is_terminal,
        )
        self.tasks: dict[str, TaskID] = {}

    def __call__(self, step: str, done: int, total: int | None) -> None:
        if step not in self.tasks:
            self.tasks[step] = self.progress.add_task(STEPS.get(step, step), total=total)
        self.progress.update(self.tasks[step], completed=done, total=total)


@scan_app.callback()
def scan_command(
    ctx: typer.Context,
    out: Annotated[
        Path | None, typer.Option("--out", "-o", help="The folder to write the tables and reports to.")
    ] = None,
    year_from: Annotated[int | None, typer.Option("--from", help="First publication year.", show_default=False)] = None,
    year_to: Annotated[int | None, typer.Option("--to", help="Last publication year.", show_default=False)] = None,
    as_of: Annotated[
        str | None,
        typer.Option(
            "--as-of",
            help="Use only what was known on DATE (YYYY-MM-DD): works published by then, citations counted to then "
            "(OpenAlex's counts_by_year).",
            show_default=False,
        ),
    ] = None,
    engine: Annotated[str, typer.Option("--engine", help="duckdb (this machine) or spark (PySpark).")] = "duckdb",
    spark_master: Annotated[
        str | None, typer.Option("--spark-master", help="Spark master URL (default: local mode).", show_default=False)
    ] = None,
    public: Annotated[
        bool, typer.Option("--public", help="Use PUBLIC records only: a report fit for publication.")
    ] = False,
    taxonomy: Annotated[
        Path | None,
        typer.Option(
            "--taxonomy", help="Tag with this taxonomy (YAML/CSV/XLSX) instead of the workspace's.", show_default=False
        ),
    ] = None,
    weights: Annotated[
        Path | None,
        typer.Option(
            "--weights",
            help="Indicator weights for the ranking (YAML/JSON; see `kizashi scan weights`).",
            show_default=False,
        ),
    ] = None,
    lang: Annotated[str, typer.Option("--lang", help="The report's language: ja or en.")] = "ja",
    no_fronts: Annotated[bool, typer.Option("--no-fronts", help="Skip research fronts (the slowest step).")] = False,
    dense_model: Annotated[
        Path | None,
        typer.Option(
            "--dense-model",
            help="Folder of a local sentence-transformers or model2vec model: research fronts from its document "
            "vectors instead of TF-IDF/LSA (default: KIZASHI_MATCH_DENSE_MODEL; never downloads).",
            show_default=False,
        ),
    ] = None,
    no_dense: Annotated[
        bool, typer.Option("--no-dense", help="Research fronts from TF-IDF/LSA even where a dense model is set.")
    ] = False,
    workspace: WorkspaceOption = None,
) -> None:
    if ctx.invoked_subcommand is not None:
        return
    from kizashi.know.landscape.service import ScanRequest
    from kizashi.report.scan import run_scan
    from kizashi.settings import get_settings

    if out is None:
        raise InputError(Message("say where to write the tables and reports: --out DIR"), field="--out")
    if lang not in ("ja", "en"):
        raise InputError(Message("--lang {lang!r}: use ja or en", lang=lang), field="--lang")
    configured = get_settings()
    request = ScanRequest(
        year_from=year_from,
        year_to=year_to,
        as_of=_as_of(as_of),
        engine=engine,
        spark_master=spark_master,
        public=public,
        taxonomy_file=taxonomy,
        weights_file=weights,
        fronts=not no_fronts,
        dense_model=None if no_dense else str(dense_model or configured.match_dense_model or "") or None,
        dense_languages=tuple(configured.match_dense_languages),
    ).checked()
    ws, actor = acting(workspace)
    steps = _Steps()
    with steps.progress:
        written = run_scan(
            ws, actor, request, out, lang=lang, raw_csv=OUTPUT.raw_csv, mode=OUTPUT.mode, on_progress=steps
        )
    result = written.result
    tell(
        Message(
            "scan {scan}: {works:,} works, {technologies} technologies, {fronts} fronts ({engine}); label {label}",
            scan=result.scan_id,
            works=result.works,
            technologies=len(result.technologies),
            fronts=len(result.tables["fronts"]),
            engine=result.engine,
            label=result.label,
        )
    )
    top = [row for row in result.tables["critical"]][:5]
    for row in top:
        name = result.technologies.get(row["technology"], (row["technology"],) * 2)
        console.print(f"  {row['rank']:>2}. {name[0 if lang == 'ja' else 1]} ({row['technology']})", highlight=False)
    tell(Message("report: {path}", path=out / "report.html"))


@scan_app.command("weights")
def weights_command() -> None:
    """Print the default indicator weights as a file to edit and pass with --weights."""
    from kizashi.know.landscape.ranking import weights_text

    sys.stdout.write(weights_text())


@scan_app.command("backtest")
def backtest_command(
    as_of: Annotated[str, typer.Option("--as-of", help="The date to predict from (YYYY-MM-DD).")],
    horizon: Annotated[int, typer.Option("--horizon", help="Years of growth to predict.")] = 3,
    engine: Annotated[str, typer.Option("--engine", help="duckdb or spark.")] = "duckdb",
    taxonomy: Annotated[
        Path | None,
        typer.Option("--taxonomy", help="Tag with this taxonomy instead of the workspace's.", show_default=False),
    ] = None,
    fmt: FormatOption = "table",
    out: OutOption = None,
    workspace: WorkspaceOption = None,
) -> None:
    """How well the emergence flags and scores as of a date predicted the growth in the HORIZON years that followed:
    precision and recall of `emerging`, and the rank correlation of the emergence score (and of naive growth, for
    comparison) with the growth that came."""
    from kizashi.know.landscape.backtest_run import BACKTEST_COLUMNS, run_backtest

    moment = _as_of(as_of)
    assert moment is not None
    if horizon < 1:
        raise InputError(Message("--horizon must be at least 1 year"), field="--horizon")
    write = rows_writer(fmt, out, BACKTEST_COLUMNS, width=None)
    ws, actor = acting(workspace)
    found = run_backtest(ws, actor, moment, horizon, engine=engine, taxonomy_file=taxonomy, delivery=delivery(fmt, out))
    write([found])


@technology_app.command("show")
def technology_show(
    technology: Annotated[str, typer.Argument(help="The technology's id in the taxonomy.", show_default=False)],
    limit: Annotated[int, typer.Option("--limit", help="At most this many works, most cited first.")] = 50,
    fmt: FormatOption = "table",
    out: OutOption = None,
    workspace: WorkspaceOption = None,
) -> None:
    """A technology and the works tagged with it that you may read, with the evidence: the phrase found and where
    (title, keywords or abstract), and for a parent the child technology it came through."""
    from kizashi.know.landscape.technology import WORK_COLUMNS, technology_works

    write = rows_writer(fmt, out, WORK_COLUMNS, width=70)
    ws, actor = acting(workspace)
    found = technology_works(ws, actor, technology, limit=limit, delivery=delivery(fmt, out))
    if fmt == "table":
        tell(
            Message(
                "{name_ja} / {name_en} ({technology}): {total:,} works",
                name_ja=found.name_ja,
                name_en=found.name_en,
                technology=found.id,
                total=found.total,
            )
        )
    write(found.works)
