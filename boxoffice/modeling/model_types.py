"""Every model type the project can train, serve and explain, each described in one entry.

Adding a regressor is one ``RegressorType`` here plus its params in ``params.yaml``
(``regressors.models`` and a section of its own): the stage matrix, the fitting, the
service's fast path, the explanation and the README tables all read this registry, and
``tests/modeling/test_model_types.py`` checks every entry on a model it fits.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import numpy as np
from scipy.special import expit
from sklearn.ensemble import GradientBoostingRegressor, HistGradientBoostingRegressor, RandomForestRegressor
from sklearn.linear_model import LinearRegression, LogisticRegression
from sklearn.pipeline import Pipeline
from sklearn.preprocessing import StandardScaler
from xgboost import XGBRegressor

from boxoffice.modeling import explain
from boxoffice.modeling.smoothing import Smoothed, unwrapped
from boxoffice.modeling.tree_kernels import FlatTrees

Predict = Callable[[np.ndarray], np.ndarray]


@dataclass(frozen=True)
class RegressorType:
    name: str  # the key in params.yaml, the stage name, the metrics key
    display: str  # in the README tables
    estimator: type
    explanation: str  # the method every explanation names
    explainer: Callable[[Any, int, np.ndarray | None], explain.Explain]
    # X -> predict(X) without scikit-learn's per-call checks; None: the public predict serves.
    fast_predict: Callable[[Any], Predict | None] | None = None
    # The fast path relies on how scikit-learn computes predict (tree order, float32 inputs,
    # private initial estimates): served only with the versions it was checked with.
    uses_internals: bool = False
    # Its fit sums over threads with OpenMP, in an order that varies from run to run (the same
    # model, different last bits: seen as a forced re-run changing its file's hash). Fitted
    # with one OpenMP thread, folds side by side instead (``fitting.fold_parallelism``).
    openmp_fit: bool = False
    # Its n_jobs changes how fast it fits, never what it fits (scikit-learn's forests draw each
    # tree's seed before building the trees in parallel): while CV folds run side by side, each
    # fold fits on one thread (``fitting.repeated_cv_folds``), which measured 12-21% faster.
    n_jobs_free: bool = False


# ---------------------------------------------------------------- fast paths
# Row sums are written as (X * w).sum(axis=1), not X @ w: BLAS may sum a row differently
# by batch size, and a movie must get the same answer alone or in a batch.


def _fast_linear(model: LinearRegression) -> Predict:
    coef, intercept = model.coef_, model.intercept_
    return lambda X: (X * coef).sum(axis=1) + intercept


def _fast_gradient_boosting(model: GradientBoostingRegressor) -> Predict | None:
    """The initial estimate plus ``learning_rate`` x each tree, as ``predict`` adds them."""
    if model.loss != "squared_error":
        return None
    init = float(model._raw_predict_init(np.zeros((1, model.n_features_in_), np.float32))[0, 0])
    trees, rate = FlatTrees.of([tree.tree_ for tree in model.estimators_[:, 0]]), model.learning_rate

    def predict(X: np.ndarray, group: int = 1) -> np.ndarray:  # group: FlatTrees.add_to's
        return trees.add_to(X, np.full(len(X), init), rate, group)

    return predict


def _fast_random_forest(model: RandomForestRegressor) -> Predict:
    """The trees' sum from zero, in order, divided once by their number: ``predict`` on one thread."""
    trees, count = FlatTrees.of([tree.tree_ for tree in model.estimators_]), len(model.estimators_)

    def predict(X: np.ndarray, group: int = 1) -> np.ndarray:  # group: FlatTrees.add_to's
        return trees.add_to(X, np.zeros(len(X)), group=group) / count

    return predict


def _fast_xgboost(model: XGBRegressor) -> Predict:
    booster = model.get_booster()
    return lambda X: booster.inplace_predict(X).astype(np.float64)


REGRESSORS: dict[str, RegressorType] = {
    kind.name: kind
    for kind in (
        RegressorType(
            "linear_regression", "Linear Regression", LinearRegression, "linear", explain.linear, _fast_linear
        ),
        RegressorType(
            "random_forest",
            "Random Forest",
            RandomForestRegressor,
            "path attribution (Saabas)",
            explain.saabas_random_forest,
            _fast_random_forest,
            uses_internals=True,
            n_jobs_free=True,
        ),
        RegressorType(
            "gradient_boosting",
            "Gradient Boosting",
            GradientBoostingRegressor,
            "path attribution (Saabas)",
            explain.saabas_gradient_boosting,
            _fast_gradient_boosting,
            uses_internals=True,
        ),
        RegressorType("xgboost", "XGB Regression", XGBRegressor, "treeshap", explain.treeshap_xgboost, _fast_xgboost),
        RegressorType(
            "hist_gradient_boosting",
            "Hist Gradient Boosting",
            HistGradientBoostingRegressor,
            "path attribution (Saabas)",
            explain.saabas_hist_gradient_boosting,
            openmp_fit=True,
        ),
    )
}


def regressor_type(model: Any) -> RegressorType:
    """The registry entry of a fitted (or unfitted) regressor, or of the one a ``Smoothed`` averages;
    a clear error for any other type."""
    for kind in REGRESSORS.values():
        if type(unwrapped(model)) is kind.estimator:
            return kind
    raise TypeError(
        f"unknown model type {type(model).__name__}: not in boxoffice.modeling.model_types "
        f"(known: {', '.join(kind.estimator.__name__ for kind in REGRESSORS.values())})"
    )


def explainer(model: Any, n_features: int, feature_means: np.ndarray | None = None) -> explain.Explainer:
    """The explanation of a fitted regressor by its registered type's method."""
    kind = regressor_type(model)
    function = kind.explainer(unwrapped(model), n_features, feature_means)
    if isinstance(model, Smoothed):
        function = model.neighbourhood.explained(function)
    return explain.Explainer(kind.explanation, function)


# ---------------------------------------------------------------- the hit classifier


@dataclass(frozen=True)
class ClassifierType:
    name: str
    display: str
    fast_probability: Callable[[Any], Predict | None]


def _fast_logistic(model: Any) -> Predict | None:
    """P(hit) from a StandardScaler + LogisticRegression pipeline with the scaling folded into the weights."""
    steps = [step for _, step in model.steps] if isinstance(model, Pipeline) else [model]
    if len(steps) == 2 and isinstance(steps[0], StandardScaler) and isinstance(steps[1], LogisticRegression):
        scaler, logistic = steps
        weights = logistic.coef_[0] / scaler.scale_  # ((X - mean) / scale) @ w + b
        bias = logistic.intercept_[0] - scaler.mean_ @ weights
        return lambda X: expit((X * weights).sum(axis=1) + bias)
    return None  # e.g. a calibrated classifier: its public predict_proba serves


CLASSIFIER = ClassifierType("logistic_regression", "Logistic Regression", _fast_logistic)
