"""The model-type registry: every entry is complete, and everything else reads it."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from boxoffice.evaluation.results_page import NAMES
from boxoffice.io import load_model
from boxoffice.modeling.model_types import REGRESSORS, explainer, regressor_type
from boxoffice.params import load_params
from boxoffice.prediction.predictor import fast_regressor
from tests.conftest import ROOT


@pytest.mark.parametrize("name", list(REGRESSORS))
def test_every_registered_regressor_is_served_explained_and_named(project: Path, name: str) -> None:
    """On the model the tiny project's stage fitted: a prediction path, an explanation that adds up, a name."""
    kind = REGRESSORS[name]
    model = load_model(project / "models" / "regressors" / "main" / f"{name}.joblib")
    assert regressor_type(model) is kind
    X = np.random.default_rng(0).normal(size=(7, model.n_features_in_)) + 5.0
    np.testing.assert_allclose(fast_regressor(model)(X), model.predict(X), rtol=1e-12, atol=1e-12)
    np.testing.assert_allclose(fast_regressor(model, internals=False)(X), model.predict(X), rtol=1e-12)
    explained = explainer(model, X.shape[1], X.mean(axis=0))
    base, contributions = explained.explain(X)
    np.testing.assert_allclose(base + contributions.sum(axis=1), model.predict(X), atol=1e-5)
    assert explained.method == kind.explanation
    assert NAMES[name] == kind.display and kind.display


def test_params_yaml_trains_only_registered_types_each_with_its_params() -> None:
    regressors = load_params("regressors", ROOT / "params.yaml")
    assert set(regressors["models"]) <= set(REGRESSORS)
    assert all(name in regressors for name in regressors["models"])


def test_an_unregistered_type_is_refused_by_name() -> None:
    from sklearn.neighbors import KNeighborsRegressor

    with pytest.raises(TypeError, match="unknown model type KNeighborsRegressor"):
        regressor_type(KNeighborsRegressor())
