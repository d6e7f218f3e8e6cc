"""cv-classifier: pick the logistic regression's C by K-fold ROC AUC, refit, save.

Usage: python stages/cv_classifier.py FEATURES_DIR MODELS_DIR CV_METRICS_JSON
For each variant (main, pre_release): cross-validates on train + validation (the test
split stays untouched for evaluate), refits with the best C, calibrates the
probabilities when classifier.calibration asks for it, and saves
MODELS_DIR/VARIANT.joblib. The metrics compare out-of-fold Brier scores before and
after calibration.
"""

import argparse
from pathlib import Path

from sklearn.metrics import brier_score_loss

from boxoffice.feature_sets import VARIANTS
from boxoffice.io import save_model, write_json
from boxoffice.models import c_key, calibrated, cross_validate_c, make_classifier, out_of_fold_proba
from boxoffice.params import load_params
from boxoffice.splits import load_split, train_and_validation


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("features_dir", type=Path)
    parser.add_argument("models_dir", type=Path)
    parser.add_argument("metrics")
    args = parser.parse_args()
    params = load_params()
    config = params["classifier"]
    folds, seed, method = config["folds"], config["random_state"], config["calibration"]

    report = {}
    for variant in VARIANTS:
        splits = {name: load_split(args.features_dir, name, params, variant) for name in ("train", "validation")}
        X, _, y = train_and_validation(splits)
        table, best_c = cross_validate_c(X, y, config["C"], folds, seed, config["max_iter"])
        raw = make_classifier(best_c, config["max_iter"])
        served = calibrated(raw, method, folds, seed)
        brier = {"uncalibrated": brier_score_loss(y, out_of_fold_proba(raw, X, y, folds, seed))}
        if method != "none":
            brier[method] = brier_score_loss(y, out_of_fold_proba(served, X, y, folds, seed))
        save_model(args.models_dir / f"{variant}.joblib", served.fit(X, y))
        report[variant] = {
            "cv": table,
            "best_C": best_c,
            "calibration": method,
            "brier_cv": {name: round(float(value), 6) for name, value in brier.items()},
        }
        print(f"cv-classifier: {variant}: best C = {best_c} (mean AUC {table[c_key(best_c)]['mean_auc']:.4f})")

    write_json(args.metrics, report)


if __name__ == "__main__":
    main()
