"""An index holding every number the track record reads from a revision, found by its forecast.

With it the track record of a million forecasts reads a narrow index, not the revisions'
rows with their films and answers (kilobytes of JSON each).

Revision ID: 0003
Revises: 0002
Create Date: 2026-12-04
"""

from collections.abc import Sequence

from alembic import op

revision: str = "0003"
down_revision: str | None = "0002"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

COLUMNS = [
    "forecast_id",
    "number",
    "model_hash",
    "model_commit",
    "predicted_revenue",
    "revenue_low",
    "revenue_high",
    "interval_coverage",
    "hit_probability",
    "budget",
    "hit_multiple",
]


def upgrade() -> None:
    op.create_index("ix_revisions_track_record", "revisions", COLUMNS)


def downgrade() -> None:
    op.drop_index("ix_revisions_track_record", "revisions")
