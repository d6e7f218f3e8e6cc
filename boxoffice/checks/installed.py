"""Is every exact pin of a requirements file installed at its version? ``python -m boxoffice.checks.installed FILE``.

Exit 0 when it is, 1 naming the first that is not. The Makefile asks this before it
reinstalls everything into a virtual environment it did not make itself.
"""

from __future__ import annotations

import sys
from importlib import metadata
from pathlib import Path


def pins(requirements: str) -> dict[str, str]:
    """name -> version of every ``name==version`` line (comments, options and ``-e .`` are not pins)."""
    found = {}
    for line in requirements.splitlines():
        requirement = line.split("#", 1)[0].split(";", 1)[0].strip()
        if "==" in requirement and not requirement.startswith("-"):
            name, version = requirement.split("==", 1)
            found[name.split("[", 1)[0].strip()] = version.strip()
    return found


def missing(required: dict[str, str]) -> list[str]:
    """The pins not installed at their version, as ``name==wanted (installed: version or none)``."""
    wrong = []
    for name, version in required.items():
        try:
            installed = metadata.version(name)
        except metadata.PackageNotFoundError:
            installed = "none"
        if installed != version:
            wrong.append(f"{name}=={version} (installed: {installed})")
    return wrong


def main(argv: list[str]) -> int:
    wrong = missing(pins(Path(argv[0]).read_text(encoding="utf-8")))
    if wrong:
        print(f"not installed as {argv[0]} pins: {', '.join(wrong)}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
