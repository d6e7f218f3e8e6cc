"""The CI metrics gate."""

from __future__ import annotations

import shutil
from pathlib import Path

import yaml

from boxoffice.checks.gate import check, redefined, report, resolve
from boxoffice.checks.metric_files import load_current
from tests import tiny
from tests.conftest import ROOT

METRICS = {
    "regression": {
        "selected": "gb",
        "validation": {"gb": {"r2": 0.67}, "lr": {"r2": 0.62}},
        "test": {"gb": {"r2": 0.49}, "lr": {"r2": 0.37}},
    },
    "classifier": {"best_C": 10.0, "cv": {"10": {"mean_auc": 0.77}}, "test": {"auc": 0.79}},
}
METRICS["regression"]["pre_release"] = {"selected": "lr", "test": {"gb": {"r2": 0.3}, "lr": {"r2": 0.35}}}


def test_resolve_wildcards_and_aliases() -> None:
    assert resolve(METRICS, "regression.validation.*.r2") == {
        "regression.validation.gb.r2": 0.67,
        "regression.validation.lr.r2": 0.62,
    }
    assert resolve(METRICS, "regression.test.@selected.r2") == {"regression.test.gb.r2": 0.49}
    assert resolve(METRICS, "classifier.cv.@best.mean_auc") == {"classifier.cv.10.mean_auc": 0.77}
    assert resolve(METRICS, "regression.pre_release.test.@selected.r2") == {"regression.pre_release.test.lr.r2": 0.35}


def test_gate_fails_and_names_a_metric_below_its_floor() -> None:
    results = check({"minimum": {"regression.validation.*.r2": 0.65}}, METRICS, None)
    failed = [line for passed, line in results if not passed]
    assert failed == ["regression.validation.lr.r2 = 0.6200 (minimum 0.65)"]


def test_gate_fails_on_a_drop_against_the_baseline() -> None:
    worse = {**METRICS, "classifier": {**METRICS["classifier"], "test": {"auc": 0.70}}}
    results = check({"max_drop": {"classifier.test.auc": 0.01}}, worse, METRICS)
    assert [passed for passed, _ in results] == [False]
    assert "classifier.test.auc = 0.7000, baseline 0.7900" in results[0][1]


def test_gate_fails_when_a_named_metric_is_missing() -> None:
    results = check({"minimum": {"classifier.test.brier_skill": 0.1}}, METRICS, None)
    assert results == [(False, "classifier.test.brier_skill: no such metric in the current run")]


def test_a_misspelt_drop_line_fails_instead_of_switching_the_gate_off() -> None:
    results = check({"max_drop": {"classifier.tset.auc": 0.01}}, METRICS, METRICS)
    assert results == [(False, "classifier.tset.auc: no such metric in the current run")]


def test_a_metric_missing_from_the_baseline_is_reported_as_new() -> None:
    baseline = {"regression": METRICS["regression"]}
    results = check({"max_drop": {"classifier.test.auc": 0.01}}, METRICS, baseline)
    assert results == [(True, "classifier.test.auc = 0.7900: new metric, not in the baseline")]


def with_served(metrics: dict, name: str, cv_r2: float) -> dict:
    """``metrics`` with the main variant served by ``name``, whose CV R² is ``cv_r2``."""
    cv = {"gb": {"r2": {"mean": 0.55}}, "lr": {"r2": {"mean": 0.50}}, "rf": {"r2": {"mean": 0.53}}}
    cv[name] = {"r2": {"mean": cv_r2}}
    return {**metrics, "regression": {**metrics["regression"], "selected": name, "cv_train": cv}}


DROP = {"max_drop": {"regression.cv_train.@selected.r2.mean": 0.02}}


def test_gate_compares_the_served_answers_across_a_switch_and_names_both_models() -> None:
    """The baseline serves gb (0.55); the experiment's gb got worse and rf serves (0.52): a drop of 0.03."""
    baseline, switched = with_served(METRICS, "gb", 0.55), with_served(METRICS, "rf", 0.52)
    [(passed, line)] = check(DROP, switched, baseline)
    assert not passed
    assert line == (
        "regression.cv_train.@selected.r2.mean [gb -> rf] = 0.5200, baseline 0.5500: "
        "fell 0.0300, allowed 0.02; served model switched gb -> rf"
    )


def test_a_switch_to_a_model_as_good_passes_and_is_still_named() -> None:
    [(passed, line)] = check(DROP, with_served(METRICS, "lr", 0.545), with_served(METRICS, "gb", 0.55))
    assert passed
    assert "served model switched gb -> lr" in line


def test_no_switch_reads_as_before() -> None:
    [(passed, line)] = check(DROP, with_served(METRICS, "gb", 0.54), with_served(METRICS, "gb", 0.55))
    assert passed
    assert line == "regression.cv_train.@selected.r2.mean [gb] = 0.5400, baseline 0.5500: fell 0.0100, allowed 0.02"


def test_a_rise_reads_as_a_rise_not_as_a_negative_drop() -> None:
    [(passed, line)] = check(DROP, with_served(METRICS, "gb", 0.57), with_served(METRICS, "gb", 0.55))
    assert passed
    assert line.endswith("baseline 0.5500: rose 0.0200")


def test_the_chosen_C_is_shown_beside_the_key_not_inside_the_path() -> None:
    metrics = {"classifier": {"best_C": 10.0, "cv": {"10": {"mean_auc": 0.77}, "1": {"mean_auc": 0.70}}}}
    [(passed, line)] = check({"minimum": {"classifier.cv.@best.mean_auc": 0.74}}, metrics, None)
    assert passed
    assert line == "classifier.cv.@best.mean_auc [C=10] = 0.7700 (minimum 0.74)"


def test_the_report_puts_failures_first_and_names_its_baseline() -> None:
    results = [(True, "a = 1"), (False, "b = 0"), (True, "c = 1")]
    lines = report(results, "HEAD~1").splitlines()
    assert lines[:3] == ["FAIL  b = 0", "PASS  a = 1", "PASS  c = 1"]
    assert lines[-1] == "metrics gate: 2 passed, 1 failed (drops against HEAD~1)"


# A type made useless (one tree, one split): served alone, it answers far worse than any baseline model.
CRIPPLED = {
    "gradient_boosting": {"n_estimators": 1, "max_depth": 1, "random_state": 0},
    "random_forest": {"n_estimators": 1, "max_depth": 1, "random_state": 0, "n_jobs": 1},
}


def test_gate_fails_an_experiment_on_the_tiny_project_that_switches_to_a_worse_model(
    project: Path, tmp_path: Path
) -> None:
    """The tiny project's stages re-run with one crippled type left: both variants switch to it, and
    the real gates.yaml fails each variant's served CV R², naming the baseline's model and the new one."""
    baseline = load_current(project / "metrics")
    before = {"main": baseline["regression"]["selected"], "pre": baseline["regression"]["pre_release"]["selected"]}
    crippled = next(name for name in CRIPPLED if name not in before.values())
    params = tiny.tiny_params()
    params["regressors"]["models"] = [crippled]
    params["regressors"][crippled] = CRIPPLED[crippled]
    experiment = shutil.copytree(project, tmp_path / "experiment")
    tiny.run_stages(experiment, params, start="train-regressors")

    gates = yaml.safe_load((ROOT / "gates.yaml").read_text())
    failed = [line for passed, line in check(gates, load_current(experiment / "metrics"), baseline) if not passed]
    for variant, key in (
        ("main", "regression.cv_train.@selected.r2.mean"),
        ("pre", "regression.pre_release.cv_train.@selected.r2.mean"),
    ):
        line = next((line for line in failed if line.startswith(f"{key} [") and "baseline" in line), None)
        assert line is not None, failed
        assert f"served model switched {before[variant]} -> {crippled}" in line


def test_committed_metrics_pass_the_committed_gates() -> None:
    gates = yaml.safe_load((ROOT / "gates.yaml").read_text())

    results = check(gates, load_current(ROOT / "metrics"), None)
    assert all(passed for passed, _ in results), results


def test_a_redefined_label_keeps_its_floor_but_its_drop_is_not_compared_and_says_why() -> None:
    """hit_multiple 2 -> 3 redefines a hit: a lower AUC then is another label's, not a loss; the floor holds."""
    gates = {
        "minimum": {"classifier.test.auc": 0.70},
        "max_drop": {"classifier.test.auc": 0.01, "regression.test.gb.r2": 0.02},
        "redefines": {"featurize.hit_multiple": ["classifier"]},
    }
    worse = {**METRICS, "classifier": {**METRICS["classifier"], "test": {"auc": 0.72}}}
    why = redefined(gates, {"featurize.hit_multiple": 3.0}, {"featurize.hit_multiple": 2.0})
    results = check(gates, worse, METRICS, why)
    assert all(passed for passed, _ in results), results
    drop = next(line for _, line in results if "baseline" in line or "not compared" in line)
    assert drop == (
        "classifier.test.auc = 0.7200: not compared: featurize.hit_multiple changed 2.0 -> 3.0, "
        "so it measures another label"
    )
    # the same params: compared, and the fall fails
    assert not all(passed for passed, _ in check(gates, worse, METRICS, redefined(gates, {}, {})))
    # a wildcard key spanning a redefined part and another: only the redefined readings are exempt
    now, before = (
        {"c": {"test": {"auc": 0.6}, "train": {"auc": 0.6}}},
        {"c": {"test": {"auc": 0.9}, "train": {"auc": 0.9}}},
    )
    spanning = check({"max_drop": {"c.*.auc": 0.01}}, now, before, {"c.test": "not compared: redefined"})
    assert spanning == [(True, "c.test.auc = 0.6000: not compared: redefined"), (False, spanning[1][1])]
    assert spanning[1][1].startswith("c.train.auc = 0.6000, baseline 0.9000: fell")
    # the floor still applies to a redefined figure
    far_worse = {**METRICS, "classifier": {**METRICS["classifier"], "test": {"auc": 0.60}}}
    assert not all(passed for passed, _ in check(gates, far_worse, METRICS, why))
