"""`kizashi goal`, `project`, `gate`, `trl` and `barrier`: programmes against threats (docs/programmes.md)."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Annotated, Any

import typer

from kizashi.cli.acting import acting
from kizashi.cli.common import (
    FormatOption,
    OutOption,
    WideOption,
    WorkspaceOption,
    delivery,
    in_language,
    rows_writer,
    tell,
    write_file,
)
from kizashi.errors import InputError
from kizashi.files.export import FORMATS
from kizashi.grow import barriers, gates, goals
from kizashi.grow.goals import WORDS
from kizashi.messages import Message

goal_app = typer.Typer(help="Goals set against threats, with their Heilmeier proposals.", no_args_is_help=True)
project_app = typer.Typer(help="Projects under goals.", no_args_is_help=True)
gate_app = typer.Typer(help="Stage-gate decisions on projects (go, kill, hold, recycle).", no_args_is_help=True)
trl_app = typer.Typer(help="TRL assessments of projects and technologies, with their history.", no_args_is_help=True)
barrier_app = typer.Typer(help="The barriers register: what keeps a technology from being used.", no_args_is_help=True)

# Headings of the tables and the lines of `show`, in the reader's language (files keep the column names).
HEADS: dict[str, Message] = {
    "id": Message("id"),
    "title_ja": Message("title (Japanese)"),
    "title_en": Message("title (English)"),
    "title": Message("title"),
    "threats": Message("threats"),
    "capability": Message("capability"),
    "target_date": Message("target date"),
    "target": Message("target for use in society"),
    "proposals": Message("proposals"),
    "projects": Message("projects"),
    "label": Message("label"),
    "goal_id": Message("goal"),
    "manager": Message("programme manager"),
    "status": Message("status"),
    "budget": Message("budget per year"),
    "gate": Message("gate"),
    "decision": Message("decision"),
    "achieved": Message("target achieved"),
    "outlook": Message("outlook for the final target"),
    "must_meet": Message("must-meet criteria"),
    "should_meet": Message("should-meet criteria"),
    "reviewers": Message("reviewers"),
    "reason": Message("reasons"),
    "user": Message("user"),
    "at": Message("at"),
    "trl": Message("TRL"),
    "evidence": Message("evidence"),
    "assessor": Message("assessor"),
    "kind": Message("kind"),
    "owner": Message("owner"),
    "blocks": Message("blocks roadmap items"),
    "action": Message("removing action"),
    "removed_by": Message("removed by"),
    "removed_at": Message("removed at"),
    "what": Message("what are you trying to do"),
    "today": Message("how is it done today"),
    "new": Message("what is new in your approach"),
    "who_cares": Message("who cares"),
    "risks": Message("risks"),
    "cost": Message("cost"),
    "time": Message("time"),
    "midterm_exam": Message("mid-term exam"),
    "final_exam": Message("final exam"),
}
ENUM_COLUMNS = ("decision", "achieved", "outlook", "status", "kind")
GOAL_COLUMNS = ["id", "title_ja", "title_en", "threats", "target_date", "proposals", "projects", "label"]
PROPOSAL_COLUMNS = ["id", "title", *goals.HEILMEIER, "label"]
PROJECT_COLUMNS = ["id", "goal_id", "title", "manager", "status", "budget", "label"]
GATE_COLUMNS = [
    "id",
    "gate",
    "decision",
    "achieved",
    "outlook",
    "must_meet",
    "should_meet",
    "reviewers",
    "reason",
    "user",
    "at",
    "label",
]
TRL_COLUMNS = ["id", "trl", "evidence", "assessor", "user", "at", "label"]

LabelOption = Annotated[
    str | None,
    typer.Option(
        "--label", help="Level: PUBLIC, INTERNAL, CONFIDENTIAL or SECRET (default: INTERNAL, or yours if lower)."
    ),
]
CompartmentOption = Annotated[
    list[str] | None, typer.Option("--compartment", help="A compartment (need-to-know group); repeat for more.")
]
IdOption = Annotated[str | None, typer.Option("--id", help="Its id (default: one is made).", show_default=False)]


def _worded(value: Any, column: str) -> Any:
    """An enum value or a criteria list as the reader reads it."""
    if column in ENUM_COLUMNS and isinstance(value, str) and value in WORDS:
        return in_language(WORDS[value])
    if column in ("must_meet", "should_meet") and isinstance(value, list):
        met, unmet = in_language(Message("met")), in_language(Message("not met"))
        return [f"{c['criterion']} ({met if c['met'] else unmet})" for c in value]
    if column == "budget" and isinstance(value, dict):
        return [f"{year}: {amount:g}" for year, amount in value.items()]
    return value


def _rows_for(fmt: str, rows: Iterable[dict[str, Any]]) -> Iterable[dict[str, Any]]:
    """Rows as `fmt` shows them: people's formats (table, CSV, Excel) say enum values in words; JSON keeps codes."""
    if fmt not in ("table", "csv", "xlsx"):
        return rows
    return ({key: _worded(value, key) for key, value in row.items()} for row in rows)


def _write(
    fmt: str, out: Path | None, columns: Sequence[str], rows: Iterable[dict[str, Any]], *, wide: bool = False
) -> None:
    """Rows to the terminal (headings in the reader's language) or a file (column names kept)."""
    rows = _rows_for(fmt, rows)
    if fmt == "table":
        heads = [in_language(HEADS[c]) if c in HEADS else c for c in columns]
        translated = ({head: row.get(column) for head, column in zip(heads, columns, strict=True)} for row in rows)
        rows_writer(fmt, out, heads, width=50, wide=wide)(translated)
    else:
        rows_writer(fmt, out, columns)(rows)


def _show(record: dict[str, Any], columns: Sequence[str]) -> None:
    """One record as `heading: value` lines."""
    for column in columns:
        value = _worded(record.get(column), column)
        if isinstance(value, list):
            value = "; ".join(map(str, value))
        tell(f"{in_language(HEADS[column]) if column in HEADS else column}: {'' if value is None else value}")


def _values(**given: Any) -> dict[str, Any]:
    """The options given, as a service's values (those not given left out)."""
    return {key: value for key, value in given.items() if value not in (None, [], "")}


# ── goals ──────────────────────────────────────────────────────────────────────────────────────────────────────


@goal_app.command("add")
def goal_add(
    file: Annotated[
        Path | None,
        typer.Option(
            "--file",
            help="A YAML file of goals (each with `proposals`), or an XLSX workbook with sheets `goals` and "
            "`proposals` (column `goal`); all are stored or, on any fault, none.",
            show_default=False,
        ),
    ] = None,
    goal_id: IdOption = None,
    title_ja: Annotated[str | None, typer.Option("--title-ja", help="Title in Japanese.")] = None,
    title_en: Annotated[str | None, typer.Option("--title-en", help="Title in English.")] = None,
    threat: Annotated[list[str] | None, typer.Option("--threat", help="A threat id from the register; repeat.")] = None,
    capability: Annotated[str | None, typer.Option(help="The capability needed.")] = None,
    target_date: Annotated[str | None, typer.Option("--target-date", help="By when (YYYY-MM-DD).")] = None,
    target: Annotated[str | None, typer.Option(help="The measurable target for use in society.")] = None,
    label: LabelOption = None,
    compartment: CompartmentOption = None,
    workspace: WorkspaceOption = None,
) -> None:
    """Add a goal from options, or goals with their proposals from --file."""
    given = _values(
        id=goal_id,
        title_ja=title_ja,
        title_en=title_en,
        threats=threat,
        capability=capability,
        target_date=target_date,
        target=target,
        label=label,
        compartments=compartment,
    )
    if file is not None and given:
        raise InputError(Message("give either --file or the goal's options, not both"), field="file")
    ws, actor = acting(workspace)
    if file is not None:
        added = goals.load_goals(ws, actor, file)
        tell(
            Message(
                "{count:,} goal(s) added from {path}: {ids}", count=len(added), path=str(file), ids=", ".join(added)
            )
        )
    else:
        tell(Message("goal {id} added", id=goals.add_goal(ws, actor, given)))


@goal_app.command("propose")
def goal_propose(
    goal: Annotated[str, typer.Argument(help="The goal.", show_default=False)],
    title: Annotated[str, typer.Option(help="The proposal's title.", show_default=False)],
    what: Annotated[str, typer.Option(help="What are you trying to do? (no jargon)", show_default=False)],
    today: Annotated[str, typer.Option(help="How is it done today, and its limits?", show_default=False)],
    new: Annotated[str, typer.Option(help="What is new in your approach; why will it succeed?", show_default=False)],
    who_cares: Annotated[
        str, typer.Option("--who-cares", help="Who cares? What difference does success make?", show_default=False)
    ],
    risks: Annotated[str, typer.Option(help="What are the risks?", show_default=False)],
    cost: Annotated[str, typer.Option(help="How much will it cost?", show_default=False)],
    time: Annotated[str, typer.Option(help="How long will it take?", show_default=False)],
    midterm_exam: Annotated[str, typer.Option("--midterm-exam", help="The mid-term check.", show_default=False)],
    final_exam: Annotated[str, typer.Option("--final-exam", help="The final check of success.", show_default=False)],
    proposal_id: IdOption = None,
    label: LabelOption = None,
    compartment: CompartmentOption = None,
    workspace: WorkspaceOption = None,
) -> None:
    """Add a proposal under a goal, answering the Heilmeier questions."""
    values = _values(
        id=proposal_id,
        title=title,
        what=what,
        today=today,
        new=new,
        who_cares=who_cares,
        risks=risks,
        cost=cost,
        time=time,
        midterm_exam=midterm_exam,
        final_exam=final_exam,
        label=label,
        compartments=compartment,
    )
    ws, actor = acting(workspace)
    tell(Message("proposal {id} added", id=goals.add_proposal(ws, actor, goal, values)))


@goal_app.command("list")
def goal_list(
    fmt: FormatOption = "table", out: OutOption = None, wide: WideOption = False, workspace: WorkspaceOption = None
) -> None:
    """The goals you may read, with how many proposals and projects under each."""
    rows_writer(fmt, out, GOAL_COLUMNS)  # a bad --format or --out is refused before anything is read
    ws, actor = acting(workspace)
    _write(fmt, out, GOAL_COLUMNS, goals.list_goals(ws, actor, delivery=delivery(fmt, out)), wide=wide)


@goal_app.command("show")
def goal_show(
    goal: Annotated[str, typer.Argument(help="The goal.", show_default=False)],
    fmt: Annotated[str, typer.Option("--format", "-f", help="table or json.")] = "table",
    workspace: WorkspaceOption = None,
) -> None:
    """A goal with its proposals and projects."""
    _table_or_json(fmt)
    ws, actor = acting(workspace)
    found = goals.show_goal(ws, actor, goal, delivery=delivery(fmt, None))
    if fmt == "json":
        write_file([found], ["goal", "proposals", "projects", "label"], "json", None)
        return
    _show(found["goal"], ["id", "title_ja", "title_en", "threats", "capability", "target_date", "target", "label"])
    for proposal in found["proposals"]:
        tell("")
        _show(proposal, PROPOSAL_COLUMNS)
    if found["projects"]:
        tell("")
        _write("table", None, PROJECT_COLUMNS, found["projects"])


def _table_or_json(fmt: str) -> None:
    if fmt not in ("table", "json"):
        raise InputError(Message("unknown format '{format}'; use one of {choices}", format=fmt, choices="table, json"))


# ── projects ───────────────────────────────────────────────────────────────────────────────────────────────────


def _budget(given: Sequence[str]) -> dict[str, str]:
    found = {}
    for item in given:
        year, sep, amount = item.partition("=")
        if not sep:
            raise InputError(Message("--budget is YEAR=AMOUNT, not '{value}'", value=item), field="budget")
        found[year.strip()] = amount.strip()
    return found


@project_app.command("add")
def project_add(
    goal: Annotated[str, typer.Argument(help="The goal it serves.", show_default=False)],
    title: Annotated[str, typer.Option(help="The project's title.", show_default=False)],
    manager: Annotated[str, typer.Option(help="Its programme manager.", show_default=False)],
    project_id: IdOption = None,
    status: Annotated[str, typer.Option(help=f"One of {', '.join(goals.PROJECT_STATUSES)}.")] = "active",
    budget: Annotated[
        list[str] | None, typer.Option("--budget", help="Budget of a year as YEAR=AMOUNT; repeat for more.")
    ] = None,
    label: LabelOption = None,
    compartment: CompartmentOption = None,
    workspace: WorkspaceOption = None,
) -> None:
    """Add a project under a goal."""
    values = _values(
        id=project_id,
        title=title,
        manager=manager,
        status=status,
        budget=_budget(budget or []),
        label=label,
        compartments=compartment,
    )
    ws, actor = acting(workspace)
    tell(Message("project {id} added", id=goals.add_project(ws, actor, goal, values)))


@project_app.command("list")
def project_list(
    goal: Annotated[str | None, typer.Option(help="Only the projects under this goal.", show_default=False)] = None,
    fmt: FormatOption = "table",
    out: OutOption = None,
    wide: WideOption = False,
    workspace: WorkspaceOption = None,
) -> None:
    """The projects you may read."""
    rows_writer(fmt, out, PROJECT_COLUMNS)
    ws, actor = acting(workspace)
    _write(
        fmt, out, PROJECT_COLUMNS, goals.list_projects(ws, actor, goal_id=goal, delivery=delivery(fmt, out)), wide=wide
    )


@project_app.command("show")
def project_show(
    project: Annotated[str, typer.Argument(help="The project.", show_default=False)],
    fmt: Annotated[str, typer.Option("--format", "-f", help="table or json.")] = "table",
    workspace: WorkspaceOption = None,
) -> None:
    """A project with its gate decisions and TRL assessments."""
    _table_or_json(fmt)
    ws, actor = acting(workspace)
    found = gates.show_project(ws, actor, project, delivery=delivery(fmt, None))
    if fmt == "json":
        write_file([found], ["project", "gates", "trl", "latest_trl", "label"], "json", None)
        return
    _show(found["project"], PROJECT_COLUMNS)
    if found["gates"]:
        tell("")
        _write("table", None, ["gate", "decision", "achieved", "outlook", "reviewers", "reason", "at"], found["gates"])
    if found["trl"]:
        tell("")
        _write("table", None, TRL_COLUMNS[1:], found["trl"])


# ── gates ──────────────────────────────────────────────────────────────────────────────────────────────────────

Criteria = Annotated[list[str] | None, typer.Option(show_default=False)]


@gate_app.command("decide")
def gate_decide(
    project: Annotated[str, typer.Argument(help="The project.", show_default=False)],
    decision: Annotated[str, typer.Option(help=f"One of {', '.join(gates.DECISIONS)}.", show_default=False)],
    achieved: Annotated[str, typer.Option(help='Rating a, b or c: "target achieved".', show_default=False)],
    outlook: Annotated[str, typer.Option(help='Rating a, b or c: "outlook for the final target".', show_default=False)],
    reason: Annotated[
        str, typer.Option(help="Why (kept with the decision and in the audit trail).", show_default=False)
    ],
    reviewer: Annotated[list[str], typer.Option(help="A reviewer; repeat for more.", show_default=False)],
    gate: Annotated[str, typer.Option(help="The gate's name (default: gate N).")] = "",
    must_met: Annotated[list[str] | None, typer.Option("--must-met", help="A must-meet criterion met; repeat.")] = None,
    must_unmet: Annotated[
        list[str] | None, typer.Option("--must-unmet", help="A must-meet criterion not met; repeat.")
    ] = None,
    should_met: Annotated[
        list[str] | None, typer.Option("--should-met", help="A should-meet criterion met; repeat.")
    ] = None,
    should_unmet: Annotated[
        list[str] | None, typer.Option("--should-unmet", help="A should-meet criterion not met; repeat.")
    ] = None,
    workspace: WorkspaceOption = None,
) -> None:
    """Record a gate decision: go needs every must-meet criterion met and neither rating c."""
    ws, actor = acting(workspace)
    number = gates.decide(
        ws,
        actor,
        project,
        decision,
        achieved=achieved,
        outlook=outlook,
        reason=reason,
        reviewers=reviewer,
        must_meet=[(c, True) for c in must_met or []] + [(c, False) for c in must_unmet or []],
        should_meet=[(c, True) for c in should_met or []] + [(c, False) for c in should_unmet or []],
        gate=gate,
    )
    tell(
        Message(
            "gate decision {number} on {project}: {decision}",
            number=number,
            project=project,
            decision=WORDS[decision],
        )
    )


@gate_app.command("history")
def gate_history(
    project: Annotated[str, typer.Argument(help="The project.", show_default=False)],
    fmt: FormatOption = "table",
    out: OutOption = None,
    wide: WideOption = False,
    workspace: WorkspaceOption = None,
) -> None:
    """A project's gate decisions, oldest first."""
    rows_writer(fmt, out, GATE_COLUMNS)
    ws, actor = acting(workspace)
    _write(fmt, out, GATE_COLUMNS, gates.gate_history(ws, actor, project, delivery=delivery(fmt, out)), wide=wide)


# ── TRL ────────────────────────────────────────────────────────────────────────────────────────────────────────

ProjectOption = Annotated[str | None, typer.Option("--project", help="A project.", show_default=False)]
TechnologyOption = Annotated[
    str | None, typer.Option("--technology", help="A technology of the taxonomy.", show_default=False)
]


def _subject(project: str | None, technology: str | None) -> tuple[str, str]:
    if (project is None) == (technology is None):
        raise InputError(Message("give either --project or --technology"), field="project")
    return ("project", project) if project is not None else ("technology", technology or "")


@trl_app.command("assess")
def trl_assess(
    trl: Annotated[int, typer.Option("--trl", help="The TRL, 1 to 9.", show_default=False)],
    evidence: Annotated[str, typer.Option(help="What the assessment rests on.", show_default=False)],
    project: ProjectOption = None,
    technology: TechnologyOption = None,
    assessor: Annotated[str | None, typer.Option(help="Who assessed it (default: you).", show_default=False)] = None,
    workspace: WorkspaceOption = None,
) -> None:
    """Record a TRL assessment of a project or a technology."""
    kind, subject = _subject(project, technology)
    ws, actor = acting(workspace)
    number = gates.assess(ws, actor, kind, subject, trl, evidence=evidence, assessor=assessor)
    tell(Message("TRL assessment {number}: {subject} at TRL {trl}", number=number, subject=subject, trl=trl))


@trl_app.command("history")
def trl_history(
    project: ProjectOption = None,
    technology: TechnologyOption = None,
    fmt: FormatOption = "table",
    out: OutOption = None,
    wide: WideOption = False,
    workspace: WorkspaceOption = None,
) -> None:
    """The TRL assessments of a project or a technology, oldest first."""
    kind, subject = _subject(project, technology)
    rows_writer(fmt, out, TRL_COLUMNS)
    ws, actor = acting(workspace)
    _write(fmt, out, TRL_COLUMNS, gates.trl_history(ws, actor, kind, subject, delivery=delivery(fmt, out)), wide=wide)


# ── barriers ───────────────────────────────────────────────────────────────────────────────────────────────────

StatusOption = Annotated[str | None, typer.Option(help="open or removed.", show_default=False)]
KindOption = Annotated[str | None, typer.Option(help=f"One of {', '.join(barriers.KINDS)}.", show_default=False)]


@barrier_app.command("add")
def barrier_add(
    title: Annotated[str, typer.Option(help="What the barrier is.", show_default=False)],
    kind: Annotated[str, typer.Option(help=f"One of {', '.join(barriers.KINDS)}.", show_default=False)],
    owner: Annotated[str, typer.Option(help="Who is to remove it.", show_default=False)],
    blocks: Annotated[
        list[str] | None,
        typer.Option("--blocks", help="A roadmap item it blocks (T1, or ROADMAP/T1); repeat for more."),
    ] = None,
    action: Annotated[str, typer.Option(help="The action planned to remove it.")] = "",
    barrier_id: IdOption = None,
    label: LabelOption = None,
    compartment: CompartmentOption = None,
    workspace: WorkspaceOption = None,
) -> None:
    """Add an open barrier to the register."""
    values = _values(
        id=barrier_id,
        title=title,
        kind=kind,
        owner=owner,
        blocks=blocks,
        action=action,
        label=label,
        compartments=compartment,
    )
    ws, actor = acting(workspace)
    tell(Message("barrier {id} added", id=barriers.add_barrier(ws, actor, values)))


@barrier_app.command("remove")
def barrier_remove(
    barrier: Annotated[str, typer.Argument(help="The barrier.", show_default=False)],
    action: Annotated[str, typer.Option(help="The action that removed it.", show_default=False)],
    workspace: WorkspaceOption = None,
) -> None:
    """Mark a barrier removed, naming the action that removed it."""
    ws, actor = acting(workspace)
    barriers.remove_barrier(ws, actor, barrier, action)
    tell(Message("barrier {id} removed", id=barrier))


@barrier_app.command("list")
def barrier_list(
    status: StatusOption = None,
    kind: KindOption = None,
    fmt: FormatOption = "table",
    out: OutOption = None,
    wide: WideOption = False,
    workspace: WorkspaceOption = None,
) -> None:
    """The barriers you may read."""
    rows_writer(fmt, out, barriers.COLUMNS)
    ws, actor = acting(workspace)
    found = barriers.list_barriers(ws, actor, status=status, kind=kind, delivery=delivery(fmt, out))
    _write(fmt, out, barriers.COLUMNS, found, wide=wide)


@barrier_app.command("export")
def barrier_export(
    out: Annotated[Path, typer.Option("--out", "-o", help="The file to write.", show_default=False)],
    fmt: Annotated[str, typer.Option("--format", "-f", help="csv or xlsx.")] = "xlsx",
    status: StatusOption = None,
    kind: KindOption = None,
    workspace: WorkspaceOption = None,
) -> None:
    """Export the barriers you may read to a CSV or XLSX file."""
    if fmt not in ("csv", "xlsx") or fmt not in FORMATS:
        raise InputError(Message("unknown format '{format}'; use one of {choices}", format=fmt, choices="csv, xlsx"))
    ws, actor = acting(workspace)
    found = barriers.list_barriers(ws, actor, status=status, kind=kind, delivery=delivery(fmt, out))
    _write(fmt, out, barriers.COLUMNS, found)
    tell(Message("{count:,} barrier(s) written to {path}", count=len(found), path=str(out)))
