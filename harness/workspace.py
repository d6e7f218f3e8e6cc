"""Throwaway copies of the project and servers on loopback, for the end-to-end tests and the benchmarks."""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]  # harness/ -> the project
BIN = Path(sys.executable).parent
OUTPUTS = ("models", "metrics", "plots", "reports", "dvc.lock")


def without_avx512() -> dict[str, str]:
    """Environment that switches off numpy's AVX-512 kernels where this CPU has them (else nothing).

    Emulates a CPU without AVX-512, the kind of difference that once changed the
    features' last bits from one machine to another.
    """
    from numpy._core._multiarray_umath import __cpu_dispatch__, __cpu_features__

    found = [name for name in __cpu_dispatch__ if name != "X86_V3" and __cpu_features__.get(name)]
    return {"NPY_DISABLE_CPU_FEATURES": " ".join(found)} if found else {}


def environment(env: dict[str, str] | None = None) -> dict[str, str]:
    """This process's environment with this interpreter's environment first on PATH, plus ``env``."""
    return {**os.environ, "PATH": f"{BIN}{os.pathsep}{os.environ['PATH']}", **(env or {})}


def run(
    cmd: list[str], cwd: Path, check: bool = True, env: dict[str, str] | None = None, capture: bool = True
) -> subprocess.CompletedProcess:
    """Run a command with this interpreter's environment first on PATH (plus ``env``); raise on failure.

    ``capture=False`` for a command that leaves daemons behind (``dvc queue start``): they
    inherit its output pipes, and reading the output would wait for them to exit.
    """
    streams = {"capture_output": True} if capture else {"stdout": subprocess.DEVNULL, "stderr": subprocess.DEVNULL}
    result = subprocess.run(cmd, cwd=cwd, env=environment(env), text=True, **streams)
    if check and result.returncode != 0:
        raise RuntimeError(f"{' '.join(cmd)} failed ({result.returncode}):\n{result.stdout}\n{result.stderr}")
    return result


def commit(project: Path, message: str) -> None:
    run(["git", "add", "-A"], project)
    run(["git", "-c", "user.name=boxoffice", "-c", "user.email=boxoffice@localhost", "commit", "-qm", message], project)


def wait_for_queue(project: Path, timeout: float = 900, poll: float = 3) -> str:
    """Poll `dvc queue status` until nothing is queued or running; return its last output."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        status = run(["dvc", "queue", "status"], project).stdout
        if not any(word in status for word in ("Queued", "Running")):
            return status
        time.sleep(poll)
    raise TimeoutError(f"the DVC queue did not finish in {timeout} s:\n{status}")


def copy_project(dest: Path, clean_outputs: bool = False) -> Path:
    """Copy the project's files (tracked, or untracked and not ignored) into ``dest``, a new git repo.

    The DVC remote is pointed at the same folder the project uses, so ``dvc pull`` works
    in the copy exactly as in a clone. ``clean_outputs`` removes what the pipeline
    produced, for a cold run.
    """
    files = run(["git", "ls-files", "--cached", "--others", "--exclude-standard"], ROOT).stdout.splitlines()
    for name in files:
        if (ROOT / name).is_file():
            (dest / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(ROOT / name, dest / name)
    remote = run(["dvc", "config", "remote.shared.url"], ROOT).stdout.strip()
    run(["dvc", "remote", "modify", "--local", "shared", "url", str((ROOT / ".dvc" / remote).resolve())], dest)
    if clean_outputs:
        for output in OUTPUTS:
            path = dest / output
            if path.is_dir():
                shutil.rmtree(path)
            elif path.exists():
                path.unlink()
    run(["git", "init", "-q", "-b", "main"], dest)
    commit(dest, "copy of the project")
    return dest


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def start_server(
    app: str,
    cwd: Path,
    app_dir: Path | None = None,
    ready_path: str = "/openapi.json",
    timeout: float = 30,
    workers: int = 1,
    cpus: str | None = None,
    env: dict[str, str] | None = None,
    log_path: Path | None = None,
) -> tuple[subprocess.Popen, int]:
    """``uvicorn APP`` (no access log) on a free loopback port; returns once ``ready_path`` is 200.

    ``cpus`` (e.g. "0") pins the server with ``taskset``, so a load generator can have the other core.
    ``env`` replaces the server's environment; ``log_path`` keeps its stderr (what it prints on start).
    """
    port = free_port()
    cmd = [str(BIN / "uvicorn"), app, "--host", "127.0.0.1", "--port", str(port), "--no-access-log"]
    cmd = [*(["taskset", "-c", cpus] if cpus else []), *cmd, *(["--workers", str(workers)] if workers > 1 else [])]
    # stderr to a file, not a pipe: a busy server must never block on a full pipe.
    with log_path.open("w+") if log_path else tempfile.TemporaryFile(mode="w+") as log:
        process = subprocess.Popen(
            [*cmd, *(["--app-dir", str(app_dir)] if app_dir else [])],
            cwd=cwd,
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=log,
        )
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}{ready_path}", timeout=1):
                    return process, port
            except OSError:
                if process.poll() is not None:
                    log.seek(0)
                    raise RuntimeError(f"uvicorn {app} exited: {log.read()}") from None
                time.sleep(0.2)
    process.kill()
    raise RuntimeError(f"uvicorn {app} did not answer {ready_path} within {timeout:g} s")
