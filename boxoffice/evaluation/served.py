"""What is computed for the served regressor only, in its own stage (``served@VARIANT``).

Its hit sources' and track record's cross-validation, and for /predict's models the
feature-set comparison and permutation importance. The stage depends on the select
stage's pin of the served model, not on every model, so a change to a model that does
not serve re-runs none of this.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
from sklearn.base import clone
from sklearn.inspection import permutation_importance

from boxoffice.evaluation.procedure_cv import hit_sources_cv, track_record_cv
from boxoffice.features.sets import expand_set, feature_set_name, in_constant_dollars
from boxoffice.features.splits import Split, hit_labels, with_features
from boxoffice.features.track_record import TrackRecord
from boxoffice.features.transforms import feature_matrix
from boxoffice.io import load_model, md5_of
from boxoffice.modeling.fitting import repeated_cv
from boxoffice.modeling.selection import SELECTED
from boxoffice.modeling.training import classifier_score, cv_settings, regression_score
from boxoffice.params import Params

TRACK_RECORD_PREFIXES = tuple(f"{role}_" for role, _ in TrackRecord.ROLES)  # director_films, ...


def load_pinned(models_dir: str | Path, kind: str, pin: dict[str, Any]) -> Any:
    """The select stage's copy of the model it chose for ``kind`` (``models/selected/KIND.joblib``).

    A copy whose MD5 is not the pinned one (of the chosen model's own file) is refused.
    """
    path = Path(models_dir) / SELECTED / f"{kind}.joblib"
    if md5_of(path) != pin["md5"]:
        raise RuntimeError(f"{path} is not the model the selection pinned (md5 {pin['md5']}): run `dvc repro`")
    return load_model(path)


def uses_track_record(split: Split) -> bool:
    return any(column.startswith(TRACK_RECORD_PREFIXES) for column in split.features)


def served_report(
    variant: str, pins: dict[str, dict], regressor: Any, classifier: Any, splits: dict[str, Split], params: Params
) -> dict[str, Any]:
    """Everything ``evaluate`` needs of the served regressor beyond its own scores, as JSON-ready data."""
    train = splits["train"]
    hit_cv, out_of_fold = hit_sources_cv(regressor, classifier, train, params)
    report: dict[str, Any] = {
        "hit_sources_cv": hit_cv,
        "out_of_fold": {name: proba.tolist() for name, proba in out_of_fold.items()},
    }
    if uses_track_record(train):
        report["track_record_cv"] = track_record_cv(regressor, train, params, variant)
    if variant == "main":
        test = splits["test"]
        frames = {name: split.frame for name, split in splits.items()}
        report["feature_sets"] = compare_feature_sets(regressor, classifier, frames, params, known_cv(pins, params))
        tables = {
            "regressor_importance": importance(
                regressor, test, test.log_revenue, "neg_root_mean_squared_error", params
            ),
            "classifier_importance": importance(classifier, test, test.is_hit, "roc_auc", params),
        }
        report |= {name: table.to_dict("list") for name, table in tables.items()}
    return report


def known_cv(pins: dict[str, dict], params: Params) -> dict[str, dict]:
    """Feature set -> /predict's served regressor's repeated-CV scores, where a variant already has them.

    A variant in nominal dollars that serves the same type with the same params has
    cross-validated exactly this model on its feature set; recomputing would give the same figures.
    """
    main = pins["main"]
    return {
        feature_set_name(params, variant): pins[variant]["cv"]
        for variant in ("main", "pre_release")
        if (pins[variant]["name"], pins[variant]["params"]) == (main["name"], main["params"])
        and not in_constant_dollars(params, variant)
    }


def compare_feature_sets(
    regressor: Any, classifier: Any, frames: dict[str, pd.DataFrame], params: Params, known_cv: dict[str, dict]
) -> dict:
    """Repeated-CV R2/RMSE (train rows, as the regressors) and AUC/F1 (train + validation, as the classifier).

    The served model types, on every feature set in params.

    ``known_cv`` maps a feature set to this same regressor's CV figures where a variant's
    report already has them; those are reused rather than refitted.
    """
    threshold = params["classifier"]["threshold"]
    comparison = {}
    for name in params["features"]["sets"]:
        columns = expand_set(params, name)
        train = with_features(frames["train"], columns)  # the films that have the set's features
        rows = pd.concat([train, with_features(frames["validation"], columns)])
        regression = known_cv.get(name)
        if regression is None:
            X_train, y = feature_matrix(train, columns), train["log_revenue"].to_numpy()
            regression = repeated_cv(clone(regressor), X_train, y, regression_score, *cv_settings(params))
        X, hit = feature_matrix(rows, columns), hit_labels(rows, params)
        classification = repeated_cv(clone(classifier), X, hit, classifier_score(threshold), *cv_settings(params))
        comparison[name] = {
            "n_features": X.shape[1],
            "r2": regression["r2"],
            "rmse": regression["rmse"],
            "auc": classification["auc"],
            "f1": classification["f1"],
        }
    return comparison


def importance(model: Any, data: Split, target: np.ndarray, scoring: str, params: Params) -> pd.DataFrame:
    """Permutation importance on the test split: how much the score drops without each feature."""
    config = params["evaluate"]
    result = permutation_importance(
        model,
        data.X,
        target,
        scoring=scoring,
        n_repeats=config["importance_repeats"],
        random_state=config["random_state"],
    )
    return pd.DataFrame(
        {
            "feature": data.features,
            "importance": result.importances_mean.round(6),
            "std": result.importances_std.round(6),
        }
    )
