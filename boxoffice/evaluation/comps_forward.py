"""How well comparable films alone forecast, forward in time, beside the model's own forecast.

A producer reading comps takes their typical revenue as a forecast. This measures that
forecast honestly: the forward rebuild's regressor (fitted on films released before
``evaluate.forward_cutoff``) picks each later film's comps among those earlier films
only (``boxoffice.modeling.comps``), and the median of the comps' log revenue is scored
on the later films as the model's own prediction is (R², RMSE, MAE, constant dollars).
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

from boxoffice.data.dollars import to_base_year
from boxoffice.features.splits import Split
from boxoffice.features.transforms import release_years
from boxoffice.modeling.comp_reasons import CompRules, Described
from boxoffice.modeling.comps import Comps, comps_median, day_numbers
from boxoffice.modeling.distribution import band_of
from boxoffice.modeling.metrics import regression_metrics
from boxoffice.modeling.model_types import explainer
from boxoffice.modeling.training import predict_in_order
from boxoffice.params import Params


def comps_forward_report(splits: tuple[Split, Split, Split], regressor: Any, params: Params) -> dict[str, Any]:
    """R² etc. of the comps' median for each count in ``evaluate.comps_forward``, and of the model itself."""
    fit, calibration, scored = splits
    explain = explainer(regressor, len(fit.features), fit.X.mean(axis=0))
    past_X = np.vstack([fit.X, calibration.X])
    past = Comps(
        facts=[],
        days=day_numbers(np.concatenate([fit.frame["release_date"], calibration.frame["release_date"]])),
        contributions=explain.explain(past_X)[1],
        log_revenue=np.concatenate([fit.log_revenue, calibration.log_revenue]),
    )
    asked = explain.explain(scored.X)[1]
    predicted = predict_in_order(regressor, scored.X)
    before = day_numbers(scored.frame["release_date"])
    report: dict[str, Any] = {
        "method": "L1 distance between the forward regressor's explanation contributions",
        "candidates": len(past_X),
        "scored": len(scored.X),
        "model": regression_metrics(scored.log_revenue, predicted),
        "comps_median": {},
    }
    for n in params["evaluate"]["comps_forward"]:
        median = comps_median(past, asked, n, before)
        report["comps_median"][str(n)] = regression_metrics(scored.log_revenue, median)
    report["comps_median_constrained"] = constrained_report(splits, past, (asked, before, predicted), params)
    return report


# "Recent" comps for the forward report: released within this many years (a request sets its own).
WITHIN_YEARS = 10


def constraint_sets(years: int = WITHIN_YEARS) -> dict[str, CompRules]:
    """The comps' constraints a request can set (``comp_reasons``), each alone and all together."""
    return {
        "share_genre": CompRules(share_genre=True),
        f"within_{years}_years": CompRules(within_years=years),
        "same_budget_band": CompRules(same_budget_band=True),
        "all": CompRules(share_genre=True, within_years=years, same_budget_band=True),
    }


def constrained_report(
    splits: tuple[Split, Split, Split],
    past: Comps,
    later: tuple[np.ndarray, np.ndarray, np.ndarray],
    params: Params,
    years: int = WITHIN_YEARS,
) -> dict[str, Any]:
    """The comps' median under each constraint set, per N: scored on the later films that have any comp,
    beside the model on the same films.

    ``later``: the later films' contributions, release days and the model's predictions.
    Budget bands are ``evaluate.budget_bands`` on constant-dollar budgets; a candidate with the
    asked film's title within a year of it is never its comp (as in the service).
    """
    fit, calibration, scored = splits
    asked, before, predicted = later
    edges, base_year = params["evaluate"]["budget_bands"], params["featurize"]["cpi_base_year"]

    def described(frames: list[pd.DataFrame]) -> Described:
        frame = pd.concat(frames, ignore_index=True)
        factor = to_base_year(release_years(frame["release_date"]), base_year)
        real = frame["budget"].to_numpy(dtype=np.float64) * factor
        return Described.of(frame.to_dict("series"), band_of(real, edges))

    candidates = described([fit.frame, calibration.frame])
    asked_films = described([scored.frame])
    out: dict[str, Any] = {}
    for name, rules in constraint_sets(years).items():
        keep = [candidates.allowed(asked_films, i, rules) for i in range(len(before))]
        out[name] = {}
        for n in params["evaluate"]["comps_forward"]:
            median = comps_median(past, asked, n, before, keep)
            has = ~np.isnan(median)
            out[name][str(n)] = {
                **regression_metrics(scored.log_revenue[has], median[has]),
                "films": int(has.sum()),
                "model_on_these_films": regression_metrics(scored.log_revenue[has], predicted[has]),
            }
    return out
