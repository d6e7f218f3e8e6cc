"""cv-classifier: pick the logistic regression's C by K-fold ROC AUC, refit, save; and its forward twin.

Usage: python -m stages.cv_classifier FEATURES_DIR MODELS_DIR CV_REPORT_JSON
For each variant (main, pre_release): cross-validates on train + validation (the test
split stays untouched for evaluate), refits with the best C, calibrates the
probabilities when classifier.calibration asks for it, saves MODELS_DIR/VARIANT.joblib,
and scores the refitted classifier by repeated K-fold CV (evaluate's settings). The
metrics compare out-of-fold Brier scores before and after calibration.
Then the forward-in-time evaluation's classifier: the same search on the films released
before evaluate.forward_cutoff, saved as MODELS_DIR/forward.joblib.
"""

import argparse
from pathlib import Path

from boxoffice.features.sets import VARIANTS
from boxoffice.features.splits import load_split, train_and_validation
from boxoffice.io import read_csv, save_model, write_json
from boxoffice.modeling.fitting import c_key, fit_hit_classifier
from boxoffice.modeling.forward import fit_forward_classifier, forward_splits
from boxoffice.modeling.training import classifier_cv
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
        report[variant]["repeated_cv"] = classifier_cv(model, X, y, params)
        best_c = report[variant]["best_C"]
        auc = report[variant]["cv"][c_key(best_c)]["mean_auc"]
        print(f"cv-classifier: {variant}: best C = {best_c} (mean AUC {auc:.4f})")

    fit, calibration, _ = forward_splits(read_csv(args.features_dir / "all.csv"), params)
    model, best_c = fit_forward_classifier(fit, calibration, params)
    save_model(args.models_dir / "forward.joblib", model)
    report["forward"] = {"best_C": best_c}
    print(f"cv-classifier: forward: best C = {best_c}")
    write_json(args.metrics, report)


if __name__ == "__main__":
    main()
