"""Does the committed state reproduce? The checks CI runs around ``dvc repro`` on a fresh clone.

Usage:
  python -m boxoffice.checks.reproduce lock       before dvc repro: dvc.lock is current for the code and params
  python -m boxoffice.checks.reproduce metrics    after it: the rebuilt metrics equal the committed ones

On one machine a forced ``dvc repro`` is byte-identical; across CPUs the linear models'
BLAS kernels may differ in the last bits, so CI compares every metric with the one
committed at REV (default HEAD) within the tolerance in ``gates.yaml`` (``reproduce``),
and names every metric outside it, or missing on either side.
"""

from __future__ import annotations

import argparse
import json
import math
import subprocess
import sys
from pathlib import Path
from typing import Any

import yaml

from boxoffice.checks.metric_files import flatten, load_committed, load_current


def compare(
    current: dict[str, float], committed: dict[str, float], abs_tol: float, rel_tol: float
) -> tuple[list[str], float]:
    """(one line per disagreeing metric, the largest absolute difference seen)."""
    problems = [f"{name}: committed, but not rebuilt" for name in sorted(committed.keys() - current.keys())]
    problems += [f"{name}: rebuilt, but not committed" for name in sorted(current.keys() - committed.keys())]
    largest = 0.0
    for name in sorted(current.keys() & committed.keys()):
        now, then = current[name], committed[name]
        largest = max(largest, abs(now - then))
        if not math.isclose(now, then, rel_tol=rel_tol, abs_tol=abs_tol):
            problems.append(f"{name}: rebuilt {now:.6g}, committed {then:.6g} (difference {now - then:+.3g})")
    return problems, largest


def stale(status: dict[str, Any]) -> list[str]:
    """What ``dvc status --json`` says changed in the committed code, params or commands.

    A fresh clone has no data or outputs, so "deleted" and "not in cache" are expected;
    a "modified" or "new" dependency (a module, params.yaml) means dvc.lock was not
    re-run and committed after the change, and a "modified" output (only git-tracked ones
    exist in a fresh clone: metrics, reports) was edited by hand or not regenerated.
    """
    lines = []
    for stage, changes in status.items():
        for change in changes:
            if change == "changed command":
                lines.append(f"{stage}: changed command")
            if not isinstance(change, dict):
                continue
            for path, state in change.get("changed deps", {}).items():
                states = state.values() if isinstance(state, dict) else [state]
                if any(value in ("modified", "new") for value in states):
                    lines.append(f"{stage}: {path} {state}")
            # A git-tracked output (a report, a metric) edited by hand, or not regenerated.
            for path, state in change.get("changed outs", {}).items():
                if state == "modified":
                    lines.append(f"{stage}: output {path} {state}")
    return lines


def check_lock() -> int:
    status = subprocess.run(["dvc", "status", "--json"], capture_output=True, text=True, check=True)
    lines = stale(json.loads(status.stdout or "{}"))
    for line in lines:
        print(f"STALE  {line}")
    print(
        "reproduce: dvc.lock " + ("is stale: run dvc repro and commit it" if lines else "matches the code and params")
    )
    return 1 if lines else 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("check", choices=["lock", "metrics"])
    parser.add_argument("--against", default="HEAD", help="git revision whose committed metrics to compare with")
    parser.add_argument("--metrics", type=Path, default=Path("metrics"))
    parser.add_argument("--gates", type=Path, default=Path("gates.yaml"))
    args = parser.parse_args(argv)
    if args.check == "lock":
        return check_lock()

    tolerance = yaml.safe_load(args.gates.read_text(encoding="utf-8"))["reproduce"]
    committed = load_committed(args.against, args.metrics)
    if committed is None:
        print(f"reproduce: no metrics committed at {args.against}")
        return 1
    problems, largest = compare(
        flatten(load_current(args.metrics)), flatten(committed), tolerance["abs"], tolerance["rel"]
    )
    for line in problems:
        print(f"DIFFERS  {line}")
    verdict = "agree" if not problems else f"{len(problems)} disagree"
    print(
        f"reproduce: rebuilt metrics vs {args.against}: {verdict} "
        f"(tolerance abs {tolerance['abs']}, rel {tolerance['rel']}; largest difference {largest:.3g})"
    )
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
