"""evaluate: put the earlier stages' results together; calibrate and measure the served models; write reports.

Usage: python -m stages.evaluate FEATURES_DIR MODELS_DIR SCORES_DIR METRICS_DIR PLOTS_DIR
Reads what the earlier stages left in SCORES_DIR (the per-model scores in regressors/ and
forward/, the classifier's classifier_cv.json, the select stage's selection.json and the
served models' served/VARIANT.json) and the models they pinned (MODELS_DIR/selection.json).
Writes METRICS_DIR/{regression,classifier,feature_sets}.json (the detailed reports),
METRICS_DIR/headline.json (the few figures DVC shows as metrics), PLOTS_DIR/*.csv and
MODELS_DIR/serving.json and MODELS_DIR/comps/VARIANT.csv (what the service loads:
the manifest, and the films comps are drawn from). The main variant's figures sit at
the top level of the metrics files, the pre-release variant's under "pre_release".
"""

import argparse
from pathlib import Path

from boxoffice.evaluation.evaluate import evaluate, load_inputs
from boxoffice.io import write_csv, write_json
from boxoffice.params import load_params
from boxoffice.prediction.manifest import MANIFEST


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("features_dir", type=Path)
    parser.add_argument("models_dir", type=Path)
    parser.add_argument("scores_dir", type=Path)
    parser.add_argument("metrics_dir", type=Path)
    parser.add_argument("plots_dir", type=Path)
    args = parser.parse_args()
    params = load_params()
    results = evaluate(**load_inputs(args.features_dir, args.models_dir, args.scores_dir, params))

    for name, table in results["plots"].items():
        write_csv(args.plots_dir / f"{name}.csv", table)
    for name, report in results["metrics"].items():
        write_json(args.metrics_dir / f"{name}.json", report)
    for variant, table in results["comps"].items():
        write_csv(args.models_dir / "comps" / f"{variant}.csv", table)
    write_json(args.models_dir / MANIFEST, results["serving"].to_json())
    regression, classifier = results["metrics"]["regression"], results["metrics"]["classifier"]
    print(
        f"evaluate: serving {regression['selected']} (main) and {regression['pre_release']['selected']} "
        f"(pre-release); classifier test AUC {classifier['test']['auc']:.4f}"
    )


if __name__ == "__main__":
    main()
