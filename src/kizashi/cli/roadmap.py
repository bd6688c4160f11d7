"""`kizashi roadmap`: the roadmap file format's JSON Schema, a file's validation, its critical path and its drawing
(docs/roadmap.md); and roadmaps stored in the workspace as labelled records with their revisions (`add`, `list`,
`show`; `validate`, `critical-path` and `render` take a stored one with `--id ID` instead of FILE).

Exit codes: 0 valid (warnings printed), 2 a file that cannot be read or a roadmap with errors (the findings printed).
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer

from kizashi.cli.common import (
    OUTPUT,
    FormatOption,
    OutOption,
    WorkspaceOption,
    console,
    delivery,
    errors,
    file_format,
    in_language,
    print_table,
    show_rows,
    tell,
    warn,
)
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
OptionalFile = Annotated[
    Path | None,
    typer.Argument(
        help="A roadmap: .yaml, .yml or .xlsx (sheets roadmap and items); or give --id.", show_default=False
    ),
]
StoredIdOption = Annotated[
    str | None,
    typer.Option(
        "--id", help="A roadmap stored in the workspace (kizashi roadmap list), instead of FILE.", show_default=False
    ),
]
RENDER_SUFFIXES = {".svg": "svg", ".html": "html", ".htm": "html", ".pdf": "pdf", ".png": "png"}


@roadmap_app.command("schema")
def schema_command() -> None:
    """Print the JSON Schema of the roadmap format."""
    from kizashi.grow.roadmap_model import schema

    sys.stdout.write(json.dumps(schema(), ensure_ascii=False, indent=2) + "\n")


@roadmap_app.command("validate")
def validate_command(
    file: OptionalFile = None,
    fmt: Annotated[str, typer.Option("--format", "-f", help="text or json.")] = "text",
    workspace: WorkspaceOption = None,
    roadmap_id: StoredIdOption = None,
) -> None:
    """Check a roadmap; exit 2 on errors, 0 when valid (warnings printed).

    Finds dependency cycles (every item on them named), items starting before a dependency ends, TRL going down,
    unknown dependencies, barriers without owner or kind (docs/roadmap.md); with a workspace, warns about items that
    an open barrier of its register blocks."""
    from kizashi.grow.roadmap_checks import errors_in, validate

    _choose(fmt, ("text", "json"))
    roadmap = _source(file, roadmap_id, workspace)
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
                    file=str(file if file is not None else roadmap_id),
                    id=roadmap.id,
                    count=len(roadmap.items),
                    warnings=len(findings),
                )
            )
    if errors_in(findings):
        raise typer.Exit(2)


@roadmap_app.command("critical-path")
def critical_path_command(
    file: OptionalFile = None,
    fmt: Annotated[str, typer.Option("--format", "-f", help="table or json.")] = "table",
    roadmap_id: StoredIdOption = None,
    workspace: WorkspaceOption = None,
) -> None:
    """The critical path and each item's slack, in months.

    The longest chain of finish-to-start dependencies by duration in whole months (start to end inclusive), and each
    item's slack against it. Exit 2 with the findings when the roadmap has errors."""
    from kizashi.grow.critical_path import critical_path
    from kizashi.grow.roadmap_render import column_headings, table_rows

    _choose(fmt, ("table", "json"))
    roadmap = _checked(_source(file, roadmap_id, workspace))
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
    file: OptionalFile = None,
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
    roadmap_id: StoredIdOption = None,
    workspace: WorkspaceOption = None,
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
    roadmap = _checked(_source(file, roadmap_id, workspace))
    data = render(roadmap, critical_path(roadmap), fmt, environment_language())
    if out is None:
        sys.stdout.write(data.decode("utf-8"))
        return
    created(out, OUTPUT.mode).write_bytes(data)
    tell(Message("roadmap {id} drawn as {format} in {path}", id=roadmap.id, format=fmt, path=str(out)))


# ── stored roadmaps ────────────────────────────────────────────────────────────────────────────────────────────

LIST_COLUMNS = ["id", "title_ja", "title_en", "goal_id", "revision", "items", "updated_by", "label"]
LIST_HEADS: dict[str, Message] = {
    "id": Message("id"),
    "title_ja": Message("title (Japanese)"),
    "title_en": Message("title (English)"),
    "goal_id": Message("goal"),
    "revision": Message("revision"),
    "items": Message("items"),
    "updated_by": Message("changed by"),
    "label": Message("label"),
}


@roadmap_app.command("add")
def add_command(
    file: FileArgument,
    note: Annotated[str, typer.Option("--note", help="Why it changed (kept with the revision).")] = "",
    workspace: WorkspaceOption = None,
) -> None:
    """Store a roadmap file in the workspace as a labelled record, or as the next revision of the stored roadmap with
    its id; prints the revision.

    Its label is the file's `label` (none: INTERNAL, or yours if lower), raised to its goal's and never lowered by a
    revision. A roadmap with errors stores nothing (the findings printed, exit 2); an unchanged one makes no
    revision. Needs the programme.manage permission."""
    from kizashi.cli.acting import acting
    from kizashi.grow.roadmaps import RoadmapInvalid, save_roadmap

    roadmap = _read(file)
    ws, actor = acting(workspace)
    try:
        saved = save_roadmap(ws, actor, roadmap, note)
    except RoadmapInvalid as refusal:
        _print_findings(refusal.findings, stderr=True)
        raise
    _print_findings(saved.warnings, stderr=True)
    if saved.changed:
        tell(Message("roadmap {id} stored as revision {revision}", id=saved.id, revision=saved.revision))
    else:
        tell(Message("roadmap {id} is unchanged (revision {revision})", id=saved.id, revision=saved.revision))


@roadmap_app.command("list")
def list_command(
    goal: Annotated[str | None, typer.Option("--goal", help="Only the roadmaps of this goal.")] = None,
    fmt: FormatOption = "table",
    out: OutOption = None,
    workspace: WorkspaceOption = None,
) -> None:
    """The stored roadmaps you may read, with their revision and label."""
    from kizashi.cli.acting import acting
    from kizashi.grow.roadmaps import list_roadmaps

    file_format(fmt, out)
    ws, actor = acting(workspace)
    rows = list_roadmaps(ws, actor, goal, delivery=delivery(fmt, out))
    show_rows(rows, LIST_COLUMNS, LIST_HEADS, fmt, out)


@roadmap_app.command("show")
def show_command(
    roadmap_id: Annotated[str, typer.Argument(metavar="ID", help="A stored roadmap.", show_default=False)],
    fmt: Annotated[str, typer.Option("--format", "-f", help="yaml, json or xlsx (xlsx needs --out).")] = "yaml",
    out: OutOption = None,
    revisions: Annotated[bool, typer.Option("--revisions", help="List its revisions instead.")] = False,
    workspace: WorkspaceOption = None,
) -> None:
    """A stored roadmap's document, as the file it was read from (YAML or XLSX re-validate to the same roadmap) or
    JSON; or, with --revisions, who changed it when and why."""
    from kizashi.cli.acting import acting
    from kizashi.grow.roadmap_export import to_xlsx, to_yaml
    from kizashi.grow.roadmaps import get_roadmap, roadmap_revisions

    _choose(fmt, ("yaml", "json", "xlsx"))
    if fmt == "xlsx" and out is None:
        raise InputError(Message("--format {format} needs --out FILE", format=fmt), field="out")
    ws, actor = acting(workspace)
    if revisions:
        _choose(fmt, ("yaml", "json"))
        rows = roadmap_revisions(ws, actor, roadmap_id, delivery=delivery(fmt, out))
        listed = [{k: r[k] for k in ("revision", "user", "at", "note", "label")} for r in rows]
        for row in listed:
            row["at"] = str(row["at"])
        data = (
            json.dumps(listed, ensure_ascii=False, indent=2) + "\n" if fmt == "json" else to_yaml({"revisions": listed})
        )
        _emit(data.encode("utf-8"), out)
        return
    body = get_roadmap(ws, actor, roadmap_id, delivery=delivery(fmt, out))["body"]
    if fmt == "xlsx":
        _emit(to_xlsx(body), out)
    elif fmt == "json":
        _emit((json.dumps(body, ensure_ascii=False, indent=2) + "\n").encode("utf-8"), out)
    else:
        _emit(to_yaml(body).encode("utf-8"), out)


def _emit(data: bytes, out: Path | None) -> None:
    from kizashi.files.export import created

    if out is None:
        sys.stdout.write(data.decode("utf-8"))
        return
    created(out, OUTPUT.mode).write_bytes(data)
    tell(Message("written to {path}", path=str(out)))


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
    return _checked(_read(file))


def _source(file: Path | None, roadmap_id: str | None, workspace: Path | None) -> Roadmap:
    """The roadmap of FILE, or the stored one `--id` names (read as this command's actor, audited); one of them."""
    if (file is None) == (roadmap_id is None):
        raise InputError(Message("give a roadmap FILE or --id of a stored roadmap, not both"), field="id")
    if file is not None:
        return _read(file)
    from kizashi.cli.acting import acting
    from kizashi.grow.roadmaps import get_roadmap, roadmap_of

    ws, actor = acting(workspace)
    assert roadmap_id is not None
    return roadmap_of(get_roadmap(ws, actor, roadmap_id)["body"])


def _checked(roadmap: Roadmap) -> Roadmap:
    """`roadmap`, its warnings on stderr; with errors, the findings on stderr and exit 2."""
    from kizashi.grow.roadmap_checks import errors_in, validate

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


# ── draft (issue 17: a first roadmap from the evidence; grow/roadmap_draft.py) ──────────────────────────────────
@roadmap_app.command("draft")
def draft_command(
    technology: Annotated[str, typer.Option("--technology", help="The technology's id.", show_default=False)],
    start: Annotated[
        str | None, typer.Option("--start", help="The first month, YYYY-MM. Default: the next April.")
    ] = None,
    out: Annotated[
        Path | None, typer.Option("--out", "-o", help="Write to FILE (.yaml, .yml or .xlsx) instead of the terminal.")
    ] = None,
    workspace: WorkspaceOption = None,
) -> None:
    """Draft a first roadmap for a technology from the evidence you may read, to edit.

    Its matched needs, its seeds (one technology item per sub-technology they name) with their TRL, its latest
    TRL assessment and landscape scan, the goals against the threats naming it and its open barriers; durations by
    a documented rule (docs/programmes.md). Every item's `source` says where it came from. YAML on the terminal
    without --out."""
    from kizashi.cli.acting import acting
    from kizashi.cli.common import delivery
    from kizashi.files.export import created
    from kizashi.grow.roadmap_draft import draft_header, draft_roadmap, roadmap_xlsx, roadmap_yaml

    suffix = out.suffix.lower() if out is not None else ".yaml"
    if suffix not in (".yaml", ".yml", ".xlsx"):
        raise InputError(
            Message("a drafted roadmap is written as .yaml, .yml or .xlsx, not '{suffix}'", suffix=suffix or str(out)),
            field="out",
        )
    opened, actor = acting(workspace)
    try:
        drafted = draft_roadmap(
            opened, actor, technology, start=start, delivery=delivery(suffix.lstrip(".").replace("yml", "yaml"), out)
        )
    finally:
        opened.close()
    lang = environment_language()
    header = [line.said(lang) for line in draft_header(drafted, technology)]
    if out is None:
        sys.stdout.write(roadmap_yaml(drafted, header))
        return
    if suffix == ".xlsx":
        created(out, OUTPUT.mode).write_bytes(roadmap_xlsx(drafted))
    else:
        created(out, OUTPUT.mode).write_text(roadmap_yaml(drafted, header), encoding="utf-8")
    tell(
        Message(
            "roadmap {id} drafted ({items} items) in {path}", id=drafted.id, items=len(drafted.items), path=str(out)
        )
    )
