"""Serving fast paths and explanations against the pipeline's own models, on the real test split."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from boxoffice.dataset import load_split
from boxoffice.explain import Explainer
from boxoffice.io import load_model
from boxoffice.params import load_params
from boxoffice.predictor import fast_hit_probability, fast_regressor

MODELS = ["linear_regression", "random_forest", "gradient_boosting", "xgboost"]


@pytest.fixture(scope="module")
def params(pipeline: Path) -> dict:
    return load_params(path=pipeline / "params.yaml")


@pytest.mark.parametrize("variant", ["main", "pre_release"])
@pytest.mark.parametrize("name", MODELS)
def test_fast_regressor_equals_predict_on_every_test_row(pipeline: Path, params: dict, name: str, variant: str) -> None:
    test = load_split(pipeline / "data" / "features", "test", params, variant)
    model = load_model(pipeline / "models" / "regressors" / variant / f"{name}.joblib")
    np.testing.assert_allclose(fast_regressor(model)(test.X), model.predict(test.X), rtol=1e-12, atol=1e-12)


@pytest.mark.parametrize("variant", ["main", "pre_release"])
def test_fast_hit_probability_equals_predict_proba(pipeline: Path, params: dict, variant: str) -> None:
    test = load_split(pipeline / "data" / "features", "test", params, variant)
    model = load_model(pipeline / "models" / "classifiers" / f"{variant}.joblib")
    np.testing.assert_allclose(fast_hit_probability(model)(test.X), model.predict_proba(test.X)[:, 1], rtol=1e-12)


def test_a_movie_gets_the_same_answer_alone_or_in_a_batch(pipeline: Path, params: dict) -> None:
    test = load_split(pipeline / "data" / "features", "test", params)
    for name in MODELS:
        predict = fast_regressor(load_model(pipeline / "models" / "regressors" / "main" / f"{name}.joblib"))
        batch = predict(test.X)
        assert [predict(test.X[i : i + 1])[0] for i in range(20)] == batch[:20].tolist()


@pytest.mark.parametrize("variant", ["main", "pre_release"])
@pytest.mark.parametrize("name", MODELS)
def test_contributions_sum_to_the_prediction(pipeline: Path, params: dict, name: str, variant: str) -> None:
    test = load_split(pipeline / "data" / "features", "test", params, variant)
    model = load_model(pipeline / "models" / "regressors" / variant / f"{name}.joblib")
    base, contributions = Explainer(model, test.X.shape[1], test.X.mean(axis=0)).explain(test.X)
    assert contributions.shape == test.X.shape
    np.testing.assert_allclose(base + contributions.sum(axis=1), fast_regressor(model)(test.X), rtol=0, atol=1e-6)
