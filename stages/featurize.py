"""featurize: cleaned table -> features, targets, and the 60/20/20 split.

Usage: python -m stages.featurize PREPARED_CSV EXTRA_CSV FEATURES_DIR TRACK_RECORD_CSV
EXTRA_CSV's films (prepare's, from the extra films files) go to train alone, and into all.csv
(``boxoffice.features.film_sources``). Writes FEATURES_DIR/{train,validation,test}.csv,
FEATURES_DIR/all.csv (every film, for the forward-in-time evaluation), and the directors',
lead cast's and production companies' past box office (TRACK_RECORD_CSV, from every film) that the service
uses for pre-release requests. Each split's track record sees only its own and earlier
splits' films (see ``features.splits.featurize_splits``), so no held-out revenue feeds training.
"""

import argparse
from pathlib import Path

from boxoffice.features.build import add_features
from boxoffice.features.film_sources import with_extra_films
from boxoffice.features.splits import featurize_splits, split
from boxoffice.io import read_csv, write_csv
from boxoffice.params import load_params


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("prepared")
    parser.add_argument("extra")
    parser.add_argument("features_dir", type=Path)
    parser.add_argument("track_record")
    args = parser.parse_args()
    params = load_params("featurize")

    movies, extra = read_csv(args.prepared), read_csv(args.extra)
    train, validation, test = split(movies, params["test_size"], params["validation_size"], params["random_state"])
    raw_parts = (with_extra_films(train, extra), validation, test)
    parts, record = featurize_splits(raw_parts, params)

    write_csv(args.track_record, record.history)
    # Every film with the track record as of its own release date, from every earlier film: what the
    # service would have said at release. The forward-in-time evaluation splits it by date.
    write_csv(args.features_dir / "all.csv", add_features(with_extra_films(movies, extra), params, record))
    for name, part in zip(("train", "validation", "test"), parts, strict=True):
        write_csv(args.features_dir / f"{name}.csv", part)
        print(f"featurize: {name}: {len(part)} films")


if __name__ == "__main__":
    main()
