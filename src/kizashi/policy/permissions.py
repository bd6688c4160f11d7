"""Named permissions: one table of actions to the roles that may take them, and one `require(actor, action)`.

Reading is not in the table: who may read a record is its label's business (kizashi.policy.labels). The table says
who may *do* what beyond reading. Release review is not in it either: who approves a release is decided per
release by the routing rules (protect/release/routing.py), which are data of their own.

A workspace with no users yet is unmanaged: its operator may do everything (they hold the files anyway).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from kizashi.errors import AccessDenied
from kizashi.messages import Message
from kizashi.policy.actor import Actor

ROLES = ("analyst", "principal_investigator", "programme_manager", "security_officer", "admin")
ADMINS = frozenset({"admin"})
OFFICERS = frozenset({"admin", "security_officer"})


@dataclass(frozen=True)
class Permission:
    roles: frozenset[str]
    what: Message  # for the refusal: "<user> may not <what>", and the lists of roles (`kizashi user roles`)

    @property
    def what_ja(self) -> str:
        return self.what.said("ja")


PERMISSIONS: dict[str, Permission] = {
    "users.administer": Permission(ADMINS, Message("administer users, grants, trainings, passwords and tokens")),
    "users.approve": Permission(ADMINS, Message("approve another admin's change (the two-person rule)")),
    "users.read": Permission(ADMINS, Message("read another user's details")),
    "directory.read": Permission(OFFICERS, Message("see who by name may read a project")),
    "audit.read": Permission(OFFICERS, Message("read or export the audit trail")),
    "audit.key": Permission(OFFICERS, Message("seal the audit trail's earlier events with its key")),
    "records.load_for_all": Permission(ADMINS, Message("load records labelled above your own clearance")),
    "screening.load": Permission(OFFICERS, Message("load screening lists")),
    "screening.decide": Permission(OFFICERS, Message("decide on screening alerts")),
    "screening.see_loaders": Permission(OFFICERS, Message("see who loaded each screening list")),
    "controls.decide": Permission(OFFICERS, Message("decide control-list classifications")),
    # Who reads or adds to a threat-intelligence collection is its sharing group's and roles' business (protect/cti).
    "cti.administer": Permission(OFFICERS, Message("create sharing groups and collections and add members to them")),
    "programme.manage": Permission(
        frozenset({"programme_manager", "admin"}), Message("add goals, proposals, projects and barriers")
    ),
    "gates.decide": Permission(frozenset({"programme_manager", "admin"}), Message("decide stage gates of projects")),
    "trl.assess": Permission(
        frozenset({"programme_manager", "principal_investigator", "admin"}), Message("record TRL assessments")
    ),
    "deemed_export.answer_for_others": Permission(
        frozenset({"security_officer", "principal_investigator", "admin"}),
        Message("record another person's deemed-export answer"),
    ),
}


def grants(roles: Iterable[str], action: str) -> bool:
    """Whether holding `roles` lets a user take `action` (an unknown action is a programming error): what a stored
    user may do, where `allowed` says what the actor at hand may."""
    return bool(PERMISSIONS[action].roles & set(roles))


def allowed(actor: Actor, action: str) -> bool:
    """Whether `actor` may take `action`."""
    return not actor.managed or grants(actor.roles, action)


def require(actor: Actor, action: str) -> None:
    """AccessDenied unless `actor` may take `action`; the service that asks writes the refusal to the audit trail."""
    if not allowed(actor, action):
        roles = ", ".join(sorted(PERMISSIONS[action].roles))
        raise AccessDenied(
            Message(
                "'{user}' may not {what}: that needs one of the roles {roles}",
                user=actor.user,
                what=PERMISSIONS[action].what,
                roles=roles,
            )
        )
