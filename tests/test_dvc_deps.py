"""Every stage lists, as a dependency, every boxoffice module its script runs."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest
import yaml

from tests.conftest import ROOT

STAGES = yaml.safe_load((ROOT / "dvc.yaml").read_text())["stages"]


def imported_modules(path: Path) -> set[str]:
    """The ``boxoffice`` modules a file imports directly (``from boxoffice.x import``, ``import boxoffice.x``)."""
    found = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        names = [node.module or ""] if isinstance(node, ast.ImportFrom) else []
        names += [alias.name for alias in node.names] if isinstance(node, ast.Import) else []
        found |= {name for name in names if name.startswith("boxoffice.")}
        if isinstance(node, ast.ImportFrom) and node.module == "boxoffice":
            found |= {f"boxoffice.{alias.name}" for alias in node.names}
    return found


def import_closure(script: Path) -> set[str]:
    """The files of every boxoffice module ``script`` imports, directly or through other modules."""
    files, todo = set(), [script]
    while todo:
        for module in imported_modules(todo.pop()):
            file = ROOT / (module.replace(".", "/") + ".py")
            if file.is_file() and file.relative_to(ROOT).as_posix() not in files:
                files.add(file.relative_to(ROOT).as_posix())
                todo.append(file)
    return files | {"boxoffice/__init__.py"} if files else files


@pytest.mark.parametrize("stage", STAGES)
def test_stage_runs_its_script_as_a_module_of_this_checkout(stage: str) -> None:
    """``python -m stages.x``, not ``python stages/x.py``: a script run by path imports ``boxoffice``
    from wherever it is installed (the editable install's checkout), so a queued experiment's
    temporary copy would run the workspace's code instead of its own."""
    words = STAGES[stage]["cmd"].split()
    assert words[:2] == ["python", "-m"] and words[2].startswith("stages."), STAGES[stage]["cmd"]
    script = "stages/" + words[2].removeprefix("stages.") + ".py"
    assert (ROOT / script).is_file()
    assert {script, "stages/__init__.py"} <= set(STAGES[stage]["deps"])


@pytest.mark.parametrize("stage", STAGES)
def test_stage_depends_on_every_module_it_imports(stage: str) -> None:
    script = next(dep for dep in STAGES[stage]["deps"] if dep.startswith("stages/") and dep != "stages/__init__.py")
    missing = import_closure(ROOT / script) - set(STAGES[stage]["deps"])
    assert not missing, f"dvc.yaml stage {stage!r} misses deps: {sorted(missing)}"


def test_the_closure_follows_imports_through_modules() -> None:
    closure = import_closure(ROOT / "stages" / "featurize.py")
    assert "boxoffice/raw_data.py" in closure  # featurize -> features -> raw_data
