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

from sqlalchemy import delete, or_, select, update
from sqlalchemy.orm import Session

from kizashi.errors import AccessDenied, InputError, NotFound
from kizashi.messages import Message
from kizashi.model import Collection, CorrelationHit, GroupMember, SharingGroup, StixObject, User
from kizashi.policy import Actor, Clearance, allowed, require
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
    workspace: Workspace,
    actor: Actor,
    name: str,
    members: Sequence[str] = (),
    *,
    title: str = "",
    new: bool = False,
) -> list[str]:
    """Create the sharing group `name` if it is new and add `members` (existing users) to it; the members it has
    now. Adding a member already in it does nothing. `new` (a form to create one): refused if it exists."""
    require(actor, "cti.administer")
    _name(name, Message("group"))
    moment = datetime.now(UTC)
    added: list[str] = []
    with workspace.session() as session:
        group = session.get(SharingGroup, name)
        created = group is None
        if new and not created:
            raise InputError(Message("a sharing group named '{group}' exists already", group=name), field="name")
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
        share_amber_with_members(session, name)
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


# ── the groups as people see them, and leaving one ──────────────────────────────────────────────────────────────


@dataclass(frozen=True)
class Member:
    """One member of a sharing group."""

    user: str
    display_name: str
    organisation: str | None
    added_by: str
    added_at: datetime


@dataclass(frozen=True)
class GroupView:
    """A sharing group with its members and the names of its collections."""

    name: str
    title: str
    created_by: str
    created_at: datetime
    members: tuple[Member, ...]
    collections: tuple[str, ...]


def _groups(session: Session, backend: str, clearance: Clearance, names: Sequence[str] | None) -> list[GroupView]:
    """The groups `names` (None: every one), with members and the collections `clearance` may read. Groups and
    members carry no label: who may see one is decided by the caller (a member, or who administers). A collection is
    labelled: one above the reader (a level they do not hold) is not named, and administering gives no reading."""
    groups = select(SharingGroup).order_by(SharingGroup.name)
    if names is not None:
        groups = groups.where(SharingGroup.name.in_(list(names)))
    found = list(session.scalars(groups))
    wanted = [group.name for group in found]
    members: dict[str, list[Member]] = {name: [] for name in wanted}
    joined = (
        select(GroupMember, User.display_name, User.organisation)
        .join(User, User.name == GroupMember.user)
        .where(GroupMember.group_name.in_(wanted))
        .order_by(GroupMember.user)
    )
    for member, display_name, organisation in session.execute(joined):
        members[member.group_name].append(
            Member(member.user, display_name or member.user, organisation, member.added_by, member.added_at)
        )
    table = Collection.__table__
    names_of = select_readable(clearance, backend, table, columns=[table.c.group_name, table.c.name]).where(
        table.c.group_name.in_(wanted)
    )
    collections: dict[str, list[str]] = {name: [] for name in wanted}
    for group_name, collection in session.execute(names_of.order_by(table.c.name)):
        collections[group_name].append(collection)
    return [
        GroupView(
            group.name,
            group.title or "",
            group.created_by,
            group.created_at,
            tuple(members[group.name]),
            tuple(collections[group.name]),
        )
        for group in found
    ]


def _own_groups(session: Session, actor: Actor) -> list[str] | None:
    """The groups `actor` may see: every one (None) for who administers them, else those they are a member of."""
    if allowed(actor, "cti.administer"):
        return None
    return list(session.scalars(select(GroupMember.group_name).where(GroupMember.user == actor.user)))


@service("cti.groups")
def list_groups(workspace: Workspace, actor: Actor, *, administering: bool = False) -> list[GroupView]:
    """The sharing groups `actor` is a member of (every group for who holds cti.administer), with their members;
    `administering` (a form to create a group or a collection): refused unless the actor holds cti.administer."""
    if administering:
        require(actor, "cti.administer")
    with workspace.session() as session:
        found = _groups(session, workspace.backend, actor.clearance, _own_groups(session, actor))
    delivered(workspace, actor, SHOWN, detail={"service": "cti.groups", "groups": [group.name for group in found]})
    return found


@service("cti.group")
def get_group(workspace: Workspace, actor: Actor, name: str) -> GroupView:
    """One sharing group with its members; one the actor may not see answers like one that does not exist."""
    with workspace.session() as session:
        own = _own_groups(session, actor)
        found = _groups(session, workspace.backend, actor.clearance, [name]) if own is None or name in own else []
    if not found:
        raise NotFound(Message("no sharing group '{group}'", group=name))
    delivered(workspace, actor, SHOWN, detail={"service": "cti.group", "group": name})
    return found[0]


@service("cti.group_remove")
def remove_member(workspace: Workspace, actor: Actor, group: str, user: str) -> list[str]:
    """Take `user` out of `group`: from their next request they no longer hold `group:<group>`, so they read none of
    its collections. The members it has now."""
    require(actor, "cti.administer")
    with workspace.session() as session:
        if session.get(SharingGroup, group) is None:
            raise NotFound(Message("no sharing group '{group}'", group=group))
        mine = (GroupMember.group_name == group, GroupMember.user == user)
        if session.scalar(select(GroupMember.id).where(*mine)) is None:
            raise NotFound(Message("'{user}' is not a member of sharing group '{group}'", user=user, group=group))
        session.execute(delete(GroupMember).where(*mine))
        share_amber_with_members(session, group)
        present = sorted(session.scalars(select(GroupMember.user).where(GroupMember.group_name == group)))
    audit.record(workspace, actor, "cti_group", detail={"group": group, "created": False, "members_removed": [user]})
    return present


def share_amber_with_members(session: Session, group: str) -> None:
    """Keep the AMBER objects of the group's collections shared with the organisations of its members as they are
    now (docs/cti.md, TLP): an organisation that joins reads the AMBER objects added before it joined, one that
    leaves is no recipient any more. The label stays the one thing the policy reads; only its recipients follow the
    membership, rewritten here where the membership changes."""
    organisations = member_organisations(session, group)
    ids = list(
        session.scalars(
            select_trusted(Collection.id, why="a membership change re-shares the group's AMBER objects").where(
                Collection.group_name == group
            )
        )
    )
    if not ids:
        return
    objects = StixObject.__table__
    in_group = objects.c.collection_id.in_(ids)
    # What copies an object's label follows it, else a member who joins reads the objects but not what was found and
    # tied with them: the hits of correlation runs (labelled like their indicator) re-shared alike, and the links of
    # objects to research assets labelled again from both ends (the asset's own TLP may narrow them).
    hits = CorrelationHit.__table__
    for table, where in ((objects, in_group), (hits, hits.c.collection_id.in_(ids))):
        _share_amber(session, table, where, organisations)
    from kizashi.protect.cti.assets import relabel_links  # assets.py reads collections through this module

    relabel_links(
        session,
        select_trusted(objects.c.stix_id, why="a membership change relabels the links of the group's objects").where(
            in_group
        ),
    )


def _share_amber(session: Session, table: Any, where: Any, organisations: frozenset[str]) -> None:
    amber = (where, table.c.tlp == "AMBER")
    owners = session.scalars(
        select_trusted(table.c.tlp_owner, why="a membership change re-shares the group's AMBER objects")
        .where(*amber)
        .distinct()
    )
    for owner in list(owners):
        recipients = sorted(organisations - {owner} - {""})
        mine = table.c.tlp_owner.is_(None) if owner is None else table.c.tlp_owner == owner
        session.execute(update(table).where(*amber, mine).values(tlp_recipients=recipients))
