"""CV of whole procedures: the same folds as the rest of evaluate, and what each adds."""

from __future__ import annotations

from pathlib import Path

import numpy as np
from sklearn.metrics import r2_score, roc_auc_score

from boxoffice.evaluation.procedure_cv import hit_sources_cv, track_record_cv
from boxoffice.features.splits import load_split
from boxoffice.io import load_model
from boxoffice.modeling.fitting import repeated_cv
from boxoffice.params import load_params


def cv_settings(params: dict) -> tuple[int, int, int]:
    config = params["evaluate"]
    return config["cv_folds"], config["cv_repeats"], config["random_state"]


def test_fold_built_track_records_change_nothing_where_no_track_record_is_used(project: Path) -> None:
    """The seed's four features have no track record: rebuilding it per fold must give the shared CV exactly."""
    params = load_params(path=project / "params.yaml")
    train = load_split(project / "data" / "features", "train", params, "main")
    model = load_model(project / "models" / "regressors" / "main" / "linear_regression.joblib")

    def r2(fitted, X, y):
        return {"r2": r2_score(y, fitted.predict(X))}

    shared = repeated_cv(model, train.X, train.log_revenue, r2, *cv_settings(params))
    assert track_record_cv(model, train, params, "main") == shared["r2"]


def test_the_classifier_is_scored_on_the_same_folds_as_its_repeated_cv(project: Path) -> None:
    params = load_params(path=project / "params.yaml")
    train = load_split(project / "data" / "features", "train", params, "pre_release")
    regressor = load_model(project / "models" / "regressors" / "pre_release" / "random_forest.joblib")
    classifier = load_model(project / "models" / "classifiers" / "pre_release.joblib")

    def auc(fitted, X, y):
        return {"auc": roc_auc_score(y, fitted.predict_proba(X)[:, 1])}

    report, out_of_fold = hit_sources_cv(regressor, classifier, train, params)
    assert report["classifier_auc"] == repeated_cv(classifier, train.X, train.is_hit, auc, *cv_settings(params))["auc"]
    assert set(report) == {
        f"{source}_{score}" for source in ("distribution", "classifier") for score in ("auc", "brier")
    } | {"constant_brier"}
    assert 0 < report["distribution_auc"]["mean"] < 1
    for proba in out_of_fold.values():  # the first repeat scores every train film once
        assert len(proba) == len(train.X) and not np.isnan(proba).any()
