"""Comps, scenarios and the pre-release batch on the models the stage scripts fitted (tiny project)."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from fastapi.testclient import TestClient

from boxoffice.io import read_csv
from boxoffice.prediction.batch import request_columns
from boxoffice.prediction.predictor import Predictor
from boxoffice.prediction.schemas import PRE_RELEASE_EXAMPLE, PreReleaseMovie
from boxoffice.serving.api import create_app
from boxoffice.serving.page import FILES

GOOD = {"runtime": 120.0, "popularity": 50.0, "vote_avg": 7.0, "budget": 50_000_000}


@pytest.fixture(scope="module")
def client(project: Path):
    with TestClient(create_app(models_dir=project / "models", lock_path=project / "dvc.lock")) as test_client:
        yield test_client


def films_of(project: Path, split: str) -> pd.DataFrame:
    return read_csv(project / "data" / "features" / f"{split}.csv")


def pre_release_bodies(films: pd.DataFrame) -> list[dict]:
    """Each film as a /predict/pre_release body, from its own facts."""
    names = ("genres", "production_companies", "directors", "cast", "keywords")
    return [
        {
            "budget": float(film.budget),
            "runtime": float(film.runtime),
            "release_date": film.release_date,
            "original_language": film.original_language,
            **{name: [part for part in getattr(film, name).split("|") if part] for name in names},
        }
        for film in films.itertuples()
    ]


def assert_test_films_comps_are_earlier_films_and_never_themselves(project: Path) -> None:
    """Every test-split film, asked as a pre-release film and as a released one, with 20 comps each."""
    predictors = Predictor.load_all(project / "models")
    test = films_of(project, "test")
    movies = [PreReleaseMovie.model_validate(body) for body in pre_release_bodies(test)]
    answers = predictors["pre_release"].predict(request_columns(PreReleaseMovie, movies), comps=20)
    for film, comps in zip(test.itertuples(), answers["comps"], strict=True):
        assert 0 < len(comps) <= 20
        assert all(comp["release_date"] < film.release_date for comp in comps)
        assert film.id not in {comp["id"] for comp in comps}
        assert [comp["similarity"] for comp in comps] == sorted((comp["similarity"] for comp in comps), reverse=True)
    columns = {name: test[name].to_numpy(dtype=np.float64) for name in ("runtime", "popularity", "vote_avg", "budget")}
    train_ids = set(films_of(project, "train")["id"])
    for film, comps in zip(test.itertuples(), predictors["main"].predict(columns, comps=20)["comps"], strict=True):
        assert len(comps) == 20 and {comp["id"] for comp in comps} <= train_ids and film.id not in train_ids


def test_every_test_films_comps_are_earlier_films_and_never_itself(project: Path) -> None:
    assert_test_films_comps_are_earlier_films_and_never_themselves(project)


def test_comps_are_added_only_when_asked_and_carry_the_tables_facts(client: TestClient, project: Path) -> None:
    plain = client.post("/predict/pre_release", json=PRE_RELEASE_EXAMPLE).json()
    asked = client.post("/predict/pre_release?comps=8", json=PRE_RELEASE_EXAMPLE).json()
    assert "comps" not in plain and {k: v for k, v in asked.items() if k != "comps"} == plain
    assert len(asked["comps"]) == 8
    table = read_csv(project / "models" / "comps" / "pre_release.csv").set_index("id")
    for comp in asked["comps"]:
        row = table.loc[comp["id"]]
        assert comp["title"] == row["title"] and comp["release_date"] == row["release_date"] < "2010-07-16"
        assert comp["revenue"] == row["revenue"] and comp["real_revenue"] == row["real_revenue"]
        assert comp["revenue_multiple"] == row["revenue_multiple"] and comp["is_hit"] == bool(row["is_hit"])
    assert client.post("/predict?comps=3", json=GOOD).json()["comps"][0]["id"] in set(films_of(project, "train")["id"])
    for bad in ("21", "-1", "two"):
        refused = client.post(f"/predict/pre_release?comps={bad}", json=PRE_RELEASE_EXAMPLE)
        assert refused.status_code == 422 and refused.json()["detail"][0]["field"] == "query.comps"


def test_quantiles_are_the_distributions_levels_and_hold_the_answers_own(client: TestClient) -> None:
    answer = client.post("/predict/pre_release?quantiles=true", json=PRE_RELEASE_EXAMPLE).json()
    levels = {q["probability"]: q["revenue"] for q in answer["quantiles"]}
    assert list(levels) == [q / 100 for q in range(5, 100, 5)]
    assert levels[0.5] == answer["predicted_revenue"]
    assert levels[0.1] == answer["revenue_p10"] and levels[0.9] == answer["revenue_p90"]
    assert list(levels.values()) == sorted(levels.values())


def test_the_unchanged_scenario_is_the_single_answer_exactly(client: TestClient) -> None:
    single = client.post("/predict/pre_release", json=PRE_RELEASE_EXAMPLE).json()
    months = [{"release_date": f"2010-{m:02d}-16"} for m in range(1, 13)]
    answer = client.post(
        "/predict/pre_release/scenarios", json={"film": PRE_RELEASE_EXAMPLE, "scenarios": [{}, *months]}
    )
    assert answer.status_code == 200
    scenarios = answer.json()["scenarios"]
    assert len(scenarios) == 13 and scenarios[0] == single
    assert scenarios[7] == single  # July 16th is the film's own date
    for changes, got in zip(months, scenarios[1:], strict=True):  # each equals its own single request
        assert got == client.post("/predict/pre_release", json={**PRE_RELEASE_EXAMPLE, **changes}).json()


def test_scenarios_replace_any_field_and_are_validated_as_a_body(client: TestClient) -> None:
    changes = [{"budget": 60_000_000}, {"directors": ["Ridley Scott"]}, {"genres": [], "runtime": 95}]
    got = client.post("/predict/pre_release/scenarios", json={"film": PRE_RELEASE_EXAMPLE, "scenarios": changes})
    for change, answer in zip(changes, got.json()["scenarios"], strict=True):
        assert answer == client.post("/predict/pre_release", json={**PRE_RELEASE_EXAMPLE, **change}).json()
    bad = [{}, {"budget": -1}, {"name": "x"}, {"release_date": "16/07/2010"}, {"budget": None}]
    refused = client.post("/predict/pre_release/scenarios", json={"film": PRE_RELEASE_EXAMPLE, "scenarios": bad})
    assert refused.status_code == 422
    assert [error["field"] for error in refused.json()["detail"]] == [
        "scenarios[1].budget",
        "scenarios[2].name",
        "scenarios[3].release_date",
        "scenarios[4].budget",
    ]
    film = client.post(
        "/predict/pre_release/scenarios", json={"film": {**PRE_RELEASE_EXAMPLE, "budget": 0}, "scenarios": [{}]}
    )
    assert film.json()["detail"][0]["field"] == "film.budget"
    none = client.post("/predict/pre_release/scenarios", json={"film": PRE_RELEASE_EXAMPLE, "scenarios": []})
    assert none.status_code == 422 and none.json()["detail"][0]["field"] == "scenarios"


def test_one_scenario_more_than_the_limit_is_refused_by_name(project: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("BOXOFFICE_MAX_SCENARIOS", "5")
    with TestClient(create_app(models_dir=project / "models")) as client:
        body = {"film": PRE_RELEASE_EXAMPLE, "scenarios": [{}] * 5}
        assert client.post("/predict/pre_release/scenarios", json=body).status_code == 200
        refused = client.post("/predict/pre_release/scenarios", json={**body, "scenarios": [{}] * 6})
        assert refused.status_code == 422
        assert refused.json()["detail"] == [
            {
                "field": "scenarios",
                "message": "at most 5 scenarios in one request (serve.max_scenarios), not 6",
                "type": "too_long",
            }
        ]
        schema = client.get("/openapi.json").json()["components"]["schemas"]["ScenarioRequest"]
        assert schema["properties"]["scenarios"]["maxItems"] == 5


def test_the_default_limit_is_params_yamls(client: TestClient) -> None:
    from boxoffice.params import load_params

    limit = load_params("serve")["max_scenarios"]
    body = {"film": PRE_RELEASE_EXAMPLE, "scenarios": [{}] * (limit + 1)}
    assert client.post("/predict/pre_release/scenarios", json=body).json()["detail"][0]["type"] == "too_long"


def test_the_pre_release_batch_answers_as_the_single_endpoint(client: TestClient, project: Path) -> None:
    bodies = pre_release_bodies(films_of(project, "test").head(12))
    batch = client.post("/batch_predict/pre_release", json=bodies)
    assert batch.status_code == 200
    assert batch.json()["predictions"] == [client.post("/predict/pre_release", json=body).json() for body in bodies]
    refused = client.post("/batch_predict/pre_release", json=[bodies[0], {**bodies[1], "budget": "a lot"}])
    assert refused.status_code == 422 and refused.json()["detail"][0]["field"] == "[1].budget"


def test_the_page_and_its_files_are_served_with_a_strict_policy(client: TestClient) -> None:
    page = client.get("/forecast")
    assert page.status_code == 200 and page.headers["content-type"].startswith("text/html")
    policy = page.headers["content-security-policy"]
    assert "default-src 'none'" in policy and "script-src 'self'" in policy and "unsafe-inline" not in policy
    assert page.headers["x-content-type-options"] == "nosniff"
    for name, kind in FILES.items():
        served = client.get("/forecast" if name == "forecast.html" else f"/forecast/{name}")
        assert served.status_code == 200 and served.headers["content-type"] == kind
    assert client.get("/forecast/params.yaml").status_code == 404
    html = page.text
    assert "<script>" not in html and "style=" not in html and "javascript:" not in html
    assert client.get("/").json()["name"] == "boxoffice"  # the seed's GET / stays JSON


def test_the_context_offers_the_names_the_models_know(client: TestClient, project: Path) -> None:
    context = client.get("/forecast/context").json()
    history = read_csv(project / "models" / "track_record.csv")
    for role, field in (("director", "directors"), ("cast", "cast"), ("company", "production_companies")):
        assert sorted(context["names"][field]) == sorted(set(history.loc[history["role"] == role, "name"]))
    manifest = json.loads((project / "models" / "serving.json").read_text())
    assert context["forward"] == manifest["forward"] and context["population"] == manifest["population"]
    assert context["example"] == PRE_RELEASE_EXAMPLE
