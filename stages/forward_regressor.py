"""forward-regressors@MODEL: one pre-release regressor rebuilt from the films released before the cutoff.

Usage: python -m stages.forward_regressor MODEL FEATURES_DIR MODEL_FILE SCORES_JSON
The forward-in-time evaluation reruns the pipeline's procedure on the past
(``boxoffice.evaluation.forward``): here one type's grid by K-fold CV and its repeated-CV
scores on the past's fitting films; ``select`` chooses among the types as it does on train.
"""

import argparse
from pathlib import Path

from boxoffice.evaluation.forward import fit_forward_regressor, forward_splits
from boxoffice.io import read_csv, save_model, write_json
from boxoffice.modeling.selection import model_bytes
from boxoffice.params import load_params


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("model")
    parser.add_argument("features_dir", type=Path)
    parser.add_argument("model_file")
    parser.add_argument("metrics")
    args = parser.parse_args()
    params = load_params()

    fit, _, _ = forward_splits(read_csv(args.features_dir / "all.csv"), params)
    model, chosen, cv = fit_forward_regressor(args.model, fit, params)
    save_model(args.model_file, model)
    write_json(args.metrics, {"chosen": chosen, "bytes": model_bytes(args.model_file), "cv": cv})
    print(f"forward-regressors@{args.model}: {len(fit.X)} films before the cutoff, chose {chosen}")


if __name__ == "__main__":
    main()
