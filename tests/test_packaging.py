"""Dependency files agree: requirements.txt is the lock; Pipfile and the serving subset follow it."""

from __future__ import annotations

import ast
import importlib.metadata
import importlib.util
import re
import sys
import tomllib

from boxoffice.checks.stage_deps import import_closure
from boxoffice.prediction.batch import ANSWER_FIELDS
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


def test_the_image_is_installed_with_the_locks_uv() -> None:
    """The Dockerfile's uv (removed in the layer that uses it) is the one .ci/run installs the lock with."""
    dockerfile = (ROOT / "Dockerfile").read_text()
    assert re.findall(r"\buv==(\S+)", dockerfile) == [pins("requirements.txt")["uv"]]
    assert "pip uninstall --yes uv" in dockerfile


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
    """Every third-party import of every boxoffice module ``main`` can load (the Docker image's app) is pinned there.

    The modules are read, not imported: every import at any depth of ``main.py`` and of each
    module it reaches, so an import inside a function, which runs only on some request, counts
    too (a fresh interpreter importing ``main`` would see only the ones made at start-up).
    """
    tops = set()
    for path in [ROOT / "main.py", *(ROOT / file for file in import_closure(ROOT / "main.py", ROOT))]:
        for node in ast.walk(ast.parse(path.read_text())):
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


def test_the_package_data_holds_every_file_the_service_serves() -> None:
    """Each file under boxoffice/serving/static (the forecast page's, the docs' vendored UIs) is package data.

    Without it a wheel install serves /forecast or /docs without its scripts.
    """
    package_data = tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["setuptools"]["package-data"]
    serving = ROOT / "boxoffice" / "serving"
    shipped = {path for pattern in package_data["boxoffice.serving"] for path in serving.glob(pattern)}
    files = {path for path in (serving / "static").rglob("*") if path.is_file()}
    assert {serving / "static" / "vendor" / "redoc" / "redoc.standalone.js"} <= files
    assert sorted(str(path.relative_to(serving)) for path in files - shipped) == []
