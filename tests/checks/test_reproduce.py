"""The cross-machine check: rebuilt metrics against committed ones, within a tolerance."""

from __future__ import annotations

import json
from pathlib import Path

from boxoffice.checks.metric_files import flatten, load_committed, load_current
from boxoffice.checks.reproduce import compare, main, stale
from harness.workspace import commit, run

COMMITTED = {"regression": {"test": {"r2": 0.5, "rmse": 1.4}, "selected": "gb"}, "prepare": {"rows_out": 3228}}


def test_flatten_keeps_numbers_only() -> None:
    assert flatten(COMMITTED) == {"regression.test.r2": 0.5, "regression.test.rmse": 1.4, "prepare.rows_out": 3228.0}


def test_compare_names_each_metric_outside_the_tolerance_and_each_missing_one() -> None:
    committed = flatten(COMMITTED)
    rebuilt = {**committed, "regression.test.r2": 0.5004, "regression.test.rmse": 1.41, "new.metric": 1.0}
    del rebuilt["prepare.rows_out"]
    problems, largest = compare(rebuilt, committed, abs_tol=0.001, rel_tol=0.0)
    assert problems == [
        "prepare.rows_out: committed, but not rebuilt",
        "new.metric: rebuilt, but not committed",
        "regression.test.rmse: rebuilt 1.41, committed 1.4 (difference +0.01)",
    ]
    assert largest == 1.41 - 1.4


def test_equal_metrics_agree() -> None:
    assert compare(flatten(COMMITTED), flatten(COMMITTED), 0.0, 0.0) == ([], 0.0)


def test_main_compares_the_workspace_with_a_commit(tmp_path: Path, monkeypatch, capsys) -> None:
    (tmp_path / "metrics" / "regressors").mkdir(parents=True)
    (tmp_path / "metrics" / "regression.json").write_text(json.dumps(COMMITTED["regression"]))
    (tmp_path / "metrics" / "regressors" / "gb.json").write_text(json.dumps({"train": {"r2": 0.9}}))
    (tmp_path / "gates.yaml").write_text("reproduce: {abs: 0.001, rel: 0.0}\n")
    run(["git", "init", "-q"], tmp_path)
    commit(tmp_path, "metrics")
    monkeypatch.chdir(tmp_path)
    assert load_committed("HEAD", Path("metrics")) == load_current(Path("metrics"))
    assert main(["metrics"]) == 0
    (tmp_path / "metrics" / "regressors" / "gb.json").write_text(json.dumps({"train": {"r2": 0.8}}))
    assert main(["metrics"]) == 1
    assert "DIFFERS  regressors/gb.train.r2: rebuilt 0.8, committed 0.9" in capsys.readouterr().out
    assert load_committed("no-such-rev", Path("metrics")) is None


def test_stale_names_changed_code_and_params_but_not_a_fresh_clone_s_missing_outputs() -> None:
    status = {
        "prepare": [{"changed deps": {"data/raw/movies.csv": "deleted"}}, {"changed outs": {"x": "not in cache"}}],
        "featurize": [{"changed deps": {"boxoffice/io.py": "modified", "data/prepared.csv": "deleted"}}],
        "evaluate": [{"changed deps": {"params.yaml": {"evaluate.cv_folds": "modified"}}}, "changed command"],
    }
    assert stale(status) == [
        "featurize: boxoffice/io.py modified",
        "evaluate: params.yaml {'evaluate.cv_folds': 'modified'}",
        "evaluate: changed command",
    ]


def test_stale_names_a_git_tracked_output_edited_by_hand() -> None:
    """A report edited after the run (or a stage's output not regenerated) no longer matches dvc.lock."""
    status = {"report": [{"changed outs": {"reports/results.md": "modified", "models/x.joblib": "deleted"}}]}
    assert stale(status) == ["report: output reports/results.md modified"]
