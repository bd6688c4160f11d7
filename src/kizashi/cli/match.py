"""`kizashi match` and `kizashi match-runs`: needs to seeds, from files or the workspace, and the stored runs.

`match` is cut in three: `_request` parses and checks the options, the service matches (know.matching for the
workspace, as the pages and the API do; know.match.run_match for files, with no workspace), `_write` prints.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from pathlib import Path
from typing import Annotated, Any

import typer

from kizashi.cli.acting import acting
from kizashi.cli.common import (
    OUTPUT,
    FormatOption,
    OutOption,
    WideOption,
    WorkspaceOption,
    delivery,
    progress,
    rows_writer,
    tell,
    warn_titles_only,
    write_file,
)
from kizashi.errors import InputError
from kizashi.files.export import created
from kizashi.messages import Message
from kizashi.retrieval import MatchSettings, Statement

FORMATS = ("jsonl", "csv", "xlsx", "html")


@dataclass(frozen=True)
class _Request:
    fmt: str
    out: Path | None
    top: int
    per_seed: int | None
    cross_domain: bool
    save: bool
    settings: MatchSettings


def _request(
    needs: list[Path] | None,
    seeds: list[Path] | None,
    fmt: str,
    out: Path | None,
    top: int,
    assign_mode: bool,
    per_seed: int,
    cross_domain: bool,
    save: bool,
    dense_model: Path | None,
) -> _Request:
    from kizashi.retrieval import configured_settings

    if fmt not in FORMATS:
        raise InputError(
            Message("unknown format '{format}'; use {choices}", format=fmt, choices=", ".join(FORMATS)), field="format"
        )
    if fmt == "html" and out is None:
        raise InputError(Message("--format html needs --out FILE"), field="out")
    if bool(needs) != bool(seeds):
        raise InputError(Message("give both --needs and --seeds, or neither (to match the workspace's)"), field="needs")
    if save and needs:
        raise InputError(
            Message("--save stores a run of the workspace's needs and seeds: leave out --needs and --seeds")
        )
    settings = configured_settings()
    if dense_model is not None:
        settings = dataclasses.replace(settings, dense_model=str(dense_model))
    return _Request(fmt, out, top, per_seed if assign_mode else None, cross_domain, save, settings)


def _write(request: _Request, needs: list[Statement], seeds: list[Statement], rows: list[dict[str, Any]]) -> None:
    from kizashi.know.match import JSONL_COLUMNS, TABLE_COLUMNS

    if request.fmt == "html":
        from kizashi.report.match_report import render_match

        assert request.out is not None
        html = render_match(needs, rows, seed_count=len(seeds), top=request.top, per_seed=request.per_seed)
        created(request.out, OUTPUT.mode).write_text(html, encoding="utf-8")
    else:
        write_file(rows, JSONL_COLUMNS if request.fmt == "jsonl" else TABLE_COLUMNS, request.fmt, request.out)


def match_command(
    needs: Annotated[
        list[Path] | None,
        typer.Option(
            "--needs", help="Needs: CSV, XLSX, JSONL (repeatable). Without: the workspace's.", show_default=False
        ),
    ] = None,
    seeds: Annotated[
        list[Path] | None,
        typer.Option(
            "--seeds", help="Seeds: CSV, XLSX, JSONL (repeatable). Without: the workspace's.", show_default=False
        ),
    ] = None,
    top: Annotated[int, typer.Option(help="Seeds proposed per need.", min=1, max=1000)] = 10,
    fmt: Annotated[
        str, typer.Option("--format", "-f", help="jsonl, csv, xlsx or html (a workshop handout).")
    ] = "jsonl",
    out: OutOption = None,
    assign_mode: Annotated[
        bool,
        typer.Option(
            "--assign",
            help="Workshop mode: keep the proposals that give each need at least one seed and each seed at most "
            "--per-seed needs with the highest total score (an exact assignment, not a greedy pass).",
        ),
    ] = False,
    per_seed: Annotated[int, typer.Option(help="With --assign: needs one seed may serve.", min=1)] = 1,
    cross_domain: Annotated[
        bool,
        typer.Option(
            "--cross-domain",
            help="Only seeds from other taxonomy areas than the need's own (fields it would not search).",
        ),
    ] = False,
    save: Annotated[
        bool,
        typer.Option(
            "--save",
            help="Workspace mode: store the proposals as a match run (each labelled like its need and seed) for "
            "the workshop pages; prints the run's id.",
        ),
    ] = False,
    dense_model: Annotated[
        Path | None,
        typer.Option(
            "--dense-model",
            help="Folder of a local sentence-transformers or model2vec model: adds the dense channel for this run "
            "(overrides KIZASHI_MATCH_DENSE_MODEL; never downloads).",
            show_default=False,
        ),
    ] = None,
    workspace: WorkspaceOption = None,
) -> None:
    """Propose, for every need, the seeds that could meet it, with evidence (Japanese and English in any mix).

    With --needs and --seeds it reads files and needs no workspace; without them it matches the workspace's needs and
    seeds that you may read, and every row carries the higher label of its need and seed.
    """
    request = _request(needs, seeds, fmt, out, top, assign_mode, per_seed, cross_domain, save, dense_model)
    if needs and seeds:
        from kizashi.know.match import progress_steps, proposal_rows, read_statements, run_match

        need_list, seed_list = read_statements("needs", needs), read_statements("seeds", seeds)
        warn_titles_only("needs", needs, need_list)
        warn_titles_only("seeds", seeds, seed_list)
        steps = progress_steps(need_list, seed_list, request.settings)
        with progress("matching", steps, "needs" if steps == len(need_list) else "seeds encoded + needs") as advance:
            results = run_match(
                need_list,
                seed_list,
                top=request.top,
                per_seed=request.per_seed,
                cross_domain=request.cross_domain,
                on_progress=advance,
                settings=request.settings,
            )
        _write(request, need_list, seed_list, proposal_rows(need_list, seed_list, results))
        return
    from kizashi.know.matching import match_steps, match_workspace

    ws, actor = acting(workspace)
    with progress("matching", match_steps(ws, actor, request.settings), "steps") as advance:
        found = match_workspace(
            ws,
            actor,
            top=request.top,
            per_seed=request.per_seed,
            cross_domain=request.cross_domain,
            settings=request.settings,
            save=request.save,
            delivery=delivery(request.fmt, request.out),
            on_progress=advance,
        )
    _write(request, found.needs, found.seeds, found.rows)
    if found.run is not None:
        # On stderr: the proposals may be going to stdout.
        tell(Message("match run {run}: {count} proposals saved", run=found.run, count=len(found.rows)), stderr=True)


def match_runs_command(
    fmt: FormatOption = "table", out: OutOption = None, wide: WideOption = False, workspace: WorkspaceOption = None
) -> None:
    """The stored match runs (kizashi match --save) with a proposal you may read, newest first; the counts are of
    the proposals, needs and seeds you may read."""
    from kizashi.know.match_runs import runs

    write = rows_writer(fmt, out, ["id", "created_at", "user", "needs", "seeds", "proposals", "settings"], wide=wide)
    ws, actor = acting(workspace)
    write(runs(ws, actor, delivery=delivery(fmt, out)))
