"""The evaluate stage's logic: what the earlier stages computed, put together into reports, plots and the manifest.

Light by design: every model was fitted and cross-validated in its own stage, and the
served model's own cross-validation in ``served@VARIANT``. Here the served models'
distributions are calibrated on validation and the held-out answers measured.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
from sklearn.calibration import calibration_curve
from sklearn.metrics import precision_recall_curve, roc_curve

from boxoffice.evaluation.comps_forward import comps_forward_report
from boxoffice.evaluation.forward_scores import forward_report
from boxoffice.evaluation.headline import headline
from boxoffice.evaluation.held_out import (
    HeldOutAnswers,
    calibrate_distribution,
    hit_sources_report,
    interval_report,
    predict_in_order,
    slice_report,
)
from boxoffice.evaluation.served import load_pinned
from boxoffice.evaluation.whatif import whatif_report
from boxoffice.features.sets import VARIANTS, feature_set_name, in_constant_dollars
from boxoffice.features.splits import Split, load_split, train_and_validation
from boxoffice.io import load_model, read_csv, read_json
from boxoffice.modeling.comps import candidate_table
from boxoffice.modeling.fitting import c_key
from boxoffice.modeling.forward import forward_splits
from boxoffice.modeling.metrics import classification_metrics
from boxoffice.modeling.smoothing import settings_of
from boxoffice.params import Params
from boxoffice.prediction.manifest import ServingManifest

Plots = dict[str, pd.DataFrame]


def regression_report(scores: dict[str, dict[str, Any]], selection: dict[str, Any]) -> dict[str, Any]:
    """Validation, test and repeated-CV scores of every regressor (their own stages' outputs) and the choice.

    The served one was chosen by repeated-CV RMSE on the training rows (the select stage,
    ``modeling.selection.choose_regressor``: by default the smallest within one standard
    error of the lowest). Its predictive distribution is calibrated on the validation
    split, which neither fitted nor chose it; ``HeldOutAnswers`` then measures it on the
    untouched test split.
    """
    report: dict[str, Any] = {
        part: {name: entry[part] for name, entry in scores.items()} for part in ("validation", "test", "cv_train")
    }
    report["selection"] = selection
    report["selected"] = selection["selected"]
    return report


def regression_plots(model: Any, test: Split, served: dict[str, Any]) -> Plots:
    predicted = predict_in_order(model, test.X)
    return {
        "predictions": pd.DataFrame(
            {"actual": test.log_revenue, "predicted": predicted, "residual": test.log_revenue - predicted}
        ).round(6),
        "regressor_importance": pd.DataFrame(served["regressor_importance"]),
    }


def classifier_report(classifier: Any, cv: dict, test: Split, params: Params) -> dict:
    """The cv-classifier stage's C search, test scores at the threshold in params, and its repeated-CV scores."""
    threshold = params["classifier"]["threshold"]
    proba = classifier.predict_proba(test.X)[:, 1]
    return {
        **{key: value for key, value in cv.items() if key != "repeated_cv"},
        "threshold": threshold,
        "test": classification_metrics(test.is_hit, proba, threshold),
        "repeated_cv": cv["repeated_cv"],
    }


def classifier_plots(classifier: Any, cv: dict, test: Split, served: dict[str, Any], params: Params) -> Plots:
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
        "classifier_importance": pd.DataFrame(served["classifier_importance"]),
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


def cv_reliability_plots(out_of_fold: dict[str, dict[str, list[float]]], loaded: dict) -> Plots:
    """Reliability of both hit sources in CV on train (out-of-fold, first repeat), per variant."""
    plots = {}
    for variant, sources in out_of_fold.items():
        hits = loaded[variant][0]["train"].is_hit
        for source, proba in sources.items():
            observed, predicted = calibration_curve(hits, proba, n_bins=10, strategy="quantile")
            table = pd.DataFrame({"predicted": predicted, "observed": observed}).round(6)
            plots[f"calibration_{source}_cv" + ("" if variant == "main" else f"_{variant}")] = table
    return plots


def serving_section(
    variant: str, regression: dict, classification: dict, regressor: Any, train: Split, params: Params, chosen: dict
) -> dict:
    """What the service needs to load, run and describe one variant's models (``regressor``: the served one).

    ``chosen``: the served type's grid point (its train-regressors scores), whose keys are its
    params.yaml keys; read there, not from params.yaml, so evaluate does not depend on every model's params.
    """
    selected = regression["selected"]
    fitted = settings_of(regressor)
    return {
        "features": {"set": regression["feature_set"], "columns": train.features},
        "constant_dollars": in_constant_dollars(params, variant),
        "feature_means": [round(float(value), 10) for value in train.X.mean(axis=0)],
        "regressor": {
            "name": selected,
            "file": f"regressors/{variant}/{selected}.joblib",
            "params": {key: fitted[key] for key in chosen},
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


def load_inputs(features_dir: Path, models_dir: Path, scores_dir: Path, params: Params) -> dict[str, Any]:
    """``evaluate``'s arguments, read from the earlier stages' outputs (the stage is this plus writing).

    ``scores_dir`` (``data/scores``) holds their small results, in DVC's cache like every
    output of those stages, so DVC's run-cache can restore them.
    """
    models = params["regressors"]["models"]
    pins = read_json(models_dir / "selection.json")

    def scores(folder: str) -> dict[str, dict[str, Any]]:
        return {name: read_json(scores_dir / folder / f"{name}.json") for name in models}

    def classifier(name: str) -> Any:
        return load_model(models_dir / "classifiers" / f"{name}.joblib")

    films = read_csv(features_dir / "all.csv")
    return {
        "loaded": {
            variant: (
                {name: load_split(features_dir, name, params, variant) for name in ("train", "validation", "test")},
                load_pinned(models_dir, variant, pins[variant]),
                classifier(variant),
            )
            for variant in VARIANTS
        },
        "scores": {variant: scores(f"regressors/{variant}") for variant in VARIANTS},
        "cv": read_json(scores_dir / "classifier_cv.json"),
        "selection": read_json(scores_dir / "selection.json"),
        "pins": pins,
        "served": {variant: read_json(scores_dir / "served" / f"{variant}.json") for variant in VARIANTS},
        "forward": Forward(
            splits=forward_splits(films, params),
            regressor=load_pinned(models_dir, "forward", pins["forward"]),
            classifier=classifier("forward"),
            scores=scores("forward"),
        ),
        "films": films,
        "params": params,
    }


@dataclass(frozen=True)
class Forward:
    """The forward-in-time rebuild's pieces, from their own stages."""

    splits: tuple[Split, Split, Split]  # fit, calibration, scored (``forward.forward_splits``)
    regressor: Any  # the select stage's choice among the train-regressors@MODEL stages
    classifier: Any  # cv-classifier's forward.joblib
    scores: dict[str, dict[str, Any]]  # train-regressors@MODEL's forward outputs, by model


def evaluate(
    loaded: dict[str, tuple[dict[str, Split], Any, Any]],
    scores: dict[str, dict[str, dict[str, Any]]],
    cv: dict,
    selection: dict[str, dict[str, Any]],
    pins: dict[str, dict[str, Any]],
    served: dict[str, dict[str, Any]],
    forward: Forward,
    films: pd.DataFrame,
    params: Params,
) -> dict[str, Any]:
    """The evaluate stage's results from what the stages before it computed.

    ``loaded``: each variant's (splits, served regressor, classifier); ``scores``: each
    variant's per-model outputs (train-regressors); ``cv``: cv-classifier's report;
    ``selection`` and ``pins``: the select stage's reports and pins (with the forward
    rebuild's under "forward"); ``served``: each variant's served@VARIANT report;
    ``forward``: the forward-in-time rebuild (``boxoffice.modeling.forward``, scored by
    ``boxoffice.evaluation.forward_scores``);
    ``films``: every film's features as of its own release date (featurize's all.csv).

    Returns {"metrics": {file name: report}, "plots": {name: table}, "serving": the manifest (``ServingManifest``),
    "comps": {variant: candidate table}}: /predict's comps come from the films its models
    were fitted on (train), /predict/pre_release's from every film with a known revenue
    (each asked film sees only those released before it).
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
    for variant, (splits, regressor, classifier) in loaded.items():
        regression = regression_report(scores[variant], selection[variant])
        distribution = calibrate_distribution(regressor, splits["validation"], params)
        answers[variant] = HeldOutAnswers.of(regressor, distribution, classifier, splits["test"], params)
        regression["feature_set"] = feature_set_name(params, variant)
        regression["interval"] = interval_report(answers[variant], distribution, params)
        regression["slices"] = slice_report(answers[variant], params)
        classification = classifier_report(classifier, cv[variant], splits["test"], params)
        classification["hit_sources"] = hit_sources_report(answers[variant], params)
        classification["hit_sources"]["cv"] = served[variant]["hit_sources_cv"]
        out_of_fold[variant] = served[variant]["out_of_fold"]
        if "track_record_cv" in served[variant]:
            regression["cv_track_record"] = {
                "shared": regression["cv_train"][regression["selected"]]["r2"],
                "per_fold": served[variant]["track_record_cv"],
            }
        reports[variant] = (regression, classification)
        if variant == "pre_release":
            whatif = whatif_report(regressor, distribution, splits["validation"], params)
        manifest[variant] = {
            **serving_section(
                variant,
                regression,
                classification,
                regressor,
                splits["train"],
                params,
                scores[variant][regression["selected"]]["chosen"],
            ),
            "distribution": distribution.to_json(),
        }

    pre_regression, pre_classification = reports["pre_release"]
    cv_rmse = {name: entry["cv"]["rmse"]["mean"] for name, entry in forward.scores.items()}
    pre_regression["forward"], answers["forward"] = forward_report(
        forward.splits, forward.regressor, pins["forward"], cv_rmse, forward.classifier, cv["forward"]["best_C"], params
    )
    pre_regression["forward"]["comps"] = comps_forward_report(forward.splits, forward.regressor, params)
    manifest["forward"] = trust(pre_regression["forward"], params)
    comps = {"main": candidate_table(loaded["main"][0]["train"].frame, params, "main")}
    comps["pre_release"] = candidate_table(films, params, "pre_release")
    for variant, table in comps.items():
        manifest[variant]["comps"] = {"file": f"comps/{variant}.csv", "films": len(table), "by_date": variant != "main"}
    slices = {variant: report[0]["slices"] for variant, report in reports.items()}
    (splits, regressor, classifier), (regression, classification) = loaded["main"], reports["main"]
    plots = {
        **regression_plots(regressor, splits["test"], served["main"]),
        **classifier_plots(classifier, cv["main"], splits["test"], served["main"], params),
        **distribution_plots(answers, {**slices, "forward": pre_regression["forward"]["slices"]}),
        **cv_reliability_plots(out_of_fold, loaded),
    }
    regression_file = {**regression, "pre_release": pre_regression}
    classifier_file = {**classification, "pre_release": pre_classification}
    metrics = {
        "regression": regression_file,
        "classifier": classifier_file,
        "headline": headline(regression_file, classifier_file),
        "feature_sets": served["main"]["feature_sets"],
        "whatif": whatif,
    }
    return {"metrics": metrics, "plots": plots, "serving": ServingManifest.model_validate(manifest), "comps": comps}


def trust(forward: dict[str, Any], params: Params) -> dict[str, Any]:
    """How the pre-release answers fared forward in time: the figures a person should weigh them by."""
    served = params["serve"]["hit_source"]
    hit_sources = forward["hit_sources"]
    return {
        "cutoff": forward["cutoff"],
        "films": forward["films"]["scored"],
        "r2": forward["scored"]["r2"],
        "interval_coverage": forward["interval"]["test_coverage"],
        "nominal_coverage": forward["interval"]["coverage"],
        "hit_auc": hit_sources[served]["auc"],
        "hit_source": served,
        "comps_median_r2": {n: entry["r2"] for n, entry in forward["comps"]["comps_median"].items()},
    }
