"""The evaluate stage is I/O around ``evaluation.evaluate``: the function alone gives what the stage wrote."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pandas as pd

from boxoffice.evaluation.evaluate import evaluate, load_inputs
from boxoffice.features.splits import load_split
from boxoffice.io import load_model
from boxoffice.params import load_params


def test_evaluate_gives_what_the_stage_wrote(project: Path) -> None:
    params = load_params(path=project / "params.yaml")
    inputs = load_inputs(project / "data" / "features", project / "models", project / "data" / "scores", params)
    results = evaluate(**inputs)

    for name, report in results["metrics"].items():
        written = json.loads((project / "metrics" / f"{name}.json").read_text())
        assert json.loads(json.dumps(report, sort_keys=True, default=float)) == written, name
    written = (project / "models" / "serving.json").read_text(encoding="utf-8")
    assert json.dumps(results["serving"].to_json(), indent=2, sort_keys=True) + "\n" == written  # byte for byte
    for name, table in results["plots"].items():
        pd.testing.assert_frame_equal(
            table.reset_index(drop=True), pd.read_csv(project / "plots" / "evaluate" / f"{name}.csv"), check_dtype=False
        )


def test_the_pipeline_measures_the_answers_the_service_gives(project: Path) -> None:
    """evaluate's test-split figures come from exactly the numbers /predict/pre_release answers."""
    from fastapi.testclient import TestClient

    from boxoffice.evaluation.held_out import HeldOutAnswers
    from boxoffice.features.build import real_dollars
    from boxoffice.modeling.distribution import RevenueDistribution
    from boxoffice.serving.api import create_app
    from tests.serving.test_api import pre_release_request

    params = load_params(path=project / "params.yaml")
    manifest = json.loads((project / "models" / "serving.json").read_text())["pre_release"]
    test = load_split(project / "data" / "features", "test", params, "pre_release")
    regressor = load_model(project / "models" / manifest["regressor"]["file"])
    classifier = load_model(project / "models" / manifest["classifier"]["file"])
    distribution = RevenueDistribution.from_json(manifest["distribution"])
    measured = HeldOutAnswers.of(regressor, distribution, classifier, test, params)

    bodies = [pre_release_request(row) for row in test.frame.to_dict("records")]
    with TestClient(create_app(models_dir=project / "models", lock_path=project / "dvc.lock")) as client:
        answers = pd.DataFrame([client.post("/predict/pre_release", json=body).json() for body in bodies])
    factor = real_dollars(test.frame, params["featurize"])
    assert factor is not None  # constant dollars: the answers are converted back
    expected = np.maximum(np.expm1(measured.outlook["median"]), 0) / factor
    np.testing.assert_allclose(answers["predicted_revenue"], expected, rtol=1e-12)
    np.testing.assert_allclose(answers["hit_probability"], measured.sources["distribution"], rtol=1e-12)
    np.testing.assert_allclose(
        answers["break_even_probability"], measured.outlook["break_even_probability"], rtol=1e-12
    )
