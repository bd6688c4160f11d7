"""cti asset links, correlation runs, roadmaps and portfolio runs as records

Revision ID: 0018
Revises: 0017
Create Date: 2026-12-07 22:01:39.115305
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision = "0018"
down_revision = "0017"
branch_labels = None
depends_on = None

JSON = sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), "postgresql")


def upgrade() -> None:
    op.create_table(
        "cti_asset_links",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("stix_id", sa.String(length=300), nullable=False),
        sa.Column("asset_kind", sa.String(length=32), nullable=False),
        sa.Column("asset_id", sa.String(length=300), nullable=False),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.Column("user", sa.String(length=200), nullable=False),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("level", sa.String(length=16), nullable=False),
        sa.Column("compartments", JSON, nullable=False),
        sa.Column("tlp", sa.String(length=16), nullable=True),
        sa.Column("tlp_owner", sa.Text(), nullable=True),
        sa.Column("tlp_recipients", JSON, server_default=sa.text("'[]'"), nullable=False),
        sa.CheckConstraint(
            "asset_kind IN ('seeds', 'programme_projects', 'technologies', 'threats')",
            name=op.f("ck_cti_asset_links_asset_kind"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_cti_asset_links")),
    )
    with op.batch_alter_table("cti_asset_links", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_cti_asset_links_asset_id"), ["asset_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_cti_asset_links_stix_id"), ["stix_id"], unique=False)

    op.create_table(
        "cti_correlation_runs",
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("user", sa.String(length=200), nullable=False),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("file", sa.Text(), nullable=False),
        sa.Column("file_hash", sa.String(length=64), nullable=False),
        sa.Column("observations", sa.Integer(), nullable=False),
        sa.Column("indicators", sa.Integer(), nullable=False),
        sa.Column("since", sa.DateTime(timezone=True), nullable=True),
        sa.Column("collection_id", sa.String(length=36), nullable=True),
        sa.Column("skipped", JSON, nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_cti_correlation_runs")),
    )
    with op.batch_alter_table("cti_correlation_runs", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_cti_correlation_runs_user"), ["user"], unique=False)

    op.create_table(
        "roadmap_revisions",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("roadmap_id", sa.String(length=300), nullable=False),
        sa.Column("revision", sa.Integer(), nullable=False),
        sa.Column("body", JSON, nullable=False),
        sa.Column("note", sa.Text(), nullable=False),
        sa.Column("user", sa.String(length=200), nullable=False),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("level", sa.String(length=16), nullable=False),
        sa.Column("compartments", JSON, nullable=False),
        sa.Column("tlp", sa.String(length=16), nullable=True),
        sa.Column("tlp_owner", sa.Text(), nullable=True),
        sa.Column("tlp_recipients", JSON, server_default=sa.text("'[]'"), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_roadmap_revisions")),
    )
    with op.batch_alter_table("roadmap_revisions", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_roadmap_revisions_roadmap_id"), ["roadmap_id"], unique=False)

    op.create_table(
        "cti_correlation_hits",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("run_id", sa.String(length=36), nullable=False),
        sa.Column("indicator", sa.String(length=300), nullable=False),
        sa.Column("collection_id", sa.String(length=36), nullable=False),
        sa.Column("name", sa.Text(), nullable=False),
        sa.Column("count", sa.Integer(), nullable=False),
        sa.Column("first_seen", sa.DateTime(timezone=True), nullable=False),
        sa.Column("last_seen", sa.DateTime(timezone=True), nullable=False),
        sa.Column("indicates", JSON, nullable=False),
        sa.Column("samples", JSON, nullable=False),
        sa.Column("sighting", sa.String(length=300), nullable=True),
        sa.Column("level", sa.String(length=16), nullable=False),
        sa.Column("compartments", JSON, nullable=False),
        sa.Column("tlp", sa.String(length=16), nullable=True),
        sa.Column("tlp_owner", sa.Text(), nullable=True),
        sa.Column("tlp_recipients", JSON, server_default=sa.text("'[]'"), nullable=False),
        sa.ForeignKeyConstraint(
            ["run_id"], ["cti_correlation_runs.id"], name=op.f("fk_cti_correlation_hits_run_id_cti_correlation_runs")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_cti_correlation_hits")),
    )
    with op.batch_alter_table("cti_correlation_hits", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_cti_correlation_hits_run_id"), ["run_id"], unique=False)

    op.create_table(
        "portfolio_runs",
        sa.Column("title", sa.Text(), nullable=False),
        sa.Column("goal_id", sa.String(length=300), nullable=True),
        sa.Column("problem", JSON, nullable=False),
        sa.Column("result", JSON, nullable=False),
        sa.Column("created_by", sa.String(length=200), nullable=False),
        sa.Column("id", sa.String(length=300), nullable=False),
        sa.Column("level", sa.String(length=16), nullable=False),
        sa.Column("compartments", JSON, nullable=False),
        sa.Column("tlp", sa.String(length=16), nullable=True),
        sa.Column("tlp_owner", sa.Text(), nullable=True),
        sa.Column("tlp_recipients", JSON, server_default=sa.text("'[]'"), nullable=False),
        sa.Column("content_hash", sa.String(length=32), nullable=False),
        sa.Column("import_id", sa.Integer(), nullable=True),
        sa.Column(
            "created_at", sa.DateTime(timezone=True), server_default=sa.text("(CURRENT_TIMESTAMP)"), nullable=False
        ),
        sa.Column(
            "updated_at", sa.DateTime(timezone=True), server_default=sa.text("(CURRENT_TIMESTAMP)"), nullable=False
        ),
        sa.ForeignKeyConstraint(["import_id"], ["imports.id"], name=op.f("fk_portfolio_runs_import_id_imports")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_portfolio_runs")),
    )
    with op.batch_alter_table("portfolio_runs", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_portfolio_runs_goal_id"), ["goal_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_portfolio_runs_import_id"), ["import_id"], unique=False)

    op.create_table(
        "roadmaps",
        sa.Column("title_ja", sa.Text(), nullable=False),
        sa.Column("title_en", sa.Text(), nullable=False),
        sa.Column("goal_id", sa.String(length=300), nullable=True),
        sa.Column("body", JSON, nullable=False),
        sa.Column("revision", sa.Integer(), nullable=False),
        sa.Column("created_by", sa.String(length=200), nullable=False),
        sa.Column("updated_by", sa.String(length=200), nullable=False),
        sa.Column("id", sa.String(length=300), nullable=False),
        sa.Column("level", sa.String(length=16), nullable=False),
        sa.Column("compartments", JSON, nullable=False),
        sa.Column("tlp", sa.String(length=16), nullable=True),
        sa.Column("tlp_owner", sa.Text(), nullable=True),
        sa.Column("tlp_recipients", JSON, server_default=sa.text("'[]'"), nullable=False),
        sa.Column("content_hash", sa.String(length=32), nullable=False),
        sa.Column("import_id", sa.Integer(), nullable=True),
        sa.Column(
            "created_at", sa.DateTime(timezone=True), server_default=sa.text("(CURRENT_TIMESTAMP)"), nullable=False
        ),
        sa.Column(
            "updated_at", sa.DateTime(timezone=True), server_default=sa.text("(CURRENT_TIMESTAMP)"), nullable=False
        ),
        sa.ForeignKeyConstraint(["import_id"], ["imports.id"], name=op.f("fk_roadmaps_import_id_imports")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_roadmaps")),
    )
    with op.batch_alter_table("roadmaps", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_roadmaps_goal_id"), ["goal_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_roadmaps_import_id"), ["import_id"], unique=False)

    with op.batch_alter_table("match_judgements", schema=None) as batch_op:
        batch_op.alter_column("score", existing_type=sa.FLOAT(), type_=sa.Double(), existing_nullable=True)


def downgrade() -> None:
    with op.batch_alter_table("match_judgements", schema=None) as batch_op:
        batch_op.alter_column("score", existing_type=sa.Double(), type_=sa.FLOAT(), existing_nullable=True)

    with op.batch_alter_table("roadmaps", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_roadmaps_import_id"))
        batch_op.drop_index(batch_op.f("ix_roadmaps_goal_id"))

    op.drop_table("roadmaps")
    with op.batch_alter_table("portfolio_runs", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_portfolio_runs_import_id"))
        batch_op.drop_index(batch_op.f("ix_portfolio_runs_goal_id"))

    op.drop_table("portfolio_runs")
    with op.batch_alter_table("cti_correlation_hits", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_cti_correlation_hits_run_id"))

    op.drop_table("cti_correlation_hits")
    with op.batch_alter_table("roadmap_revisions", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_roadmap_revisions_roadmap_id"))

    op.drop_table("roadmap_revisions")
    with op.batch_alter_table("cti_correlation_runs", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_cti_correlation_runs_user"))

    op.drop_table("cti_correlation_runs")
    with op.batch_alter_table("cti_asset_links", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_cti_asset_links_stix_id"))
        batch_op.drop_index(batch_op.f("ix_cti_asset_links_asset_id"))

    op.drop_table("cti_asset_links")
