"""The published OpenAPI schema equals the committed copy: a restructure changes none of it."""

from __future__ import annotations

import json
from pathlib import Path

from tests.serving.openapi_schema import COMMITTED, REGENERATE, current


def test_the_schema_equals_the_committed_copy(project: Path) -> None:
    committed = json.loads(COMMITTED.read_text(encoding="utf-8"))
    assert current(project) == committed, (
        f"the service's OpenAPI schema differs from {COMMITTED.name}; "
        f"if the change is deliberate, regenerate it with `{REGENERATE}` and commit it"
    )
