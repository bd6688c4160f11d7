"""Roadmaps and portfolio runs kept as labelled records (issue 17, docs/programmes.md "Stored roadmaps").

A roadmap (grow/roadmap_model.py) is stored whole as its validated document: a save that the checks of
roadmap_checks.py find errors in stores nothing (`RoadmapInvalid` carries the findings); warnings are kept with the
answer. Saving a roadmap whose id is stored already makes a new revision (`RoadmapRevision`, append-only) of it; an
author who may not read the stored one is refused exactly as a taken id of goals.py, so nothing of it leaks. Its
label is the document's `label` ("SECRET [nuclear]"), raised to its goal's (a roadmap must not tell of a goal its
reader may not see) and, for a revision, to the roadmap's label so far: an edit never lowers a label.

A portfolio run keeps the problem as the file gave it and the optimiser's result, labelled at least as its goal.
Creating and changing are audited (`create`, `update`), reading too (`read`); a hidden one answers like a missing one.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import Table, update
from sqlalchemy.exc import IntegrityError

from kizashi.errors import InputError, NotFound
from kizashi.grow.goals import FLAGS, chosen_label, new_id, readable_goal, readable_row, shown, stored, taken, text
from kizashi.grow.roadmap_checks import Finding, errors_in, validate
from kizashi.grow.roadmap_model import Roadmap as RoadmapDocument
from kizashi.ingest.loader import content_hash
from kizashi.messages import Message
from kizashi.model import PortfolioRun, Roadmap, RoadmapRevision
from kizashi.policy import Actor, Clearance, Label, label_columns, require
from kizashi.store import audit
from kizashi.store.readable import select_readable
from kizashi.store.service import SHOWN, Delivery, delivered, service
from kizashi.store.workspace import Workspace

# "SECRET", "secret [nuclear, space]": a level and, in brackets, compartments (roadmap files write labels so).
_LABEL = re.compile(r"\s*([A-Za-z_]+)\s*(?:\[([^\]]*)\])?\s*")


class RoadmapInvalid(InputError):
    """A roadmap with errors: nothing was stored; `findings` names every error and warning with its items."""

    def __init__(self, roadmap_id: str, findings: Sequence[Finding]) -> None:
        self.findings = list(findings)
        wrong = errors_in(self.findings)
        super().__init__(
            Message(
                "roadmap {id} has {count} error(s) and was not saved; the first: {first}",
                id=roadmap_id,
                count=len(wrong),
                first=wrong[0].message,
            ),
            field="items",
        )


@dataclass(frozen=True)
class Saved:
    """What a save did: the roadmap's id and revision now, whether a revision was made (an unchanged document makes
    none), whether the roadmap is new, its label, and the warnings of its checks."""

    id: str
    revision: int
    changed: bool
    created: bool
    label: Label
    warnings: list[Finding] = field(default_factory=list)


def _table(model: Any) -> Table:
    return model.__table__  # type: ignore[no-any-return]


def label_values(given: str | None) -> dict[str, Any]:
    """A document's label text as chosen_label's values (level and compartments); InputError when it is not one."""
    if not given:
        return {}
    match = _LABEL.fullmatch(given)
    if match is None:
        raise InputError(
            Message("a label is a level with compartments in brackets (SECRET [nuclear]), not '{label}'", label=given),
            field="label",
        )
    compartments = [c.strip() for c in (match.group(2) or "").split(",") if c.strip()]
    return {"label": match.group(1), "compartments": compartments}


def document(roadmap: RoadmapDocument, label: Label) -> dict[str, Any]:
    """The document as stored and exported: the model's fields (none left empty), the label the record has."""
    body = roadmap.model_dump(mode="json", by_alias=True, exclude_none=True)
    body["label"] = label.shown()
    return body


def roadmap_of(body: Mapping[str, Any]) -> RoadmapDocument:
    """The model of a stored document (it was validated when stored)."""
    return RoadmapDocument.model_validate(dict(body))


def _changed_meanwhile(roadmap_id: str, revision: int) -> InputError:
    return InputError(
        Message(
            "roadmap {id} was changed meanwhile (it is at revision {revision} now); reload it and edit again",
            id=roadmap_id,
            revision=revision,
        )
    )


def readable_roadmap(workspace: Workspace, clearance: Clearance, roadmap_id: str) -> dict[str, Any]:
    return readable_row(workspace, clearance, _table(Roadmap), roadmap_id, Message("no roadmap '{id}'", id=roadmap_id))


def readable_roadmaps(workspace: Workspace, clearance: Clearance, goal_id: str | None = None) -> list[dict[str, Any]]:
    """The stored roadmaps `clearance` may read (of one goal, when given), by id; not audited (a service's part)."""
    table = _table(Roadmap)
    statement = select_readable(clearance, workspace.backend, table)
    if goal_id is not None:
        statement = statement.where(table.c.goal_id == goal_id)
    with workspace.session() as session:
        return [dict(row) for row in session.execute(statement.order_by(table.c.id)).mappings()]


# ── roadmaps ───────────────────────────────────────────────────────────────────────────────────────────────────


@service("roadmaps.save")
def save_roadmap(
    workspace: Workspace,
    actor: Actor,
    roadmap: RoadmapDocument,
    note: str = "",
    *,
    base_revision: int | None = None,
) -> Saved:
    """Store `roadmap` as a new record, or as the next revision of the stored one with its id. Refused (nothing
    stored): errors in it (RoadmapInvalid), a goal the actor may not read (NotFound), an id taken by a roadmap they
    may not read, a label above their clearance, and, given `base_revision`, a roadmap changed since that revision
    (two editors do not overwrite each other). An unchanged document makes no revision."""
    require(actor, "programme.manage")
    note = text({"note": note}, "note", FLAGS, required=False, most=2_000)
    findings = validate(roadmap)
    if errors_in(findings):
        raise RoadmapInvalid(roadmap.id, findings)
    at_least: list[Label] = []
    if roadmap.goal:
        at_least.append(Label.of(readable_goal(workspace, actor.clearance, roadmap.goal)))
    table = _table(Roadmap)
    existing = None
    if taken(workspace, table, [roadmap.id]):
        try:
            existing = readable_roadmap(workspace, actor.clearance, roadmap.id)
        except NotFound:
            raise FLAGS.error(
                Message("id '{id}' is taken; choose another or leave it out", id=roadmap.id), "id"
            ) from None
        at_least.append(Label.of(existing))
    label = chosen_label(actor.clearance, label_values(roadmap.label), FLAGS, at_least)
    body = document(roadmap, label)
    warnings = [f for f in findings if f.severity == "warning"]
    if existing is not None:
        if base_revision is not None and base_revision != existing["revision"]:
            raise _changed_meanwhile(roadmap.id, existing["revision"])
        if existing["body"] == body and Label.of(existing) == label:
            return Saved(roadmap.id, existing["revision"], False, False, label, warnings)
    revision = existing["revision"] + 1 if existing is not None else 1
    values = {
        "title_ja": roadmap.title_ja or "",
        "title_en": roadmap.title_en or "",
        "goal_id": roadmap.goal,
        "body": body,
        "revision": revision,
        "updated_by": actor.user,
    }
    now = datetime.now(UTC)
    columns = dict(label_columns(label))
    try:
        with workspace.session() as session:
            if existing is None:
                row = Roadmap(id=roadmap.id, created_by=actor.user, **values)
                session.add(stored(row, label, {"id": roadmap.id, **values}))
                session.flush()  # a roadmap of the same id made at the same moment fails here, as a taken id
            else:
                done = session.execute(
                    update(table)
                    .where(table.c.id == roadmap.id, table.c.revision == existing["revision"])
                    .values(
                        **values, **columns, content_hash=content_hash({"id": roadmap.id, **values, **label.as_dict()})
                    )
                )
                if done.rowcount != 1:  # type: ignore[attr-defined]
                    raise _changed_meanwhile(roadmap.id, existing["revision"] + 1)
            revision_row = RoadmapRevision(
                roadmap_id=roadmap.id, revision=revision, body=body, note=note, user=actor.user, at=now
            )
            for name, value in columns.items():
                setattr(revision_row, name, value)
            session.add(revision_row)
    except IntegrityError:
        raise FLAGS.error(Message("id '{id}' is taken; choose another or leave it out", id=roadmap.id), "id") from None
    audit.record(
        workspace,
        actor,
        "create" if existing is None else "update",
        records=[roadmap.id, *([roadmap.goal] if roadmap.goal else [])],
        detail={
            "kind": "roadmaps",
            "revision": revision,
            "items": len(roadmap.items),
            "warnings": len(warnings),
            "note": note,
            **label.as_dict(),
        },
    )
    return Saved(roadmap.id, revision, True, existing is None, label, warnings)


def _listed(row: Mapping[str, Any]) -> dict[str, Any]:
    """A roadmap as a listing shows it: without its document, with how many items it has."""
    found = shown(row)
    found["items"] = len(found.pop("body", {}).get("items", []))
    return found


@service("roadmaps.get")
def get_roadmap(workspace: Workspace, actor: Actor, roadmap_id: str, *, delivery: Delivery = SHOWN) -> dict[str, Any]:
    """A stored roadmap `actor` may read, with its document (`body`); NotFound alike for a hidden one."""
    row = readable_roadmap(workspace, actor.clearance, roadmap_id)
    delivered(
        workspace,
        actor,
        delivery,
        records=[roadmap_id],
        detail={"service": "roadmap", "revision": row["revision"]},
    )
    return shown(row)


@service("roadmaps.list")
def list_roadmaps(
    workspace: Workspace, actor: Actor, goal_id: str | None = None, *, delivery: Delivery = SHOWN
) -> list[dict[str, Any]]:
    """The stored roadmaps `actor` may read (of one goal, when given: NotFound if they may not read it), by id."""
    if goal_id is not None:
        readable_goal(workspace, actor.clearance, goal_id)
    rows = readable_roadmaps(workspace, actor.clearance, goal_id)
    delivered(workspace, actor, delivery, records=[r["id"] for r in rows], detail={"service": "roadmaps"})
    return [_listed(row) for row in rows]


@service("roadmaps.revisions")
def roadmap_revisions(
    workspace: Workspace, actor: Actor, roadmap_id: str, *, delivery: Delivery = SHOWN
) -> list[dict[str, Any]]:
    """A roadmap's revisions, oldest first, each with its document; NotFound alike for a hidden roadmap."""
    readable_roadmap(workspace, actor.clearance, roadmap_id)
    table = _table(RoadmapRevision)
    statement = select_readable(actor.clearance, workspace.backend, table).where(table.c.roadmap_id == roadmap_id)
    with workspace.session() as session:
        rows = [dict(r) for r in session.execute(statement.order_by(table.c.revision, table.c.id)).mappings()]
    delivered(
        workspace,
        actor,
        delivery,
        records=[roadmap_id],
        detail={"service": "roadmap revisions", "revisions": [r["revision"] for r in rows]},
    )
    return [shown(row) for row in rows]


# ── portfolio runs ─────────────────────────────────────────────────────────────────────────────────────────────


@service("portfolio.save_run")
def save_portfolio_run(
    workspace: Workspace,
    actor: Actor,
    problem: Mapping[str, Any],
    result: Mapping[str, Any],
    title: str = "",
    goal_id: str | None = None,
    *,
    label: str | None = None,
) -> str:
    """Keep a portfolio optimisation: the problem as given and its result, titled, under a goal the actor may read
    (optional), labelled `label` ("SECRET [alpha]"; none: the usual level) raised to the goal's. Its new id."""
    require(actor, "programme.manage")
    title = text({"title": title}, "title", FLAGS, required=False, most=500)
    at_least = [Label.of(readable_goal(workspace, actor.clearance, goal_id))] if goal_id else []
    chosen = chosen_label(actor.clearance, label_values(label), FLAGS, at_least)
    run_id = new_id("portfolio-run")
    values = {"id": run_id, "title": title, "goal_id": goal_id, "problem": dict(problem), "result": dict(result)}
    with workspace.session() as session:
        session.add(stored(PortfolioRun(**values, created_by=actor.user), chosen, values))
    audit.record(
        workspace,
        actor,
        "create",
        records=[run_id, *([goal_id] if goal_id else [])],
        detail={
            "kind": "portfolio_runs",
            "chosen": list(result.get("chosen", [])),
            "value": result.get("value"),
            **chosen.as_dict(),
        },
    )
    return run_id


def _run_listed(row: Mapping[str, Any]) -> dict[str, Any]:
    found = shown(row)
    problem, result = found.pop("problem", {}), found.pop("result", {})
    found["projects"] = len(problem.get("projects", []))
    found["chosen"] = list(result.get("chosen", []))
    found["value"] = result.get("value")
    return found


@service("portfolio.list_runs")
def list_portfolio_runs(
    workspace: Workspace, actor: Actor, goal_id: str | None = None, *, delivery: Delivery = SHOWN
) -> list[dict[str, Any]]:
    """The kept portfolio runs `actor` may read (of one goal, when given), newest first, without their problems."""
    if goal_id is not None:
        readable_goal(workspace, actor.clearance, goal_id)
    table = _table(PortfolioRun)
    statement = select_readable(actor.clearance, workspace.backend, table)
    if goal_id is not None:
        statement = statement.where(table.c.goal_id == goal_id)
    with workspace.session() as session:
        rows = [dict(r) for r in session.execute(statement.order_by(table.c.created_at.desc(), table.c.id)).mappings()]
    delivered(workspace, actor, delivery, records=[r["id"] for r in rows], detail={"service": "portfolio runs"})
    return [_run_listed(row) for row in rows]


@service("portfolio.get_run")
def get_portfolio_run(workspace: Workspace, actor: Actor, run_id: str, *, delivery: Delivery = SHOWN) -> dict[str, Any]:
    """A kept portfolio run with its problem and result; NotFound alike for a hidden one."""
    row = readable_row(
        workspace, actor.clearance, _table(PortfolioRun), run_id, Message("no portfolio run '{id}'", id=run_id)
    )
    delivered(workspace, actor, delivery, records=[run_id], detail={"service": "portfolio run"})
    return shown(row)
