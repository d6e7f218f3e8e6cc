"""The background cold run behind the ``pipeline`` fixture: a failure is said clearly, a stop ends it."""

from __future__ import annotations

import os
import time
from pathlib import Path

import pytest

from harness.cold_run import ColdRun


def test_a_failed_run_names_its_exit_status_and_shows_its_output(tmp_path: Path) -> None:
    run = ColdRun(tmp_path, command=("sh", "-c", "echo 'stage prepare: broken input'; exit 3"))
    with pytest.raises(RuntimeError, match="exit status 3") as failure:
        run.wait()
    assert "stage prepare: broken input" in str(failure.value)
    assert str(run.log) in str(failure.value)


def test_a_stopped_run_ends_with_every_process_it_started(tmp_path: Path) -> None:
    run = ColdRun(tmp_path, command=("sh", "-c", "sleep 60 & sleep 60; wait"))
    time.sleep(0.5)
    run.stop()
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline:  # its orphaned child is reaped a moment later
        try:
            os.killpg(run.process.pid, 0)
        except ProcessLookupError:
            break
        time.sleep(0.1)
    else:
        pytest.fail("a process of the stopped run's group is still running")
    assert run.process.returncode is not None
