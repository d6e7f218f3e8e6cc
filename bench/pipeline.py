"""Benchmark the pipeline: cold `dvc repro`, no-op `dvc repro`, a one-model experiment, each stage forced alone.

Usage: python bench/pipeline.py [--repeats 3] [--no-stages] [--queue-sample]
The experiment is `dvc exp run -S regressors.random_forest.max_depth=8` (a model that does
not serve), timed after the cold run in the same copy, with the stages it ran and its
ratio to the cold run (the aim: at most a fifth of it).
--queue-sample times a sample of the seed's random-forest grid as queued experiments
(`dvc queue start -j 2`): its corners, depths 10 and 35 by 10, 100 and 200 trees, whose
mean size (103 trees, depth 22.5) is the whole grid's (105, 22.5), and scales the time
to the grid's 120 points.
Runs in a throwaway copy of the project (the raw data pulled first, so the cold run
times the pipeline, not the copy from the remote). Prints a table of wall times and writes
them to bench/results/pipeline/ (bench/results.py): the experiment beside the cold run of
the same copy, its floor.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # the project: its harness/ is not in the package

from results import figure, write_result

from harness.workspace import commit, copy_project, run, wait_for_queue

EXPERIMENT = ["dvc", "exp", "run", "-S", "regressors.random_forest.max_depth=8"]
SAMPLE = ["-S", "regressors.random_forest.max_depth=10,35", "-S", "regressors.random_forest.n_estimators=10,100,200"]
SAMPLE_POINTS, GRID_POINTS = 6, 120  # the seed's grid: max_depth 10, 15, ..., 35 x n_estimators 10, 20, ..., 200


def timed(cmd: list[str], cwd: Path) -> float:
    start = time.perf_counter()
    run(cmd, cwd)
    return time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=3, help="runs of each timing; the median is printed")
    parser.add_argument("--no-stages", action="store_true", help="skip forcing each stage alone")
    parser.add_argument("--queue-sample", action="store_true", help="time 6 points of the seed's grid on the queue")
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
        queued = queue_sample(project) if args.queue_sample else None

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
    if queued is not None:
        print(f"{'queued sample of the seed grid: ' + str(SAMPLE_POINTS) + ' points, -j 2':55} {queued:8.2f}")
        scaled = queued / SAMPLE_POINTS * GRID_POINTS
        print(f"{'  the 120-point grid at that rate (aim: 900 s)':55} {scaled:8.2f}")
    cold_run = ("cold dvc repro", cold)
    figures = [
        figure("cold dvc repro", cold, "s"),
        figure("dvc repro --force", forced, "s", cold_run),
        figure("no-op dvc repro", noop, "s", cold_run),
        figure("experiment -S regressors.random_forest.max_depth=8", experiment, "s", cold_run),
        figure("the same experiment again (run-cache)", again, "s", cold_run),
        *(figure(f"stage {stage} forced alone", seconds, "s", cold_run) for stage, seconds in per_stage.items()),
    ]
    if queued is not None:
        figures.append(figure(f"queued grid sample, {SAMPLE_POINTS} points, -j 2", queued, "s", cold_run))
    write_result("pipeline", figures)


def queue_sample(project: Path) -> float:
    """Wall time of SAMPLE queued and run by two workers, from queueing to the last one done."""
    start = time.perf_counter()
    run(["dvc", "exp", "run", "--queue", *SAMPLE], project)
    run(["dvc", "queue", "start", "-j", "2"], project, capture=False)  # its workers outlive it
    status = wait_for_queue(project, timeout=3600, poll=1)
    seconds = time.perf_counter() - start
    run(["dvc", "queue", "stop"], project, check=False)
    if "Failed" in status:
        raise RuntimeError(f"a queued experiment failed:\n{status}")
    return seconds


if __name__ == "__main__":
    main()
