"""The pipeline's metrics files, as they are on disk or as a git revision committed them."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path
from typing import Any

import yaml

from boxoffice.io import read_json

Metrics = dict[str, Any]  # "regression" or "regressors/main/xgboost" -> that file's JSON


def load_current(metrics_dir: Path) -> Metrics:
    """Every ``*.json`` below ``metrics_dir``, keyed by its path without the suffix."""
    paths = sorted(metrics_dir.rglob("*.json"))
    return {path.relative_to(metrics_dir).with_suffix("").as_posix(): read_json(path) for path in paths}


def load_committed(rev: str, metrics_dir: Path) -> Metrics | None:
    """The same files as committed at ``rev``; None when git cannot list them there."""
    listed = subprocess.run(
        ["git", "ls-tree", "-r", "--name-only", rev, "--", metrics_dir.as_posix()], capture_output=True, text=True
    )
    if listed.returncode != 0 or not listed.stdout.strip():
        return None
    committed = {}
    for name in listed.stdout.splitlines():
        if name.endswith(".json"):
            shown = subprocess.run(["git", "show", f"{rev}:{name}"], capture_output=True, text=True, check=True)
            key = Path(name).relative_to(metrics_dir).with_suffix("").as_posix()
            committed[key] = json.loads(shown.stdout)
    return committed


def committed_params(rev: str, path: Path = Path("params.yaml")) -> dict[str, Any] | None:
    """``params.yaml`` as committed at ``rev``, flattened (``featurize.hit_multiple`` -> 2.0); None if absent."""
    shown = subprocess.run(["git", "show", f"{rev}:{path.as_posix()}"], capture_output=True, text=True)
    return flatten_values(yaml.safe_load(shown.stdout) or {}) if shown.returncode == 0 else None


def flatten(metrics: Metrics) -> dict[str, float]:
    """Every number as ``file.key.key``: {"regression": {"test": {"r2": 0.5}}} -> {"regression.test.r2": 0.5}."""
    flat: dict[str, float] = {}

    def walk(prefix: str, node: Any) -> None:
        if isinstance(node, dict):
            for key, value in node.items():
                walk(f"{prefix}.{key}", value)
        elif isinstance(node, int | float) and not isinstance(node, bool):
            flat[prefix] = float(node)

    for name, content in metrics.items():
        walk(name, content)
    return flat


def flatten_values(tree: dict[str, Any]) -> dict[str, Any]:
    """Every leaf as ``key.key``, a list or an empty mapping being one: params.yaml's values as -S names them."""
    flat: dict[str, Any] = {}

    def walk(prefix: str, node: Any) -> None:
        if isinstance(node, dict) and node:
            for key, value in node.items():
                walk(f"{prefix}.{key}" if prefix else str(key), value)
        else:
            flat[prefix] = node

    walk("", tree)
    return flat
