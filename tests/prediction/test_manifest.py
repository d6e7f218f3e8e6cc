"""models/serving.json has one type: evaluate writes it, the predictor reads it, and the bytes survive the trip."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from boxoffice.io import write_json
from boxoffice.prediction.manifest import MANIFEST, ServingManifest
from boxoffice.prediction.predictor import ModelsUnavailable, Predictor


def test_reading_and_writing_the_manifest_keeps_its_bytes(project: Path, tmp_path: Path) -> None:
    manifest = ServingManifest.read(project / "models")
    write_json(tmp_path / MANIFEST, manifest.to_json())
    assert (tmp_path / MANIFEST).read_bytes() == (project / "models" / MANIFEST).read_bytes()
    assert isinstance(manifest.featurize.hit_multiple, float) and isinstance(manifest.main.comps.films, int)


def test_the_variants_are_typed_sections(project: Path) -> None:
    manifest = ServingManifest.read(project / "models")
    assert manifest.variant("pre_release").comps.by_date and not manifest.variant("main").comps.by_date
    with pytest.raises(KeyError, match="'forward'"):
        manifest.variant("forward")  # the forward rebuild's figures are not a served variant


def broken(tmp_path: Path, project: Path, change) -> Path:
    models = tmp_path / "models"
    shutil.copytree(project / "models", models)
    manifest = json.loads((models / MANIFEST).read_text())
    change(manifest)
    (models / MANIFEST).write_text(json.dumps(manifest))
    return models


@pytest.mark.parametrize(
    ("change", "named"),
    [
        (lambda manifest: manifest["main"]["regressor"].pop("interval"), "main.regressor.interval"),
        (lambda manifest: manifest["pre_release"]["comps"].update(films="many"), "pre_release.comps.films"),
        (lambda manifest: manifest["main"].update(extra_figure=1.0), "main.extra_figure"),  # a key the type lacks
        (lambda manifest: manifest.update(hit_source="coin"), "hit_source"),
    ],
)
def test_a_manifest_the_type_does_not_describe_is_refused_naming_the_key(
    tmp_path: Path, project: Path, change, named: str
) -> None:
    models = broken(tmp_path, project, change)
    with pytest.raises(ModelsUnavailable, match="dvc repro") as refused:
        Predictor.load(models, "main")
    assert named in str(refused.value)
