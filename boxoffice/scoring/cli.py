"""The file scorer's command line: ``python -m boxoffice.scoring INPUT -o OUTPUT``.

See ``boxoffice.scoring.files`` for what it reads, writes and rejects.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from boxoffice.features.sets import VARIANTS
from boxoffice.scoring import files
from boxoffice.scoring.files import CHUNK_SIZE, THREADS, ScoreError, score_file, summary


def _positive(text: str) -> int:
    """An argparse type: a whole number of at least 1."""
    try:
        number = int(text)
    except ValueError:
        number = 0
    if number < 1:
        raise argparse.ArgumentTypeError(f"expected a whole number of at least 1, not {text!r}")
    return number


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m boxoffice.scoring", description=files.__doc__.split("\n\n")[0])
    parser.add_argument("input", type=Path, help="CSV or Parquet file of films")
    parser.add_argument("-o", "--output", type=Path, required=True, help="CSV or Parquet file (a folder with Dask)")
    parser.add_argument("--variant", choices=VARIANTS, default="main", help="main (/predict) or pre_release")
    parser.add_argument("--models", type=Path, default=Path("models"), help="the pipeline's models folder")
    parser.add_argument("--rejects", type=Path, help="where rejected rows go (default OUTPUT.rejects.csv)")
    parser.add_argument("--id-column", default="id", help="input column copied to the output (default: id)")
    parser.add_argument("--chunk-size", type=_positive, default=CHUNK_SIZE, help="rows in memory at once (stays flat)")
    parser.add_argument("--threads", type=_positive, default=THREADS, help=f"pieces scored at once (default {THREADS})")
    parser.add_argument("--scheduler", help="'local' (a 2-worker Dask cluster here) or a Dask scheduler address")
    args = parser.parse_args(argv)
    try:
        if args.scheduler:  # importing Dask costs about a second: only a --scheduler run pays it
            from boxoffice.scoring.on_dask import score_with_dask

            result = score_with_dask(
                args.input, args.output, args.variant, args.models, args.scheduler, args.rejects, args.id_column
            )
        else:
            result = score_file(
                args.input,
                args.output,
                args.variant,
                args.models,
                args.rejects,
                args.chunk_size,
                args.id_column,
                threads=args.threads,
            )
    except (ScoreError, FileNotFoundError) as err:
        print(f"error: {err}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print("interrupted: no output written", file=sys.stderr)
        return 130
    print(summary(result), file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
