"""Benchmark the pipeline: cold `dvc repro`, no-op `dvc repro`, a one-model experiment, each stage forced alone.

Usage: python bench/pipeline.py [--repeats 3] [--no-stages]
The experiment is `dvc exp run -S regressors.random_forest.max_depth=8` (a model that does
not serve), timed after the cold run in the same copy, with the stages it ran and its
ratio to the cold run (the aim: at most a fifth of it).
Runs in a throwaway copy of the project (the raw data pulled first, so the cold run
times the pipeline, not the copy from the remote). Prints a table of wall times.
"""

from __future__ import annotations

import argparse
import statistics
import tempfile
import time
from pathlib import Path

from boxoffice.checks.workspace import commit, copy_project, run

EXPERIMENT = ["dvc", "exp", "run", "-S", "regressors.random_forest.max_depth=8"]


def timed(cmd: list[str], cwd: Path) -> float:
    start = time.perf_counter()
    run(cmd, cwd)
    return time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=3, help="runs of each timing; the median is printed")
    parser.add_argument("--no-stages", action="store_true", help="skip forcing each stage alone")
    args = parser.parse_args()
    repeats = args.repeats

    with tempfile.TemporaryDirectory() as tmp:
        project = copy_project(Path(tmp), clean_outputs=True)
        raw = [str(path.relative_to(project)) for path in sorted((project / "data" / "raw").glob("*.dvc"))]
        pull = timed(["dvc", "pull", *raw], project)
        cold = timed(["dvc", "repro"], project)
        noop = statistics.median(timed(["dvc", "repro"], project) for _ in range(repeats))
        commit(project, "cold run")
        start = time.perf_counter()
        out = run(EXPERIMENT, project).stdout
        experiment = time.perf_counter() - start
        ran = [line.split("'")[1] for line in out.splitlines() if line.startswith("Running stage")]
        run(["git", "reset", "--hard", "-q"], project)
        run(["dvc", "checkout", "--force"], project)
        again = timed(EXPERIMENT, project)  # the same parameters: DVC's run-cache restores them
        run(["git", "reset", "--hard", "-q"], project)
        run(["dvc", "checkout", "--force"], project)
        stages = [] if args.no_stages else run(["dvc", "stage", "list", "--name-only"], project).stdout.split()
        per_stage = {
            stage: statistics.median(
                timed(["dvc", "repro", "--force", "--single-item", stage], project) for _ in range(repeats)
            )
            for stage in stages
        }
        forced = timed(["dvc", "repro", "--force"], project)

    print(f"{'what':55} {'wall s':>8}")
    print(f"{'dvc pull (raw data from the remote)':55} {pull:8.2f}")
    print(f"{'cold dvc repro (all stages)':55} {cold:8.2f}")
    print(f"{'dvc repro --force (all stages, warm cache)':55} {forced:8.2f}")
    print(f"{'no-op dvc repro (median of ' + str(repeats) + ')':55} {noop:8.2f}")
    print(f"{' '.join(EXPERIMENT[:3])} -S random_forest.max_depth=8{'':9} {experiment:8.2f}")
    print(f"{'  its ratio to the cold run (aim: at most 0.20)':55} {experiment / cold:8.2f}")
    print(f"{'  the same experiment again (run-cache)':55} {again:8.2f}")
    print("  stages it ran: " + ", ".join(ran))
    for stage, seconds in per_stage.items():
        print(f"{'  stage ' + stage:55} {seconds:8.2f}")
    print("(each stage: dvc repro --force --single-item, median; includes ~1 s of DVC start-up)")


if __name__ == "__main__":
    main()
