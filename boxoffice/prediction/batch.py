"""Validated requests in, response fields out, for any number of films at once.

The service (one film or a batch) and ``boxoffice.scoring`` (a file of films) both go
through these functions, so a film gets the same numbers whichever way it is asked.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Sequence
from functools import cache
from typing import Any

import numpy as np
import orjson
from pydantic import BaseModel

from boxoffice.data.raw import LIST_SEPARATOR
from boxoffice.modeling.comp_reasons import CompRules
from boxoffice.prediction.predictor import Predictor
from boxoffice.prediction.schemas import Movie, Prediction, PreReleasePrediction, within

# Every field of a response but the optional explanation, comps and quantiles, in the schema's order.
OPTIONAL_FIELDS = ("explanation", "comps", "quantiles")
ANSWER_FIELDS = tuple(name for name in Prediction.model_fields if name not in OPTIONAL_FIELDS)
# What a pre-release answer adds: how names were read, warnings, the producer's result.
PRE_RELEASE_FIELDS = tuple(name for name in PreReleasePrediction.model_fields if name not in Prediction.model_fields)
BEYOND_MODEL = "these inputs are beyond what the model can score"


def request_value(value: Any) -> Any:
    """A validated field as the feature code takes it: lists as '|'-joined names, dates as ISO text."""
    if isinstance(value, list):
        return LIST_SEPARATOR.join([name.strip() for name in value])
    if isinstance(value, dt.date):
        return value.isoformat()
    return value


def request_columns(schema: type[BaseModel], movies: Sequence[BaseModel]) -> dict[str, np.ndarray]:
    """Validated requests as columns in the shape of the pipeline's cleaned table."""
    columns = {}
    for name, numeric in _fields(schema):
        values = [getattr(movie, name) for movie in movies]
        columns[name] = (
            np.array(values, dtype=np.float64) if numeric else np.array(list(map(request_value, values)), dtype=object)
        )
    return columns


@cache
def _fields(schema: type[BaseModel]) -> tuple[tuple[str, bool], ...]:
    """Each field's name, and whether it is a number (read once per schema: every request asks)."""
    return tuple((name, field.annotation is float) for name, field in schema.model_fields.items())


def movie_columns_from_json(body: bytes, max_items: int) -> dict[str, np.ndarray] | None:
    """Columns of a JSON array of /predict bodies, when every item already meets the schema as it is.

    A 10,000-movie batch spends more time in pydantic building Movie objects than in the
    models. Here every rule of ``Movie`` is applied to whole columns (its fields exactly,
    JSON numbers only, its bounds); any doubt returns None and pydantic decides, with its
    own messages. ``tests/prediction/test_batch.py`` holds this to pydantic's verdicts and values.
    """
    try:
        items = orjson.loads(body)
    except orjson.JSONDecodeError:
        return None
    fields = Movie.model_fields
    if type(items) is not list or not 1 <= len(items) <= max_items:
        return None
    if any(type(item) is not dict or len(item) != len(fields) for item in items):
        return None
    columns = {}
    try:
        for name, field in fields.items():
            values = [item[name] for item in items]
            if any(type(value) is not float and type(value) is not int for value in values):
                return None
            columns[name] = np.array(values, dtype=np.float64)
            if not within(columns[name], field).all():
                return None
    except (KeyError, OverflowError):
        return None
    return columns


def answers(
    predictor: Predictor,
    columns: dict[str, np.ndarray],
    explain: bool = False,
    comps: int = 0,
    quantiles: bool = False,
    comp_rules: CompRules | None = None,
) -> tuple[dict[str, Any], np.ndarray]:
    """The response fields as columns (one vectorised model call), and which rows are finite.

    A row that is not finite (inputs far outside the training data) has no answer: the
    service refuses the request, the file scorer sends the row to its rejects.
    """
    out = predictor.predict(columns, explain, comps, quantiles, comp_rules)
    finite = np.isfinite(out["high"]) & np.isfinite(out["p90"]) & np.isfinite(out["hit_probability"])
    fields: dict[str, Any] = {
        "predicted_revenue": out["median"],
        "predicted_revenue_millions": millions(out["median"]),
        "revenue_low": out["low"],
        "revenue_high": out["high"],
        "interval_coverage": np.full(len(finite), predictor.interval_coverage),
        "revenue_p10": out["p10"],
        "revenue_p90": out["p90"],
        "is_hit": out["is_hit"],
        "hit_probability": out["hit_probability"],
        "break_even_probability": out["break_even_probability"],
        "budget_millions": millions(np.asarray(columns["budget"], dtype=np.float64)),
    }
    if "names" in out:  # a pre-release answer
        fields.update({name: out[name] for name in PRE_RELEASE_FIELDS})
    if explain:
        fields["explanation"] = out["explanation"]
    if comps:
        fields["comps"] = out["comps"]
    if quantiles:
        fields["quantiles"] = out["quantiles"]
    return fields, finite


def millions(dollars: np.ndarray) -> np.ndarray:
    """round(dollars / 1e6, 2) with Python's correctly rounded ``round``, for a whole column at once.

    numpy's rounding (scale, rint, unscale) can pick the other neighbour when the scaled
    value lands within rounding error of a half cent; those few values get Python's round.
    """
    value = np.asarray(dollars, dtype=np.float64) / 1e6
    if len(value) <= 8:  # a request's few values: Python's round is quicker than the checks below
        return np.array([round(v, 2) if math.isfinite(v) else v for v in value.tolist()])
    scaled = value * 100
    rounded = np.rint(scaled) / 100
    with np.errstate(invalid="ignore"):  # inf - inf: handled below
        near_half = np.abs(np.abs(scaled - np.trunc(scaled)) - 0.5) <= 1e-7 * np.maximum(1.0, np.abs(scaled))
    unsure = near_half | ~np.isfinite(value) | (np.abs(scaled) >= 2.0**52)
    for i in np.flatnonzero(unsure).tolist():
        rounded[i] = round(float(value[i]), 2) if np.isfinite(value[i]) else value[i]
    return rounded
