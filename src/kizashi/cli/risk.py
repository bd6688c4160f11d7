"""`kizashi risk-card`: a project's risk card in the terminal, or as an HTML, PDF, Excel or JSON file."""

from __future__ import annotations

import sys
from typing import TYPE_CHECKING, Annotated

import typer
from rich.table import Table

from kizashi.cli.acting import acting
from kizashi.cli.common import OUTPUT, OutOption, WorkspaceOption, console, delivery, tell
from kizashi.errors import InputError
from kizashi.files.export import created
from kizashi.messages import Message

if TYPE_CHECKING:
    from kizashi.protect.risk_card import RiskCard

SUFFIXES = {".html": "html", ".htm": "html", ".pdf": "pdf", ".xlsx": "xlsx", ".json": "json"}


def risk_card_command(
    project: Annotated[str, typer.Argument(help="The project: a seed or a work of the workspace.", show_default=False)],
    kind: Annotated[
        str | None, typer.Option("--kind", help="seeds or works; needed only when an id is both.", show_default=False)
    ] = None,
    fmt: Annotated[
        str | None,
        typer.Option(
            "--format",
            "-f",
            help="html, pdf, xlsx or json. Default: from the --out file's suffix; without --out, a summary.",
            show_default=False,
        ),
    ] = None,
    out: OutOption = None,
    no_suggest: Annotated[
        bool,
        typer.Option("--no-suggest", help="Do not propose control-list items while the technology is undecided."),
    ] = False,
    check: Annotated[bool, typer.Option("--check", help="Exit with code 1 unless the risk level is low.")] = False,
    workspace: WorkspaceOption = None,
) -> None:
    """A project's risk card: technology sensitivity, partner screening, release route, deemed-export answers and who
    may read the files, with an overall risk level (low, medium, high, blocked) and what is missing. Shows what you
    may read; audited (read, or export with --out)."""
    from kizashi.protect.risk_card import risk_card
    from kizashi.report.risk_card import FORMATS, render

    if fmt is None and out is not None:
        fmt = SUFFIXES.get(out.suffix.lower())
        if fmt is None:
            raise InputError(
                Message(
                    "say the format of '{file}' with --format ({choices})", file=out.name, choices=", ".join(FORMATS)
                ),
                field="format",
            )
    if fmt is not None and fmt not in FORMATS:
        raise InputError(
            Message("unknown format '{format}'; use one of {choices}", format=fmt, choices=", ".join(FORMATS)),
            field="format",
        )
    if fmt in ("pdf", "xlsx") and out is None:
        raise InputError(Message("--format {format} needs --out FILE", format=fmt), field="out")
    ws, actor = acting(workspace)
    card = risk_card(ws, actor, project, kind, suggest=not no_suggest, delivery=delivery(fmt or "summary", out))
    if fmt is None:
        _summary(card)
    else:
        data = render(card, fmt)
        if out is None:
            sys.stdout.write(data.decode("utf-8"))
        else:
            created(out, OUTPUT.mode).write_bytes(data)
            tell(
                Message(
                    "risk card of {project} ({level}) written to {path}",
                    project=card.project_id,
                    level=card.level,
                    path=out,
                )
            )
    if check and card.level != "low":
        raise typer.Exit(1)


def _summary(card: RiskCard) -> None:
    from kizashi.report.risk_card import SECTION_NAMES, STATE_NAMES, text

    label = " // ".join([card.label.level, *sorted(card.label.compartments)])
    console.print(f"[bold]{card.title}[/] ({card.project_id}, {card.kind}) · {label}", highlight=False)
    console.print(f"risk level: [bold]{card.level}[/]", highlight=False)
    for reason in card.reasons:
        console.print(f"  {reason.level}: {reason.why}", highlight=False)
    table = Table("section", "state", "findings", "summary")
    for name, section in card.sections.items():
        summary = "; ".join(f"{key}: {text(value)}" for key, value in list(section.facts.items())[:4])
        table.add_row(SECTION_NAMES[name][1], STATE_NAMES[section.state][1], ", ".join(section.findings), summary)
    console.print(table)
    for step in card.missing:
        console.print(f"☐ {step.en}\n    {step.command}", highlight=False, soft_wrap=True)
