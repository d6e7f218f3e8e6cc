"""train-regressors@MODEL: one regressor type's every fit and score, for both variants and the forward rebuild.

Usage: python -m stages.train_regressor MODEL FEATURES_DIR MODELS_DIR SCORES_DIR GRID_DIR
For each variant, 'main' (the feature set in features.set, served by /predict) and
'pre_release' (served by /predict/pre_release): the type fitted on train (its grid
searched by K-fold CV) into MODELS_DIR/regressors/VARIANT/MODEL.joblib, its search table
into GRID_DIR/VARIANT/MODEL.csv, and SCORES_DIR/regressors/VARIANT/MODEL.json: its chosen
grid point, its file's size, its repeated-CV scores on train (which choose the served
model) and its validation and test scores (reported only). Then the forward-in-time
rebuild (``boxoffice.evaluation.forward``): the same grid and repeated CV on the films
released before the cutoff, into MODELS_DIR/forward/MODEL.joblib and
SCORES_DIR/forward/MODEL.json.

One stage per type, not per type and variant: a stage's start-up (Python, scikit-learn,
DVC's bookkeeping) costs about two seconds, which three stages per type paid three times,
and a type's parameters re-run all three parts anyway.
"""

import argparse
from pathlib import Path

from boxoffice.evaluation.forward import fit_forward_regressor, forward_splits
from boxoffice.evaluation.model_scores import fit_and_score, held_out_scores
from boxoffice.features.sets import VARIANTS
from boxoffice.features.splits import load_split
from boxoffice.io import load_model, read_csv, save_model, write_csv, write_json
from boxoffice.modeling.metrics import regression_metrics
from boxoffice.modeling.selection import model_bytes
from boxoffice.params import Params, load_params


def train_variant(model: str, variant: str, args: argparse.Namespace, params: Params) -> None:
    splits = {name: load_split(args.features_dir, name, params, variant) for name in ("train", "validation", "test")}
    train = splits["train"]
    fitted, scores, grid = fit_and_score(model, splits, params)
    model_file = args.models_dir / "regressors" / variant / f"{model}.joblib"
    save_model(model_file, fitted)
    saved = load_model(model_file)  # scored and weighed as the later stages and the service load it
    write_csv(args.grid_dir / variant / f"{model}.csv", grid)
    write_json(
        args.scores_dir / "regressors" / variant / f"{model}.json",
        {
            "chosen": scores["chosen"],
            "train": regression_metrics(train.log_revenue, saved.predict(train.X)),
            "bytes": model_bytes(model_file),
            **held_out_scores(saved, splits),
            "cv_train": scores["cv_train"],
        },
    )
    print(f"train-regressors@{model} {variant}: {len(grid)} grid point(s), chose {scores['chosen']}")


def train_forward(model: str, args: argparse.Namespace, params: Params) -> None:
    fit, _, _ = forward_splits(read_csv(args.features_dir / "all.csv"), params)
    fitted, chosen, cv = fit_forward_regressor(model, fit, params)
    model_file = args.models_dir / "forward" / f"{model}.joblib"
    save_model(model_file, fitted)
    write_json(
        args.scores_dir / "forward" / f"{model}.json", {"chosen": chosen, "bytes": model_bytes(model_file), "cv": cv}
    )
    print(f"train-regressors@{model} forward: {len(fit.X)} films before the cutoff, chose {chosen}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("model")
    parser.add_argument("features_dir", type=Path)
    parser.add_argument("models_dir", type=Path)
    parser.add_argument("scores_dir", type=Path)
    parser.add_argument("grid_dir", type=Path)
    args = parser.parse_args()
    params = load_params()
    for variant in VARIANTS:
        train_variant(args.model, variant, args, params)
    train_forward(args.model, args, params)


if __name__ == "__main__":
    main()
