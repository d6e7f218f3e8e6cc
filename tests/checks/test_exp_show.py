"""The experiments table, from a `dvc exp show --json` answer built here."""

from __future__ import annotations

from pathlib import Path

from boxoffice.checks.exp_show import SOURCES, best_first, redefining_params, rows_of, table
from boxoffice.checks.metric_files import flatten, load_current
from boxoffice.evaluation.headline import HEADLINE, MODEL_COLUMNS

ROOT = Path(__file__).resolve().parents[2]


def state(rev: str, name: str | None, params: dict, metrics: dict | None) -> dict:
    data = {"params": {"params.yaml": {"data": params}}}
    if metrics is not None:
        data["metrics"] = {"metrics/headline.json": {"data": metrics}}
    return {"rev": rev, "name": name, "data": data, "error": None, "experiments": None}


BASE_PARAMS = {"regressors": {"gradient_boosting": {"n_estimators": 100}, "pre_release": {"gradient_boosting": {}}}}
BASE = {"model": "gradient_boosting", "r2_cv": 0.55, "pre_model": "gradient_boosting", "pre_r2": 0.506}


def experiment(name: str, params: dict, metrics: dict | None, executor_state: str = "success") -> dict:
    return {"revs": [state(name * 4, name, params, metrics)], "executor": {"state": executor_state}, "name": name}


def shown() -> list[dict]:
    more_trees = {"regressors": {"gradient_boosting": {"n_estimators": 200}, "pre_release": {"gradient_boosting": {}}}}
    pre_only = {
        "regressors": {
            "gradient_boosting": {"n_estimators": 100},
            "pre_release": {"gradient_boosting": {"n_estimators": 50}},
        }
    }
    baseline = state("abcdef123", "main", BASE_PARAMS, BASE)
    baseline["experiments"] = [
        experiment(
            "more-trees",
            more_trees,
            {**BASE, "model": "random_forest", "r2_cv": 0.557, "pre_model": "linear_regression", "pre_r2": 0.47},
        ),
        experiment("pre-only", pre_only, {**BASE, "pre_r2": 0.51}),
        experiment("waiting", BASE_PARAMS, None, "queued"),
    ]
    return [state("workspace", None, BASE_PARAMS, BASE), baseline]


def test_rows_best_first_with_switches_and_changed_params() -> None:
    baseline, experiments = rows_of(shown())
    lines = table(baseline, best_first(experiments, "r2_cv"), ["model", "r2_cv", "pre_model", "pre_r2"], 120)
    assert lines[0].split() == ["Experiment", "model", "r2_cv", "pre_model", "pre_r2", "changed", "params"]
    assert lines[1].split() == ["main", "(baseline)", "gb", "0.5500", "gb", "0.5060"]
    # r2_cv rose, but both variants switched away from the tuned model: the marks say so
    assert lines[2].split() == [
        "more-trees",
        "gb→rf",
        "0.5570",
        "gb→lr",
        "0.4700",
        "regressors.gradient_boosting.n_estimators=200",
    ]
    assert lines[3].split() == [
        "pre-only",
        "gb",
        "0.5500",
        "gb",
        "0.5100",
        "regressors.pre_release.gradient_boosting.n_estimators=50",
    ]
    assert lines[4].split() == ["waiting", "queued"]


def test_lower_is_better_sorts_ascending_and_rows_without_the_metric_go_last() -> None:
    _, experiments = rows_of(shown())
    for row, value in zip(experiments[:2], (1.30, 1.20), strict=True):
        row.metrics["rmse_val"] = value
    assert [row.name for row in best_first(experiments, "rmse_val")] == ["pre-only", "more-trees", "waiting"]
    assert [row.name for row in best_first(experiments, "pre_r2")] == ["pre-only", "more-trees", "waiting"]


def test_changed_params_wrap_under_their_column_within_the_width() -> None:
    baseline, experiments = rows_of(shown())
    many = {f"featurize.key_{i}": i for i in range(6)}
    experiments[0].params.update(many)
    lines = table(baseline, experiments[:1], ["model", "r2_cv"], 80)
    assert max(len(line) for line in lines) <= 80
    start = lines[0].index("changed params")
    continuation = lines[3:]  # the experiment's line is lines[2]
    assert continuation and all(line[:start].strip() == "" for line in continuation)
    assert sum(line.count("featurize.key_") for line in lines) == len(many)


def test_an_experiment_that_redefines_the_hit_label_marks_its_hit_figures_only() -> None:
    """featurize.hit_multiple=3 changes what a hit is: its AUC is another label's, not a gain or a loss."""
    base_params = {**BASE_PARAMS, "featurize": {"hit_multiple": 2.0}}
    metrics = {**BASE, "auc_cv": 0.77}
    baseline = state("abcdef123", "main", base_params, metrics)
    baseline["experiments"] = [
        experiment("hit3", {**BASE_PARAMS, "featurize": {"hit_multiple": 3.0}}, {**metrics, "auc_cv": 0.81}),
        experiment("trees", {**base_params, "regressors": BASE_PARAMS["regressors"]}, {**metrics, "auc_cv": 0.78}),
    ]
    base, experiments = rows_of([baseline])
    redefines = redefining_params(ROOT / "gates.yaml")
    assert set(redefines["featurize.hit_multiple"]) == {"auc_cv", "brier", "fwd_auc"}
    lines = table(base, experiments, ["r2_cv", "auc_cv"], 120, redefines)
    assert lines[1].split()[-1] == "0.7700"
    assert lines[2].split()[:4] == ["hit3", "0.5500", "0.8100*", "featurize.hit_multiple=3.0"]
    assert lines[3].split()[:3] == ["trees", "0.5500", "0.7800"]


def test_every_headline_figure_has_its_source_and_the_source_holds_it() -> None:
    """SOURCES must follow headline(): each figure's value is found under the key SOURCES gives it."""
    metrics = load_current(ROOT / "metrics")
    figures = metrics["headline"]
    flat = flatten(metrics)
    assert set(SOURCES) == set(HEADLINE) - set(MODEL_COLUMNS)
    for column, source in SOURCES.items():
        under = [value for path, value in flat.items() if path.startswith(f"{source}.")]
        assert any(abs(value - figures[column]) < 1e-4 for value in under), (column, source)
