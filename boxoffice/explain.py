"""Per-prediction feature contributions to the predicted log revenue.

For every supported regressor, ``base + contributions.sum(axis=1)`` equals the
model's prediction (to float precision):
- XGBoost: its own exact TreeSHAP values (``pred_contribs``), computed in float32; the
  rounding left over (~1e-5) is folded into the base value so the sum is exact;
- scikit-learn tree ensembles: path attribution (Saabas): each split on a film's path
  credits the change in the node's value to the split's feature;
- linear regression: coefficient x (value - training mean), base = prediction at the mean.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import xgboost
from scipy import sparse
from sklearn.ensemble import GradientBoostingRegressor, RandomForestRegressor
from sklearn.linear_model import LinearRegression


class Explainer:
    """Precomputed per-node credits, so an explanation costs a few sparse products."""

    def __init__(self, model: Any, n_features: int, feature_means: np.ndarray | None = None) -> None:
        self.model = model
        self.n_features = n_features
        self.means = feature_means
        self._trees: list[tuple[Any, sparse.csr_matrix, float]] = []
        self._base = 0.0
        if isinstance(model, GradientBoostingRegressor):
            # The initial estimate through public attributes only: "zero", or a fitted
            # estimator (a DummyRegressor for squared error) whose predict gives it.
            zero = np.zeros((1, n_features), np.float32)
            self._base = 0.0 if model.init_ == "zero" else float(np.ravel(model.init_.predict(zero))[0])
            for tree in model.estimators_[:, 0]:
                self._add_tree(tree.tree_, model.learning_rate)
        elif isinstance(model, RandomForestRegressor):
            for tree in model.estimators_:
                self._add_tree(tree.tree_, 1.0 / len(model.estimators_))
        elif isinstance(model, xgboost.XGBRegressor | LinearRegression):
            pass
        else:
            raise TypeError(
                f"unknown model type {type(model).__name__}: no explainer for it "
                "(known: GradientBoostingRegressor, RandomForestRegressor, XGBRegressor, LinearRegression)"
            )

    @property
    def method(self) -> str:
        """What the contributions are, named in every explanation the service returns."""
        if isinstance(self.model, xgboost.XGBRegressor):
            return "treeshap"
        if isinstance(self.model, LinearRegression):
            return "linear"
        return "path attribution (Saabas)"

    def _add_tree(self, tree: Any, weight: float) -> None:
        """Credit (value[child] - value[parent]) x weight to the parent's split feature."""
        values = tree.value[:, 0, 0] * weight
        parent = np.full(tree.node_count, -1)
        for node in range(tree.node_count):
            for child in (tree.children_left[node], tree.children_right[node]):
                if child >= 0:
                    parent[child] = node
        children = np.flatnonzero(parent >= 0)
        credit = sparse.csr_matrix(
            (values[children] - values[parent[children]], (children, tree.feature[parent[children]])),
            shape=(tree.node_count, self.n_features),
        )
        self._trees.append((tree, credit, float(values[0])))
        self._base += float(values[0])

    def explain(self, X: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """(base value per row, contributions of shape (rows, features))."""
        X = np.asarray(X, dtype=np.float64)
        if isinstance(self.model, xgboost.XGBRegressor):
            booster = self.model.get_booster()
            contribs = booster.predict(xgboost.DMatrix(X), pred_contribs=True)[:, :-1].astype(np.float64)
            prediction = booster.inplace_predict(X).astype(np.float64)
            return prediction - contribs.sum(axis=1), contribs
        if isinstance(self.model, LinearRegression):
            means = self.means if self.means is not None else np.zeros(X.shape[1])
            base = float(self.model.intercept_ + means @ self.model.coef_)
            return np.full(len(X), base), (X - means) * self.model.coef_
        X32 = np.ascontiguousarray(X, dtype=np.float32)
        contribs = np.zeros((len(X), self.n_features))
        for tree, credit, _ in self._trees:
            contribs += np.asarray((tree.decision_path(X32) @ credit).todense())
        return np.full(len(X), self._base), contribs
