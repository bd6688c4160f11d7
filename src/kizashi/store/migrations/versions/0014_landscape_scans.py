"""landscape scans: each `kizashi scan` stored with its parameters, label, tables and fronts

Revision ID: 0014
Revises: 0013
Create Date: 2026-12-07 10:40:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision = "0014"
down_revision = "0013"
branch_labels = None
depends_on = None

JSON = sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), "postgresql")


def upgrade() -> None:
    op.create_table(
        "landscape_scans",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("user", sa.String(length=200), nullable=False),
        sa.Column("parameters", JSON, nullable=False),
        sa.Column("engine", sa.String(length=16), nullable=False),
        sa.Column("fingerprint", sa.String(length=64), nullable=False),
        sa.Column("public", sa.Boolean(), nullable=False),
        sa.Column("works", sa.Integer(), nullable=False),
        sa.Column("tables", JSON, nullable=False),
        sa.Column("fronts", JSON, nullable=False),
        sa.Column("level", sa.String(length=16), nullable=False),
        sa.Column("compartments", JSON, nullable=False),
        sa.Column("tlp", sa.String(length=16), nullable=True),
        sa.Column("tlp_owner", sa.Text(), nullable=True),
        sa.Column("tlp_recipients", JSON, server_default=sa.text("'[]'"), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_landscape_scans")),
    )
    with op.batch_alter_table("landscape_scans", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_landscape_scans_public"), ["public"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("landscape_scans", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_landscape_scans_public"))
    op.drop_table("landscape_scans")
