"""The compiled tree walk gives scikit-learn's predictions to the bit, on models fitted here."""

from __future__ import annotations

import itertools
from typing import Any

import numpy as np
import pytest
from sklearn.ensemble import GradientBoostingRegressor, RandomForestRegressor

from boxoffice.modeling.model_types import REGRESSORS
from boxoffice.modeling.tree_kernels import BLOCK, FEW, FlatTrees


def data(rows: int, seed: int = 0) -> tuple[np.ndarray, np.ndarray]:
    rng = np.random.default_rng(seed)
    X = rng.normal(size=(rows, 4)) * [1.0, 10.0, 0.1, 1e6]
    X[:, 2] = np.round(X[:, 2], 1)  # repeated values: rows that land exactly on split points
    return X, X[:, 0] * 2 + np.sin(X[:, 1]) + X[:, 2] * 5 + rng.normal(size=rows)


@pytest.fixture(scope="module")
def fitted() -> dict[str, Any]:
    X, y = data(400)
    return {
        # trees of different depths (max_depth unset, min_samples_leaf varies the shapes)
        "random_forest": RandomForestRegressor(n_estimators=15, min_samples_leaf=3, random_state=0).fit(X, y),
        "gradient_boosting": GradientBoostingRegressor(n_estimators=20, max_depth=4, random_state=0).fit(X, y),
    }


@pytest.mark.parametrize("name", ["random_forest", "gradient_boosting"])
def test_every_row_gets_exactly_predict(fitted: dict[str, Any], name: str) -> None:
    model = fitted[name]
    X, _ = data(3 * BLOCK + 17, seed=1)  # several blocks and a partial one
    X[:50] = data(400)[0][:50]  # training rows: values equal to the thresholds' neighbours
    fast = REGRESSORS[name].fast_predict
    assert fast is not None
    predict = fast(model)
    assert predict is not None
    assert np.array_equal(predict(X), model.predict(X))
    assert [predict(X[i : i + 1])[0] for i in range(0, len(X), 97)] == model.predict(X)[::97].tolist()
    assert np.array_equal(predict(X[: FEW - 1]), model.predict(X[: FEW - 1]))  # a few rows: the other loop


def test_leaves_point_to_themselves_and_depths_are_each_trees_own(fitted: dict[str, Any]) -> None:
    forest = fitted["random_forest"]
    flat = FlatTrees.of([tree.tree_ for tree in forest.estimators_])
    leaves = np.flatnonzero(np.isinf(flat.threshold))
    assert (flat.left[leaves] == leaves).all() and (flat.right[leaves] == leaves).all()
    assert flat.depths.tolist() == [tree.tree_.max_depth for tree in forest.estimators_]
    assert len(set(flat.depths.tolist())) > 1


def test_an_empty_batch_gives_an_empty_answer(fitted: dict[str, Any]) -> None:
    forest = fitted["random_forest"]
    flat = FlatTrees.of([tree.tree_ for tree in forest.estimators_])
    assert flat.add_to(np.zeros((0, 4)), np.zeros(0)).shape == (0,)


@pytest.mark.parametrize("name", ["random_forest", "gradient_boosting"])
def test_path_credits_equal_the_decision_paths_node_by_node(fitted: dict[str, Any], name: str) -> None:
    """Saabas credits from the compiled walk equal those read off scikit-learn's own decision_path."""
    model = fitted[name]
    trees = [tree.tree_ for tree in np.ravel(model.estimators_)]
    weights = np.full(len(trees), model.learning_rate if name == "gradient_boosting" else 1 / len(trees))
    X, _ = data(60, seed=2)
    expected = np.zeros((len(X), X.shape[1]))
    for tree, weight in zip(trees, weights, strict=True):
        path = tree.decision_path(X.astype(np.float32)).toarray().astype(bool)
        for i in range(len(X)):
            nodes = np.flatnonzero(path[i])  # root first: a child's index is above its parent's
            for parent, child in itertools.pairwise(nodes):
                expected[i, tree.feature[parent]] += weight * (tree.value[child, 0, 0] - tree.value[parent, 0, 0])
    got = FlatTrees.of(trees).credit_paths(X, weights, X.shape[1])
    np.testing.assert_allclose(got, expected, rtol=0, atol=1e-12)
    assert np.abs(got).sum() > 0


@pytest.mark.parametrize("name", ["random_forest", "gradient_boosting"])
def test_groups_of_neighbours_walk_together_to_the_same_bits(fitted: dict[str, Any], name: str) -> None:
    """``group``: consecutive rows that differ in a few columns (a film's neighbourhood) or in all of them."""
    model = fitted[name]
    predict = REGRESSORS[name].fast_predict(model)  # type: ignore[misc]
    films, _ = data(40, seed=2)
    size = 15
    neighbours = np.repeat(films, size, axis=0)
    neighbours[:, 1] *= np.tile(np.linspace(0.6, 1.5, 5).repeat(3), len(films))  # like the budget's neighbours
    neighbours[:, 2] += np.tile([-0.1, 0.0, 0.1], 5 * len(films))  # and the month's
    unrelated, _ = data(size * 20, seed=3)  # every column differs within a group
    for X in (neighbours, unrelated, np.repeat(films, size, axis=0)):  # the last: groups of identical rows
        assert np.array_equal(predict(X, group=size), model.predict(X))
        assert np.array_equal(predict(X, group=size), predict(X))
    assert np.array_equal(predict(neighbours[:-1], group=size), model.predict(neighbours[:-1]))  # not whole groups
