"""The live track record: the current forecasts of released films against what they earned.

The same figures the pipeline reports forward (``metrics/regression.json``), so the two read
side by side: R², RMSE and MAE of log revenue (as ``boxoffice.modeling.metrics``), the
interval's coverage, the Brier score of P(hit) beside a constant forecast at the observed
hit rate, plus the median absolute percentage error of revenue and a calibration table of P(hit).

It reads the running tallies the database keeps with every write (``boxoffice.ledger.tallies``):
the sums per slate, model identity and P(hit) band, and each released film's error in an index,
where a median is a seek to the middle. A ledger of a million forecasts reads a few dozen rows.
"""

from __future__ import annotations

import math
from collections import defaultdict
from dataclasses import dataclass, fields
from typing import Any

from sqlalchemy import Select, func, select
from sqlalchemy.orm import Session

from boxoffice.ledger.store import Ledger
from boxoffice.ledger.tables import Released, TrackRecordSums
from boxoffice.ledger.tallies import CALIBRATION_BINS

DIGITS = 6
# Below this share of Σy², Σy² - (Σy)²/n is the sums' rounding, not a spread: every film earned the same.
NO_SPREAD = 1e-9
Identity = tuple[str, str]  # (serving_hash, commit)


@dataclass
class Sums:
    """What a group of released films adds up to; groups add (per band -> per model -> overall)."""

    films: int = 0
    nominal: float = 0.0  # the intervals' nominal coverages
    covered: int = 0  # actual revenue inside the interval
    hits: int = 0  # revenue > hit_multiple x budget
    p_hit: float = 0.0
    brier: float = 0.0  # (P(hit) - hit)²
    squared_error: float = 0.0  # of log revenue
    absolute_error: float = 0.0  # of log revenue
    log_revenue: float = 0.0
    log_revenue_squared: float = 0.0

    def __iadd__(self, other: Sums) -> Sums:
        for field in fields(self):
            setattr(self, field.name, getattr(self, field.name) + getattr(other, field.name))
        return self

    @property
    def spread(self) -> float:
        """Σ(y - mean y)² of log revenue."""
        return self.log_revenue_squared - self.log_revenue * self.log_revenue / self.films


def _round(value: float) -> float:
    return round(float(value), DIGITS)


def band_sums(session: Session, slate_id: int | None) -> list[Any]:
    """Sums per (model identity, P(hit) band), over one slate or all; bands emptied by deletes left out."""
    t = TrackRecordSums
    summed = [func.sum(getattr(t, field.name)) for field in fields(Sums)]
    query = select(t.model_hash, t.model_commit, t.band, *summed).group_by(t.model_hash, t.model_commit, t.band)
    if slate_id is not None:
        query = query.where(t.slate_id == slate_id)
    return list(session.execute(query.having(func.sum(t.films) > 0)).all())


def middle_errors(films: int, slate_id: int | None, identity: Identity | None) -> Select[float]:
    """The middle one or two of ``films`` absolute percentage errors: a walk along an index to the middle."""
    query = select(Released.error).order_by(Released.error)
    if slate_id is not None:
        query = query.where(Released.slate_id == slate_id)
    if identity is not None:
        query = query.where(Released.model_hash == identity[0], Released.model_commit == identity[1])
    return query.offset((films - 1) // 2).limit(2 - films % 2)


def median_error(session: Session, films: int, slate_id: int | None, identity: Identity | None) -> float:
    """numpy's median: the middle error, or the mean of the middle two."""
    middle = list(session.scalars(middle_errors(films, slate_id, identity)))
    return sum(middle) / len(middle)


def figures(sums: Sums, median_error: float, bands: dict[int, Sums]) -> dict[str, Any]:
    rate = sums.hits / sums.films
    report: dict[str, Any] = {
        "films": sums.films,
        "median_abs_pct_error": _round(median_error * 100),
        "interval": {"nominal": _round(sums.nominal / sums.films), "covered": _round(sums.covered / sums.films)},
        "hit": {
            "rate": _round(rate),
            "brier": _round(sums.brier / sums.films),
            "constant_brier": _round(rate * (1 - rate)),
        },
        "calibration": calibration_table(bands),
    }
    if sums.films >= 2:  # R², RMSE and MAE of log revenue, as the pipeline's reports
        report["log_revenue"] = log_revenue_metrics(sums)
    return report


def log_revenue_metrics(sums: Sums) -> dict[str, float]:
    """``regression_metrics`` from sums."""
    return {
        "rmse": _round(math.sqrt(sums.squared_error / sums.films)),
        "r2": _round(r2(sums)),
        "mae": _round(sums.absolute_error / sums.films),
    }


def r2(sums: Sums) -> float:
    if sums.spread <= NO_SPREAD * sums.log_revenue_squared:  # every film earned the same: scikit-learn's finite R²
        return 1.0 if sums.squared_error <= NO_SPREAD * sums.log_revenue_squared else 0.0
    return 1 - sums.squared_error / sums.spread


def calibration_table(bands: dict[int, Sums]) -> list[dict[str, Any]]:
    """P(hit) in tenths: each band's films, mean forecast and observed hit rate (empty bands left out)."""
    return [
        {
            "from": band / CALIBRATION_BINS,
            "to": (band + 1) / CALIBRATION_BINS,
            "films": inside.films,
            "mean_hit_probability": _round(inside.p_hit / inside.films),
            "hit_rate": _round(inside.hits / inside.films),
        }
        for band, inside in sorted(bands.items())
    ]


def track_record(ledger: Ledger, slate: str | None = None) -> dict[str, Any]:
    """Overall and per model identity (serving.json hash and commit), over live forecasts with actual results."""
    slate_id = None if slate is None else ledger.slate_id(slate)
    with ledger.session.begin() as session:
        if ledger.engine.dialect.name == "postgresql":  # the sums and the errors from one snapshot
            session.connection(execution_options={"isolation_level": "REPEATABLE READ"})
        model_bands: dict[Identity, dict[int, Sums]] = defaultdict(dict)
        overall_bands: dict[int, Sums] = defaultdict(Sums)
        for serving_hash, commit, band, *numbers in band_sums(session, slate_id):
            model_bands[(serving_hash, commit)][int(band)] = Sums(*numbers)
            overall_bands[int(band)] += Sums(*numbers)
        if not model_bands:
            return {"films": 0, "overall": None, "models": []}
        models = []
        for identity in sorted(model_bands):
            total = Sums()
            for inside in model_bands[identity].values():
                total += inside
            middle = median_error(session, total.films, slate_id, identity)
            mine = figures(total, middle, model_bands[identity])
            models.append({"serving_hash": identity[0], "commit": identity[1], **mine})
        overall = Sums()
        for inside in overall_bands.values():
            overall += inside
        middle = median_error(session, overall.films, slate_id, None)
    return {"films": overall.films, "overall": figures(overall, middle, overall_bands), "models": models}
