"""The served regressor is chosen by the one-standard-error rule on CV RMSE and file size."""

from __future__ import annotations

from pathlib import Path

import joblib
import numpy as np
import pytest
from sklearn.ensemble import GradientBoostingRegressor

from boxoffice.modeling.selection import SAME_SIZE, choose_by_cv, choose_regressor, model_bytes


def test_one_se_serves_the_smallest_model_within_one_standard_error_of_the_lowest_rmse() -> None:
    sizes = {"large": 100_000, "small": 4_000, "far": 1_000}
    # SE of the lowest = 0.2 / sqrt(4) = 0.1: "small" (+0.08) is within it, "far" (+0.3) is not.
    cv = {
        "large": {"rmse": {"mean": 1.0, "std": 0.2}},
        "small": {"rmse": {"mean": 1.08, "std": 0.2}},
        "far": {"rmse": {"mean": 1.3, "std": 0.2}},
    }
    choice = choose_regressor(cv, sizes, "one_se", n_scores=4)
    assert choice["lowest_rmse"] == "large" and choice["within_one_se"] == ["small", "large"]
    assert choice["selected"] == "small" and choice["one_se_limit"] == 1.1 and choice["bytes"] == sizes
    assert choose_regressor(cv, sizes, "lowest", n_scores=4)["selected"] == "large"
    assert choose_regressor(cv, sizes, "one_se", n_scores=100)["selected"] == "large"  # SE 0.02: only itself
    # Within a factor of SAME_SIZE the sizes count as equal, and the lower RMSE serves.
    cv["twin"] = {"rmse": {"mean": 1.05, "std": 0.2}}
    twin = {**sizes, "twin": int(4_000 * SAME_SIZE) - 1}
    assert choose_regressor(cv, twin, "one_se", n_scores=4)["selected"] == "twin"
    assert (
        choose_regressor(cv, {**twin, "twin": int(4_000 * SAME_SIZE) + 1}, "one_se", n_scores=4)["selected"] == "small"
    )
    with pytest.raises(ValueError, match="one_se, lowest"):
        choose_regressor(cv, sizes, "smallest", n_scores=4)


def test_choose_by_cv_counts_every_fold_of_every_repeat() -> None:
    cv = {"a": {"rmse": {"mean": 1.0, "std": 0.3}}, "b": {"rmse": {"mean": 1.09, "std": 0.3}}}
    params = {"regressors": {"selection": "one_se"}, "evaluate": {"cv_folds": 3, "cv_repeats": 3}}
    assert choose_by_cv(cv, {"a": 10, "b": 1}, params)["one_se_limit"] == 1.1  # 0.3 / sqrt(9)


def test_a_model_weighs_what_its_file_weighs(tmp_path: Path) -> None:
    rng = np.random.default_rng(0)
    X, y = rng.normal(size=(100, 3)), rng.normal(size=100)
    path = tmp_path / "model.joblib"
    joblib.dump(GradientBoostingRegressor(n_estimators=3, random_state=0).fit(X, y), path)
    assert model_bytes(path) == len(path.read_bytes()) > 0
