"""Whether the people a workspace has today can still approve an open release review, and what would unblock it.

An approver of a role must hold the role, be able to read the review (their clearance today against its label: level,
compartments, TLP) and be neither one of its submitters nor someone who already approved in this round. Since one
person approves once per round (machine.py), the roles still awaited must be filled by *distinct* eligible people:
a maximum matching of roles to people. The roles a maximum matching leaves unfilled are "stuck": the review cannot
finish until an admin raises a clearance or adds an approver (which role is named when two compete for one person
follows the roles' sorted order).

Pure functions over clearances (`unfilled`, `stuck`); `approver_pool` reads the users table with their clearance
today (protect/people), once per call of a service.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from sqlalchemy import func, select

from kizashi.model import User
from kizashi.policy import LEVELS, Clearance, Label, can_read
from kizashi.protect.people.standing import standings
from kizashi.store.workspace import Workspace


@dataclass(frozen=True)
class Lack:
    """What one holder of a role lacks to read the review: a level to raise their clearance to (None: theirs is
    enough), compartments to grant, or a TLP marking that leaves them out (no clearance changes that)."""

    user: str
    level: str | None
    compartments: tuple[str, ...]
    outside_tlp: bool


@dataclass(frozen=True)
class Stuck:
    """A role awaited that no eligible person can fill, with what would unblock it: raise a holder's clearance
    (`holders`, each with what they lack) or add an approver with the role, cleared for `label`."""

    role: str
    holders: tuple[Lack, ...]
    label: Label

    def as_json(self, names: bool = True) -> dict[str, object]:
        """JSON-ready; without `names` the holders are counted, not named (for readers who may not see the user
        directory)."""
        holders = [
            {
                "user": lack.user if names else None,
                "level": lack.level,
                "compartments": list(lack.compartments),
                "outside_tlp": lack.outside_tlp,
            }
            for lack in self.holders
        ]
        return {
            "role": self.role,
            "holders": holders,
            "level": self.label.level,
            "compartments": sorted(self.label.compartments),
        }


def eligible(people: Iterable[Clearance], role: str, label: Label, exclude: Iterable[str] = ()) -> list[str]:
    """The names of those who may approve in `role`: they hold it, may read `label` and are not excluded."""
    left_out = set(exclude)
    return [p.user for p in people if role in p.roles and p.user not in left_out and can_read(p, label)]


def unfilled(
    roles: Iterable[str], people: Sequence[Clearance], label: Label, exclude: Iterable[str] = ()
) -> tuple[str, ...]:
    """The roles left without an approver when each person approves for one role only: empty exactly when every
    role can be approved by a different eligible person. The roles are matched in sorted order, by augmenting
    paths (Kuhn), so the answer is the same for the same inputs."""
    wanted = sorted(set(roles))
    candidates = {role: eligible(people, role, label, exclude) for role in wanted}
    holder: dict[str, str] = {}  # person → the role they are matched to

    def assign(role: str, seen: set[str]) -> bool:
        for person in candidates[role]:
            if person in seen:
                continue
            seen.add(person)
            if person not in holder or assign(holder[person], seen):
                holder[person] = role
                return True
        return False

    return tuple(role for role in wanted if not assign(role, set()))


def _lack(person: Clearance, label: Label) -> Lack:
    level = label.level if LEVELS.index(person.level) < LEVELS.index(label.level) else None
    missing = tuple(sorted(label.compartments - person.compartments))
    outside = (label.organisations is not None and person.organisation not in label.organisations) or (
        label.people is not None and person.user not in label.people
    )
    return Lack(person.user, level, missing, outside)


def stuck(
    roles: Iterable[str], people: Sequence[Clearance], label: Label, exclude: Iterable[str] = ()
) -> tuple[Stuck, ...]:
    """Each unfilled role with its holders who may not read the review (what each lacks); a holder who may read it
    is already eligible, or excluded (a submitter or an approver of this round), and cannot be helped by a grant."""
    left_out = set(exclude)
    return tuple(
        Stuck(
            role,
            tuple(
                _lack(p, label)
                for p in sorted(people, key=lambda p: p.user)
                if role in p.roles and p.user not in left_out and not can_read(p, label)
            ),
            label,
        )
        for role in unfilled(roles, people, label, left_out)
    )


def approver_pool(workspace: Workspace) -> list[Clearance] | None:
    """The active users with their clearance today (roles included); None while the workspace has no users (it is
    unmanaged: its owner operates it with every permission, so nothing is stuck)."""
    with workspace.session() as session:
        if not session.scalar(select(func.count()).select_from(User)):
            return None
        users = list(session.scalars(select(User).where(User.active.is_(True)).order_by(User.name)))
        return [held.clearance for held in standings(session, users).values()]
