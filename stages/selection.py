"""select (stages/selection.py): which regressor serves each variant, and which the forward-in-time rebuild uses.

Usage: python -m stages.selection SCORES_DIR MODELS_DIR SELECTION_JSON SELECTION_REPORT_JSON
Reads the per-model stages' small outputs (SCORES_DIR/regressors/VARIANT/MODEL.json and
SCORES_DIR/forward/MODEL.json: repeated-CV scores and file sizes) and applies
regressors.selection (``boxoffice.modeling.selection``). SELECTION_JSON pins the chosen
models (name, params, file under MODELS_DIR and its MD5), and each chosen model is copied
to MODELS_DIR/selected/KIND.joblib (main, pre_release, forward): a path that does not move
when the choice does, for the stages that work on the served model alone (they re-run
only when it changes) and for DVC's artifacts (dvc.yaml).
SELECTION_REPORT_JSON holds the whole comparison (candidates, sizes, the limit).
"""

import argparse
import shutil
from pathlib import Path

from boxoffice.features.sets import VARIANTS
from boxoffice.io import atomic_path, md5_of, read_json, write_json
from boxoffice.modeling.selection import SELECTED, choose_by_cv
from boxoffice.params import load_params

FORWARD = "forward"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("scores_dir", type=Path)
    parser.add_argument("models_dir", type=Path)
    parser.add_argument("selection")
    parser.add_argument("selection_report")
    args = parser.parse_args()
    params = load_params()
    folders = {variant: f"regressors/{variant}" for variant in VARIANTS} | {FORWARD: FORWARD}
    pins, reports = {}, {}
    for kind, folder in folders.items():
        scores = {name: read_json(args.scores_dir / folder / f"{name}.json") for name in params["regressors"]["models"]}
        cv = {name: entry["cv" if kind == FORWARD else "cv_train"] for name, entry in scores.items()}
        reports[kind] = choose_by_cv(cv, {name: entry["bytes"] for name, entry in scores.items()}, params)
        name = reports[kind]["selected"]
        file = f"{folder}/{name}.joblib"
        with atomic_path(args.models_dir / SELECTED / f"{kind}.joblib") as copy:
            shutil.copyfile(args.models_dir / file, copy)
        pins[kind] = {
            "name": name,
            "params": scores[name]["chosen"],
            "file": file,
            "md5": md5_of(args.models_dir / file),
            "cv": cv[name],
        }
        print(f"select: {kind}: {name}")
    write_json(args.selection, pins)
    write_json(args.selection_report, reports)


if __name__ == "__main__":
    main()
