"""Benchmark results as data: the shared writer's schema, and the docs' page generated from the files."""

from __future__ import annotations

import ast
import importlib
import importlib.util
import json
from pathlib import Path
from types import ModuleType

import pytest

from boxoffice.checks import benchmarks

ROOT = Path(__file__).resolve().parents[2]


def bench_results() -> ModuleType:
    """bench/results.py, which the bench scripts import as a sibling module (bench/ is not a package)."""
    spec = importlib.util.spec_from_file_location("bench_results", ROOT / "bench" / "results.py")
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_write_result_records_commit_machine_and_each_figure_beside_its_floor(tmp_path: Path) -> None:
    results = bench_results()
    figures = [
        results.figure("floor req/s", 5000.0, "req/s"),
        results.figure("/predict req/s", 6000.0, "req/s", ("floor req/s", 5000.0)),
    ]
    path = results.write_result("serve", figures, folder=tmp_path)

    assert path.parent == tmp_path / "serve" and path.suffix == ".json"
    result = json.loads(path.read_text())
    assert set(result) == {"bench", "commit", "date", "machine", "figures"}
    assert result["bench"] == "serve" and result["date"].endswith("Z")
    assert len(result["commit"].removesuffix("-dirty")) == 40
    machine = result["machine"]
    assert machine["cpu"] and machine["cores"] >= 1 and machine["python"].startswith("3.11")
    assert machine["packages"]["scikit-learn"] and machine["packages"]["fastapi"]
    assert result["figures"][0] == {
        "name": "floor req/s",
        "value": 5000.0,
        "unit": "req/s",
        "floor": None,
        "ratio_to_floor": None,
    }
    assert result["figures"][1]["floor"] == {"name": "floor req/s", "value": 5000.0}
    assert result["figures"][1]["ratio_to_floor"] == pytest.approx(1.2)
    assert list(tmp_path.rglob("*.tmp")) == []  # written whole, then moved into place


def result(date: str, cpu: str, ratio: float) -> dict:
    return {
        "bench": "serve",
        "commit": "0" * 40,
        "date": date,
        "machine": {"cpu": cpu, "cores": 2, "python": "3.11.7", "packages": {"numpy": "2.4.6"}},
        "figures": [
            {"name": "floor req/s", "value": 5000.0, "unit": "req/s", "floor": None, "ratio_to_floor": None},
            {
                "name": "/predict req/s",
                "value": 5000.0 * ratio,
                "unit": "req/s",
                "floor": {"name": "floor req/s", "value": 5000.0},
                "ratio_to_floor": ratio,
            },
        ],
    }


def write(folder: Path, *runs: dict) -> None:
    for run in runs:
        path = folder / run["bench"] / (run["date"].replace("-", "").replace(":", "") + ".json")
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(json.dumps(run))


def test_the_page_shows_the_latest_run_per_machine_and_the_trend(tmp_path: Path) -> None:
    write(
        tmp_path,
        result("2026-12-01T10:00:00Z", "CPU A", 1.1),
        result("2026-12-03T10:00:00Z", "CPU A", 1.3),
        result("2026-12-02T10:00:00Z", "CPU B", 0.9),
    )
    text = benchmarks.page(tmp_path)

    assert text.count("### CPU A, 2 cores") == 1 and text.count("### CPU B, 2 cores") == 1
    section_a = text.split("### CPU A, 2 cores")[1].split("###")[0]
    assert "Latest run: 2026-12-03T10:00:00Z" in section_a
    assert "| /predict req/s | 6,500 | req/s | floor req/s | 5,000 | 1.30 |" in section_a
    assert "| figure | 2026-12-01 | 2026-12-03 |" in section_a  # oldest first
    assert "| /predict req/s | 1.10 x floor | 1.30 x floor |" in section_a


def test_check_fails_on_a_stale_page_and_passes_once_written(tmp_path: Path) -> None:
    write(tmp_path / "results", result("2026-12-01T10:00:00Z", "CPU A", 1.1))
    page = tmp_path / "benchmarks.md"
    args = ["--results", str(tmp_path / "results"), "--page", str(page)]

    assert benchmarks.main(["--check", *args]) == 1  # no page yet
    assert benchmarks.main(["--write", *args]) == 0
    assert benchmarks.main(["--check", *args]) == 0
    write(tmp_path / "results", result("2026-12-02T10:00:00Z", "CPU A", 1.2))  # a new result
    assert benchmarks.main(["--check", *args]) == 1


def test_the_committed_page_is_current() -> None:
    args = ["--check", "--results", str(ROOT / "bench" / "results"), "--page", str(ROOT / "docs" / "benchmarks.md")]
    assert benchmarks.main(args) == 0, "run: python -m boxoffice.checks.benchmarks --write"


def test_every_name_a_bench_script_imports_from_the_package_exists() -> None:
    """The scripts import lazily, per mode, so a module the package moved fails only when that mode runs:
    check each `from boxoffice... import name` of bench/ against the package as it is."""
    missing = []
    for script in sorted((ROOT / "bench").glob("*.py")):
        for node in ast.walk(ast.parse(script.read_text())):
            if isinstance(node, ast.ImportFrom) and (node.module or "").startswith("boxoffice"):
                try:
                    module = importlib.import_module(node.module or "")
                except ImportError:
                    missing.append(f"{script.name}: {node.module}")
                    continue
                missing += [f"{script.name}: {node.module}.{a.name}" for a in node.names if not hasattr(module, a.name)]
    assert missing == []
