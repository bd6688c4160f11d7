"""`kizashi audit`: verify the tamper-evident audit trail (with its key too), export a range of it, print its head as
an anchor, seal the events written before the workspace had its key."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from rich.text import Text

from kizashi.cli.acting import acting
from kizashi.cli.common import OutOption, WorkspaceOption, console, delivery, errors, in_language, rows_writer, tell
from kizashi.errors import InputError
from kizashi.messages import Message
from kizashi.protect import audit_trail

audit_app = typer.Typer(help="The tamper-evident audit trail (admins and security officers).", no_args_is_help=True)
key_app = typer.Typer(help="The audit key, which MACs every event (docs/security.md).", no_args_is_help=True)
audit_app.add_typer(key_app, name="key")


@audit_app.command("verify")
def audit_verify(
    workspace: WorkspaceOption = None,
    anchor: Annotated[
        str | None,
        typer.Option(
            help="An anchor SEQ:HASH kept earlier: check that event is still in the chain (or in the --file)."
        ),
    ] = None,
    file: Annotated[
        Path | None, typer.Option("--file", help="Verify an exported range (JSONL) instead of the store.")
    ] = None,
    key: Annotated[
        bool,
        typer.Option(
            "--key",
            help="Also check every event's MAC under the audit key (KIZASHI_AUDIT_KEY, KIZASHI_AUDIT_KEY_FILE, or "
            "the workspace's audit.key; with --file, --workspace names that workspace): catches a rewrite of the "
            "whole trail with recomputed hashes.",
        ),
    ] = False,
) -> None:
    """Check the hash chain (and with --key every event's MAC); exit code 1 naming the first broken event."""
    if file is not None:
        if workspace is not None and not key:
            raise InputError(
                Message("--workspace does not apply with --file: an exported range is verified on its own")
            )
        result, where = audit_trail.verify_file(file, anchor, keyed=key, key_folder=workspace), str(file)
    else:
        ws, actor = acting(workspace)
        result, where = audit_trail.verify(ws, actor, anchor, keyed=key), Message("audit trail")
    if result.ok:
        intact = dict(where=where, events=result.events, head=f"{result.head_seq}:{result.head_hash}")
        if result.keyed:
            tell(Message("{where}: intact, {events:,} events, every MAC matches the key, head {head}", **intact))
        else:
            tell(Message("{where}: intact, {events:,} events, head {head}", **intact))
        return
    errors.print(
        Text(
            in_language(
                Message(
                    "{where}: broken at event {event}: {reason}",
                    where=where,
                    event=result.broken_seq,
                    reason=result.reason,
                )
            ),
            style="bold red",
        ),
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
    write = rows_writer("jsonl", out, audit_trail.EXPORT_COLUMNS)
    ws, actor = acting(workspace)
    audit_trail.export(ws, actor, write, first=first, last=last, delivery=delivery("jsonl", out))


@audit_app.command("anchor")
def audit_anchor(workspace: WorkspaceOption = None) -> None:
    """Print the head of the chain (SEQ:HASH) to keep outside the system; `audit verify --anchor` checks it later."""
    ws, actor = acting(workspace)
    console.print(audit_trail.anchor(ws, actor), highlight=False, soft_wrap=True)


@key_app.command("backfill")
def audit_key_backfill(workspace: WorkspaceOption = None) -> None:
    """Seal the events written before the workspace had its audit key with their MACs, once. It proves only that
    they are not changed after now; refused when the chain is broken or a later event lacks its MAC."""
    ws, actor = acting(workspace)
    sealed = audit_trail.backfill(ws, actor)
    if sealed is None:
        tell(Message("nothing to seal: every event carries its MAC"))
        return
    first, last = sealed
    tell(
        Message(
            "sealed events {first}–{last} with the audit key: `audit verify --key` now checks them as they are now",
            first=first,
            last=last,
        )
    )
