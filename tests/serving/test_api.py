"""The service on the models the stage scripts fitted (tiny project): parity, input rules, failure modes."""

from __future__ import annotations

import asyncio
import dataclasses
import json
import re
import shutil
from pathlib import Path

import httpx
import joblib
import numpy as np
import pandas as pd
import pytest
import yaml
from fastapi.testclient import TestClient

from boxoffice.modeling.distribution import RevenueDistribution, shift_prior
from boxoffice.prediction.batch import request_columns
from boxoffice.prediction.predictor import Predictor
from boxoffice.prediction.schemas import BATCH_EXAMPLES, PRE_RELEASE_EXAMPLE, SINGLE_EXAMPLE, PreReleaseMovie
from boxoffice.serving.api import create_app
from boxoffice.serving.body_limit import film_limits
from boxoffice.serving.settings import ServeSettings

GOOD = {"runtime": 120.0, "popularity": 50.0, "vote_avg": 7.0, "budget": 50_000_000}


@pytest.fixture(scope="module")
def client(project: Path):
    app = create_app(models_dir=project / "models", lock_path=project / "dvc.lock", max_batch=1000)
    with TestClient(app) as test_client:
        yield test_client


def served(project: Path) -> dict:
    return json.loads((project / "models" / "serving.json").read_text())


def test_health_root_and_docs(client: TestClient, project: Path) -> None:
    health = client.get("/health")
    assert health.status_code == 200
    manifest = served(project)
    assert health.json() == {
        "status": "healthy",
        "models": {
            "regressor": manifest["main"]["regressor"]["name"],
            "classifier": "logistic_regression",
            "pre_release_regressor": manifest["pre_release"]["regressor"]["name"],
            "pre_release_classifier": "logistic_regression",
        },
    }
    assert client.get("/").json()["status"] == "ok"
    assert client.get("/docs").status_code == 200
    assert client.get("/redoc").status_code == 200
    schema = client.get("/openapi.json").json()
    assert schema["components"]["schemas"]["Movie"]["examples"] == [SINGLE_EXAMPLE]


def test_predict_returns_the_seed_fields(client: TestClient) -> None:
    body = client.post("/predict", json=GOOD).json()
    assert set(body) == {
        "predicted_revenue",
        "predicted_revenue_millions",
        "revenue_low",
        "revenue_high",
        "interval_coverage",
        "revenue_p10",
        "revenue_p90",
        "is_hit",
        "hit_probability",
        "break_even_probability",
        "budget_millions",
    }
    assert body["revenue_low"] <= body["revenue_p10"] <= body["predicted_revenue"] <= body["revenue_p90"]
    assert body["revenue_p90"] <= body["revenue_high"]
    assert body["interval_coverage"] == 0.8
    assert body["budget_millions"] == 50.0
    assert body["predicted_revenue_millions"] == round(body["predicted_revenue"] / 1e6, 2)
    assert body["is_hit"] == (body["hit_probability"] >= 0.5)


def test_every_test_row_matches_the_pipeline_models(client: TestClient, project: Path) -> None:
    """The API's numbers are the pipeline models' numbers, row by row, on the whole test split."""
    test = pd.read_csv(project / "data" / "features" / "test.csv")
    regressor = joblib.load(project / "models" / served(project)["main"]["regressor"]["file"])
    classifier = joblib.load(project / "models" / "classifiers" / "main.joblib")
    X = test[["runtime", "popularity", "vote_avg", "log_budget"]].to_numpy()
    movies = test[["runtime", "popularity", "vote_avg", "budget"]].to_dict("records")

    batch = client.post("/batch_predict", json=movies).json()["predictions"]
    got = pd.DataFrame(batch)
    # The reference: crepes' own conformal predictive system on the pipeline regressor's predictions.
    distribution = RevenueDistribution.from_json(served(project)["main"]["distribution"])
    system, y_hat = distribution.conformal(), regressor.predict(X)
    bins, budget = distribution.bands(test["budget"]), test["budget"].to_numpy()
    median = system.predict_percentiles(y_hat, bins=bins, lower_percentiles=50)
    hit_line = np.log1p(2 * budget)
    np.testing.assert_allclose(got["predicted_revenue"], np.maximum(np.expm1(median), 0), rtol=1e-12)
    expected_hit = 1 - system.predict_p(y_hat, hit_line, bins=bins, smoothing=False)
    np.testing.assert_allclose(got["hit_probability"], expected_hit, rtol=1e-12)
    assert (got["hit_probability"] != classifier.predict_proba(X)[:, 1]).any()  # the distribution's, by default
    for movie, expected in list(zip(movies, batch, strict=True))[:25]:
        assert client.post("/predict", json=movie).json() == expected


def test_batch_keeps_order(client: TestClient) -> None:
    batch = client.post("/batch_predict", json=BATCH_EXAMPLES).json()["predictions"]
    singles = [client.post("/predict", json=movie).json() for movie in BATCH_EXAMPLES]
    assert batch == singles
    assert [p["budget_millions"] for p in batch] == [5.0, 50.0, 200.0]


@pytest.mark.parametrize(
    ("change", "field", "message"),
    [
        ({"budget": None}, "budget", "Field required"),
        ({"runtime": None}, "runtime", "Field required"),
        ({"budget": "50000000"}, "budget", "valid number"),
        ({"budget": 0}, "budget", "greater than 0"),
        ({"budget": -10}, "budget", "greater than 0"),
        ({"runtime": 0}, "runtime", "greater than 0"),
        ({"runtime": 1001}, "runtime", "less than or equal to 1000"),
        ({"vote_avg": -0.1}, "vote_avg", "greater than or equal to 0"),
        ({"vote_avg": 10.5}, "vote_avg", "less than or equal to 10"),
        ({"popularity": -1}, "popularity", "greater than or equal to 0"),
        ({"studio": "A24"}, "studio", "Extra inputs are not permitted"),
        ({"vote_avg": True}, "vote_avg", "valid number"),
    ],
)
def test_each_input_rule_gives_a_422_naming_the_field(client: TestClient, change, field, message) -> None:
    body = {key: value for key, value in {**GOOD, **change}.items() if value is not None}
    response = client.post("/predict", json=body)
    assert response.status_code == 422
    errors = response.json()["detail"]
    assert any(e["field"] == field and message in e["message"] for e in errors), errors


@pytest.mark.parametrize("literal", [b"NaN", b"Infinity", b"-Infinity"])
def test_non_finite_numbers_are_refused(client: TestClient, literal: bytes) -> None:
    body = b'{"runtime": 100, "popularity": 5, "vote_avg": 6, "budget": ' + literal + b"}"
    response = client.post("/predict", content=body, headers={"Content-Type": "application/json"})
    assert response.status_code == 422
    assert response.json()["detail"] == [
        {"field": "budget", "message": "Input should be a finite number", "type": "finite_number"}
    ]


@pytest.mark.parametrize(
    ("body", "message"),
    [(b'{"runtime": 1', "invalid JSON"), (b"", "Field required"), (b"[1, 2]", "should be an object")],
)
def test_malformed_bodies_get_422_not_500(client: TestClient, body: bytes, message: str) -> None:
    response = client.post("/predict", content=body, headers={"Content-Type": "application/json"})
    assert response.status_code == 422
    assert message in str(response.json())


def test_batch_limits(client: TestClient) -> None:
    empty = client.post("/batch_predict", json=[])
    assert empty.status_code == 422
    assert "at least 1 item" in empty.json()["detail"][0]["message"]
    too_many = client.post("/batch_predict", json=[GOOD] * 1001)
    assert too_many.status_code == 422
    assert "at most 1000 items" in too_many.json()["detail"][0]["message"]
    bad_item = client.post("/batch_predict", json=[GOOD, {**GOOD, "budget": -1}])
    assert bad_item.json()["detail"][0]["field"] == "[1].budget"


def test_model_describes_what_is_served(client: TestClient, project: Path) -> None:
    described = client.get("/model").json()
    info = described["main"]
    regression = json.loads((project / "metrics" / "regression.json").read_text())
    params = yaml.safe_load((project / "params.yaml").read_text())
    name = regression["selected"]
    assert info["regressor"]["name"] == name
    chosen = json.loads((project / "data" / "scores" / "regressors" / "main" / f"{name}.json").read_text())["chosen"]
    assert info["regressor"]["params"] == chosen
    assert set(chosen) == set(params["regressors"][name])
    assert info["regressor"]["validation"] == regression["validation"][name]
    assert info["regressor"]["interval"]["coverage"] == params["evaluate"]["interval_coverage"]
    assert info["classifier"]["C"] in params["classifier"]["C"]
    assert info["features"]["set"] == "seed"
    assert described["pre_release"]["features"]["set"] == "pre_release"
    for variant in described.values():
        assert variant["files"]["regressor"]["matches_dvc_lock"] is True
        assert variant["files"]["classifier"]["matches_dvc_lock"] is True


def test_explanations_sum_to_the_prediction(client: TestClient, project: Path) -> None:
    test = pd.read_csv(project / "data" / "features" / "test.csv")
    distribution = RevenueDistribution.from_json(served(project)["main"]["distribution"])
    for movie in test[["runtime", "popularity", "vote_avg", "budget"]].head(20).to_dict("records"):
        body = client.post("/predict?explain=true", json=movie).json()
        explanation = body["explanation"]
        assert set(explanation["contributions"]) == {"runtime", "popularity", "vote_avg", "log_budget"}
        total = explanation["base_value"] + sum(explanation["contributions"].values())
        assert total == pytest.approx(explanation["log_revenue"], abs=1e-6)
        # The explanation is of the regressor's prediction; the answer is its distribution's median.
        median = distribution.percentile(np.array([explanation["log_revenue"]]), [movie["budget"]], 50)
        assert np.expm1(median[0]) == pytest.approx(body["predicted_revenue"], rel=1e-9)


def test_pre_release_prediction_with_interval_and_explanation(client: TestClient) -> None:
    body = client.post("/predict/pre_release?explain=true", json=PRE_RELEASE_EXAMPLE).json()
    assert body["revenue_low"] < body["predicted_revenue"] < body["revenue_high"]
    assert 0 <= body["hit_probability"] <= 1
    contributions = body["explanation"]["contributions"]
    assert "popularity" not in contributions
    assert {"director_log_revenue", "cast_films", "company_log_revenue", "keyword_sequel", "real_log_budget"} <= set(
        contributions
    )
    total = body["explanation"]["base_value"] + sum(contributions.values())
    assert total == pytest.approx(body["explanation"]["log_revenue"], abs=1e-6)


def pre_release_features(project: Path, movie: dict) -> dict[str, float]:
    """The model input the service builds for one pre-release request."""
    predictor = Predictor.load(project / "models", "pre_release")
    columns = request_columns(PreReleaseMovie, [PreReleaseMovie.model_validate_json(json.dumps(movie))])
    return dict(zip(predictor.features, predictor.matrix(columns)[0].tolist(), strict=True))


def test_pre_release_accepts_unknown_names_as_unseen(client: TestClient, project: Path) -> None:
    unknown = {
        **PRE_RELEASE_EXAMPLE,
        "genres": ["Space Opera Musical"],
        "directors": ["Nobody Ever"],
        "cast": ["A. Newcomer"],
        "production_companies": ["Garage Films"],
    }
    body = client.post("/predict/pre_release?explain=true", json=unknown)
    assert body.status_code == 200
    features = pre_release_features(project, unknown)
    assert features["director_films"] == features["cast_films"] == 0  # never seen: no earlier films
    assert features["genre_action"] == 0 and pre_release_features(project, PRE_RELEASE_EXAMPLE)["genre_action"] == 1
    minimal = {key: PRE_RELEASE_EXAMPLE[key] for key in ("budget", "runtime", "release_date", "original_language")}
    assert client.post("/predict/pre_release", json=minimal).status_code == 200


def test_pre_release_keywords_count_in_any_case(client: TestClient, project: Path) -> None:
    def ask(keywords: list[str]) -> tuple[dict, dict]:
        movie = {**PRE_RELEASE_EXAMPLE, "keywords": keywords}
        answer = client.post("/predict/pre_release?explain=true", json=movie).json()
        return answer, pre_release_features(project, movie)

    (_, plain), (sequel, sequel_features), (shouted, shouted_features) = ask([]), ask(["sequel"]), ask(["SEQUEL"])
    assert plain["keyword_sequel"] == 0 and sequel_features["keyword_sequel"] == 1
    assert shouted_features == sequel_features
    read = [name for name in shouted.pop("names") if name["field"] == "keywords"]
    assert read == [
        {"field": "keywords", "asked": "SEQUEL", "read_as": "sequel", "match": "known_spelling"}
        | {"alternatives": [], "suggestions": []}
    ]
    sequel.pop("names")
    assert shouted == sequel


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"release_date": "2010-13-01"}, "release_date"),
        ({"original_language": "English"}, "original_language"),
        ({"popularity": 10.0}, "popularity"),
        ({"cast": ["A|B"]}, "cast[0]"),
        ({"budget": 0}, "budget"),
    ],
)
def test_pre_release_input_rules(client: TestClient, change: dict, field: str) -> None:
    response = client.post("/predict/pre_release", json={**PRE_RELEASE_EXAMPLE, **change})
    assert response.status_code == 422
    assert field in [error["field"] for error in response.json()["detail"]]


def test_missing_models_give_503_with_instructions(tmp_path: Path) -> None:
    with TestClient(create_app(models_dir=tmp_path / "models", lock_path=tmp_path / "dvc.lock")) as client:
        health = client.get("/health")
        assert health.status_code == 503
        assert "dvc repro" in health.json()["detail"]
        predict = client.post("/predict", json=GOOD)
        assert predict.status_code == 503
        assert "dvc repro" in predict.json()["detail"]
        assert client.get("/").json()["status"] == "models unavailable"


def test_unreadable_model_gives_503(tmp_path: Path, project: Path) -> None:
    models = tmp_path / "models"
    shutil.copytree(project / "models", models)
    (models / served(project)["main"]["regressor"]["file"]).write_bytes(b"not a pickle")
    with TestClient(create_app(models_dir=models)) as client:
        assert client.get("/health").status_code == 503
        assert "dvc pull" in client.post("/predict", json=GOOD).json()["detail"]


def test_a_main_model_needing_more_than_predict_takes_is_reported(tmp_path: Path, project: Path) -> None:
    """With features.set=extended, /predict cannot build the model's input: say so, don't guess."""
    models = tmp_path / "models"
    shutil.copytree(project / "models", models)
    manifest = json.loads((models / "serving.json").read_text())
    manifest["main"]["features"] = {
        "set": "extended",
        "columns": ["runtime", "log_vote_count", "popularity", "log_budget"],
    }
    (models / "serving.json").write_text(json.dumps(manifest))
    with TestClient(create_app(models_dir=models)) as client:
        health = client.get("/health")
        assert health.status_code == 503
        assert "'extended'" in health.json()["detail"]
        assert "features.set=seed" in health.json()["detail"]


@pytest.mark.parametrize(("field", "value"), [("budget", 1.1e10), ("popularity", 2e5), ("budget", 2e307)])
def test_absurd_magnitudes_are_refused_not_crashed(client: TestClient, field: str, value: float) -> None:
    """Found by the fuzz run: 1e307 dollars overflowed a model's output and the JSON encoder."""
    response = client.post("/predict?explain=true", json={**GOOD, field: value})
    assert response.status_code == 422
    assert response.json()["detail"][0]["field"] == field


def test_non_finite_model_output_is_a_422_not_a_500(client: TestClient, monkeypatch) -> None:
    predictors = client.app.state.predictors
    broken = dataclasses.replace(predictors["main"], predict_log_revenue=lambda X: np.full(len(X), np.inf))
    monkeypatch.setitem(predictors, "main", broken)
    response = client.post("/batch_predict", json=[GOOD, GOOD])
    assert response.status_code == 422
    assert response.json()["detail"][0] == {
        "field": "[0]",
        "message": "these inputs are beyond what the model can score",
        "type": "value_error",
    }


def broken_models(tmp_path: Path, project: Path, change) -> Path:
    """A copy of the tiny project's models with ``change(models_dir, manifest)`` applied."""
    models = tmp_path / "models"
    shutil.copytree(project / "models", models)
    manifest = json.loads((models / "serving.json").read_text())
    change(models, manifest)
    (models / "serving.json").write_text(json.dumps(manifest))
    return models


@pytest.mark.parametrize(
    "change",
    [
        lambda models, manifest: manifest.pop("featurize"),  # c0cd294: UnboundLocalError at start-up
        lambda models, manifest: manifest["pre_release"].pop("classifier"),
        lambda models, manifest: manifest["main"]["features"].pop("columns"),
        lambda models, manifest: manifest["main"].pop("feature_means"),
        lambda models, manifest: (models / "track_record.csv").unlink(),
        lambda models, manifest: (models / "classifiers" / "pre_release.joblib").write_bytes(b""),
    ],
    ids=["no-featurize", "no-classifier", "no-columns", "no-means", "no-track-record", "empty-classifier"],
)
def test_any_broken_or_partial_models_dir_gives_503_naming_what_to_run(tmp_path: Path, project: Path, change) -> None:
    with TestClient(create_app(models_dir=broken_models(tmp_path, project, change))) as client:
        health = client.get("/health")
        assert health.status_code == 503
        assert "dvc repro" in health.json()["detail"]
        assert client.post("/predict", json=GOOD).status_code == 503


def test_an_unknown_model_type_is_refused_at_load_time(tmp_path: Path, project: Path) -> None:
    """A regressor the explainer does not know (c0cd294: a TypeError that crashed start-up)."""
    from sklearn.neighbors import KNeighborsRegressor

    def knn(models: Path, manifest: dict) -> None:
        X = np.random.default_rng(0).normal(size=(20, len(manifest["main"]["features"]["columns"])))
        joblib.dump(KNeighborsRegressor(n_neighbors=3).fit(X, X[:, 0]), models / "knn.joblib")
        manifest["main"]["regressor"]["file"] = "knn.joblib"

    with TestClient(create_app(models_dir=broken_models(tmp_path, project, knn))) as client:
        health = client.get("/health")
        assert health.status_code == 503
        assert "unknown model type KNeighborsRegressor" in health.json()["detail"]


def test_health_names_a_calibrated_classifier(tmp_path: Path, project: Path) -> None:
    def calibrate(models: Path, manifest: dict) -> None:
        manifest["main"]["classifier"]["calibration"] = "sigmoid"

    with TestClient(create_app(models_dir=broken_models(tmp_path, project, calibrate))) as client:
        assert client.get("/health").json()["models"]["classifier"] == "logistic_regression+sigmoid"


@pytest.mark.parametrize("date", [1279238400, "2010-07-16T00:00:00", "2010-7-16", "16/07/2010", "2010-02-30"])
def test_release_date_must_be_yyyy_mm_dd(client: TestClient, date: object) -> None:
    response = client.post("/predict/pre_release", json={**PRE_RELEASE_EXAMPLE, "release_date": date})
    assert response.status_code == 422
    assert [error["field"] for error in response.json()["detail"]] == ["release_date"]


def test_compose_mounts_exactly_what_the_service_reads() -> None:
    """models/ (the models), dvc.lock (/model's hash check) and params.yaml (serve.max_batch)."""
    from boxoffice.params import PARAMS_FILE
    from tests.conftest import ROOT

    compose = yaml.safe_load((ROOT / "docker-compose.yml").read_text())
    mounted = {volume.split(":")[0] for volume in compose["services"]["api"]["volumes"]}
    assert mounted == {"./models", "./dvc.lock", f"./{PARAMS_FILE}"}


def test_explain_is_read_as_fastapi_reads_a_bool(client: TestClient) -> None:
    plain = client.post("/predict?explain=no", json=GOOD).json()
    explained = client.post("/predict?explain=1", json=GOOD).json()
    assert "explanation" not in plain and "contributions" in explained["explanation"]
    refused = client.post("/predict?explain=maybe", json=GOOD)
    assert refused.status_code == 422
    assert refused.json()["detail"][0]["field"] == "query.explain"


def test_the_docs_describe_the_bodies_the_endpoints_validate_themselves(client: TestClient) -> None:
    paths = client.get("/openapi.json").json()["paths"]
    rules = ["comps_share_genre", "comps_within_years", "comps_same_budget_band"]
    for path, model, extra in (("/predict", "Movie", []), ("/predict/pre_release", "PreReleaseMovie", rules)):
        body = paths[path]["post"]["requestBody"]["content"]["application/json"]["schema"]
        assert body == {"$ref": f"#/components/schemas/{model}"}
        assert [p["name"] for p in paths[path]["post"]["parameters"]] == ["explain", "comps", "quantiles", *extra]
    batch = paths["/batch_predict"]["post"]["requestBody"]["content"]["application/json"]["schema"]
    assert batch["items"] == {"$ref": "#/components/schemas/Movie"} and batch["maxItems"] == 1000
    assert "$ref" in str(paths["/predict"]["post"]["responses"]["200"])


def test_compose_replicas_mount_the_same_and_the_balancer_reaches_them() -> None:
    from tests.conftest import ROOT

    services = yaml.safe_load((ROOT / "docker-compose.yml").read_text())["services"]
    replicas = [name for name, service in services.items() if "api" in name and service.get("profiles")]
    nginx = (ROOT / "deploy" / "nginx.conf").read_text()
    assert replicas == ["api-1", "api-2", "api-3"]
    for name in replicas:
        assert services[name]["volumes"] == services["api"]["volumes"]
        assert services[name]["image"] == services["api"]["image"]
        assert f"server {name}:8000 " in nginx
    assert "./deploy/nginx.conf:/etc/nginx/conf.d/default.conf:ro" in services["balancer"]["volumes"]


def test_the_balancer_lets_through_every_body_the_service_accepts_and_passes_503s_on() -> None:
    """nginx's body limit is the service's largest, so the service's own 413 (JSON, naming the limit) is the one a
    client meets; a ledger 503 (the shared database away) is not a reason to mark every replica down."""
    from tests.conftest import ROOT

    nginx = (ROOT / "deploy" / "nginx.conf").read_text()
    size = re.search(r"^\s*client_max_body_size (\d+)m;", nginx, re.MULTILINE)
    retried = re.search(r"^\s*proxy_next_upstream ([^;]+);", nginx, re.MULTILINE)
    assert size and retried
    settings = ServeSettings()
    assert int(size.group(1)) * 2**20 == max(film_limits(settings.max_batch, settings.max_scenarios).values())
    assert "http_503" not in retried.group(1).split()


def consistent(answers: list[dict], movies: list[dict], threshold: float = 0.5) -> None:
    """What no answer may say: a hit below the hit line, a hit likelier than breaking even, disordered quantiles."""
    for movie, answer in zip(movies, answers, strict=True):
        hit_line = 2 * movie["budget"]
        assert (answer["hit_probability"] >= 0.5) == (answer["predicted_revenue"] > hit_line), (movie, answer)
        assert answer["is_hit"] == (answer["hit_probability"] >= threshold)
        assert answer["break_even_probability"] >= answer["hit_probability"]
        ordered = [
            answer[k] for k in ("revenue_low", "revenue_p10", "predicted_revenue", "revenue_p90", "revenue_high")
        ]
        assert ordered == sorted(ordered)


def test_no_answer_contradicts_itself_on_the_whole_test_split(client: TestClient, project: Path) -> None:
    test = pd.read_csv(project / "data" / "features" / "test.csv")
    movies = test[["runtime", "popularity", "vote_avg", "budget"]].to_dict("records")
    batch = client.post("/batch_predict", json=movies).json()["predictions"]
    consistent(batch, movies)
    assert {answer["is_hit"] for answer in batch} == {True, False}
    pre_release = [pre_release_request(row) for row in test.to_dict("records")]
    consistent([client.post("/predict/pre_release", json=movie).json() for movie in pre_release], pre_release)


def pre_release_request(row: dict) -> dict:
    """A /predict/pre_release body from a row of the features table ('|'-joined names to lists)."""
    names = ("genres", "production_companies", "directors", "cast", "keywords")
    listed = {name: [n for n in str(row[name]).split("|") if n and row[name] == row[name]] for name in names}
    fields = ("budget", "runtime", "release_date", "original_language")
    return {
        **{name: row[name] for name in fields},
        **listed,
        "cast": listed["cast"][:20],
        "directors": listed["directors"][:10],
    }


def test_the_classifier_can_be_the_hit_source(tmp_path: Path, project: Path) -> None:
    models = tmp_path / "models"
    shutil.copytree(project / "models", models)
    manifest = served(project)
    (models / "serving.json").write_text(json.dumps({**manifest, "hit_source": "classifier"}))
    classifier = joblib.load(project / "models" / "classifiers" / "main.joblib")
    with TestClient(create_app(models_dir=models, lock_path=project / "dvc.lock")) as switched:
        answers = switched.post("/batch_predict", json=BATCH_EXAMPLES).json()["predictions"]
    X = np.array([[m["runtime"], m["popularity"], m["vote_avg"], np.log1p(m["budget"])] for m in BATCH_EXAMPLES])
    np.testing.assert_allclose([a["hit_probability"] for a in answers], classifier.predict_proba(X)[:, 1], rtol=1e-12)
    assert [a["is_hit"] for a in answers] == [
        a["hit_probability"] >= manifest["main"]["classifier"]["threshold"] for a in answers
    ]
    (models / "serving.json").write_text(json.dumps({**manifest, "hit_source": "coin"}))
    with TestClient(create_app(models_dir=models, lock_path=project / "dvc.lock")) as unknown:
        assert unknown.get("/health").status_code == 503


def test_a_population_hit_rate_reweights_the_hit_probability(tmp_path: Path, project: Path, client: TestClient) -> None:
    models = tmp_path / "models"
    shutil.copytree(project / "models", models)
    manifest = served(project)
    learnt = manifest["population"]["learnt_hit_rate"]
    assert manifest["population"]["hit_rate"] is None  # off by default
    population = {**manifest["population"], "hit_rate": 0.37}
    (models / "serving.json").write_text(json.dumps({**manifest, "population": population}))
    with TestClient(create_app(models_dir=models, lock_path=project / "dvc.lock")) as shifted_client:
        shifted = shifted_client.post("/batch_predict", json=BATCH_EXAMPLES).json()["predictions"]
    plain = client.post("/batch_predict", json=BATCH_EXAMPLES).json()["predictions"]
    expected = shift_prior(np.array([a["hit_probability"] for a in plain]), learnt, 0.37)
    np.testing.assert_allclose([a["hit_probability"] for a in shifted], expected, rtol=1e-12)
    assert [a["is_hit"] for a in shifted] == [p >= 0.5 for p in expected]
    assert [a["predicted_revenue"] for a in shifted] == [a["predicted_revenue"] for a in plain]


def test_single_requests_arriving_together_are_scored_together_with_their_own_answers(
    client: TestClient, monkeypatch
) -> None:
    """Concurrent /predict and /predict/pre_release requests: one model call per endpoint, the numbers of a
    request alone, and a film beyond the model refused without taking its neighbours down with it."""
    films = [{**GOOD, "budget": budget} for budget in (1e6, 5e6, 2e7, 8e7, 2e8)]
    pre_films = [{**PRE_RELEASE_EXAMPLE, "budget": budget} for budget in (3e6, 4e7, 1.5e8)]
    alone = [client.post("/predict", json=film).json() for film in films]
    pre_alone = [client.post("/predict/pre_release", json=film).json() for film in pre_films]

    predictors = client.app.state.predictors
    main, column = predictors["main"], predictors["main"].features.index("log_budget")
    calls: list[int] = []

    def counted(X: np.ndarray) -> np.ndarray:  # the served regressor; no answer for a budget over $100M
        calls.append(len(X))
        return np.where(X[:, column] > np.log1p(1e8), np.inf, main.predict_log_revenue(X))

    monkeypatch.setitem(predictors, "main", dataclasses.replace(main, predict_log_revenue=counted))

    async def together() -> list[httpx.Response]:
        transport = httpx.ASGITransport(app=client.app)
        async with httpx.AsyncClient(transport=transport, base_url="http://test") as concurrent:
            return await asyncio.gather(
                *(concurrent.post("/predict", json=film) for film in films),
                *(concurrent.post("/predict/pre_release", json=film) for film in pre_films),
            )

    responses = asyncio.run(together())
    assert calls == [len(films)]  # one call for the five /predict films
    assert [r.status_code for r in responses[: len(films)]] == [200, 200, 200, 200, 422]
    assert [r.json() for r in responses[:4]] == alone[:4]
    assert responses[4].json()["detail"][0] == {
        "field": "body",
        "message": "these inputs are beyond what the model can score",
        "type": "value_error",
    }
    assert [r.json() for r in responses[len(films) :]] == pre_alone


def test_explanations_requested_together_are_each_films_own(client: TestClient) -> None:
    films = [{**GOOD, "budget": budget, "runtime": runtime} for budget, runtime in ((2e6, 90.0), (6e7, 150.0))]
    pre_films = [{**PRE_RELEASE_EXAMPLE, "budget": budget} for budget in (3e6, 1.5e8)]
    paths = ["/predict?explain=true"] * len(films) + ["/predict/pre_release?explain=true"] * len(pre_films)
    bodies = films + pre_films
    alone = [client.post(path, json=body).json() for path, body in zip(paths, bodies, strict=True)]

    async def together() -> list[httpx.Response]:
        transport = httpx.ASGITransport(app=client.app)
        async with httpx.AsyncClient(transport=transport, base_url="http://test") as concurrent:
            return await asyncio.gather(*(concurrent.post(p, json=b) for p, b in zip(paths, bodies, strict=True)))

    answers = [response.json() for response in asyncio.run(together())]
    assert answers == alone
    assert all(answer["explanation"]["contributions"] for answer in answers)


@pytest.mark.parametrize(
    ("change", "field", "words"),
    [
        ({"directors": ["   "]}, "directors[0]", "something other than spaces"),
        ({"cast": ["Ellen Page", ""]}, "cast[1]", "at least 1 character"),
        ({"production_companies": ["Warner|Legendary"]}, "production_companies[0]", "no '|'"),
        ({"original_language": "English"}, "original_language", "two-letter ISO 639-1 code"),
    ],
)
def test_a_blank_or_joined_name_is_a_422_in_words_never_a_name_dropped(
    client: TestClient, change: dict, field: str, words: str
) -> None:
    """A blank name would be read as no name at all, silently; the 422 says why in words, not as a regex."""
    response = client.post("/predict/pre_release", json={**PRE_RELEASE_EXAMPLE, **change})
    assert response.status_code == 422
    [error] = response.json()["detail"]
    assert error["field"] == field and words in error["message"], error
