"""`kizashi screen`: partners against end-user and sanctions lists, technologies against export-control lists."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from kizashi.cli.acting import acting
from kizashi.cli.common import (
    FormatOption,
    OutOption,
    WideOption,
    WorkspaceOption,
    delivery,
    file_format,
    print_table,
    progress,
    rows_writer,
    tell,
    warn_titles_only,
    write_file,
)
from kizashi.errors import InputError
from kizashi.messages import Message

screen_app = typer.Typer(
    help="Research-security screening: partners against lists, technologies against export-control lists.",
    no_args_is_help=True,
)


# ── partners against end-user and sanctions lists ─────────────────────────────────────────────────────────────


@screen_app.command("parties")
def screen_parties(
    names: Annotated[
        Path,
        typer.Option("--names", help="Names to screen: CSV, XLSX or JSONL with id, name (optional country, type)."),
    ],
    lists: Annotated[
        list[Path] | None,
        typer.Option(
            "--list",
            help="A screening list (repeatable): UN consolidated XML, an OFAC legacy CSV folder (sdn/alt/add or "
            "cons_prim/alt/add), OpenSanctions FollowTheMoney JSON lines, METI parsed_entities.json, or the generic "
            "CSV id,name,aliases,type,country,list,program (aliases separated by ;). Without --list: the newest "
            "version of each list loaded in the workspace (kizashi screen load).",
            show_default=False,
        ),
    ] = None,
    threshold: Annotated[
        float | None,
        typer.Option(
            help="Lowest score that is an alert, 0-1. Default 0.60: under 1 % false alerts on real organisation "
            "names (benchmarks/screening.py); lower finds more aliases and raises more alerts to check.",
            min=0.0,
            max=1.0,
            show_default=False,
        ),
    ] = None,
    top: Annotated[int, typer.Option(help="Matches kept per name, best first.", min=1, max=100)] = 5,
    fmt: Annotated[str, typer.Option("--format", "-f", help="jsonl, csv or xlsx.")] = "jsonl",
    out: OutOption = None,
    workspace: WorkspaceOption = None,
) -> None:
    """Screen partners (companies, universities, people) against end-user and sanctions lists, in Japanese and
    English: legal forms, width, case, kana/kanji readings, Cyrillic and Chinese are normalised; every match explains
    which words matched how and names the list version (source, date, SHA-256). With --list it needs no workspace;
    without, it screens against the workspace's lists, each match with the list version's id and the latest
    officer's decision on it that you may read (kizashi screen decide), and the run is audited.

    Exit code 1 when any name has an alert (a match at or above the threshold; in a workspace, one not decided a
    false positive), 0 when none has, 2 for bad input.
    """
    from kizashi.protect.screening import DEFAULT_THRESHOLD, read_lists, screen_names
    from kizashi.protect.screening.screen import JSONL_COLUMNS, TABLE_COLUMNS, read_parties, table_rows

    if fmt not in ("jsonl", "csv", "xlsx"):
        raise InputError(Message("unknown format '{format}'; use jsonl, csv or xlsx", format=fmt), field="format")
    if not lists:
        _screen_in_workspace(names, threshold, top, fmt, out, workspace)
        return
    parties = read_parties(names)
    screening_lists = read_lists(lists)
    with progress("screening", len(parties), "names") as advance:
        rows = screen_names(
            parties, screening_lists, DEFAULT_THRESHOLD if threshold is None else threshold, top, on_progress=advance
        )
    if fmt == "jsonl":
        write_file(rows, JSONL_COLUMNS, fmt, out)
    else:
        write_file(table_rows(rows), TABLE_COLUMNS, fmt, out)
    if any(row["matches"] for row in rows):
        raise typer.Exit(1)


def _screen_in_workspace(
    names: Path, threshold: float | None, top: int, fmt: str, out: Path | None, workspace: Path | None
) -> None:
    from kizashi.protect.screening.screen import JSONL_COLUMNS, read_parties
    from kizashi.protect.screening.store import WORKSPACE_TABLE_COLUMNS, decision_table_rows, screen

    parties = read_parties(names)
    ws, actor = acting(workspace)
    with progress("screening", len(parties), "names") as advance:
        result = screen(
            ws,
            actor,
            parties,
            threshold=threshold,
            top=top,
            on_progress=advance,
            delivery=delivery(fmt, out),
            require_lists=True,
        )
    if fmt == "jsonl":
        write_file(result.rows, JSONL_COLUMNS, fmt, out)
    else:
        write_file(decision_table_rows(result.rows), WORKSPACE_TABLE_COLUMNS, fmt, out)
    if result.alerts:
        raise typer.Exit(1)


@screen_app.command("load")
def screen_load(
    path: Annotated[
        Path,
        typer.Argument(
            help="The list: UN consolidated XML, an OFAC legacy CSV folder, FollowTheMoney JSON lines, Japan's "
            "export-ban designations as METI's parsed_entities.json, or the generic CSV.",
            show_default=False,
        ),
    ],
    name: Annotated[
        str | None, typer.Option(help="The list's name in the workspace (default: the name the file gives).")
    ] = None,
    date: Annotated[
        str | None,
        typer.Option(
            help="The list's publication date (YYYY-MM-DD), for a file that states none (METI's, OFAC's legacy CSV); "
            "a date the file states wins."
        ),
    ] = None,
    workspace: WorkspaceOption = None,
) -> None:
    """Load a screening list into the workspace as the newest version of that list, in one transaction (a file that
    does not read leaves the workspace as it was). Earlier versions are kept; screening uses the newest. For admins
    and security officers; audited."""
    from kizashi.protect.screening.store import load_list

    ws, actor = acting(workspace)
    result = load_list(ws, actor, path, name=name, date=date)
    version = result.version
    if result.unchanged:
        what = Message("unchanged, already the newest version")
    else:
        what = Message("{count:,} entries", count=version["entries"])
    tell(
        Message(
            "{title} version {version} ({source}, {date}, sha256 {sha256}…): {what}",
            title=version["title_en"],
            version=version["id"],
            source=version["source"],
            date=version["date"] or Message("no date stated"),
            sha256=version["sha256"][:12],
            what=what,
        )
    )


@screen_app.command("lists")
def screen_lists(
    fmt: FormatOption = "table",
    out: OutOption = None,
    wide: WideOption = False,
    workspace: WorkspaceOption = None,
) -> None:
    """The screening lists loaded in the workspace, every version, the newest of each marked (screening uses it)."""

    from kizashi.protect.screening.store import list_versions

    file_format(fmt, out)
    ws, actor = acting(workspace)
    rows = list_versions(ws, actor)
    columns = ["id", "list", "title_en", "title_ja", "source", "date", "sha256", "file", "entries", "loaded_by",
               "loaded_at", "latest"]  # fmt: skip
    if fmt == "table":
        shown = ["id", "title_en", "source", "date", "sha256", "entries", "loaded_at", "latest"]
        if wide:  # every column, the whole digest
            print_table(rows, columns, wide=True)
        else:
            print_table([{**row, "sha256": row["sha256"][:12]} for row in rows], shown, width=40)
    else:
        write_file(rows, columns, fmt, out)


@screen_app.command("decide")
def screen_decide(
    name: Annotated[str, typer.Argument(help="The screened name, as it was given.", show_default=False)],
    entry_list: Annotated[
        str, typer.Argument(help="The matched entry's list, as results show it.", show_default=False)
    ],
    entry_id: Annotated[str, typer.Argument(help="The matched entry's id.", show_default=False)],
    decision: Annotated[str, typer.Option(help="true-match, false-positive or escalate.", show_default=False)],
    reason: Annotated[str, typer.Option(help="Why (kept with the decision and in the audit trail).")],
    workspace: WorkspaceOption = None,
) -> None:
    """Record your decision on an alert: this name against this list entry (admins and security officers;
    append-only and audited: a later decision supersedes, never erases). Later screenings of the same name show it."""
    from kizashi.protect.screening.store import decide

    ws, actor = acting(workspace)
    number = decide(ws, actor, name, entry_list, entry_id, decision, reason=reason)
    tell(
        Message(
            "decision {number}: {name} × {list} {entry}: {decision}",
            number=number,
            name=name,
            list=entry_list,
            entry=entry_id,
            decision=decision,
        )
    )


# ── technology against export-control lists (該非判定 support) ──────────────────────────────────────────────


@screen_app.command("technology")
def screen_technology(
    items: Annotated[
        list[Path],
        typer.Option("--items", help="Technologies: CSV, XLSX, JSONL with id, title, description (repeatable)."),
    ],
    controls: Annotated[
        list[str],
        typer.Option(
            "--controls",
            help="A control list: a bundled name (jp-etco-1, us-ccl-3-5, all) or a CSV/JSON file with list, code, "
            "title, text, parent (repeatable).",
        ),
    ],
    top: Annotated[int, typer.Option(help="Candidate items per technology.", min=1, max=100)] = 5,
    fmt: Annotated[str, typer.Option("--format", "-f", help="jsonl, csv or xlsx.")] = "jsonl",
    out: OutOption = None,
) -> None:
    """Propose, for every technology, the control-list items it may fall under, with evidence (matching terms in
    Japanese and English, shared concepts, parameters against thresholds). Each has a score, the probability that it
    is right, and a level: check (specific evidence and a score of at least KIZASHI_CONTROLS_THRESHOLD) or ask. It
    proposes; a person decides (kizashi screen classify). Needs no workspace."""
    from kizashi.know.match import read_statements
    from kizashi.protect.controls.classify import (
        JSONL_COLUMNS,
        TABLE_COLUMNS,
        Classifier,
        classify_all,
        result_rows,
        table_rows,
    )
    from kizashi.protect.controls.lists import load_controls

    if fmt not in ("jsonl", "csv", "xlsx"):
        raise InputError(Message("unknown format '{format}'; use jsonl, csv or xlsx", format=fmt), field="format")
    technologies = read_statements("seeds", items)
    warn_titles_only("technologies", items, technologies)
    classifier = Classifier(load_controls(controls))
    with progress("classifying", len(technologies), "technologies") as advance:
        results = classify_all(classifier, technologies, top, on_progress=advance)
    if fmt == "jsonl":
        write_file(result_rows(technologies, results), JSONL_COLUMNS, fmt, out)
    else:
        write_file(table_rows(technologies, results), TABLE_COLUMNS, fmt, out)


@screen_app.command("classify")
def screen_classify(
    item_id: Annotated[str, typer.Argument(help="A seed, work or technology of the workspace.", show_default=False)],
    decision: Annotated[
        str,
        typer.Option(help="listed, not-listed, exempt-published or exempt-basic-research.", show_default=False),
    ],
    reason: Annotated[str, typer.Option(help="Why (kept with the decision and in the audit trail).")],
    code: Annotated[str | None, typer.Option(help="The control item's code, e.g. 9(7) or 5A002.a.1.")] = None,
    control_list: Annotated[
        str | None, typer.Option("--list", help="The list of the code, e.g. jp-etco-1 or us-ccl-3-5.")
    ] = None,
    kind: Annotated[
        str | None, typer.Option(help="seeds, works or technologies, when the id is in more than one.")
    ] = None,
    workspace: WorkspaceOption = None,
) -> None:
    """Record your decision on whether a record is on a control list (append-only and audited: a later decision
    supersedes, never erases)."""
    from kizashi.protect.controls.decisions import decide

    ws, actor = acting(workspace)
    number = decide(
        ws,
        actor,
        item_id,
        decision,
        reason=reason,
        control_list=control_list,
        code=code,
        kind=kind,
    )
    where = f" {control_list} {code}" if code else ""
    tell(
        Message(
            "decision {number}: {item} {decision}{where}", number=number, item=item_id, decision=decision, where=where
        )
    )


@screen_app.command("classifications")
def screen_classifications(
    item_id: Annotated[str | None, typer.Argument(help="Only this record.", show_default=False)] = None,
    fmt: FormatOption = "table",
    out: OutOption = None,
    wide: WideOption = False,
    workspace: WorkspaceOption = None,
) -> None:
    """The latest control-list decision on every record you may read (or on one), with how many came before."""

    from kizashi.protect.controls.decisions import latest_decisions

    columns = ["item_kind", "item_id", "decision", "control_list", "code", "reason", "user", "at", "history", "level"]
    write = rows_writer(fmt, out, columns, width=40, wide=wide)
    ws, actor = acting(workspace)
    write(latest_decisions(ws, actor, item_id, delivery=delivery(fmt, out)))
