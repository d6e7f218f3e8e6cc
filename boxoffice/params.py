"""Read ``params.yaml``: the one place where settings live."""

from __future__ import annotations

from pathlib import Path
from typing import Any, Literal, TypedDict, overload

import yaml

PARAMS_FILE = Path("params.yaml")


# One TypedDict per section of params.yaml, so a misspelt key is a type error (mypy in CI).
class PrepareParams(TypedDict):
    min_budget: float
    min_revenue: float
    extra_films: list[str]  # films-schema files inside data/extra_films/


class FeaturizeParams(TypedDict):
    hit_multiple: float
    genres: list[str]
    more_genres: list[str]
    major_studios: list[str]
    keywords: list[str]
    cast_top: int
    constant_dollars: bool
    cpi_base_year: int
    test_size: float
    validation_size: float
    random_state: int


class FeaturesParams(TypedDict):
    set: str
    sets: dict[str, list[str]]


class ClassifierParams(TypedDict):
    C: float | list[float]
    folds: int
    random_state: int
    max_iter: int
    calibration: str
    threshold: float


class ServeParams(TypedDict):
    max_batch: int
    coalesce: int
    hit_source: str
    population_hit_rate: float | None
    max_comps: int
    max_scenarios: int


class EvaluateParams(TypedDict):
    importance_repeats: int
    cv_folds: int
    cv_repeats: int
    n_jobs: int
    interval_coverage: float
    cv_calibration: float
    budget_bands: list[float]
    min_band_films: int
    forward_cutoff: str
    forward_calibration: float
    comps_forward: list[int]
    whatif_min_budget: float
    random_state: int


# regressors: {"models": [names], "search": {"folds", "random_state", "n_jobs"}, "selection": rule}
# plus one params mapping per model (a list is a grid), and per variant (main, pre_release)
# one mapping per model of the values that variant alone overrides.
RegressorsParams = dict[str, Any]


def model_params(regressors: RegressorsParams, name: str, variant: str) -> dict[str, Any]:
    """A model type's params for one variant: its shared section, with the variant's overrides on top.

    So ``dvc exp run -S`` can tune the pre-release model without touching /predict's.
    """
    return {**regressors[name], **regressors[variant][name]}


class Params(TypedDict):
    prepare: PrepareParams
    featurize: FeaturizeParams
    features: FeaturesParams
    regressors: RegressorsParams
    classifier: ClassifierParams
    serve: ServeParams
    evaluate: EvaluateParams


Section = Literal["prepare", "featurize", "features", "regressors", "classifier", "serve", "evaluate"]


@overload
def load_params(section: None = None, path: str | Path = PARAMS_FILE) -> Params: ...
@overload
def load_params(section: Section, path: str | Path = PARAMS_FILE) -> Any: ...


def load_params(section: Section | None = None, path: str | Path = PARAMS_FILE) -> Any:
    """Return the whole parameter file, or one top-level section of it.

    Plain ``yaml.safe_load`` rather than ``dvc.api.params_show``: it does not start DVC's
    repository machinery, and keeps DVC out of code the service imports.
    """
    with open(path, encoding="utf-8") as handle:
        params = yaml.safe_load(handle) or {}
    if section is None:
        return params
    if section not in params:
        raise KeyError(f"{path} has no section {section!r}")
    return params[section]
