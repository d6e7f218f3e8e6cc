"""evaluate: score every model, pick the regressor to serve, write metrics and plots.

Usage: python stages/evaluate.py FEATURES_DIR MODELS_DIR METRICS_DIR PLOTS_DIR
Writes METRICS_DIR/{regression,classifier}.json, PLOTS_DIR/*.csv and
MODELS_DIR/serving.json (what the service loads).
"""

import argparse
from pathlib import Path

from boxoffice.dataset import load_split
from boxoffice.evaluation import classifier_report, regression_report, serving_manifest
from boxoffice.io import load_model, read_json, write_csv, write_json
from boxoffice.params import load_params


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("features_dir", type=Path)
    parser.add_argument("models_dir", type=Path)
    parser.add_argument("metrics_dir", type=Path)
    parser.add_argument("plots_dir", type=Path)
    args = parser.parse_args()
    params = load_params()

    splits = {name: load_split(args.features_dir, name, params) for name in ("train", "validation", "test")}
    regressors = {
        name: load_model(args.models_dir / "regressors" / f"{name}.joblib") for name in params["regressors"]["models"]
    }
    classifier = load_model(args.models_dir / "classifier.joblib")
    cv = read_json(args.metrics_dir / "classifier_cv.json")

    regression, regression_plots = regression_report(regressors, splits, params)
    classification, classifier_plots = classifier_report(classifier, cv, splits, params)

    for name, table in {**regression_plots, **classifier_plots}.items():
        write_csv(args.plots_dir / f"{name}.csv", table)
    write_json(args.metrics_dir / "regression.json", regression)
    write_json(args.metrics_dir / "classifier.json", classification)
    write_json(args.models_dir / "serving.json", serving_manifest(regression, classification, params, regressors))
    print(f"evaluate: serving {regression['selected']}; classifier test AUC {classification['test']['auc']:.4f}")


if __name__ == "__main__":
    main()
