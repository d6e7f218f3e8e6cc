"""How far the served pre-release answer jumps between neighbouring points of the page's what-if curves.

The forecast page draws a film's answer against its budget (``BUDGET_FACTORS`` times its
own) and against its release month (January to December, same year). For each validation
film (fitted on by no model, and never the test or forward films) this takes both curves of
its median revenue and P(hit), as the service computes them (the served regressor and its
conformal distribution), and keeps each curve's largest step between neighbouring points:
the ratio of the two medians (of 1 + revenue, so a median of $0 stays finite) and the change
in P(hit). The report gives the largest, the 99th percentile and the median of those steps
over the films whose budget is at least ``evaluate.whatif_min_budget`` (below it the data's
budgets are mostly placeholders, a $1 budget beside a $12 revenue).
"""

from __future__ import annotations

from typing import Any

import numpy as np

from boxoffice.features.splits import Split
from boxoffice.modeling.distribution import RevenueDistribution
from boxoffice.modeling.smoothing import BUDGET_FEATURES, MONTH_FEATURE
from boxoffice.params import Params

BUDGET_FACTORS = (0.25, 0.4, 0.5, 0.67, 0.8, 1, 1.25, 1.5, 2, 3)  # the page's budget curve (static/forecast.js)
MONTHS = tuple(range(1, 13))


def curves(
    model: Any, distribution: RevenueDistribution, films: Split, params: Params
) -> dict[str, dict[str, np.ndarray]]:
    """Each film's budget and month curves: {"budget" | "month": {"median": log1p, "hit_probability": ...}},
    one row per film, one column per point."""
    X, budget = films.X, films.budget
    column = next(films.features.index(name) for name in BUDGET_FEATURES if name in films.features)
    month = films.features.index(MONTH_FEATURE)
    hit_multiple, coverage = params["featurize"]["hit_multiple"], params["evaluate"]["interval_coverage"]

    def answer(rows: np.ndarray, budgets: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        outlook = distribution.outlook(model.predict(rows), budgets, hit_multiple, coverage)
        return outlook["median"], outlook["hit_probability"]

    def budget_point(factor: float) -> tuple[np.ndarray, np.ndarray]:
        rows = X.copy()
        rows[:, column] = np.log1p(np.expm1(rows[:, column]) * factor)
        return answer(rows, budget * factor)

    def month_point(value: int) -> tuple[np.ndarray, np.ndarray]:
        rows = X.copy()
        rows[:, month] = value
        return answer(rows, budget)

    drawn = {"budget": [budget_point(f) for f in BUDGET_FACTORS], "month": [month_point(m) for m in MONTHS]}
    return {
        name: {
            "median": np.column_stack([median for median, _ in points]),
            "hit_probability": np.column_stack([probability for _, probability in points]),
        }
        for name, points in drawn.items()
    }


def largest_steps(curve: dict[str, np.ndarray]) -> dict[str, np.ndarray]:
    """Per film, a curve's largest ratio between neighbouring medians and largest change in P(hit)."""
    return {
        "median_ratio": np.exp(np.abs(np.diff(curve["median"], axis=1)).max(axis=1)),
        "hit_probability_change": np.abs(np.diff(curve["hit_probability"], axis=1)).max(axis=1),
    }


def whatif_report(model: Any, distribution: RevenueDistribution, validation: Split, params: Params) -> dict[str, Any]:
    """The jumps of the served answer's what-if curves over the validation films (see the module)."""
    kept = validation.budget >= params["evaluate"]["whatif_min_budget"]
    films = Split(
        validation.frame[kept],
        validation.features,
        validation.X[kept],
        validation.log_revenue[kept],
        validation.budget[kept],
        validation.params,
    )
    report: dict[str, Any] = {"films": int(kept.sum()), "budget_factors": list(BUDGET_FACTORS)}
    if not kept.any():
        return report
    for name, curve in curves(model, distribution, films, params).items():
        report[name] = {
            figure: {
                "max": round(float(steps.max()), 6),
                "p99": round(float(np.percentile(steps, 99)), 6),
                "median": round(float(np.median(steps)), 6),
            }
            for figure, steps in largest_steps(curve).items()
        }
    return report
