"""train-regressors@MODEL-VARIANT: fit one regressor on train, its grid (if any) searched by K-fold CV on train.

Usage: python -m stages.train_regressor MODEL VARIANT FEATURES_DIR MODEL_FILE METRICS_JSON GRID_CSV
VARIANT is 'main' (the feature set in features.set, served by /predict) or
'pre_release' (served by /predict/pre_release).
"""

import argparse
from pathlib import Path

from boxoffice.features.splits import load_split
from boxoffice.io import save_model, write_csv, write_json
from boxoffice.modeling.fitting import fit_regressor
from boxoffice.modeling.metrics import regression_metrics
from boxoffice.params import load_params


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("model")
    parser.add_argument("variant")
    parser.add_argument("features_dir", type=Path)
    parser.add_argument("model_file")
    parser.add_argument("metrics")
    parser.add_argument("grid")
    args = parser.parse_args()
    params = load_params()

    train = load_split(args.features_dir, "train", params, args.variant)
    search = params["regressors"]["search"]
    grid_params = params["regressors"][args.model]
    model, chosen, grid = fit_regressor(
        args.model, grid_params, train.X, train.log_revenue, search["folds"], search["random_state"], search["n_jobs"]
    )

    save_model(args.model_file, model)
    write_csv(args.grid, grid)
    write_json(args.metrics, {"chosen": chosen, "train": regression_metrics(train.log_revenue, model.predict(train.X))})
    print(f"train-regressors@{args.model}-{args.variant}: {len(grid)} grid point(s), chose {chosen}")


if __name__ == "__main__":
    main()
