"""The package's layers (``[tool.importlinter]`` in pyproject.toml) hold, and a wrong import breaks them by name."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import ROOT

LINT_IMPORTS = Path(sys.executable).with_name("lint-imports")


def lint_imports(project: Path) -> subprocess.CompletedProcess:
    """``lint-imports`` on the ``boxoffice`` package of ``project`` (not on the installed one)."""
    env = {**os.environ, "PYTHONPATH": str(project)}
    return subprocess.run(
        [str(LINT_IMPORTS), "--no-cache"], cwd=project, env=env, capture_output=True, text=True, timeout=120
    )


@pytest.fixture
def copy(tmp_path: Path) -> Path:
    """The package and its contracts in a folder of their own, to break on purpose."""
    shutil.copytree(ROOT / "boxoffice", tmp_path / "boxoffice", ignore=shutil.ignore_patterns("__pycache__"))
    shutil.copy(ROOT / "pyproject.toml", tmp_path)
    return tmp_path


def add_line(file: Path, line: str) -> None:
    file.write_text(file.read_text(encoding="utf-8") + "\n" + line + "\n", encoding="utf-8")


def test_the_package_keeps_its_contracts() -> None:
    result = lint_imports(ROOT)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "7 kept, 0 broken" in result.stdout


def test_the_copy_is_what_gets_checked(copy: Path) -> None:
    """Without this, the tests below could pass by checking the installed package."""
    (copy / "boxoffice" / "data" / "only_in_the_copy.py").write_text("import boxoffice.serving.api\n")
    result = lint_imports(copy)
    assert result.returncode == 1
    assert "boxoffice.data.only_in_the_copy -> boxoffice.serving.api" in result.stdout


def test_a_prediction_module_importing_the_evaluation_fails_naming_the_import(copy: Path) -> None:
    add_line(copy / "boxoffice" / "prediction" / "schemas.py", "import boxoffice.evaluation.held_out")
    result = lint_imports(copy)
    assert result.returncode == 1, result.stdout
    assert "BROKEN" in result.stdout
    assert "boxoffice.prediction.schemas -> boxoffice.evaluation.held_out" in result.stdout


def test_a_cycle_hidden_inside_a_function_is_found(copy: Path) -> None:
    """transforms <- track_record <- build; an import of build inside a transforms function closes a circle."""
    add_line(
        copy / "boxoffice" / "features" / "transforms.py", "def _late():\n    from boxoffice.features import build"
    )
    result = lint_imports(copy)
    assert result.returncode == 1, result.stdout
    assert "No import cycles" in result.stdout and "BROKEN" in result.stdout
    assert "in boxoffice.features." in result.stdout and "- .transforms -> .build (1 import)" in result.stdout
