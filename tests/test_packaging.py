"""Dependency files agree: requirements.txt is the lock; Pipfile and the serving subset follow it."""

from __future__ import annotations

import re
import tomllib

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
