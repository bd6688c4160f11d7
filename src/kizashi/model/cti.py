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

from sqlalchemy import CheckConstraint, DateTime, ForeignKey, Index, Integer, String, Text, UniqueConstraint
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


class AssetLink(CopiedLabel, Base):
    """A STIX object (threat actor, malware, attack pattern, intrusion set, campaign) tied to one research asset of
    the workspace: a seed, a programme project, a technology, or a threat of the register (through which the
    technologies and projects answering it are tied too; protect/cti/assets.py). Labelled at least as high as both
    the asset and the object: a link tells of both. Several people may tie the same pair (none may learn of another's
    link they cannot read); readers see them once."""

    __tablename__ = "cti_asset_links"
    __table_args__ = (
        CheckConstraint("asset_kind IN ('seeds', 'programme_projects', 'technologies', 'threats')", name="asset_kind"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    stix_id: Mapped[str] = mapped_column(String(300), index=True)
    asset_kind: Mapped[str] = mapped_column(String(32))  # the table the asset is a row of
    asset_id: Mapped[str] = mapped_column(String(300), index=True)
    reason: Mapped[str] = mapped_column(Text, default="")
    user: Mapped[str] = mapped_column(String(200))
    at: Mapped[datetime] = mapped_column(DateTime(timezone=True))


class CorrelationRun(Base):
    """One correlation of an observation file (protect/cti/runs.py): who ran it, on what, and how much was read.
    Observations are the runner's own organisation's data, so a run is read by who made it (and the auditors); its
    hits, each labelled like its indicator, are further filtered by the one access policy."""

    __tablename__ = "cti_correlation_runs"

    id: Mapped[str] = mapped_column(String(36), primary_key=True)  # a UUID
    user: Mapped[str] = mapped_column(String(200), index=True)
    at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    file: Mapped[str] = mapped_column(Text)  # the file's name as given
    file_hash: Mapped[str] = mapped_column(String(64))  # SHA-256 of its bytes
    observations: Mapped[int] = mapped_column(Integer)
    indicators: Mapped[int] = mapped_column(Integer)
    since: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    collection_id: Mapped[str | None] = mapped_column(String(36))  # the one collection correlated, else all
    skipped: Mapped[list[Any]] = mapped_column(default=list)  # [{"indicator", "reason"}]


class CorrelationHit(CopiedLabel, Base):
    """The hits of one indicator in one run, labelled like the indicator's stored version."""

    __tablename__ = "cti_correlation_hits"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    run_id: Mapped[str] = mapped_column(String(36), ForeignKey("cti_correlation_runs.id"), index=True)
    indicator: Mapped[str] = mapped_column(String(300))
    collection_id: Mapped[str] = mapped_column(String(36))
    name: Mapped[str] = mapped_column(Text, default="")
    count: Mapped[int] = mapped_column(Integer)
    first_seen: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    last_seen: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    indicates: Mapped[list[Any]] = mapped_column(default=list)  # [{"id", "type", "name"}]
    samples: Mapped[list[Any]] = mapped_column(default=list)  # [{"row", "time", "type", "value"}]
    sighting: Mapped[str | None] = mapped_column(String(300))
