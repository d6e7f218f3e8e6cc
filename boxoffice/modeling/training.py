"""One regressor's fit and scores, computed in its own stage (``train-regressors@MODEL``, once per variant).

Its grid searched on train and its repeated K-fold CV on train (what chooses the served
model); the validation and test scores the reports show, which feed nothing, are
``boxoffice.evaluation.held_out.held_out_scores``.
"""

from __future__ import annotations

import copy
from collections.abc import Callable
from typing import Any

import numpy as np
import pandas as pd

from boxoffice.features.splits import Split
from boxoffice.modeling.fitting import fit_and_cross_validate, repeated_cv
from boxoffice.modeling.metrics import classification_metrics, regression_metrics
from boxoffice.params import Params, model_params


def predict_in_order(model: Any, X: np.ndarray) -> np.ndarray:
    """``model.predict(X)`` in one thread, so its last bits do not vary between runs.

    A random forest predicting on several threads adds its trees' outputs in whatever
    order the threads finish; the calibration residuals are kept at full precision, so
    that order would show in ``serving.json``.
    """
    if "n_jobs" in model.get_params():
        model = copy.copy(model).set_params(n_jobs=1)
    return model.predict(X)


def cv_settings(params: Params) -> tuple[int, int, int, int]:
    """(folds, repeats, seed, n_jobs) of the repeated K-fold CV every report uses (evaluate section)."""
    config = params["evaluate"]
    return config["cv_folds"], config["cv_repeats"], config["random_state"], config["n_jobs"]


def regression_score(model: Any, X: np.ndarray, y: np.ndarray) -> dict[str, float]:
    """RMSE, R² and MAE of a fitted regressor's (one-thread) predictions: a ``repeated_cv`` score."""
    return regression_metrics(y, predict_in_order(model, X))


def fit_with_cv(
    name: str, train: Split, params: Params, variant: str
) -> tuple[Any, dict[str, Any], pd.DataFrame, dict[str, Any]]:
    """(model, its grid point, the search table, its repeated-CV scores) of one type on ``train``'s rows,
    with the type's params for ``variant`` (``model_params``)."""
    search = params["regressors"]["search"]
    return fit_and_cross_validate(
        name,
        model_params(params["regressors"], name, variant),
        train.X,
        train.log_revenue,
        (search["folds"], search["random_state"], search["n_jobs"]),
        regression_score,
        cv_settings(params),
        train.features,
    )


def fit_and_score(
    name: str, splits: dict[str, Split], params: Params, variant: str
) -> tuple[Any, dict[str, Any], pd.DataFrame]:
    """One type fitted on train (its grid searched by K-fold CV), and its repeated-CV scores on train.

    Returns (model, {"chosen": its grid point, "cv_train": mean and std of each score}, the search table).
    """
    model, chosen, table, cv = fit_with_cv(name, splits["train"], params, variant)
    return model, {"chosen": chosen, "cv_train": cv}, table


def classifier_score(threshold: float) -> Callable[[Any, np.ndarray, np.ndarray], dict[str, float]]:
    """A ``repeated_cv`` score of a fitted classifier: ROC AUC, F1 at ``threshold``, Brier."""

    def score(model: Any, X: np.ndarray, y: np.ndarray) -> dict[str, float]:
        scores = classification_metrics(y, model.predict_proba(X)[:, 1], threshold)
        return {name: scores[name] for name in ("auc", "f1", "brier")}

    return score


def classifier_cv(classifier: Any, X: np.ndarray, y: np.ndarray, params: Params) -> dict[str, dict[str, float]]:
    """The hit classifier's repeated K-fold CV (a fresh clone per fold), with evaluate's CV settings."""
    return repeated_cv(classifier, X, y, classifier_score(params["classifier"]["threshold"]), *cv_settings(params))
