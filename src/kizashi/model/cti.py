"""The threat-intelligence store (protect/cti, docs/cti.md): sharing groups and their members, TAXII collections,
every version of every STIX object, and the status resources of adds.

A sharing group is a compartment, `group:<name>`, whose holders are the rows of `cti_group_members` (not grants): a
collection and every object in it carry that compartment, so the one access policy (kizashi.policy) decides who reads
them. An object's TLP marking (from its `object_marking_refs`, else the collection's default) fills the TLP label
columns: AMBER names the adder's organisation as owner and the members' organisations as recipients, RED the people
named (docs/cti.md).
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import DateTime, ForeignKey, Index, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from kizashi.model.base import Base, CopiedLabel


class SharingGroup(Base):
    """A community that shares intelligence: its members read (and by default write) its collections."""

    __tablename__ = "cti_groups"

    name: Mapped[str] = mapped_column(String(100), primary_key=True)
    title: Mapped[str] = mapped_column(Text, default="")
    created_by: Mapped[str] = mapped_column(String(200))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))


class GroupMember(Base):
    """One user in one sharing group: they hold the compartment `group:<group>` (protect/people/standing.py)."""

    __tablename__ = "cti_group_members"
    __table_args__ = (UniqueConstraint("group_name", "user", name="uq_cti_group_members_group_user"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    group_name: Mapped[str] = mapped_column(String(100), ForeignKey("cti_groups.name"), index=True)
    user: Mapped[str] = mapped_column(String(200), ForeignKey("users.name"), index=True)
    added_by: Mapped[str] = mapped_column(String(200))
    added_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))


class Collection(CopiedLabel, Base):
    """A TAXII collection of one sharing group. Labelled `group:<group>` (at `level`), so it is listed only to those
    who may read it; `read_roles`/`write_roles` narrow who of them may read or add (empty: every member)."""

    __tablename__ = "cti_collections"

    id: Mapped[str] = mapped_column(String(36), primary_key=True)  # a UUID: the TAXII collection id
    name: Mapped[str] = mapped_column(String(100), unique=True)
    title: Mapped[str] = mapped_column(Text, default="")
    description: Mapped[str] = mapped_column(Text, default="")
    group_name: Mapped[str] = mapped_column(String(100), ForeignKey("cti_groups.name"), index=True)
    default_tlp: Mapped[str] = mapped_column(String(16))
    read_roles: Mapped[list[str]] = mapped_column(default=list)
    write_roles: Mapped[list[str]] = mapped_column(default=list)
    created_by: Mapped[str] = mapped_column(String(200))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))


class StixObject(CopiedLabel, Base):
    """One version of one STIX object in one collection, as it was added (`body`: the JSON text, byte for byte what
    is served). `version` is `modified`, else `created`, else `date_added` (objects without either, SCOs); identical
    content (`content_hash`) added again is no new row. `date_added` is the server's, with microseconds; TAXII pages
    by (date_added, id)."""

    __tablename__ = "cti_objects"
    __table_args__ = (
        UniqueConstraint("collection_id", "stix_id", "version", name="uq_cti_objects_collection_stix_version"),
        Index("ix_cti_objects_collection_added", "collection_id", "date_added", "id"),
        Index("ix_cti_objects_collection_type", "collection_id", "type"),
        Index("ix_cti_objects_collection_hash", "collection_id", "stix_id", "content_hash"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    collection_id: Mapped[str] = mapped_column(String(36), ForeignKey("cti_collections.id"))
    stix_id: Mapped[str] = mapped_column(String(300), index=True)
    type: Mapped[str] = mapped_column(String(250))
    spec_version: Mapped[str] = mapped_column(String(8))
    created: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    modified: Mapped[datetime | None] = mapped_column(DateTime(timezone=True), index=True)
    version: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    date_added: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    body: Mapped[str] = mapped_column(Text)
    content_hash: Mapped[str] = mapped_column(String(64))
    added_by: Mapped[str] = mapped_column(String(200))
    status_id: Mapped[str | None] = mapped_column(String(36))
    import_id: Mapped[int | None] = mapped_column(Integer, ForeignKey("imports.id"), index=True)


class AddStatus(Base):
    """A TAXII status resource: the outcome of one add, readable by whoever made it. An add is one transaction, so a
    stored status is complete; `successes` / `failures` / `pendings` hold {"id", "version", "message"}."""

    __tablename__ = "cti_statuses"

    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    collection_id: Mapped[str] = mapped_column(String(36), ForeignKey("cti_collections.id"), index=True)
    status: Mapped[str] = mapped_column(String(16))
    request_timestamp: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    total_count: Mapped[int] = mapped_column(Integer)
    success_count: Mapped[int] = mapped_column(Integer)
    failure_count: Mapped[int] = mapped_column(Integer)
    pending_count: Mapped[int] = mapped_column(Integer)
    successes: Mapped[list[Any]] = mapped_column(default=list)
    failures: Mapped[list[Any]] = mapped_column(default=list)
    pendings: Mapped[list[Any]] = mapped_column(default=list)
    created_by: Mapped[str] = mapped_column(String(200))
