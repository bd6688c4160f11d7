"""the threat-intelligence store (#16): sharing groups and members, TAXII collections, every version of STIX objects, add statuses

Revision ID: 0016
Revises: 0015
Create Date: 2026-12-07 18:50:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision = "0016"
down_revision = "0015"
branch_labels = None
depends_on = None

JSON = sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), "postgresql")


def upgrade() -> None:
    op.create_table(
        "cti_groups",
        sa.Column("name", sa.String(length=100), nullable=False),
        sa.Column("title", sa.Text(), nullable=False),
        sa.Column("created_by", sa.String(length=200), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("name", name=op.f("pk_cti_groups")),
    )
    op.create_table(
        "cti_collections",
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("name", sa.String(length=100), nullable=False),
        sa.Column("title", sa.Text(), nullable=False),
        sa.Column("description", sa.Text(), nullable=False),
        sa.Column("group_name", sa.String(length=100), nullable=False),
        sa.Column("default_tlp", sa.String(length=16), nullable=False),
        sa.Column("read_roles", JSON, nullable=False),
        sa.Column("write_roles", JSON, nullable=False),
        sa.Column("created_by", sa.String(length=200), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("level", sa.String(length=16), nullable=False),
        sa.Column("compartments", JSON, nullable=False),
        sa.Column("tlp", sa.String(length=16), nullable=True),
        sa.Column("tlp_owner", sa.Text(), nullable=True),
        sa.Column("tlp_recipients", JSON, server_default=sa.text("'[]'"), nullable=False),
        sa.ForeignKeyConstraint(
            ["group_name"], ["cti_groups.name"], name=op.f("fk_cti_collections_group_name_cti_groups")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_cti_collections")),
        sa.UniqueConstraint("name", name=op.f("uq_cti_collections_name")),
    )
    with op.batch_alter_table("cti_collections", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_cti_collections_group_name"), ["group_name"], unique=False)

    op.create_table(
        "cti_group_members",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("group_name", sa.String(length=100), nullable=False),
        sa.Column("user", sa.String(length=200), nullable=False),
        sa.Column("added_by", sa.String(length=200), nullable=False),
        sa.Column("added_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["group_name"], ["cti_groups.name"], name=op.f("fk_cti_group_members_group_name_cti_groups")
        ),
        sa.ForeignKeyConstraint(["user"], ["users.name"], name=op.f("fk_cti_group_members_user_users")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_cti_group_members")),
        sa.UniqueConstraint("group_name", "user", name="uq_cti_group_members_group_user"),
    )
    with op.batch_alter_table("cti_group_members", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_cti_group_members_group_name"), ["group_name"], unique=False)
        batch_op.create_index(batch_op.f("ix_cti_group_members_user"), ["user"], unique=False)

    op.create_table(
        "cti_objects",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("collection_id", sa.String(length=36), nullable=False),
        sa.Column("stix_id", sa.String(length=300), nullable=False),
        sa.Column("type", sa.String(length=250), nullable=False),
        sa.Column("spec_version", sa.String(length=8), nullable=False),
        sa.Column("created", sa.DateTime(timezone=True), nullable=True),
        sa.Column("modified", sa.DateTime(timezone=True), nullable=True),
        sa.Column("version", sa.DateTime(timezone=True), nullable=False),
        sa.Column("date_added", sa.DateTime(timezone=True), nullable=False),
        sa.Column("body", sa.Text(), nullable=False),
        sa.Column("content_hash", sa.String(length=64), nullable=False),
        sa.Column("added_by", sa.String(length=200), nullable=False),
        sa.Column("status_id", sa.String(length=36), nullable=True),
        sa.Column("import_id", sa.Integer(), nullable=True),
        sa.Column("level", sa.String(length=16), nullable=False),
        sa.Column("compartments", JSON, nullable=False),
        sa.Column("tlp", sa.String(length=16), nullable=True),
        sa.Column("tlp_owner", sa.Text(), nullable=True),
        sa.Column("tlp_recipients", JSON, server_default=sa.text("'[]'"), nullable=False),
        sa.ForeignKeyConstraint(
            ["collection_id"], ["cti_collections.id"], name=op.f("fk_cti_objects_collection_id_cti_collections")
        ),
        sa.ForeignKeyConstraint(["import_id"], ["imports.id"], name=op.f("fk_cti_objects_import_id_imports")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_cti_objects")),
        sa.UniqueConstraint("collection_id", "stix_id", "version", name="uq_cti_objects_collection_stix_version"),
    )
    with op.batch_alter_table("cti_objects", schema=None) as batch_op:
        batch_op.create_index("ix_cti_objects_collection_added", ["collection_id", "date_added", "id"], unique=False)
        batch_op.create_index(
            "ix_cti_objects_collection_hash", ["collection_id", "stix_id", "content_hash"], unique=False
        )
        batch_op.create_index("ix_cti_objects_collection_type", ["collection_id", "type"], unique=False)
        batch_op.create_index(batch_op.f("ix_cti_objects_import_id"), ["import_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_cti_objects_modified"), ["modified"], unique=False)
        batch_op.create_index(batch_op.f("ix_cti_objects_stix_id"), ["stix_id"], unique=False)

    op.create_table(
        "cti_statuses",
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("collection_id", sa.String(length=36), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("request_timestamp", sa.DateTime(timezone=True), nullable=False),
        sa.Column("total_count", sa.Integer(), nullable=False),
        sa.Column("success_count", sa.Integer(), nullable=False),
        sa.Column("failure_count", sa.Integer(), nullable=False),
        sa.Column("pending_count", sa.Integer(), nullable=False),
        sa.Column("successes", JSON, nullable=False),
        sa.Column("failures", JSON, nullable=False),
        sa.Column("pendings", JSON, nullable=False),
        sa.Column("created_by", sa.String(length=200), nullable=False),
        sa.ForeignKeyConstraint(
            ["collection_id"], ["cti_collections.id"], name=op.f("fk_cti_statuses_collection_id_cti_collections")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_cti_statuses")),
    )
    with op.batch_alter_table("cti_statuses", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_cti_statuses_collection_id"), ["collection_id"], unique=False)


def downgrade() -> None:

    with op.batch_alter_table("cti_statuses", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_cti_statuses_collection_id"))

    op.drop_table("cti_statuses")
    with op.batch_alter_table("cti_objects", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_cti_objects_stix_id"))
        batch_op.drop_index(batch_op.f("ix_cti_objects_modified"))
        batch_op.drop_index(batch_op.f("ix_cti_objects_import_id"))
        batch_op.drop_index("ix_cti_objects_collection_type")
        batch_op.drop_index("ix_cti_objects_collection_hash")
        batch_op.drop_index("ix_cti_objects_collection_added")

    op.drop_table("cti_objects")
    with op.batch_alter_table("cti_group_members", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_cti_group_members_user"))
        batch_op.drop_index(batch_op.f("ix_cti_group_members_group_name"))

    op.drop_table("cti_group_members")
    with op.batch_alter_table("cti_collections", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_cti_collections_group_name"))

    op.drop_table("cti_collections")
    op.drop_table("cti_groups")
