"""The service's OpenAPI schema, committed beside this file so that any change to it is deliberate.

After a deliberate change, regenerate the copy from the project root with
``python -m tests.serving.openapi_schema`` (it builds the tiny project in a temporary folder).
"""

from __future__ import annotations

import json
import tempfile
from pathlib import Path
from typing import Any

from boxoffice.serving.api import create_app
from tests import tiny

COMMITTED = Path(__file__).with_name("openapi.json")
REGENERATE = "python -m tests.serving.openapi_schema"


def current(project: Path) -> dict[str, Any]:
    """The schema the service publishes at /openapi.json, on ``project``'s models and this checkout's params."""
    schema = create_app(models_dir=project / "models", lock_path=project / "dvc.lock").openapi()
    return json.loads(render(schema))  # as a client reads it: tuples become lists


def render(schema: dict[str, Any]) -> str:
    return json.dumps(schema, indent=2, ensure_ascii=False) + "\n"


def main() -> None:
    with tempfile.TemporaryDirectory() as folder:
        COMMITTED.write_text(render(current(tiny.build(Path(folder)))), encoding="utf-8")
    print(f"wrote {COMMITTED}")


if __name__ == "__main__":
    main()
