"""Slates, forecasts, their revisions and actual results.

Revision ID: 0001
Revises:
Create Date: 2026-12-04
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0001"
down_revision: str | None = None
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "slates",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("name", sa.String(200), nullable=False, unique=True),
        sa.Column("created_at", sa.DateTime(), nullable=False),
    )
    op.create_table(
        "forecasts",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("slate_id", sa.Integer(), sa.ForeignKey("slates.id"), nullable=False),
        sa.Column("name", sa.String(200), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("deleted_at", sa.DateTime(), nullable=True),
        sa.Column("revision_count", sa.Integer(), nullable=False),
        sa.Column("current_revision", sa.Integer(), nullable=False),
        sa.UniqueConstraint("slate_id", "name", name="uq_forecasts_slate_name"),
    )
    op.create_index("ix_forecasts_slate_page", "forecasts", ["slate_id", "deleted_at", "id"])
    op.create_table(
        "revisions",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("forecast_id", sa.Integer(), sa.ForeignKey("forecasts.id"), nullable=False),
        sa.Column("number", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(16), nullable=False),
        sa.Column("label", sa.String(200), nullable=True),
        sa.Column("film", sa.JSON(), nullable=False),
        sa.Column("answer", sa.JSON(), nullable=False),
        sa.Column("predicted_revenue", sa.Float(), nullable=False),
        sa.Column("revenue_low", sa.Float(), nullable=False),
        sa.Column("revenue_high", sa.Float(), nullable=False),
        sa.Column("interval_coverage", sa.Float(), nullable=False),
        sa.Column("hit_probability", sa.Float(), nullable=False),
        sa.Column("budget", sa.Float(), nullable=False),
        sa.Column("hit_multiple", sa.Float(), nullable=False),
        sa.Column("model_hash", sa.String(64), nullable=False),
        sa.Column("model_commit", sa.String(64), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.UniqueConstraint("forecast_id", "number", name="uq_revisions_forecast_number"),
    )
    op.create_index("ix_revisions_model_hash", "revisions", ["model_hash"])
    op.create_table(
        "actual_results",
        sa.Column("forecast_id", sa.Integer(), sa.ForeignKey("forecasts.id"), primary_key=True),
        sa.Column("revenue", sa.Float(), nullable=False),
        sa.Column("known_on", sa.Date(), nullable=False),
        sa.Column("source", sa.String(200), nullable=False),
        sa.Column("recorded_at", sa.DateTime(), nullable=False),
    )


def downgrade() -> None:
    op.drop_table("actual_results")
    op.drop_index("ix_revisions_model_hash", "revisions")
    op.drop_table("revisions")
    op.drop_index("ix_forecasts_slate_page", "forecasts")
    op.drop_table("forecasts")
    op.drop_table("slates")
