"""Experiments started ahead of the tests that check them, each in its own copy of the real pipeline's baseline.

An experiment test spends most of its time in ``dvc exp run``: DVC's own bookkeeping on one core,
then the stages it re-runs. One after another in the one baseline copy they leave the other core
idle. Instead, as soon as the baseline exists, each such test's experiment (a function of a copy of
the project, declared with ``@pytest.mark.ahead(experiment=function)``) starts in its own copy,
all at once (up to ``WORKERS``) and at the cold run's lower priority, beside the tests that run meanwhile.
The test then waits for its experiment and checks what it returned, in that copy. The copies
share nothing (each has its own DVC cache and run-cache), so no experiment can restore another's
stages, and none needs putting back.
"""

from __future__ import annotations

import os
import shutil
import threading
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from harness.cold_run import NICENESS

# Experiments at once, at most: all of them here (six). The kernel shares the cores among them, so none waits
# for another's single-threaded bookkeeping, and they end together rather than one by one with a core idle.
WORKERS = 8
Experiment = Callable[[Path], Any]


@dataclass(frozen=True)
class Outcome:
    """An experiment's copy of the project and what the experiment function returned there."""

    project: Path
    value: Any


def run_in(experiment: Experiment, copy: Path) -> Outcome:
    """Run ``experiment`` at the cold run's lower priority (``nice -n NICENESS``), which its commands inherit.

    On Linux a thread has its own nice value, and a child process takes its parent thread's.
    """
    thread = threading.get_native_id()
    os.setpriority(os.PRIO_PROCESS, thread, min(os.getpriority(os.PRIO_PROCESS, thread) + NICENESS, 19))
    return Outcome(copy, experiment(copy))


def without_dvc_tmp(baseline: Path) -> Callable[[str, list[str]], set[str]]:
    """``copytree``'s ignore: DVC's ``.dvc/tmp`` (locks, its hash index, queue state), which a copy must not share."""
    return lambda folder, names: {"tmp"} if Path(folder) == baseline / ".dvc" else set()


class RunsAhead:
    """The session's experiments, started together once the baseline is committed."""

    def __init__(self, baseline: Path, folder: Path, experiments: list[Experiment]) -> None:
        self.pool = ThreadPoolExecutor(max_workers=WORKERS, thread_name_prefix="experiment")
        self.started: dict[Experiment, Future[Outcome]] = {}
        # The copies are made here, before any test uses the baseline again: never of a half-run state.
        for number, experiment in enumerate(experiments):
            copy = folder / f"{number}-{experiment.__name__}"
            shutil.copytree(baseline, copy, symlinks=True, ignore=without_dvc_tmp(baseline))
            self.started[experiment] = self.pool.submit(run_in, experiment, copy)

    def outcome(self, experiment: Experiment) -> Outcome:
        """Wait for ``experiment``; its exception, if it raised one, is raised here."""
        if experiment not in self.started:
            name = experiment.__name__
            raise LookupError(f"{name} was not started: mark its test @pytest.mark.ahead(experiment={name})")
        return self.started[experiment].result()

    def stop(self) -> None:
        """Drop what has not started; wait for what has (a ``dvc exp run`` is not interrupted halfway)."""
        self.pool.shutdown(wait=True, cancel_futures=True)
