"""cv-classifier: pick the logistic regression's C by K-fold ROC AUC, refit, save.

Usage: python stages/cv_classifier.py FEATURES_DIR MODEL_FILE CV_METRICS_JSON
Cross-validates on train + validation; the test split stays untouched for evaluate.
"""

import argparse
from pathlib import Path

import numpy as np

from boxoffice.dataset import load_split
from boxoffice.io import save_model, write_json
from boxoffice.models import c_key, cross_validate_c, make_classifier
from boxoffice.params import load_params


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("features_dir", type=Path)
    parser.add_argument("model_file")
    parser.add_argument("metrics")
    args = parser.parse_args()
    params = load_params()
    config = params["classifier"]

    parts = [load_split(args.features_dir, name, params) for name in ("train", "validation")]
    X = np.vstack([part.X for part in parts])
    y = np.concatenate([part.is_hit for part in parts])
    table, best_c = cross_validate_c(X, y, config["C"], config["folds"], config["random_state"], config["max_iter"])
    model = make_classifier(best_c, config["max_iter"]).fit(X, y)

    save_model(args.model_file, model)
    write_json(args.metrics, {"cv": table, "best_C": best_c})
    print(f"cv-classifier: best C = {best_c} (mean AUC {table[c_key(best_c)]['mean_auc']:.4f})")


if __name__ == "__main__":
    main()
