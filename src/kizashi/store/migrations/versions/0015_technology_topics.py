"""technologies.topics: works' topics or keywords that put a work under a technology when scanning

Revision ID: 0015
Revises: 0014
Create Date: 2026-12-07 12:30:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision = "0015"
down_revision = "0014"
branch_labels = None
depends_on = None

JSON = sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), "postgresql")


def upgrade() -> None:
    with op.batch_alter_table("technologies", schema=None) as batch_op:
        batch_op.add_column(sa.Column("topics", JSON, server_default=sa.text("'[]'"), nullable=False))


def downgrade() -> None:
    with op.batch_alter_table("technologies", schema=None) as batch_op:
        batch_op.drop_column("topics")
