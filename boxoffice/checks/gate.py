"""Metrics gate for CI: floors and maximum drops, checked over the metrics files.

Usage: python -m boxoffice.checks.gate [--gates gates.yaml] [--baseline REV]

A key in gates.yaml is a dotted path into ``metrics/<file>.json``: ``*`` matches every
key at that level, ``@selected`` the served regressor and ``@best`` the chosen C.
``max_drop`` compares against the same metrics committed at REV (read with
``git show``); without a baseline those checks are skipped and the report says so.
Exits 1 with a readable report when any check fails (``dvc metrics diff`` exits 0 even
when it cannot read a metric, so it cannot gate).
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

import yaml

from boxoffice.checks.metric_files import load_committed, load_current


def resolve(metrics: dict[str, Any], key: str) -> dict[str, float]:
    """All (concrete path -> value) pairs that a gate key names.

    ``@selected`` and ``@best`` read ``selected`` / ``best_C`` from the report one level
    up, so ``regression.pre_release.test.@selected.r2`` means the pre-release model.
    """
    file, *parts = key.split(".")
    found: dict[str, tuple[Any, Any]] = {file: (metrics.get(file, {}), {})}
    for part in parts:
        step: dict[str, tuple[Any, Any]] = {}
        for path, (node, parent) in found.items():
            if not isinstance(node, dict):
                continue
            if part == "*":
                names = list(node)
            elif part == "@selected":
                names = [parent.get("selected")]
            elif part == "@best":
                names = [f"{parent.get('best_C', float('nan')):g}"]
            else:
                names = [part]
            step.update({f"{path}.{name}": (node[name], node) for name in names if name in node})
        found = step
    return {path: float(value) for path, (value, _) in found.items() if isinstance(value, int | float)}


def check(gates: dict, current: dict, baseline: dict | None) -> list[tuple[bool, str]]:
    """(passed, line) for every concrete metric a gate names.

    A key that names no metric in the current run fails (a misspelt line must not switch
    a gate off); a metric the baseline lacks is reported as new, not compared.
    """
    results = []
    for key, floor in gates.get("minimum", {}).items():
        values = resolve(current, key)
        if not values:
            results.append((False, f"{key}: no such metric in the current run"))
        for path, value in values.items():
            results.append((value >= floor, f"{path} = {value:.4f} (minimum {floor})"))
    for key, allowed in gates.get("max_drop", {}).items():
        values = resolve(current, key)
        if not values:
            results.append((False, f"{key}: no such metric in the current run"))
        if baseline is None:
            results.append((True, f"{key}: no baseline metrics, drop not checked"))
            continue
        before = resolve(baseline, key)
        for path, value in values.items():
            if path not in before:
                results.append((True, f"{path} = {value:.4f}: new metric, not in the baseline"))
                continue
            drop = before[path] - value
            line = f"{path} = {value:.4f}, baseline {before[path]:.4f} (drop {drop:+.4f}, allowed {allowed})"
            results.append((drop <= allowed, line))
    return results


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--gates", type=Path, default=Path("gates.yaml"))
    parser.add_argument("--metrics", type=Path, default=Path("metrics"))
    parser.add_argument("--baseline", help="git revision whose committed metrics are the baseline")
    args = parser.parse_args(argv)

    gates = yaml.safe_load(args.gates.read_text(encoding="utf-8"))
    baseline = load_committed(args.baseline, args.metrics) if args.baseline else None
    if args.baseline and baseline is None:
        print(f"note: no metrics committed at {args.baseline}; drops are not checked")
    results = check(gates, load_current(args.metrics), baseline)
    for passed, line in results:
        print(f"{'PASS' if passed else 'FAIL'}  {line}")
    failures = sum(not passed for passed, _ in results)
    print(f"\nmetrics gate: {len(results) - failures} passed, {failures} failed")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
