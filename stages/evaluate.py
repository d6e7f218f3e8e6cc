"""evaluate: score every model, pick the regressors to serve, write metrics and plots.

Usage: python -m stages.evaluate FEATURES_DIR MODELS_DIR METRICS_DIR PLOTS_DIR
Writes METRICS_DIR/{regression,classifier,feature_sets}.json (the detailed reports),
METRICS_DIR/headline.json (the few figures DVC shows as metrics), PLOTS_DIR/*.csv and
MODELS_DIR/serving.json (what the service loads). The main variant's figures sit at
the top level of the metrics files, the pre-release variant's under "pre_release".
"""

import argparse
from pathlib import Path
from typing import Any

from boxoffice.evaluation.evaluate import evaluate
from boxoffice.features.sets import VARIANTS
from boxoffice.features.splits import load_split
from boxoffice.io import load_model, read_csv, read_json, write_csv, write_json
from boxoffice.params import load_params


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
    results = evaluate(loaded, cv, params, read_csv(args.features_dir / "all.csv"))

    for name, table in results["plots"].items():
        write_csv(args.plots_dir / f"{name}.csv", table)
    for name, report in results["metrics"].items():
        write_json(args.metrics_dir / f"{name}.json", report)
    write_json(args.models_dir / "serving.json", results["serving"])
    regression, classifier = results["metrics"]["regression"], results["metrics"]["classifier"]
    print(
        f"evaluate: serving {regression['selected']} (main) and {regression['pre_release']['selected']} "
        f"(pre-release); classifier test AUC {classifier['test']['auc']:.4f}"
    )


if __name__ == "__main__":
    main()
