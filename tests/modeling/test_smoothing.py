"""The budget and month neighbourhood average (boxoffice.modeling.smoothing) on films made up here."""

from __future__ import annotations

import numpy as np
import pytest
from sklearn.base import clone

from boxoffice.modeling.fitting import fit_and_cross_validate, make_regressor
from boxoffice.modeling.metrics import regression_metrics
from boxoffice.modeling.model_types import explainer
from boxoffice.modeling.smoothing import Neighbourhood, Smoothed
from boxoffice.prediction.predictor import fast_regressor

FEATURES = ["real_log_budget", "runtime", "release_month"]
SMOOTH = {"smooth_budget": 0.4, "smooth_budget_points": 5, "smooth_month": 0.25}
BOOSTING = {"n_estimators": 60, "max_depth": 2, "learning_rate": 0.2, "random_state": 0}
FACTORS = (0.25, 0.4, 0.5, 0.67, 0.8, 1, 1.25, 1.5, 2, 3)  # the page's budget curve


def films(n: int = 600) -> tuple[np.ndarray, np.ndarray]:
    """Revenue that triples at a $4M budget and is 3.5 times higher in June and July, plus noise."""
    rng = np.random.default_rng(0)
    budget = np.exp(rng.uniform(np.log(5e5), np.log(3e7), n))
    month = rng.integers(1, 13, n).astype(np.float64)
    X = np.column_stack([np.log1p(budget), rng.uniform(80, 160, n), month])
    y = 15 + np.where(budget > 4e6, np.log(3.0), 0.0) + np.where(np.isin(month, (6, 7)), np.log(3.5), 0.0)
    return X, y + rng.normal(0, 0.05, n)


def largest_ratios(predict, X: np.ndarray) -> tuple[float, float]:
    """The largest ratio between neighbouring points of the budget curves and of the month curves."""
    budget = np.column_stack([predict(np.column_stack([np.log1p(np.expm1(X[:, 0]) * f), X[:, 1:]])) for f in FACTORS])
    month = np.column_stack([predict(np.column_stack([X[:, :2], np.full(len(X), m)])) for m in range(1, 13)])
    return float(np.exp(np.abs(np.diff(budget)).max())), float(np.exp(np.abs(np.diff(month)).max()))


def test_smoothing_bounds_the_jumps_between_neighbouring_points_of_the_what_if_curves() -> None:
    X, y = films()
    plain = make_regressor("gradient_boosting", BOOSTING).fit(X, y)
    smoothed = make_regressor("gradient_boosting", {**BOOSTING, **SMOOTH}, FEATURES).fit(X, y)
    asked = X[:50]
    plain_budget, plain_month = largest_ratios(plain.predict, asked)
    budget, month = largest_ratios(smoothed.predict, asked)
    assert plain_budget > 2.8 and plain_month > 3.2  # the steps the data was made with, taken at one split
    assert budget < 2.0 and month < 2.0
    assert budget < plain_budget and month < plain_month


def test_a_film_gets_the_same_answer_to_the_last_bit_alone_and_in_a_batch() -> None:
    """The service answers one film at a time, the file scorer a file at once: their numbers must agree exactly."""
    X, y = films()
    smoothed = make_regressor("gradient_boosting", {**BOOSTING, **SMOOTH}, FEATURES).fit(X, y)
    for predict in (smoothed.predict, fast_regressor(smoothed)):  # as evaluate scores it, as the service runs it
        batch = predict(X)
        alone = np.concatenate([predict(X[i : i + 1]) for i in range(len(X))])
        np.testing.assert_array_equal(alone, batch)
    explain = explainer(smoothed, len(FEATURES)).explain
    base, contributions = explain(X[:40])
    for i in range(40):
        alone_base, alone_contributions = explain(X[i : i + 1])
        np.testing.assert_array_equal(alone_base, base[i : i + 1])
        np.testing.assert_array_equal(alone_contributions, contributions[i : i + 1])


def test_the_average_is_over_the_stated_neighbours_and_december_borders_january() -> None:
    neighbourhood = Neighbourhood.of(FEATURES, 0.4, 5, 0.25)
    X = np.array([[np.log1p(1e7), 100.0, 12.0]])
    spread = neighbourhood.spread(X)
    assert neighbourhood.size == 15 and spread.shape == (15, 3)
    assert sorted(set(spread[:, 2])) == [1.0, 11.0, 12.0]
    np.testing.assert_allclose(
        sorted(set(np.round(np.expm1(spread[:, 0]) / 1e7, 9))), np.exp([-0.4, -0.2, 0, 0.2, 0.4])
    )
    # The average of a function of the month alone: its neighbours weigh 1/4 each, the month itself 1/2.
    value = neighbourhood.smoothed(lambda rows: rows[:, 2])(X)
    np.testing.assert_allclose(value, [0.25 * 11 + 0.5 * 12 + 0.25 * 1])


def test_without_the_columns_or_the_settings_nothing_is_averaged() -> None:
    assert Neighbourhood.of(["runtime"], 0.4, 5, 0.25).size == 1
    assert Neighbourhood.of(FEATURES, 0.0, 5, 0.0).size == 1
    with pytest.raises(ValueError, match="smooth_month"):
        Neighbourhood.of(FEATURES, 0.4, 5, 0.5)
    with pytest.raises(ValueError, match="smooth_budget"):
        Neighbourhood.of(FEATURES, -0.1, 5, 0.0)


def test_the_served_fast_path_and_the_explanation_give_the_smoothed_answer() -> None:
    X, y = films()
    model = make_regressor("gradient_boosting", {**BOOSTING, **SMOOTH}, FEATURES).fit(X, y)
    assert isinstance(model, Smoothed)
    np.testing.assert_array_equal(fast_regressor(model)(X), model.predict(X))  # neighbourhoods walked together
    np.testing.assert_allclose(fast_regressor(model, internals=False)(X), model.predict(X), rtol=1e-12)
    base, contributions = explainer(model, len(FEATURES)).explain(X)
    np.testing.assert_allclose(base + contributions.sum(axis=1), model.predict(X), rtol=0, atol=1e-6)
    refit = clone(model).fit(X, y)  # a CV fold's copy: the same settings, the same answer
    np.testing.assert_array_equal(refit.predict(X), model.predict(X))


def test_cross_validation_scores_the_smoothed_answer_and_a_smoothing_grid_is_refused() -> None:
    X, y = films()

    def score(model, X_held, y_held):
        return regression_metrics(y_held, model.predict(X_held))

    params = {**BOOSTING, "max_depth": [2, 3], **SMOOTH}
    model, chosen, table, cv = fit_and_cross_validate(
        "gradient_boosting", params, X, y, (4, 0, 1), score, (4, 1, 0, 1), FEATURES
    )
    assert isinstance(model, Smoothed) and chosen["smooth_budget"] == 0.4
    assert list(table["smooth_month"]) == [0.25, 0.25]
    plain = fit_and_cross_validate(
        "gradient_boosting", {**BOOSTING, "max_depth": [2, 3]}, X, y, (4, 0, 1), score, (4, 1, 0, 1), FEATURES
    )[3]
    assert cv["rmse"]["mean"] != plain["rmse"]["mean"]  # the folds scored the smoothed answer
    with pytest.raises(ValueError, match="fixed, not searched"):
        fit_and_cross_validate(
            "gradient_boosting", {**BOOSTING, "smooth_budget": [0.2, 0.4]}, X, y, (4, 0, 1), score, (4, 1, 0, 1)
        )
