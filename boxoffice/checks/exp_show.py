"""`dvc exp show` with only the headline metrics: `python -m boxoffice.checks.exp_show [dvc exp show options]`.

Plain `dvc exp show` also prints every parameter and dependency hash, and DVC then
collapses the metrics in any usual terminal (see the README's experiment section).
"""

from __future__ import annotations

import subprocess
import sys

from boxoffice.evaluation.headline import HEADLINE


def command(extra: list[str]) -> list[str]:
    keep = f"^(Experiment|{'|'.join(HEADLINE)})$"
    return ["dvc", "exp", "show", "--drop", ".*", "--keep", keep, *extra]


if __name__ == "__main__":
    sys.exit(subprocess.call(command(sys.argv[1:])))
