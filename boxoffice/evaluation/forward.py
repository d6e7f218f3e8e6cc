"""Forward-in-time evaluation of the pre-release variant: the past predicts films released later.

A pre-release question is asked before a film comes out, about a film later than every
film the models learnt from. The random test split cannot show how that goes; this
does, as the project would have done it on the cutoff date:

- films released before ``evaluate.forward_cutoff`` are the past; the latest
  ``evaluate.forward_calibration`` share of them calibrates the revenue distribution,
  the rest fits and chooses the models as the pipeline does on train (each registered
  type's grid by CV, the type by repeated-CV RMSE as evaluate chooses it, the classifier's C);
- films released on or after the cutoff are scored, each with its track record as of
  its own release date (featurize's ``all.csv``): what the service would have said.

Since a track record only counts films released strictly earlier, no scored film's
revenue reaches a fitted or calibration film's features.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

from boxoffice.evaluation.held_out import (
    HeldOutAnswers,
    calibrate_distribution,
    choose_by_cv,
    cv_settings,
    hit_sources_report,
    interval_report,
    predict_in_order,
    regression_score,
    slice_report,
)
from boxoffice.features.splits import Split, as_split
from boxoffice.modeling.fitting import calibrated, cross_validate_c, fit_regressor, make_classifier, repeated_cv
from boxoffice.modeling.metrics import regression_metrics
from boxoffice.params import Params

VARIANT = "pre_release"


def by_date(films: pd.DataFrame, cutoff: str, calibration_share: float) -> tuple[pd.DataFrame, ...]:
    """(fit, calibration, scored): before the cutoff in date order, its latest share, and from the cutoff on.

    Films released on the same day keep their file order (a stable sort), so the split
    is the same on every run.
    """
    before = (pd.to_datetime(films["release_date"]) < pd.Timestamp(cutoff)).to_numpy()
    past, scored = films[before].sort_values("release_date", kind="stable"), films[~before]
    n_calibration = round(len(past) * calibration_share)
    if n_calibration < 1 or n_calibration >= len(past) or scored.empty:
        raise ValueError(
            f"forward cutoff {cutoff} leaves {len(past)} earlier and {len(scored)} later films: too few to fit, "
            "calibrate and score; move evaluate.forward_cutoff"
        )
    return past.iloc[:-n_calibration], past.iloc[-n_calibration:], scored


def choose_regressor(fit: Split, params: Params) -> tuple[str, Any, dict[str, Any], dict[str, float]]:
    """As the pipeline chooses: each type's grid by CV (``fit_regressor``), then ``choose_served``."""
    search = params["regressors"]["search"]
    fitted, cv = {}, {}
    for name in params["regressors"]["models"]:
        model, chosen, _ = fit_regressor(
            name,
            params["regressors"][name],
            fit.X,
            fit.log_revenue,
            search["folds"],
            search["random_state"],
            search["n_jobs"],
        )
        fitted[name] = (model, chosen)
        cv[name] = repeated_cv(model, fit.X, fit.log_revenue, regression_score, *cv_settings(params))
    chosen = choose_by_cv(cv, {name: model for name, (model, _) in fitted.items()}, params)["selected"]
    return chosen, *fitted[chosen], {name: scores["rmse"]["mean"] for name, scores in cv.items()}


def forward_report(films: pd.DataFrame, params: Params) -> tuple[dict[str, Any], HeldOutAnswers]:
    """The pre-release models rebuilt from the past and scored on later films; the answers beside the report."""
    config = params["evaluate"]
    parts = by_date(films, config["forward_cutoff"], config["forward_calibration"])
    fit, calibration, scored = (as_split(part, params, VARIANT) for part in parts)
    name, regressor, chosen, cv_rmse = choose_regressor(fit, params)
    distribution = calibrate_distribution(regressor, calibration, params)

    # The classifier needs no calibration films: it learns from the whole past.
    classifier_config = params["classifier"]
    past_X = np.vstack([fit.X, calibration.X])
    past_hits = np.concatenate([fit.is_hit, calibration.is_hit])
    _, best_c = cross_validate_c(
        past_X,
        past_hits,
        classifier_config["C"],
        classifier_config["folds"],
        classifier_config["random_state"],
        classifier_config["max_iter"],
    )
    classifier = calibrated(
        make_classifier(best_c, classifier_config["max_iter"]),
        classifier_config["calibration"],
        classifier_config["folds"],
        classifier_config["random_state"],
    ).fit(past_X, past_hits)

    answers = HeldOutAnswers.of(regressor, distribution, classifier, scored, params)
    report = {
        "cutoff": config["forward_cutoff"],
        "films": {"fit": len(parts[0]), "calibration": len(parts[1]), "scored": len(parts[2])},
        "selected": name,
        "params": chosen,
        "cv_rmse": cv_rmse,
        "classifier_C": best_c,
        "scored": regression_metrics(scored.log_revenue, predict_in_order(regressor, scored.X)),
        "interval": interval_report(answers, distribution, params),
        "slices": slice_report(answers, params),
        "hit_sources": hit_sources_report(answers, params),
    }
    return report, answers
