"""served@VARIANT: what is computed for the served regressor alone (its hit sources' and track record's CV, ...).

Usage: python -m stages.served VARIANT FEATURES_DIR MODELS_DIR SELECTION_JSON REPORT_JSON
Loads the regressor SELECTION_JSON pins for VARIANT (checking its MD5) and the
variant's classifier, and writes REPORT_JSON for evaluate (``boxoffice.evaluation.served``):
for every variant the hit sources' CV; the track record's per-fold CV where the
features use it; for main, the feature-set comparison and permutation importance.
"""

import argparse
from pathlib import Path

from boxoffice.evaluation.served import load_pinned, served_report
from boxoffice.features.splits import load_split
from boxoffice.io import load_model, read_json, write_json
from boxoffice.params import load_params


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("variant")
    parser.add_argument("features_dir", type=Path)
    parser.add_argument("models_dir", type=Path)
    parser.add_argument("selection")
    parser.add_argument("report")
    args = parser.parse_args()
    params = load_params()
    pins = read_json(args.selection)
    splits = {
        name: load_split(args.features_dir, name, params, args.variant) for name in ("train", "validation", "test")
    }
    regressor = load_pinned(args.models_dir, args.variant, pins[args.variant])
    classifier = load_model(args.models_dir / "classifiers" / f"{args.variant}.joblib")
    write_json(args.report, served_report(args.variant, pins, regressor, classifier, splits, params))
    print(f"served@{args.variant}: {pins[args.variant]['name']}")


if __name__ == "__main__":
    main()
