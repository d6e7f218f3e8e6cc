"""Every stage lists, as a dependency, every boxoffice module its script runs."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

from tests import tiny
from tests.conftest import ROOT

STAGES = {stage.name: stage for stage in tiny.stage_instances(tiny.tiny_params())}  # the matrix expanded


def imported_modules(path: Path) -> set[str]:
    """The ``boxoffice`` modules a file imports directly, at any depth of its code.

    ``from boxoffice.a import b`` names ``boxoffice.a`` and, should it be a module,
    ``boxoffice.a.b``; ``import boxoffice.a.b`` names ``boxoffice.a.b``.
    """
    found = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom) and (node.module or "").split(".")[0] == "boxoffice":
            found |= {node.module or ""} | {f"{node.module}.{alias.name}" for alias in node.names}
        elif isinstance(node, ast.Import):
            found |= {alias.name for alias in node.names if alias.name.split(".")[0] == "boxoffice"}
    return found


def module_files(module: str) -> list[Path]:
    """The files Python runs to import ``module``: every enclosing package's ``__init__.py``, then its own."""
    parts = module.split(".")
    files = [ROOT.joinpath(*parts[:depth], "__init__.py") for depth in range(1, len(parts) + 1)]
    return [file for file in [*files, ROOT.joinpath(*parts).with_suffix(".py")] if file.is_file()]


def import_closure(script: Path) -> set[str]:
    """The files of every boxoffice module ``script`` imports, directly or through other modules."""
    files: set[str] = set()
    todo = [script]
    while todo:
        for module in imported_modules(todo.pop()):
            for file in module_files(module):
                if file.relative_to(ROOT).as_posix() not in files:
                    files.add(file.relative_to(ROOT).as_posix())
                    todo.append(file)
    return files


@pytest.mark.parametrize("stage", STAGES)
def test_stage_runs_its_script_as_a_module_of_this_checkout(stage: str) -> None:
    """``python -m stages.x``, not ``python stages/x.py``: a script run by path imports ``boxoffice``
    from wherever it is installed (the editable install's checkout), so a queued experiment's
    temporary copy would run the workspace's code instead of its own."""
    words = STAGES[stage].cmd
    assert words[:2] == ["python", "-m"] and words[2].startswith("stages."), words
    script = "stages/" + words[2].removeprefix("stages.") + ".py"
    assert (ROOT / script).is_file()
    assert {script, "stages/__init__.py"} <= set(STAGES[stage].deps)


@pytest.mark.parametrize("stage", STAGES)
def test_stage_depends_on_every_module_it_imports(stage: str) -> None:
    script = next(dep for dep in STAGES[stage].deps if dep.startswith("stages/") and dep != "stages/__init__.py")
    missing = import_closure(ROOT / script) - set(STAGES[stage].deps)
    assert not missing, f"dvc.yaml stage {stage!r} misses deps: {sorted(missing)}"


def test_the_closure_follows_imports_through_modules() -> None:
    closure = import_closure(ROOT / "stages" / "featurize.py")
    assert "boxoffice/data/raw.py" in closure  # featurize -> features.build -> features.transforms -> data.raw
    assert "boxoffice/data/__init__.py" in closure  # and the package that holds it
