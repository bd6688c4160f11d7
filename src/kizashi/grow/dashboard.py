"""A goal's programme dashboard in one read (docs/programmes.md, "The programme dashboard"): its projects each with
a status by the rule below, the budget planned and still committed per year, TRL progress against the roadmap, the
next gates, the open barriers and the goal's roadmap when the workspace holds one.

Everything is read through the policy as `actor`: a goal they may not read answers like a missing one (NotFound),
and projects, decisions, assessments and barriers they may not read are left out. A roadmap file is a file, not a
row: it is shown only when its own label (and its goal's) is one `actor` may read.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime
from typing import Any

from sqlalchemy import Table

from kizashi.errors import NotFound
from kizashi.grow.goals import readable_goal, readable_project, shown
from kizashi.grow.roadmap_model import Item, Roadmap, month_number
from kizashi.model import Barrier, GateDecision, GoalProposal, ProgrammeProject, TrlAssessment
from kizashi.policy import DEFAULT_LEVEL, LEVELS, Actor, Clearance, Label
from kizashi.store.readable import select_readable
from kizashi.store.records import get_record, iter_records
from kizashi.store.service import SHOWN, Delivery, delivered, service
from kizashi.store.workspace import Workspace

STATUSES = ("on_track", "at_risk", "off_track")
ROADMAP_FOLDER = "roadmaps"  # <workspace>/roadmaps/*.yaml|*.yml|*.xlsx, each naming its goal
ROADMAP_SUFFIXES = (".yaml", ".yml", ".xlsx")
OVERDUE_GRACE_MONTHS = 3  # a gate this many months past due (or more) puts a project off track
GATE_WINDOW_MONTHS = 3  # a decision this many months before a gate's due month (or later) holds it
_LABEL = re.compile(r"\s*([A-Za-z_]+)\s*(?:\[([^\]]*)\])?\s*")


@dataclass(frozen=True)
class Finding:
    """One reason a project is not on track: its code (the page words it) and its values."""

    code: str
    severity: str  # at_risk | off_track
    values: Mapping[str, Any]

    def as_dict(self) -> dict[str, Any]:
        return {"code": self.code, "severity": self.severity, **self.values}


def month_of(day: date) -> int:
    return day.year * 12 + day.month - 1


def _month_text(number: int) -> str:
    return f"{number // 12:04d}-{number % 12 + 1:02d}"


def planned_trl(item: Item, today: date) -> int | None:
    """The TRL the roadmap item plans for `today`: its `from` until it starts, rising evenly month by month, its `to`
    once its end month is over (the item reaches it *by* its end), whole levels rounded down."""
    if item.trl is None:
        return None
    start, end, now = month_number(item.start), month_number(item.end), month_of(today)
    low, high = item.trl.from_, item.trl.to
    if now > end:
        return high
    if now <= start:
        return low
    return low + (high - low) * (now - start) // (end - start + 1)


def project_items(roadmap: Roadmap | None, project_id: str) -> list[Item]:
    """The roadmap items of a project: the item with its id, or its stages `P1.1`, `P1.2` (id, a dot, more)."""
    if roadmap is None:
        return []
    return [item for item in roadmap.items if item.id == project_id or item.id.startswith(f"{project_id}.")]


def status_of(
    project: Mapping[str, Any],
    decisions: Sequence[Mapping[str, Any]],
    latest_trl: int | None,
    items: Sequence[Item],
    today: date,
) -> tuple[str, list[Finding], dict[str, Any] | None]:
    """The rule of docs/programmes.md: (status, findings, the next gate). The worst finding decides; none: on track.

    - off track: the project is stopped; the last gate rated the outlook `c`; a gate at least
      OVERDUE_GRACE_MONTHS months overdue; the TRL two or more levels behind the roadmap's plan for today.
    - at risk: on hold or in rework; the last gate rated the achievement `c` or the outlook `b`; a gate overdue; the
      TRL one level behind the plan; no TRL assessed although the roadmap plans one.
    A gate is due at the end month of each of the project's roadmap items; a decision taken from GATE_WINDOW_MONTHS
    months before that month on holds it (an earlier one was another gate). The next gate is the first not held.
    """
    found: list[Finding] = []
    if project["status"] == "stopped":
        found.append(Finding("stopped", "off_track", {}))
    elif project["status"] in ("on_hold", "rework"):
        found.append(Finding(f"status_{project['status']}", "at_risk", {}))
    last = decisions[-1] if decisions else None
    if last is not None:
        if last["outlook"] == "c":
            found.append(Finding("outlook_c", "off_track", {"gate": last["gate"]}))
        elif last["outlook"] == "b":
            found.append(Finding("outlook_b", "at_risk", {"gate": last["gate"]}))
        if last["achieved"] == "c":
            found.append(Finding("achieved_c", "at_risk", {"gate": last["gate"]}))
    next_gate = None
    running = project["status"] not in ("stopped", "completed")
    now = month_of(today)
    for item in sorted(items, key=lambda i: (month_number(i.end), i.id)):
        held = any(month_of(_day(d["at"])) >= month_number(item.end) - GATE_WINDOW_MONTHS for d in decisions)
        if held or not running:
            continue
        late = now - month_number(item.end)
        next_gate = {"item": item.id, "due": item.end, "months_late": max(late, 0)}
        if late >= OVERDUE_GRACE_MONTHS:
            found.append(Finding("gate_overdue_long", "off_track", {"due": item.end, "months": late}))
        elif late > 0:
            found.append(Finding("gate_overdue", "at_risk", {"due": item.end, "months": late}))
        break
    plans = [p for p in (planned_trl(item, today) for item in items if month_number(item.start) <= now) if p]
    planned = max(plans) if plans else None
    if planned is not None and running:
        if latest_trl is None:
            found.append(Finding("trl_unassessed", "at_risk", {"planned": planned}))
        elif planned - latest_trl >= 2:
            found.append(Finding("trl_behind_far", "off_track", {"planned": planned, "trl": latest_trl}))
        elif planned - latest_trl == 1:
            found.append(Finding("trl_behind", "at_risk", {"planned": planned, "trl": latest_trl}))
    worst = "on_track"
    for finding in found:
        if STATUSES.index(finding.severity) > STATUSES.index(worst):
            worst = finding.severity
    return worst, found, next_gate


def _day(value: Any) -> date:
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    return datetime.fromisoformat(str(value)).date()


def roadmap_label(roadmap: Roadmap) -> Label | None:
    """A roadmap file's `label` ("INTERNAL", "SECRET [nuclear, space]"); None when it is not one (then it is shown
    to nobody: a file whose label cannot be read is not guessed lower). No label: the usual level, as for a record
    stored without one."""
    if not roadmap.label:
        return Label(DEFAULT_LEVEL)
    match = _LABEL.fullmatch(roadmap.label)
    if match is None or match.group(1).upper() not in LEVELS:
        return None
    compartments = frozenset(c.strip() for c in (match.group(2) or "").split(",") if c.strip())
    try:
        return Label(match.group(1).upper(), compartments)
    except ValueError:
        return None


def goal_roadmap(workspace: Workspace, goal_id: str, clearance: Clearance) -> tuple[Roadmap, Label] | None:
    """The goal's first stored roadmap (by id, grow/roadmaps.py) that `clearance` may read; stored ones are valid."""
    from kizashi.grow.roadmaps import readable_roadmaps, roadmap_of

    for row in readable_roadmaps(workspace, clearance, goal_id):
        return roadmap_of(row["body"]), Label.of(row)
    return None


def blocks_in(barrier: Mapping[str, Any], roadmap: Roadmap | None, item_ids: set[str]) -> list[str]:
    """The items of `roadmap` (among `item_ids`) a barrier blocks: `T1` in any roadmap, `rm-flood/T1` in that one."""
    where = ("", roadmap.id if roadmap else "")
    return [b for b in barrier["blocks"] if b.rpartition("/")[2] in item_ids and b.rpartition("/")[0] in where]


def threat_names(workspace: Workspace, clearance: Clearance, ids: Sequence[str]) -> list[dict[str, Any]]:
    """The goal's threats with their names for the page (a goal is labelled at least as high as its threats, so its
    reader reads them; one gone from the register since is shown by its id alone)."""
    found = []
    for threat_id in ids:
        try:
            row = get_record(workspace, "threats", threat_id, clearance)
        except NotFound:
            found.append({"id": threat_id, "name_ja": None, "name_en": None, "readable": False})
            continue
        found.append({"id": threat_id, "name_ja": row["name_ja"], "name_en": row["name_en"], "readable": True})
    return found


def _rows(workspace: Workspace, clearance: Clearance, table: Table, *where: Any) -> list[dict[str, Any]]:
    statement = select_readable(clearance, workspace.backend, table).where(*where)
    with workspace.session() as session:
        return [dict(row) for row in session.execute(statement.order_by(table.c.id)).mappings()]


def budget_lines(
    projects: Sequence[Mapping[str, Any]], decisions: Mapping[str, Sequence[Mapping[str, Any]]]
) -> list[dict[str, Any]]:
    """Per year: the budget planned (every project's), what a stop released (a stopped project's years after the
    year it was stopped) and what stays committed. kizashi records plans, not expenditure."""
    years: dict[str, dict[str, float]] = {}
    for project in projects:
        stopped_in = None
        if project["status"] == "stopped":
            kills = [d for d in decisions.get(project["id"], []) if d["decision"] == "kill"]
            stopped_in = _day(kills[-1]["at"]).year if kills else _day(project["created_at"]).year - 1
        for year, amount in (project.get("budget") or {}).items():
            line = years.setdefault(str(year), {"planned": 0.0, "released": 0.0})
            line["planned"] += float(amount)
            if stopped_in is not None and int(year) > stopped_in:
                line["released"] += float(amount)
    return [
        {"year": year, "planned": v["planned"], "released": v["released"], "committed": v["planned"] - v["released"]}
        for year, v in sorted(years.items())
    ]


@service("programme.dashboard")
def dashboard(
    workspace: Workspace, actor: Actor, goal_id: str, *, today: date | None = None, delivery: Delivery = SHOWN
) -> dict[str, Any]:
    """A goal's dashboard (see the module); NotFound alike for a goal `actor` may not read."""
    today = today or datetime.now(UTC).date()
    clearance = actor.clearance
    goal = readable_goal(workspace, clearance, goal_id)
    projects_table: Table = ProgrammeProject.__table__  # type: ignore[assignment]
    gates_table: Table = GateDecision.__table__  # type: ignore[assignment]
    trl_table: Table = TrlAssessment.__table__  # type: ignore[assignment]
    barrier_table: Table = Barrier.__table__  # type: ignore[assignment]
    projects = _rows(workspace, clearance, projects_table, projects_table.c.goal_id == goal["id"])
    ids = [p["id"] for p in projects]
    decisions: dict[str, list[dict[str, Any]]] = {}
    for row in _rows(workspace, clearance, gates_table, gates_table.c.project_id.in_(ids)) if ids else []:
        decisions.setdefault(row["project_id"], []).append(row)
    assessments: dict[str, list[dict[str, Any]]] = {}
    trl_where = (trl_table.c.subject_kind == "programme_projects", trl_table.c.subject_id.in_(ids))
    for row in _rows(workspace, clearance, trl_table, *trl_where) if ids else []:
        assessments.setdefault(row["subject_id"], []).append(row)
    barriers = _rows(workspace, clearance, barrier_table, barrier_table.c.status == "open")
    proposal_table: Table = GoalProposal.__table__  # type: ignore[assignment]
    proposals = _rows(workspace, clearance, proposal_table, proposal_table.c.goal_id == goal["id"])
    found = goal_roadmap(workspace, goal["id"], clearance)
    roadmap, roadmap_lbl = found if found else (None, None)
    item_ids = {item.id for item in roadmap.items} if roadmap else set()

    rows = []
    for project in projects:
        mine = decisions.get(project["id"], [])
        trls = assessments.get(project["id"], [])
        latest = trls[-1]["trl"] if trls else None
        items = project_items(roadmap, project["id"])
        status, findings, next_gate = status_of(project, mine, latest, items, today)
        targets = [item.trl.to for item in items if item.trl]
        plans = [p for p in (planned_trl(i, today) for i in items if month_number(i.start) <= month_of(today)) if p]
        rows.append(
            {
                **shown(project),
                "dashboard_status": status,
                "findings": [f.as_dict() for f in findings],
                "last_gate": shown(mine[-1]) if mine else None,
                "next_gate": next_gate,
                "trl": latest,
                "trl_target": max(targets) if targets else None,
                "trl_planned": max(plans) if plans else None,
            }
        )
    shown_barriers = [{**shown(barrier), "blocks_here": blocks_in(barrier, roadmap, item_ids)} for barrier in barriers]
    shown_barriers.sort(key=lambda b: (not b["blocks_here"], b["id"]))
    labels = [
        Label.of(row)
        for row in [goal, *projects, *proposals, *barriers, *(d for ds in decisions.values() for d in ds)]
        + [a for rows_ in assessments.values() for a in rows_]
    ]
    label = Label.highest([*labels, *([roadmap_lbl] if roadmap_lbl else [])])
    delivered(
        workspace,
        actor,
        delivery,
        records=[goal["id"], *ids, *(p["id"] for p in proposals), *(b["id"] for b in barriers)],
        detail={"service": "programme dashboard", **({"roadmap": roadmap.id} if roadmap else {})},
    )
    counts = {status: sum(1 for r in rows if r["dashboard_status"] == status) for status in STATUSES}
    return {
        "goal": shown(goal),
        "threats": threat_names(workspace, clearance, goal["threats"]),
        "proposals": [shown(p) for p in proposals],
        "projects": rows,
        "counts": counts,
        "budget": budget_lines(projects, decisions),
        "next_gates": sorted(
            ({"project": r["id"], "title": r["title"], **r["next_gate"]} for r in rows if r["next_gate"]),
            key=lambda g: (g["due"], g["project"]),
        ),
        "barriers": shown_barriers,
        "roadmap": roadmap,
        "today": today.isoformat(),
        "this_month": _month_text(month_of(today)),
        "label": label.shown(),
        "label_value": label,
    }


def roadmap_of(workspace: Workspace, goal_id: str, clearance: Clearance) -> tuple[Roadmap, Label] | None:
    """The goal's roadmap as the dashboard finds it (the project page's way to it: one place to change)."""
    return goal_roadmap(workspace, goal_id, clearance)


def _item_view(item: Item, today: date) -> dict[str, Any]:
    return {
        "id": item.id,
        "lane": item.lane,
        "title_ja": item.title_ja,
        "title_en": item.title_en,
        "start": item.start,
        "end": item.end,
        "trl_from": item.trl.from_ if item.trl else None,
        "trl_to": item.trl.to if item.trl else None,
        "trl_planned": planned_trl(item, today),
    }


@service("programme.project")
def project_page(
    workspace: Workspace, actor: Actor, project_id: str, *, today: date | None = None, delivery: Delivery = SHOWN
) -> dict[str, Any]:
    """One project as its page shows it: its status by the dashboard's rule with the findings and next gate, its
    budget per year, its gate decisions (oldest first) and TRL assessments, the roadmap items it owns and the open
    barriers blocking them. NotFound alike for a project `actor` may not read (or whose goal they may not)."""
    today = today or datetime.now(UTC).date()
    clearance = actor.clearance
    project = readable_project(workspace, clearance, project_id)
    goal = readable_goal(workspace, clearance, project["goal_id"])
    gates_table: Table = GateDecision.__table__  # type: ignore[assignment]
    trl_table: Table = TrlAssessment.__table__  # type: ignore[assignment]
    barrier_table: Table = Barrier.__table__  # type: ignore[assignment]
    decisions = _rows(workspace, clearance, gates_table, gates_table.c.project_id == project["id"])
    trls = _rows(
        workspace,
        clearance,
        trl_table,
        trl_table.c.subject_kind == "programme_projects",
        trl_table.c.subject_id == project["id"],
    )
    found = roadmap_of(workspace, goal["id"], clearance)
    roadmap, roadmap_lbl = found if found else (None, None)
    items = project_items(roadmap, project["id"])
    item_ids = {item.id for item in items}
    latest = trls[-1]["trl"] if trls else None
    status, findings, next_gate = status_of(project, decisions, latest, items, today)
    blocking = []
    for barrier in _rows(workspace, clearance, barrier_table, barrier_table.c.status == "open"):
        here = blocks_in(barrier, roadmap, item_ids)
        if here:
            blocking.append({**shown(barrier), "blocks_here": here})
    targets = [item.trl.to for item in items if item.trl]
    plans = [p for p in (planned_trl(i, today) for i in items if month_number(i.start) <= month_of(today)) if p]
    rows = [project, goal, *decisions, *trls, *blocking]
    label = Label.highest([*(Label.of(row) for row in rows), *([roadmap_lbl] if roadmap_lbl else [])])
    delivered(
        workspace,
        actor,
        delivery,
        records=[project["id"], goal["id"], *(b["id"] for b in blocking)],
        detail={"service": "programme project", **({"roadmap": roadmap.id} if roadmap else {})},
    )
    return {
        "project": shown(project),
        "goal": {"id": goal["id"], "title_ja": goal["title_ja"], "title_en": goal["title_en"]},
        "dashboard_status": status,
        "findings": [f.as_dict() for f in findings],
        "next_gate": next_gate,
        "budget": budget_lines([project], {project["id"]: decisions}),
        "gates": [shown(d) for d in decisions],
        "trl_history": [shown(t) for t in trls],
        "trl": latest,
        "trl_target": max(targets) if targets else None,
        "trl_planned": max(plans) if plans else None,
        "roadmap": {"id": roadmap.id, "title_ja": roadmap.title_ja, "title_en": roadmap.title_en} if roadmap else None,
        "roadmap_items": [_item_view(item, today) for item in items],
        "barriers": blocking,
        "today": today.isoformat(),
        "label": label.shown(),
        "label_value": label,
    }


@service("programme.threats")
def threat_choices(workspace: Workspace, actor: Actor, *, delivery: Delivery = SHOWN) -> list[dict[str, Any]]:
    """The threats of the register `actor` may read, for a goal form to pick from: id, names, category."""
    rows = [
        {"id": r["id"], "name_ja": r["name_ja"], "name_en": r["name_en"], "category": r["category"]}
        for r in iter_records(workspace, "threats", actor.clearance)
    ]
    delivered(workspace, actor, delivery, records=[r["id"] for r in rows], detail={"service": "threat choices"})
    return rows
