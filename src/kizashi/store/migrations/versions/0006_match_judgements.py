"""match judgements

Revision ID: 0006
Revises: 0005
Create Date: 2026-11-28 20:15:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None

JSON = sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), "postgresql")


def upgrade() -> None:
    op.create_table(
        "match_judgements",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("need_id", sa.String(length=300), nullable=False),
        sa.Column("seed_id", sa.String(length=300), nullable=False),
        sa.Column("decision", sa.String(length=16), nullable=False),
        sa.Column("comment", sa.Text(), nullable=False),
        sa.Column("score", sa.Float(), nullable=True),
        sa.Column("user", sa.String(length=200), nullable=False),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("level", sa.String(length=16), nullable=False),
        sa.Column("compartments", JSON, nullable=False),
        sa.Column("tlp", sa.String(length=16), nullable=True),
        sa.Column("tlp_owner", sa.Text(), nullable=True),
        sa.Column("tlp_recipients", JSON, server_default=sa.text("'[]'"), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_match_judgements")),
    )
    with op.batch_alter_table("match_judgements", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_match_judgements_need_id"), ["need_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_match_judgements_seed_id"), ["seed_id"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("match_judgements", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_match_judgements_seed_id"))
        batch_op.drop_index(batch_op.f("ix_match_judgements_need_id"))
    op.drop_table("match_judgements")
