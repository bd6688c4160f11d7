"""`ingest`: files of one kind into the store, read in this process or, for large inputs, in a second one."""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from pathlib import Path

from kizashi.errors import InputError
from kizashi.ingest.formats import KINDS, readers
from kizashi.ingest.loader import ImportReport, Parsed, load
from kizashi.ingest.pipeline import ReaderProcess, worth_a_process
from kizashi.protect import audit
from kizashi.protect.clearances import acting_clearance
from kizashi.settings import current_user, get_settings
from kizashi.store.corpus import sync
from kizashi.store.workspace import Workspace

__all__ = ["KINDS", "ingest"]


def ingest(
    workspace: Workspace,
    kind: str,
    paths: Sequence[Path],
    *,
    skip_invalid: bool = False,
    user: str | None = None,
    on_progress: Callable[[int], None] | None = None,
) -> ImportReport:
    if kind not in KINDS:
        raise InputError(f"unknown kind '{kind}'; use one of {', '.join(KINDS)}")
    if not paths:
        raise InputError("no files given")
    actor = user or current_user()
    # In a managed workspace only its users may write to it, and only records they could read back; admins, who
    # could grant themselves any clearance anyway (audited), load data sets for everyone.
    clearance = acting_clearance(workspace, actor)
    unrestricted = clearance.every_compartment or "admin" in clearance.roles
    files = list(paths)
    parsed: Iterator[Parsed]
    if worth_a_process(files, get_settings().reader_process):
        parsed = ReaderProcess(kind, files)
    else:
        parsed = readers(kind, files)
    if kind == "works":
        # Heal a corpus that a crash left behind before adding to it.
        sync(workspace)
    report = load(
        workspace,
        kind,
        parsed,
        files,
        skip_invalid=skip_invalid,
        last_wins=kind == "works",
        user=actor,
        clearance=None if unrestricted else clearance,
        on_progress=on_progress,
    )
    audit.record(
        workspace,
        actor,
        "import",
        detail={"kind": kind, "import_id": report.import_id, "files": report.files, **report.counts()},
    )
    return report
