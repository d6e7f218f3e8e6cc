"""The service's settings: a keyword beats the environment, which beats params.yaml; nonsense is refused."""

from __future__ import annotations

from pathlib import Path

import pytest
from pydantic import ValidationError

from boxoffice.serving.settings import ServeSettings


def test_the_environment_overrides_params_yaml_and_a_keyword_overrides_both(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("BOXOFFICE_MAX_COMPS", "7")
    assert ServeSettings().max_comps == 7
    assert ServeSettings(max_comps=0).max_comps == 0  # an explicit 0 is a value, not "unset"


def test_started_outside_the_project_it_uses_the_environment_and_defaults(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("BOXOFFICE_MAX_BATCH", "12")
    settings = ServeSettings()
    assert settings.max_batch == 12 and settings.coalesce == 64


@pytest.mark.parametrize("name", ["max_batch", "coalesce", "max_scenarios"])
def test_a_size_below_one_is_refused_naming_it(name: str) -> None:
    with pytest.raises(ValidationError, match=name):
        ServeSettings(**{name: 0})


def test_params_yaml_serve_section_is_read(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    (tmp_path / "params.yaml").write_text("serve:\n  max_comps: 3\n  coalesce: 8\n")
    monkeypatch.chdir(tmp_path)
    settings = ServeSettings()
    assert (settings.max_comps, settings.coalesce) == (3, 8)
