"""`kizashi portfolio`: the portfolio file format's JSON Schema, and the exact optimum of a file (docs/portfolio.md).
`optimize` reads a file only, unless `--save` keeps the run (problem and result) in the workspace as a labelled
record; `runs` lists the kept runs, `run ID` shows one.

Exit codes: 0 an optimum found; 2 a file that cannot be read, or no portfolio meeting every constraint (the
conflicting constraints named).
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Annotated, Any

import typer

from kizashi.cli.common import (
    FormatOption,
    OutOption,
    WorkspaceOption,
    delivery,
    file_format,
    in_language,
    print_table,
    show_rows,
    tell,
    warn,
)
from kizashi.errors import InputError
from kizashi.messages import Message, environment_language

portfolio_app = typer.Typer(
    help="The programme portfolio (YAML or XLSX): schema, and the projects that maximise value under yearly budgets.",
    no_args_is_help=True,
)

FileArgument = Annotated[
    Path,
    typer.Argument(help="A portfolio: .yaml, .yml, .json or .xlsx (sheets budget and projects).", show_default=False),
]
FORMATS = ("json", "table")


@portfolio_app.command("schema")
def schema_command() -> None:
    """Print the JSON Schema of the portfolio format."""
    from kizashi.grow.portfolio_model import schema

    sys.stdout.write(json.dumps(schema(), ensure_ascii=False, indent=2) + "\n")


@portfolio_app.command("optimize")
def optimize_command(
    file: FileArgument,
    fmt: Annotated[str, typer.Option("--format", "-f", help="json or table.")] = "json",
    save: Annotated[bool, typer.Option("--save", help="Keep the run (problem and result) in the workspace.")] = False,
    title: Annotated[str, typer.Option("--title", help="The kept run's title.")] = "",
    goal: Annotated[str | None, typer.Option("--goal", help="The goal the kept run is for.")] = None,
    label: Annotated[
        str | None,
        typer.Option("--label", help="The kept run's label: a level, compartments in brackets (SECRET [alpha])."),
    ] = None,
    workspace: WorkspaceOption = None,
) -> None:
    """Choose the projects that maximise total value under the yearly budgets, exactly (a mixed-integer programme
    solved by HiGHS); value ties broken deterministically. Exit 2 naming the constraints that conflict when no
    portfolio meets them all.

    With --save the run is kept as a labelled record (at least its goal's label; programme.manage permission) and
    its id printed on standard error; `kizashi portfolio runs` lists the kept runs."""
    from kizashi.grow.portfolio import optimize
    from kizashi.grow.portfolio_model import load

    if fmt not in FORMATS:
        raise InputError(
            Message("unknown format '{format}'; use one of {choices}", format=fmt, choices=", ".join(FORMATS)),
            field="format",
        )
    loaded = load(file)
    for where, key in loaded.ignored:
        if where:
            warn(
                Message(
                    "project {project} has '{key}', which is not a field of the portfolio format: ignored",
                    project=where,
                    key=key,
                )
            )
        else:
            warn(Message("the portfolio has '{key}', which is not a field of the format: ignored", key=key))
    result = optimize(loaded)
    if save:
        from kizashi.cli.acting import acting
        from kizashi.grow.roadmaps import save_portfolio_run

        ws, actor = acting(workspace)
        problem = loaded.portfolio.model_dump(mode="json", by_alias=True, exclude_none=True)
        run_id = save_portfolio_run(ws, actor, problem, result, title or file.name, goal, label=label)
        tell(Message("portfolio run kept as {id}", id=run_id), stderr=True)
    if fmt == "json":
        sys.stdout.write(json.dumps(result, ensure_ascii=False, indent=2) + "\n")
        return
    _print(loaded, result)


def _print(loaded: Any, result: dict[str, Any]) -> None:
    projects = {project.id: (i, project) for i, project in enumerate(loaded.portfolio.projects)}
    heads = {
        key: in_language(text)
        for key, text in (
            ("id", Message("project")),
            ("title", Message("title")),
            ("area", Message("area")),
            ("value", Message("value")),
            ("cost", Message("cost")),
        )
    }
    ja = environment_language() == "ja"
    rows = []
    for project_id in result["chosen"]:
        i, project = projects[project_id]
        title = (project.title_ja or project.title_en) if ja else (project.title_en or project.title_ja)
        cost = ", ".join(f"{year}: {amount:g}" for year, amount in sorted(project.cost.items()))
        rows.append(
            {
                heads["id"]: project.id,
                heads["title"]: title or "",
                heads["area"]: project.area or "",
                heads["value"]: f"{loaded.values[i]:g}",
                heads["cost"]: cost,
            }
        )
    print_table(rows, list(heads.values()))
    tell(Message("total value: {value}", value=result["value"]))
    for year, spent in result["spent"].items():
        budget = loaded.portfolio.budget[int(year)]
        gain = result["next_unit"][year]
        tell(
            Message(
                "{year}: spent {spent} of {budget}; one more unit would add {gain}",
                year=year,
                spent=spent,
                budget=f"{budget:g}",
                gain=gain,
            )
        )
    tell(Message("binding: {constraints}", constraints=", ".join(result["binding"]) or "—"))


RUN_COLUMNS = ["id", "title", "goal_id", "projects", "chosen", "value", "created_by", "created_at", "label"]
RUN_HEADS: dict[str, Message] = {
    "id": Message("id"),
    "title": Message("title"),
    "goal_id": Message("goal"),
    "projects": Message("projects"),
    "chosen": Message("chosen"),
    "value": Message("value"),
    "created_by": Message("kept by"),
    "created_at": Message("at"),
    "label": Message("label"),
}


@portfolio_app.command("runs")
def runs_command(
    goal: Annotated[str | None, typer.Option("--goal", help="Only the runs kept for this goal.")] = None,
    fmt: FormatOption = "table",
    out: OutOption = None,
    workspace: WorkspaceOption = None,
) -> None:
    """The kept portfolio runs you may read, newest first: how many projects, which were chosen, the value."""
    from kizashi.cli.acting import acting
    from kizashi.grow.roadmaps import list_portfolio_runs

    file_format(fmt, out)
    ws, actor = acting(workspace)
    rows = list_portfolio_runs(ws, actor, goal, delivery=delivery(fmt, out))
    show_rows(rows, RUN_COLUMNS, RUN_HEADS, fmt, out)


@portfolio_app.command("run")
def run_command(
    run_id: Annotated[str, typer.Argument(metavar="ID", help="A kept run (kizashi portfolio runs).")],
    workspace: WorkspaceOption = None,
) -> None:
    """A kept portfolio run as JSON: its title, goal, label, the problem as given and the result."""
    from kizashi.cli.acting import acting
    from kizashi.grow.roadmaps import get_portfolio_run

    ws, actor = acting(workspace)
    found = get_portfolio_run(ws, actor, run_id)
    keys = ("id", "title", "goal_id", "label", "created_by", "created_at", "problem", "result")
    shown = {key: found[key] for key in keys}
    shown["created_at"] = str(shown["created_at"])
    sys.stdout.write(json.dumps(shown, ensure_ascii=False, indent=2) + "\n")
