"""partner screening: lists, list entries, screening decisions

Revision ID: 0007
Revises: 0006
Create Date: 2026-11-28 21:00:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None

JSON = sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), "postgresql")


def upgrade() -> None:
    op.create_table(
        "screening_list_versions",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("list_name", sa.String(length=200), nullable=False),
        sa.Column("source", sa.String(length=32), nullable=False),
        sa.Column("date", sa.String(length=32), nullable=False),
        sa.Column("sha256", sa.String(length=64), nullable=False),
        sa.Column("file", sa.Text(), nullable=False),
        sa.Column("entries", sa.Integer(), nullable=False),
        sa.Column("loaded_by", sa.String(length=200), nullable=False),
        sa.Column("loaded_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_screening_list_versions")),
    )
    with op.batch_alter_table("screening_list_versions", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_screening_list_versions_list_name"), ["list_name"], unique=False)
    op.create_table(
        "screening_entries",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("version_id", sa.Integer(), nullable=False),
        sa.Column("list_name", sa.String(length=200), nullable=False),
        sa.Column("entry_id", sa.String(length=300), nullable=False),
        sa.Column("name", sa.Text(), nullable=False),
        sa.Column("aliases", JSON, nullable=False),
        sa.Column("type", sa.String(length=16), nullable=True),
        sa.Column("countries", JSON, nullable=False),
        sa.Column("program", sa.Text(), nullable=True),
        sa.ForeignKeyConstraint(
            ["version_id"],
            ["screening_list_versions.id"],
            name=op.f("fk_screening_entries_version_id_screening_list_versions"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_screening_entries")),
    )
    with op.batch_alter_table("screening_entries", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_screening_entries_version_id"), ["version_id"], unique=False)
    op.create_table(
        "screening_decisions",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("party_key", sa.String(length=500), nullable=False),
        sa.Column("party_name", sa.Text(), nullable=False),
        sa.Column("entry_list", sa.String(length=200), nullable=False),
        sa.Column("entry_id", sa.String(length=300), nullable=False),
        sa.Column("version_id", sa.Integer(), nullable=True),
        sa.Column("decision", sa.String(length=16), nullable=False),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.Column("user", sa.String(length=200), nullable=False),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("level", sa.String(length=16), nullable=False),
        sa.Column("compartments", JSON, nullable=False),
        sa.Column("tlp", sa.String(length=16), nullable=True),
        sa.Column("tlp_owner", sa.Text(), nullable=True),
        sa.Column("tlp_recipients", JSON, server_default=sa.text("'[]'"), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_screening_decisions")),
    )
    with op.batch_alter_table("screening_decisions", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_screening_decisions_party_key"), ["party_key"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("screening_decisions", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_screening_decisions_party_key"))
    op.drop_table("screening_decisions")
    with op.batch_alter_table("screening_entries", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_screening_entries_version_id"))
    op.drop_table("screening_entries")
    with op.batch_alter_table("screening_list_versions", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_screening_list_versions_list_name"))
    op.drop_table("screening_list_versions")
