"""`ingest`: files of one kind into the store, read in this process or, for large inputs, in a second one."""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from pathlib import Path

from kizashi.errors import InputError
from kizashi.ingest.formats import KINDS, readers
from kizashi.ingest.loader import ImportReport, Parsed, load
from kizashi.ingest.pipeline import ReaderProcess, worth_a_process
from kizashi.messages import Message
from kizashi.policy import Actor, allowed
from kizashi.settings import get_settings
from kizashi.store import audit
from kizashi.store.corpus import sync
from kizashi.store.service import service
from kizashi.store.workspace import Workspace

__all__ = ["KINDS", "ingest"]


@service("records.import")
def ingest(
    workspace: Workspace,
    actor: Actor,
    kind: str,
    paths: Sequence[Path],
    *,
    skip_invalid: bool = False,
    on_progress: Callable[[int], None] | None = None,
) -> ImportReport:
    """Load records of `kind` from `paths` in one transaction, as `actor`: a record they could not read back is
    refused (admins, who load data sets for everyone, excepted); audited as an `import`."""
    if kind not in KINDS:
        raise InputError(Message("unknown kind '{kind}'; use one of {choices}", kind=kind, choices=", ".join(KINDS)))
    if not paths:
        raise InputError(Message("no files given"))
    # Only records the importer could read back; admins load data sets for everyone.
    unrestricted = allowed(actor, "records.load_for_all")
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
        user=actor.user,
        clearance=None if unrestricted else actor.clearance,
        on_progress=on_progress,
    )
    audit.record(
        workspace,
        actor,
        "import",
        detail={"kind": kind, "import_id": report.import_id, "files": report.files, **report.counts()},
    )
    return report
