"""The kizashi command line. Commands parse arguments, call the service layer and print; they hold no logic.

Exit codes: 0 success; 1 done, with findings (e.g. rows rejected by --skip-invalid); 2 bad input or usage.
"""

from __future__ import annotations

import dataclasses
import sys
from itertools import chain
from pathlib import Path
from typing import Annotated

import typer
from rich.table import Table
from rich.text import Text

from kizashi import __version__
from kizashi.cli_common import (
    FormatOption,
    OutOption,
    WorkspaceOption,
    console,
    errors,
    progress,
    short,
    show_rows,
)
from kizashi.cli_review import review_app
from kizashi.cli_risk import risk_card_command
from kizashi.cli_screen import screen_app
from kizashi.errors import InputError, KizashiError
from kizashi.export import write_rows
from kizashi.ingest.dispatch import KINDS, ingest
from kizashi.ingest.loader import ImportReport
from kizashi.ingest.tabular import iter_rows, utc_day
from kizashi.protect import audit, clearances
from kizashi.protect.clearances import acting_clearance
from kizashi.settings import current_user, get_settings
from kizashi.store import corpus
from kizashi.store.records import LIST_COLUMNS, counts, iter_records
from kizashi.store.workspace import Workspace

app = typer.Typer(
    name="kizashi",
    help="kizashi (兆し): know, grow and protect science and technology for safety and security.",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    rich_markup_mode="rich",
)
corpus_app = typer.Typer(help="The Parquet corpus of works (for DuckDB and Spark).", no_args_is_help=True)
app.add_typer(corpus_app, name="corpus")
# The audit trail names who read what: in a managed workspace only these roles may read it.
AUDITORS = {"admin", "security_officer"}
audit_app = typer.Typer(help="The tamper-evident audit trail.", no_args_is_help=True)
app.add_typer(audit_app, name="audit")
user_app = typer.Typer(help="Users, clearance grants and training records (admins only).", no_args_is_help=True)
app.add_typer(user_app, name="user")
app.add_typer(screen_app, name="screen")
app.add_typer(review_app, name="review")
app.command("risk-card")(risk_card_command)


def _version(value: bool) -> None:
    if value:
        console.print(f"kizashi {__version__}")
        raise typer.Exit()


@app.callback()
def _root(
    version: Annotated[
        bool, typer.Option("--version", callback=_version, is_eager=True, help="Print the version and exit.")
    ] = False,
) -> None:
    pass


@app.command()
def init(workspace: WorkspaceOption = None) -> None:
    """Create a workspace (a folder with the record store and the corpus), or upgrade an existing one."""
    ws = Workspace.create(workspace)
    console.print(f"workspace ready at [bold]{ws.path}[/] ({ws.backend})")


@app.command("ingest")
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
    ws = Workspace.open(workspace)
    with progress(f"ingest {kind}") as advance:
        report = ingest(ws, kind, files, skip_invalid=skip_invalid, on_progress=advance)
    _print_report(report, fmt)
    if report.rejected:
        raise typer.Exit(1)


@app.command("list")
def list_command(
    kind: Annotated[str, typer.Argument(help=f"One of {', '.join(KINDS)}.", show_default=False)],
    workspace: WorkspaceOption = None,
    fmt: FormatOption = "table",
    out: OutOption = None,
    limit: Annotated[int | None, typer.Option(help="At most this many records.")] = None,
    all_columns: Annotated[bool, typer.Option("--all-columns", help="Every column, not only the main ones.")] = False,
) -> None:
    """List the records of one KIND."""
    ws = Workspace.open(workspace)
    actor = current_user()
    rows = iter_records(ws, kind, acting_clearance(ws, actor), limit if fmt != "table" or limit is not None else 50)
    columns, detail = LIST_COLUMNS[kind], {"kind": kind}
    if fmt != "table":
        # With --all-columns, and in JSON, the columns are the first row's: peek at it and put it back, so the
        # listing keeps streaming.
        first = next(rows, None)
        if first is not None:
            columns = list(first) if all_columns or fmt in ("json", "jsonl") else columns
            rows = chain([first], rows)
        detail["format"] = fmt
    show_rows(ws, actor, rows, columns, fmt, out, command="list", detail=detail, count="records", title=kind)


@app.command()
def status(workspace: WorkspaceOption = None, fmt: FormatOption = "table") -> None:
    """Record counts by kind."""
    ws = Workspace.open(workspace)
    by_kind = counts(ws, acting_clearance(ws, current_user()))
    if fmt == "table":
        _print_counts(by_kind, ws)
    else:
        write_rows([{"kind": k, "count": v} for k, v in by_kind.items()], ["kind", "count"], fmt, None)


@app.command()
def demo(workspace: WorkspaceOption = None) -> None:
    """Build a workspace from the bundled real data (CORDIS security projects, topics, Japanese needs,
    taxonomy, threats), write a report and print a summary."""
    from kizashi.demo import run_demo

    with progress("demo") as advance:
        result = run_demo(workspace, on_progress=advance)
    for report in result.imports:
        console.print(
            f"  {report.kind:<13} {', '.join(Path(f).name for f in report.files)}: "
            f"{report.added} added, {report.updated} updated, {report.unchanged} unchanged"
        )
    _print_counts(result.counts, result.workspace)
    console.print(f"report: [bold]{result.report}[/]")
    for what, path in result.done:
        console.print(f"{what}: [bold]{path}[/]", highlight=False, soft_wrap=True)


@corpus_app.command("sync")
def corpus_sync(workspace: WorkspaceOption = None) -> None:
    """Rebuild Parquet parts that an interrupted import left unwritten."""
    ws = Workspace.open(workspace)
    rebuilt = corpus.sync(ws)
    console.print(f"corpus in sync; rebuilt {len(rebuilt)} part(s)")


@audit_app.command("verify")
def audit_verify(
    workspace: WorkspaceOption = None,
    anchor: Annotated[
        str | None, typer.Option(help="An anchor SEQ:HASH kept earlier: check that event is still in the chain.")
    ] = None,
    file: Annotated[
        Path | None, typer.Option("--file", help="Verify an exported range (JSONL) instead of the store.")
    ] = None,
) -> None:
    """Check the hash chain; exit code 1 naming the first broken event."""
    if file is None:
        clearances.require_role(Workspace.open(workspace), current_user(), AUDITORS)
    if file is not None:
        result = audit.verify_events((row.values for row in iter_rows(file)), start_hash=None)
        where = str(file)
    else:
        result = audit.verify(Workspace.open(workspace), anchor)
        where = "audit trail"
    if result.ok:
        console.print(
            f"{where}: [green]intact[/], {result.events:,} events, head {result.head_seq}:{result.head_hash}",
            soft_wrap=True,
            highlight=False,
        )
        return
    errors.print(
        Text(f"{where}: broken at event {result.broken_seq}: {result.reason}", style="bold red"),
        soft_wrap=True,
    )
    raise typer.Exit(1)


@audit_app.command("export")
def audit_export(
    workspace: WorkspaceOption = None,
    first: Annotated[int | None, typer.Option("--from", help="First event (seq).")] = None,
    last: Annotated[int | None, typer.Option("--to", help="Last event (seq).")] = None,
    out: OutOption = None,
) -> None:
    """Write events with their hashes as JSON lines, so an outside party can re-verify them."""
    ws = Workspace.open(workspace)
    actor = current_user()
    clearances.require_role(ws, actor, AUDITORS)
    columns = ["seq", "at", "actor", "action", "records", "detail", "origin", "prev_hash", "hash"]
    write_rows(audit.iter_events(ws, first, last), columns, "jsonl", out)
    audit.record(ws, actor, "audit_export", detail={"from": first, "to": last, "file": str(out) if out else None})


@audit_app.command("anchor")
def audit_anchor(workspace: WorkspaceOption = None) -> None:
    """Print the head of the chain (SEQ:HASH) to keep outside the system; `audit verify --anchor` checks it later."""
    console.print(audit.anchor(Workspace.open(workspace)), highlight=False, soft_wrap=True)


CompartmentOption = Annotated[
    list[str] | None, typer.Option("--compartment", "-c", help="A need-to-know compartment (repeatable).")
]


@user_app.command("add")
def user_add(
    name: Annotated[str, typer.Argument(help="Login name.", show_default=False)],
    role: Annotated[
        list[str] | None,
        typer.Option("--role", help="Role (repeatable): analyst, programme_manager, security_officer, admin."),
    ] = None,
    level: Annotated[str | None, typer.Option(help="Also grant this level now.")] = None,
    compartment: CompartmentOption = None,
    organisation: Annotated[str | None, typer.Option(help="The user's organisation.")] = None,
    expires: Annotated[str | None, typer.Option(help="Expiry of the grant (YYYY-MM-DD).")] = None,
    password_stdin: Annotated[
        bool, typer.Option("--password-stdin", help="Read a web password from the first line of standard input.")
    ] = False,
    workspace: WorkspaceOption = None,
) -> None:
    """Add a user (the first user of a workspace must be an admin), optionally with a first clearance grant."""
    ws = Workspace.open(workspace)
    actor = current_user()
    password = _password_from_stdin() if password_stdin else None
    if password is not None:
        clearances.require_strong(password)  # before the user exists: a refused password adds no one
    clearances.add_user(ws, actor, name, roles=role or ["analyst"], organisation=organisation)
    if password is not None:
        clearances.set_password(ws, actor, name, password)
    if level is not None:
        clearances.grant(
            ws,
            actor if actor != name or role is None else name,
            name,
            level,
            compartments=compartment or [],
            expires_at=utc_day(expires, "expires"),
        )
    console.print(f"user [bold]{name}[/] added")


@user_app.command("password")
def user_password(name: Annotated[str, typer.Argument(show_default=False)], workspace: WorkspaceOption = None) -> None:
    """Set a user's web password from the first line of standard input (admins, or the user themself)."""
    clearances.set_password(Workspace.open(workspace), current_user(), name, _password_from_stdin())
    console.print(f"password set for [bold]{name}[/]")


def _password_from_stdin() -> str:
    line = sys.stdin.readline()
    if not line:
        raise InputError("no password on standard input", field="password")
    return line.rstrip("\r\n")


@user_app.command("grant")
def user_grant(
    name: Annotated[str, typer.Argument(show_default=False)],
    level: Annotated[str, typer.Option(help="PUBLIC, INTERNAL, CONFIDENTIAL or SECRET.")],
    compartment: CompartmentOption = None,
    expires: Annotated[str | None, typer.Option(help="Expiry (YYYY-MM-DD).")] = None,
    reason: Annotated[str, typer.Option(help="Why (kept in the audit trail).")] = "",
    workspace: WorkspaceOption = None,
) -> None:
    """Grant a clearance (a level and compartments), audited."""
    grant_id = clearances.grant(
        Workspace.open(workspace),
        current_user(),
        name,
        level,
        compartments=compartment or [],
        expires_at=utc_day(expires, "expires"),
        reason=reason,
    )
    console.print(f"grant {grant_id} for [bold]{name}[/]")


@user_app.command("revoke")
def user_revoke(
    name: Annotated[str, typer.Argument(show_default=False)],
    grant_id: Annotated[int | None, typer.Option("--grant", help="One grant; default: every grant.")] = None,
    reason: Annotated[str, typer.Option(help="Why (kept in the audit trail).")] = "",
    workspace: WorkspaceOption = None,
) -> None:
    """Revoke a grant (or all of a user's grants), audited."""
    revoked = clearances.revoke(Workspace.open(workspace), current_user(), name, grant_id, reason=reason)
    console.print(f"revoked grant(s) {', '.join(map(str, revoked))} of [bold]{name}[/]")


@user_app.command("renew")
def user_renew(
    name: Annotated[str, typer.Argument(show_default=False)],
    grant_id: Annotated[int, typer.Option("--grant", help="The grant to renew (see `user show`).")],
    expires: Annotated[str | None, typer.Option(help="New expiry (YYYY-MM-DD); none: no expiry.")] = None,
    reason: Annotated[str, typer.Option(help="Why (kept in the audit trail).")] = "",
    workspace: WorkspaceOption = None,
) -> None:
    """Renew a grant: the same level and compartments with a new expiry (the old grant is closed), audited."""
    new = clearances.renew(
        Workspace.open(workspace), current_user(), name, grant_id, utc_day(expires, "expires"), reason=reason
    )
    console.print(f"grant {grant_id} of [bold]{name}[/] renewed as grant {new}")


@user_app.command("training")
def user_training(
    name: Annotated[str, typer.Argument(show_default=False)],
    course: Annotated[str, typer.Argument(help="e.g. security-basics, secret-handling.", show_default=False)],
    completed: Annotated[str, typer.Option(help="Completion date (YYYY-MM-DD).")],
    expires: Annotated[str | None, typer.Option(help="Expiry (YYYY-MM-DD).")] = None,
    workspace: WorkspaceOption = None,
) -> None:
    """Record a completed training course, a prerequisite of CONFIDENTIAL and SECRET."""
    done = utc_day(completed, "completed")
    assert done is not None
    clearances.record_training(
        Workspace.open(workspace), current_user(), name, course, done, utc_day(expires, "expires")
    )
    console.print(f"training '{course}' recorded for [bold]{name}[/]")


@user_app.command("show")
def user_show(name: Annotated[str, typer.Argument(show_default=False)], workspace: WorkspaceOption = None) -> None:
    """The clearance a user holds today, and why."""
    ws = Workspace.open(workspace)
    with ws.session() as session:
        held = clearances.standing(session, name)
    c = held.clearance
    console.print(
        f"[bold]{name}[/]: {c.level}, compartments: {', '.join(sorted(c.compartments)) or '—'}, "
        f"roles: {', '.join(sorted(c.roles)) or '—'}, grants counted: {held.grants or '—'}",
        highlight=False,
    )
    for note in held.notes:
        console.print(f"  {note}", highlight=False)


@app.command()
def match(
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
    from kizashi.know.match import (
        JSONL_COLUMNS,
        TABLE_COLUMNS,
        configured_settings,
        progress_steps,
        proposal_rows,
        read_statements,
        run_match,
        workspace_statements,
    )

    if fmt not in ("jsonl", "csv", "xlsx", "html"):
        raise InputError(f"unknown format '{fmt}'; use jsonl, csv, xlsx or html", field="format")
    if fmt == "html" and out is None:
        raise InputError("--format html needs --out FILE", field="out")
    if bool(needs) != bool(seeds):
        raise InputError("give both --needs and --seeds, or neither (to match the workspace's)", field="needs")
    if save and needs:
        raise InputError("--save stores a run of the workspace's needs and seeds: leave out --needs and --seeds")
    settings = configured_settings()
    if dense_model is not None:
        settings = dataclasses.replace(settings, dense_model=str(dense_model))
    ws = None
    if needs and seeds:
        need_list, seed_list = read_statements("needs", needs), read_statements("seeds", seeds)
    else:
        ws = Workspace.open(workspace)
        clearance = acting_clearance(ws, current_user())
        need_list, seed_list = (
            workspace_statements(ws, "needs", clearance),
            workspace_statements(ws, "seeds", clearance),
        )
        if not need_list or not seed_list:
            raise InputError("the workspace has no needs or no seeds that you may read")
    steps = progress_steps(need_list, seed_list, settings)
    unit = "needs" if steps == len(need_list) else "seeds encoded + needs"
    with progress("matching", steps, unit) as advance:
        results = run_match(
            need_list,
            seed_list,
            top=top,
            per_seed=per_seed if assign_mode else None,
            cross_domain=cross_domain,
            on_progress=advance,
            settings=settings,
        )
    rows = proposal_rows(need_list, seed_list, results)
    if fmt == "html":
        from kizashi.report.match_report import render_match

        assert out is not None
        html = render_match(
            need_list, rows, seed_count=len(seed_list), top=top, per_seed=per_seed if assign_mode else None
        )
        out.write_text(html, encoding="utf-8")
    else:
        write_rows(rows, JSONL_COLUMNS if fmt == "jsonl" else TABLE_COLUMNS, fmt, out)
    if ws is not None:
        audit.record(
            ws,
            current_user(),
            "export" if out else "read",
            records=sorted({row["need_id"] for row in rows} | {row["seed_id"] for row in rows}),
            detail={
                "command": "match",
                "needs": len(need_list),
                "seeds": len(seed_list),
                "proposals": len(rows),
                "file": str(out) if out else None,
            },
        )
        if save:
            from kizashi.know.match_runs import save_run

            run_id = save_run(
                ws,
                current_user(),
                need_list,
                seed_list,
                results,
                top=top,
                per_seed=per_seed if assign_mode else None,
                cross_domain=cross_domain,
                settings=settings,
            )
            # On stderr: the proposals may be going to stdout.
            errors.print(f"match run {run_id}: {len(rows)} proposals saved", highlight=False)


@app.command("match-runs")
def match_runs(fmt: FormatOption = "table", out: OutOption = None, workspace: WorkspaceOption = None) -> None:
    """The stored match runs (kizashi match --save) with a proposal you may read, newest first; the counts are of
    the proposals, needs and seeds you may read."""
    from kizashi.know.match_runs import runs

    ws = Workspace.open(workspace)
    actor = current_user()
    rows = runs(ws, actor)
    columns = ["id", "created_at", "user", "needs", "seeds", "proposals", "settings"]
    show_rows(ws, actor, rows, columns, fmt, out, command="match-runs", detail={"runs": [row["id"] for row in rows]})


@app.command()
def judge(
    need_id: Annotated[str, typer.Argument(help="The need.", show_default=False)],
    seed_id: Annotated[str, typer.Argument(help="The proposed seed.", show_default=False)],
    decision: Annotated[str, typer.Argument(help="accept, reject or later.", show_default=False)],
    comment: Annotated[str, typer.Option(help="Why (kept with the decision and in the audit trail).")] = "",
    workspace: WorkspaceOption = None,
) -> None:
    """Record a workshop decision on a proposed match (append-only: a later decision supersedes, never erases)."""
    from kizashi.know.judgements import judge as record_judgement

    number = record_judgement(Workspace.open(workspace), current_user(), need_id, seed_id, decision, comment=comment)
    console.print(f"judgement {number}: {decision} {need_id} → {seed_id}", highlight=False)


@app.command()
def judgements(
    evaluate_matcher: Annotated[
        bool,
        typer.Option("--evaluate", help="Score today's matcher against the accepted and rejected pairs (MRR, recall)."),
    ] = False,
    tune: Annotated[
        bool,
        typer.Option(
            "--tune",
            help="Search the fusion weights that rank the accepted seeds best and print them as settings to use.",
        ),
    ] = False,
    top: Annotated[int, typer.Option(help="With --evaluate or --tune: the ranking depth.", min=1, max=1000)] = 10,
    fmt: FormatOption = "table",
    out: OutOption = None,
    workspace: WorkspaceOption = None,
) -> None:
    """The latest workshop decision on every pair you may read; with --evaluate, how the matcher ranks them; with
    --tune, the fusion weights that would rank them best."""
    from kizashi.know.judgements import evaluate, readable_judgements
    from kizashi.know.judgements import tune as tune_weights

    ws = Workspace.open(workspace)
    actor = current_user()
    if tune:
        import orjson

        with progress("tuning", None, "settings tried"):
            found = tune_weights(ws, actor, top)
        for name in ("current", "best"):
            result = found[name]
            console.print(
                f"{name}: MRR {result['mrr']}, recall@{top} {result['recall']}, rejected in the top "
                f"{result['rejected_in_top']} — weights {result['weights']}, bigram weight {result['bigram_weight']}",
                highlight=False,
            )
        best = found["best"]
        console.print(
            f"to use them: export KIZASHI_MATCH_WEIGHTS='{orjson.dumps(best['weights']).decode()}' "
            f"KIZASHI_MATCH_BIGRAM_WEIGHT={best['bigram_weight']}  "
            f"({found['tried']} settings tried on {best['needs']} needs)",
            highlight=False,
            soft_wrap=True,
        )
        audit.record(ws, actor, "read", detail={"command": "judgements --tune", **found})
        return
    if evaluate_matcher:
        result = evaluate(ws, actor, top)
        console.print(
            f"needs with an accepted seed: {result['needs']}, MRR {result['mrr']}, recall@{top} {result['recall']}, "
            f"rejected seeds still in the top {top}: {result['rejected_in_top']} ({result['judgements']} judgements)",
            highlight=False,
        )
        audit.record(ws, actor, "read", detail={"command": "judgements --evaluate", **result})
        return
    rows = readable_judgements(ws, actor)
    columns = ["need_id", "seed_id", "decision", "comment", "user", "at", "level"]
    show_rows(
        ws,
        actor,
        rows,
        columns,
        fmt,
        out,
        command="judgements",
        detail={"rows": len(rows)},
        records=sorted({row["need_id"] for row in rows} | {row["seed_id"] for row in rows}),
        width=40,
    )


@app.command()
def experts(
    need_id: Annotated[str | None, typer.Argument(help="A need of the workspace.", show_default=False)] = None,
    text: Annotated[str | None, typer.Option(help="Or a need or technology in words (Japanese or English).")] = None,
    top: Annotated[int, typer.Option(help="How many organisations and people.", min=1, max=1000)] = 10,
    fmt: FormatOption = "table",
    out: OutOption = None,
    workspace: WorkspaceOption = None,
) -> None:
    """Who has done the work a need asks for (目利き): organisations and people ranked by their matching records."""
    from kizashi.know.experts import find_experts, need_statement

    ws = Workspace.open(workspace)
    actor = current_user()
    clearance = acting_clearance(ws, actor)
    rows = find_experts(ws, clearance, need_statement(ws, clearance, need_id, text), top=top)
    shown = rows
    if fmt == "table":  # the evidence as titles, each cut on its own, and the label's level
        shown = [
            {
                "#": str(row["rank"]),
                "name": row["name"],
                "kind": row["kind"],
                "score": f"{row['score']:.4f}",
                "records": "; ".join(short(r["title"], 40) for r in row["records"]),
                "label": row["label"]["level"],
            }
            for row in rows
        ]
    show_rows(
        ws,
        actor,
        shown,
        ["rank", "name", "kind", "score", "record_count", "records", "label"],
        fmt,
        out,
        command="experts",
        detail={"need": need_id, "experts": len(rows)},
        records=sorted({r["id"] for row in rows for r in row["records"]}),
        table_columns=["#", "name", "kind", "score", "records", "label"],
        width=None,
    )


@app.command()
def serve(
    host: Annotated[str, typer.Option(help="Address to listen on; beyond loopback means server mode.")] = "127.0.0.1",
    port: Annotated[int, typer.Option(help="Port to listen on.", min=1, max=65535)] = 8000,
    server: Annotated[
        bool,
        typer.Option("--server", help="Server mode on any address: a strong KIZASHI_SECRET_KEY and Secure cookies."),
    ] = False,
    forwarded_allow_ips: Annotated[
        str,
        typer.Option(
            help="Proxies whose X-Forwarded-For names the client (comma list, or *): login limits count per client, "
            "not per proxy."
        ),
    ] = "127.0.0.1",
    workspace: WorkspaceOption = None,
) -> None:
    """Start the web app and the JSON API (log in with a password set by `user add --password-stdin`)."""
    import uvicorn

    from kizashi.web.app import create_app
    from kizashi.web.security import is_loopback, server_secret

    server_mode = server or not is_loopback(host)
    secret = server_secret(get_settings().secret_key, server_mode=server_mode)
    ws = Workspace.open(workspace)
    app_ = create_app(ws, secret=secret, secure_cookies=server_mode)
    console.print(f"kizashi on http://{host}:{port}/ ({'server' if server_mode else 'local'} mode; Ctrl+C stops)")
    uvicorn.run(
        app_,
        host=host,
        port=port,
        log_level="warning",
        server_header=False,
        proxy_headers=True,
        forwarded_allow_ips=forwarded_allow_ips,
    )


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
    console.print(
        f"{report.kind}: [green]{report.added} added[/], [cyan]{report.updated} updated[/], "
        f"{report.unchanged} unchanged, [red]{len(report.rejected)} rejected[/] (import {report.import_id})"
    )
    for rejected in report.rejected[:50]:
        console.print(f"  rejected {rejected.location}: {rejected.reason}")
    if len(report.rejected) > 50:
        console.print(f"  … and {len(report.rejected) - 50} more (use --format json for all)")


def _print_counts(by_kind: dict[str, int], ws: Workspace) -> None:
    console.print(f"workspace: [bold]{ws.path}[/] ({ws.backend})")
    table = Table("kind", "records")
    for kind, count in by_kind.items():
        table.add_row(kind, f"{count:,}")
    console.print(table)


def run(args: list[str] | None = None) -> int:
    """Run the CLI on `args` and return its exit code (tests call this; `main` exits with it)."""
    try:
        app(args, prog_name="kizashi")
    except SystemExit as done:
        return done.code if isinstance(done.code, int) else (0 if done.code is None else 1)
    except KizashiError as error:
        errors.print(Text("error: ", style="bold red") + Text(error.detail), highlight=False, soft_wrap=True)
        return error.exit_code
    except KeyboardInterrupt:
        errors.print("interrupted; the unfinished step wrote nothing")
        return 130
    return 0


def main() -> None:
    sys.exit(run())
