"""Results tables for the README, generated from the metrics files (never typed by hand).

Usage:
  python -m boxoffice.report            print the tables
  python -m boxoffice.report --write    refresh them in README.md
  python -m boxoffice.report --check    exit 1 if README.md is out of date
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from boxoffice.io import read_json

START, END = "<!-- results:start -->", "<!-- results:end -->"
NAMES = {
    "linear_regression": "Linear Regression",
    "random_forest": "Random Forest",
    "gradient_boosting": "Gradient Boosting",
    "xgboost": "XGB Regression",
}


def _row(cells: list[str]) -> str:
    return "| " + " | ".join(cells) + " |"


def regression_table(regression: dict) -> list[str]:
    lines = [
        _row(["model", "val RMSE", "val R²", "val MAE", "test RMSE", "test R²", "test MAE", "served"]),
        _row(["---"] + ["---:"] * 6 + [":---:"]),
    ]
    order = sorted(regression["validation"], key=lambda m: (list(NAMES).index(m) if m in NAMES else len(NAMES), m))
    for model in order:
        val = regression["validation"][model]
        test = regression["test"][model]
        cells = [NAMES.get(model, model)]
        cells += [f"{val[m]:.4f}" for m in ("rmse", "r2", "mae")] + [f"{test[m]:.4f}" for m in ("rmse", "r2", "mae")]
        lines.append(_row([*cells, "✓" if model == regression["selected"] else ""]))
    return lines


def classifier_table(classifier: dict) -> list[str]:
    test = classifier["test"]
    best = classifier["cv"][f"{classifier['best_C']:g}"]
    names = ["auc", "pr_auc", "precision", "recall", "f1", "accuracy", "brier"]
    return [
        _row(["best C", "CV AUC (5-fold)", *[f"test {n}" for n in names]]),
        _row(["---:"] * (2 + len(names))),
        _row(
            [f"{classifier['best_C']:g}", f"{best['mean_auc']:.4f} ± {best['std_auc']:.4f}"]
            + [f"{test[n]:.4f}" for n in names]
        ),
    ]


def tables(metrics_dir: Path) -> str:
    prepare = read_json(metrics_dir / "prepare.json")
    lines = [
        f"Films: {prepare['rows_in']} in the raw file, {prepare['rows_out']} kept for modelling.",
        "",
        "Regression of log revenue:",
        "",
        *regression_table(read_json(metrics_dir / "regression.json")),
        "",
        f"Hit classifier (threshold {read_json(metrics_dir / 'classifier.json')['threshold']}):",
        "",
        *classifier_table(read_json(metrics_dir / "classifier.json")),
    ]
    return "\n".join(lines)


def replace_block(text: str, block: str) -> str:
    head, rest = text.split(START, 1)
    _, tail = rest.split(END, 1)
    return f"{head}{START}\n{block}\n{END}{tail}"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    mode = parser.add_mutually_exclusive_group()
    mode.add_argument("--write", action="store_true", help="refresh the tables in the README")
    mode.add_argument("--check", action="store_true", help="fail if the README's tables are stale")
    parser.add_argument("--readme", type=Path, default=Path("README.md"))
    parser.add_argument("--metrics", type=Path, default=Path("metrics"))
    args = parser.parse_args(argv)

    block = tables(args.metrics)
    if not (args.write or args.check):
        print(block)
        return 0
    text = args.readme.read_text(encoding="utf-8")
    updated = replace_block(text, block)
    if args.check:
        if updated != text:
            print(f"{args.readme} results are stale: run `python -m boxoffice.report --write`", file=sys.stderr)
            return 1
        return 0
    args.readme.write_text(updated, encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
