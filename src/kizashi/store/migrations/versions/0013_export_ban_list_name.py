"""the bundled Japanese lists are named as what they are: export-ban designations, not METI's End User List

Revision ID: 0013
Revises: 0012
Create Date: 2026-12-07 05:30:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0013"
down_revision = "0012"
branch_labels = None
depends_on = None

OLD, NEW = "METI end-user lists", "METI export ban lists"


def upgrade() -> None:
    # Versions are grouped by name: without this, the next load would start a second list beside the old one.
    rename = sa.text("UPDATE screening_list_versions SET list_name = :new WHERE list_name = :old")
    op.get_bind().execute(rename, {"old": OLD, "new": NEW})


def downgrade() -> None:
    rename = sa.text("UPDATE screening_list_versions SET list_name = :new WHERE list_name = :old")
    op.get_bind().execute(rename, {"old": NEW, "new": OLD})
