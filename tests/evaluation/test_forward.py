"""Forward-in-time evaluation: the past fits, calibrates and chooses; later films are scored."""

from __future__ import annotations

import json

import numpy as np
import pandas as pd
import pytest

from boxoffice.evaluation.comps_forward import comps_forward_report, constrained_report
from boxoffice.evaluation.forward_scores import forward_report
from boxoffice.evaluation.served import load_pinned
from boxoffice.features.build import add_features
from boxoffice.features.track_record import TrackRecord
from boxoffice.io import load_model, read_json
from boxoffice.modeling.comps import Comps, day_numbers
from boxoffice.modeling.forward import by_date, fit_forward_regressor, forward_splits
from boxoffice.modeling.model_types import explainer
from boxoffice.modeling.training import predict_in_order
from boxoffice.params import load_params


def featurized(movies: pd.DataFrame, settings: dict) -> pd.DataFrame:
    """Every film with its track record as of its own date, as featurize writes all.csv."""
    return add_features(movies, settings, TrackRecord.from_films(movies, settings["cast_top"]))


def test_the_split_is_by_date_and_stable() -> None:
    films = pd.DataFrame(
        {"release_date": ["2011-05-01", "2001-01-01", "2009-12-31", "2003-03-03", "2003-03-03", "2010-01-01"]}
    ).assign(order=range(6))
    fit, calibration, scored = by_date(films, "2010-01-01", 0.25)
    assert list(fit["order"]) == [1, 3, 4]  # oldest first; the same-day pair in file order
    assert list(calibration["order"]) == [2]  # the latest quarter of the past
    assert list(scored["order"]) == [0, 5]  # on or after the cutoff, in file order
    with pytest.raises(ValueError, match="forward_cutoff"):
        by_date(films, "2020-01-01", 0.25)


def test_later_films_revenues_never_reach_earlier_films_features(project) -> None:
    """Change every scored film's revenue: the fit and calibration films' features do not move."""
    settings = load_params("featurize", project / "params.yaml")
    movies = pd.read_csv(project / "data" / "prepared" / "movies.csv", keep_default_na=False)
    later = (pd.to_datetime(movies["release_date"]) >= pd.Timestamp("2010-01-01")).to_numpy()
    changed = movies.assign(revenue=np.where(later, movies["revenue"] * 50 + 1, movies["revenue"]))
    before, after = featurized(movies, settings), featurized(changed, settings)
    track = [column for column in before.columns if column.startswith(("director_", "cast_", "company_"))]
    pd.testing.assert_frame_equal(before.loc[~later, track], after.loc[~later, track])
    assert not before.loc[later, "log_revenue"].equals(after.loc[later, "log_revenue"])


def test_the_report_rebuilds_the_models_from_the_past(project) -> None:
    """From the forward stages' outputs: the past fits and chooses, only later films are scored."""
    params = load_params(path=project / "params.yaml")
    films = pd.read_csv(project / "data" / "features" / "all.csv", keep_default_na=False)
    pins = read_json(project / "models" / "selection.json")
    scores = {
        name: read_json(project / "data" / "scores" / "forward" / f"{name}.json")
        for name in params["regressors"]["models"]
    }
    cv_rmse = {name: entry["cv"]["rmse"]["mean"] for name, entry in scores.items()}
    splits = forward_splits(films, params)
    regressor = load_pinned(project / "models", "forward", pins["forward"])
    classifier = load_model(project / "models" / "classifiers" / "forward.joblib")
    best_c = read_json(project / "data" / "scores" / "classifier_cv.json")["forward"]["best_C"]
    report, answers = forward_report(splits, regressor, pins["forward"], cv_rmse, classifier, best_c, params)

    config = params["evaluate"]
    fit, calibration, scored = by_date(films, config["forward_cutoff"], config["forward_calibration"])
    assert report["films"] == {"fit": len(fit), "calibration": len(calibration), "scored": len(scored)}
    assert report["selected"] == read_json(project / "data" / "scores" / "selection.json")["forward"]["selected"]
    assert report["params"] == scores[report["selected"]]["chosen"]
    assert regressor.n_features_in_ == len(splits[0].features)
    assert len(answers.split.frame) == len(scored)
    assert (pd.to_datetime(answers.split.frame["release_date"]) >= pd.Timestamp(config["forward_cutoff"])).all()
    assert sum(row["films"] for row in report["slices"]["budget"]) == len(scored)
    hits = answers.outlook["hit_probability"] >= 0.5
    assert np.array_equal(hits, answers.outlook["median"] > np.log1p(2 * answers.split.budget))
    # evaluate wrote exactly this report, with the comps' forecast beside it
    report["comps"] = comps_forward_report(splits, regressor, params)
    assert read_json(project / "metrics" / "regression.json")["pre_release"]["forward"] == json.loads(
        json.dumps(report, default=float)
    )


def test_each_type_is_rebuilt_on_the_fitting_films_only(project) -> None:
    """A forward model saw the fit films and no others: refitting on them with its params gives it again."""
    params = load_params(path=project / "params.yaml")
    fit, _, _ = forward_splits(pd.read_csv(project / "data" / "features" / "all.csv", keep_default_na=False), params)
    model, chosen, cv = fit_forward_regressor("gradient_boosting", fit, params)
    assert chosen == read_json(project / "data" / "scores" / "forward" / "gradient_boosting.json")["chosen"]
    stored = load_model(project / "models" / "forward" / "gradient_boosting.joblib")
    np.testing.assert_array_equal(stored.predict(fit.X), model.predict(fit.X))
    assert read_json(project / "data" / "scores" / "forward" / "gradient_boosting.json")["cv"] == json.loads(
        json.dumps(cv)
    )


def test_the_comps_forecast_under_constraints_keeps_to_them(project) -> None:
    """A constraint keeping every candidate gives the plain comps' figures; the others score as many films or fewer."""
    params = load_params(path=project / "params.yaml")
    films = pd.read_csv(project / "data" / "features" / "all.csv", keep_default_na=False)
    splits = forward_splits(films, params)
    pins = read_json(project / "models" / "selection.json")
    regressor = load_pinned(project / "models", "forward", pins["forward"])
    report = comps_forward_report(splits, regressor, params)
    fit, calibration, scored = splits
    explain = explainer(regressor, len(fit.features), fit.X.mean(axis=0))
    past = Comps(
        facts=[],
        days=day_numbers(np.concatenate([fit.frame["release_date"], calibration.frame["release_date"]])),
        contributions=explain.explain(np.vstack([fit.X, calibration.X]))[1],
        log_revenue=np.concatenate([fit.log_revenue, calibration.log_revenue]),
    )
    later = (
        explain.explain(scored.X)[1],
        day_numbers(scored.frame["release_date"]),
        predict_in_order(regressor, scored.X),
    )
    constrained = constrained_report(splits, past, later, params, years=1000)  # every earlier film is within 1000
    assert set(constrained) == {"share_genre", "within_1000_years", "same_budget_band", "all"}
    assert set(report["comps_median_constrained"]) == {"share_genre", "within_10_years", "same_budget_band", "all"}
    for n, plain in report["comps_median"].items():
        assert constrained["within_1000_years"][n] == {
            **plain,
            "films": report["scored"],
            "model_on_these_films": report["model"],
        }
        for name in ("share_genre", "same_budget_band"):
            assert constrained["all"][n]["films"] <= constrained[name][n]["films"] <= report["scored"]
