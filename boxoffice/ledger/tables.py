"""The ledger's tables (SQLAlchemy 2 declarative); ``migrations/`` creates and changes them.

A forecast is a film saved under a name in a slate; each answer the service gave for it is
a revision (number 1, 2, ...), never overwritten. ``current_revision`` is the latest that is
a forecast ("saved" or "reforecast"); a "scenario" revision is a what-if kept beside them.
The revision's headline figures are columns as well as part of ``answer`` so that a slate
page and the track record read numbers, not JSON. Deleting sets ``deleted_at``: restorable.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import (
    JSON,
    Boolean,
    Date,
    DateTime,
    Float,
    ForeignKey,
    Index,
    Integer,
    PrimaryKeyConstraint,
    String,
    UniqueConstraint,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

NAME_LENGTH = 200
KINDS = ("saved", "reforecast", "scenario")
TRACK_RECORD_INDEX = "ix_revisions_track_record"


def utc_now() -> dt.datetime:
    """Naive UTC (SQLite keeps no time zone; every time in the ledger is UTC)."""
    return dt.datetime.now(dt.UTC).replace(tzinfo=None)


class Base(DeclarativeBase):
    pass


class Slate(Base):
    __tablename__ = "slates"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    name: Mapped[str] = mapped_column(String(NAME_LENGTH), unique=True)
    created_at: Mapped[dt.datetime] = mapped_column(DateTime, default=utc_now)


class Forecast(Base):
    __tablename__ = "forecasts"
    __table_args__ = (
        UniqueConstraint("slate_id", "name", name="uq_forecasts_slate_name"),
        Index("ix_forecasts_slate_page", "slate_id", "deleted_at", "id"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    slate_id: Mapped[int] = mapped_column(ForeignKey("slates.id"))
    name: Mapped[str] = mapped_column(String(NAME_LENGTH))
    created_at: Mapped[dt.datetime] = mapped_column(DateTime, default=utc_now)
    deleted_at: Mapped[dt.datetime | None] = mapped_column(DateTime, default=None)
    revision_count: Mapped[int] = mapped_column(Integer, default=1)
    current_revision: Mapped[int] = mapped_column(Integer, default=1)


class Revision(Base):
    __tablename__ = "revisions"
    __table_args__ = (
        UniqueConstraint("forecast_id", "number", name="uq_revisions_forecast_number"),
        # Every number the track record reads, by forecast: it reads this index, not the rows' JSON.
        Index(
            TRACK_RECORD_INDEX,
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
        ),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    forecast_id: Mapped[int] = mapped_column(ForeignKey("forecasts.id"))
    number: Mapped[int] = mapped_column(Integer)
    kind: Mapped[str] = mapped_column(String(16))
    label: Mapped[str | None] = mapped_column(String(NAME_LENGTH), default=None)
    film: Mapped[dict[str, Any]] = mapped_column(JSON)
    answer: Mapped[dict[str, Any]] = mapped_column(JSON)
    predicted_revenue: Mapped[float] = mapped_column(Float)
    revenue_low: Mapped[float] = mapped_column(Float)
    revenue_high: Mapped[float] = mapped_column(Float)
    interval_coverage: Mapped[float] = mapped_column(Float)
    hit_probability: Mapped[float] = mapped_column(Float)
    budget: Mapped[float] = mapped_column(Float)
    hit_multiple: Mapped[float] = mapped_column(Float)  # a hit: revenue > hit_multiple x budget
    model_hash: Mapped[str] = mapped_column(String(64), index=True)
    model_commit: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[dt.datetime] = mapped_column(DateTime, default=utc_now)


class ActualResult(Base):
    """What the film earned: one per forecast (recording again replaces it)."""

    __tablename__ = "actual_results"

    forecast_id: Mapped[int] = mapped_column(ForeignKey("forecasts.id"), primary_key=True)
    revenue: Mapped[float] = mapped_column(Float)
    known_on: Mapped[dt.date] = mapped_column(Date)
    source: Mapped[str] = mapped_column(String(NAME_LENGTH))
    recorded_at: Mapped[dt.datetime] = mapped_column(DateTime, default=utc_now)


class Token(Base):
    """A bearer token, kept only as its SHA-256 digest."""

    __tablename__ = "tokens"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    digest: Mapped[str] = mapped_column(String(64), unique=True)
    read_only: Mapped[bool] = mapped_column(default=False)
    label: Mapped[str] = mapped_column(String(NAME_LENGTH), default="")
    created_at: Mapped[dt.datetime] = mapped_column(DateTime, default=utc_now)


# The running tallies ``boxoffice.ledger.tallies`` keeps by trigger: a page's total and the track record read them.
# A slate (or forecast) removed takes its tallies with it.


class SlateCount(Base):
    """How many forecasts a slate holds, deleted or not, with an actual result or not."""

    __tablename__ = "slate_counts"
    __table_args__ = (PrimaryKeyConstraint("slate_id", "deleted", "with_actual", name="pk_slate_counts"),)

    slate_id: Mapped[int] = mapped_column(ForeignKey("slates.id", ondelete="CASCADE"))
    deleted: Mapped[bool] = mapped_column(Boolean)
    with_actual: Mapped[bool] = mapped_column(Boolean)
    forecasts: Mapped[int] = mapped_column(Integer)


class TrackRecordSums(Base):
    """A slate's live released films of one model identity and P(hit) band: the sums of every track-record term.

    y is ln(1 + actual revenue), y_hat ln(1 + predicted); a film is a hit when revenue > hit_multiple x budget.
    """

    __tablename__ = "track_record_sums"
    __table_args__ = (
        PrimaryKeyConstraint("slate_id", "model_hash", "model_commit", "band", name="pk_track_record_sums"),
    )

    slate_id: Mapped[int] = mapped_column(ForeignKey("slates.id", ondelete="CASCADE"))
    model_hash: Mapped[str] = mapped_column(String(64))
    model_commit: Mapped[str] = mapped_column(String(64))
    band: Mapped[int] = mapped_column(Integer)  # P(hit)'s tenth, 0..9
    films: Mapped[int] = mapped_column(Integer)
    nominal: Mapped[float] = mapped_column(Float)  # the intervals' nominal coverages
    covered: Mapped[int] = mapped_column(Integer)  # actual revenue inside the interval
    hits: Mapped[int] = mapped_column(Integer)
    p_hit: Mapped[float] = mapped_column(Float)
    brier: Mapped[float] = mapped_column(Float)  # (P(hit) - hit)²
    squared_error: Mapped[float] = mapped_column(Float)  # (y - y_hat)²
    absolute_error: Mapped[float] = mapped_column(Float)  # |y - y_hat|
    log_revenue: Mapped[float] = mapped_column(Float)  # y
    log_revenue_squared: Mapped[float] = mapped_column(Float)  # y²


class Released(Base):
    """A live forecast with an actual result: its absolute percentage error, indexed for the medians."""

    __tablename__ = "released"
    __table_args__ = (
        Index("ix_released_error", "error"),
        Index("ix_released_slate_error", "slate_id", "error"),
        Index("ix_released_model_error", "model_hash", "model_commit", "error"),
        Index("ix_released_slate_model_error", "slate_id", "model_hash", "model_commit", "error"),
    )

    forecast_id: Mapped[int] = mapped_column(
        ForeignKey("forecasts.id", ondelete="CASCADE"), primary_key=True, autoincrement=False
    )
    slate_id: Mapped[int] = mapped_column(ForeignKey("slates.id", ondelete="CASCADE"))
    model_hash: Mapped[str] = mapped_column(String(64))
    model_commit: Mapped[str] = mapped_column(String(64))
    error: Mapped[float] = mapped_column(Float)  # |predicted - actual| / actual
