"""Before release: /predict/pre_release, /batch_predict/pre_release and the what-if scenarios."""

from __future__ import annotations

from dataclasses import asdict
from typing import Annotated, Any, Literal

from fastapi import FastAPI, Query, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.exceptions import RequestValidationError
from fastapi.responses import Response
from pydantic import Field, TypeAdapter

from boxoffice.prediction.batch import BEYOND_MODEL, request_columns
from boxoffice.prediction.scenarios import (
    SCENARIOS_EXAMPLE,
    ScenarioPredictions,
    ScenarioRequest,
    TooManyScenarios,
    scenario_films,
)
from boxoffice.prediction.schemas import (
    PRE_RELEASE_EXAMPLE,
    NameReading,
    PreReleaseBatchPrediction,
    PreReleaseMovie,
    PreReleasePrediction,
)
from boxoffice.serving.answering import SingleFilms, answer_rows, extras_query, predictions
from boxoffice.serving.deps import ERRORS, UNAVAILABLE, predictor
from boxoffice.serving.fast_path import add_direct_route, answer, json_body, parse
from boxoffice.serving.settings import ServeSettings

NameField = Literal["directors", "cast", "production_companies", "keywords", "genres"]


def add_routes(app: FastAPI, settings: ServeSettings) -> None:
    single = SingleFilms(PreReleaseMovie, "pre_release", settings.coalesce, settings.max_comps, settings.coalesce_turns)

    async def read_name(
        request: Request,
        field: Annotated[NameField, Query(description="the request field the name is typed in")],
        name: Annotated[str, Query(min_length=1, max_length=200, description="the name as typed")],
        position: Annotated[
            int,
            Query(ge=0, le=1000, description="its place in the film's list, from 0 (cast: later ones are not read)"),
        ] = 0,
    ) -> Any:
        """How /predict/pre_release would read a name (exactly, as a known spelling, unknown, or not read), with
        up to three suggestions: the same reading as the answers' ``names``, for a form to show as names are added."""
        return asdict(predictor(request, "pre_release").names.read_one(field, name, position))

    async def predict_pre_release(request: Request) -> Response:
        """Before release: budget, runtime, date, genres, language, companies, director, lead cast, keywords."""
        return await single(request)

    batch = TypeAdapter(Annotated[list[PreReleaseMovie], Field(min_length=1, max_length=settings.max_batch)])

    async def batch_predict_pre_release(request: Request) -> Response:
        """Many pre-release films in one vectorised call, in the thread pool."""
        films = parse(batch.validate_json, await request.body())
        served = predictor(request, "pre_release")
        columns = request_columns(PreReleaseMovie, films)
        return answer({"predictions": await run_in_threadpool(lambda: predictions(served, columns))})

    async def scenarios(request: Request) -> Response:
        """What-if: the film with some fields replaced, once per scenario, all answered in one vectorised call."""
        asked = parse(ScenarioRequest.model_validate_json, await request.body())
        try:
            films = scenario_films(asked, settings.max_scenarios)
        except TooManyScenarios as err:
            raise RequestValidationError(
                [{"loc": ("body", "scenarios"), "msg": str(err), "type": "too_long"}]
            ) from None
        rows = answer_rows(predictor(request, "pre_release"), request_columns(PreReleaseMovie, films))
        if None in rows:
            where = ("body", "scenarios", rows.index(None))
            raise RequestValidationError([{"loc": where, "msg": BEYOND_MODEL, "type": "value_error"}])
        return answer({"scenarios": rows})

    app.get("/names", response_model=NameReading, responses=UNAVAILABLE)(read_name)
    add_direct_route(
        app,
        "/predict/pre_release",
        predict_pre_release,
        responses=ERRORS,
        response_model=PreReleasePrediction,
        openapi_extra=json_body("PreReleaseMovie", extras_query(settings.max_comps, comp_rules=True)),
    )
    add_direct_route(
        app,
        "/batch_predict/pre_release",
        batch_predict_pre_release,
        responses=ERRORS,
        response_model=PreReleaseBatchPrediction,
        openapi_extra=json_body("PreReleaseMovie", batch=settings.max_batch, examples=[[PRE_RELEASE_EXAMPLE]]),
    )
    add_direct_route(
        app,
        "/predict/pre_release/scenarios",
        scenarios,
        responses=ERRORS,
        response_model=ScenarioPredictions,
        openapi_extra=json_body("ScenarioRequest", examples=[SCENARIOS_EXAMPLE]),
    )
