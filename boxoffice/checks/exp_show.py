"""The experiments table: `python -m boxoffice.checks.exp_show [--sort-by METRIC] [--all]`.

Reads ``dvc exp show --json`` and prints, for the baseline commit and each of its
experiments: which regressor type each variant serves (``gb→rf`` marks a switch from the
baseline's), the headline figures (each variant's are its served model's own), and the
params the experiment changed, so a grid's generated names map to its points. The
experiments are sorted best first on ``--sort-by`` (higher first, or lower first for an
error such as ``rmse_val``); queued, running and failed ones follow.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from boxoffice.checks.metric_files import flatten_values
from boxoffice.evaluation.headline import HEADLINE, LOWER_IS_BETTER, MODEL_COLUMNS

HEADLINE_FILE = "metrics/headline.json"
# The columns shown unless --all: each variant's served model and its CV figure, then the rest.
SHORT = ("model", "r2_cv", "pre_model", "pre_r2", "fwd_r2", "auc_cv", "fwd_auc")


@dataclass(frozen=True)
class Row:
    name: str
    state: str  # "" when it ran; else queued, running, failed
    metrics: dict[str, Any]
    params: dict[str, Any]  # flattened: "regressors.gradient_boosting.n_estimators" -> 200


def _row(name: str, rev: dict[str, Any], state: str = "") -> Row:
    data = rev.get("data") or {}
    metrics = ((data.get("metrics") or {}).get(HEADLINE_FILE) or {}).get("data") or {}
    params = ((data.get("params") or {}).get("params.yaml") or {}).get("data") or {}
    if not state and rev.get("error"):
        state = "failed"
    return Row(name, state, metrics, flatten_values(params))


def rows_of(shown: list[dict[str, Any]]) -> tuple[Row, list[Row]]:
    """The baseline (the first commit ``dvc exp show`` lists after the workspace) and its experiments."""
    baseline_entry = next(entry for entry in shown if entry.get("rev") != "workspace")
    baseline = _row(f"{baseline_entry.get('name') or baseline_entry['rev'][:7]} (baseline)", baseline_entry)
    experiments = []
    for exp in baseline_entry.get("experiments") or []:
        rev = exp["revs"][0]
        state = (exp.get("executor") or {}).get("state") or ""
        state = "" if state == "success" else state
        experiments.append(_row(exp.get("name") or rev.get("name") or rev["rev"][:7], rev, state))
    return baseline, experiments


def best_first(rows: list[Row], metric: str) -> list[Row]:
    """Best first on ``metric``; rows without it (not run, failed) last, in their order."""
    sign = 1 if metric in LOWER_IS_BETTER else -1
    scored = [row for row in rows if isinstance(row.metrics.get(metric), int | float)]
    return sorted(scored, key=lambda row: sign * row.metrics[metric]) + [row for row in rows if row not in scored]


def changed_params(row: Row, baseline: Row) -> list[str]:
    """``key=value`` of each param the experiment set differently (an empty override section is no param;
    ``=None``: the experiment has no such key)."""
    keys = sorted(
        key
        for key in set(row.params) | set(baseline.params)
        if {} not in (row.params.get(key), baseline.params.get(key))
    )
    return [f"{key}={_text(row.params.get(key))}" for key in keys if row.params.get(key) != baseline.params.get(key)]


REDEFINED_MARK = "*"
# Where boxoffice.evaluation.headline reads each figure (file.key in metrics/), so that gates.yaml's
# ``redefines`` (metric keys) tells which columns a param redefines.
SOURCES = {
    "r2_cv": "regression.cv_train",
    "rmse_val": "regression.validation",
    "r2_test": "regression.test",
    "auc_cv": "classifier.repeated_cv",
    "brier": "classifier.repeated_cv",
    "pre_r2": "regression.pre_release.cv_train",
    "fwd_r2": "regression.pre_release.forward.scored",
    "fwd_auc": "regression.pre_release.forward.hit_sources",
    "fwd_cov": "regression.pre_release.forward.interval",
}


def redefining_params(gates_file: Path = Path("gates.yaml")) -> dict[str, tuple[str, ...]]:
    """gates.yaml's ``redefines`` as param -> the headline columns it redefines (their SOURCES lie under the
    metric keys it names): one map for the gate and this table."""
    if not gates_file.is_file():
        return {}
    redefines = (yaml.safe_load(gates_file.read_text(encoding="utf-8")) or {}).get("redefines") or {}
    return {
        param: tuple(
            column
            for column, source in SOURCES.items()
            if any(f"{source}.".startswith(f"{prefix}.") for prefix in prefixes)
        )
        for param, prefixes in redefines.items()
    }


def redefined(row: Row, baseline: Row, redefines: dict[str, tuple[str, ...]]) -> set[str]:
    """The headline columns whose meaning this experiment changed."""
    if row is baseline or row.state:
        return set()
    return {
        column
        for param, columns in redefines.items()
        if row.params.get(param) != baseline.params.get(param)
        for column in columns
    }


# Short enough for a switch (gb→rf) to fit a column; the legend under the table spells them out.
SHORT_NAMES = {
    "linear_regression": "lr",
    "random_forest": "rf",
    "gradient_boosting": "gb",
    "xgboost": "xgb",
    "hist_gradient_boosting": "hgb",
}


def short_name(model: Any) -> str:
    return SHORT_NAMES.get(str(model), str(model))


def _text(value: Any) -> str:
    return json.dumps(value) if isinstance(value, list | dict) else str(value)


def cell(row: Row, baseline: Row, column: str, redefines: dict[str, tuple[str, ...]]) -> str:
    if row.state:
        return row.state if column == SHORT[0] else ""
    value = row.metrics.get(column)
    if value is None:
        return "-"
    if column in MODEL_COLUMNS:
        before = baseline.metrics.get(column)
        switched = row is not baseline and before is not None and before != value
        return f"{short_name(before)}→{short_name(value)}" if switched else short_name(value)
    text = f"{value:.4f}" if isinstance(value, float) else str(value)
    return text + REDEFINED_MARK if column in redefined(row, baseline, redefines) else text


def table(
    baseline: Row,
    experiments: list[Row],
    columns: list[str],
    width: int,
    redefines: dict[str, tuple[str, ...]] | None = None,
) -> list[str]:
    """Aligned lines: the header, the baseline, the experiments; changed params last, wrapped to ``width``.
    A figure an experiment's params redefined (``redefines``: param -> columns) is marked."""
    rows, redefines = [baseline, *experiments], redefines or {}
    cells = [["Experiment", *columns]] + [
        [row.name, *(cell(row, baseline, c, redefines) for c in columns)] for row in rows
    ]
    widths = [max(len(line[i]) for line in cells) for i in range(len(cells[0]))]
    lines = []
    for index, line in enumerate(cells):
        left = "  ".join(
            text.ljust(w) if i == 0 else text.rjust(w) for i, (text, w) in enumerate(zip(line, widths, strict=True))
        )
        params = ["changed params"] if index == 0 else changed_params(rows[index - 1], baseline) if index > 1 else []
        lines.extend(_wrapped(left, params, width))
    return lines


def _wrapped(left: str, params: list[str], width: int) -> list[str]:
    """``left`` then the params, several to a line where they fit, the rest under them."""
    if not params:
        return [left.rstrip()]
    lines, current = [], left + "  " + params[0]
    for param in params[1:]:
        if len(current) + 2 + len(param) <= width:
            current += ", " + param
        else:
            lines.append(current + ",")
            current = " " * (len(left) + 2) + param
    return [*lines, current]


def show(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sort-by", default="r2_cv", choices=[n for n in HEADLINE if n not in MODEL_COLUMNS])
    parser.add_argument("--all", action="store_true", help="every headline column, not only the served models' CV")
    args = parser.parse_args(argv)
    shown = subprocess.run(["dvc", "exp", "show", "--json"], capture_output=True, text=True)
    if shown.returncode != 0:
        print(shown.stderr, file=sys.stderr)
        return shown.returncode
    baseline, experiments = rows_of(json.loads(shown.stdout))
    columns = list(HEADLINE) if args.all else list(SHORT)
    width = int(os.environ.get("COLUMNS") or shutil.get_terminal_size().columns)
    redefines = redefining_params()
    lines = table(baseline, best_first(experiments, args.sort_by), columns, width, redefines)
    print("\n".join(lines))
    order = "lowest" if args.sort_by in LOWER_IS_BETTER else "highest"
    print(f"\nsorted by {args.sort_by}, {order} first; a→b: the served model switched from the baseline's a to b")
    print("models: " + ", ".join(f"{short} {name}" for name, short in SHORT_NAMES.items()))
    if any(redefined(row, baseline, redefines) & set(columns) for row in experiments):
        changed = ", ".join(redefines)
        print(f"{REDEFINED_MARK}: the experiment changed {changed}, so this figure measures another label:")
        print("   a new baseline, not a gain or a loss against this one")
    return 0


if __name__ == "__main__":
    sys.exit(show())
