"""The CI metrics gate and the generated results tables."""

from __future__ import annotations

import json
from pathlib import Path

import yaml

from boxoffice.checks.gate import check, resolve
from boxoffice.checks.metric_files import load_current
from boxoffice.checks.report import END, NAMES, START, replace_block, tables
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


def test_committed_metrics_pass_the_committed_gates() -> None:
    gates = yaml.safe_load((ROOT / "gates.yaml").read_text())

    results = check(gates, load_current(ROOT / "metrics"), None)
    assert all(passed for passed, _ in results), results


def test_the_results_tables_are_generated_from_the_committed_metrics() -> None:
    results = (ROOT / "reports" / "results.md").read_text(encoding="utf-8")
    assert replace_block(results, tables(ROOT / "metrics")) == results, "run: python -m boxoffice.checks.report --write"


def test_replace_block_only_touches_the_marked_part() -> None:
    text = f"intro\n{START}\nold\n{END}\noutro\n"
    assert replace_block(text, "new") == f"intro\n{START}\nnew\n{END}\noutro\n"


def test_tables_show_every_model_and_mark_the_served_one(project: Path) -> None:
    text = tables(project / "metrics")
    regression = json.loads((project / "metrics" / "regression.json").read_text())
    for report in (regression, regression["pre_release"]):
        for name, scores in report["validation"].items():
            row = next(
                line for line in text.splitlines() if line.startswith(f"| {NAMES[name]} | {scores['rmse']:.4f} |")
            )
            assert row.endswith("| ✓ |") == (name == report["selected"])
    assert text.count("✓") == 2  # one served regressor per variant
