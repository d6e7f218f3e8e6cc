"""Benchmark the pipeline: cold `dvc repro`, no-op `dvc repro`, and each stage forced alone.

Usage: python bench/pipeline.py [--repeats 3]
Runs in a throwaway copy of the project (the raw data pulled first, so the cold run
times the pipeline, not the copy from the remote). Prints a table of wall times.
"""

from __future__ import annotations

import argparse
import statistics
import tempfile
import time
from pathlib import Path

from boxoffice.checks.workspace import copy_project, run


def timed(cmd: list[str], cwd: Path) -> float:
    start = time.perf_counter()
    run(cmd, cwd)
    return time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=3, help="runs of each timing; the median is printed")
    repeats = parser.parse_args().repeats

    with tempfile.TemporaryDirectory() as tmp:
        project = copy_project(Path(tmp), clean_outputs=True)
        raw = [str(path.relative_to(project)) for path in sorted((project / "data" / "raw").glob("*.dvc"))]
        pull = timed(["dvc", "pull", *raw], project)
        cold = timed(["dvc", "repro"], project)
        noop = statistics.median(timed(["dvc", "repro"], project) for _ in range(repeats))
        stages = run(["dvc", "stage", "list", "--name-only"], project).stdout.split()
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
    for stage, seconds in per_stage.items():
        print(f"{'  stage ' + stage:55} {seconds:8.2f}")
    print("(each stage: dvc repro --force --single-item, median; includes ~1 s of DVC start-up)")


if __name__ == "__main__":
    main()
