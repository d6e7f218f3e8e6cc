"""The live track record: the current forecasts of released films against what they earned.

The same figures the pipeline reports forward (``metrics/regression.json``), so the two read
side by side: R² of log revenue (``boxoffice.modeling.metrics``), the interval's coverage,
the Brier score of P(hit) beside a constant forecast at the observed hit rate, plus the
median absolute percentage error of revenue and a calibration table of P(hit).
"""

from __future__ import annotations

from typing import Any

import numpy as np
from sqlalchemy import select

from boxoffice.ledger.store import Ledger
from boxoffice.ledger.tables import ActualResult, Forecast, Revision
from boxoffice.modeling.metrics import regression_metrics

CALIBRATION_BINS = 10
DIGITS = 6
COLUMNS = (
    Revision.model_hash,
    Revision.model_commit,
    Revision.predicted_revenue,
    Revision.revenue_low,
    Revision.revenue_high,
    Revision.interval_coverage,
    Revision.hit_probability,
    Revision.budget,
    Revision.hit_multiple,
    ActualResult.revenue,
)


def _round(value: float) -> float:
    return round(float(value), DIGITS)


def figures(rows: np.ndarray) -> dict[str, Any]:
    """Columns of ``COLUMNS`` after the two identity ones, one row per released film."""
    predicted, low, high, nominal, p_hit, budget, multiple, actual = rows.T
    hits = actual > multiple * budget
    rate = hits.mean()
    report: dict[str, Any] = {
        "films": len(actual),
        "median_abs_pct_error": _round(np.median(np.abs(predicted - actual) / actual) * 100),
        "interval": {"nominal": _round(nominal.mean()), "covered": _round(((low <= actual) & (actual <= high)).mean())},
        "hit": {
            "rate": _round(rate),
            "brier": _round(np.mean((p_hit - hits) ** 2)),
            "constant_brier": _round(rate * (1 - rate)),
        },
        "calibration": calibration_table(p_hit, hits),
    }
    if len(actual) >= 2:  # R², RMSE and MAE of log revenue, as the pipeline's reports
        report["log_revenue"] = regression_metrics(np.log1p(actual), np.log1p(predicted))
    return report


def calibration_table(p_hit: np.ndarray, hits: np.ndarray) -> list[dict[str, Any]]:
    """P(hit) in tenths: each band's films, mean forecast and observed hit rate (empty bands left out)."""
    bands = np.minimum((p_hit * CALIBRATION_BINS).astype(int), CALIBRATION_BINS - 1)
    table = []
    for band in np.unique(bands):
        inside = bands == band
        table.append(
            {
                "from": band / CALIBRATION_BINS,
                "to": (band + 1) / CALIBRATION_BINS,
                "films": int(inside.sum()),
                "mean_hit_probability": _round(p_hit[inside].mean()),
                "hit_rate": _round(hits[inside].mean()),
            }
        )
    return table


def track_record(ledger: Ledger, slate: str | None = None) -> dict[str, Any]:
    """Overall and per model identity (serving.json hash and commit), over live forecasts with actual results."""
    query = (
        select(*COLUMNS)
        .join(Forecast, (Revision.forecast_id == Forecast.id) & (Revision.number == Forecast.current_revision))
        .join(ActualResult, ActualResult.forecast_id == Forecast.id)
        .where(Forecast.deleted_at.is_(None))
    )
    if slate is not None:
        query = query.where(Forecast.slate_id == ledger.slate_id(slate))
    with ledger.session.begin() as session:
        found = session.execute(query).all()
    if not found:
        return {"films": 0, "overall": None, "models": []}
    identities = [(row[0], row[1]) for row in found]
    numbers = np.array([row[2:] for row in found], dtype=float)
    models = []
    for identity in sorted(set(identities)):
        mine = np.array([seen == identity for seen in identities])
        models.append({"serving_hash": identity[0], "commit": identity[1], **figures(numbers[mine])})
    return {"films": len(found), "overall": figures(numbers), "models": models}
