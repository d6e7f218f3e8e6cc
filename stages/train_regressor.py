"""train-regressors@MODEL-VARIANT: fit one regressor on train (its grid searched by K-fold CV), then score it.

Usage: python -m stages.train_regressor MODEL VARIANT FEATURES_DIR MODEL_FILE SCORES_JSON GRID_CSV
VARIANT is 'main' (the feature set in features.set, served by /predict) or
'pre_release' (served by /predict/pre_release). SCORES_JSON holds what the later stages
need of this one model, so that a change to another model re-runs none of its work:
its chosen grid point, its file's size, its repeated-CV scores on train (which choose
the served model) and its validation and test scores (reported only).
"""

import argparse
from pathlib import Path

from boxoffice.evaluation.model_scores import fit_and_score, held_out_scores
from boxoffice.features.splits import load_split
from boxoffice.io import load_model, save_model, write_csv, write_json
from boxoffice.modeling.metrics import regression_metrics
from boxoffice.modeling.selection import model_bytes
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

    splits = {
        name: load_split(args.features_dir, name, params, args.variant) for name in ("train", "validation", "test")
    }
    train = splits["train"]
    fitted, scores, grid = fit_and_score(args.model, splits, params)
    save_model(args.model_file, fitted)
    model = load_model(args.model_file)  # scored and weighed as the later stages and the service load it
    write_csv(args.grid, grid)
    write_json(
        args.metrics,
        {
            "chosen": scores["chosen"],
            "train": regression_metrics(train.log_revenue, model.predict(train.X)),
            "bytes": model_bytes(args.model_file),
            **held_out_scores(model, splits),
            "cv_train": scores["cv_train"],
        },
    )
    print(f"train-regressors@{args.model}-{args.variant}: {len(grid)} grid point(s), chose {scores['chosen']}")


if __name__ == "__main__":
    main()
