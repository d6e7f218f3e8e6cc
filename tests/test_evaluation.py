"""The evaluate stage is I/O around ``evaluation.evaluate``: the function alone gives what the stage wrote."""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd

from boxoffice.evaluation import evaluate
from boxoffice.feature_sets import VARIANTS
from boxoffice.io import load_model, read_csv
from boxoffice.params import load_params
from boxoffice.splits import load_split


def test_evaluate_gives_what_the_stage_wrote(project: Path) -> None:
    params = load_params(path=project / "params.yaml")
    loaded = {}
    for variant in VARIANTS:
        splits = {
            name: load_split(project / "data" / "features", name, params, variant)
            for name in ("train", "validation", "test")
        }
        folder = project / "models" / "regressors" / variant
        regressors = {name: load_model(folder / f"{name}.joblib") for name in params["regressors"]["models"]}
        loaded[variant] = (splits, regressors, load_model(project / "models" / "classifiers" / f"{variant}.joblib"))
    cv = json.loads((project / "metrics" / "classifier_cv.json").read_text())

    results = evaluate(loaded, cv, params, read_csv(project / "data" / "features" / "all.csv"))

    for name, report in results["metrics"].items():
        written = json.loads((project / "metrics" / f"{name}.json").read_text())
        assert json.loads(json.dumps(report, sort_keys=True, default=float)) == written, name
    assert json.loads(json.dumps(results["serving"], default=float)) == json.loads(
        (project / "models" / "serving.json").read_text()
    )
    for name, table in results["plots"].items():
        pd.testing.assert_frame_equal(
            table.reset_index(drop=True), pd.read_csv(project / "plots" / "evaluate" / f"{name}.csv"), check_dtype=False
        )
