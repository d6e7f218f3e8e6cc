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

from boxoffice.evaluation.held_out import predict_in_order
from boxoffice.features.splits import Split
from boxoffice.modeling.comps import Comps, comps_median, day_numbers
from boxoffice.modeling.metrics import regression_metrics
from boxoffice.modeling.model_types import explainer
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
    before = day_numbers(scored.frame["release_date"])
    report: dict[str, Any] = {
        "method": "L1 distance between the forward regressor's explanation contributions",
        "candidates": len(past_X),
        "scored": len(scored.X),
        "model": regression_metrics(scored.log_revenue, predict_in_order(regressor, scored.X)),
        "comps_median": {},
    }
    for n in params["evaluate"]["comps_forward"]:
        median = comps_median(past, asked, n, before)
        report["comps_median"][str(n)] = regression_metrics(scored.log_revenue, median)
    return report
