"""audit events' MAC under a key kept outside the store; login refusals counted per name and address

Revision ID: 0012
Revises: 0011
Create Date: 2026-12-10 09:00:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0012"
down_revision = "0011"
branch_labels = None
depends_on = None


def upgrade() -> None:
    # Events written before this have no MAC: `kizashi audit key backfill` seals them (docs/security.md).
    with op.batch_alter_table("audit_events", schema=None) as batch_op:
        batch_op.add_column(sa.Column("mac", sa.String(length=64), nullable=True))
    op.create_table(
        "login_refusals",
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("origin", sa.String(length=100), nullable=False),
        sa.Column("unreported", sa.Integer(), nullable=False),
        sa.Column("first_unreported_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("reported_at", sa.DateTime(timezone=True), nullable=True),
        sa.PrimaryKeyConstraint("name", "origin", name=op.f("pk_login_refusals")),
    )


def downgrade() -> None:
    op.drop_table("login_refusals")
    with op.batch_alter_table("audit_events", schema=None) as batch_op:
        batch_op.drop_column("mac")
