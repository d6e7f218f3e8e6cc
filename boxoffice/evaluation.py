"""Score fitted models on held-out splits; build metrics, plot tables and the serving manifest."""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd
from sklearn.inspection import permutation_importance
from sklearn.metrics import precision_recall_curve, roc_curve

from boxoffice.dataset import Split
from boxoffice.metrics import classification_metrics, regression_metrics
from boxoffice.models import c_key

Plots = dict[str, pd.DataFrame]


def regression_report(regressors: dict[str, Any], splits: dict[str, Split], params: dict) -> tuple[dict, Plots]:
    """Validation and test scores of every regressor; the lowest validation RMSE is served."""
    report: dict[str, Any] = {"validation": {}, "test": {}}
    for name, model in regressors.items():
        for part in ("validation", "test"):
            data = splits[part]
            report[part][name] = regression_metrics(data.log_revenue, model.predict(data.X))
    selected = min(regressors, key=lambda name: report["validation"][name]["rmse"])
    report["selected"] = selected

    model, test = regressors[selected], splits["test"]
    predicted = model.predict(test.X)
    plots = {
        "predictions": pd.DataFrame(
            {"actual": test.log_revenue, "predicted": predicted, "residual": test.log_revenue - predicted}
        ).round(6),
        "regressor_importance": _importance(model, test, test.log_revenue, "neg_root_mean_squared_error", params),
    }
    return report, plots


def classifier_report(classifier: Any, cv: dict, splits: dict[str, Split], params: dict) -> tuple[dict, Plots]:
    """Test scores of the hit classifier at the threshold in params, plus its CV table."""
    threshold = params["classifier"]["threshold"]
    test = splits["test"]
    proba = classifier.predict_proba(test.X)[:, 1]
    report = {**cv, "threshold": threshold, "test": classification_metrics(test.is_hit, proba, threshold)}

    fpr, tpr, _ = roc_curve(test.is_hit, proba)
    precision, recall, _ = precision_recall_curve(test.is_hit, proba)
    labels = np.array(["flop", "hit"])
    plots = {
        "roc": pd.DataFrame({"fpr": fpr, "tpr": tpr}).round(6),
        "precision_recall": pd.DataFrame({"recall": recall, "precision": precision}).round(6),
        "confusion": pd.DataFrame(
            {"actual": labels[test.is_hit], "predicted": labels[(proba >= threshold).astype(int)]}
        ),
        "classifier_importance": _importance(classifier, test, test.is_hit, "roc_auc", params),
        "cv_auc": pd.DataFrame(
            [{"C": float(c), **scores} for c, scores in cv["cv"].items()],
        ),
    }
    return report, plots


def _importance(model: Any, data: Split, target: np.ndarray, scoring: str, params: dict) -> pd.DataFrame:
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


def serving_manifest(regression: dict, classification: dict, params: dict, regressors: dict[str, Any]) -> dict:
    """What the service needs to load and describe the models, next to the model files."""
    selected = regression["selected"]
    fitted = regressors[selected].get_params()
    return {
        "features": {
            "set": params["features"]["set"],
            "columns": params["features"]["sets"][params["features"]["set"]],
        },
        "hit_multiple": params["featurize"]["hit_multiple"],
        "regressor": {
            "name": selected,
            "file": f"regressors/{selected}.joblib",
            "params": {key: fitted[key] for key in params["regressors"][selected]},
            "validation": regression["validation"][selected],
            "test": regression["test"][selected],
        },
        "classifier": {
            "file": "classifier.joblib",
            "C": classification["best_C"],
            "threshold": classification["threshold"],
            "cv_mean_auc": classification["cv"][c_key(classification["best_C"])]["mean_auc"],
            "test": classification["test"],
        },
    }
