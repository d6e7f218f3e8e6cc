"""The docs' benchmarks page, generated from the committed results in bench/results/ (never typed by hand).

Usage:
  python -m boxoffice.checks.benchmarks            print the page
  python -m boxoffice.checks.benchmarks --write    write docs/benchmarks.md
  python -m boxoffice.checks.benchmarks --check    exit 1 if docs/benchmarks.md is not what the results make

For each benchmark and each machine (CPU model and cores): the latest run's figures beside
their floors, then the trend of each figure over that machine's runs (oldest first). A
figure's ratio to its floor, measured in the same run, is what compares across runs: the
machine's own speed drifts.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections import defaultdict
from pathlib import Path
from typing import Any

TREND_RUNS = 6  # the latest runs shown in a trend table
COMMANDS = [
    (
        "python bench/container.py",
        "the image's size and start-up to a healthy `/health`, against its base and a trivial container",
        "container",
    ),
    (
        "python bench/pipeline.py",
        "cold `dvc repro`, no-op, `--force`, a one-model experiment and the same again (run-cache), each stage "
        "forced alone; `--queue-sample` adds a sample of a queued grid",
        "pipeline",
    ),
    ("python bench/serve.py", "`/predict` at 16 connections against the floor app, `/batch_predict`", "serve"),
    (
        "python bench/serve.py --wrk",
        "wrk on one core, the server pinned to the other: floor, `/predict` and `/predict/pre_release` in "
        "alternating rounds, one connection, batches, one worker against two",
        "serve-wrk",
    ),
    ("python bench/serve.py --page", "the forecast page's work in process, against a plain request", "serve-page"),
    ("python bench/serve.py --load", "64 connections with 10,000-film batches alongside", "serve-load"),
    (
        "python bench/serve.py --ledger-idle",
        "`/predict` and `/predict/pre_release` against the floor with the ledger idle and with none opened, "
        "alternating rounds; the 413 body limit's cost per request",
        "serve-ledger",
    ),
    (
        "python bench/ledger.py",
        "64 clients saving 10,000 forecasts against `/predict/pre_release`, SIGKILL mid-load, a slate page and "
        "the track record among a million forecasts, on SQLite and PostgreSQL",
        "ledger",
    ),
    ("python bench/score.py", "`python -m boxoffice.scoring` on generated catalogues, one process and Dask", "score"),
]
INTRO = """# Benchmarks

Speed and memory are measured by the scripts in `bench/`, each against a floor measured in
the same run (a bare FastAPI endpoint for the service, a pandas read and write for the file
scorer, the cold run of the same copy for the pipeline), and written as data to
`bench/results/<bench>/<UTC time>.json`: the commit, the date, the machine (CPU model, cores,
Python and the key package versions) and every figure beside its floor.

This page is generated from those files by `python -m boxoffice.checks.benchmarks --write`;
CI fails when it is stale. Add a result by running a benchmark and committing its file.

{commands}
Figures from one machine at one time compare; figures from different days may not (the
machine's speed drifts): compare ratios to the floor.
"""


def load_results(folder: Path) -> list[dict[str, Any]]:
    results = []
    for path in sorted(folder.glob("*/*.json")):
        result = json.loads(path.read_text(encoding="utf-8"))
        result["file"] = path.relative_to(folder).as_posix()
        results.append(result)
    return results


def machine_label(machine: dict[str, Any]) -> str:
    return f"{machine['cpu']}, {machine['cores']} cores"


def number(value: float) -> str:
    """Enough digits to read, none that mean nothing."""
    size = abs(value)
    if size >= 100:
        return f"{value:,.0f}"
    if size >= 10:
        return f"{value:.1f}"
    return f"{value:.3g}" if size >= 0.01 else f"{value:.2g}"


def ratio(found: dict[str, Any]) -> str:
    return "" if found.get("ratio_to_floor") is None else f"{found['ratio_to_floor']:.2f}"


def latest_table(result: dict[str, Any]) -> list[str]:
    lines = ["| figure | value | unit | floor | floor value | ratio to floor |"]
    lines.append("| --- | ---: | --- | --- | ---: | ---: |")
    for found in result["figures"]:
        floor = found.get("floor") or {}
        cells = [found["name"], number(found["value"]), found["unit"], floor.get("name", "")]
        cells += ["" if not floor else number(floor["value"]), ratio(found)]
        lines.append("| " + " | ".join(cells) + " |")
    return lines


def trend_table(runs: list[dict[str, Any]]) -> list[str]:
    """One row per figure, one column per run; a cell is the ratio to the floor where there is one, else the value."""
    runs = runs[-TREND_RUNS:]
    names: list[str] = []
    for run in runs:
        names += [found["name"] for found in run["figures"] if found["name"] not in names]
    head = ["figure", *(run["date"][:10] for run in runs)]
    lines = ["| " + " | ".join(head) + " |", "| --- |" + " ---: |" * len(runs)]
    for name in names:
        cells = [name]
        for run in runs:
            found = next((f for f in run["figures"] if f["name"] == name), None)
            if found is None:
                cells.append("")
            elif found.get("ratio_to_floor") is not None:
                cells.append(f"{ratio(found)} x floor")
            else:
                cells.append(f"{number(found['value'])} {found['unit']}")
        lines.append("| " + " | ".join(cells) + " |")
    return lines


def page(folder: Path) -> str:
    by_bench: dict[str, dict[str, list[dict[str, Any]]]] = defaultdict(lambda: defaultdict(list))
    for result in load_results(folder):
        by_bench[result["bench"]][machine_label(result["machine"])].append(result)
    commands = ["| command | what it measures | result |", "| --- | --- | --- |"]
    commands += [f"| `{command}` | {what} | `{bench}` |" for command, what, bench in COMMANDS]
    lines = [INTRO.format(commands="\n".join(commands))]
    if not by_bench:
        lines.append("No results yet.")
    for bench in sorted(by_bench):
        lines.append(f"## {bench}\n")
        for machine, runs in sorted(by_bench[bench].items()):
            runs.sort(key=lambda run: run["date"])
            latest = runs[-1]
            packages = ", ".join(f"{name} {version}" for name, version in latest["machine"]["packages"].items())
            lines += [
                f"### {machine}\n",
                f"Latest run: {latest['date']}, commit `{latest['commit'][:12]}`, Python "
                f"{latest['machine']['python']}; {packages} (`bench/results/{latest['file']}`).\n",
                *latest_table(latest),
                "",
                f"Trend over this machine's runs ({len(runs)} in all, the latest {min(len(runs), TREND_RUNS)}):\n",
                *trend_table(runs),
                "",
            ]
    return "\n".join(lines).rstrip() + "\n"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    mode = parser.add_mutually_exclusive_group()
    mode.add_argument("--write", action="store_true", help="write the page")
    mode.add_argument("--check", action="store_true", help="fail if the page is stale")
    parser.add_argument("--results", type=Path, default=Path("bench/results"))
    parser.add_argument("--page", type=Path, default=Path("docs/benchmarks.md"))
    args = parser.parse_args(argv)
    text = page(args.results)
    if args.check:
        if not args.page.exists() or args.page.read_text(encoding="utf-8") != text:
            print(f"{args.page} is stale: run `python -m boxoffice.checks.benchmarks --write`", file=sys.stderr)
            return 1
        return 0
    if args.write:
        args.page.write_text(text, encoding="utf-8")
    else:
        print(text, end="")
    return 0


if __name__ == "__main__":
    sys.exit(main())
