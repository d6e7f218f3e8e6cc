"""The real pipeline on the real TMDB data, in a temporary copy of the project."""

from __future__ import annotations

import difflib
import json
import math
import os
import sys
from pathlib import Path

import pytest
import yaml

from boxoffice.evaluation.headline import HEADLINE
from boxoffice.features.sets import expand_set
from boxoffice.io import read_csv
from boxoffice.modeling.selection import SAME_SIZE
from boxoffice.params import load_params
from harness.ahead import Outcome
from harness.workspace import ROOT
from tests.conftest import read_metrics, run

pytestmark = pytest.mark.pipeline

# The seed's published validation table (RMSE, R2, MAE).
SEED_VALIDATION = {
    "linear_regression": (1.3267, 0.6199, 0.9125),
    "random_forest": (1.2949, 0.6379, 0.8572),
    "gradient_boosting": (1.2302, 0.6732, 0.8282),
    "xgboost": (1.2637, 0.6552, 0.8519),
}


@pytest.mark.parametrize("model", SEED_VALIDATION)
def test_validation_metrics_reproduce_the_seed(pipeline: Path, model: str) -> None:
    scores = read_metrics(pipeline, "regression")["validation"][model]
    rmse, r2, mae = SEED_VALIDATION[model]
    assert scores["rmse"] == pytest.approx(rmse, abs=0.005)
    assert scores["r2"] == pytest.approx(r2, abs=0.005)
    assert scores["mae"] == pytest.approx(mae, abs=0.005)


def test_the_served_regressors_follow_the_selection_rule(pipeline: Path) -> None:
    """Each variant serves by the one-standard-error rule on train's repeated CV, and the manifest names that one.

    The rule is recomputed here from the CV figures, not read back from the code that applies it.
    """
    regression = read_metrics(pipeline, "regression")
    manifest = json.loads((pipeline / "models" / "serving.json").read_text())
    config = load_params(path=pipeline / "params.yaml")
    assert config["regressors"]["selection"] == "one_se"
    n_scores = config["evaluate"]["cv_folds"] * config["evaluate"]["cv_repeats"]
    for report, variant in ((regression, "main"), (regression["pre_release"], "pre_release")):
        rmse = {name: scores["rmse"] for name, scores in report["cv_train"].items()}
        best = min(rmse, key=lambda name: rmse[name]["mean"])
        limit = rmse[best]["mean"] + rmse[best]["std"] / math.sqrt(n_scores)
        close = {name for name in rmse if rmse[name]["mean"] <= limit}
        selection, size = report["selection"], report["selection"]["bytes"]
        assert selection["lowest_rmse"] == best and set(selection["within_one_se"]) == close
        assert set(size) == set(rmse) and all(size[name] > 0 for name in size)
        smallest = min(size[name] for name in close)
        equally_small = {name for name in close if size[name] <= SAME_SIZE * smallest}
        assert report["selected"] == min(equally_small, key=lambda name: rmse[name]["mean"])
        assert manifest[variant]["regressor"]["name"] == report["selected"]


def test_no_answer_contradicts_itself_on_the_real_test_split(pipeline: Path) -> None:
    """Both endpoints, every real test film, the real models: hit calls agree with the predicted revenue."""
    from fastapi.testclient import TestClient

    from boxoffice.serving.api import create_app
    from tests.serving.test_api import consistent, pre_release_request

    test = read_csv(pipeline / "data" / "features" / "test.csv")
    movies = test[["runtime", "popularity", "vote_avg", "budget"]].to_dict("records")
    pre_release = [pre_release_request(row) for row in test.to_dict("records")]
    with TestClient(create_app(models_dir=pipeline / "models", lock_path=pipeline / "dvc.lock")) as client:
        consistent(client.post("/batch_predict", json=movies).json()["predictions"], movies)
        answers = [client.post("/predict/pre_release", json=movie) for movie in pre_release]
    assert [answer.status_code for answer in answers] == [200] * len(pre_release)
    consistent([answer.json() for answer in answers], pre_release)


def test_the_what_if_curves_of_validation_films_do_not_jump(pipeline: Path) -> None:
    """The page's budget curve of a sample of validation films through the service, on the real models: no
    two neighbouring points' medians BOUND apart (unsmoothed, some of these films stepped past it). The
    evaluate stage's figures hold both curves of every such film to it, month by month at a fixed date's
    track record; through the service a month also moves the date, and with it the track record's
    running averages for unknown people, whose tree splits the month smoothing does not reach."""
    from fastapi.testclient import TestClient

    from boxoffice.serving.api import create_app
    from tests.whatif_curves import BOUND, largest_steps, validation_films

    with TestClient(create_app(models_dir=pipeline / "models", lock_path=pipeline / "dvc.lock")) as client:
        worst = max(largest_steps(client, film)["budget"] for film in validation_films(pipeline))
    assert worst < BOUND
    whatif = read_metrics(pipeline, "whatif")
    assert whatif["films"] > 100
    assert whatif["budget"]["median_ratio"]["max"] < BOUND and whatif["month"]["median_ratio"]["max"] < 3.0


def test_comps_of_every_real_test_film_are_earlier_films_and_never_itself(pipeline: Path) -> None:
    from tests.serving.test_whatif_and_comps import assert_test_films_comps_are_earlier_films_and_never_themselves

    assert_test_films_comps_are_earlier_films_and_never_themselves(pipeline)


def test_prepare_counts_add_up(pipeline: Path) -> None:
    report = read_metrics(pipeline, "prepare")
    assert report["rows_in"] == 4803
    assert report["rows_in"] - sum(report["dropped"].values()) == report["rows_out"] == 3228
    assert report["dropped"]["missing_genres"] == 28


def test_honest_evaluation_is_reported(pipeline: Path) -> None:
    """Repeated K-fold CV for every model, the interval's test coverage, Brier scores, feature sets."""
    regression = read_metrics(pipeline, "regression")
    trained = load_params("regressors", pipeline / "params.yaml")["models"]
    for report in (regression, regression["pre_release"]):
        assert set(report["cv_train"]) == set(trained)
        for scores in report["cv_train"].values():
            assert set(scores) == {"rmse", "r2", "mae"}
            assert scores["r2"]["std"] > 0
        interval = report["interval"]
        assert abs(interval["test_coverage"] - interval["coverage"]) < 0.06
    classifier = read_metrics(pipeline, "classifier")
    assert set(classifier["repeated_cv"]) == {"auc", "f1", "brier"}
    assert 0 < classifier["test"]["brier"] < 0.25
    assert "uncalibrated" in classifier["brier_cv"]
    assert {"precision", "recall", "f1"} <= set(classifier["test"])  # at classifier.threshold
    reliability = (pipeline / "plots" / "evaluate" / "calibration.csv").read_text().splitlines()
    assert reliability[0] == "predicted,observed"
    assert len(reliability) == 11  # ten bins of predicted probability
    feature_sets = read_metrics(pipeline, "feature_sets")
    params = load_params(path=pipeline / "params.yaml")
    assert set(feature_sets) == set(params["features"]["sets"])
    for name, scores in feature_sets.items():
        assert scores["n_features"] == len(expand_set(params, name))
        assert scores["r2"]["std"] > 0
        assert scores["auc"]["std"] > 0


def test_classifier_metrics_are_complete(pipeline: Path) -> None:
    report = read_metrics(pipeline, "classifier")
    assert set(report["test"]) >= {"auc", "pr_auc", "precision", "recall", "f1", "accuracy"}
    assert len(report["cv"]) == len(load_params("classifier", pipeline / "params.yaml")["C"])
    best = max(report["cv"].values(), key=lambda s: s["mean_auc"])
    assert report["cv"][f"{report['best_C']:g}"] == best


def test_second_repro_runs_nothing(pipeline: Path) -> None:
    out = run(["dvc", "repro"], pipeline).stdout
    assert "Running stage" not in out
    assert "up to date" in run(["dvc", "status"], pipeline).stdout


def test_two_runs_are_byte_identical_with_and_without_avx512(pipeline: Path) -> None:
    """Two runs give the same dvc.lock (every output's hash: features, models, metrics, plots) and metrics.

    The cold run (the ``pipeline`` fixture) runs without numpy's AVX-512 kernels where this
    CPU has them: at c0cd294 that alone changed the features' bytes, and so every hash and
    metric after them. The other run is the one this checkout's dvc.lock records, when the
    cold run reproduces it entry for entry: the same code, params, data and outputs, made by
    whoever committed it with their CPU's kernels. Otherwise (code or params changed since
    that run, or a CPU whose math kernels give other last bits) a forced re-run here, with
    every kernel on, is the other run: the check always compares two real runs, and runs a
    second one itself only when the recorded one is not comparable.
    """

    def snapshot() -> dict[str, str]:
        files = [pipeline / "dvc.lock", *sorted((pipeline / "metrics").rglob("*.json"))]
        files += sorted((pipeline / "plots").rglob("*.csv"))
        return {str(path.relative_to(pipeline)): path.read_text() for path in files}

    before = snapshot()
    # .ci/run names a copy of the committed lock: its own repro may rewrite the checkout's meanwhile.
    lock = Path(os.environ.get("BOXOFFICE_RECORDED_LOCK") or ROOT / "dvc.lock")
    recorded = yaml.safe_load(lock.read_text()) if lock.is_file() else None
    cold = yaml.safe_load(before["dvc.lock"])
    if current_entries(recorded, cold) == cold:
        return  # the recorded run and the cold run agree on every output's hash, metrics and plots included
    assert "Running stage 'evaluate'" in run(["dvc", "repro", "--force"], pipeline).stdout
    after = snapshot()
    differ = sorted(name for name in before if before[name] != after.get(name))
    lock_diff = "".join(
        difflib.unified_diff(before["dvc.lock"].splitlines(True), after["dvc.lock"].splitlines(True), n=1)
    )
    assert (differ, set(after) - set(before)) == ([], set()), lock_diff[:4000]


def current_entries(recorded: dict | None, cold: dict) -> dict | None:
    """The recorded lock without the entries of stages that dvc.yaml no longer declares (stage order aside).

    DVC never removes a stage's entry from dvc.lock when the stage leaves dvc.yaml, and a
    cold run writes none: such leftovers describe no output of the pipeline, and counting
    them would force the second full run every time.
    """
    if not recorded:
        return recorded
    stages = {name: entry for name, entry in recorded.get("stages", {}).items() if name in cold.get("stages", {})}
    return {**recorded, "stages": stages}


def ran_stages(out: str) -> list[str]:
    return [line.split("'")[1] for line in out.splitlines() if line.startswith("Running stage")]


CHEAP_NON_SERVING = "+regressors.linear_regression.fit_intercept=true"


def cheap_non_serving_twice(project: Path) -> tuple[str, str]:
    """``dvc exp run`` of CHEAP_NON_SERVING, then the same again from the restored baseline: both outputs."""
    first = run(["dvc", "exp", "run", "-S", CHEAP_NON_SERVING], project).stdout
    run(["git", "checkout", "HEAD", "--", "."], project)
    run(["dvc", "checkout", "--force"], project)
    return first, run(["dvc", "exp", "run", "-S", CHEAP_NON_SERVING], project).stdout


@pytest.mark.ahead(experiment=cheap_non_serving_twice)
def test_a_model_that_does_not_serve_reruns_only_its_stages_and_the_light_ones(ahead: Outcome) -> None:
    """A parameter of a model that does not serve re-runs its stage, select and evaluate; nothing else.

    The served stages depend on the select stage's pin of the served model, which a model
    that does not serve leaves as it was. The same parameters again, from the baseline,
    recompute nothing but evaluate: DVC's run-cache restores the other stages' outputs.
    The linear regression with its default intercept set explicitly is that model here (`+`
    adds the key): the same model, so it serves neither variant, and its stage is the
    quickest (bench/pipeline.py times the README's random-forest experiment).
    """
    first_output, again = ahead.value
    first = ran_stages(first_output)
    assert first[:4] == [
        "train-regressors@linear_regression-main",
        "train-regressors@linear_regression-pre_release",
        "train-forward@linear_regression",
        "select",
    ]
    assert first[4:] in (["evaluate"], ["evaluate", "report"])  # report: when evaluate's figures moved
    restored = [line.split("'")[1] for line in again.splitlines() if "is cached - skipping run" in line]
    assert restored == first[:4]  # every stage whose outputs are all in DVC's cache
    assert ran_stages(again) == first[4:]  # their reports are git's (cache: false): seconds


def new_hit_multiple(project: Path) -> str:
    return run(["dvc", "exp", "run", "-S", "featurize.hit_multiple=3"], project).stdout


@pytest.mark.ahead(experiment=new_hit_multiple)
def test_a_new_hit_multiple_reruns_no_regressor(ahead: Outcome) -> None:
    """The hit label is made where it is used: the regressors, their selection and featurize stay as they were."""
    assert ran_stages(ahead.value) == ["cv-classifier", "served@main", "served@pre_release", "evaluate", "report"]


PRE_RELEASE_ONLY = "+regressors.pre_release.linear_regression.fit_intercept=true"


def one_variants_params(project: Path) -> str:
    return run(["dvc", "exp", "run", "-S", PRE_RELEASE_ONLY], project).stdout


@pytest.mark.ahead(experiment=one_variants_params)
def test_one_variants_params_rerun_that_variants_regressor_stages_only(ahead: Outcome) -> None:
    """An override under regressors.pre_release re-runs the pre-release and forward stages of that type, not main's."""
    assert [name for name in ran_stages(ahead.value) if name.startswith("train-")] == [
        "train-regressors@linear_regression-pre_release",
        "train-forward@linear_regression",
    ]


def one_tree_gradient_boosting(project: Path) -> str:
    """The experiment of the last tests of this module: gradient boosting with a single tree, named gb1."""
    return run(["dvc", "exp", "run", "-n", "gb1", "-S", "regressors.gradient_boosting.n_estimators=1"], project).stdout


@pytest.mark.ahead(experiment=one_tree_gradient_boosting)
def test_experiment_reruns_only_the_changed_regressor(ahead: Outcome) -> None:
    """Gradient boosting serves: one tree re-runs its stage, select, the served stages (the pin moved), evaluate."""
    assert ran_stages(ahead.value) == [
        "train-regressors@gradient_boosting-main",
        "train-regressors@gradient_boosting-pre_release",
        "train-forward@gradient_boosting",
        "select",
        "served@main",
        "served@pre_release",
        "evaluate",
        "report",
    ]

    show = json.loads(run(["dvc", "exp", "show", "--json"], ahead.project).stdout)
    assert "gb1" in json.dumps(show)
    diff = json.loads(run(["dvc", "metrics", "diff", "HEAD", "gb1", "--json"], ahead.project).stdout)
    assert list(diff) == ["metrics/headline.json"]  # the detailed reports are not DVC metrics
    changed = diff["metrics/headline.json"]
    # Gradient boosting is served by at least one variant (pre-release, at this commit); with one tree
    # it loses that place or its figures fall, so that variant's headline regression figure moves.
    assert {"r2_cv", "pre_r2"} & set(changed)
    assert "auc_cv" not in changed  # the classifier did not; unchanged values are not listed


@pytest.mark.ahead(experiment=one_tree_gradient_boosting)
def test_gate_rejects_an_absurd_model_and_names_the_metric(ahead: Outcome) -> None:
    """A gradient boosting model with one tree must not get past CI."""
    gate = run([sys.executable, "-m", "boxoffice.checks.gate", "--baseline", "HEAD"], ahead.project, check=False)
    assert gate.returncode == 1
    assert "FAIL  regression.validation.gradient_boosting.r2" in gate.stdout


def test_dvc_metrics_show_and_diff_fit_a_terminal(pipeline: Path) -> None:
    """`dvc metrics diff` (a row per metric) fits 120 columns; `dvc metrics show` (one row, a column per
    metric) also names both served models, so it is allowed 160, never truncated. `make exp-show` is the
    narrow view."""
    for command, width in ((["dvc", "metrics", "show"], 160), (["dvc", "metrics", "diff", "HEAD", "--all"], 120)):
        out = run(command, pipeline, env={"COLUMNS": str(width)}).stdout
        assert max(len(line) for line in out.splitlines()) <= width, out
        assert "…" not in out
    shown = run(["dvc", "metrics", "show", "--json"], pipeline).stdout
    assert set(json.loads(shown)[""]["data"]["metrics/headline.json"]["data"]) == set(HEADLINE)
