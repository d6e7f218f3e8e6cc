"""Which fitted regressor serves, from each one's repeated-CV RMSE and file size (``regressors.selection``).

Pure Python on the per-model stages' small outputs (no scikit-learn import), so the
``select`` stage and ``evaluate`` apply one rule the same way, in a blink.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from boxoffice.params import Params

SELECTION_RULES = ("one_se", "lowest")
SAME_SIZE = 2.0  # models whose file sizes differ by less than this factor count as equally small
SELECTED = "selected"  # MODELS_DIR/selected/KIND.joblib: the select stage's copy of each kind's choice


def model_bytes(path: str | Path) -> int:
    """A saved model's size as the one-standard-error rule weighs it: its file's bytes, what the service loads.

    Not ``len(pickle.dumps(model))``: a pickle's length depends on which of its objects
    the process happens to share (pickle writes a shared object once), so the same model
    weighed in two processes could differ by a few hundred bytes. A file's size cannot.
    """
    return Path(path).stat().st_size


def choose_regressor(
    cv: Mapping[str, Mapping[str, Mapping[str, float]]], sizes: Mapping[str, int], rule: str, n_scores: int
) -> dict[str, Any]:
    """Which fitted regressor to choose (to serve, or for the forward rebuild), by repeated-CV RMSE and size.

    Sizes are ``model_bytes``.

    'lowest': the lowest mean RMSE. 'one_se', the one-standard-error rule (Hastie,
    Tibshirani and Friedman, ESL 7.10): the smallest model (its file's bytes) whose mean RMSE
    is within one standard error (std / sqrt(``n_scores``)) of the lowest. A lead smaller
    than the CV's own noise does not buy a model many times larger and slower to serve.
    Sizes within ``SAME_SIZE`` times the smallest count as the same (100 depth-3 trees from
    two libraries take 119 and 139 kB); among those the lowest RMSE serves.
    ``sizes`` names the candidates, in their order.
    """
    if rule not in SELECTION_RULES:
        raise ValueError(f"regressors.selection is {rule!r}; use one of {', '.join(SELECTION_RULES)}")
    rmse = {name: cv[name]["rmse"] for name in sizes}
    best = min(rmse, key=lambda name: (rmse[name]["mean"], name))
    limit = rmse[best]["mean"] + rmse[best]["std"] / math.sqrt(n_scores)
    size = dict(sizes)
    close = sorted((name for name in sizes if rmse[name]["mean"] <= limit), key=lambda name: (size[name], name))
    smallest = [name for name in close if size[name] <= SAME_SIZE * size[close[0]]]
    return {
        "rule": rule,
        "lowest_rmse": best,
        "one_se_limit": round(limit, 6),
        "within_one_se": close,
        "bytes": size,
        "selected": min(smallest, key=lambda name: (rmse[name]["mean"], name)) if rule == "one_se" else best,
    }


def choose_by_cv(cv: Mapping[str, Any], sizes: Mapping[str, int], params: Params) -> dict[str, Any]:
    """``choose_regressor`` with params.yaml's rule and the number of scores of evaluate's repeated CV."""
    config = params["evaluate"]
    return choose_regressor(cv, sizes, params["regressors"]["selection"], config["cv_folds"] * config["cv_repeats"])
