"""Cross-validation of whole procedures, where refitting one model per fold is not the whole story.

- ``hit_sources_cv``: the distribution's hit probability needs a calibration set, so in
  each fold the fitting rows are split again (``evaluate.cv_calibration``), the regressor
  fitted on one part and calibrated on the other, and both hit sources scored on the
  held-out fold: the same folds for the distribution and the classifier.
- ``track_record_cv``: the CV on train uses features whose track record saw every train
  film, the held-out fold's revenues included. Here each fold's features are rebuilt
  from the fold's own films (``features.splits.featurize_splits``), which measures that shortcut.
"""

from __future__ import annotations

from typing import Any

import numpy as np
from joblib import Parallel, delayed
from sklearn.base import clone
from sklearn.metrics import brier_score_loss, roc_auc_score
from sklearn.model_selection import RepeatedKFold, train_test_split

from boxoffice.features.splits import Split, as_split, featurize_splits
from boxoffice.modeling.distribution import RevenueDistribution
from boxoffice.modeling.fitting import fold_parallelism, summarize
from boxoffice.modeling.training import predict_in_order, regression_score
from boxoffice.params import Params


def _folds(n: int, params: Params) -> Any:
    config = params["evaluate"]
    splitter = RepeatedKFold(
        n_splits=config["cv_folds"], n_repeats=config["cv_repeats"], random_state=config["random_state"]
    )
    return splitter.split(np.zeros((n, 1)))


def hit_sources_cv(
    regressor: Any, classifier: Any, train: Split, params: Params
) -> tuple[dict[str, Any], dict[str, np.ndarray]]:
    """AUC and Brier of both hit sources over repeated K-fold CV on ``train`` (mean and std).

    Also each source's out-of-fold probabilities from the first repeat (every train film
    once), for reliability curves. Folds run ``evaluate.n_jobs`` at a time; each is
    seeded, so nothing depends on that number.
    """
    config = params["evaluate"]
    folds = list(_folds(len(train.X), params))
    with fold_parallelism(regressor):
        results = Parallel(n_jobs=config["n_jobs"])(
            delayed(_hit_sources_fold)(regressor, classifier, train, fit, held, params) for fit, held in folds
        )
    out_of_fold = {name: np.full(len(train.X), np.nan) for name in ("distribution", "classifier")}
    for (_, held), (_, sources) in zip(folds[: config["cv_folds"]], results, strict=False):
        for name, proba in sources.items():  # the first repeat's folds cover every film once
            out_of_fold[name][held] = proba
    return summarize([row for row, _ in results]), out_of_fold


def _hit_sources_fold(
    regressor: Any, classifier: Any, train: Split, fit: np.ndarray, held: np.ndarray, params: Params
) -> tuple[dict[str, float], dict[str, np.ndarray]]:
    """One fold of ``hit_sources_cv``: its scores and both sources' probabilities on the held-out films."""
    config, hit_multiple = params["evaluate"], params["featurize"]["hit_multiple"]
    proper, calibration = train_test_split(fit, test_size=config["cv_calibration"], random_state=config["random_state"])
    model = clone(regressor).fit(train.X[proper], train.log_revenue[proper])
    residuals = train.log_revenue[calibration] - predict_in_order(model, train.X[calibration])
    distribution = RevenueDistribution.calibrate(
        residuals, train.budget[calibration], config["budget_bands"], config["min_band_films"]
    )
    outlook = distribution.outlook(
        predict_in_order(model, train.X[held]), train.budget[held], hit_multiple, config["interval_coverage"]
    )
    sources = {
        "distribution": outlook["hit_probability"],
        "classifier": clone(classifier).fit(train.X[fit], train.is_hit[fit]).predict_proba(train.X[held])[:, 1],
    }
    hits = train.is_hit[held]
    row = {"constant_brier": float(hits.mean() * (1 - hits.mean()))}
    for name, proba in sources.items():
        row[f"{name}_auc"] = roc_auc_score(hits, proba)
        row[f"{name}_brier"] = brier_score_loss(hits, proba)
    return row, sources


def track_record_cv(regressor: Any, train: Split, params: Params, variant: str) -> dict[str, float]:
    """R² over the same folds as ``cv_train``, with each fold's track record built from that fold's films only."""
    folds = _folds(len(train.frame), params)
    with fold_parallelism(regressor):
        r2 = Parallel(n_jobs=params["evaluate"]["n_jobs"])(
            delayed(_track_record_fold)(regressor, train, fit, held, params, variant) for fit, held in folds
        )
    return summarize(r2)["r2"]


def _track_record_fold(
    regressor: Any, train: Split, fit: np.ndarray, held: np.ndarray, params: Params, variant: str
) -> dict[str, float]:
    parts, _ = featurize_splits([train.frame.iloc[fit], train.frame.iloc[held]], params["featurize"])
    fit_split, held_split = (as_split(part, params, variant) for part in parts)
    model = clone(regressor).fit(fit_split.X, fit_split.log_revenue)
    return regression_score(model, held_split.X, held_split.log_revenue)
