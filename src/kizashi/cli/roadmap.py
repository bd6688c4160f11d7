"""`kizashi roadmap`: the roadmap file format's JSON Schema, a file's validation, its critical path and its drawing
(docs/roadmap.md). Files only: nothing is read from or written to a workspace, so no actor is needed.

Exit codes: 0 valid (warnings printed), 2 a file that cannot be read or a roadmap with errors (the findings printed).
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer

from kizashi.cli.common import OUTPUT, OutOption, WorkspaceOption, console, errors, in_language, print_table, tell, warn
from kizashi.errors import InputError, KizashiError
from kizashi.messages import Message, environment_language

if TYPE_CHECKING:
    from kizashi.grow.roadmap_checks import Finding
    from kizashi.grow.roadmap_model import Roadmap

roadmap_app = typer.Typer(
    help="Layered technology roadmaps (YAML or XLSX): schema, validation, critical path, drawing.",
    no_args_is_help=True,
)

FileArgument = Annotated[
    Path, typer.Argument(help="A roadmap: .yaml, .yml or .xlsx (sheets roadmap and items).", show_default=False)
]
RENDER_SUFFIXES = {".svg": "svg", ".html": "html", ".htm": "html", ".pdf": "pdf", ".png": "png"}


@roadmap_app.command("schema")
def schema_command() -> None:
    """Print the JSON Schema of the roadmap format."""
    from kizashi.grow.roadmap_model import schema

    sys.stdout.write(json.dumps(schema(), ensure_ascii=False, indent=2) + "\n")


@roadmap_app.command("validate")
def validate_command(
    file: FileArgument,
    fmt: Annotated[str, typer.Option("--format", "-f", help="text or json.")] = "text",
    workspace: WorkspaceOption = None,
) -> None:
    """Check a roadmap; exit 2 on errors, 0 when valid (warnings printed).

    Finds dependency cycles (every item on them named), items starting before a dependency ends, TRL going down,
    unknown dependencies, barriers without owner or kind (docs/roadmap.md); with a workspace, warns about items that
    an open barrier of its register blocks."""
    from kizashi.grow.roadmap_checks import errors_in, validate

    _choose(fmt, ("text", "json"))
    roadmap = _read(file)
    findings = validate(roadmap) + _blocked(roadmap, workspace)
    if fmt == "json":
        report = {"valid": not errors_in(findings), "findings": [finding.as_dict() for finding in findings]}
        sys.stdout.write(json.dumps(report, ensure_ascii=False, indent=2) + "\n")
    else:
        _print_findings(findings, stderr=False)
        if not errors_in(findings):
            tell(
                Message(
                    "{file}: roadmap {id} is valid ({count} items, {warnings} warnings)",
                    file=str(file),
                    id=roadmap.id,
                    count=len(roadmap.items),
                    warnings=len(findings),
                )
            )
    if errors_in(findings):
        raise typer.Exit(2)


@roadmap_app.command("critical-path")
def critical_path_command(
    file: FileArgument,
    fmt: Annotated[str, typer.Option("--format", "-f", help="table or json.")] = "table",
) -> None:
    """The critical path and each item's slack, in months.

    The longest chain of finish-to-start dependencies by duration in whole months (start to end inclusive), and each
    item's slack against it. Exit 2 with the findings when the roadmap has errors."""
    from kizashi.grow.critical_path import critical_path
    from kizashi.grow.roadmap_render import column_headings, table_rows

    _choose(fmt, ("table", "json"))
    roadmap = _valid(file)
    path = critical_path(roadmap)
    if fmt == "json":
        sys.stdout.write(json.dumps(path.as_dict(), ensure_ascii=False, indent=2) + "\n")
        return
    lang = environment_language()
    tell(
        Message(
            "critical path: {path} ({months} months)",
            path=" → ".join(path.path),
            months=path.length_months,
        )
    )
    headings = column_headings(lang)
    columns = ["id", "lane", "start", "end", "months", "trl", "slack"]
    rows = [{headings[key]: row[key] for key in columns} for row in table_rows(roadmap, path, lang)]
    print_table(rows, [headings[key] for key in columns])


@roadmap_app.command("render")
def render_command(
    file: FileArgument,
    fmt: Annotated[
        str | None,
        typer.Option(
            "--format",
            "-f",
            help="svg, png, html or pdf. Default: from the --out file's suffix, else svg.",
            show_default=False,
        ),
    ] = None,
    out: OutOption = None,
) -> None:
    """Draw the roadmap as SVG, PNG, HTML or PDF.

    Swimlanes, bars with TRL milestones, dependency arrows, the critical path in red, Japanese titles (KIZASHI_LANG
    chooses the language of titles and words). Exit 2 when the roadmap has errors."""
    from kizashi.files.export import created
    from kizashi.grow.critical_path import critical_path
    from kizashi.grow.roadmap_render import FORMATS, render

    if fmt is None:
        fmt = RENDER_SUFFIXES.get(out.suffix.lower(), "svg") if out is not None else "svg"
    _choose(fmt, FORMATS)
    if fmt in ("pdf", "png") and out is None:
        raise InputError(Message("--format {format} needs --out FILE", format=fmt), field="out")
    roadmap = _valid(file)
    data = render(roadmap, critical_path(roadmap), fmt, environment_language())
    if out is None:
        sys.stdout.write(data.decode("utf-8"))
        return
    created(out, OUTPUT.mode).write_bytes(data)
    tell(Message("roadmap {id} drawn as {format} in {path}", id=roadmap.id, format=fmt, path=str(out)))


def _choose(fmt: str, choices: tuple[str, ...]) -> None:
    if fmt not in choices:
        raise InputError(
            Message("unknown format '{format}'; use one of {choices}", format=fmt, choices=", ".join(choices)),
            field="format",
        )


def _read(file: Path) -> Roadmap:
    from kizashi.grow.roadmap_model import read_roadmap

    return read_roadmap(file)


def _valid(file: Path) -> Roadmap:
    """The roadmap of `file`, its warnings on stderr; with errors, the findings on stderr and exit 2."""
    from kizashi.grow.roadmap_checks import errors_in, validate

    roadmap = _read(file)
    findings = validate(roadmap)
    _print_findings(findings, stderr=True)
    if errors_in(findings):
        raise typer.Exit(2)
    return roadmap


def _print_findings(findings: list[Finding], *, stderr: bool) -> None:
    target = errors if stderr else console
    for finding in findings:
        heading = Message("error: ") if finding.severity == "error" else Message("warning: ")
        style = "bold red" if finding.severity == "error" else "bold yellow"
        target.print(
            f"[{style}]{in_language(heading)}[/]{_plain(in_language(finding.message))} [dim]({finding.code})[/]",
            highlight=False,
            soft_wrap=True,
        )


def _plain(text: str) -> str:
    """Text from a file shown through rich: its brackets are not markup."""
    from rich.markup import escape

    return escape(text)


def _blocked(roadmap: Any, workspace: Path | None) -> list[Any]:
    """Warnings for items blocked by open barriers of the workspace's register; none without a workspace (a roadmap
    file is checked on its own too)."""
    from kizashi.cli.acting import acting
    from kizashi.grow.roadmap_barriers import blocked_items
    from kizashi.store.workspace import MARKER, Workspace

    if not (Workspace.resolve(workspace).path / MARKER).exists():
        return []
    try:
        opened, actor = acting(workspace)
    except KizashiError as error:  # the file's own checks stand without the register
        warn(Message("open barriers not checked: {reason}", reason=error.detail))
        return []
    try:
        return blocked_items(opened, actor, roadmap)
    finally:
        opened.close()
