"""programmes (#17): goals, their Heilmeier proposals, projects, stage-gate decisions, TRL assessments, barriers

Revision ID: 0017
Revises: 0016
Create Date: 2026-12-07 19:00:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision = "0017"
down_revision = "0016"
branch_labels = None
depends_on = None

JSON = sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), "postgresql")


def upgrade() -> None:
    op.create_table(
        "gate_decisions",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("project_id", sa.String(length=300), nullable=False),
        sa.Column("gate", sa.String(length=100), nullable=False),
        sa.Column("decision", sa.String(length=16), nullable=False),
        sa.Column("achieved", sa.String(length=1), nullable=False),
        sa.Column("outlook", sa.String(length=1), nullable=False),
        sa.Column("must_meet", JSON, nullable=False),
        sa.Column("should_meet", JSON, nullable=False),
        sa.Column("reviewers", JSON, nullable=False),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.Column("user", sa.String(length=200), nullable=False),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("level", sa.String(length=16), nullable=False),
        sa.Column("compartments", JSON, nullable=False),
        sa.Column("tlp", sa.String(length=16), nullable=True),
        sa.Column("tlp_owner", sa.Text(), nullable=True),
        sa.Column("tlp_recipients", JSON, server_default=sa.text("'[]'"), nullable=False),
        sa.CheckConstraint(
            "achieved IN ('a', 'b', 'c') AND outlook IN ('a', 'b', 'c')", name=op.f("ck_gate_decisions_ratings")
        ),
        sa.CheckConstraint("decision IN ('go', 'kill', 'hold', 'recycle')", name=op.f("ck_gate_decisions_decision")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_gate_decisions")),
    )
    op.create_index(op.f("ix_gate_decisions_project_id"), "gate_decisions", ["project_id"], unique=False)
    op.create_table(
        "trl_assessments",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("subject_kind", sa.String(length=32), nullable=False),
        sa.Column("subject_id", sa.String(length=300), nullable=False),
        sa.Column("trl", sa.Integer(), nullable=False),
        sa.Column("evidence", sa.Text(), nullable=False),
        sa.Column("assessor", sa.String(length=200), nullable=False),
        sa.Column("user", sa.String(length=200), nullable=False),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("level", sa.String(length=16), nullable=False),
        sa.Column("compartments", JSON, nullable=False),
        sa.Column("tlp", sa.String(length=16), nullable=True),
        sa.Column("tlp_owner", sa.Text(), nullable=True),
        sa.Column("tlp_recipients", JSON, server_default=sa.text("'[]'"), nullable=False),
        sa.CheckConstraint("trl BETWEEN 1 AND 9", name=op.f("ck_trl_assessments_trl")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_trl_assessments")),
    )
    op.create_index(op.f("ix_trl_assessments_subject_id"), "trl_assessments", ["subject_id"], unique=False)
    op.create_table(
        "barriers",
        sa.Column("title", sa.Text(), nullable=False),
        sa.Column("kind", sa.String(length=32), nullable=False),
        sa.Column("owner", sa.Text(), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("blocks", JSON, nullable=False),
        sa.Column("action", sa.Text(), nullable=False),
        sa.Column("created_by", sa.String(length=200), nullable=False),
        sa.Column("removed_by", sa.String(length=200), nullable=True),
        sa.Column("removed_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("id", sa.String(length=300), nullable=False),
        sa.Column("level", sa.String(length=16), nullable=False),
        sa.Column("compartments", JSON, nullable=False),
        sa.Column("tlp", sa.String(length=16), nullable=True),
        sa.Column("tlp_owner", sa.Text(), nullable=True),
        sa.Column("tlp_recipients", JSON, server_default=sa.text("'[]'"), nullable=False),
        sa.Column("content_hash", sa.String(length=32), nullable=False),
        sa.Column("import_id", sa.Integer(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), server_default=sa.func.now(), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), server_default=sa.func.now(), nullable=False),
        sa.CheckConstraint("status IN ('open', 'removed')", name=op.f("ck_barriers_status")),
        sa.ForeignKeyConstraint(["import_id"], ["imports.id"], name=op.f("fk_barriers_import_id_imports")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_barriers")),
    )
    op.create_index(op.f("ix_barriers_import_id"), "barriers", ["import_id"], unique=False)
    op.create_table(
        "goal_proposals",
        sa.Column("goal_id", sa.String(length=300), nullable=False),
        sa.Column("title", sa.Text(), nullable=False),
        sa.Column("what", sa.Text(), nullable=False),
        sa.Column("today", sa.Text(), nullable=False),
        sa.Column("new", sa.Text(), nullable=False),
        sa.Column("who_cares", sa.Text(), nullable=False),
        sa.Column("risks", sa.Text(), nullable=False),
        sa.Column("cost", sa.Text(), nullable=False),
        sa.Column("time", sa.Text(), nullable=False),
        sa.Column("midterm_exam", sa.Text(), nullable=False),
        sa.Column("final_exam", sa.Text(), nullable=False),
        sa.Column("created_by", sa.String(length=200), nullable=False),
        sa.Column("id", sa.String(length=300), nullable=False),
        sa.Column("level", sa.String(length=16), nullable=False),
        sa.Column("compartments", JSON, nullable=False),
        sa.Column("tlp", sa.String(length=16), nullable=True),
        sa.Column("tlp_owner", sa.Text(), nullable=True),
        sa.Column("tlp_recipients", JSON, server_default=sa.text("'[]'"), nullable=False),
        sa.Column("content_hash", sa.String(length=32), nullable=False),
        sa.Column("import_id", sa.Integer(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), server_default=sa.func.now(), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), server_default=sa.func.now(), nullable=False),
        sa.ForeignKeyConstraint(["import_id"], ["imports.id"], name=op.f("fk_goal_proposals_import_id_imports")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_goal_proposals")),
    )
    op.create_index(op.f("ix_goal_proposals_goal_id"), "goal_proposals", ["goal_id"], unique=False)
    op.create_index(op.f("ix_goal_proposals_import_id"), "goal_proposals", ["import_id"], unique=False)
    op.create_table(
        "goals",
        sa.Column("title_ja", sa.Text(), nullable=False),
        sa.Column("title_en", sa.Text(), nullable=False),
        sa.Column("threats", JSON, nullable=False),
        sa.Column("capability", sa.Text(), nullable=False),
        sa.Column("target_date", sa.Date(), nullable=False),
        sa.Column("target", sa.Text(), nullable=False),
        sa.Column("created_by", sa.String(length=200), nullable=False),
        sa.Column("id", sa.String(length=300), nullable=False),
        sa.Column("level", sa.String(length=16), nullable=False),
        sa.Column("compartments", JSON, nullable=False),
        sa.Column("tlp", sa.String(length=16), nullable=True),
        sa.Column("tlp_owner", sa.Text(), nullable=True),
        sa.Column("tlp_recipients", JSON, server_default=sa.text("'[]'"), nullable=False),
        sa.Column("content_hash", sa.String(length=32), nullable=False),
        sa.Column("import_id", sa.Integer(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), server_default=sa.func.now(), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), server_default=sa.func.now(), nullable=False),
        sa.ForeignKeyConstraint(["import_id"], ["imports.id"], name=op.f("fk_goals_import_id_imports")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_goals")),
    )
    op.create_index(op.f("ix_goals_import_id"), "goals", ["import_id"], unique=False)
    op.create_table(
        "programme_projects",
        sa.Column("goal_id", sa.String(length=300), nullable=False),
        sa.Column("title", sa.Text(), nullable=False),
        sa.Column("manager", sa.String(length=200), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("budget", JSON, nullable=False),
        sa.Column("created_by", sa.String(length=200), nullable=False),
        sa.Column("id", sa.String(length=300), nullable=False),
        sa.Column("level", sa.String(length=16), nullable=False),
        sa.Column("compartments", JSON, nullable=False),
        sa.Column("tlp", sa.String(length=16), nullable=True),
        sa.Column("tlp_owner", sa.Text(), nullable=True),
        sa.Column("tlp_recipients", JSON, server_default=sa.text("'[]'"), nullable=False),
        sa.Column("content_hash", sa.String(length=32), nullable=False),
        sa.Column("import_id", sa.Integer(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), server_default=sa.func.now(), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), server_default=sa.func.now(), nullable=False),
        sa.ForeignKeyConstraint(["import_id"], ["imports.id"], name=op.f("fk_programme_projects_import_id_imports")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_programme_projects")),
    )
    op.create_index(op.f("ix_programme_projects_goal_id"), "programme_projects", ["goal_id"], unique=False)
    op.create_index(op.f("ix_programme_projects_import_id"), "programme_projects", ["import_id"], unique=False)


def downgrade() -> None:
    op.drop_index(op.f("ix_programme_projects_import_id"), table_name="programme_projects")
    op.drop_index(op.f("ix_programme_projects_goal_id"), table_name="programme_projects")
    op.drop_table("programme_projects")
    op.drop_index(op.f("ix_goals_import_id"), table_name="goals")
    op.drop_table("goals")
    op.drop_index(op.f("ix_goal_proposals_import_id"), table_name="goal_proposals")
    op.drop_index(op.f("ix_goal_proposals_goal_id"), table_name="goal_proposals")
    op.drop_table("goal_proposals")
    op.drop_index(op.f("ix_barriers_import_id"), table_name="barriers")
    op.drop_table("barriers")
    op.drop_index(op.f("ix_trl_assessments_subject_id"), table_name="trl_assessments")
    op.drop_table("trl_assessments")
    op.drop_index(op.f("ix_gate_decisions_project_id"), table_name="gate_decisions")
    op.drop_table("gate_decisions")
