"""The seed's endpoints: /, /health, /predict and /batch_predict."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import FastAPI, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import JSONResponse, Response
from pydantic import Field, TypeAdapter

from boxoffice import __version__
from boxoffice.prediction.batch import movie_columns_from_json, request_columns
from boxoffice.prediction.schemas import BATCH_EXAMPLES, BatchPrediction, Health, Movie, Prediction, Unhealthy
from boxoffice.serving.answering import SingleFilms, extras_query, predictions
from boxoffice.serving.deps import ERRORS, predictor
from boxoffice.serving.fast_path import add_direct_route, answer, json_body, parse
from boxoffice.serving.settings import ServeSettings


async def root(request: Request) -> dict[str, str]:
    status = "models unavailable" if request.app.state.error else "ok"
    return {"name": "boxoffice", "version": __version__, "status": status, "docs": "/docs"}


async def health(request: Request) -> Any:
    if request.app.state.error:
        return JSONResponse(status_code=503, content={"status": "unhealthy", "detail": request.app.state.error})
    loaded = request.app.state.predictors
    return {
        "status": "healthy",
        "models": {
            "regressor": loaded["main"].regressor_name,
            "classifier": loaded["main"].classifier_name,
            "pre_release_regressor": loaded["pre_release"].regressor_name,
            "pre_release_classifier": loaded["pre_release"].classifier_name,
        },
    }


def add_routes(app: FastAPI, settings: ServeSettings) -> None:
    app.get("/")(root)
    app.get("/health", response_model=Health, responses={503: {"model": Unhealthy}})(health)
    single = SingleFilms(Movie, "main", settings.coalesce, settings.max_comps, settings.coalesce_turns)

    async def predict(request: Request) -> Response:
        return await single(request)

    add_direct_route(
        app,
        "/predict",
        predict,
        responses=ERRORS,
        response_model=Prediction,
        openapi_extra=json_body("Movie", extras_query(settings.max_comps)),
    )
    batch = TypeAdapter(Annotated[list[Movie], Field(min_length=1, max_length=settings.max_batch)])

    async def batch_predict(request: Request) -> Response:
        """A 10,000-movie batch is scored in the thread pool, not on the event loop."""
        body = await request.body()
        columns = movie_columns_from_json(body, settings.max_batch) or request_columns(
            Movie, parse(batch.validate_json, body)
        )
        served = predictor(request)
        return answer({"predictions": await run_in_threadpool(lambda: predictions(served, columns))})

    add_direct_route(
        app,
        "/batch_predict",
        batch_predict,
        responses=ERRORS,
        response_model=BatchPrediction,
        openapi_extra=json_body("Movie", batch=settings.max_batch, examples=[BATCH_EXAMPLES]),
    )
