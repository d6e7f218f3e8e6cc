"""Which models answered: the hash of ``models/serving.json`` and the code's commit."""

from __future__ import annotations

import hashlib
import os
import subprocess
from dataclasses import dataclass
from pathlib import Path

UNKNOWN_COMMIT = "unknown"


@dataclass(frozen=True)
class ModelIdentity:
    serving_hash: str  # SHA-256 of serving.json, which names every served file and its md5
    commit: str  # BOXOFFICE_COMMIT, else git's HEAD where the models are, else "unknown"

    @classmethod
    def of(cls, models_dir: Path) -> ModelIdentity:
        manifest = models_dir / "serving.json"
        serving_hash = hashlib.sha256(manifest.read_bytes()).hexdigest() if manifest.exists() else "none"
        return cls(serving_hash, os.environ.get("BOXOFFICE_COMMIT") or _git_head(models_dir))


def _git_head(where: Path) -> str:
    """The commit checked out around ``where`` (an image without git has none: ``unknown``)."""
    try:
        result = subprocess.run(
            ["git", "rev-parse", "HEAD"], cwd=where if where.is_dir() else None, capture_output=True, text=True
        )
    except OSError:
        return UNKNOWN_COMMIT
    return result.stdout.strip() if result.returncode == 0 else UNKNOWN_COMMIT
