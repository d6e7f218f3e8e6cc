"""One JSON result file per benchmark run: bench/results/<bench>/<UTC timestamp>.json (the shared format)."""

from __future__ import annotations

import datetime as dt
import importlib.metadata
import json
import os
import platform
import subprocess
from pathlib import Path
from typing import Any

RESULTS = Path(__file__).resolve().parent / "results"
PACKAGES = ("numpy", "scikit-learn", "fastapi", "uvicorn", "SQLAlchemy", "psycopg", "alembic")


def _cpu() -> str:
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or platform.machine()


def _packages() -> dict[str, str]:
    found = {}
    for name in PACKAGES:
        try:
            found[name] = importlib.metadata.version(name)
        except importlib.metadata.PackageNotFoundError:
            continue
    return found


def write_result(bench: str, figures: list[dict[str, Any]]) -> Path:
    """Write ``figures`` (name, value, unit, floor, ratio_to_floor) with the run's commit, date and machine."""
    now = dt.datetime.now(dt.UTC)
    commit = subprocess.run(["git", "rev-parse", "HEAD"], capture_output=True, text=True, cwd=RESULTS.parent)
    result = {
        "bench": bench,
        "commit": commit.stdout.strip() or "unknown",
        "date": now.isoformat(timespec="seconds").replace("+00:00", "Z"),
        "machine": {
            "cpu": _cpu(),
            "cores": os.cpu_count() or 0,
            "python": platform.python_version(),
            "packages": _packages(),
        },
        "figures": figures,
    }
    path = RESULTS / bench / f"{now.strftime('%Y%m%dT%H%M%SZ')}.json"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(result, indent=2) + "\n", encoding="utf-8")
    return path
