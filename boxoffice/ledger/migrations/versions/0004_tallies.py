"""Running tallies kept by trigger: per-slate counts, per-(slate, model, P(hit) band) sums, indexed errors.

A slate page's total and the track record then read a few rows, not a million; the tallies
are computed from the rows already there (backfill), then the triggers keep them.

Revision ID: 0004
Revises: 0003
Create Date: 2026-12-05
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from boxoffice.ledger import tallies

revision: str = "0004"
down_revision: str | None = "0003"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def identity() -> list[sa.Column]:
    return [
        sa.Column("model_hash", sa.String(64), nullable=False),
        sa.Column("model_commit", sa.String(64), nullable=False),
    ]


def upgrade() -> None:
    op.create_table(
        "slate_counts",
        sa.Column("slate_id", sa.Integer(), sa.ForeignKey("slates.id", ondelete="CASCADE"), nullable=False),
        sa.Column("deleted", sa.Boolean(), nullable=False),
        sa.Column("with_actual", sa.Boolean(), nullable=False),
        sa.Column("forecasts", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("slate_id", "deleted", "with_actual", name="pk_slate_counts"),
    )
    summed = [
        (name, sa.Integer() if name in ("films", "covered", "hits") else sa.Float()) for name, _ in tallies.SUMMED
    ]
    op.create_table(
        "track_record_sums",
        sa.Column("slate_id", sa.Integer(), sa.ForeignKey("slates.id", ondelete="CASCADE"), nullable=False),
        *identity(),
        sa.Column("band", sa.Integer(), nullable=False),
        *[sa.Column(name, kind, nullable=False) for name, kind in summed],
        sa.PrimaryKeyConstraint("slate_id", "model_hash", "model_commit", "band", name="pk_track_record_sums"),
    )
    op.create_table(
        "released",
        sa.Column(
            "forecast_id",
            sa.Integer(),
            sa.ForeignKey("forecasts.id", ondelete="CASCADE"),
            primary_key=True,
            autoincrement=False,
        ),
        sa.Column("slate_id", sa.Integer(), sa.ForeignKey("slates.id", ondelete="CASCADE"), nullable=False),
        *identity(),
        sa.Column("error", sa.Float(), nullable=False),
    )
    op.create_index("ix_released_error", "released", ["error"])
    op.create_index("ix_released_slate_error", "released", ["slate_id", "error"])
    op.create_index("ix_released_model_error", "released", ["model_hash", "model_commit", "error"])
    op.create_index("ix_released_slate_model_error", "released", ["slate_id", "model_hash", "model_commit", "error"])
    connection = op.get_bind()
    tallies.rebuild(connection)
    tallies.install(connection)


def downgrade() -> None:
    tallies.drop(op.get_bind())
    op.drop_table("released")
    op.drop_table("track_record_sums")
    op.drop_table("slate_counts")
