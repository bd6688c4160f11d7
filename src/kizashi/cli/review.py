"""`kizashi review`: release review of works and seeds, and the deemed-export questionnaire."""

from __future__ import annotations

from typing import Annotated

import typer

from kizashi.cli.acting import acting
from kizashi.cli.common import FormatOption, OutOption, WideOption, WorkspaceOption, delivery, rows_writer, tell, warn
from kizashi.errors import InputError
from kizashi.files.tabular import utc_day
from kizashi.messages import Message, environment_language
from kizashi.protect import deemed_export, release
from kizashi.protect.risk_steps import unblock

review_app = typer.Typer(
    help="Release review (publication, presentation) of works and seeds, and the deemed-export questionnaire.",
    no_args_is_help=True,
)

KindOption = Annotated[
    str | None,
    typer.Option("--kind", help="works or seeds; needed only when an id is both.", show_default=False),
]
CommentOption = Annotated[str, typer.Option(help="Why (kept with the step and in the audit trail).")]
QUEUE_COLUMNS = ["review", "kind", "record_id", "title", "state", "funding", "required", "waiting", "actions", "level"]
STEP_COLUMNS = ["review", "seq", "at", "user", "role", "action", "from", "to", "comment"]
STATUS_COLUMNS = ["person", "answered", "categories", "licence_check", "answered_by", "answered_on", "evidence"]


@review_app.command("submit")
def submit(
    record: Annotated[str, typer.Argument(help="The work or seed to release.", show_default=False)],
    funding: Annotated[str, typer.Option(help=f"Funding category: {', '.join(release.FUNDING)}.", show_default=False)],
    publication_clause: Annotated[
        bool, typer.Option("--publication-clause", help="The funding contract has a publication clause.")
    ] = False,
    listed: Annotated[
        bool,
        typer.Option("--listed", help="Its technology is on a control list (routes to the security officer)."),
    ] = False,
    kind: KindOption = None,
    comment: CommentOption = "",
    workspace: WorkspaceOption = None,
) -> None:
    """Submit a record for release review; the funding and its sensitivity decide which roles must approve."""
    ws, actor = acting(workspace)
    step = release.submit(
        ws,
        actor,
        record,
        funding=funding,
        publication_clause=publication_clause,
        declared_listed=listed,
        kind=kind,
        comment=comment,
    )
    roles = ", ".join(sorted(step.route.roles)) if step.route else "—"
    tell(
        Message(
            "{record}: {start} → {end}; to approve: {roles}",
            record=record,
            start=step.from_state,
            end=step.to_state,
            roles=roles,
        )
    )
    lang = environment_language()
    for item in getattr(step, "stuck", ()):
        # Told at once: as the workspace stands nobody can approve in this role (release.eligible).
        way = unblock(kind or "", record, item)
        warn(way.ja if lang == "ja" else way.en)
        tell(f"  {way.command}")


@review_app.command("move")
def move(
    record: Annotated[str, typer.Argument(help="The work or seed under review.", show_default=False)],
    state: Annotated[
        str,
        typer.Argument(
            help="under_review, approved, approved_with_changes, withheld, or draft (back to the author).",
            show_default=False,
        ),
    ],
    role: Annotated[
        str | None, typer.Option(help="The role you act in, when you hold several.", show_default=False)
    ] = None,
    kind: KindOption = None,
    comment: CommentOption = "",
    workspace: WorkspaceOption = None,
) -> None:
    """Move a record's open review to STATE, acting in one of your roles the review requires."""
    ws, actor = acting(workspace)
    step = release.move(ws, actor, record, state, kind=kind, role=role, comment=comment)
    moved = dict(record=record, start=step.from_state, end=step.to_state, role=step.role)
    if step.to_state != "under_review" or step.action == "start":
        tell(Message("{record}: {start} → {end} as {role}", **moved))
    else:
        tell(Message("{record}: {start} → {end} as {role} (approval noted; others pending)", **moved))


@review_app.command("queue")
def queue(
    fmt: FormatOption = "table", out: OutOption = None, wide: WideOption = False, workspace: WorkspaceOption = None
) -> None:
    """The open reviews awaiting you: those your roles may act on, and your own returned to draft."""
    write = rows_writer(fmt, out, QUEUE_COLUMNS, title="release review queue", width=50, wide=wide)
    ws, actor = acting(workspace)
    write(release.queue(ws, actor, delivery=delivery(fmt, out)))


@review_app.command("show")
def show(
    record: Annotated[str, typer.Argument(help="The work or seed.", show_default=False)],
    kind: KindOption = None,
    fmt: FormatOption = "table",
    out: OutOption = None,
    wide: WideOption = False,
    workspace: WorkspaceOption = None,
) -> None:
    """A record's release reviews: each step, who took it, when, in which role and why."""
    ws, actor = acting(workspace)
    rows_writer(fmt, out, STEP_COLUMNS)  # a bad --format or --out is refused before the record is read
    found = release.history(ws, actor, record, kind=kind, delivery=delivery(fmt, out))
    reviews = found.reviews
    steps = [{"review": r["review"], **step} for r in reviews for step in r["steps"]]
    if fmt == "table":
        for r in reviews:
            clause = Message(" (publication clause)") if r["publication_clause"] else ""
            tell(
                Message(
                    "review {review}: {state} · {funding}{clause} · to approve: {required} · waiting: {waiting}",
                    review=r["review"],
                    state=r["state"],
                    funding=r["funding"] or "—",
                    clause=clause,
                    required=", ".join(r["required"]) or "—",
                    waiting=", ".join(r["waiting"]) or "—",
                )
            )
        if not reviews:
            tell(Message("{record}: never submitted for release review", record=record))
    table_columns = STEP_COLUMNS[1:] if len(reviews) == 1 else STEP_COLUMNS
    rows_writer(fmt, out, STEP_COLUMNS, table_columns=table_columns, width=50, wide=wide)(steps)


@review_app.command("deemed-export")
def deemed_export_answer(
    project: Annotated[str, typer.Argument(help="The project (a work or seed).", show_default=False)],
    person: Annotated[str, typer.Argument(help="Who the answer is about.", show_default=False)],
    non_resident: Annotated[bool, typer.Option("--non-resident", help="A non-resident (非居住者).")] = False,
    foreign_contract: Annotated[
        bool,
        typer.Option(
            "--foreign-contract", help="Under a contract with a foreign government or entity controlling them."
        ),
    ] = False,
    foreign_income: Annotated[
        bool, typer.Option("--foreign-income", help="25 % or more of annual income from a foreign government.")
    ] = False,
    foreign_instructions: Annotated[
        bool, typer.Option("--foreign-instructions", help="Acting on a foreign government's instructions in Japan.")
    ] = False,
    none: Annotated[bool, typer.Option("--none", help="None of the categories applies.")] = False,
    note: Annotated[str, typer.Option(help="Evidence: what the answer rests on (a signed pledge, ...).")] = "",
    answered_by: Annotated[
        str | None, typer.Option(help="Who gave the answer (default: you).", show_default=False)
    ] = None,
    on: Annotated[str | None, typer.Option("--date", help="When it was answered (YYYY-MM-DD; default: today).")] = None,
    kind: KindOption = None,
    workspace: WorkspaceOption = None,
) -> None:
    """Record a person's deemed-export answer on a project (the 2022 specific categories, 特定類型)."""
    flags = {
        "non_resident": non_resident,
        "foreign_contract": foreign_contract,
        "foreign_income": foreign_income,
        "foreign_instructions": foreign_instructions,
    }
    chosen = [name for name, given in flags.items() if given]
    if none == bool(chosen):
        raise InputError(
            Message(
                "give either --none or the categories that apply (--non-resident, --foreign-contract, "
                "--foreign-income, --foreign-instructions)"
            ),
            field="categories",
        )
    day = utc_day(on, "date")
    ws, actor = acting(workspace)
    number = deemed_export.answer(
        ws,
        actor,
        project,
        person,
        chosen,
        kind=kind,
        answered_by=answered_by,
        answered_on=day.date() if day else None,
        evidence=note,
    )
    summary = ", ".join(chosen) if chosen else Message("none of the categories")
    tell(
        Message(
            "answer {number}: {person} on {project}: {summary}",
            number=number,
            person=person,
            project=project,
            summary=summary,
        )
    )


@review_app.command("deemed-export-status")
def deemed_export_status(
    project: Annotated[str, typer.Argument(help="The project (a work or seed).", show_default=False)],
    person: Annotated[
        list[str] | None,
        typer.Option("--person", help="Someone on the project (repeatable); the work's authors count too."),
    ] = None,
    check: Annotated[
        bool, typer.Option("--check", help="Exit with code 1 when anyone has not answered or needs a licence check.")
    ] = False,
    kind: KindOption = None,
    fmt: FormatOption = "table",
    out: OutOption = None,
    wide: WideOption = False,
    workspace: WorkspaceOption = None,
) -> None:
    """Who on a project has answered the deemed-export questionnaire, who has not, and who needs a licence check."""
    write = rows_writer(fmt, out, STATUS_COLUMNS, width=50, wide=wide)
    ws, actor = acting(workspace)
    result = deemed_export.status(ws, actor, project, kind=kind, people=person or [], delivery=delivery(fmt, out))
    if fmt == "table":
        tell(Message("deemed export · {project} · {level}", project=result["project"], level=result["label"].level))
    write(result["people"])
    if fmt == "table":
        tell(
            Message(
                "answered {answered}, not answered {unanswered}, licence check {licence_check}",
                answered=len(result["answered"]),
                unanswered=len(result["unanswered"]),
                licence_check=len(result["licence_check"]),
            )
        )
    if check and (result["unanswered"] or result["licence_check"]):
        raise typer.Exit(1)
