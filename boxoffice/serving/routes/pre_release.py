"""Before release: /predict/pre_release, /batch_predict/pre_release and the what-if scenarios."""

from __future__ import annotations

from typing import Annotated

from fastapi import FastAPI, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.exceptions import RequestValidationError
from fastapi.responses import Response
from pydantic import Field, TypeAdapter

from boxoffice.serving.answering import SingleFilms, answer_rows, extras_query, predictions
from boxoffice.serving.batch import BEYOND_MODEL, request_columns
from boxoffice.serving.deps import ERRORS, predictor
from boxoffice.serving.fast_path import add_direct_route, answer, json_body, parse
from boxoffice.serving.scenarios import (
    SCENARIOS_EXAMPLE,
    ScenarioPredictions,
    ScenarioRequest,
    TooManyScenarios,
    scenario_films,
)
from boxoffice.serving.schemas import PRE_RELEASE_EXAMPLE, BatchPrediction, Prediction, PreReleaseMovie
from boxoffice.serving.settings import ServeSettings


def add_routes(app: FastAPI, settings: ServeSettings) -> None:
    single = SingleFilms(PreReleaseMovie, "pre_release", settings.coalesce, settings.max_comps)

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

    add_direct_route(
        app,
        "/predict/pre_release",
        predict_pre_release,
        responses=ERRORS,
        response_model=Prediction,
        openapi_extra=json_body("PreReleaseMovie", extras_query(settings.max_comps)),
    )
    add_direct_route(
        app,
        "/batch_predict/pre_release",
        batch_predict_pre_release,
        responses=ERRORS,
        response_model=BatchPrediction,
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
