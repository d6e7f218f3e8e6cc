"""params.yaml has exactly the sections and keys the typed params in boxoffice.params declare."""

from __future__ import annotations

import difflib
import shutil
import typing
from pathlib import Path

from dvc.utils.hydra import apply_overrides

from boxoffice.features.sets import VARIANTS
from boxoffice.params import Params, load_params
from tests.conftest import ROOT


def test_params_yaml_matches_the_typed_sections() -> None:
    params = load_params(path=ROOT / "params.yaml")
    sections = typing.get_type_hints(Params)
    assert set(params) == set(sections)
    for name, hint in sections.items():
        if typing.is_typeddict(hint):
            assert set(params[name]) == set(typing.get_type_hints(hint)), name
    models = params["regressors"]["models"]
    assert set(params["regressors"]) == {"models", "search", "selection", *models, *VARIANTS}
    for variant in VARIANTS:  # an override section per variant, a mapping per model (empty: no override)
        assert set(params["regressors"][variant]) == set(models)


def rewritten_by_dvc(tmp_path: Path, override: str) -> list[str]:
    """params.yaml's lines after ``dvc exp run -S override`` rewrites it (DVC's own writer)."""
    copy = tmp_path / "params.yaml"
    shutil.copyfile(ROOT / "params.yaml", copy)
    apply_overrides(copy, [override])
    return copy.read_text(encoding="utf-8").splitlines()


def test_params_yaml_is_in_the_layout_dvc_writes(tmp_path: Path) -> None:
    """Setting a value to itself, as `dvc exp apply` of an unchanged value does, rewrites no byte."""
    value = load_params("featurize", ROOT / "params.yaml")["hit_multiple"]
    assert (
        rewritten_by_dvc(tmp_path, f"featurize.hit_multiple={value}")
        == (ROOT / "params.yaml").read_text(encoding="utf-8").splitlines()
    )


def test_a_one_value_experiment_changes_one_line(tmp_path: Path) -> None:
    before = (ROOT / "params.yaml").read_text(encoding="utf-8").splitlines()
    after = rewritten_by_dvc(tmp_path, "regressors.gradient_boosting.n_estimators=123")
    changed = [line for line in difflib.unified_diff(before, after, lineterm="", n=0) if line[:1] in "+-"]
    assert changed[2:] == ["-    n_estimators: 100", "+    n_estimators: 123"], changed
