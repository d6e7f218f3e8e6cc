"""The experiments started ahead of their tests: each in its own copy, its result or its error given to the test."""

from __future__ import annotations

import os
import subprocess
import sys
import threading
from pathlib import Path

import pytest

from harness.ahead import WORKERS, RunsAhead
from harness.cold_run import NICENESS


@pytest.fixture
def baseline(tmp_path: Path) -> Path:
    project = tmp_path / "baseline"
    (project / ".dvc" / "tmp").mkdir(parents=True)
    (project / ".dvc" / "tmp" / "rwlock").write_text("{}")
    (project / "data" / "tmp").mkdir(parents=True)
    (project / "data" / "tmp" / "kept.csv").write_text("id\n1\n")
    (project / "params.yaml").write_text("seed: 1\n")
    return project


def change_params(project: Path) -> str:
    (project / "params.yaml").write_text("seed: 2\n")
    return "changed"


def read_params(project: Path) -> str:
    return (project / "params.yaml").read_text()


def fail(project: Path) -> None:
    raise RuntimeError(f"dvc exp run failed in {project.name}")


def test_each_experiment_runs_in_its_own_copy_and_leaves_the_baseline_alone(baseline: Path, tmp_path: Path) -> None:
    runs = RunsAhead(baseline, tmp_path / "ahead", [change_params, read_params])
    changed, read = runs.outcome(change_params), runs.outcome(read_params)
    runs.stop()
    assert changed.value == "changed" and (changed.project / "params.yaml").read_text() == "seed: 2\n"
    assert read.value == "seed: 1\n"  # the other copy never saw the change
    assert (baseline / "params.yaml").read_text() == "seed: 1\n"
    assert len({changed.project, read.project, baseline}) == 3
    # DVC's locks and index are the baseline's own; a folder of the project's called tmp is copied.
    assert not (changed.project / ".dvc" / "tmp").exists()
    assert (changed.project / "data" / "tmp" / "kept.csv").read_text() == "id\n1\n"


def test_an_experiments_error_is_raised_in_the_test_that_waits_for_it(baseline: Path, tmp_path: Path) -> None:
    runs = RunsAhead(baseline, tmp_path / "ahead", [fail, read_params])
    with pytest.raises(RuntimeError, match="dvc exp run failed in 0-fail"):
        runs.outcome(fail)
    assert runs.outcome(read_params).value == "seed: 1\n"  # the others are not affected
    with pytest.raises(LookupError, match=r"@pytest.mark.ahead\(experiment=change_params\)"):
        runs.outcome(change_params)
    runs.stop()


def test_experiments_run_side_by_side(baseline: Path, tmp_path: Path) -> None:
    """WORKERS experiments run at once: each of these waits until all of them have started."""
    together = threading.Barrier(WORKERS, timeout=10)

    def meet(project: Path) -> str:
        together.wait()
        return project.name

    experiments = [lambda project, n=n: f"{n}:{meet(project)}" for n in range(WORKERS)]
    for number, experiment in enumerate(experiments):
        experiment.__name__ = f"meet{number}"
    runs = RunsAhead(baseline, tmp_path / "ahead", experiments)
    assert [runs.outcome(experiment).value for experiment in experiments] == [
        f"{n}:{n}-meet{n}" for n in range(WORKERS)
    ]
    runs.stop()


def priority_of_a_command(project: Path) -> int:
    command = [sys.executable, "-c", "import os; print(os.getpriority(os.PRIO_PROCESS, 0))"]
    printed = subprocess.run(command, text=True, capture_output=True, check=True)
    return int(printed.stdout)


def test_an_experiments_commands_run_at_the_cold_runs_lower_priority_and_the_tests_do_not(
    baseline: Path, tmp_path: Path
) -> None:
    runs = RunsAhead(baseline, tmp_path / "ahead", [priority_of_a_command])
    own = os.getpriority(os.PRIO_PROCESS, 0)
    assert runs.outcome(priority_of_a_command).value == min(own + NICENESS, 19)
    assert priority_of_a_command(tmp_path) == own  # this thread, and the tests' commands, keep theirs
    runs.stop()
