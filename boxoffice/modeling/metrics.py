"""Scores for the regressors and the hit classifier, as plain dicts for JSON."""

from __future__ import annotations

import numpy as np
from sklearn import metrics as skm

DIGITS = 6


def _rounded(values: dict[str, float]) -> dict[str, float]:
    return {name: round(float(value), DIGITS) for name, value in values.items()}


def regression_metrics(y_true: np.ndarray, y_pred: np.ndarray) -> dict[str, float]:
    return _rounded(
        {
            "rmse": np.sqrt(skm.mean_squared_error(y_true, y_pred)),
            "r2": skm.r2_score(y_true, y_pred),
            "mae": skm.mean_absolute_error(y_true, y_pred),
        }
    )


def classification_metrics(y_true: np.ndarray, proba: np.ndarray, threshold: float) -> dict[str, float]:
    """Ranking quality (AUCs, Brier) and the decision at ``threshold``."""
    predicted = proba >= threshold
    return _rounded(
        {
            "auc": skm.roc_auc_score(y_true, proba),
            "pr_auc": skm.average_precision_score(y_true, proba),
            "brier": skm.brier_score_loss(y_true, proba),
            "precision": skm.precision_score(y_true, predicted, zero_division=0),
            "recall": skm.recall_score(y_true, predicted, zero_division=0),
            "f1": skm.f1_score(y_true, predicted, zero_division=0),
            "accuracy": skm.accuracy_score(y_true, predicted),
        }
    )
