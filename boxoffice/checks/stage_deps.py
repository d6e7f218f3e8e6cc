"""Each dvc.yaml stage lists, as deps, exactly the boxoffice modules its script runs.

DVC re-runs a stage when a file it lists changes, and only then: a module the script
imports but the stage does not list would change without re-running it, and one listed
but no longer imported re-runs it for nothing. The modules are the script's import
closure: every boxoffice module it imports, directly or through other modules, at any
depth of their code (an import inside a function counts), with each enclosing package's
``__init__.py``. Other boxoffice deps (data files such as the CPI table) are kept as written.

Usage:
  python -m boxoffice.checks.stage_deps --write    rewrite dvc.yaml's module deps from the imports
  python -m boxoffice.checks.stage_deps --check    exit 1, naming each stage and module, if they are stale
"""

from __future__ import annotations

import argparse
import ast
import re
import sys
from pathlib import Path

import yaml

from boxoffice.io import write_text

DEP = "    - "  # a dep's line in dvc.yaml (the stages' deps are block lists at this depth)
PACKAGE = "boxoffice"


def imported_modules(path: Path) -> set[str]:
    """The ``boxoffice`` modules a file imports directly, at any depth of its code.

    ``from boxoffice.a import b`` names ``boxoffice.a`` and, should it be a module,
    ``boxoffice.a.b``; ``import boxoffice.a.b`` names ``boxoffice.a.b``.
    """
    found = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom) and (node.module or "").split(".")[0] == PACKAGE:
            found |= {node.module or ""} | {f"{node.module}.{alias.name}" for alias in node.names}
        elif isinstance(node, ast.Import):
            found |= {alias.name for alias in node.names if alias.name.split(".")[0] == PACKAGE}
    return found


def module_files(module: str, root: Path) -> list[Path]:
    """The files Python runs to import ``module``: every enclosing package's ``__init__.py``, then its own."""
    parts = module.split(".")
    files = [root.joinpath(*parts[:depth], "__init__.py") for depth in range(1, len(parts) + 1)]
    return [file for file in [*files, root.joinpath(*parts).with_suffix(".py")] if file.is_file()]


def import_closure(script: Path, root: Path) -> set[str]:
    """The files (relative to ``root``) of every boxoffice module ``script`` imports, directly or not."""
    files: set[str] = set()
    todo = [script]
    while todo:
        for module in imported_modules(todo.pop()):
            for file in module_files(module, root):
                if file.relative_to(root).as_posix() not in files:
                    files.add(file.relative_to(root).as_posix())
                    todo.append(file)
    return files


def stage_script(deps: list[str]) -> str:
    """The stage's script: its one dep under ``stages/`` besides the package's ``__init__.py``."""
    return next(dep for dep in deps if dep.startswith("stages/") and dep != "stages/__init__.py")


def current_deps(dvc_yaml: str, root: Path) -> str:
    """``dvc_yaml`` with each stage's run of ``boxoffice/`` deps rewritten: its script's closure, sorted.

    Only those lines change, so comments, order and everything else stay as written.
    """
    stages = yaml.safe_load(dvc_yaml)["stages"]
    lines, out, stage = dvc_yaml.split("\n"), [], None
    i = 0
    while i < len(lines):
        heading = re.match(r"^(\S|  [\w-]+:$)", lines[i])  # a top-level key, or a stage's (or an artifact's) name
        if heading:
            name = lines[i].strip().removesuffix(":")
            stage = name if lines[i].startswith("  ") and name in stages else None
        if stage is None or not lines[i].startswith(f"{DEP}{PACKAGE}/"):
            out.append(lines[i])
            i += 1
            continue
        end = i
        while end < len(lines) and lines[end].startswith(f"{DEP}{PACKAGE}/"):
            end += 1
        listed = {line.removeprefix(DEP) for line in lines[i:end]}
        data = {dep for dep in listed if not dep.endswith(".py")}
        closure = import_closure(root / stage_script(stages[stage]["deps"]), root)
        out += [f"{DEP}{dep}" for dep in sorted(closure | data)]
        i = end
    return "\n".join(out)


def differences(dvc_yaml: str, root: Path) -> list[str]:
    """Per stage, the modules its deps miss and those they list for nothing (empty: current)."""
    found = []
    for name, stage in yaml.safe_load(dvc_yaml)["stages"].items():
        listed = {dep for dep in stage["deps"] if dep.startswith(f"{PACKAGE}/") and dep.endswith(".py")}
        closure = import_closure(root / stage_script(stage["deps"]), root)
        found += [f"{name}: misses {dep}" for dep in sorted(closure - listed)]
        found += [f"{name}: lists {dep}, which its script does not import" for dep in sorted(listed - closure)]
    return found


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    mode = parser.add_mutually_exclusive_group(required=True)
    mode.add_argument("--write", action="store_true", help="rewrite dvc.yaml's module deps")
    mode.add_argument("--check", action="store_true", help="fail if they are stale")
    parser.add_argument("--root", type=Path, default=Path("."), help="the project (holds dvc.yaml)")
    args = parser.parse_args(argv)
    path = args.root / "dvc.yaml"
    text = path.read_text(encoding="utf-8")
    if args.write:
        write_text(path, current_deps(text, args.root))
        return 0
    stale = differences(text, args.root)
    if stale or current_deps(text, args.root) != text:
        print(
            "\n".join([*stale, "dvc.yaml's module deps are stale: run `python -m boxoffice.checks.stage_deps --write`"])
        )
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
