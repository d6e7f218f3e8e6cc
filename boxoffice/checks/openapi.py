"""The service's OpenAPI schema, committed as docs/openapi.json so the docs (and clients) have it without a server.

Usage:
  python -m boxoffice.checks.openapi --write    write docs/openapi.json from the app
  python -m boxoffice.checks.openapi --check    exit 1 if docs/openapi.json differs from what the app serves
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from boxoffice.serving.api import create_app


def schema_text() -> str:
    """The schema the app serves at /openapi.json, as stable, readable JSON (no models are loaded for it)."""
    return json.dumps(create_app().openapi(), indent=2, ensure_ascii=False) + "\n"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    mode = parser.add_mutually_exclusive_group(required=True)
    mode.add_argument("--write", action="store_true", help="write the schema file")
    mode.add_argument("--check", action="store_true", help="fail if the schema file is stale")
    parser.add_argument("--path", type=Path, default=Path("docs/openapi.json"))
    args = parser.parse_args(argv)
    text = schema_text()
    if args.write:
        args.path.write_text(text, encoding="utf-8")
        return 0
    if not args.path.exists() or args.path.read_text(encoding="utf-8") != text:
        print(f"{args.path} differs from the app's schema: run `python -m boxoffice.checks.openapi --write`")
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
