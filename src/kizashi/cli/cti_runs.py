"""`kizashi cti runs` and `kizashi cti run ID`: the correlation runs kept (protect/cti/runs.py, docs/cti.md), your own
(every one for those who read the audit trail), and one run's hits with the research assets their threats are tied
to. Registered on the `cti` app by cli/cti.py."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Annotated

import orjson
import typer

from kizashi.cli.acting import acting
from kizashi.cli.common import WorkspaceOption, console, in_language, print_table, tell
from kizashi.errors import InputError
from kizashi.messages import Message
from kizashi.protect.cti.assets import Asset
from kizashi.protect.cti.runs import Target, asset_kind_said, get_run, list_runs, via_said
from kizashi.protect.cti.sightings import TARGET_WORDS
from kizashi.protect.cti.store import timestamp

runs_app = typer.Typer()
FORMATS = ("table", "json")


def _format(fmt: str) -> None:
    if fmt not in FORMATS:
        raise InputError(
            Message("unknown format '{format}'; use one of {choices}", format=fmt, choices=", ".join(FORMATS)),
            field="format",
        )


def targets_said(targets: Sequence[Target]) -> str:
    """What the indicator indicates, in the reader's language: "malware: Industroyer; ..."."""
    return "; ".join(f"{in_language(TARGET_WORDS.get(t.type, t.type))}: {t.name or t.id}" for t in targets) or "-"


def assets_said(assets: Mapping[str, Sequence[Asset]]) -> str:
    """The research assets of a hit's targets: "kind: title (via)" each, once."""
    shown = dict.fromkeys(
        f"{in_language(asset_kind_said(a.kind))}: {in_language(a.title)} ({in_language(via_said(a.via))})"
        for found in assets.values()
        for a in found
    )
    return "; ".join(shown) or "-"


@runs_app.command("runs")
def cti_runs(
    fmt: Annotated[str, typer.Option("--format", help=f"{', '.join(FORMATS)}.")] = "table",
    workspace: WorkspaceOption = None,
) -> None:
    """Your correlation runs, newest first (every run for those who read the audit trail), with the hits you may
    read."""
    _format(fmt)
    ws, actor = acting(workspace)
    runs = list_runs(ws, actor)
    if fmt == "json":
        console.print_json(orjson.dumps([run.as_json() for run in runs]).decode())
        return
    if not runs:
        tell(Message("no correlation run you may read"))
        return
    words = {
        key: in_language(text)
        for key, text in {
            "id": Message("correlation run"),
            "at": Message("run at"),
            "user": Message("ran by"),
            "file": Message("observation file"),
            "observations": Message("observations"),
            "hits": Message("indicators hit"),
        }.items()
    }
    rows = [
        {
            words["id"]: run.id,
            words["at"]: timestamp(run.at),
            words["user"]: run.user,
            words["file"]: run.file,
            words["observations"]: run.observations,
            words["hits"]: run.hits,
        }
        for run in runs
    ]
    print_table(rows, list(words.values()))


@runs_app.command("run")
def cti_run(
    ident: Annotated[str, typer.Argument(metavar="ID", help="The run's id (kizashi cti runs).", show_default=False)],
    fmt: Annotated[str, typer.Option("--format", help=f"{', '.join(FORMATS)}.")] = "table",
    workspace: WorkspaceOption = None,
) -> None:
    """One correlation run: each hit you may read, what its indicator indicates and the research assets (seeds,
    programme projects, technologies, threats of the register) those threats are tied to."""
    _format(fmt)
    ws, actor = acting(workspace)
    run = get_run(ws, actor, ident)
    if fmt == "json":
        console.print_json(orjson.dumps(run.as_json()).decode())
        return
    tell(
        Message(
            "correlation run {id} by {user} at {at}: {file} ({observations:,} observations, {indicators:,} indicators)",
            id=run.id,
            user=run.user,
            at=timestamp(run.at),
            file=run.file,
            observations=run.observations,
            indicators=run.indicators,
        )
    )
    if not run.hits:
        tell(Message("no hit you may read in this run"))
        return
    words = {
        key: in_language(text)
        for key, text in {
            "indicator": Message("indicator"),
            "name": Message("name"),
            "count": Message("observations"),
            "first_seen": Message("first seen"),
            "last_seen": Message("last seen"),
            "indicates": Message("indicates"),
            "assets": Message("research assets"),
            "sighting": Message("sighting recorded"),
        }.items()
    }
    rows = [
        {
            words["indicator"]: hit.indicator,
            words["name"]: hit.name or "-",
            words["count"]: hit.count,
            words["first_seen"]: timestamp(hit.first_seen),
            words["last_seen"]: timestamp(hit.last_seen),
            words["indicates"]: targets_said(hit.indicates),
            words["assets"]: assets_said(hit.assets),
            words["sighting"]: hit.sighting or "-",
        }
        for hit in run.hits
    ]
    print_table(rows, list(words.values()))
