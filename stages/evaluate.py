"""evaluate: score every model, pick the regressors to serve, write metrics and plots.

Usage: python stages/evaluate.py FEATURES_DIR MODELS_DIR METRICS_DIR PLOTS_DIR
Writes METRICS_DIR/{regression,classifier,feature_sets}.json (the detailed reports),
METRICS_DIR/headline.json (the few figures DVC shows as metrics), PLOTS_DIR/*.csv and
MODELS_DIR/serving.json (what the service loads). The main variant's figures sit at
the top level of the metrics files, the pre-release variant's under "pre_release".
"""

import argparse
from pathlib import Path
from typing import Any

from boxoffice.evaluation import (
    classifier_plots,
    classifier_report,
    compare_feature_sets,
    regression_plots,
    regression_report,
    serving_section,
)
from boxoffice.feature_sets import VARIANTS, feature_set_name
from boxoffice.headline import headline
from boxoffice.io import load_model, read_json, write_csv, write_json
from boxoffice.params import load_params
from boxoffice.splits import load_split


def load_variant(features_dir: Path, models_dir: Path, params: dict, variant: str) -> tuple[dict, dict, Any]:
    """The variant's three splits, its regressors by name, and its classifier."""
    splits = {name: load_split(features_dir, name, params, variant) for name in ("train", "validation", "test")}
    folder = models_dir / "regressors" / variant
    regressors = {name: load_model(folder / f"{name}.joblib") for name in params["regressors"]["models"]}
    return splits, regressors, load_model(models_dir / "classifiers" / f"{variant}.joblib")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("features_dir", type=Path)
    parser.add_argument("models_dir", type=Path)
    parser.add_argument("metrics_dir", type=Path)
    parser.add_argument("plots_dir", type=Path)
    args = parser.parse_args()
    params = load_params()
    cv = read_json(args.metrics_dir / "classifier_cv.json")

    loaded = {variant: load_variant(args.features_dir, args.models_dir, params, variant) for variant in VARIANTS}
    reports, manifest = {}, {"hit_multiple": params["featurize"]["hit_multiple"], "featurize": params["featurize"]}
    for variant, (splits, regressors, classifier) in loaded.items():
        regression = {**regression_report(regressors, splits, params), "feature_set": feature_set_name(params, variant)}
        classification = classifier_report(classifier, cv[variant], splits, params)
        reports[variant] = (regression, classification)
        manifest[variant] = serving_section(variant, regression, classification, regressors, splits["train"], params)

    # Plots and the feature-set comparison are about the main (/predict) models.
    (splits, regressors, classifier), (regression, classification) = loaded["main"], reports["main"]
    served = regressors[regression["selected"]]
    plots = {
        **regression_plots(served, splits["test"], params),
        **classifier_plots(classifier, cv["main"], splits["test"], params),
    }
    # Where a variant's report already cross-validated this same regressor on its feature set, reuse it.
    name = regression["selected"]
    known_cv = {
        reports[variant][0]["feature_set"]: reports[variant][0]["cv"][name]
        for variant, (_, variant_regressors, _) in loaded.items()
        if variant_regressors[name].get_params() == served.get_params()
    }
    frames = {name: split.frame for name, split in splits.items()}
    feature_sets = compare_feature_sets(served, classifier, frames, params, known_cv)

    pre_regression, pre_classification = reports["pre_release"]
    for name, table in plots.items():
        write_csv(args.plots_dir / f"{name}.csv", table)
    regression_file = {**regression, "pre_release": pre_regression}
    classifier_file = {**classification, "pre_release": pre_classification}
    write_json(args.metrics_dir / "regression.json", regression_file)
    write_json(args.metrics_dir / "classifier.json", classifier_file)
    write_json(args.metrics_dir / "headline.json", headline(regression_file, classifier_file))
    write_json(args.metrics_dir / "feature_sets.json", feature_sets)
    write_json(args.models_dir / "serving.json", manifest)
    print(
        f"evaluate: serving {regression['selected']} (main) and {pre_regression['selected']} (pre-release); "
        f"classifier test AUC {classification['test']['auc']:.4f}"
    )


if __name__ == "__main__":
    main()
