"""The service's OpenAPI schema as the tests' app publishes it, against the one committed copy (docs/openapi.json).

After a deliberate change, regenerate the copy with ``python -m boxoffice.checks.openapi --write``;
the test holds the app built on the tiny project's models to the same file, so the schema
does not depend on which models are loaded.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from boxoffice.serving.api import create_app
from tests.conftest import ROOT

COMMITTED = ROOT / "docs" / "openapi.json"
REGENERATE = "python -m boxoffice.checks.openapi --write"


def current(project: Path) -> dict[str, Any]:
    """The schema the service publishes at /openapi.json, on ``project``'s models and this checkout's params."""
    schema = create_app(models_dir=project / "models", lock_path=project / "dvc.lock").openapi()
    return json.loads(json.dumps(schema))  # as a client reads it: tuples become lists
