"""Intake: one need or seed entered by a person (web form or API), validated like a file row, labelled, audited."""

from __future__ import annotations

import secrets
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from kizashi.errors import AccessDenied, InputError
from kizashi.files.tabular import Row
from kizashi.ingest.loader import load
from kizashi.ingest.records import RowError, StatementRecord, validate
from kizashi.messages import Message
from kizashi.policy import DEFAULT_LEVEL, LEVELS, Actor, Label, can_read
from kizashi.store import audit
from kizashi.store.records import exists
from kizashi.store.service import service
from kizashi.store.workspace import Workspace

INTAKE_KINDS = ("needs", "seeds")


def new_id(kind: str) -> str:
    """`need:2026-11-28-3fa9c1d27b40e511`: dated for people, random so two intakes at once do not collide."""
    return f"{kind[:-1]}:{datetime.now(UTC):%Y-%m-%d}-{secrets.token_hex(8)}"


@service("records.create")
def create_statement(workspace: Workspace, actor: Actor, kind: str, values: dict[str, Any]) -> str:
    """Validate and store one new need or seed as `actor`, and return its id.

    The label may not be above what `actor` may read: a record its author could not see again would be a way to
    write into compartments they do not hold. The id is always made here: a chosen id that happened to exist would
    either overwrite a record or, refused, tell the author that a record they may not read exists.
    """
    if kind not in INTAKE_KINDS:
        raise InputError(
            Message("only needs and seeds are entered by hand, not '{kind}'", kind=kind),  # INTAKE_KINDS
            field="kind",
        )
    clearance = actor.clearance
    given = {
        key: value for key, value in values.items() if value not in (None, "", []) and key not in ("id", "tlp_owner")
    }
    if given.get("tlp"):
        # The sharer of an AMBER record is the author's organisation: nobody marks on behalf of another.
        given["tlp_owner"] = clearance.organisation
        if clearance.organisation is None and str(given["tlp"]).upper().removeprefix("TLP:").startswith("AMBER"):
            raise InputError(
                Message("TLP:AMBER is shared by an organisation and your user has none; ask an admin"), field="tlp"
            )
    if "level" not in given:
        # The usual level, or the author's own if that is lower: a default they may not use would be a trap.
        given["level"] = min(DEFAULT_LEVEL, clearance.level, key=LEVELS.index)
    given["id"] = new_id(kind)
    while exists(workspace, kind, given["id"]):
        given["id"] = new_id(kind)
    try:
        columns = validate(StatementRecord, Row(Path(f"{kind} form"), 1, given))
    except RowError as exc:
        raise InputError(exc.reason, field=exc.location.field) from None
    label = Label.of(columns)
    if not can_read(clearance, label):
        raise AccessDenied(
            Message(
                "you may not create a record labelled {label}: it is above your own clearance (you could not read "
                "it yourself)",
                label=label.shown(),
            )
        )
    report = load(
        workspace, kind, [(columns, Row(Path(f"{kind} form"), 1, {}))], [], user=actor.user, clearance=clearance
    )
    audit.record(
        workspace,
        actor,
        "create",
        records=[columns["id"]],
        detail={
            "kind": kind,
            "import_id": report.import_id,
            "level": label.level,
            "compartments": sorted(label.compartments),
        },
    )
    return str(columns["id"])
