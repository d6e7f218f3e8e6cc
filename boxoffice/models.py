"""Build models from params.yaml, search their grids, and cross-validate the classifier."""

from __future__ import annotations

import itertools
import math
from collections.abc import Callable, Mapping, Sequence
from typing import Any

import numpy as np
import pandas as pd
from joblib import Parallel, delayed
from sklearn.base import clone
from sklearn.calibration import CalibratedClassifierCV
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import brier_score_loss
from sklearn.model_selection import KFold, RepeatedKFold, cross_val_predict, cross_val_score
from sklearn.pipeline import Pipeline, make_pipeline
from sklearn.preprocessing import StandardScaler

from boxoffice.metrics import regression_metrics
from boxoffice.model_types import REGRESSORS
from boxoffice.params import ClassifierParams


def grid_points(params: Mapping[str, Any]) -> list[dict[str, Any]]:
    """Expand a model's params: a list is a set of values to search, a scalar is fixed.

    ``{"max_depth": [10, 15], "n_estimators": 100}`` gives two points. All scalars
    give one point, which means no search.
    """
    names = list(params)
    choices = [value if isinstance(value, list) else [value] for value in params.values()]
    return [dict(zip(names, combo, strict=True)) for combo in itertools.product(*choices)]


def make_regressor(name: str, point: Mapping[str, Any]) -> Any:
    if name not in REGRESSORS:
        raise KeyError(f"unknown regressor {name!r}; known: {', '.join(REGRESSORS)}")
    return REGRESSORS[name].estimator(**point)


def fit_regressor(
    name: str,
    params: Mapping[str, Any],
    train: tuple[np.ndarray, np.ndarray],
    validation: tuple[np.ndarray, np.ndarray],
) -> tuple[Any, dict[str, Any], pd.DataFrame]:
    """Fit every grid point on train, keep the one with the lowest validation RMSE.

    Returns the fitted model, its params, and the whole search table (one row when
    there is nothing to search). Ties go to the earlier point in the grid.
    """
    rows, best = [], None
    for point in grid_points(params):
        model = make_regressor(name, point).fit(*train)
        scores = regression_metrics(validation[1], model.predict(validation[0]))
        rows.append({**point, **{f"validation_{k}": v for k, v in scores.items()}})
        if best is None or scores["rmse"] < best[2]:
            best = (model, point, scores["rmse"])
    assert best is not None, f"{name}: empty parameter grid"
    return best[0], best[1], pd.DataFrame(rows)


def make_classifier(C: float, max_iter: int) -> Pipeline:
    """L2 logistic regression on standardised features (C means the same for every feature)."""
    return make_pipeline(StandardScaler(), LogisticRegression(C=C, l1_ratio=0.0, max_iter=max_iter))


def c_key(c: float) -> str:
    """How a C value is written as a JSON key: 0.001, 0.5, 10."""
    return f"{float(c):g}"


def cross_validate_c(
    X: np.ndarray, y: np.ndarray, Cs: float | Sequence[float], folds: int, seed: int, max_iter: int
) -> tuple[dict[str, dict[str, float]], float]:
    """Mean and std ROC AUC of each C over shuffled K folds; the best C (ties: smaller C).

    One number is a one-point grid, so ``dvc exp run -S classifier.C=0.5`` works.
    """

    splitter = KFold(n_splits=folds, shuffle=True, random_state=seed)
    table: dict[str, dict[str, float]] = {}
    grid = sorted(np.atleast_1d(Cs).tolist())
    best_c, best_auc = grid[0], -np.inf
    for c in grid:
        aucs = cross_val_score(make_classifier(c, max_iter), X, y, cv=splitter, scoring="roc_auc")
        table[c_key(c)] = {"mean_auc": round(float(aucs.mean()), 6), "std_auc": round(float(aucs.std()), 6)}
        if aucs.mean() > best_auc:
            best_c, best_auc = c, aucs.mean()
    return table, float(best_c)


def calibrated(model: Any, method: str, folds: int, seed: int) -> Any:
    """``model`` wrapped so its probabilities are recalibrated ('sigmoid' or 'isotonic'); 'none' keeps it."""
    if method == "none":
        return model
    splitter = KFold(n_splits=folds, shuffle=True, random_state=seed)
    return CalibratedClassifierCV(model, method=method, cv=splitter)


def out_of_fold_proba(model: Any, X: np.ndarray, y: np.ndarray, folds: int, seed: int) -> np.ndarray:
    """P(hit) for every row from a model that never saw it (K folds)."""
    splitter = KFold(n_splits=folds, shuffle=True, random_state=seed)
    return cross_val_predict(model, X, y, cv=splitter, method="predict_proba")[:, 1]


def fit_hit_classifier(X: np.ndarray, y: np.ndarray, config: ClassifierParams) -> tuple[Any, dict[str, Any]]:
    """The cv-classifier stage's model: C by K-fold AUC, refit, calibrated if asked; and its report.

    ``config`` is params.yaml's classifier section. The report holds the C search, the
    chosen C, the calibration method and out-of-fold Brier scores before and after it.
    """
    folds, seed, method = config["folds"], config["random_state"], config["calibration"]
    table, best_c = cross_validate_c(X, y, config["C"], folds, seed, config["max_iter"])
    raw = make_classifier(best_c, config["max_iter"])
    served = calibrated(raw, method, folds, seed)
    brier = {"uncalibrated": brier_score_loss(y, out_of_fold_proba(raw, X, y, folds, seed))}
    if method != "none":
        brier[method] = brier_score_loss(y, out_of_fold_proba(served, X, y, folds, seed))
    report = {
        "cv": table,
        "best_C": best_c,
        "calibration": method,
        "brier_cv": {name: round(float(value), 6) for name, value in brier.items()},
    }
    return served.fit(X, y), report


def repeated_cv(
    model: Any,
    X: np.ndarray,
    y: np.ndarray,
    score: Callable[[Any, np.ndarray, np.ndarray], dict[str, float]],
    folds: int,
    repeats: int,
    seed: int,
    n_jobs: int = 1,
) -> dict[str, dict[str, float]]:
    """Mean and std of each score over repeated K-fold CV (a fresh clone of ``model`` per fold).

    Folds run in ``n_jobs`` processes; each is seeded by the splitter, so the figures do
    not depend on ``n_jobs``.
    """
    splitter = RepeatedKFold(n_splits=folds, n_repeats=repeats, random_state=seed)

    def one_fold(train: np.ndarray, test: np.ndarray) -> dict[str, float]:
        return score(clone(model).fit(X[train], y[train]), X[test], y[test])

    results = Parallel(n_jobs=n_jobs)(delayed(one_fold)(train, test) for train, test in splitter.split(X))
    scores: dict[str, list[float]] = {}
    for result in results:
        for name, value in result.items():
            scores.setdefault(name, []).append(value)
    return {
        name: {"mean": round(float(np.mean(values)), 6), "std": round(float(np.std(values)), 6)}
        for name, values in scores.items()
    }


def conformal_half_width(residuals: np.ndarray, coverage: float) -> float:
    """Split-conformal half-width: pred +/- q covers a new film with probability >= ``coverage``.

    ``residuals`` are held-out (validation) errors of the fitted model; q is their
    ceil((n + 1) * coverage)-th smallest absolute value.
    """
    errors = np.sort(np.abs(np.asarray(residuals, dtype=np.float64)))
    rank = math.ceil((len(errors) + 1) * coverage)
    if rank > len(errors):
        raise ValueError(f"{len(errors)} residuals are too few for {coverage:.0%} coverage")
    return float(errors[rank - 1])
