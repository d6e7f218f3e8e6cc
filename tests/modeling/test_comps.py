"""Comparable films: which candidates, in which order, and what they say, on tables built here."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from sklearn.ensemble import GradientBoostingRegressor, RandomForestRegressor
from sklearn.linear_model import LinearRegression

from boxoffice.data.dollars import to_base_year
from boxoffice.modeling.comps import DESCRIPTION, FACTS, Comps, candidate_table, comps_median, day_numbers
from boxoffice.modeling.model_types import explainer
from boxoffice.params import load_params


def comps_of(contributions: list[list[float]], dates: list[str], log_revenue: list[float] | None = None) -> Comps:
    return Comps(
        facts=[{"id": i} for i in range(len(dates))],
        days=day_numbers(dates),
        contributions=np.array(contributions, dtype=np.float64),
        log_revenue=np.array(log_revenue if log_revenue is not None else [0.0] * len(dates)),
    )


def test_nearest_orders_by_l1_distance_and_breaks_ties_by_row() -> None:
    comps = comps_of([[0, 0], [1, 1], [0.5, -0.5], [2, 0], [-1, 0]], ["2000-01-01"] * 5)
    (found,) = comps.nearest(np.array([[0.0, 0.0]]), 4)
    # distances 0, 2, 1, 2, 1: rows 1 and 3 tie at 2 (row 1 first), rows 2 and 4 at 1
    assert found[:, 0].tolist() == [0, 2, 4, 1]
    assert found[:, 1].tolist() == [0.0, 1.0, 1.0, 2.0]
    (two,) = comps.nearest(np.array([[0.0, 0.0]]), 2)
    assert two[:, 0].tolist() == [0, 2]  # the tie at the cut goes to the earlier row, 2 before 4


def test_only_films_released_strictly_before_count() -> None:
    comps = comps_of([[0.0], [0.1], [0.2], [5.0]], ["2001-05-01", "2010-07-16", "2010-07-15", "1990-01-01"])
    (found,) = comps.nearest(np.array([[0.1]]), 3, before=day_numbers(["2010-07-16"]))
    assert sorted(found[:, 0].astype(int).tolist()) == [0, 2, 3]  # the same-day film is not before it
    (early,) = comps.nearest(np.array([[0.1]]), 3, before=day_numbers(["1995-01-01"]))
    assert early[:, 0].tolist() == [3]  # fewer than asked: only one film is earlier
    (none,) = comps.nearest(np.array([[0.1]]), 3, before=day_numbers(["1980-01-01"]))
    assert none.shape == (0, 2)
    assert comps.answer(none) == []


def test_an_answer_carries_the_facts_and_exp_minus_distance() -> None:
    comps = comps_of([[0.0], [0.7]], ["2000-01-01", "2001-01-01"])
    (found,) = comps.nearest(np.array([[0.0]]), 2)
    assert comps.answer(found) == [{"id": 0, "similarity": 1.0}, {"id": 1, "similarity": round(np.exp(-0.7), 6)}]


def test_comps_median_is_the_median_of_the_nearest_films_revenue() -> None:
    comps = comps_of([[0.0], [1.0], [2.0], [3.0]], ["2000-01-01"] * 4, log_revenue=[10.0, 14.0, 11.0, 30.0])
    median = comps_median(
        comps, np.array([[0.2], [2.9], [0.0]]), 3, before=day_numbers(["2001-01-01"] * 2 + ["1999-01-01"])
    )
    assert median[:2].tolist() == [11.0, 14.0]
    assert np.isnan(median[2])  # no earlier film


@pytest.mark.parametrize(
    "model",
    [
        LinearRegression(),
        GradientBoostingRegressor(n_estimators=15, max_depth=3, random_state=0),
        RandomForestRegressor(n_estimators=8, max_depth=4, random_state=0),
    ],
    ids=["linear", "gradient_boosting", "random_forest"],
)
def test_predictions_of_two_films_differ_by_at_most_their_distance(model) -> None:
    """Prediction = base + sum of contributions, so |f(a) - f(b)| <= L1(contributions): comps predict alike."""
    rng = np.random.default_rng(0)
    X = rng.normal(size=(120, 5))
    y = X[:, 0] * 2 - X[:, 1] + rng.normal(size=120)
    model.fit(X, y)
    explain = explainer(model, 5, X.mean(axis=0))
    contributions = explain.explain(X)[1]
    comps = comps_of(contributions.tolist(), ["2000-01-01"] * 120)
    prediction = model.predict(X)
    for i, found in enumerate(comps.nearest(contributions[:10], 5)):
        index = found[:, 0].astype(int)
        assert index[0] == i and found[0, 1] == 0.0  # a film is its own nearest when it is a candidate
        assert (np.abs(prediction[index] - prediction[i]) <= found[:, 1] + 1e-9).all()


def test_the_candidate_table_has_the_facts_the_description_then_the_models_inputs() -> None:
    params = load_params()
    films = pd.DataFrame(
        {
            "id": [7, 8, 9],
            "title": ["A", "<b>B</b>", "C"],
            "release_date": ["1999-06-01", "", "2012-02-03"],
            "budget": [10e6, 5e6, 40e6],
            "revenue": [30e6, 1e6, 50e6],
            "is_hit": [1, 0, 0],
            **{name: [1.0, 2.0, 3.0] for name in ("log_budget", "runtime", "popularity", "vote_avg")},
            "original_language": ["en", "fr", "en"],
            **{name: ["Drama|Crime", "", "Action"] for name in ("genres", "keywords")},
            **{name: ["Ann Lee|Bo Wu", "", "Cy Dee"] for name in ("directors", "cast", "production_companies")},
        }
    )
    table = candidate_table(films, {**params, "features": {**params["features"], "set": "seed"}}, "main")
    described = [f"film_{name}" for name in DESCRIPTION]
    assert table.columns.tolist() == [*FACTS, *described, "runtime", "popularity", "vote_avg", "log_budget"]
    assert table["film_genres"].tolist() == ["Drama|Crime", "Action"]  # as the data has them, for the reasons
    assert table["film_original_language"].tolist() == ["en", "en"]
    assert table["id"].tolist() == [7, 9]  # the film with no date cannot be placed in time
    factor = to_base_year(np.array([1999, 2012]), params["featurize"]["cpi_base_year"])
    assert table["real_revenue"].tolist() == np.round(np.array([30e6, 50e6]) * factor, 0).tolist()
    assert table["revenue_multiple"].tolist() == [3.0, 1.25]
    assert table["is_hit"].tolist() == [True, False]
