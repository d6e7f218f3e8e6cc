"""train-regressors@MODEL-VARIANT and train-forward@MODEL: one regressor type's fit and scores for one variant.

Usage: python -m stages.train_regressor MODEL VARIANT FEATURES_DIR MODELS_DIR SCORES_DIR GRID_DIR
       python -m stages.train_regressor MODEL forward FEATURES_DIR MODELS_DIR SCORES_DIR
For a variant, 'main' (the feature set in features.set, served by /predict) or
'pre_release' (served by /predict/pre_release): the type fitted on train (its grid
searched by K-fold CV) into MODELS_DIR/regressors/VARIANT/MODEL.joblib, its search table
into GRID_DIR/VARIANT/MODEL.csv, and SCORES_DIR/regressors/VARIANT/MODEL.json: its chosen
grid point, its file's size, its repeated-CV scores on train (which choose the served
model) and its validation and test scores (reported only). For 'forward', the
forward-in-time rebuild of the pre-release model (``boxoffice.modeling.forward``): the
same grid and repeated CV on the films released before the cutoff, into
MODELS_DIR/forward/MODEL.joblib and SCORES_DIR/forward/MODEL.json.

One stage per type and variant, so that a variant's own params (params.yaml's
regressors.VARIANT.MODEL) re-run that variant's work alone.
"""

import argparse
from pathlib import Path

from boxoffice.evaluation.held_out import held_out_scores
from boxoffice.features.sets import VARIANTS
from boxoffice.features.splits import load_split
from boxoffice.io import load_model, read_csv, save_model, write_csv, write_json
from boxoffice.modeling.forward import fit_forward_regressor, forward_splits
from boxoffice.modeling.metrics import regression_metrics
from boxoffice.modeling.selection import model_bytes
from boxoffice.modeling.training import fit_and_score
from boxoffice.params import Params, load_params


def train_variant(model: str, variant: str, args: argparse.Namespace, params: Params) -> None:
    splits = {name: load_split(args.features_dir, name, params, variant) for name in ("train", "validation", "test")}
    train = splits["train"]
    fitted, scores, grid = fit_and_score(model, splits, params, variant)
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
    print(f"train-regressors@{model}-{variant}: {len(grid)} grid point(s), chose {scores['chosen']}")


def train_forward(model: str, args: argparse.Namespace, params: Params) -> None:
    fit, _, _ = forward_splits(read_csv(args.features_dir / "all.csv"), params)
    fitted, chosen, cv = fit_forward_regressor(model, fit, params)
    model_file = args.models_dir / "forward" / f"{model}.joblib"
    save_model(model_file, fitted)
    write_json(
        args.scores_dir / "forward" / f"{model}.json", {"chosen": chosen, "bytes": model_bytes(model_file), "cv": cv}
    )
    print(f"train-forward@{model}: {len(fit.X)} films before the cutoff, chose {chosen}")


FORWARD = "forward"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("model")
    parser.add_argument("variant", choices=[*VARIANTS, FORWARD])
    parser.add_argument("features_dir", type=Path)
    parser.add_argument("models_dir", type=Path)
    parser.add_argument("scores_dir", type=Path)
    parser.add_argument("grid_dir", type=Path, nargs="?", help="for a variant: where its search table goes")
    args = parser.parse_args()
    if args.variant != FORWARD and args.grid_dir is None:
        parser.error(f"variant {args.variant} needs GRID_DIR")
    params = load_params()
    if args.variant == FORWARD:
        train_forward(args.model, args, params)
    else:
        train_variant(args.model, args.variant, args, params)


if __name__ == "__main__":
    main()
