"""The release-review state machine, as pure functions of a review's history (its steps, oldest first).

    draft ──submit──▶ submitted ──start──▶ under_review ──approve──────────────▶ approved
      ▲                                        │  │  └─approve_with_changes──▶ approved_with_changes
      └──────────────return────────────────────┘  └─withhold───────────────▶ withheld

No state is skipped: each action starts from exactly one state. A reviewer acts in a role the route requires and holds,
and is never one of the review's submitters, in any round (nor does a reviewer resubmit it). `return` sends a review back to its author for changes (a new
submission starts a new round: the approvals of the round before it no longer count). Each required role approves
once per round, each person once per round (one person cannot stand in for two roles); the review reaches a final
state with the approval that meets the last requirement, and any approval "with changes" makes the outcome
approved_with_changes. A withhold by any required role is final. Final states have no way out; a revised record
starts a new review.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

from kizashi.errors import AccessDenied, InputError
from kizashi.messages import Message
from kizashi.protect.release.routing import Route

STATES = ("draft", "submitted", "under_review", "approved", "approved_with_changes", "withheld")
TERMINAL = frozenset({"approved", "approved_with_changes", "withheld"})
# action → (the one state it starts from, the state it leads to)
ACTIONS: dict[str, tuple[str, str]] = {
    "submit": ("draft", "submitted"),
    "start": ("submitted", "under_review"),
    "approve": ("under_review", "approved"),
    "approve_with_changes": ("under_review", "approved_with_changes"),
    "withhold": ("under_review", "withheld"),
    "return": ("under_review", "draft"),
}
ACTION_TO = {to: action for action, (_, to) in ACTIONS.items()}
APPROVALS = ("approve", "approve_with_changes")
# How an error names an action (a verb: "to approve with changes this release") and a state, in each language.
ACTION_WORDS: dict[str, Message] = {
    "submit": Message("submit"),
    "start": Message("start"),
    "approve": Message("approve"),
    "approve_with_changes": Message("approve with changes"),
    "withhold": Message("withhold"),
    "return": Message("return"),
}
STATE_WORDS: dict[str, Message] = {
    "draft": Message("draft"),
    "submitted": Message("submitted"),
    "under_review": Message("under_review"),
    "approved": Message("approved"),
    "approved_with_changes": Message("approved_with_changes"),
    "withheld": Message("withheld"),
}


@dataclass(frozen=True)
class Step:
    """One transition. An approval that does not yet meet every requirement stays in under_review."""

    action: str
    from_state: str
    to_state: str
    user: str
    role: str | None
    at: datetime
    route: Route | None = None  # on submissions: the roles that must approve this round
    comment: str = ""


def state_of(history: Sequence[Step]) -> str:
    return history[-1].to_state if history else "draft"


def submitters(history: Iterable[Step]) -> set[str]:
    return {step.user for step in history if step.action == "submit"}


def _round(history: Sequence[Step]) -> tuple[Step | None, list[Step]]:
    """The latest submission and the steps after it."""
    for index in range(len(history) - 1, -1, -1):
        if history[index].action == "submit":
            return history[index], list(history[index + 1 :])
    return None, []


def required(history: Sequence[Step], current: Route | None = None) -> Route:
    """The route of the latest submission, joined with `current` (today's routing of the record: a requirement
    added since, e.g. a record relabelled CONFIDENTIAL, applies at once; none is ever dropped)."""
    submission, _ = _round(history)
    stored = submission.route if submission is not None and submission.route is not None else Route(frozenset())
    return stored.union(current) if current is not None else stored


def approvals(history: Sequence[Step]) -> dict[str, Step]:
    """role → its approval in the current round."""
    _, steps = _round(history)
    return {step.role: step for step in steps if step.action in APPROVALS and step.role is not None}


def waiting(history: Sequence[Step], now: datetime, current: Route | None = None) -> set[str]:
    """The required roles whose approval is still missing (a role given notice stops waiting when its period ends)."""
    submission, _ = _round(history)
    route = required(history, current)
    done = set(approvals(history))
    lapsed = {
        role
        for role, days in route.notice_days.items()
        if submission is not None and now >= submission.at + timedelta(days=days)
    }
    return set(route.roles) - done - lapsed


def _acting_role(route: Route, held: frozenset[str], role: str | None, exclude: set[str], action: str) -> str:
    if role is not None:
        if role not in held:
            raise AccessDenied(Message("you do not hold the role '{role}'", role=role))
        if role not in route.roles:
            raise AccessDenied(Message("the role '{role}' is not asked to review this release", role=role))
        if role in exclude:
            raise InputError(Message("the role '{role}' has already approved in this round", role=role), field="role")
        return role
    candidates = sorted((route.roles & held) - exclude)
    if not candidates and route.roles & held:
        done = ", ".join(sorted(route.roles & held))
        raise InputError(Message("the role '{role}' has already approved in this round", role=done), field="role")
    if not candidates:
        wanted = ", ".join(sorted(route.roles - exclude)) or Message("none left")
        raise AccessDenied(
            Message(
                "to {action} this release you need one of the roles: {roles}", action=ACTION_WORDS[action], roles=wanted
            )
        )
    return candidates[0]


def decide(
    history: Sequence[Step],
    user: str,
    held: frozenset[str],
    action: str,
    now: datetime,
    *,
    role: str | None = None,
    route: Route | None = None,
    comment: str = "",
) -> Step:
    """The step `user` (holding roles `held`) takes with `action`, or the error that refuses it. For `submit`,
    `route` is the new round's routing; for the others, today's routing of the record (see `required`)."""
    if action not in ACTIONS:
        raise InputError(
            Message("unknown action '{action}'; use one of {actions}", action=action, actions=", ".join(ACTIONS)),
            field="action",
        )
    state = state_of(history)
    start, target = ACTIONS[action]
    if state in TERMINAL:
        raise InputError(
            Message("the review is final ({state}); a revised record needs a new submission", state=STATE_WORDS[state]),
            field="state",
        )
    if state != start:
        possible = [name for name, (source, _) in ACTIONS.items() if source == state]
        raise InputError(
            Message(
                "cannot {action} a review that is {state} (from {state}: {possible})",
                action=ACTION_WORDS[action],
                state=STATE_WORDS[state],
                possible=", ".join(possible),
            ),
            field="state",
        )
    if action == "submit":
        if route is None:
            raise ValueError("a submission needs its route")
        if any(step.user == user for step in history if step.action != "submit"):
            # Resubmitting after a return would make a reviewer of an earlier round one of the submitters.
            raise AccessDenied(
                Message("you reviewed this release; a reviewer may not submit it (one person, one role)")
            )
        return Step(action, state, target, user, None, now, route, comment)
    if user in submitters(history):
        raise AccessDenied(Message("a submitter may not review their own release"))
    needed = required(history, route)
    if action not in APPROVALS:
        return Step(action, state, target, user, _acting_role(needed, held, role, set(), action), now, None, comment)
    signed = approvals(history)
    if any(step.user == user for step in signed.values()):
        raise InputError(Message("you have already approved in this round; one person approves once"), field="role")
    acting = _acting_role(needed, held, role, set(signed), action)
    step = Step(action, state, target, user, acting, now, None, comment)
    if waiting([*history, step], now, route):
        return Step(action, state, "under_review", user, acting, now, None, comment)
    changed = any(s.action == "approve_with_changes" for s in [*signed.values(), step])
    return Step(action, state, "approved_with_changes" if changed else "approved", user, acting, now, None, comment)


def allowed(
    history: Sequence[Step], user: str, held: frozenset[str], now: datetime, current: Route | None = None
) -> list[str]:
    """The actions `user` may take now (submission aside, which needs a route): what a page offers as buttons."""
    possible: list[str] = []
    for action in ACTIONS:
        if action == "submit":
            if state_of(history) == "draft" and history:
                possible.append(action)
            continue
        try:
            decide(history, user, held, action, now, route=current)
        except (InputError, AccessDenied):
            continue
        possible.append(action)
    return possible
