"""release review: release reviews, transitions and deemed-export answers

Revision ID: 0009
Revises: 0008
Create Date: 2026-11-28 21:00:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision = "0009"
down_revision = "0008"
branch_labels = None
depends_on = None

JSON = sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), "postgresql")


def _label_columns() -> list[sa.Column[object]]:
    return [
        sa.Column("level", sa.String(length=16), nullable=False),
        sa.Column("compartments", JSON, nullable=False),
        sa.Column("tlp", sa.String(length=16), nullable=True),
        sa.Column("tlp_owner", sa.Text(), nullable=True),
        sa.Column("tlp_recipients", JSON, server_default=sa.text("'[]'"), nullable=False),
    ]


def upgrade() -> None:
    op.create_table(
        "release_reviews",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("record_kind", sa.String(length=16), nullable=False),
        sa.Column("record_id", sa.String(length=300), nullable=False),
        sa.Column("number", sa.Integer(), nullable=False),
        sa.Column("created_by", sa.String(length=200), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        *_label_columns(),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_release_reviews")),
        sa.UniqueConstraint("record_kind", "record_id", "number", name="uq_release_reviews_record_number"),
    )
    with op.batch_alter_table("release_reviews", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_release_reviews_record_id"), ["record_id"], unique=False)
    op.create_table(
        "release_transitions",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("review_id", sa.Integer(), nullable=False),
        sa.Column("seq", sa.Integer(), nullable=False),
        sa.Column("action", sa.String(length=32), nullable=False),
        sa.Column("from_state", sa.String(length=32), nullable=False),
        sa.Column("to_state", sa.String(length=32), nullable=False),
        sa.Column("role", sa.String(length=40), nullable=True),
        sa.Column("user", sa.String(length=200), nullable=False),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("comment", sa.Text(), nullable=False),
        sa.Column("routing", JSON, nullable=True),
        *_label_columns(),
        sa.ForeignKeyConstraint(
            ["review_id"],
            ["release_reviews.id"],
            name=op.f("fk_release_transitions_review_id_release_reviews"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_release_transitions")),
        sa.UniqueConstraint("review_id", "seq", name="uq_release_transitions_review_seq"),
    )
    with op.batch_alter_table("release_transitions", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_release_transitions_review_id"), ["review_id"], unique=False)
    op.create_table(
        "deemed_export_answers",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("project_kind", sa.String(length=16), nullable=False),
        sa.Column("project_id", sa.String(length=300), nullable=False),
        sa.Column("person", sa.String(length=200), nullable=False),
        sa.Column("categories", JSON, nullable=False),
        sa.Column("answered_by", sa.String(length=200), nullable=False),
        sa.Column("answered_on", sa.Date(), nullable=False),
        sa.Column("evidence", sa.Text(), nullable=False),
        sa.Column("recorded_by", sa.String(length=200), nullable=False),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        *_label_columns(),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_deemed_export_answers")),
    )
    with op.batch_alter_table("deemed_export_answers", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_deemed_export_answers_project_id"), ["project_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_deemed_export_answers_person"), ["person"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("deemed_export_answers", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_deemed_export_answers_person"))
        batch_op.drop_index(batch_op.f("ix_deemed_export_answers_project_id"))
    op.drop_table("deemed_export_answers")
    with op.batch_alter_table("release_transitions", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_release_transitions_review_id"))
    op.drop_table("release_transitions")
    with op.batch_alter_table("release_reviews", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_release_reviews_record_id"))
    op.drop_table("release_reviews")
