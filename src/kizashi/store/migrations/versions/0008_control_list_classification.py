"""control-list classification: technology classification decisions

Revision ID: 0008
Revises: 0007
Create Date: 2026-11-28 21:00:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision = "0008"
down_revision = "0007"
branch_labels = None
depends_on = None

JSON = sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), "postgresql")


def upgrade() -> None:
    op.create_table(
        "control_decisions",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("item_kind", sa.String(length=16), nullable=False),
        sa.Column("item_id", sa.String(length=300), nullable=False),
        sa.Column("decision", sa.String(length=32), nullable=False),
        sa.Column("control_list", sa.String(length=64), nullable=True),
        sa.Column("code", sa.String(length=64), nullable=True),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.Column("user", sa.String(length=200), nullable=False),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("level", sa.String(length=16), nullable=False),
        sa.Column("compartments", JSON, nullable=False),
        sa.Column("tlp", sa.String(length=16), nullable=True),
        sa.Column("tlp_owner", sa.Text(), nullable=True),
        sa.Column("tlp_recipients", JSON, server_default=sa.text("'[]'"), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_control_decisions")),
    )
    with op.batch_alter_table("control_decisions", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_control_decisions_item_id"), ["item_id"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("control_decisions", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_control_decisions_item_id"))
    op.drop_table("control_decisions")
