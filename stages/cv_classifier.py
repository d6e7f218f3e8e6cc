"""cv-classifier: pick the logistic regression's C by K-fold ROC AUC, refit, save.

Usage: python -m stages.cv_classifier FEATURES_DIR MODELS_DIR CV_METRICS_JSON
For each variant (main, pre_release): cross-validates on train + validation (the test
split stays untouched for evaluate), refits with the best C, calibrates the
probabilities when classifier.calibration asks for it, and saves
MODELS_DIR/VARIANT.joblib. The metrics compare out-of-fold Brier scores before and
after calibration.
"""

import argparse
from pathlib import Path

from boxoffice.features.sets import VARIANTS
from boxoffice.features.splits import load_split, train_and_validation
from boxoffice.io import save_model, write_json
from boxoffice.modeling.fitting import c_key, fit_hit_classifier
from boxoffice.params import load_params


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("features_dir", type=Path)
    parser.add_argument("models_dir", type=Path)
    parser.add_argument("metrics")
    args = parser.parse_args()
    params = load_params()
    report = {}
    for variant in VARIANTS:
        splits = {name: load_split(args.features_dir, name, params, variant) for name in ("train", "validation")}
        X, _, y = train_and_validation(splits)
        model, report[variant] = fit_hit_classifier(X, y, params["classifier"])
        save_model(args.models_dir / f"{variant}.joblib", model)
        best_c = report[variant]["best_C"]
        auc = report[variant]["cv"][c_key(best_c)]["mean_auc"]
        print(f"cv-classifier: {variant}: best C = {best_c} (mean AUC {auc:.4f})")

    write_json(args.metrics, report)


if __name__ == "__main__":
    main()
