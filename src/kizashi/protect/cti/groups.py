"""Sharing groups and TAXII collections: who shares with whom (docs/cti.md).

A sharing group is the compartment `group:<name>`; its members hold it (protect/people/standing.py), so a collection
labelled with it, and every object in the collection, is read through the one access policy like any record. A
collection's read and write roles narrow who of the members may read or add (empty: every member).
"""

from __future__ import annotations

import re
import uuid
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from kizashi.errors import AccessDenied, InputError, NotFound
from kizashi.messages import Message
from kizashi.model import Collection, GroupMember, SharingGroup, User
from kizashi.policy import Actor, Clearance, require
from kizashi.policy.labels import LEVELS, PUBLIC, TLP
from kizashi.policy.permissions import ROLES
from kizashi.protect.people.standing import GROUP_PREFIX
from kizashi.store import audit
from kizashi.store.readable import select_readable, select_trusted
from kizashi.store.service import SHOWN, Delivery, delivered, service
from kizashi.store.workspace import Workspace

NAME = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]{0,99}")
DEFAULT_TLP = "AMBER"  # an unmarked object stays within the organisations of the group's members


@dataclass(frozen=True)
class CollectionView:
    """A collection as its reader sees it; `can_read` / `can_write` for the actor (their roles)."""

    id: str
    name: str
    title: str
    description: str
    group: str
    default_tlp: str
    level: str
    read_roles: tuple[str, ...]
    write_roles: tuple[str, ...]
    can_read: bool
    can_write: bool


def _name(value: str, what: str) -> str:
    if not NAME.fullmatch(value):
        raise InputError(
            Message(
                "a {what} name is 1 to 100 letters, digits, dots, hyphens or underscores, starting with a letter or "
                "digit: '{name}'",
                what=what,
                name=value,
            ),
            field=what,
        )
    return value


def _roles(values: Sequence[str], field: str) -> list[str]:
    unknown = sorted(set(values) - set(ROLES))
    if unknown:
        raise InputError(
            Message("unknown roles {unknown}; use {roles}", unknown=", ".join(unknown), roles=", ".join(ROLES)),
            field=field,
        )
    return sorted(set(values))


def compartment(group: str) -> str:
    return f"{GROUP_PREFIX}{group}"


def _may(held: frozenset[str] | None, roles: Sequence[str]) -> bool:
    return held is None or not roles or bool(set(roles) & held)


def _held(actor: Actor) -> frozenset[str] | None:
    """The roles a collection's read and write roles are checked against; None: an unmanaged workspace's operator."""
    return actor.roles if actor.managed else None


def view(row: Mapping[str, Any], held: frozenset[str] | None) -> CollectionView:
    """The collection row as its reader sees it, `held` their roles (None: the operator, who may everything)."""
    return CollectionView(
        id=row["id"],
        name=row["name"],
        title=row["title"],
        description=row["description"],
        group=row["group_name"],
        default_tlp=row["default_tlp"],
        level=row["level"],
        read_roles=tuple(row["read_roles"]),
        write_roles=tuple(row["write_roles"]),
        can_read=_may(held, row["read_roles"]),
        can_write=_may(held, row["write_roles"]),
    )


def find_collection(session: Session, backend: str, clearance: Clearance, ident: str) -> dict[str, Any]:
    """The collection `ident` (its id or name) through the policy: one the reader may not read is NotFound, in the
    same words as one that does not exist."""
    table = Collection.__table__
    statement = select_readable(clearance, backend, table).where(or_(table.c.id == ident, table.c.name == ident))
    row = session.execute(statement).mappings().first()
    if row is None:
        raise NotFound(Message("no collection '{collection}'", collection=ident))
    return dict(row)


def open_collection(
    session: Session,
    backend: str,
    clearance: Clearance,
    held: frozenset[str] | None,
    ident: str,
    *,
    write: bool = False,
) -> CollectionView:
    """The collection, refused (AccessDenied) unless `held` roles may read its objects (or, `write`, add to it)."""
    found = view(find_collection(session, backend, clearance, ident), held)
    if write and not found.can_write:
        raise AccessDenied(
            Message("'{user}' may not add to collection '{collection}'", user=clearance.user, collection=found.name)
        )
    if not write and not found.can_read:
        raise AccessDenied(
            Message("'{user}' may not read collection '{collection}'", user=clearance.user, collection=found.name)
        )
    return found


@service("cti.group_add")
def add_group(
    workspace: Workspace, actor: Actor, name: str, members: Sequence[str] = (), *, title: str = ""
) -> list[str]:
    """Create the sharing group `name` if it is new and add `members` (existing users) to it; the members it has
    now. Adding a member already in it does nothing."""
    require(actor, "cti.administer")
    _name(name, Message("group"))
    moment = datetime.now(UTC)
    added: list[str] = []
    with workspace.session() as session:
        group = session.get(SharingGroup, name)
        created = group is None
        if group is None:
            session.add(SharingGroup(name=name, title=title.strip(), created_by=actor.user, created_at=moment))
            session.flush()
        present = set(session.scalars(select(GroupMember.user).where(GroupMember.group_name == name)))
        for user in dict.fromkeys(members):
            if session.get(User, user) is None:
                raise NotFound(Message("no user '{name}'", name=user))
            if user not in present:
                session.add(GroupMember(group_name=name, user=user, added_by=actor.user, added_at=moment))
                present.add(user)
                added.append(user)
    audit.record(workspace, actor, "cti_group", detail={"group": name, "created": created, "members_added": added})
    return sorted(present)


@service("cti.collection_add")
def add_collection(
    workspace: Workspace,
    actor: Actor,
    name: str,
    group: str,
    *,
    default_tlp: str = DEFAULT_TLP,
    read_roles: Sequence[str] = (),
    write_roles: Sequence[str] = (),
    title: str = "",
    description: str = "",
    level: str = PUBLIC,
) -> CollectionView:
    """A new collection of `group`, labelled `level` and the group's compartment; its TAXII id is a new UUID."""
    require(actor, "cti.administer")
    _name(name, Message("collection"))
    if default_tlp not in TLP:
        raise InputError(
            Message("unknown TLP marking '{tlp}'; use one of {choices}", tlp=default_tlp, choices=", ".join(TLP)),
            field="default_tlp",
        )
    if level not in LEVELS:
        raise InputError(
            Message("unknown level '{level}'; use one of {choices}", level=level, choices=", ".join(LEVELS)),
            field="level",
        )
    row = Collection(
        id=str(uuid.uuid4()),
        name=name,
        title=title.strip() or name,
        description=description.strip(),
        group_name=group,
        default_tlp=default_tlp,
        read_roles=_roles(read_roles, "read"),
        write_roles=_roles(write_roles, "write"),
        created_by=actor.user,
        created_at=datetime.now(UTC),
        level=level,
        compartments=[compartment(group)],
        tlp=None,
        tlp_owner=None,
        tlp_recipients=[],
    )
    with workspace.session() as session:
        if session.get(SharingGroup, group) is None:
            raise NotFound(Message("no sharing group '{group}'", group=group))
        taken = select_trusted(Collection.id, why="a new collection's name is unique, whoever may read the other")
        if session.scalar(taken.where(Collection.name == name)) is not None:
            raise InputError(Message("a collection named '{name}' exists already", name=name), field="collection")
        session.add(row)
    audit.record(
        workspace,
        actor,
        "cti_collection",
        detail={"collection": row.id, "name": name, "group": group, "default_tlp": default_tlp, "level": level},
    )
    return view({column.key: getattr(row, column.key) for column in Collection.__table__.c}, _held(actor))


@service("cti.collections")
def list_collections(workspace: Workspace, actor: Actor, *, delivery: Delivery = SHOWN) -> list[CollectionView]:
    """The collections `actor` may read (those of their sharing groups), by name; audited."""
    table = Collection.__table__
    with workspace.session() as session:
        statement = select_readable(actor.clearance, workspace.backend, table).order_by(table.c.name)
        found = [view(dict(row), _held(actor)) for row in session.execute(statement).mappings()]
    delivered(workspace, actor, delivery, detail={"service": "cti.collections", "collections": [c.id for c in found]})
    return found


@service("cti.collection")
def get_collection(workspace: Workspace, actor: Actor, ident: str) -> CollectionView:
    """One collection `actor` may read, by id or name (NotFound otherwise); audited."""
    with workspace.session() as session:
        found = view(find_collection(session, workspace.backend, actor.clearance, ident), _held(actor))
    delivered(workspace, actor, SHOWN, detail={"service": "cti.collection", "collection": found.id})
    return found


def member_organisations(session: Session, group: str) -> frozenset[str]:
    """The organisations of the group's members (AMBER's recipients)."""
    statement = (
        select(User.organisation)
        .join(GroupMember, GroupMember.user == User.name)
        .where(GroupMember.group_name == group, User.organisation.is_not(None))
    )
    return frozenset(name for name in session.scalars(statement) if name)
