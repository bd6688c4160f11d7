"""Release review on the store: submissions and decisions appended, audited and read through the access policy.

Every function reads the record first as the acting user, so a record they may not read answers exactly like one that
does not exist (hidden ≡ missing), and its reviews are never listed or counted for them. A review and its steps carry
the record's label; a step taken after the record was relabelled carries the higher of the two.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from kizashi.errors import InputError, NotFound
from kizashi.messages import Message
from kizashi.model import ReleaseReview, ReleaseTransition
from kizashi.policy import Actor, Clearance, Label, can_read, label_columns
from kizashi.policy import allowed as permitted
from kizashi.protect.release import eligible
from kizashi.protect.release.machine import (
    ACTION_TO,
    ACTIONS,
    TERMINAL,
    Step,
    allowed,
    approvals,
    decide,
    required,
    state_of,
    submitters,
    waiting,
)
from kizashi.protect.release.routing import Route, Sensitivity, control_decision, route
from kizashi.store import audit
from kizashi.store.readable import select_readable, select_trusted
from kizashi.store.records import get_record, table_of
from kizashi.store.service import SHOWN, Delivery, delivered, service
from kizashi.store.workspace import Workspace

REVIEWABLE = ("works", "seeds")
MAX_COMMENT = 10_000
OPEN = ("submitted", "under_review")  # the states that await a reviewer


@dataclass(frozen=True)
class Submitted(Step):
    """A submission's step, with the roles nobody can approve today (see eligible.py) and what would unblock each:
    the submitter learns at once that the review cannot finish as the workspace stands."""

    stuck: tuple[dict[str, Any], ...] = ()


def _now() -> datetime:
    return datetime.now(UTC)


def _utc(moment: datetime) -> datetime:
    # SQLite hands back naive datetimes; everything here is stored in UTC.
    return moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment


def resolve(
    workspace: Workspace, clearance: Clearance, record_id: str, kind: str | None = None
) -> tuple[str, dict[str, Any]]:
    """The readable work or seed with this id (and its kind); NotFound alike for missing and hidden ones."""
    if kind is not None and kind not in REVIEWABLE:
        raise InputError(
            Message(
                "kind '{kind}' cannot be reviewed for release; use {kinds}", kind=kind, kinds=" or ".join(REVIEWABLE)
            ),
            field="kind",
        )
    found: list[tuple[str, dict[str, Any]]] = []
    for candidate in [kind] if kind else REVIEWABLE:
        try:
            found.append((candidate, get_record(workspace, candidate, record_id, clearance)))
        except NotFound:
            continue
    if not found:
        raise NotFound(
            Message(
                "no record '{id}' among the {kinds}", id=record_id, kinds=" or ".join([kind] if kind else REVIEWABLE)
            )
        )
    if len(found) > 1:
        raise InputError(
            Message("'{id}' is both a work and a seed; name the kind (--kind)", id=record_id), field="kind"
        )
    return found[0]


def sensitivity_of(
    workspace: Workspace,
    kind: str,
    record: dict[str, Any],
    declared_listed: bool = False,
    clearance: Clearance | None = None,
) -> Sensitivity:
    """The record's level and control-list status: listed when declared so, else as the control decisions say
    (those `clearance` may read, when given: a route stored or shown never tells of a hidden decision; the reviewers'
    decisions are checked against all of them). A submitter can make a route stricter, never looser."""
    decided = control_decision(workspace, kind, record["id"], clearance)
    return Sensitivity(record["level"], True if declared_listed else decided)


def _check_comment(comment: str) -> str:
    if len(comment) > MAX_COMMENT or "\x00" in comment:
        raise InputError(Message("a comment is at most 10,000 characters of text"), field="comment")
    return comment.strip()


def _step(row: ReleaseTransition | Any) -> Step:
    routing = row.routing
    return Step(
        row.action,
        row.from_state,
        row.to_state,
        row.user,
        row.role,
        _utc(row.at),
        Route.from_json(routing["route"]) if routing else None,
        row.comment,
    )


def _open_review(session: Session, kind: str, record_id: str) -> tuple[ReleaseReview | None, list[Any]]:
    """The record's latest review with its steps, whoever may read them (bookkeeping: the caller has read the
    record as the actor)."""
    review = session.scalars(
        select_trusted(ReleaseReview, why="a review's next step depends on all of it; the actor read the record")
        .where(ReleaseReview.record_kind == kind, ReleaseReview.record_id == record_id)
        .order_by(ReleaseReview.id.desc())
        .limit(1)
    ).first()
    if review is None:
        return None, []
    rows = list(
        session.scalars(
            select_trusted(ReleaseTransition, why="the steps of the review being acted on")
            .where(ReleaseTransition.review_id == review.id)
            .order_by(ReleaseTransition.seq)
        )
    )
    return review, rows


def _current_route(
    workspace: Workspace, kind: str, record: dict[str, Any], rows: Sequence[Any], clearance: Clearance | None = None
) -> Route | None:
    """Today's routing of the record, with the funding of its latest submission (as `clearance` may see it)."""
    submission = next((row for row in reversed(rows) if row.action == "submit"), None)
    if submission is None or not submission.routing:
        return None
    declared = bool(submission.routing.get("declared_listed"))
    return route(
        submission.routing["funding"],
        bool(submission.routing["publication_clause"]),
        sensitivity_of(workspace, kind, record, declared, clearance),
    )


@service("release.submit")
def submit(
    workspace: Workspace,
    actor: Actor,
    record_id: str,
    *,
    funding: str,
    publication_clause: bool = False,
    declared_listed: bool = False,
    kind: str | None = None,
    comment: str = "",
) -> Step:
    """Submit a work or seed for release review (a new review, or the next round of one returned to draft)."""
    comment = _check_comment(comment)
    clearance = actor.clearance
    kind, record = resolve(workspace, clearance, record_id, kind)
    sensitivity = sensitivity_of(workspace, kind, record, declared_listed, clearance)
    new_route = route(funding, publication_clause, sensitivity)
    routing = {
        "funding": funding,
        "publication_clause": publication_clause,
        "declared_listed": declared_listed,
        "sensitivity": {"level": sensitivity.level, "listed": sensitivity.listed},
        "route": new_route.as_json(),
    }
    step = _append(
        workspace,
        actor,
        kind,
        record,
        "submit",
        comment=comment,
        route=new_route,
        routing=routing,
    )
    with workspace.session() as session:
        review, rows = _open_review(session, kind, record["id"])
    assert review is not None  # the submission just made it
    history = [_step(row) for row in rows]
    found = _stuck(
        review, record, history, step.at, None, eligible.approver_pool(workspace), permitted(actor, "directory.read")
    )
    return Submitted(**step.__dict__, stuck=tuple(found))


@service("release.move")
def move(
    workspace: Workspace,
    actor: Actor,
    record_id: str,
    target: str,
    *,
    kind: str | None = None,
    role: str | None = None,
    comment: str = "",
    now: datetime | None = None,
) -> Step:
    """Take a reviewer's action on the record's open review: `target` is an action (start, approve,
    approve_with_changes, withhold, return) or the state it leads to."""
    comment = _check_comment(comment)
    action = ACTION_TO.get(target, target)
    if action not in ACTIONS or action == "submit":
        choices = ", ".join(s for s in ACTION_TO if s != "submitted")
        raise InputError(
            Message(
                "'{target}' is not a state a reviewer can move to; use one of {choices}", target=target, choices=choices
            ),
            field="state",
        )
    kind, record = resolve(workspace, actor.clearance, record_id, kind)
    return _append(workspace, actor, kind, record, action, role=role, comment=comment, now=now)


def _append(
    workspace: Workspace,
    actor: Actor,
    kind: str,
    record: dict[str, Any],
    action: str,
    *,
    role: str | None = None,
    comment: str = "",
    route: Route | None = None,
    routing: dict[str, Any] | None = None,
    now: datetime | None = None,
) -> Step:
    now = now or _now()
    clearance = actor.clearance
    record_label = Label.of(record)
    try:
        with workspace.session() as session:
            review, rows = _open_review(session, kind, record["id"])
            history = [_step(row) for row in rows]
            # A review the actor may not read is one they have none of (hidden ≡ missing), and is never acted on.
            hidden = review is not None and not can_read_review(review, clearance)
            if review is None or state_of(history) in TERMINAL or (hidden and action != "submit"):
                if action != "submit":
                    raise InputError(
                        Message("'{id}' has no open release review; submit it first", id=record["id"]), field="state"
                    )
                review = ReleaseReview(
                    record_kind=kind,
                    record_id=record["id"],
                    number=review.number + 1 if review is not None else 1,
                    created_by=actor.user,
                    created_at=now,
                    **label_columns(record_label),
                )
                session.add(review)
                session.flush()
                history, rows = [], []
            elif hidden:  # a submission may neither step into it nor open a second review beside it
                raise NotFound(Message("no record '{id}' among the {kinds}", id=record["id"], kinds=kind))
            current = route if action == "submit" else _current_route(workspace, kind, record, rows)
            step = decide(history, actor.user, clearance.roles, action, now, role=role, route=current, comment=comment)
            label = Label.highest([Label.of(_columns(review)), record_label])
            session.add(
                ReleaseTransition(
                    review_id=review.id,
                    seq=len(history) + 1,
                    action=step.action,
                    from_state=step.from_state,
                    to_state=step.to_state,
                    role=step.role,
                    user=actor.user,
                    at=now,
                    comment=comment,
                    routing=routing,
                    **label_columns(label),
                )
            )
            review_id = review.id
    except IntegrityError:
        raise InputError(
            Message("the review moved on while you were deciding; look at it again"), field="state"
        ) from None
    audit.record(
        workspace,
        actor,
        "release_review",
        records=[record["id"]],
        detail={
            "review": review_id,
            "kind": kind,
            "action": step.action,
            "from": step.from_state,
            "to": step.to_state,
            "role": step.role,
            "comment": comment[:500],
            **({"routing": routing} if routing else {}),
        },
    )
    return step


def _stuck(
    review: Any,
    record: dict[str, Any],
    history: Sequence[Step],
    now: datetime,
    current: Route | None,
    pool: list[Clearance] | None,
    names: bool,
) -> list[dict[str, Any]]:
    """The awaited roles of an open review that nobody can approve today (eligible.py), each with what would
    unblock it; none for a review not awaiting a reviewer, or in an unmanaged workspace (`pool` None). Roles only
    given notice are left out: their period ends without them."""
    if pool is None or state_of(history) not in OPEN:
        return []
    awaited = waiting(history, now, current) - set(required(history, current).notice_days)
    # A submitter of any round never reviews it; an approver of this round does not approve twice.
    exclude = submitters(history) | {step.user for step in approvals(history).values()}
    label = Label.highest([Label.of(_columns(review)), Label.of(record)])
    return [found.as_json(names) for found in eligible.stuck(awaited, pool, label, exclude)]


def _columns(row: Any) -> dict[str, Any]:
    return {name: getattr(row, name) for name in ("level", "compartments", "tlp", "tlp_owner", "tlp_recipients")}


def can_read_review(review: ReleaseReview, clearance: Clearance) -> bool:
    return can_read(clearance, Label.of(_columns(review)))


def _view(
    workspace: Workspace,
    review: Any,
    rows: Sequence[Any],
    kind: str,
    record: dict[str, Any],
    clearance: Clearance,
    now: datetime,
    pool: list[Clearance] | None = None,
    names: bool = False,
) -> dict[str, Any]:
    """A review as a reader sees it; `pool` (eligible.approver_pool) flags the roles nobody can approve, naming the
    people who lack a clearance only when `names` (the reader may see the user directory)."""
    history = [_step(row) for row in rows]
    current = _current_route(workspace, kind, record, rows, clearance)
    submission = next((row for row in reversed(rows) if row.action == "submit"), None)
    needed = required(history, current)
    notice_ends = {
        role: (_utc(submission.at) + timedelta(days=days)).isoformat()
        for role, days in needed.notice_days.items()
        if submission is not None
    }
    state = state_of(history)
    return {
        "review": review.id,
        "kind": kind,
        "record_id": record["id"],
        "title": record.get("title") or "",
        "state": state,
        "funding": submission.routing["funding"] if submission is not None else None,
        "publication_clause": submission.routing["publication_clause"] if submission is not None else None,
        "required": sorted(needed.roles),
        "rules": list(needed.rules),
        "notice_ends": notice_ends,
        "waiting": sorted(waiting(history, now, current)) if state not in TERMINAL and state != "draft" else [],
        "actions": allowed(history, clearance.user, clearance.roles, now, current),
        "stuck": _stuck(review, record, history, now, current, pool, names),
        "submitted_by": submission.user if submission is not None else None,
        "submitted_at": _utc(submission.at) if submission is not None else None,
        "level": review.level,
        # The steps shown too: one taken while the record was labelled higher keeps that label.
        "label": Label.highest([Label.of(_columns(review)), Label.of(record), *(Label.of(_columns(r)) for r in rows)]),
        "steps": [
            {
                "seq": row.seq,
                "at": _utc(row.at),
                "user": row.user,
                "action": row.action,
                "from": row.from_state,
                "to": row.to_state,
                "role": row.role,
                "comment": row.comment,
            }
            for row in rows
        ],
    }


def reviews_of(
    workspace: Workspace,
    clearance: Clearance,
    kind: str,
    record: dict[str, Any],
    now: datetime | None = None,
    *,
    names: bool = False,
) -> list[dict[str, Any]]:
    """Every review of a record already read as `clearance` that it may read, oldest first, each with its steps and
    the roles nobody can approve (`names`: whether the reader may see who lacks a clearance)."""
    reviews = ReleaseReview.__table__
    with workspace.session() as session:
        found = list(
            session.execute(
                select_readable(clearance, workspace.backend, reviews)
                .where(reviews.c.record_kind == kind, reviews.c.record_id == record["id"])
                .order_by(reviews.c.id)
            )
        )
        by_review = _steps_of(session, [review.id for review in found], clearance, workspace.backend)
    pool = eligible.approver_pool(workspace) if found else None
    return [
        _view(workspace, review, by_review.get(review.id, []), kind, record, clearance, now or _now(), pool, names)
        for review in found
    ]


@dataclass(frozen=True)
class History:
    kind: str
    record: dict[str, Any]
    reviews: list[dict[str, Any]]
    label: Label  # of the record and every review and step shown


@service("release.history")
def history(
    workspace: Workspace,
    actor: Actor,
    record_id: str,
    *,
    kind: str | None = None,
    now: datetime | None = None,
    delivery: Delivery = SHOWN,
) -> History:
    """Every review of the record that `actor` may read, oldest first, each with its steps; audited."""
    kind, record = resolve(workspace, actor.clearance, record_id, kind)
    reviews = reviews_of(workspace, actor.clearance, kind, record, now, names=permitted(actor, "directory.read"))
    delivered(
        workspace,
        actor,
        delivery,
        records=[record["id"]],
        detail={"service": "review history", "reviews": len(reviews)},
    )
    label = Label.highest([Label.of(record), *(review["label"] for review in reviews)])
    return History(kind, record, reviews, label)


def _steps_of(session: Session, review_ids: list[int], clearance: Clearance, backend: str) -> dict[int, list[Any]]:
    steps = ReleaseTransition.__table__
    by_review: dict[int, list[Any]] = {}
    if not review_ids:
        return by_review
    statement = (
        select_readable(clearance, backend, steps)
        .where(steps.c.review_id.in_(review_ids))
        .order_by(steps.c.review_id, steps.c.seq)
    )
    for row in session.execute(statement):
        by_review.setdefault(row.review_id, []).append(row)
    return by_review


def _readable_views(
    workspace: Workspace, actor: Actor, now: datetime, submitted_by: str | None = None
) -> list[dict[str, Any]]:
    """Every review `actor` may read, with its record (readable too), oldest first; only those with a submission by
    `submitted_by` (in a step they may read) when given."""
    clearance = actor.clearance
    reviews = ReleaseReview.__table__
    steps = ReleaseTransition.__table__
    with workspace.session() as session:
        pairs: list[tuple[Any, dict[str, Any], str]] = []
        for kind in REVIEWABLE:
            records = table_of(kind)
            statement = (
                select_readable(clearance, workspace.backend, reviews, records)
                .where(reviews.c.record_kind == kind, records.c.id == reviews.c.record_id)
                .order_by(reviews.c.id)
            )
            if submitted_by is not None:
                theirs = select_readable(clearance, workspace.backend, steps, columns=[steps.c.review_id]).where(
                    steps.c.user == submitted_by, steps.c.action == "submit"
                )
                statement = statement.where(reviews.c.id.in_(theirs.scalar_subquery()))
            for row in session.execute(statement):
                record = {column.name: row._mapping[column] for column in records.columns}
                pairs.append((row, record, kind))
        by_review = _steps_of(session, [row.id for row, _, _ in pairs], clearance, workspace.backend)
    pool = eligible.approver_pool(workspace) if pairs else None
    names = permitted(actor, "directory.read")
    return [
        _view(workspace, review, by_review.get(review.id, []), kind, record, clearance, now, pool, names)
        for review, record, kind in pairs
    ]


@service("release.queue")
def queue(
    workspace: Workspace, actor: Actor, *, now: datetime | None = None, delivery: Delivery = SHOWN
) -> list[dict[str, Any]]:
    """The open reviews awaiting `actor`: submitted ones a role of theirs may start, those under review still
    awaiting the approval of a role of theirs, and their own submissions returned to draft; audited."""
    clearance = actor.clearance
    rows: list[dict[str, Any]] = []
    for view in _readable_views(workspace, actor, now or _now()):
        state, actions = view["state"], view["actions"]
        mine = state == "draft" and actor.user in {s["user"] for s in view["steps"] if s["action"] == "submit"}
        to_start = state == "submitted" and "start" in actions
        to_approve = state == "under_review" and "approve" in actions and bool(set(view["waiting"]) & clearance.roles)
        if not (mine or to_start or to_approve):
            continue
        if mine and "submit" not in view["actions"]:
            view["actions"] = ["submit", *view["actions"]]
        rows.append(view)
    delivered(
        workspace,
        actor,
        delivery,
        records=sorted({row["record_id"] for row in rows}),
        detail={"service": "review queue", "rows": len(rows)},
    )
    return rows


@service("release.mine")
def mine(
    workspace: Workspace, actor: Actor, *, now: datetime | None = None, delivery: Delivery = SHOWN
) -> list[dict[str, Any]]:
    """The reviews `actor` submitted (in any round) that they may still read, the latest submission first: state,
    record, when, who must act next (`waiting`; the submitter themselves on a return to draft) and the roles nobody
    can approve; audited like the queue."""
    rows = [
        {**view, "next": ["submitter"] if view["state"] == "draft" else view["waiting"]}
        for view in _readable_views(workspace, actor, now or _now(), submitted_by=actor.user)
    ]
    rows.sort(key=lambda row: (row["submitted_at"] is not None, row["submitted_at"], row["review"]), reverse=True)
    delivered(
        workspace,
        actor,
        delivery,
        records=sorted({row["record_id"] for row in rows}),
        detail={"service": "my submissions", "rows": len(rows)},
    )
    return rows
