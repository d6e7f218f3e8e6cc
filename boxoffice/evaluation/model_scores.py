"""One fitted regressor's scores, computed in its own stage (``train-regressors@MODEL-VARIANT``).

Repeated K-fold CV on train (what chooses the served model), and the validation and test
scores the README tables report. Nothing here feeds the fit: the model arrives fitted.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np

from boxoffice.evaluation.held_out import cv_settings, predict_in_order, regression_score
from boxoffice.features.splits import Split
from boxoffice.modeling.fitting import repeated_cv
from boxoffice.modeling.metrics import classification_metrics, regression_metrics
from boxoffice.params import Params


def regressor_scores(model: Any, splits: dict[str, Split], params: Params) -> dict[str, Any]:
    """{"validation", "test": metrics, "cv_train": mean and std of each score over repeated K-fold CV on train}."""
    train = splits["train"]
    scores: dict[str, Any] = {
        part: regression_metrics(splits[part].log_revenue, predict_in_order(model, splits[part].X))
        for part in ("validation", "test")
    }
    scores["cv_train"] = repeated_cv(model, train.X, train.log_revenue, regression_score, *cv_settings(params))
    return scores


def classifier_score(threshold: float) -> Callable[[Any, np.ndarray, np.ndarray], dict[str, float]]:
    """A ``repeated_cv`` score of a fitted classifier: ROC AUC, F1 at ``threshold``, Brier."""

    def score(model: Any, X: np.ndarray, y: np.ndarray) -> dict[str, float]:
        scores = classification_metrics(y, model.predict_proba(X)[:, 1], threshold)
        return {name: scores[name] for name in ("auc", "f1", "brier")}

    return score


def classifier_cv(classifier: Any, X: np.ndarray, y: np.ndarray, params: Params) -> dict[str, dict[str, float]]:
    """The hit classifier's repeated K-fold CV (a fresh clone per fold), with evaluate's CV settings."""
    return repeated_cv(classifier, X, y, classifier_score(params["classifier"]["threshold"]), *cv_settings(params))
