"""Classification decisions (該非判定): a person decides whether a technology is on a control list; the tool proposes.

Follows know/judgements.py: a decision is kept with the label of the record it is about, read back through the
access policy, written once (append-only: the latest counts, the earlier ones stay as the history) and audited.
Who may not read the record may neither decide on it nor see its decisions, and is told the same "no record" either
way (hidden ≡ missing).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from kizashi.errors import InputError, NotFound
from kizashi.messages import Message
from kizashi.model import ControlDecision
from kizashi.policy import Actor, Clearance, Label, allowed, require
from kizashi.protect.controls.classify import Candidate, bundled_classifier
from kizashi.protect.controls.lists import BUNDLED, bundled
from kizashi.retrieval import Statement
from kizashi.store.decisions import append_decision
from kizashi.store.readable import select_readable, select_trusted
from kizashi.store.records import get_record
from kizashi.store.service import SHOWN, Delivery, delivered, service
from kizashi.store.workspace import Workspace

DECISIONS = ("listed", "not-listed", "exempt-published", "exempt-basic-research")
# The records a technology can be: a lab's seed, a work (paper, project) or an entry of the technology taxonomy.
ITEM_KINDS = ("seeds", "works", "technologies")
MAX_REASON = 10_000
MAX_CODE = 64
CANDIDATES = 8


@service("controls.decide")
def decide(
    workspace: Workspace,
    actor: Actor,
    item_id: str,
    decision: str,
    *,
    reason: str,
    control_list: str | None = None,
    code: str | None = None,
    kind: str | None = None,
) -> int:
    """Record `actor`'s decision on the record `item_id`; NotFound if they may not read it. "listed" names the list
    and code; the others may name the item they were checked against."""
    if decision not in DECISIONS:
        raise InputError(
            Message("decision '{decision}' must be one of {choices}", decision=decision, choices=", ".join(DECISIONS)),
            field="decision",
        )
    reason = reason.strip()
    if not reason or len(reason) > MAX_REASON or "\x00" in reason:
        raise InputError(
            Message("give the reason: text of at most {most:,} characters", most=MAX_REASON), field="reason"
        )
    control_list, code = _checked_code(decision, control_list, code)
    require(actor, "controls.decide")  # before the record is looked up: no role, no hint of it
    item_kind, record = find_item(workspace, item_id, actor.clearance, kind)
    label = Label.of(record)
    row = ControlDecision(
        item_kind=item_kind,
        item_id=item_id,
        decision=decision,
        control_list=control_list,
        code=code,
        reason=reason,
        user=actor.user,
        at=datetime.now(UTC),
    )
    return append_decision(
        workspace,
        actor,
        row,
        label=label,
        records=[item_id],
        id_key="control_decision",
        detail={"kind": item_kind, "decision": decision, "list": control_list, "code": code, "reason": reason[:500]},
    )


def _checked_code(decision: str, control_list: str | None, code: str | None) -> tuple[str | None, str | None]:
    control_list = (control_list or "").strip() or None
    code = (code or "").strip() or None
    if decision == "listed" and (control_list is None or code is None):
        raise InputError(Message("a 'listed' decision names the list and the code (--list, --code)"), field="code")
    if (control_list is None) != (code is None):
        raise InputError(
            Message("give the list and the code together"), field="list" if control_list is None else "code"
        )
    for name, value in (("list", control_list), ("code", code)):
        if value is not None and (len(value) > MAX_CODE or "\x00" in value):
            raise InputError(
                Message("'{name}' must be at most {most} characters", name=name, most=MAX_CODE), field=name
            )
    # A bundled list is known here, so a mistyped code is caught; a user's own list is not stored, so its codes
    # are taken as given.
    if control_list in BUNDLED and code is not None and all(item.code != code for item in bundled(control_list)):
        raise InputError(
            Message("no code '{code}' in the bundled list '{list}'", code=code, list=control_list), field="code"
        )
    return control_list, code


def find_item(
    workspace: Workspace, item_id: str, clearance: Clearance, kind: str | None = None
) -> tuple[str, dict[str, Any]]:
    """The readable record with this id among the seeds, works and technologies (or the one `kind`)."""
    if kind is not None and kind not in ITEM_KINDS:
        raise InputError(
            Message("kind '{kind}' must be one of {kinds}", kind=kind, kinds=", ".join(ITEM_KINDS)), field="kind"
        )
    found: list[tuple[str, dict[str, Any]]] = []
    for candidate in [kind] if kind else ITEM_KINDS:
        try:
            found.append((candidate, get_record(workspace, candidate, item_id, clearance)))
        except NotFound:
            continue
    if not found:
        raise NotFound(
            Message("no record '{id}' among the {kinds}", id=item_id, kinds=", ".join([kind] if kind else ITEM_KINDS))
        )
    if len(found) > 1:
        kinds = ", ".join(k for k, _ in found)
        raise InputError(
            Message("'{id}' is an id among the {kinds}; say which with --kind", id=item_id, kinds=kinds), field="kind"
        )
    return found[0]


def _latest(workspace: Workspace, clearance: Clearance, item_id: str | None = None) -> list[dict[str, Any]]:
    table = ControlDecision.__table__
    statement = select_readable(clearance, workspace.backend, table).order_by(table.c.id)
    if item_id is not None:
        statement = statement.where(table.c.item_id == item_id)
    latest: dict[tuple[str, str], dict[str, Any]] = {}
    with workspace.session() as session:
        for row in session.execute(statement).mappings():
            key = (row["item_kind"], row["item_id"])
            history = latest.get(key, {}).get("history", 0) + 1
            latest[key] = {**dict(row), "history": history}
    return [latest[key] for key in sorted(latest)]


@service("controls.decisions")
def latest_decisions(
    workspace: Workspace, actor: Actor, item_id: str | None = None, *, delivery: Delivery = SHOWN
) -> list[dict[str, Any]]:
    """The latest decision on every record (or on `item_id`) that `actor` may read, with how many came before,
    in kind and id order; audited."""
    rows = _latest(workspace, actor.clearance, item_id)
    delivered(
        workspace,
        actor,
        delivery,
        records=sorted({row["item_id"] for row in rows}),
        detail={"service": "control decisions", "rows": len(rows)},
    )
    return rows


def is_listed(workspace: Workspace, kind: str, item_id: str, clearance: Clearance | None = None) -> bool | None:
    """True when the latest decision on the record is "listed", False for not listed or an exemption, None when
    none is made. Without `clearance`, unfiltered: for enforcing a release review's route (protect/release), which
    has read the record already; with it, the latest decision `clearance` may read, for what a reader is shown."""
    table = ControlDecision.__table__
    if clearance is None:
        statement = select_trusted(table.c.decision, why="a release route is enforced on every decision")
    else:
        statement = select_readable(clearance, workspace.backend, table, columns=[table.c.decision])
    statement = (
        statement.where(table.c.item_kind == kind, table.c.item_id == item_id).order_by(table.c.id.desc()).limit(1)
    )
    with workspace.session() as session:
        decision = session.execute(statement).scalar_one_or_none()
    return None if decision is None else decision == "listed"


@dataclass(frozen=True)
class ControlStatus:
    """For a project's risk card: the latest decision on each of its technologies, and those still undecided."""

    decisions: dict[str, dict[str, Any]]
    missing: list[str]

    @property
    def complete(self) -> bool:
        return not self.missing

    @property
    def listed(self) -> list[dict[str, Any]]:
        return [d for d in self.decisions.values() if d["decision"] == "listed"]


def control_status(
    workspace: Workspace, clearance: Clearance, item_ids: Sequence[str], kind: str | None = None
) -> ControlStatus:
    """The latest readable decision per item id (of `kind` when given: a seed and a technology may share an id); an
    item without one (or whose decisions `clearance` may not read) is missing. (For a service, which audits.)"""
    wanted = set(item_ids)
    latest = {
        row["item_id"]: row
        for row in _latest(workspace, clearance)
        if row["item_id"] in wanted and (kind is None or row["item_kind"] == kind)
    }
    return ControlStatus(latest, [item for item in item_ids if item not in latest])


@dataclass(frozen=True)
class Classification:
    """A record's classification page: the record, what it is classified as, the candidate items, the latest
    decision, whether the reader may decide, and the label of it all."""

    kind: str
    record: dict[str, Any]
    statement: Statement
    candidates: list[Candidate]
    latest: dict[str, Any] | None
    can_decide: bool
    label: Label


@service("controls.classification")
def classification(workspace: Workspace, actor: Actor, kind: str, record_id: str) -> Classification:
    """The candidate control items of a record, from the bundled lists, with the latest decision on it; audited."""
    if kind not in ITEM_KINDS:
        raise NotFound(Message("no such page"))
    record = get_record(workspace, kind, record_id, actor.clearance)
    statement = Statement.of(record)
    candidates = bundled_classifier().classify(statement, CANDIDATES)
    latest = next((row for row in _latest(workspace, actor.clearance, record_id) if row["item_kind"] == kind), None)
    delivered(
        workspace,
        actor,
        SHOWN,
        records=[record_id],
        detail={"service": "control classification", "kind": kind, "candidates": len(candidates)},
    )
    label = Label.highest([Label.of(record), *([Label.of(latest)] if latest else [])])
    return Classification(kind, record, statement, candidates, latest, allowed(actor, "controls.decide"), label)
