"""prepare: raw TMDB CSVs -> checked, cleaned table of films with budget and revenue.

Usage: python -m stages.prepare MOVIES_CSV CREDITS_CSV PREPARED_CSV METRICS_JSON
The credits file adds each film's directors and billed cast.
"""

import argparse
import sys

from boxoffice.data.raw import DataError, add_credits, clean, read_credits, read_raw
from boxoffice.io import write_csv, write_json
from boxoffice.params import load_params


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("raw")
    parser.add_argument("credits")
    parser.add_argument("prepared")
    parser.add_argument("metrics")
    args = parser.parse_args()
    params = load_params("prepare")

    try:
        table, report = clean(read_raw(args.raw), params["min_budget"], params["min_revenue"])
        credits, report["invalid_credits"] = read_credits(args.credits)
    except DataError as err:
        sys.exit(f"prepare: {err}")
    if table.empty:
        sys.exit(f"prepare: no film in {args.raw} survived the cleaning rules: {report['dropped']}")

    write_csv(args.prepared, add_credits(table, credits))
    write_json(args.metrics, report)
    print(f"prepare: kept {report['rows_out']} of {report['rows_in']} films")


if __name__ == "__main__":
    main()
