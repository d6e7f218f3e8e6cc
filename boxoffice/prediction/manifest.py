"""``models/serving.json``: what the service answers with, as one type that evaluate writes and the predictor reads.

One type for both sides, so a key the writer drops or renames fails where the file is
read (``ModelsUnavailable``, naming the key), not in the middle of a request. The file's
bytes are what they were before the type: ``boxoffice.io.write_json`` of ``to_json()``,
every number as it was given (an int stays an int, a float a float).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any, Literal, cast

from pydantic import BaseModel, ConfigDict

from boxoffice.io import read_json
from boxoffice.params import FeaturizeParams

MANIFEST = "serving.json"
HIT_SOURCES = ("distribution", "classifier")

Number = int | float  # as written: pydantic's smart union keeps an int an int and a float a float
Report = dict[str, Any]  # figures the evaluation measured, shown by GET /model as they are


class _Part(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")

    def to_json(self) -> dict[str, Any]:
        """JSON-ready data, as the file holds it (for ``write_json``)."""
        return self.model_dump()


class Featurize(_Part):
    """params.yaml's featurize section, as the models were built with (``FeaturizeParams``)."""

    hit_multiple: Number
    genres: list[str]
    more_genres: list[str]
    major_studios: list[str]
    keywords: list[str]
    cast_top: int
    constant_dollars: bool
    cpi_base_year: int
    test_size: Number
    validation_size: Number
    random_state: int

    def as_params(self) -> FeaturizeParams:
        return cast(FeaturizeParams, self.model_dump())


class Features(_Part):
    set: str
    columns: list[str]


class Regressor(_Part):
    name: str
    file: str  # under models/
    params: dict[str, Any]  # its grid point, as fitted
    validation: Report
    test: Report
    cv_train: Report
    interval: Report  # the configured interval's coverage ("coverage") and its measured width


class Classifier(_Part):
    file: str  # under models/
    C: Number
    calibration: str
    threshold: Number
    cv_mean_auc: Number
    test: Report


class Distribution(_Part):
    """``RevenueDistribution.to_json()``: the budget bands' edges and each band's residuals."""

    edges: list[Number]
    residuals: list[list[float]]


class CompsTable(_Part):
    file: str  # under models/
    films: int
    by_date: bool  # only films released before the asked one are its comps


class VariantModels(_Part):
    """What the service needs to load, run and describe one variant's models."""

    features: Features
    constant_dollars: bool
    feature_means: list[Number]
    regressor: Regressor
    classifier: Classifier
    distribution: Distribution
    comps: CompsTable


class Population(_Part):
    learnt_hit_rate: Number
    hit_rate: Number | None  # None: no re-weighting


class ForwardTrust(_Part):
    """How the pre-release answers fared forward in time: the figures a person should weigh them by."""

    cutoff: str
    films: int
    r2: Number | None
    interval_coverage: Number | None
    nominal_coverage: Number
    hit_auc: Number | None
    hit_source: str
    comps_median_r2: dict[str, Number | None]


class ServingManifest(_Part):
    """The whole file: the featurize settings the models were built with, and each variant's models."""

    hit_multiple: Number
    featurize: Featurize
    hit_source: Literal["distribution", "classifier"]
    population: Population
    main: VariantModels
    pre_release: VariantModels
    forward: ForwardTrust

    def variant(self, name: str) -> VariantModels:
        models = {"main": self.main, "pre_release": self.pre_release}
        if name not in models:
            raise KeyError(f"{MANIFEST} has no variant {name!r}")
        return models[name]

    @classmethod
    def read(cls, models_dir: str | Path) -> ServingManifest:
        return cls.model_validate(read_json(Path(models_dir) / MANIFEST))
