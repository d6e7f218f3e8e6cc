"""A parameter grid on the DVC queue, read back and applied the way the README's experiment section does it."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import pytest
import yaml

from boxoffice.checks.exp_show import SHORT_NAMES
from boxoffice.evaluation.headline import HEADLINE
from harness.ahead import Outcome
from harness.workspace import wait_for_queue
from tests.conftest import run

# Two queued experiments on a parameter only evaluate reads, so each re-runs evaluate alone
# (seconds): where hit_probability comes from. 'distribution' is the baseline's own value.
GRID = ["-S", "serve.hit_source=classifier,distribution"]
SOURCE_FIGURES = {"fwd_auc"}  # the one headline figure the hit source moves: the served P(hit)'s forward AUC


def headline_of(rev: dict) -> dict[str, float]:
    return rev["data"]["metrics"]["metrics/headline.json"]["data"]


def hit_source(rev: dict) -> object:
    return rev["data"]["params"]["params.yaml"]["data"]["serve"]["hit_source"]


def queued_grid(project: Path) -> dict:
    """Queue the grid, run it with two workers, and return `dvc exp show --json`'s baseline entry."""
    run(["dvc", "exp", "run", "--queue", *GRID], project)
    run(["dvc", "queue", "start", "-j", "2"], project, capture=False)  # its workers outlive it
    try:
        status = wait_for_queue(project)
    finally:
        run(["dvc", "queue", "stop"], project, check=False)  # no idle worker left behind
    assert "Failed" not in status, status
    shown = json.loads(run(["dvc", "exp", "show", "--json"], project).stdout)
    head = run(["git", "rev-parse", "HEAD"], project).stdout.strip()
    return next(entry for entry in shown if entry["rev"] == head)


pytestmark = [pytest.mark.pipeline, pytest.mark.ahead(experiment=queued_grid)]


@pytest.fixture
def grid(ahead: Outcome) -> dict:
    return ahead.value


@pytest.fixture
def grid_copy(ahead: Outcome) -> Path:
    """The grid's own copy of the baseline, where its experiments are."""
    return ahead.project


def by_source(grid: dict) -> dict[object, dict]:
    return {hit_source(exp["revs"][0]): exp for exp in grid["experiments"]}


def test_each_queued_point_reports_its_headline_metrics(grid: dict) -> None:
    experiments = by_source(grid)
    assert sorted(experiments) == ["classifier", "distribution"]
    baseline = headline_of(grid)
    for source, exp in experiments.items():
        figures = headline_of(exp["revs"][0])
        assert set(figures) == set(HEADLINE)
        changed = {name for name in figures if figures[name] != baseline[name]}
        # No model is refitted and evaluate is deterministic: the baseline's own source gives
        # the baseline's figures exactly, the classifier moves the served P(hit)'s only.
        assert changed == (SOURCE_FIGURES if source == "classifier" else set()), (source, changed)


def test_the_best_point_applies_and_commits_as_an_up_to_date_pipeline(grid_copy: Path, grid: dict) -> None:
    """`dvc exp apply` of the point unlike the baseline, then a commit: the pipeline is up to date at that commit."""
    best = by_source(grid)["classifier"]
    baseline = run(["git", "rev-parse", "HEAD"], grid_copy).stdout.strip()
    run(["dvc", "exp", "apply", best["name"]], grid_copy)
    try:
        run(["git", "add", "params.yaml", "dvc.lock", "metrics", "plots", "reports"], grid_copy)
        run(["git", "-c", "user.name=t", "-c", "user.email=t@localhost", "commit", "-qm", "apply"], grid_copy)
        assert json.loads(run(["dvc", "status", "--json"], grid_copy).stdout) == {}
        committed = json.loads((grid_copy / "metrics" / "headline.json").read_text())
        assert committed == headline_of(best["revs"][0])
    finally:
        run(["git", "reset", "--hard", "-q", baseline], grid_copy)
        run(["dvc", "checkout", "--force"], grid_copy)


def test_plots_diff_draws_every_declared_plot_for_both_experiments(grid_copy: Path, grid: dict) -> None:
    names = [exp["name"] for exp in grid["experiments"]]
    shown = json.loads(run(["dvc", "plots", "diff", *names, "--json"], grid_copy).stdout)["data"]
    declared = [next(iter(plot)) for plot in yaml.safe_load((grid_copy / "dvc.yaml").read_text())["plots"]]
    assert list(shown) == declared  # and nothing else (the grid tables are not drawn one by one)
    for renders in shown.values():
        assert [sorted(render["revisions"]) for render in renders] == [sorted(names)] * len(renders)
    roc = shown["ROC"][0]["content"]["data"]["values"]
    assert {row["rev"] for row in roc} == set(names)


def test_the_experiments_table_sorts_best_first_and_names_each_points_params(grid_copy: Path, grid: dict) -> None:
    """`make exp-show`'s table: the baseline, then the points best first on the metric asked for, each with
    its served models, its figures and the params it changed; 120 columns wide."""
    out = run(
        [sys.executable, "-m", "boxoffice.checks.exp_show", "--sort-by", "fwd_auc"], grid_copy, env={"COLUMNS": "120"}
    ).stdout
    lines = out.splitlines()
    assert max(len(line) for line in lines) <= 120, out
    assert lines[0].split()[:3] == ["Experiment", "model", "r2_cv"]
    assert "(baseline)" in lines[1]
    experiments = sorted(grid["experiments"], key=lambda exp: -headline_of(exp["revs"][0])["fwd_auc"])
    rows = [next(line for line in lines if line.startswith(exp["name"] + " ")) for exp in experiments]
    assert [lines.index(row) for row in rows] == sorted(lines.index(row) for row in rows)  # best first
    for exp, row in zip(experiments, rows, strict=True):
        figures = headline_of(exp["revs"][0])
        assert f"{figures['fwd_auc']:.4f}" in row
        assert row.split()[1] == SHORT_NAMES[str(figures["model"])]  # no model refitted: no switch mark
        changed = hit_source(exp["revs"][0]) != "distribution"
        assert ("serve.hit_source=classifier" in row) == changed, row
