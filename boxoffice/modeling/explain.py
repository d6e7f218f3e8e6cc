"""Per-prediction feature contributions to the predicted log revenue.

For every registered regressor, ``base + contributions.sum(axis=1)`` equals the model's
prediction (to float precision). The methods, named in every explanation:
- ``treeshap`` (XGBoost): its own exact TreeSHAP values (``pred_contribs``), computed in
  float32; the rounding left over (~1e-5) is folded into the base value;
- ``path attribution (Saabas)`` (scikit-learn's tree ensembles): each split on a film's
  path credits the change in the node's value to the split's feature;
- ``linear``: coefficient x (value - training mean), base = prediction at the mean.
Which model uses which is written once, in ``boxoffice.modeling.model_types``.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import numpy as np
import xgboost

from boxoffice.modeling.tree_kernels import FlatTrees

# X -> (base value per row, contributions of shape (rows, features))
Explain = Callable[[np.ndarray], tuple[np.ndarray, np.ndarray]]


@dataclass(frozen=True)
class Explainer:
    """A fitted model's explanation function and the name of its method.

    ``boxoffice.modeling.model_types.explainer`` builds one from the registry, which names
    the functions below; this module needs nothing from the registry.
    """

    method: str
    function: Explain

    def explain(self, X: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """(base value per row, contributions of shape (rows, features))."""
        return self.function(np.asarray(X, dtype=np.float64))


def saabas_sklearn_trees(trees: list[tuple[Any, float]], base: float, n_features: int) -> Explain:
    """Path attribution over scikit-learn ``Tree`` objects, each with its weight in the sum.

    The walk is one compiled loop over flat copies of the trees (``tree_kernels.FlatTrees``).
    """
    flat = FlatTrees.of([tree for tree, _ in trees])
    weights = np.array([weight for _, weight in trees], dtype=np.float64)
    base += sum(float(tree.value[0, 0, 0]) * weight for tree, weight in trees)

    def explain(X: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        return np.full(len(X), base), flat.credit_paths(X, weights, n_features)

    return explain


def saabas_gradient_boosting(model: Any, n_features: int, means: np.ndarray | None) -> Explain:
    # The initial estimate through public attributes: "zero", or a fitted estimator
    # (a DummyRegressor for squared error) whose predict gives it.
    zero = np.zeros((1, n_features), np.float32)
    init = 0.0 if model.init_ == "zero" else float(np.ravel(model.init_.predict(zero))[0])
    trees = [(tree.tree_, model.learning_rate) for tree in model.estimators_[:, 0]]
    return saabas_sklearn_trees(trees, init, n_features)


def saabas_random_forest(model: Any, n_features: int, means: np.ndarray | None) -> Explain:
    trees = [(tree.tree_, 1.0 / len(model.estimators_)) for tree in model.estimators_]
    return saabas_sklearn_trees(trees, 0.0, n_features)


def saabas_hist_gradient_boosting(model: Any, n_features: int, means: np.ndarray | None) -> Explain:
    """Path attribution over HistGradientBoosting's node arrays, a tree level at a time for all rows.

    Its internal nodes keep the unshrunk value and its leaves the shrunk one, so internal
    values are scaled by the learning rate for the credits to add up to the prediction.
    """
    rate = model.learning_rate
    baseline = float(np.ravel(model._baseline_prediction)[0])
    trees = []
    for (predictor,) in model._predictors:
        nodes = predictor.nodes
        if nodes["is_categorical"].any():
            raise TypeError("categorical splits are not explained")
        leaf = nodes["is_leaf"].astype(bool)
        trees.append((nodes, leaf, np.where(leaf, nodes["value"], nodes["value"] * rate)))
    base = baseline + sum(float(values[0]) for _, _, values in trees)

    def explain(X: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        rows = np.arange(len(X))
        contribs = np.zeros((len(X), n_features))
        for nodes, leaf, values in trees:
            node = np.zeros(len(X), dtype=np.int64)
            while not leaf[node].all():
                inside = ~leaf[node]
                feature = nodes["feature_idx"][node].astype(np.int64)
                x = X[rows, feature]
                left = np.where(
                    np.isnan(x), nodes["missing_go_to_left"][node].astype(bool), x <= nodes["num_threshold"][node]
                )
                child = np.where(inside, np.where(left, nodes["left"][node], nodes["right"][node]), node)
                np.add.at(contribs, (rows, feature), np.where(inside, values[child] - values[node], 0.0))
                node = child.astype(np.int64)
        return np.full(len(X), base), contribs

    return explain


def treeshap_xgboost(model: Any, n_features: int, means: np.ndarray | None) -> Explain:
    booster = model.get_booster()

    def explain(X: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        contribs = booster.predict(xgboost.DMatrix(X), pred_contribs=True)[:, :-1].astype(np.float64)
        prediction = booster.inplace_predict(X).astype(np.float64)
        return prediction - contribs.sum(axis=1), contribs

    return explain


def linear(model: Any, n_features: int, means: np.ndarray | None) -> Explain:
    centre = means if means is not None else np.zeros(n_features)
    base = float(model.intercept_ + centre @ model.coef_)

    def explain(X: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        return np.full(len(X), base), (X - centre) * model.coef_

    return explain
