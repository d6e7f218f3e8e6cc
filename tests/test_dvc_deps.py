"""Every stage runs its script as a module and lists, as deps, exactly the boxoffice modules it runs.

The deps themselves are ``boxoffice.checks.stage_deps``'s business (``--write`` makes them,
``--check`` runs in CI); here they are current, and the check names what is wrong.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from boxoffice.checks import stage_deps
from tests import tiny
from tests.conftest import ROOT

STAGES = {stage.name: stage for stage in tiny.stage_instances(tiny.tiny_params())}  # the matrix expanded


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


def test_every_stage_lists_exactly_the_modules_it_imports() -> None:
    text = (ROOT / "dvc.yaml").read_text(encoding="utf-8")
    assert stage_deps.differences(text, ROOT) == []
    assert stage_deps.current_deps(text, ROOT) == text


def test_the_closure_follows_imports_through_modules() -> None:
    closure = stage_deps.import_closure(ROOT / "stages" / "featurize.py", ROOT)
    assert "boxoffice/data/raw.py" in closure  # featurize -> features.build -> features.transforms -> data.raw
    assert "boxoffice/data/__init__.py" in closure  # and the package that holds it


@pytest.fixture
def copy(tmp_path: Path) -> Path:
    """dvc.yaml with the code it names, to make stale on purpose."""
    for folder in ("boxoffice", "stages"):
        shutil.copytree(ROOT / folder, tmp_path / folder, ignore=shutil.ignore_patterns("__pycache__"))
    shutil.copy(ROOT / "dvc.yaml", tmp_path)
    return tmp_path


def test_a_missing_module_is_named_and_write_restores_it(copy: Path, capsys: pytest.CaptureFixture[str]) -> None:
    written = (copy / "dvc.yaml").read_text(encoding="utf-8")
    (copy / "dvc.yaml").write_text(written.replace("    - boxoffice/modeling/training.py\n", "", 1), encoding="utf-8")
    assert stage_deps.main(["--check", "--root", str(copy)]) == 1
    assert "train-regressors: misses boxoffice/modeling/training.py" in capsys.readouterr().out
    assert stage_deps.main(["--write", "--root", str(copy)]) == 0
    assert (copy / "dvc.yaml").read_text(encoding="utf-8") == written
    assert stage_deps.main(["--check", "--root", str(copy)]) == 0


def test_a_module_no_longer_imported_is_named_and_write_drops_it(
    copy: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """An import removed from the code leaves a dep that re-runs the stage for nothing."""
    written = (copy / "dvc.yaml").read_text(encoding="utf-8")
    cv = (copy / "stages" / "cv_classifier.py").read_text(encoding="utf-8")
    (copy / "stages" / "cv_classifier.py").write_text(
        cv.replace("from boxoffice.modeling.forward import", "from boxoffice.modeling.forward_gone import"),
        encoding="utf-8",
    )
    assert stage_deps.main(["--check", "--root", str(copy)]) == 1
    assert (
        "cv-classifier: lists boxoffice/modeling/forward.py, which its script does not import"
        in capsys.readouterr().out
    )
    assert stage_deps.main(["--write", "--root", str(copy)]) == 0
    rewritten = (copy / "dvc.yaml").read_text(encoding="utf-8")
    assert rewritten != written and stage_deps.main(["--check", "--root", str(copy)]) == 0
