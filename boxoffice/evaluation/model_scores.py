"""One regressor's fit and scores, computed in its own stage (``train-regressors@MODEL``, once per variant).

Its grid searched on train and its repeated K-fold CV on train (what chooses the served
model), then the validation and test scores the README tables report, which feed nothing.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np
import pandas as pd

from boxoffice.evaluation.held_out import cv_settings, predict_in_order, regression_score
from boxoffice.features.splits import Split
from boxoffice.modeling.fitting import fit_and_cross_validate, repeated_cv
from boxoffice.modeling.metrics import classification_metrics, regression_metrics
from boxoffice.params import Params, model_params


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


def held_out_scores(model: Any, splits: dict[str, Split]) -> dict[str, Any]:
    """{"validation", "test": metrics} of a fitted regressor (reported only; nothing here feeds the fit)."""
    return {
        part: regression_metrics(splits[part].log_revenue, predict_in_order(model, splits[part].X))
        for part in ("validation", "test")
    }


def classifier_score(threshold: float) -> Callable[[Any, np.ndarray, np.ndarray], dict[str, float]]:
    """A ``repeated_cv`` score of a fitted classifier: ROC AUC, F1 at ``threshold``, Brier."""

    def score(model: Any, X: np.ndarray, y: np.ndarray) -> dict[str, float]:
        scores = classification_metrics(y, model.predict_proba(X)[:, 1], threshold)
        return {name: scores[name] for name in ("auc", "f1", "brier")}

    return score


def classifier_cv(classifier: Any, X: np.ndarray, y: np.ndarray, params: Params) -> dict[str, dict[str, float]]:
    """The hit classifier's repeated K-fold CV (a fresh clone per fold), with evaluate's CV settings."""
    return repeated_cv(classifier, X, y, classifier_score(params["classifier"]["threshold"]), *cv_settings(params))
