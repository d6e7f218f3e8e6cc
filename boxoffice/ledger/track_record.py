"""The live track record: the current forecasts of released films against what they earned.

The same figures the pipeline reports forward (``metrics/regression.json``), so the two read
side by side: R², RMSE and MAE of log revenue (as ``boxoffice.modeling.metrics``), the
interval's coverage, the Brier score of P(hit) beside a constant forecast at the observed
hit rate, plus the median absolute percentage error of revenue and a calibration table of P(hit).

The database computes them (sums per model identity and P(hit) band, and the medians by
rank), so a ledger of a million forecasts sends a few dozen rows to Python, not a million.
"""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, fields, replace
from typing import Any, cast

from sqlalchemy import Float, Join, Select, Subquery, Table, case, func, literal, or_, select
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.sql.compiler import SQLCompiler
from sqlalchemy.sql.functions import GenericFunction

from boxoffice.ledger.store import Ledger
from boxoffice.ledger.tables import TRACK_RECORD_INDEX, ActualResult, Forecast, Revision

CALIBRATION_BINS = 10
DIGITS = 6
Identity = tuple[str, str]  # (serving_hash, commit)


class log1p(GenericFunction[float]):
    """ln(1 + x): SQLite's is registered by ``boxoffice.ledger.database``; PostgreSQL's is written out."""

    type = Float()
    inherit_cache = True


@compiles(log1p, "postgresql")
def _log1p_postgresql(element: log1p, compiler: SQLCompiler, **options: Any) -> str:
    return f"ln(1 + {compiler.process(element.clauses, **options)})"


class InOrder(Join):
    """An inner join that SQLite walks as written, left to right (its CROSS JOIN), the right table through
    ``index``; elsewhere a plain join. Without statistics SQLite would walk every forecast (of a slate of a
    million, say) to find the tenth with results, and read each revision's row, JSON and all, for its numbers.
    """

    inherit_cache = True

    def __init__(self, left: Any, right: Any, onclause: Any, index: str | None = None) -> None:
        super().__init__(left, right, onclause)
        self.index = index


@compiles(InOrder, "sqlite")
def _in_order_sqlite(join: InOrder, compiler: SQLCompiler, **options: Any) -> str:
    written = compiler.visit_join(join, **options)  # "<left> JOIN <right table> ON <condition>"
    left, _, right = written.rpartition(" JOIN ")
    if join.index is not None:
        table = cast(Table, join.right).name
        right = right.replace(f"{table} ON ", f"{table} INDEXED BY {join.index} ON ", 1)
    return f"{left} CROSS JOIN {right}"


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
    spread: float = 0.0  # (log revenue - its mean)², the mean of the group ``spread`` was summed for

    def __iadd__(self, other: Sums) -> Sums:
        for field in fields(self):
            setattr(self, field.name, getattr(self, field.name) + getattr(other, field.name))
        return self


def _round(value: float) -> float:
    return round(float(value), DIGITS)


def released(slate_id: int | None) -> Subquery:
    """One row per live forecast with an actual result: its identity and the per-film terms of every figure."""
    actual = ActualResult.revenue
    p_hit = Revision.hit_probability
    # P(hit)'s tenth, min(floor(10 p), 9), as a count of thresholds passed (no floor() needed in SQLite).
    passed = (case((p_hit * CALIBRATION_BINS >= edge, 1), else_=0) for edge in range(1, CALIBRATION_BINS))
    band = sum(passed, literal(0))
    to_forecast = InOrder(ActualResult.__table__, Forecast.__table__, Forecast.id == ActualResult.forecast_id)
    current = (Revision.forecast_id == Forecast.id) & (Revision.number == Forecast.current_revision)
    query = (
        select(
            Revision.model_hash.label("serving_hash"),
            Revision.model_commit.label("commit"),
            (func.abs(Revision.predicted_revenue - actual) / actual).label("error"),
            log1p(actual).label("y"),
            log1p(Revision.predicted_revenue).label("y_hat"),
            Revision.interval_coverage.label("nominal"),
            case(((Revision.revenue_low <= actual) & (actual <= Revision.revenue_high), 1), else_=0).label("covered"),
            case((actual > Revision.hit_multiple * Revision.budget, 1), else_=0).label("hit"),
            p_hit.label("p_hit"),
            band.label("band"),
        )
        .select_from(InOrder(to_forecast, Revision.__table__, current, index=TRACK_RECORD_INDEX))
        .where(Forecast.deleted_at.is_(None))
    )
    if slate_id is not None:
        query = query.where(Forecast.slate_id == slate_id)
    return query.subquery("released")


def band_sums(rows: Subquery) -> Select[Any]:
    """Sums per (model identity, P(hit) band); log revenue's spread around the model's mean and the overall mean."""
    identity = (rows.c.serving_hash, rows.c.commit)
    centred = select(
        rows,
        func.avg(rows.c.y).over(partition_by=identity).label("model_mean"),
        func.avg(rows.c.y).over().label("overall_mean"),
    ).subquery("centred")
    c = centred.c
    return select(
        c.serving_hash,
        c.commit,
        c.band,
        func.count(),
        func.sum(c.nominal),
        func.sum(c.covered),
        func.sum(c.hit),
        func.sum(c.p_hit),
        func.sum((c.p_hit - c.hit) * (c.p_hit - c.hit)),
        func.sum((c.y - c.y_hat) * (c.y - c.y_hat)),
        func.sum(func.abs(c.y - c.y_hat)),
        func.sum((c.y - c.model_mean) * (c.y - c.model_mean)),
        func.sum((c.y - c.overall_mean) * (c.y - c.overall_mean)),
    ).group_by(c.serving_hash, c.commit, c.band)


def middle_errors(rows: Subquery) -> Select[Any]:
    """The one or two middle absolute percentage errors of each model and of all films (numpy's median: their mean)."""
    identity = (rows.c.serving_hash, rows.c.commit)
    ranked = select(
        rows.c.serving_hash,
        rows.c.commit,
        rows.c.error,
        func.row_number().over(partition_by=identity, order_by=rows.c.error).label("rank"),
        func.count().over(partition_by=identity).label("films"),
        func.row_number().over(order_by=rows.c.error).label("overall_rank"),
        func.count().over().label("overall_films"),
    ).subquery("ranked")
    r = ranked.c
    model_middle = r.rank.in_([(r.films + 1) // 2, (r.films + 2) // 2])
    overall_middle = r.overall_rank.in_([(r.overall_films + 1) // 2, (r.overall_films + 2) // 2])
    return select(r.serving_hash, r.commit, r.error, model_middle, overall_middle).where(
        or_(model_middle, overall_middle)
    )


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
    if sums.spread == 0:  # every film earned the same: scikit-learn's finite R²
        return 1.0 if sums.squared_error == 0 else 0.0
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


def medians(found: Iterable[Any]) -> tuple[dict[Identity, float], float]:
    per_model: dict[Identity, list[float]] = defaultdict(list)
    overall: list[float] = []
    for serving_hash, commit, error, model_middle, overall_middle in found:
        if model_middle:
            per_model[(serving_hash, commit)].append(error)
        if overall_middle:
            overall.append(error)
    return {identity: sum(middle) / len(middle) for identity, middle in per_model.items()}, sum(overall) / len(overall)


def track_record(ledger: Ledger, slate: str | None = None) -> dict[str, Any]:
    """Overall and per model identity (serving.json hash and commit), over live forecasts with actual results."""
    slate_id = None if slate is None else ledger.slate_id(slate)
    rows = released(slate_id)
    with ledger.session.begin() as session:
        grouped = session.execute(band_sums(rows)).all()
        middles = session.execute(middle_errors(rows)).all() if grouped else []
    if not grouped:
        return {"films": 0, "overall": None, "models": []}
    model_bands: dict[Identity, dict[int, Sums]] = defaultdict(dict)
    overall_bands: dict[int, Sums] = defaultdict(Sums)
    for serving_hash, commit, band, *numbers in grouped:
        *own, overall_spread = numbers
        model_bands[(serving_hash, commit)][int(band)] = Sums(*own)
        overall_bands[int(band)] += replace(Sums(*own), spread=overall_spread)
    model_medians, overall_median = medians(middles)
    models = []
    for identity in sorted(model_bands):
        total = Sums()
        for inside in model_bands[identity].values():
            total += inside
        mine = figures(total, model_medians[identity], model_bands[identity])
        models.append({"serving_hash": identity[0], "commit": identity[1], **mine})
    overall = Sums()
    for inside in overall_bands.values():
        overall += inside
    return {"films": overall.films, "overall": figures(overall, overall_median, overall_bands), "models": models}
