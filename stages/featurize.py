"""featurize: cleaned table -> features, targets, and the 60/20/20 split.

Usage: python stages/featurize.py PREPARED_CSV FEATURES_DIR
Writes FEATURES_DIR/{train,validation,test}.csv.
"""

import argparse
from pathlib import Path

import pandas as pd

from boxoffice.features import add_features, split
from boxoffice.io import write_csv
from boxoffice.params import load_params


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("prepared")
    parser.add_argument("features_dir", type=Path)
    args = parser.parse_args()
    params = load_params("featurize")

    movies = pd.read_csv(args.prepared, keep_default_na=False, na_values={"runtime": ""})
    table = add_features(movies, params["genres"], params["hit_multiple"])
    parts = split(table, params["test_size"], params["validation_size"], params["random_state"])

    for name, part in zip(("train", "validation", "test"), parts, strict=True):
        write_csv(args.features_dir / f"{name}.csv", part)
        print(f"featurize: {name}: {len(part)} films, {part['is_hit'].mean():.1%} hits")


if __name__ == "__main__":
    main()
