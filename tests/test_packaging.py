"""Dependency files agree: requirements.txt is the lock; Pipfile and the serving subset follow it."""

from __future__ import annotations

import ast
import importlib.metadata
import importlib.util
import json
import re
import subprocess
import sys
import tomllib
from pathlib import Path

from boxoffice.serving.batch import ANSWER_FIELDS
from tests.conftest import ROOT


def pins(path) -> dict[str, str]:
    found = {}
    for line in (ROOT / path).read_text().splitlines():
        match = re.match(r"^([A-Za-z0-9_.\-]+)(?:\[[^\]]*\])?==(\S+)$", line.strip())
        if match:
            found[re.sub(r"[-_.]+", "-", match.group(1)).lower()] = match.group(2)
    return found


def test_requirements_pin_every_package_exactly() -> None:
    lines = [line for line in (ROOT / "requirements.txt").read_text().splitlines() if line and not line.startswith("#")]
    assert lines[-1] == "-e ."
    assert all("==" in line for line in lines[:-1]), [line for line in lines if "==" not in line]
    assert len(pins("requirements.txt")) == len(lines) - 1


def test_serving_requirements_are_a_subset_with_the_same_pins() -> None:
    lock, serve = pins("requirements.txt"), pins("requirements-serve.txt")
    assert {"fastapi", "uvicorn", "scikit-learn", "xgboost-cpu", "numpy"} <= set(serve)
    assert {name: version for name, version in serve.items() if lock.get(name) != version} == {}


def test_pipfile_matches_the_lock() -> None:
    pipfile = tomllib.loads((ROOT / "Pipfile").read_text())
    lock = pins("requirements.txt")
    declared = {**pipfile["packages"], **pipfile["dev-packages"]}
    declared.pop("boxoffice")
    mismatched = {}
    for name, spec in declared.items():
        version = (spec["version"] if isinstance(spec, dict) else spec).removeprefix("==")
        if lock.get(re.sub(r"[-_.]+", "-", name).lower()) != version:
            mismatched[name] = (version, lock.get(name))
    assert mismatched == {}
    assert pipfile["requires"]["python_version"] == "3.11"


def test_the_serving_subset_holds_everything_the_service_imports() -> None:
    """Every third-party import in the boxoffice modules ``main`` loads (the Docker image's app) is pinned there."""
    script = (
        "import sys, json, main; "
        "print(json.dumps([m.__file__ for n, m in sys.modules.items() if n.startswith('boxoffice')]))"
    )
    out = subprocess.run([sys.executable, "-c", script], cwd=ROOT, capture_output=True, text=True, check=True)
    tops = set()
    for path in json.loads(out.stdout):
        for node in ast.walk(ast.parse(Path(path).read_text())):
            if isinstance(node, ast.Import):
                tops |= {alias.name.split(".")[0] for alias in node.names}
            elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
                tops.add(node.module.split(".")[0])
    distributions = importlib.metadata.packages_distributions()
    needed = {
        re.sub(r"[-_.]+", "-", dist).lower()
        for top in tops - set(sys.stdlib_module_names) - {"boxoffice"}
        for dist in distributions[top]
    }
    assert needed - set(pins("requirements-serve.txt")) == set()


def test_the_benchmark_floor_answers_every_field_the_service_does() -> None:
    """bench/floor_app.py's constant is a whole Prediction (it broke once when the schema grew)."""
    spec = importlib.util.spec_from_file_location("floor_app", ROOT / "bench" / "floor_app.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    assert set(module.CONSTANT.model_dump(exclude_none=True)) == set(ANSWER_FIELDS)
