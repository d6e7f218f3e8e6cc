"""Metrics gate for CI: floors and maximum drops, checked over the metrics files.

Usage: python -m boxoffice.checks.gate [--gates gates.yaml] [--baseline REV]

A key in gates.yaml is a dotted path into ``metrics/<file>.json``: ``*`` matches every
key at that level, ``@selected`` the served regressor and ``@best`` the chosen C.
``max_drop`` compares against the same metrics committed at REV (read with
``git show``); through an alias it compares the served answers, so a switch of the served
model is compared too, and named. Without a baseline those checks are skipped and the
report says so.
Exits 1 with a readable report when any check fails (``dvc metrics diff`` exits 0 even
when it cannot read a metric, so it cannot gate).
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any, NamedTuple

import yaml

from boxoffice.checks.metric_files import committed_params, flatten_values, load_committed, load_current

# An alias -> what it names, read from the report one level up.
ALIASES: dict[str, Callable[[dict], str]] = {
    "@selected": lambda parent: str(parent.get("selected")),
    "@best": lambda parent: f"{parent.get('best_C', float('nan')):g}",
}


class Reading(NamedTuple):
    """One metric a gate key names: its value, where it is, and what each alias chose."""

    value: float
    path: str  # concrete: regression.cv_train.random_forest.r2.mean
    chosen: tuple[str, ...]  # what each @selected / @best resolved to, in order: ("random_forest",)


def readings(metrics: dict[str, Any], key: str) -> dict[str, Reading]:
    """Every metric a gate key names, by label: the key with ``*`` expanded and the aliases kept.

    ``@selected`` and ``@best`` read ``selected`` / ``best_C`` from the report one level
    up, so ``regression.pre_release.test.@selected.r2`` means the pre-release model's,
    whichever model that is. Keeping the alias in the label is what lets the gate compare
    the served answer of a run with the baseline's served answer across a switch.
    """
    file, *parts = key.split(".")
    found: dict[str, tuple[str, Any, Any, tuple[str, ...]]] = {file: (file, metrics.get(file, {}), {}, ())}
    for part in parts:
        step: dict[str, tuple[str, Any, Any, tuple[str, ...]]] = {}
        for label, (path, node, parent, chosen) in found.items():
            if not isinstance(node, dict):
                continue
            if part in ALIASES:
                name = ALIASES[part](parent)
                if name in node:
                    step[f"{label}.{part}"] = (f"{path}.{name}", node[name], node, (*chosen, name))
                continue
            for name in list(node) if part == "*" else [part]:
                if name in node:
                    step[f"{label}.{name}"] = (f"{path}.{name}", node[name], node, chosen)
        found = step
    return {
        label: Reading(float(value), path, chosen)
        for label, (path, value, _, chosen) in found.items()
        if isinstance(value, int | float) and not isinstance(value, bool)
    }


def resolve(metrics: dict[str, Any], key: str) -> dict[str, float]:
    """(concrete path -> value) of every metric a gate key names (see ``readings``)."""
    return {reading.path: reading.value for reading in readings(metrics, key).values()}


# How each alias's choice is shown beside a key: ``[gradient_boosting]``, ``[C=10]``.
SHOWN = {"@selected": "{}", "@best": "C={}"}


def shown(label: str, chosen: tuple[str, ...]) -> str:
    """The key as gates.yaml writes it (``*`` expanded), with what each alias chose in brackets."""
    aliases = [part for part in label.split(".") if part in ALIASES]
    if not aliases:
        return label
    return f"{label} [{', '.join(SHOWN[alias].format(name) for alias, name in zip(aliases, chosen, strict=True))}]"


def _movement(drop: float, allowed: float) -> str:
    """'fell 0.0300, allowed 0.02' / 'rose 0.0070' / 'unchanged': a rise is never a negative drop."""
    if drop > 0:
        return f"fell {drop:.4f}, allowed {allowed}"
    return f"rose {-drop:.4f}" if drop < 0 else "unchanged"


def drop_line(label: str, before: Reading, now: Reading, allowed: float) -> tuple[bool, str]:
    """A max_drop check of the served answer against the baseline's, whatever model serves either."""
    drop = before.value - now.value
    moved = [f"{old} -> {new}" for old, new in zip(before.chosen, now.chosen, strict=True) if old != new]
    if moved:
        key = f"{label} [{', '.join(moved)}]"
        switch = f"; served model switched {', '.join(moved)}"
    else:
        key, switch = shown(label, now.chosen), ""
    line = f"{key} = {now.value:.4f}, baseline {before.value:.4f}: {_movement(drop, allowed)}{switch}"
    return drop <= allowed, line


def redefined(gates: dict, params: dict[str, Any] | None, base_params: dict[str, Any] | None) -> dict[str, str]:
    """Metric key prefix -> why its drops are not compared: a param in gates.yaml's ``redefines``
    (such as ``featurize.hit_multiple``, what a hit is) differs from the baseline's."""
    if params is None or base_params is None:
        return {}
    reasons = {}
    for param, prefixes in (gates.get("redefines") or {}).items():
        if params.get(param) != base_params.get(param):
            moved = f"{base_params.get(param)} -> {params.get(param)}"
            why = f"not compared: {param} changed {moved}, so it measures another label"
            reasons.update(dict.fromkeys(prefixes, why))
    return reasons


def redefinition(path: str, redefined_by: dict[str, str]) -> str | None:
    """Why the metric at ``path`` is not compared (a prefix of it was redefined), or None."""
    return next((why for prefix, why in redefined_by.items() if f"{path}.".startswith(f"{prefix}.")), None)


def check(
    gates: dict, current: dict, baseline: dict | None, redefined_by: dict[str, str] | None = None
) -> list[tuple[bool, str]]:
    """(passed, line) for every concrete metric a gate names.

    A key that names no metric in the current run fails (a misspelt line must not switch
    a gate off); a metric the baseline lacks is reported as new, not compared. A drop is
    measured between the served answers (``@selected``, ``@best``) of both runs, so an
    experiment that switches the served model to a worse one fails, the line naming both.
    A figure whose meaning the experiment changed (``redefined_by``: key prefix -> why) keeps
    its floor but is not compared with the baseline's, and its line says why.
    """
    results = []
    for key, floor in gates.get("minimum", {}).items():
        now = readings(current, key)
        if not now:
            results.append((False, f"{key}: no such metric in the current run"))
        for label, reading in now.items():
            line = f"{shown(label, reading.chosen)} = {reading.value:.4f} (minimum {floor})"
            results.append((reading.value >= floor, line))
    for key, allowed in gates.get("max_drop", {}).items():
        now = readings(current, key)
        if not now:
            results.append((False, f"{key}: no such metric in the current run"))
        if baseline is None:
            results.append((True, f"{key}: no baseline metrics, drop not checked"))
            continue
        before = readings(baseline, key)
        for label, reading in now.items():
            why = redefinition(reading.path, redefined_by or {})
            if why:
                results.append((True, f"{shown(label, reading.chosen)} = {reading.value:.4f}: {why}"))
                continue
            if label not in before:
                line = f"{shown(label, reading.chosen)} = {reading.value:.4f}: new metric, not in the baseline"
                results.append((True, line))
                continue
            results.append(drop_line(label, before[label], reading, allowed))
    return results


def report(results: list[tuple[bool, str]], baseline: str | None) -> str:
    """Failures first, so the reason is the first thing read; then what passed; then the count."""
    failed = [line for passed, line in results if not passed]
    lines = [f"FAIL  {line}" for line in failed] + [f"PASS  {line}" for passed, line in results if passed]
    against = f"drops against {baseline}" if baseline else "no baseline: drops not checked"
    lines.append(f"\nmetrics gate: {len(results) - len(failed)} passed, {len(failed)} failed ({against})")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--gates", type=Path, default=Path("gates.yaml"))
    parser.add_argument("--metrics", type=Path, default=Path("metrics"))
    parser.add_argument("--params", type=Path, default=Path("params.yaml"))
    parser.add_argument("--baseline", help="git revision whose committed metrics are the baseline")
    args = parser.parse_args(argv)

    gates = yaml.safe_load(args.gates.read_text(encoding="utf-8"))
    baseline = load_committed(args.baseline, args.metrics) if args.baseline else None
    if args.baseline and baseline is None:
        print(f"note: no metrics committed at {args.baseline}; drops are not checked")
    params = flatten_values(yaml.safe_load(args.params.read_text(encoding="utf-8")))
    base_params = committed_params(args.baseline, args.params) if args.baseline else None
    results = check(gates, load_current(args.metrics), baseline, redefined(gates, params, base_params))
    print(report(results, args.baseline if baseline is not None else None))
    return 0 if all(passed for passed, _ in results) else 1


if __name__ == "__main__":
    sys.exit(main())
