"""Which models answered: the hash of ``models/serving.json`` and the code's commit."""

from __future__ import annotations

import hashlib
import os
import re
import subprocess
from dataclasses import dataclass
from pathlib import Path

UNKNOWN_COMMIT = "unknown"
COMMIT_LENGTH = 64  # the ledger's model_commit column: a SHA-256 commit id at most
# What a commit may be named by: a hash, a tag or a branch name; no spaces, no control characters.
COMMIT_PATTERN = re.compile(rf"[0-9A-Za-z][0-9A-Za-z._/+-]{{0,{COMMIT_LENGTH - 1}}}")


@dataclass(frozen=True)
class ModelIdentity:
    serving_hash: str  # SHA-256 of serving.json, which names every served file and its md5
    commit: str  # BOXOFFICE_COMMIT, else git's HEAD where the models are, else "unknown"

    @classmethod
    def of(cls, models_dir: Path) -> ModelIdentity:
        manifest = models_dir / "serving.json"
        serving_hash = hashlib.sha256(manifest.read_bytes()).hexdigest() if manifest.exists() else "none"
        return cls(serving_hash, _configured_commit() or _git_head(models_dir))


def _configured_commit() -> str | None:
    """BOXOFFICE_COMMIT, refused at start-up when no ledger row could hold it (rather than at the first save)."""
    commit = os.environ.get("BOXOFFICE_COMMIT")
    if commit and not COMMIT_PATTERN.fullmatch(commit):
        raise ValueError(
            f"BOXOFFICE_COMMIT must be a commit hash or tag: at most {COMMIT_LENGTH} letters, digits or ._/+- "
            f"(it is {commit[:80]!r}{'...' if len(commit) > 80 else ''}, {len(commit)} characters)"
        )
    return commit


def _git_head(where: Path) -> str:
    """The commit checked out around ``where`` (an image without git has none: ``unknown``)."""
    try:
        result = subprocess.run(
            ["git", "rev-parse", "HEAD"], cwd=where if where.is_dir() else None, capture_output=True, text=True
        )
    except OSError:
        return UNKNOWN_COMMIT
    return result.stdout.strip() if result.returncode == 0 else UNKNOWN_COMMIT
