"""Benchmark results as data: one JSON file per run, so no figure is ever typed by hand.

Each bench script ends with ``write_result(bench, figures)``, which writes
``bench/results/<bench>/<UTC timestamp>.json`` with the commit, the date, the machine (CPU
model, cores, Python and the key package versions) and every figure beside the floor it was
measured against in the same run. ``python -m boxoffice.checks.benchmarks --write`` turns
the files into the docs' benchmarks table.
"""

from __future__ import annotations

import json
import os
import platform
import subprocess
from datetime import UTC, datetime
from importlib import metadata
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
RESULTS = ROOT / "bench" / "results"
# What the figures depend on besides the project's own code.
PACKAGES = (
    "numpy",
    "scikit-learn",
    "pandas",
    "pyarrow",
    "numba",
    "fastapi",
    "uvicorn",
    "pydantic",
    "dask",
    "dvc",
    "SQLAlchemy",
    "psycopg",
    "alembic",
)


def figure(name: str, value: float, unit: str, floor: tuple[str, float] | None = None) -> dict[str, Any]:
    """One measured figure; ``floor`` is (its name, its value), measured in the same run in the same unit."""
    return {
        "name": name,
        "value": float(value),
        "unit": unit,
        "floor": None if floor is None else {"name": floor[0], "value": float(floor[1])},
        "ratio_to_floor": None if floor is None or not floor[1] else float(value) / float(floor[1]),
    }


def cpu_model() -> str:
    """The CPU's marketing name (Linux's /proc/cpuinfo), else what the platform module knows."""
    cpuinfo = Path("/proc/cpuinfo")
    if cpuinfo.exists():
        for line in cpuinfo.read_text(encoding="utf-8", errors="replace").splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    return platform.processor() or platform.machine()


def machine() -> dict[str, Any]:
    packages = {}
    for name in PACKAGES:
        try:
            packages[name] = metadata.version(name)
        except metadata.PackageNotFoundError:
            continue
    return {"cpu": cpu_model(), "cores": os.cpu_count() or 1, "python": platform.python_version(), "packages": packages}


def commit() -> str:
    """The checked-out commit, marked ``-dirty`` when tracked files differ from it (the figures then are not its)."""

    def git(*args: str) -> str:
        return subprocess.run(["git", *args], cwd=ROOT, capture_output=True, text=True, check=True).stdout.strip()

    try:
        head = git("rev-parse", "HEAD")
        return head + ("-dirty" if git("status", "--porcelain", "--untracked-files=no") else "")
    except (OSError, subprocess.CalledProcessError):
        return "unknown"


def write_result(bench: str, figures: list[dict[str, Any]], folder: Path = RESULTS) -> Path:
    """Write one run's figures to ``folder/<bench>/<UTC timestamp>.json`` and return the path."""
    now = datetime.now(UTC).replace(microsecond=0)
    result = {
        "bench": bench,
        "commit": commit(),
        "date": now.isoformat().replace("+00:00", "Z"),
        "machine": machine(),
        "figures": figures,
    }
    path = folder / bench / f"{now.strftime('%Y%m%dT%H%M%SZ')}.json"
    path.parent.mkdir(parents=True, exist_ok=True)
    temporary = path.with_suffix(".json.tmp")
    temporary.write_text(json.dumps(result, indent=2) + "\n", encoding="utf-8")
    temporary.replace(path)
    print(f"result written to {path.relative_to(ROOT) if path.is_relative_to(ROOT) else path}")
    return path
