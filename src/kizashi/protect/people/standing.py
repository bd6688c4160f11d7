"""A user's effective clearance, computed, never stored: the highest level among their grants that are neither
expired nor revoked, lowered to the highest level whose training prerequisites they hold valid records for, with the
compartments of those grants and `group:<name>` for each sharing group the user is a member of (protect/cti: a
sharing group is a compartment whose holders are its members, never a grant's; a grant naming one is ignored)."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from kizashi.errors import NotFound
from kizashi.messages import Message
from kizashi.model import Grant, GroupMember, Training, User
from kizashi.policy import LEVELS, Clearance

# The courses a level requires, on top of those of the levels below it.
PREREQUISITES: dict[str, tuple[str, ...]] = {
    "PUBLIC": (),
    "INTERNAL": (),
    "CONFIDENTIAL": ("security-basics",),
    "SECRET": ("security-basics", "secret-handling"),
}
GROUP_PREFIX = "group:"  # the compartment of a sharing group (kizashi.protect.cti)
IN_BATCH = 500  # names per IN (...) list: well under every backend's limit on bound parameters


@dataclass(frozen=True)
class Standing:
    """A user's effective clearance and why: which grants count and what lowered them."""

    clearance: Clearance
    grants: list[int]
    notes: list[Message]  # English as str; said(note, lang) in the reader's language
    # The notes as facts, for a page to word in its own language: {"grant", "level"} and either {"expired": True}
    # or {"counts_as", "missing"}.
    note_facts: list[dict[str, object]] = field(default_factory=list)


def now() -> datetime:
    return datetime.now(UTC)


def utc(moment: datetime) -> datetime:
    """SQLite hands back naive datetimes; everything here is stored in UTC."""
    return moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment


def supported_level(granted: str, courses: set[str]) -> str:
    """The highest level up to `granted` whose prerequisites (cumulative) are all in `courses`."""
    supported = LEVELS[0]
    needed: set[str] = set()
    for level in LEVELS[: LEVELS.index(granted) + 1]:
        needed.update(PREREQUISITES[level])
        if not needed <= courses:
            break
        supported = level
    return supported


def standing(session: Session, name: str, at: datetime | None = None) -> Standing:
    user = session.get(User, name)
    if user is None or not user.active:
        raise NotFound(Message("no active user '{name}'", name=name))
    trainings = list(session.scalars(select(Training).where(Training.user == name)))
    grants = list(session.scalars(select(Grant).where(Grant.user == name).order_by(Grant.id)))
    groups = list(session.scalars(select(GroupMember.group_name).where(GroupMember.user == name)))
    return _standing(user, trainings, grants, at or now(), groups)


def standings(session: Session, users: Sequence[User], at: datetime | None = None) -> dict[str, Standing]:
    """The standing of each of `users` (active ones), by name, from two queries whatever their number: what a page
    listing every reader needs, where `standing` per user would cost three queries each."""
    names = [user.name for user in users]
    trainings: dict[str, list[Training]] = defaultdict(list)
    grants: dict[str, list[Grant]] = defaultdict(list)
    groups: dict[str, list[str]] = defaultdict(list)
    for start in range(0, len(names), IN_BATCH):
        batch = names[start : start + IN_BATCH]
        for training in session.scalars(select(Training).where(Training.user.in_(batch))):
            trainings[training.user].append(training)
        for grant in session.scalars(select(Grant).where(Grant.user.in_(batch)).order_by(Grant.id)):
            grants[grant.user].append(grant)
        for member in session.scalars(select(GroupMember).where(GroupMember.user.in_(batch))):
            groups[member.user].append(member.group_name)
    moment = at or now()
    return {
        user.name: _standing(user, trainings[user.name], grants[user.name], moment, groups[user.name]) for user in users
    }


def _standing(
    user: User, trainings: Iterable[Training], grants: Iterable[Grant], at: datetime, groups: Iterable[str] = ()
) -> Standing:
    courses = {
        t.course for t in trainings if utc(t.completed_at) <= at and (t.expires_at is None or utc(t.expires_at) > at)
    }
    level, compartments, used = LEVELS[0], set[str](), []
    notes: list[Message] = []
    facts: list[dict[str, object]] = []
    for grant in grants:  # in id order
        if grant.revoked_at is not None:
            continue
        if grant.expires_at is not None and utc(grant.expires_at) <= at:
            notes.append(Message("grant {grant} ({level}) expired", grant=grant.id, level=grant.level))
            facts.append({"grant": grant.id, "level": grant.level, "expired": True})
            continue
        supported = supported_level(grant.level, courses)
        if supported != grant.level:
            missing = sorted({c for lv in LEVELS[: LEVELS.index(grant.level) + 1] for c in PREREQUISITES[lv]} - courses)
            notes.append(
                Message(
                    "grant {grant} ({level}) counts as {counts_as}: missing {missing}",
                    grant=grant.id,
                    level=grant.level,
                    counts_as=supported,
                    missing=", ".join(missing),
                )
            )
            facts.append({"grant": grant.id, "level": grant.level, "counts_as": supported, "missing": missing})
        used.append(grant.id)
        level = max(level, supported, key=LEVELS.index)
        compartments.update(grant.compartments)
    # Only membership makes a sharing group's compartment: a grant naming one would bypass the members table.
    compartments = {name for name in compartments if not name.startswith(GROUP_PREFIX)}
    compartments.update(f"{GROUP_PREFIX}{group}" for group in groups)
    clearance = Clearance(user.name, level, frozenset(compartments), user.organisation, frozenset(user.roles))
    return Standing(clearance, used, notes, facts)
