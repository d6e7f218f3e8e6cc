"""params.yaml has exactly the sections and keys the typed params in boxoffice.params declare."""

from __future__ import annotations

import typing

from boxoffice.params import Params, load_params
from tests.conftest import ROOT


def test_params_yaml_matches_the_typed_sections() -> None:
    params = load_params(path=ROOT / "params.yaml")
    sections = typing.get_type_hints(Params)
    assert set(params) == set(sections)
    for name, hint in sections.items():
        if typing.is_typeddict(hint):
            assert set(params[name]) == set(typing.get_type_hints(hint)), name
    assert set(params["regressors"]) == {"models", "search", "selection", *params["regressors"]["models"]}
