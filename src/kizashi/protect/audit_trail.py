"""The audit trail as its readers use it: verify the chain (in the store, against an anchor, or an exported range;
with the audit key, every event's MAC too), export a range with its hashes and MACs, print the head as an anchor,
and seal the events written before the workspace had its key. Reading the trail is for those with `audit.read` (it
names who read what), sealing for those with `audit.key`; every use is itself audited, and every refusal."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

from kizashi.errors import InputError
from kizashi.files.tabular import iter_rows
from kizashi.policy import Actor, require
from kizashi.store import audit, audit_key
from kizashi.store.audit import Verification
from kizashi.store.service import SHOWN, Delivery, delivered, service
from kizashi.store.workspace import Workspace

EXPORT_COLUMNS = ("seq", "at", "actor", "action", "records", "detail", "origin", "prev_hash", "hash", "mac")
NO_KEY = (
    "--key: there is no audit key here: set KIZASHI_AUDIT_KEY or KIZASHI_AUDIT_KEY_FILE, or make the workspace's "
    "key file with `kizashi init`"
)

__all__ = ["EXPORT_COLUMNS", "Verification", "anchor", "backfill", "export", "verify", "verify_file"]


@service("audit.verify")
def verify(workspace: Workspace, actor: Actor, anchor: str | None = None, *, keyed: bool = False) -> Verification:
    """Whether the chain in the store is intact (and, with an anchor SEQ:HASH, still holds the anchored event;
    `keyed`: every event's MAC matches the workspace's audit key)."""
    require(actor, "audit.read")
    if keyed and workspace.audit_key is None:
        raise InputError(NO_KEY)
    result = audit.verify(workspace, anchor, workspace.audit_key.secret if keyed and workspace.audit_key else None)
    detail = {"service": "audit verify", "ok": result.ok, "events": result.events, "broken": result.broken_seq}
    delivered(workspace, actor, SHOWN, detail={**detail, "keyed": keyed})
    return result


def verify_file(
    path: Path, anchor: str | None = None, *, keyed: bool = False, key_folder: Path | None = None
) -> Verification:
    """Whether an exported range (JSON lines, as `export` writes them) is a valid chain on its own and, with an
    anchor SEQ:HASH kept earlier, still holds the anchored event; `keyed`: every event's MAC matches the audit key
    (the environment's, or the key file of the workspace in `key_folder`, by default the settings' workspace).
    Needs no workspace of its own."""
    key = None
    if keyed:
        folder = Workspace.resolve(key_folder).path
        found = audit_key.load(folder)
        if found is None:
            raise InputError(NO_KEY)
        if key_folder is not None and found.file != folder / audit_key.KEY_FILE:
            raise InputError(f"--workspace does not apply with --file: the key comes from {found.source}")
        key = found.secret
    return audit.verify_range((row.values for row in iter_rows(path)), anchor, key)


@service("audit.export")
def export(
    workspace: Workspace,
    actor: Actor,
    write: Callable[[Iterator[dict[str, Any]]], None],
    *,
    first: int | None = None,
    last: int | None = None,
    delivery: Delivery = SHOWN,
) -> None:
    """Stream events `first`..`last` with their hashes to `write`, so an outside party can re-verify them."""
    require(actor, "audit.read")
    write(audit.iter_events(workspace, first, last))
    delivered(workspace, actor, delivery, detail={"service": "audit export", "from": first, "to": last})


@service("audit.anchor")
def anchor(workspace: Workspace, actor: Actor) -> str:
    """The head of the chain as `SEQ:HASH`, to keep outside the system."""
    require(actor, "audit.read")
    head = audit.anchor(workspace)
    delivered(workspace, actor, SHOWN, detail={"service": "audit anchor", "anchor": head})
    return head


@service("audit.backfill")
def backfill(workspace: Workspace, actor: Actor) -> tuple[int, int] | None:
    """Seal the events written before the workspace had its audit key (first and last seq; None: none was
    unsealed). It proves only that they are not changed after the backfill (kizashi.store.audit.backfill)."""
    require(actor, "audit.key")
    if workspace.audit_key is None:
        raise InputError(NO_KEY.replace("--key: ", ""))
    sealed = audit.backfill(workspace, workspace.audit_key.secret)
    first, last = sealed or (None, None)
    audit.record(workspace, actor, "seal", detail={"service": "audit key backfill", "from": first, "to": last})
    return sealed
