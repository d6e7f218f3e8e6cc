"""The headline metrics file: the few figures DVC shows, read from the detailed reports."""

from __future__ import annotations

import json
from pathlib import Path

import yaml

from boxoffice.evaluation.headline import HEADLINE, headline
from tests.conftest import ROOT


def read(project: Path, name: str) -> dict:
    return json.loads((project / "metrics" / f"{name}.json").read_text())


def test_evaluate_writes_every_headline_figure_from_the_detailed_reports(project: Path) -> None:
    written = read(project, "headline")
    regression, classifier = read(project, "regression"), read(project, "classifier")
    assert written == headline(regression, classifier)
    assert set(written) == set(HEADLINE)
    served = regression["selected"]
    assert (written["model"], written["pre_model"]) == (served, regression["pre_release"]["selected"])
    assert written["r2_cv"] == round(regression["cv_train"][served]["r2"]["mean"], 4)  # the served model's own
    assert written["rmse_val"] == round(regression["validation"][served]["rmse"], 4)
    forward = regression["pre_release"]["forward"]
    assert written["fwd_cov"] == round(forward["interval"]["test_coverage"], 4)
    assert written["fwd_r2"] == round(forward["scored"]["r2"], 4)


def test_only_the_headline_file_is_a_dvc_metric() -> None:
    """The detailed reports are plain outputs: `dvc metrics show` lists the headline alone."""
    stages = yaml.safe_load((ROOT / "dvc.yaml").read_text())["stages"]
    declared = [next(iter(entry)) for spec in stages.values() for entry in spec.get("metrics", [])]
    assert declared == ["metrics/headline.json"]
