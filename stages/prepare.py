"""prepare: raw TMDB CSVs (and any extra films files) -> checked, cleaned tables of films with budget and revenue.

Usage: python -m stages.prepare MOVIES_CSV CREDITS_CSV EXTRA_FILMS_DIR PREPARED_CSV EXTRA_CSV METRICS_JSON
The credits file adds each film's directors and billed cast. ``prepare.extra_films`` in
params.yaml names films-schema files (``boxoffice.data.films``) inside EXTRA_FILMS_DIR, the
folder dvc.yaml tracks; their films not already in TMDB 5000 go to EXTRA_CSV with their source
(``boxoffice.features.film_sources``). PREPARED_CSV holds TMDB 5000's films alone, so a run
without extra films writes it exactly as before.
"""

import argparse
import sys
from pathlib import Path

from boxoffice.data.films import read_films
from boxoffice.data.raw import DataError, add_credits, clean, read_credits, read_raw
from boxoffice.features.film_sources import TMDB, merge_extra_films
from boxoffice.io import write_csv, write_json
from boxoffice.params import load_params


def extra_film_paths(names: list[str], folder: Path) -> list[Path]:
    """The files params.yaml names, each inside the tracked folder (else DVC would not re-run on its change)."""
    paths = [Path(name) for name in names]
    outside = [str(path) for path in paths if not path.resolve().is_relative_to(folder.resolve())]
    if outside:
        raise DataError(
            f"prepare.extra_films in params.yaml names {', '.join(outside)}: extra films files must be inside "
            f"{folder}/ (the folder dvc.yaml tracks); move them there"
        )
    return paths


def not_named(paths: list[Path], folder: Path) -> list[str]:
    """The files in the tracked folder that params.yaml does not name: said, as they are not learnt from."""
    named = {path.resolve() for path in paths}
    listed = sorted(folder.iterdir()) if folder.is_dir() else []
    return [path.as_posix() for path in listed if path.is_file() and path.resolve() not in named]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("raw")
    parser.add_argument("credits")
    parser.add_argument("extra_films_dir", type=Path)
    parser.add_argument("prepared")
    parser.add_argument("extra")
    parser.add_argument("metrics")
    args = parser.parse_args()
    params = load_params("prepare")

    try:
        table, report = clean(read_raw(args.raw), params["min_budget"], params["min_revenue"])
        credits, report["invalid_credits"] = read_credits(args.credits)
        paths = extra_film_paths(params["extra_films"] or [], args.extra_films_dir)
        extra_files = [(path.as_posix(), read_films(path)) for path in paths]
    except DataError as err:
        sys.exit(f"prepare: {err}")
    if table.empty:
        sys.exit(f"prepare: no film in {args.raw} survived the cleaning rules: {report['dropped']}")

    tmdb = add_credits(table, credits)
    extra, report["extra_films"] = merge_extra_films(tmdb, extra_files)
    report["films_by_source"] = {TMDB: len(tmdb)} | {
        name: counts["rows_out"] for name, counts in report["extra_films"].items()
    }
    write_csv(args.prepared, tmdb)
    write_csv(args.extra, extra)
    write_json(args.metrics, report)
    print(f"prepare: kept {report['rows_out']} of {report['rows_in']} films, and {len(extra)} extra films")
    if unnamed := not_named(paths, args.extra_films_dir):
        print(f"prepare: not learnt from (not in params.yaml's prepare.extra_films): {', '.join(unnamed)}")


if __name__ == "__main__":
    main()
