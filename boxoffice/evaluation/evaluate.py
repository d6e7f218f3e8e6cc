"""Score fitted models on held-out data; build metrics, plot tables and the serving manifest."""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd
from sklearn.base import clone
from sklearn.calibration import calibration_curve
from sklearn.inspection import permutation_importance
from sklearn.metrics import precision_recall_curve, roc_curve

from boxoffice.evaluation.forward import forward_report
from boxoffice.evaluation.headline import headline
from boxoffice.evaluation.held_out import (
    HeldOutAnswers,
    calibrate_distribution,
    choose_by_cv,
    cv_settings,
    hit_sources_report,
    interval_report,
    predict_in_order,
    regression_score,
    slice_report,
)
from boxoffice.evaluation.procedure_cv import hit_sources_cv, track_record_cv
from boxoffice.features.sets import expand_set, feature_set_name, in_constant_dollars
from boxoffice.features.splits import Split, train_and_validation
from boxoffice.features.track_record import TrackRecord
from boxoffice.features.transforms import feature_matrix
from boxoffice.modeling.distribution import RevenueDistribution
from boxoffice.modeling.fitting import c_key, repeated_cv
from boxoffice.modeling.metrics import classification_metrics, regression_metrics
from boxoffice.params import Params

Plots = dict[str, pd.DataFrame]
TRACK_RECORD_PREFIXES = tuple(f"{role}_" for role, _ in TrackRecord.ROLES)  # director_films, ...


def _classifier_score(threshold: float) -> Any:
    def score(model: Any, X: np.ndarray, y: np.ndarray) -> dict[str, float]:
        scores = classification_metrics(y, model.predict_proba(X)[:, 1], threshold)
        return {name: scores[name] for name in ("auc", "f1", "brier")}

    return score


def regression_report(
    regressors: dict[str, Any], splits: dict[str, Split], params: Params
) -> tuple[dict[str, Any], RevenueDistribution]:
    """Validation, test and repeated-CV scores of every regressor, the served one, and its distribution.

    The served one is chosen by repeated-CV RMSE on the training rows
    (``models.choose_served``: by default the smallest within one standard error of the
    lowest). Its predictive
    distribution is calibrated on the validation split, which neither fitted nor chose
    it; ``HeldOutAnswers`` then measures it on the untouched test split.
    """
    train = splits["train"]
    report: dict[str, Any] = {"validation": {}, "test": {}, "cv_train": {}}
    for name, model in regressors.items():
        for part in ("validation", "test"):
            report[part][name] = regression_metrics(splits[part].log_revenue, predict_in_order(model, splits[part].X))
        report["cv_train"][name] = repeated_cv(
            model, train.X, train.log_revenue, regression_score, *cv_settings(params)
        )
    report["selection"] = choose_by_cv(report["cv_train"], regressors, params)
    report["selected"] = selected = report["selection"]["selected"]
    return report, calibrate_distribution(regressors[selected], splits["validation"], params)


def regression_plots(model: Any, test: Split, params: Params) -> Plots:
    predicted = predict_in_order(model, test.X)
    return {
        "predictions": pd.DataFrame(
            {"actual": test.log_revenue, "predicted": predicted, "residual": test.log_revenue - predicted}
        ).round(6),
        "regressor_importance": _importance(model, test, test.log_revenue, "neg_root_mean_squared_error", params),
    }


def classifier_report(classifier: Any, cv: dict, splits: dict[str, Split], params: Params) -> dict:
    """Test scores at the threshold in params, repeated-CV AUC/F1/Brier, and the C search."""
    threshold = params["classifier"]["threshold"]
    X_cv, _, hit_cv = train_and_validation(splits)
    test = splits["test"]
    proba = classifier.predict_proba(test.X)[:, 1]
    return {
        **cv,
        "threshold": threshold,
        "test": classification_metrics(test.is_hit, proba, threshold),
        "repeated_cv": repeated_cv(classifier, X_cv, hit_cv, _classifier_score(threshold), *cv_settings(params)),
    }


def classifier_plots(classifier: Any, cv: dict, test: Split, params: Params) -> Plots:
    threshold = params["classifier"]["threshold"]
    proba = classifier.predict_proba(test.X)[:, 1]
    fpr, tpr, _ = roc_curve(test.is_hit, proba)
    precision, recall, _ = precision_recall_curve(test.is_hit, proba)
    observed, predicted = calibration_curve(test.is_hit, proba, n_bins=10, strategy="quantile")
    labels = np.array(["flop", "hit"])
    return {
        "roc": pd.DataFrame({"fpr": fpr, "tpr": tpr}).round(6),
        "precision_recall": pd.DataFrame({"recall": recall, "precision": precision}).round(6),
        "confusion": pd.DataFrame(
            {"actual": labels[test.is_hit], "predicted": labels[(proba >= threshold).astype(int)]}
        ),
        "calibration": pd.DataFrame({"predicted": predicted, "observed": observed}).round(6),
        "classifier_importance": _importance(classifier, test, test.is_hit, "roc_auc", params),
        "cv_auc": pd.DataFrame([{"C": float(c), **scores} for c, scores in cv["cv"].items()]).sort_values("C"),
    }


def distribution_plots(answers: dict[str, HeldOutAnswers], slices: dict[str, dict]) -> Plots:
    """Interval coverage by budget band, and the reliability of both hit sources, for each of ``answers``.

    The keys are 'main' and 'pre_release' (test split) and 'forward' (pre-release, scored
    after the cutoff); the main classifier's reliability on test is ``calibration``.
    """
    plots = {}
    for name, answer in answers.items():
        suffix = "" if name == "main" else f"_{name}"
        rows = [{"band": row["slice"], "coverage": row["coverage"]} for row in slices[name]["budget"]]
        plots[f"coverage_by_band{suffix}"] = pd.DataFrame(rows)
        sources = answer.sources if name != "main" else {"distribution": answer.sources["distribution"]}
        for source, proba in sources.items():
            observed, predicted = calibration_curve(answer.split.is_hit, proba, n_bins=10, strategy="quantile")
            table = pd.DataFrame({"predicted": predicted, "observed": observed}).round(6)
            plots[f"calibration_{source}{suffix}"] = table
    return plots


def cv_reliability_plots(out_of_fold: dict[str, dict[str, np.ndarray]], loaded: dict) -> Plots:
    """Reliability of both hit sources in CV on train (out-of-fold, first repeat), per variant."""
    plots = {}
    for variant, sources in out_of_fold.items():
        hits = loaded[variant][0]["train"].is_hit
        for source, proba in sources.items():
            observed, predicted = calibration_curve(hits, proba, n_bins=10, strategy="quantile")
            table = pd.DataFrame({"predicted": predicted, "observed": observed}).round(6)
            plots[f"calibration_{source}_cv" + ("" if variant == "main" else f"_{variant}")] = table
    return plots


def compare_feature_sets(
    regressor: Any, classifier: Any, frames: dict[str, pd.DataFrame], params: Params, known_cv: dict[str, dict]
) -> dict:
    """Repeated-CV R2/RMSE (train rows, as the regressors) and AUC/F1 (train + validation, as the classifier).

    The served model types, on every feature set in params.

    ``known_cv`` maps a feature set to this same regressor's CV figures where a variant's
    report already has them; those are reused rather than refitted.
    """
    threshold = params["classifier"]["threshold"]
    train, rows = frames["train"], pd.concat([frames["train"], frames["validation"]])
    y, hit = train["log_revenue"].to_numpy(), rows["is_hit"].to_numpy()
    comparison = {}
    for name in params["features"]["sets"]:
        columns = expand_set(params, name)
        regression = known_cv.get(name)
        if regression is None:
            X_train = feature_matrix(train, columns)
            regression = repeated_cv(clone(regressor), X_train, y, regression_score, *cv_settings(params))
        X = feature_matrix(rows, columns)
        classification = repeated_cv(clone(classifier), X, hit, _classifier_score(threshold), *cv_settings(params))
        comparison[name] = {
            "n_features": X.shape[1],
            "r2": regression["r2"],
            "rmse": regression["rmse"],
            "auc": classification["auc"],
            "f1": classification["f1"],
        }
    return comparison


def _importance(model: Any, data: Split, target: np.ndarray, scoring: str, params: Params) -> pd.DataFrame:
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


def serving_section(
    variant: str, regression: dict, classification: dict, regressors: dict[str, Any], train: Split, params: Params
) -> dict:
    """What the service needs to load, run and describe one variant's models."""
    selected = regression["selected"]
    fitted = regressors[selected].get_params()
    return {
        "features": {"set": regression["feature_set"], "columns": train.features},
        "constant_dollars": in_constant_dollars(params, variant),
        "feature_means": [round(float(value), 10) for value in train.X.mean(axis=0)],
        "regressor": {
            "name": selected,
            "file": f"regressors/{variant}/{selected}.joblib",
            "params": {key: fitted[key] for key in params["regressors"][selected]},
            "validation": regression["validation"][selected],
            "test": regression["test"][selected],
            "cv_train": regression["cv_train"][selected],
            "interval": regression["interval"],
        },
        "classifier": {
            "file": f"classifiers/{variant}.joblib",
            "C": classification["best_C"],
            "calibration": classification["calibration"],
            "threshold": classification["threshold"],
            "cv_mean_auc": classification["cv"][c_key(classification["best_C"])]["mean_auc"],
            "test": classification["test"],
        },
    }


def population(splits: dict[str, Split], params: Params) -> dict[str, float | None]:
    """The hit rate the models learnt (train + validation) and the one to serve for (serve.population_hit_rate)."""
    rate = params["serve"]["population_hit_rate"]
    if rate is not None and not 0 < rate < 1:
        raise ValueError(f"serve.population_hit_rate must be between 0 and 1 (exclusive) or null, not {rate!r}")
    _, _, hits = train_and_validation(splits)
    return {"learnt_hit_rate": round(float(hits.mean()), 6), "hit_rate": rate}


def evaluate(
    loaded: dict[str, tuple[dict[str, Split], dict[str, Any], Any]], cv: dict, params: Params, films: pd.DataFrame
) -> dict[str, Any]:
    """The evaluate stage's results from each variant's (splits, regressors by name, classifier) and every film.

    ``films`` is featurize's ``all.csv``: the forward-in-time evaluation of the pre-release
    variant (``boxoffice.evaluation.forward``) rebuilds its models from the films before a cutoff.

    Returns {"metrics": {file name: report}, "plots": {name: table}, "serving": manifest}.
    The main variant's figures sit at the top level of the metrics files, the pre-release
    variant's under "pre_release"; plots and the feature-set comparison are about the
    main (/predict) models.
    """
    manifest: dict[str, Any] = {
        "hit_multiple": params["featurize"]["hit_multiple"],
        "featurize": params["featurize"],
        "hit_source": params["serve"]["hit_source"],
        "population": population(loaded["main"][0], params),
    }
    reports, answers, out_of_fold = {}, {}, {}
    for variant, (splits, regressors, classifier) in loaded.items():
        regression, distribution = regression_report(regressors, splits, params)
        served = regressors[regression["selected"]]
        answers[variant] = HeldOutAnswers.of(served, distribution, classifier, splits["test"], params)
        regression["feature_set"] = feature_set_name(params, variant)
        regression["interval"] = interval_report(answers[variant], distribution, params)
        regression["slices"] = slice_report(answers[variant], params)
        classification = classifier_report(classifier, cv[variant], splits, params)
        classification["hit_sources"] = hit_sources_report(answers[variant], params)
        classification["hit_sources"]["cv"], out_of_fold[variant] = hit_sources_cv(
            served, classifier, splits["train"], params
        )
        if any(column.startswith(TRACK_RECORD_PREFIXES) for column in splits["train"].features):
            regression["cv_track_record"] = {
                "shared": regression["cv_train"][regression["selected"]]["r2"],
                "per_fold": track_record_cv(served, splits["train"], params, variant),
            }
        reports[variant] = (regression, classification)
        manifest[variant] = {
            **serving_section(variant, regression, classification, regressors, splits["train"], params),
            "distribution": distribution.to_json(),
        }

    pre_regression, pre_classification = reports["pre_release"]
    pre_regression["forward"], answers["forward"] = forward_report(films, params)
    slices = {variant: report[0]["slices"] for variant, report in reports.items()}
    (splits, regressors, classifier), (regression, classification) = loaded["main"], reports["main"]
    served = regressors[regression["selected"]]
    plots = {
        **regression_plots(served, splits["test"], params),
        **classifier_plots(classifier, cv["main"], splits["test"], params),
        **distribution_plots(answers, {**slices, "forward": pre_regression["forward"]["slices"]}),
        **cv_reliability_plots(out_of_fold, loaded),
    }
    # Where a variant's report already cross-validated this same regressor on its feature set, reuse it.
    name = regression["selected"]
    known_cv = {
        reports[variant][0]["feature_set"]: reports[variant][0]["cv_train"][name]
        for variant, (_, variant_regressors, _) in loaded.items()
        if variant_regressors[name].get_params() == served.get_params() and not in_constant_dollars(params, variant)
    }
    frames = {split_name: split.frame for split_name, split in splits.items()}
    regression_file = {**regression, "pre_release": pre_regression}
    classifier_file = {**classification, "pre_release": pre_classification}
    metrics = {
        "regression": regression_file,
        "classifier": classifier_file,
        "headline": headline(regression_file, classifier_file),
        "feature_sets": compare_feature_sets(served, classifier, frames, params, known_cv),
    }
    return {"metrics": metrics, "plots": plots, "serving": manifest}
