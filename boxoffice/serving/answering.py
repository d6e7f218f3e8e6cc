"""Validated films -> the response rows, in one vectorised model call, for single films and batches alike."""

from __future__ import annotations

from itertools import repeat
from typing import Annotated, Any, cast

import numpy as np
from fastapi import Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import Response
from pydantic import BaseModel, Field, TypeAdapter

from boxoffice.modeling.comp_reasons import CompRules
from boxoffice.prediction.batch import BEYOND_MODEL, answers, request_columns
from boxoffice.prediction.predictor import Predictor
from boxoffice.prediction.schemas import Movie, PreReleaseMovie
from boxoffice.serving.coalescing import Coalescer
from boxoffice.serving.deps import predictor
from boxoffice.serving.fast_path import BOOL, answer, explain, parse, query, query_parameter

# What the query string asks to add: (explain, comps, quantiles, the comps' constraints).
Extras = tuple[bool, int, bool, CompRules]
PLAIN: Extras = (False, 0, False, CompRules())
Row = dict[str, Any] | None  # None: a film beyond what the model can score
FLAG = {"type": "boolean", "default": False}


def extras_query(max_comps: int, comp_rules: bool = False) -> list[dict[str, Any]]:
    """The query parameters a single film's answer reads (``SingleFilms``), as OpenAPI describes them.

    ``comp_rules``: also the comps' constraints (pre-release films: they have genres and a date).
    """
    comps = {"type": "integer", "minimum": 0, "maximum": max_comps, "default": 0}
    read = [
        query_parameter("explain", FLAG, "add each feature's contribution to the predicted log revenue"),
        query_parameter("comps", comps, "add the N past films most like this one, as the served model sees them"),
        query_parameter("quantiles", FLAG, "add the revenue distribution's levels 0.05 to 0.95 (its CDF)"),
    ]
    if comp_rules:
        years = {"type": "integer", "minimum": 0, "maximum": MAX_YEARS_APART}
        read += [
            query_parameter("comps_share_genre", FLAG, "only comps that share at least one genre with the film"),
            query_parameter("comps_within_years", years, "only comps released at most this many years from it"),
            query_parameter("comps_same_budget_band", FLAG, "only comps in the film's budget band (constant dollars)"),
        ]
    return read


def answer_rows(
    predictor: Predictor,
    columns: dict[str, np.ndarray],
    explain: bool = False,
    comps: int = 0,
    quantiles: bool = False,
    comp_rules: CompRules | None = None,
) -> list[Row]:
    """Each film's response fields, or None for a film beyond what the model can score."""
    fields, finite = answers(predictor, columns, explain, comps, quantiles, comp_rules)
    names = list(fields)
    values = [column.tolist() if isinstance(column, np.ndarray) else column for column in fields.values()]
    # map(dict, ...) builds a large batch's rows faster than a comprehension.
    rows: list[Row] = list(map(dict, map(zip, repeat(names), zip(*values, strict=True))))
    return rows if finite.all() else [row if ok else None for row, ok in zip(rows, finite.tolist(), strict=True)]


def predictions(predictor: Predictor, columns: dict[str, np.ndarray], explain: bool = False) -> list[dict[str, Any]]:
    """Every film's response fields, rows in request order; a 422 naming the first film beyond the model."""
    rows = answer_rows(predictor, columns, explain)
    if None in rows:
        raise RequestValidationError([{"loc": ("body", rows.index(None)), "msg": BEYOND_MODEL, "type": "value_error"}])
    return cast(list[dict[str, Any]], rows)


MAX_YEARS_APART = 200
_YEARS = TypeAdapter(Annotated[int, Field(ge=0, le=MAX_YEARS_APART)])


def comp_rules(request: Request) -> CompRules:
    """The comps' constraints the query asks for (``boxoffice.modeling.comp_reasons``)."""
    return CompRules(
        share_genre=query(request, "comps_share_genre", BOOL, False),
        within_years=query(request, "comps_within_years", _YEARS, None),
        same_budget_band=query(request, "comps_same_budget_band", BOOL, False),
    )


class SingleFilms:
    """One film a request; films that arrive together are scored by one vectorised call (boxoffice.serving.coalescing).

    One coalescer for each kind of answer (variant, and what the query adds), made when first asked.
    """

    def __init__(
        self, schema: type[Movie] | type[PreReleaseMovie], variant: str, coalesce: int, max_comps: int, turns: int = 1
    ):
        self.schema, self.variant, self.coalesce, self.turns = schema, variant, coalesce, turns
        self.comps_count = TypeAdapter(Annotated[int, Field(ge=0, le=max_comps)])
        self.reads_comp_rules = schema is PreReleaseMovie
        self.coalescers: dict[Extras, Coalescer[BaseModel, Row]] = {}

    def coalescer(self, request: Request, extras: Extras) -> Coalescer[BaseModel, Row]:
        if extras not in self.coalescers:
            state, schema, variant = request.app.state, self.schema, self.variant
            self.coalescers[extras] = Coalescer(
                lambda movies: answer_rows(state.predictors[variant], request_columns(schema, movies), *extras),
                self.coalesce,
                self.turns,
            )
        return self.coalescers[extras]

    async def __call__(self, request: Request) -> Response:
        movie = parse(self.schema.model_validate_json, await request.body())
        predictor(request, self.variant)  # 503 when the models are unavailable
        if request.scope["query_string"]:
            extras = (
                explain(request),
                query(request, "comps", self.comps_count, 0),
                query(request, "quantiles", BOOL, False),
                comp_rules(request) if self.reads_comp_rules else CompRules(),
            )
        else:  # most requests: no query to read
            extras = PLAIN
        row = await self.coalescer(request, extras)(movie)
        if row is None:
            raise RequestValidationError([{"loc": ("body",), "msg": BEYOND_MODEL, "type": "value_error"}])
        return answer(row)
