"""The forward-in-time rebuild (``boxoffice.modeling.forward``) scored on the films from its cutoff on.

Each scored film has its track record as of its own release date (featurize's
``all.csv``): what the service would have said on the cutoff date.
"""

from __future__ import annotations

from typing import Any

from boxoffice.evaluation.held_out import (
    HeldOutAnswers,
    calibrate_distribution,
    hit_sources_report,
    interval_report,
    slice_report,
)
from boxoffice.features.splits import Split
from boxoffice.modeling.metrics import regression_metrics
from boxoffice.modeling.training import predict_in_order
from boxoffice.params import Params


def forward_report(
    splits: tuple[Split, Split, Split],
    regressor: Any,
    selection: dict[str, Any],
    cv_rmse: dict[str, float],
    classifier: Any,
    best_c: float,
    params: Params,
) -> tuple[dict[str, Any], HeldOutAnswers]:
    """The rebuilt pre-release models scored on the later films; the answers beside the report.

    ``regressor`` is the type ``selection`` (the select stage's entry: name and params)
    chose from every type's ``fit_forward_regressor``; ``cv_rmse`` their mean CV RMSE.
    """
    fit, calibration, scored = splits
    distribution = calibrate_distribution(regressor, calibration, params)
    answers = HeldOutAnswers.of(regressor, distribution, classifier, scored, params)
    report = {
        "cutoff": params["evaluate"]["forward_cutoff"],
        "films": {"fit": len(fit.X), "calibration": len(calibration.X), "scored": len(scored.X)},
        "selected": selection["name"],
        "params": selection["params"],
        "cv_rmse": cv_rmse,
        "classifier_C": best_c,
        "scored": regression_metrics(scored.log_revenue, predict_in_order(regressor, scored.X)),
        "interval": interval_report(answers, distribution, params),
        "slices": slice_report(answers, params),
        "hit_sources": hit_sources_report(answers, params),
    }
    return report, answers
