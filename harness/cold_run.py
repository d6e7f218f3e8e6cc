"""The real pipeline's cold run in a throwaway copy, started in the background and waited for later.

The test session starts it before its first test and the ``pipeline`` fixture waits for it: the
fast tier, which mostly waits on servers, browsers and subprocesses, runs meanwhile and leaves it
the idle core. It runs at a lower priority (``nice``) so that it takes that idle time and never
slows the tests beside it.
"""

from __future__ import annotations

import os
import signal
import subprocess
from pathlib import Path

from harness.workspace import environment, without_avx512

COMMAND = ("dvc", "repro", "--pull")
NICENESS = 10
LOG_TAIL = 6000  # characters of the run's output shown when it fails


class ColdRun:
    """``dvc repro --pull`` in a fresh copy of the project with no outputs (``copy_project(..., clean_outputs=True)``),
    running in the background.

    numpy's AVX-512 kernels are switched off where this CPU has them (``without_avx512``), so
    that comparing this run with one made with them (``test_pipeline_e2e``'s byte-identity
    test) also shows that they change no byte.
    """

    def __init__(self, project: Path, command: tuple[str, ...] = COMMAND) -> None:
        self.project, self.command = project, command
        self.log = project.with_name(f"{project.name}-cold-run.log")  # beside the copy, which git commits whole
        # Its output to a file, not a pipe: the run never blocks on a full pipe nobody reads yet.
        with self.log.open("w") as log:
            self.process = subprocess.Popen(
                ["nice", "-n", str(NICENESS), *command],
                cwd=self.project,
                env=environment(without_avx512()),
                stdout=log,
                stderr=subprocess.STDOUT,
                start_new_session=True,  # its own process group: stop() ends the stages it started too
            )

    def wait(self) -> Path:
        """The project once the run has finished; a clear error with the run's output if it failed."""
        status = self.process.wait()
        if status != 0:
            output = self.log.read_text(errors="replace")
            raise RuntimeError(
                f"the real pipeline's cold run (`{' '.join(self.command)}` in {self.project}, started in the "
                f"background as the session began) failed with exit status {status}; the end of its "
                f"output ({self.log} has all of it):\n{output[-LOG_TAIL:]}"
            )
        return self.project

    def stop(self) -> None:
        """End the run if it is still going (a session stopped early), stages included."""
        if self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGTERM)
            try:
                self.process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                os.killpg(self.process.pid, signal.SIGKILL)
                self.process.wait()
