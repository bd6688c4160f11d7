"""TLP markings on every labelled record

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-28 19:45:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None

TABLES = ("needs", "seeds", "works", "threats", "technologies")


def upgrade() -> None:
    for table in TABLES:
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.add_column(sa.Column("tlp", sa.String(length=16), nullable=True))
            batch_op.add_column(sa.Column("tlp_owner", sa.Text(), nullable=True))
            batch_op.add_column(
                sa.Column(
                    "tlp_recipients",
                    sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), "postgresql"),
                    server_default=sa.text("'[]'"),
                    nullable=False,
                )
            )


def downgrade() -> None:
    for table in TABLES:
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.drop_column("tlp_recipients")
            batch_op.drop_column("tlp_owner")
            batch_op.drop_column("tlp")
