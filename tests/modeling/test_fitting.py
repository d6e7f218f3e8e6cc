"""Model construction, grid search and the classifier's cross-validation."""

from __future__ import annotations

import numpy as np
import pytest
from sklearn.ensemble import GradientBoostingRegressor
from sklearn.metrics import roc_auc_score
from sklearn.model_selection import KFold

from boxoffice.modeling.fitting import (
    c_key,
    calibrated,
    cross_validate_c,
    fit_and_cross_validate,
    fit_hit_classifier,
    fit_regressor,
    fold_model,
    grid_points,
    make_classifier,
    make_regressor,
    nested_cv_auc,
    repeated_cv,
)
from boxoffice.modeling.metrics import classification_metrics, regression_metrics


def test_grid_points_expand_lists_and_keep_scalars() -> None:
    points = grid_points({"max_depth": [2, 3], "n_estimators": 5, "random_state": 0})
    assert points == [
        {"max_depth": 2, "n_estimators": 5, "random_state": 0},
        {"max_depth": 3, "n_estimators": 5, "random_state": 0},
    ]
    assert grid_points({}) == [{}]


def test_make_regressor_uses_params_and_refuses_unknown_names() -> None:
    model = make_regressor("gradient_boosting", {"n_estimators": 7})
    assert isinstance(model, GradientBoostingRegressor)
    assert model.n_estimators == 7
    with pytest.raises(KeyError, match="unknown regressor 'svm'"):
        make_regressor("svm", {})


def _rmse_score(model, X, y) -> dict[str, float]:
    return regression_metrics(y, model.predict(X))


@pytest.mark.parametrize(
    ("name", "params"),
    [
        ("random_forest", {"n_estimators": 12, "max_depth": 4, "random_state": 0}),
        ("gradient_boosting", {"n_estimators": 20, "random_state": 0}),
        ("linear_regression", {}),
        ("gradient_boosting", {"n_estimators": [5, 20], "random_state": 0}),  # a real grid: searched
    ],
)
@pytest.mark.parametrize("search_seed", [3, 4])
def test_fit_and_cross_validate_gives_the_search_and_cv_of_doing_both(
    name: str, params: dict, search_seed: int
) -> None:
    """The same model, table and CV as GridSearchCV then repeated CV, also where the first repeat is reused."""
    rng = np.random.default_rng(1)
    X = rng.normal(size=(150, 3))
    y = X[:, 0] - 2 * X[:, 1] ** 2 + 0.3 * rng.normal(size=150)
    cv = (5, 2, 3, 1)  # folds, repeats, seed, n_jobs: seed 3 is the search's in one case, not in the other
    model, chosen, table, scores = fit_and_cross_validate(name, params, X, y, (5, search_seed, 1), _rmse_score, cv)
    expected_model, expected_chosen, expected_table = fit_regressor(name, params, X, y, folds=5, seed=search_seed)
    assert chosen == expected_chosen
    assert table.to_dict("list") == expected_table.to_dict("list")
    assert scores == repeated_cv(expected_model, X, y, _rmse_score, *cv)
    np.testing.assert_array_equal(model.predict(X), expected_model.predict(X))


def test_a_forests_folds_fit_on_one_thread_each_with_the_same_scores() -> None:
    """Folds side by side fit a forest with n_jobs=1; the scores are those of one fold at a time on 2 threads."""
    rng = np.random.default_rng(2)
    X = rng.normal(size=(120, 3))
    y = X[:, 0] + X[:, 1] * X[:, 2] + 0.2 * rng.normal(size=120)
    forest = make_regressor("random_forest", {"n_estimators": 8, "max_depth": 4, "random_state": 0, "n_jobs": 2})
    assert fold_model(forest, 2).n_jobs == 1 and forest.n_jobs == 2  # a copy; the model itself is untouched
    assert fold_model(forest, 1) is forest  # folds one at a time: the forest keeps its threads
    boosting = make_regressor("gradient_boosting", {"n_estimators": 5})
    assert fold_model(boosting, 2) is boosting  # no n_jobs to change
    side_by_side = repeated_cv(forest, X, y, _rmse_score, 4, 2, 0, 2)
    assert side_by_side == repeated_cv(forest, X, y, _rmse_score, 4, 2, 0, 1)


def test_grid_search_keeps_the_best_cv_point_and_refits_it_on_all_rows() -> None:
    rng = np.random.default_rng(0)
    X = rng.uniform(size=(200, 2))
    y = np.sin(6 * X[:, 0]) + 0.05 * rng.normal(size=200)
    params = {"max_depth": [1, 4], "n_estimators": 50, "random_state": 0}
    model, chosen, table = fit_regressor("gradient_boosting", params, X, y, folds=4, seed=0)
    assert chosen == {"max_depth": 4, "n_estimators": 50, "random_state": 0}
    assert list(table["max_depth"]) == [1, 4]
    assert table["cv_rmse"].idxmin() == 1
    # The CV figure of a point is the mean RMSE of its folds, each fitted without the fold.
    folds = KFold(n_splits=4, shuffle=True, random_state=0).split(X)
    rmses = [
        regression_metrics(y[held], make_regressor("gradient_boosting", chosen).fit(X[fit], y[fit]).predict(X[held]))
        for fit, held in folds
    ]
    assert table["cv_rmse"][1] == pytest.approx(np.mean([scores["rmse"] for scores in rmses]), abs=1e-6)
    np.testing.assert_array_equal(model.predict(X), make_regressor("gradient_boosting", chosen).fit(X, y).predict(X))


def test_cross_validation_ties_go_to_the_smaller_c() -> None:
    X = np.r_[np.zeros((20, 1)), np.ones((20, 1))]  # perfectly separable: every C scores AUC 1
    y = np.r_[np.zeros(20), np.ones(20)].astype(int)
    table, best = cross_validate_c(X, y, [10, 0.1, 1], folds=5, seed=1, max_iter=200)
    assert best == 0.1
    assert list(table) == ["0.1", "1", "10"]
    assert all(scores["mean_auc"] == 1.0 for scores in table.values())


def test_one_c_is_a_one_point_search() -> None:
    """`dvc exp run -S classifier.C=0.5` gives a number, not a list (a queued grid over C does this)."""
    X = np.r_[np.zeros((20, 1)), np.ones((20, 1))]
    y = np.r_[np.zeros(20), np.ones(20)].astype(int)
    table, best = cross_validate_c(X, y, 0.5, folds=5, seed=1, max_iter=200)
    assert best == 0.5
    assert list(table) == ["0.5"]


def test_c_key() -> None:
    assert [c_key(c) for c in (0.001, 0.5, 1, 10.0)] == ["0.001", "0.5", "1", "10"]


def test_metrics_on_known_values() -> None:
    scores = regression_metrics(np.array([1.0, 2.0, 3.0]), np.array([1.0, 2.0, 5.0]))
    assert scores == {
        "rmse": pytest.approx(np.sqrt(4 / 3), abs=1e-6),
        "r2": -1.0,
        "mae": pytest.approx(2 / 3, abs=1e-6),
    }
    clf = classification_metrics(np.array([0, 0, 1, 1]), np.array([0.1, 0.6, 0.4, 0.9]), threshold=0.5)
    assert clf["auc"] == 0.75
    assert clf["precision"] == 0.5
    assert clf["recall"] == 0.5
    assert clf["accuracy"] == 0.5


def test_repeated_cv_reports_mean_and_std_per_score() -> None:
    rng = np.random.default_rng(0)
    X = rng.normal(size=(100, 2))
    y = X @ [1.0, 2.0] + 0.1 * rng.normal(size=100)
    scores = repeated_cv(
        make_regressor("linear_regression", {}),
        X,
        y,
        lambda m, Xt, yt: regression_metrics(yt, m.predict(Xt)),
        folds=5,
        repeats=2,
        seed=0,
    )
    assert set(scores) == {"rmse", "r2", "mae"}
    assert scores["r2"]["mean"] > 0.99
    assert scores["rmse"]["std"] > 0


def test_calibration_wraps_only_when_asked() -> None:
    model = make_classifier(1.0, 100)
    assert calibrated(model, "none", 5, 0) is model
    wrapped = calibrated(model, "sigmoid", 5, 0)
    assert wrapped.method == "sigmoid"


@pytest.mark.parametrize("method", ["none", "sigmoid"])
def test_the_hit_classifier_is_chosen_by_cv_auc_and_reports_its_search(method: str) -> None:
    rng = np.random.default_rng(0)
    X = rng.normal(size=(240, 3))
    y = (X[:, 0] + 0.5 * rng.normal(size=240) > 0).astype(int)
    config = {"C": [0.001, 1.0], "folds": 3, "random_state": 0, "max_iter": 1000, "calibration": method}
    model, report = fit_hit_classifier(X, y, config)
    aucs = {c: report["cv"][c_key(c)]["mean_auc"] for c in config["C"]}
    assert report["best_C"] == max(aucs, key=aucs.get)
    assert set(report["brier_cv"]) == {"uncalibrated"} | ({method} - {"none"})
    assert report["calibration"] == method
    probabilities = model.predict_proba(X)[:, 1]
    assert probabilities.min() >= 0 and probabilities.max() <= 1
    assert roc_auc_score(y, probabilities) > 0.8  # the signal is strong; a broken fit scores ~0.5


def test_nested_cv_scores_the_c_search_on_rows_it_never_saw() -> None:
    rng = np.random.default_rng(3)
    X = rng.normal(size=(240, 3))
    y = (X[:, 0] + 0.8 * rng.normal(size=240) > 0).astype(int)
    config = {"C": [0.01, 1.0], "folds": 4, "random_state": 5, "max_iter": 200}
    nested = nested_cv_auc(X, y, config)  # type: ignore[arg-type]
    aucs = []
    for fit, held in KFold(n_splits=4, shuffle=True, random_state=6).split(X):
        _, best = cross_validate_c(X[fit], y[fit], config["C"], folds=4, seed=5, max_iter=200)
        model = make_classifier(best, 200).fit(X[fit], y[fit])
        aucs.append(roc_auc_score(y[held], model.predict_proba(X[held])[:, 1]))
    assert nested == {"mean": round(float(np.mean(aucs)), 6), "std": round(float(np.std(aucs)), 6)}
