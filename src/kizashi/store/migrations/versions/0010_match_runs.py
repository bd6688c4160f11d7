"""match runs: stored runs of the matcher and their labelled proposals

Revision ID: 0010
Revises: 0009
Create Date: 2026-11-28 22:10:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision = "0010"
down_revision = "0009"
branch_labels = None
depends_on = None

JSON = sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), "postgresql")


def upgrade() -> None:
    op.create_table(
        "match_runs",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("user", sa.String(length=200), nullable=False),
        sa.Column("settings", JSON, nullable=False),
        sa.Column("needs", sa.Integer(), nullable=False),
        sa.Column("seeds", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_match_runs")),
    )
    op.create_table(
        "match_proposals",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("run_id", sa.Integer(), nullable=False),
        sa.Column("need_id", sa.String(length=300), nullable=False),
        sa.Column("seed_id", sa.String(length=300), nullable=False),
        sa.Column("rank", sa.Integer(), nullable=False),
        sa.Column("score", sa.Float(), nullable=False),
        sa.Column("evidence", JSON, nullable=False),
        sa.Column("level", sa.String(length=16), nullable=False),
        sa.Column("compartments", JSON, nullable=False),
        sa.Column("tlp", sa.String(length=16), nullable=True),
        sa.Column("tlp_owner", sa.Text(), nullable=True),
        sa.Column("tlp_recipients", JSON, server_default=sa.text("'[]'"), nullable=False),
        sa.ForeignKeyConstraint(["run_id"], ["match_runs.id"], name=op.f("fk_match_proposals_run_id_match_runs")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_match_proposals")),
    )
    with op.batch_alter_table("match_proposals", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_match_proposals_run_id"), ["run_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_match_proposals_need_id"), ["need_id"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("match_proposals", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_match_proposals_need_id"))
        batch_op.drop_index(batch_op.f("ix_match_proposals_run_id"))
    op.drop_table("match_proposals")
    op.drop_table("match_runs")
