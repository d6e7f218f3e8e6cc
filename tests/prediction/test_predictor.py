"""Serving fast paths and explanations against the models the stage scripts fitted (tiny project), every test row."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from boxoffice.features.splits import load_split
from boxoffice.io import load_model, read_csv
from boxoffice.modeling.model_types import REGRESSORS, explainer
from boxoffice.params import load_params
from boxoffice.prediction.batch import request_columns
from boxoffice.prediction.predictor import Predictor, fast_hit_probability, fast_regressor
from boxoffice.prediction.schemas import PreReleaseMovie

MODELS = list(REGRESSORS)


@pytest.fixture(scope="module")
def params(project: Path) -> dict:
    return load_params(path=project / "params.yaml")


@pytest.mark.parametrize("variant", ["main", "pre_release"])
@pytest.mark.parametrize("name", MODELS)
def test_fast_regressor_equals_predict_on_every_test_row(project: Path, params: dict, name: str, variant: str) -> None:
    test = load_split(project / "data" / "features", "test", params, variant)
    model = load_model(project / "models" / "regressors" / variant / f"{name}.joblib")
    np.testing.assert_allclose(fast_regressor(model)(test.X), model.predict(test.X), rtol=1e-12, atol=1e-12)


@pytest.mark.parametrize("variant", ["main", "pre_release"])
def test_fast_hit_probability_equals_predict_proba(project: Path, params: dict, variant: str) -> None:
    test = load_split(project / "data" / "features", "test", params, variant)
    model = load_model(project / "models" / "classifiers" / f"{variant}.joblib")
    np.testing.assert_allclose(fast_hit_probability(model)(test.X), model.predict_proba(test.X)[:, 1], rtol=1e-12)


def test_a_movie_gets_the_same_answer_alone_or_in_a_batch(project: Path, params: dict) -> None:
    test = load_split(project / "data" / "features", "test", params)
    for name in MODELS:
        predict = fast_regressor(load_model(project / "models" / "regressors" / "main" / f"{name}.joblib"))
        batch = predict(test.X)
        assert [predict(test.X[i : i + 1])[0] for i in range(20)] == batch[:20].tolist()


@pytest.mark.parametrize("variant", ["main", "pre_release"])
@pytest.mark.parametrize("name", MODELS)
def test_contributions_sum_to_the_prediction(project: Path, params: dict, name: str, variant: str) -> None:
    test = load_split(project / "data" / "features", "test", params, variant)
    model = load_model(project / "models" / "regressors" / variant / f"{name}.joblib")
    base, contributions = explainer(model, test.X.shape[1], test.X.mean(axis=0)).explain(test.X)
    assert contributions.shape == test.X.shape
    np.testing.assert_allclose(base + contributions.sum(axis=1), fast_regressor(model)(test.X), rtol=0, atol=1e-6)


def test_pre_release_requests_get_the_features_the_pipeline_trained_on(project: Path, params: dict) -> None:
    """Every test film, sent as a /predict/pre_release body, gives the featurize stage's row exactly."""
    frame = read_csv(project / "data" / "features" / "test.csv")
    frame = frame[frame["runtime"] > 0]  # the API requires a runtime; the data has a few zeros

    def names(value: str) -> list[str]:
        return [name for name in value.split("|") if name]

    movies = [
        PreReleaseMovie(
            budget=row.budget,
            runtime=row.runtime,
            release_date=row.release_date,
            genres=names(row.genres),
            original_language=row.original_language,
            production_companies=names(row.production_companies),
            directors=names(row.directors),
            cast=names(row.cast),
            keywords=names(row.keywords),
        )
        for row in frame.itertuples()
    ]
    predictor = Predictor.load(project / "models", "pre_release")
    assert len(movies) == len(frame) > 0
    assert predictor.features == load_split(project / "data" / "features", "test", params, "pre_release").features
    np.testing.assert_array_equal(
        predictor.matrix(request_columns(PreReleaseMovie, movies)), frame[predictor.features].to_numpy(dtype=np.float64)
    )


def test_the_producers_figures_are_the_revenue_distributions_on_every_test_film(project: Path) -> None:
    """P(profit) = 1 - P(revenue <= the break-even gross) and the results at the revenue's levels, for each test film
    with the default terms and with its own (the answer reads them from one look-up, alone or in a batch)."""
    frame = read_csv(project / "data" / "features" / "test.csv")
    frame = frame[frame["runtime"] > 0]
    predictor = Predictor.load(project / "models", "pre_release")
    for deal in ({}, {"distributor_share": 0.4, "p_and_a_multiple": 1.5}, {"p_and_a": 2e7}):
        movies = [
            PreReleaseMovie(
                budget=row.budget,
                runtime=row.runtime,
                release_date=row.release_date,
                original_language=row.original_language,
                directors=[name for name in row.directors.split("|") if name],
                **deal,
            )
            for row in frame.itertuples()
        ]
        columns = request_columns(PreReleaseMovie, movies)
        out = predictor.predict(columns)
        factor = predictor.dollar_factor(columns)
        budget = columns["budget"]
        line = (budget + out["p_and_a"]) / out["distributor_share"]
        expected = 1 - predictor.distribution.below(out["log_revenue"], budget * factor, np.log1p(line * factor))
        np.testing.assert_array_equal(out["profit_probability"], expected)
        np.testing.assert_array_equal(out["producer_break_even_revenue"], line)
        for level in ("median", "low", "high"):
            result = out[level] * out["distributor_share"] - budget - out["p_and_a"]
            np.testing.assert_array_equal(out[f"profit_{level}"], result)
        alone = predictor.predict(request_columns(PreReleaseMovie, movies[:1]))
        assert alone["profit_probability"][0] == out["profit_probability"][0]


@pytest.mark.parametrize("switch", ["an unchecked scikit-learn", "BOXOFFICE_FAST_PATHS=0"])
def test_without_the_fast_paths_the_service_warns_once_and_predicts_the_same(
    project: Path, params: dict, switch: str, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    """The fast paths use scikit-learn internals: another version falls back to the public predict."""
    import sklearn

    from boxoffice.prediction import predictor as predictor_module

    fast = Predictor.load_all(project / "models")
    monkeypatch.setattr(predictor_module, "_warned", set())
    if switch == "BOXOFFICE_FAST_PATHS=0":
        monkeypatch.setenv("BOXOFFICE_FAST_PATHS", "0")
    else:
        monkeypatch.setattr(sklearn, "__version__", "9.9.9")
    with caplog.at_level("WARNING", logger="boxoffice.prediction.predictor"):
        public = Predictor.load_all(project / "models")
    warnings = [r.getMessage() for r in caplog.records if "fast prediction paths off" in r.getMessage()]
    assert len(warnings) == 1, warnings
    assert ("9.9.9" in warnings[0]) == (switch != "BOXOFFICE_FAST_PATHS=0")
    gbr = load_model(project / "models" / "regressors" / "main" / "gradient_boosting.joblib")
    assert predictor_module.fast_regressor(gbr, internals=False) == gbr.predict
    for variant in ("main", "pre_release"):
        test = read_csv(project / "data" / "features" / "test.csv")
        columns = {name: test[name].to_numpy() for name in test.columns}
        got, expected = public[variant].predict(columns), fast[variant].predict(columns)
        for key in ("median", "low", "high", "p10", "p90", "hit_probability", "break_even_probability"):
            np.testing.assert_allclose(got[key], expected[key], rtol=1e-12)


@pytest.mark.parametrize(
    ("name", "method"),
    [
        ("gradient_boosting", "path attribution (Saabas)"),
        ("random_forest", "path attribution (Saabas)"),
        ("xgboost", "treeshap"),
        ("linear_regression", "linear"),
        ("hist_gradient_boosting", "path attribution (Saabas)"),
    ],
)
def test_every_explanation_names_its_method(project: Path, params: dict, name: str, method: str) -> None:
    model = load_model(project / "models" / "regressors" / "main" / f"{name}.joblib")
    test = load_split(project / "data" / "features", "test", params)
    assert explainer(model, test.X.shape[1], test.X.mean(axis=0)).method == method
