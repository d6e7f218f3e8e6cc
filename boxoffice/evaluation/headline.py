"""The headline figures: the few numbers people compare experiments on.

``metrics/headline.json`` is the only file DVC treats as metrics, so that
``dvc metrics show`` and ``dvc metrics diff`` fit a terminal; the detailed reports
(regression.json, classifier.json, ...) stay beside it for the gate and the README.
"""

from __future__ import annotations

# name -> what it is (the results page's legend is generated from this)
HEADLINE: dict[str, str] = {
    "model": "the regressor type /predict serves (chosen by regressors.selection on train's repeated CV)",
    "r2_cv": "served regressor (/predict): repeated-CV R² of log revenue on train (what chooses it)",
    "rmse_val": "served regressor: RMSE on the seed's validation split (the seed's own comparison)",
    "r2_test": "served regressor: R² on the untouched test split",
    "auc_cv": "hit classifier (/predict): repeated-CV ROC AUC",
    "brier": "hit classifier: repeated-CV Brier score (lower is better)",
    "pre_model": "the regressor type /predict/pre_release serves",
    "pre_r2": "pre-release regressor (/predict/pre_release): repeated-CV R² on train",
    "fwd_r2": "pre-release, forward in time (rebuilt from films before the cutoff, scored after it): R²",
    "fwd_auc": "pre-release, forward: ROC AUC of the served hit_probability",
    "fwd_cov": "pre-release, forward: share of films inside the interval (nominal: evaluate.interval_coverage)",
}

MODEL_COLUMNS = ("model", "pre_model")  # names, not figures
LOWER_IS_BETTER = frozenset({"rmse_val", "brier"})


def headline(regression: dict, classification: dict) -> dict[str, float | str]:
    """The HEADLINE figures, read from the detailed reports (main at the top, pre-release under it).

    Each variant's figures are its served model's own, and the model's name stands beside
    them, so a comparison of experiments shows when the served model switched.
    """
    pre_regression, forward = regression["pre_release"], regression["pre_release"]["forward"]
    served, pre_served = regression["selected"], pre_regression["selected"]
    figures = {
        "r2_cv": regression["cv_train"][served]["r2"]["mean"],
        "rmse_val": regression["validation"][served]["rmse"],
        "r2_test": regression["test"][served]["r2"],
        "auc_cv": classification["repeated_cv"]["auc"]["mean"],
        "brier": classification["repeated_cv"]["brier"]["mean"],
        "pre_r2": pre_regression["cv_train"][pre_served]["r2"]["mean"],
        "fwd_r2": forward["scored"]["r2"],
        "fwd_auc": forward["hit_sources"][forward["hit_sources"]["served"]]["auc"],
        "fwd_cov": forward["interval"]["test_coverage"],
    }
    rounded: dict[str, float | str] = {name: round(float(value), 4) for name, value in figures.items()}
    return {"model": served, "pre_model": pre_served, **rounded}


def legend() -> list[str]:
    return ["| headline metric | what |", "| --- | --- |", *[f"| `{k}` | {v} |" for k, v in HEADLINE.items()]]
