"""Goals, their Heilmeier proposals and the projects under them (docs/programmes.md).

A goal names threats from the register, the capability needed, a target date and a measurable target for use in
society. Each is a labelled record, at least as high as the threats it names (a goal must not tell of a threat its
reader may not see); a proposal or a project is at least as high as its goal and is also read only with it
(store/readable.py `DERIVED`). Creating is audited (`create`), reading too (`read`); a goal one may not read answers
like a missing one. The words a user reads for the enum values (decisions, ratings, kinds, states) are in `WORDS`.
"""

from __future__ import annotations

import re
import secrets
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

from sqlalchemy import Table, func

from kizashi.errors import AccessDenied, NotFound
from kizashi.files.tabular import as_date
from kizashi.grow.goals_file import Where, read_goals
from kizashi.ingest.loader import content_hash
from kizashi.messages import Message, Words
from kizashi.model import Goal, GoalProposal, ProgrammeProject
from kizashi.policy import DEFAULT_LEVEL, LEVELS, PUBLIC, Actor, Clearance, Label, can_read, label_columns, require
from kizashi.store import audit
from kizashi.store.readable import select_readable, select_trusted
from kizashi.store.records import get_record
from kizashi.store.service import SHOWN, Delivery, delivered, service
from kizashi.store.workspace import Workspace

# Every enum value a user reads, in both languages (the CLI and the pages say these; files for programs keep codes).
WORDS: dict[str, Words] = {
    # gate decisions
    "go": Words("継続（Go）", "go"),
    "kill": Words("中止（Kill）", "kill"),
    "hold": Words("保留（Hold）", "hold"),
    "recycle": Words("差し戻し（Recycle）", "recycle"),
    # ratings of "target achieved" and "outlook for the final target"
    "a": Words("a（十分）", "a (fully)"),
    "b": Words("b（概ね）", "b (mostly)"),
    "c": Words("c（不十分）", "c (not)"),
    # project states
    "active": Words("実施中", "active"),
    "on_hold": Words("保留中", "on hold"),
    "rework": Words("計画見直し中", "rework"),
    "stopped": Words("中止", "stopped"),
    "completed": Words("完了", "completed"),
    # barrier kinds and states
    "procurement": Words("調達", "procurement"),
    "standards": Words("標準", "standards"),
    "regulation": Words("規制", "regulation"),
    "export_control": Words("輸出管理", "export control"),
    "supply_chain": Words("サプライチェーン", "supply chain"),
    "talent": Words("人材", "talent"),
    "open": Words("未解消", "open"),
    "removed": Words("解消済み", "removed"),
    # what a TRL assessment is about
    "project": Words("プロジェクト", "project"),
    "technology": Words("技術", "technology"),
}
PROJECT_STATUSES = ("active", "on_hold", "rework", "stopped", "completed")
HEILMEIER = ("what", "today", "new", "who_cares", "risks", "cost", "time", "midterm_exam", "final_exam")
MAX_TEXT = 20_000
MAX_NAME = 200
_ID = re.compile(r"[A-Za-z0-9][A-Za-z0-9._:-]{0,99}")
_LIST_SPLIT = re.compile(r"\s*[;,、；]\s*")


FLAGS = Where()


# ── checking values ────────────────────────────────────────────────────────────────────────────────────────────


def text(values: Mapping[str, Any], name: str, where: Where, *, required: bool = True, most: int = MAX_TEXT) -> str:
    """The text `values[name]`, stripped; InputError naming it when required and missing, too long or holding NUL."""
    value = values.get(name)
    found = "" if value is None else str(value).strip()
    if required and not found:
        raise where.error(Message("required value is missing"), name)
    if len(found) > most or "\x00" in found:
        raise where.error(Message("at most {most:,} characters of text", most=most), name)
    return found


def names(values: Mapping[str, Any], name: str, where: Where) -> list[str]:
    """A list of names: a list, or a text separated by ; , or 、 (a spreadsheet cell)."""
    value = values.get(name)
    if value in (None, ""):
        return []
    items = value if isinstance(value, list) else _LIST_SPLIT.split(str(value))
    found: list[str] = []
    for item in items:
        if not isinstance(item, str | int) or isinstance(item, bool):
            raise where.error(Message("expected a list of names"), name)
        item = str(item).strip()
        if len(item) > 300 or "\x00" in item:
            raise where.error(Message("at most {most:,} characters of text", most=300), name)
        if item and item not in found:
            found.append(item)
    return found


def identifier(value: str, name: str, where: Where) -> str:
    if not _ID.fullmatch(value):
        raise where.error(
            Message("an id is 1 to 100 letters, digits and . _ : - (starting with a letter or digit)"), name
        )
    return value


def day(values: Mapping[str, Any], name: str, where: Where) -> date:
    value = values.get(name)
    if value in (None, ""):
        raise where.error(Message("required value is missing"), name)
    try:
        found = as_date(value)
    except ValueError as refusal:
        raise where.error(refusal.args[0], name) from None
    assert found is not None  # as_date gives None only for the empty values refused above
    return found


def chosen_label(
    clearance: Clearance,
    values: Mapping[str, Any],
    where: Where,
    at_least: Iterable[Label] = (),
    *,
    inherit: bool = False,
) -> Label:
    """The label given as `label` (a level) and `compartments`, raised to `at_least` (what it is about). Without
    either: with `inherit`, exactly `at_least` (a proposal or project takes its goal's label); else the usual level,
    or the author's own if that is lower. AccessDenied when the author could not read it."""
    at_least = list(at_least)
    level = text(values, "label", where, required=False, most=16).upper()
    if not level:
        given = names(values, "compartments", where)
        level = PUBLIC if inherit and not given else min(DEFAULT_LEVEL, clearance.level, key=LEVELS.index)
    if level not in LEVELS:
        raise where.error(
            Message("unknown level '{level}'; use one of {levels}", level=level, levels=", ".join(LEVELS)), "label"
        )
    label = Label.highest([Label(level, frozenset(names(values, "compartments", where))), *at_least])
    if not can_read(clearance, label):
        raise AccessDenied(
            Message(
                "you may not create a record labelled {label}: it is above your own clearance (you could not read "
                "it yourself)",
                label=label.shown(),
            )
        )
    return label


def new_id(kind: str) -> str:
    """`goal:2026-12-07-3fa9c1d27b40e511`: dated for people, random so two at once do not collide."""
    return f"{kind}:{datetime.now(UTC):%Y-%m-%d}-{secrets.token_hex(8)}"


def taken(workspace: Workspace, table: Table, ids: Sequence[str]) -> list[str]:
    """Which of `ids` a row of `table` already has. A chosen id is never overwritten; that it is taken is all a
    refusal tells of a row its author may not read (nothing of its content or label)."""
    if not ids:
        return []
    statement = select_trusted(table.c.id, why="a new record's chosen id must not overwrite one").where(
        table.c.id.in_(list(ids))
    )
    with workspace.session() as session:
        return sorted(session.execute(statement).scalars())


def stored(row: Any, label: Label, values: dict[str, Any]) -> Any:
    """`row` with its label columns and content hash set."""
    for name, value in label_columns(label).items():
        setattr(row, name, value)
    row.content_hash = content_hash({**values, **label.as_dict()})
    return row


def readable_row(
    workspace: Workspace, clearance: Clearance, table: Table, row_id: str, missing: Message
) -> dict[str, Any]:
    """One row of `table` that `clearance` may read, or NotFound(`missing`), worded alike for a hidden one."""
    row = None
    if "\x00" not in row_id:
        statement = select_readable(clearance, workspace.backend, table).where(table.c.id == row_id)
        with workspace.session() as session:
            row = session.execute(statement).mappings().first()
    if row is None:
        raise NotFound(missing)
    return dict(row)


def readable_goal(workspace: Workspace, clearance: Clearance, goal_id: str) -> dict[str, Any]:
    table: Table = Goal.__table__  # type: ignore[assignment]
    return readable_row(workspace, clearance, table, goal_id, Message("no goal '{id}'", id=goal_id))


def readable_project(workspace: Workspace, clearance: Clearance, project_id: str) -> dict[str, Any]:
    table: Table = ProgrammeProject.__table__  # type: ignore[assignment]
    return readable_row(workspace, clearance, table, project_id, Message("no project '{id}'", id=project_id))


def shown(row: Mapping[str, Any]) -> dict[str, Any]:
    """A row as a reader sees it: its label as one text, bookkeeping left out."""
    found = {k: v for k, v in row.items() if k not in ("content_hash", "import_id", "tlp_owner", "tlp_recipients")}
    found["label"] = Label.of(row).shown()
    return found


# ── goals and proposals ────────────────────────────────────────────────────────────────────────────────────────


@dataclass
class Checked:
    """A goal checked and ready to store, with its proposals."""

    goal: dict[str, Any]
    label: Label
    where: Where
    proposals: list[tuple[dict[str, Any], Label]] = field(default_factory=list)
    at: list[Where] = field(default_factory=list)  # where each proposal came from


def check_goal(
    workspace: Workspace,
    clearance: Clearance,
    values: Mapping[str, Any],
    proposals: Sequence[tuple[Mapping[str, Any], Where]],
    where: Where,
) -> Checked:
    """One goal's values (and its proposals') checked: InputError naming the file, row and field of the first fault;
    a threat that is missing, or that the author may not read, is refused alike."""
    goal_id = text(values, "id", where, required=False, most=100)
    goal: dict[str, Any] = {
        "id": identifier(goal_id, "id", where) if goal_id else new_id("goal"),
        "title_ja": text(values, "title_ja", where),
        "title_en": text(values, "title_en", where, required=False),
        "threats": names(values, "threats", where),
        "capability": text(values, "capability", where),
        "target_date": day(values, "target_date", where),
        "target": text(values, "target", where),
    }
    if not goal["threats"]:
        raise where.error(Message("a goal names at least one threat from the register"), "threats")
    labels = []
    for threat in goal["threats"]:
        try:
            labels.append(Label.of(get_record(workspace, "threats", threat, clearance)))
        except NotFound:
            raise where.error(Message("no threat '{id}' in the register", id=threat), "threats") from None
    label = chosen_label(clearance, values, where, labels)
    checked = Checked(goal, label, where)
    for proposal, at in proposals:
        checked.proposals.append(check_proposal(clearance, proposal, at, label))
        checked.at.append(at)
    return checked


def check_proposal(
    clearance: Clearance, values: Mapping[str, Any], where: Where, goal_label: Label
) -> tuple[dict[str, Any], Label]:
    """One proposal's values: a title and every Heilmeier answer."""
    proposal_id = text(values, "id", where, required=False, most=100)
    proposal = {
        "id": identifier(proposal_id, "id", where) if proposal_id else new_id("proposal"),
        "title": text(values, "title", where),
        **{name: text(values, name, where) for name in HEILMEIER},
    }
    return proposal, chosen_label(clearance, values, where, [goal_label], inherit=True)


def _store(workspace: Workspace, actor: Actor, goals: Sequence[Checked]) -> list[str]:
    """Store checked goals and their proposals in one transaction, then audit each goal's creation."""
    goal_table: Table = Goal.__table__  # type: ignore[assignment]
    proposal_table: Table = GoalProposal.__table__  # type: ignore[assignment]
    clash = set(taken(workspace, goal_table, [c.goal["id"] for c in goals])) | set(
        taken(workspace, proposal_table, [p["id"] for c in goals for p, _ in c.proposals])
    )
    seen: set[str] = set()
    for checked in goals:
        ids = [
            (checked.goal["id"], checked.where),
            *((p["id"], at) for (p, _), at in zip(checked.proposals, checked.at, strict=True)),
        ]
        for row_id, at in ids:
            if row_id in seen:
                raise at.error(Message("id '{id}' appears twice", id=row_id), "id")
            if row_id in clash:
                raise at.error(Message("id '{id}' is taken; choose another or leave it out", id=row_id), "id")
            seen.add(row_id)
    with workspace.session() as session:
        for checked in goals:
            session.add(stored(Goal(**checked.goal, created_by=actor.user), checked.label, checked.goal))
            for proposal, label in checked.proposals:
                row = GoalProposal(**proposal, goal_id=checked.goal["id"], created_by=actor.user)
                session.add(stored(row, label, {**proposal, "goal_id": checked.goal["id"]}))
    for checked in goals:
        audit.record(
            workspace,
            actor,
            "create",
            records=[checked.goal["id"], *(p["id"] for p, _ in checked.proposals)],
            detail={
                "kind": "goals",
                "threats": checked.goal["threats"],
                "proposals": len(checked.proposals),
                **checked.label.as_dict(),
            },
        )
    return [c.goal["id"] for c in goals]


@service("goals.add")
def add_goal(
    workspace: Workspace,
    actor: Actor,
    values: Mapping[str, Any],
    proposals: Sequence[Mapping[str, Any]] = (),
) -> str:
    """Store one goal (and proposals under it) given as values: id (optional), title_ja, title_en, threats,
    capability, target_date, target, label, compartments; each proposal: id (optional), title and the Heilmeier
    answers. The new goal's id."""
    require(actor, "programme.manage")
    nested = [(p, Where(prefix=f"proposals[{n}].")) for n, p in enumerate(proposals, start=1)]
    return _store(workspace, actor, [check_goal(workspace, actor.clearance, values, nested, FLAGS)])[0]


@service("goals.add_proposal")
def add_proposal(workspace: Workspace, actor: Actor, goal_id: str, values: Mapping[str, Any]) -> str:
    """Store one proposal under a goal the actor may read; its id."""
    require(actor, "programme.manage")
    goal = readable_goal(workspace, actor.clearance, goal_id)
    proposal, label = check_proposal(actor.clearance, values, FLAGS, Label.of(goal))
    table: Table = GoalProposal.__table__  # type: ignore[assignment]
    if taken(workspace, table, [proposal["id"]]):
        raise FLAGS.error(Message("id '{id}' is taken; choose another or leave it out", id=proposal["id"]), "id")
    with workspace.session() as session:
        session.add(
            stored(
                GoalProposal(**proposal, goal_id=goal["id"], created_by=actor.user),
                label,
                {**proposal, "goal_id": goal["id"]},
            )
        )
    audit.record(
        workspace,
        actor,
        "create",
        records=[goal["id"], proposal["id"]],
        detail={"kind": "goal_proposals", **label.as_dict()},
    )
    return str(proposal["id"])


@service("goals.load")
def load_goals(workspace: Workspace, actor: Actor, path: Path) -> list[str]:
    """Store the goals of a YAML file (a list of goals, or `goals:` holding one, each with its `proposals`) or an XLSX
    workbook (a sheet `goals`, and optionally a sheet `proposals` whose column `goal` names the goal's id), all or
    none: the first fault is an InputError naming the file, row (a goal's number in YAML, the sheet's row in XLSX)
    and field. The new goals' ids."""
    require(actor, "programme.manage")
    parsed = read_goals(path)
    checked = [check_goal(workspace, actor.clearance, values, proposals, at) for values, proposals, at in parsed]
    return _store(workspace, actor, checked)


def _proposals(workspace: Workspace, clearance: Clearance, goal_id: str) -> list[dict[str, Any]]:
    table: Table = GoalProposal.__table__  # type: ignore[assignment]
    statement = select_readable(clearance, workspace.backend, table).where(table.c.goal_id == goal_id)
    with workspace.session() as session:
        return [dict(row) for row in session.execute(statement.order_by(table.c.created_at, table.c.id)).mappings()]


def _projects(workspace: Workspace, clearance: Clearance, goal_id: str | None = None) -> list[dict[str, Any]]:
    table: Table = ProgrammeProject.__table__  # type: ignore[assignment]
    statement = select_readable(clearance, workspace.backend, table)
    if goal_id is not None:
        statement = statement.where(table.c.goal_id == goal_id)
    with workspace.session() as session:
        return [dict(row) for row in session.execute(statement.order_by(table.c.id)).mappings()]


@service("goals.show")
def show_goal(workspace: Workspace, actor: Actor, goal_id: str, *, delivery: Delivery = SHOWN) -> dict[str, Any]:
    """A goal with the proposals and projects under it that `actor` may read; NotFound alike for a hidden goal."""
    goal = readable_goal(workspace, actor.clearance, goal_id)
    proposals = _proposals(workspace, actor.clearance, goal_id)
    projects = _projects(workspace, actor.clearance, goal_id)
    label = Label.highest(Label.of(row) for row in [goal, *proposals, *projects])
    delivered(
        workspace,
        actor,
        delivery,
        records=[goal_id, *(p["id"] for p in proposals), *(p["id"] for p in projects)],
        detail={"service": "goal"},
    )
    return {
        "goal": shown(goal),
        "proposals": [shown(p) for p in proposals],
        "projects": [shown(p) for p in projects],
        "label": label.shown(),
    }


@service("goals.list")
def list_goals(workspace: Workspace, actor: Actor, *, delivery: Delivery = SHOWN) -> list[dict[str, Any]]:
    """The goals `actor` may read, each with how many proposals and projects under it they may read."""
    table: Table = Goal.__table__  # type: ignore[assignment]
    proposals: Table = GoalProposal.__table__  # type: ignore[assignment]
    projects: Table = ProgrammeProject.__table__  # type: ignore[assignment]
    clearance, backend = actor.clearance, workspace.backend
    with workspace.session() as session:
        goals = [
            dict(r) for r in session.execute(select_readable(clearance, backend, table).order_by(table.c.id)).mappings()
        ]
        counts: dict[str, dict[str, int]] = {}
        for name, counted in (("proposals", proposals), ("projects", projects)):
            statement = select_readable(
                clearance, backend, counted, columns=[counted.c.goal_id, func.count()]
            ).group_by(counted.c.goal_id)
            counts[name] = {goal: count for goal, count in session.execute(statement)}
    delivered(workspace, actor, delivery, records=[g["id"] for g in goals], detail={"service": "goals"})
    return [
        {
            **shown(goal),
            "proposals": counts["proposals"].get(goal["id"], 0),
            "projects": counts["projects"].get(goal["id"], 0),
        }
        for goal in goals
    ]


# ── projects ───────────────────────────────────────────────────────────────────────────────────────────────────


def budget_of(value: Mapping[str, Any] | None, where: Where) -> dict[str, float]:
    """Budget per year: {year: amount}, years of four digits, amounts not negative."""
    found: dict[str, float] = {}
    for year, amount in (value or {}).items():
        if not re.fullmatch(r"\d{4}", str(year).strip()):
            raise where.error(Message("a budget's year is four digits, not '{year}'", year=year), "budget")
        try:
            number = float(amount)
        except (TypeError, ValueError):
            number = -1.0
        if not number >= 0 or number == float("inf"):
            raise where.error(
                Message("a budget's amount is a number not below 0, not '{amount}'", amount=amount), "budget"
            )
        found[str(year).strip()] = number
    return dict(sorted(found.items()))


@service("projects.add")
def add_project(workspace: Workspace, actor: Actor, goal_id: str, values: Mapping[str, Any]) -> str:
    """Store one project under a goal `actor` may read: id (optional), title, manager, status (default active),
    budget ({year: amount}, optional), label, compartments. Its id."""
    require(actor, "programme.manage")
    goal = readable_goal(workspace, actor.clearance, goal_id)
    project_id = text(values, "id", FLAGS, required=False, most=100)
    status = text(values, "status", FLAGS, required=False, most=16) or "active"
    if status not in PROJECT_STATUSES:
        raise FLAGS.error(
            Message(
                "unknown status '{status}'; use one of {statuses}", status=status, statuses=", ".join(PROJECT_STATUSES)
            ),
            "status",
        )
    project = {
        "id": identifier(project_id, "id", FLAGS) if project_id else new_id("project"),
        "goal_id": goal["id"],
        "title": text(values, "title", FLAGS),
        "manager": text(values, "manager", FLAGS, most=MAX_NAME),
        "status": status,
        "budget": budget_of(values.get("budget"), FLAGS),
    }
    label = chosen_label(actor.clearance, values, FLAGS, [Label.of(goal)], inherit=True)
    table: Table = ProgrammeProject.__table__  # type: ignore[assignment]
    if taken(workspace, table, [project["id"]]):
        raise FLAGS.error(Message("id '{id}' is taken; choose another or leave it out", id=project["id"]), "id")
    with workspace.session() as session:
        session.add(stored(ProgrammeProject(**project, created_by=actor.user), label, project))
    audit.record(
        workspace,
        actor,
        "create",
        records=[project["id"], goal["id"]],
        detail={"kind": "programme_projects", "manager": project["manager"], **label.as_dict()},
    )
    return str(project["id"])


@service("projects.list")
def list_projects(
    workspace: Workspace, actor: Actor, *, goal_id: str | None = None, delivery: Delivery = SHOWN
) -> list[dict[str, Any]]:
    """The projects `actor` may read (under one goal, when given: NotFound if they may not read it)."""
    if goal_id is not None:
        readable_goal(workspace, actor.clearance, goal_id)
    projects = _projects(workspace, actor.clearance, goal_id)
    delivered(workspace, actor, delivery, records=[p["id"] for p in projects], detail={"service": "projects"})
    return [shown(p) for p in projects]
