"""The HTTP service: single and batch predictions from the models the pipeline produced.

Start it from the project root with ``uvicorn main:app --host 0.0.0.0 --port 8000``.
Settings come from the environment: ``BOXOFFICE_MODELS_DIR`` (default ``models``),
``BOXOFFICE_DVC_LOCK`` (default ``dvc.lock``) and ``BOXOFFICE_MAX_BATCH`` (default
``serve.max_batch`` in params.yaml).
"""

import logging
import os
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Annotated, Any

import numpy as np
from fastapi import Body, FastAPI, HTTPException, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse

from boxoffice import __version__
from boxoffice.params import load_params
from boxoffice.predictor import ModelsUnavailable, Predictor
from boxoffice.schemas import (
    BATCH_EXAMPLES,
    BatchPrediction,
    Health,
    InvalidRequest,
    Movie,
    Prediction,
    Problem,
    Unhealthy,
)

log = logging.getLogger("boxoffice.api")
DEFAULT_MAX_BATCH = 10_000
FIELDS = ("runtime", "popularity", "vote_avg", "budget")
UNAVAILABLE = {503: {"model": Problem, "description": "models missing or unreadable: run `dvc repro`"}}
ERRORS = {
    400: {"model": Problem, "description": "the body could not be decoded (not UTF-8)"},
    422: {"model": InvalidRequest, "description": "invalid input: which field, and why"},
    **UNAVAILABLE,
}


def default_max_batch() -> int:
    """BOXOFFICE_MAX_BATCH, else serve.max_batch in params.yaml, else 10,000."""
    if "BOXOFFICE_MAX_BATCH" in os.environ:
        return int(os.environ["BOXOFFICE_MAX_BATCH"])
    try:
        return int(load_params("serve")["max_batch"])
    except (OSError, KeyError):
        return DEFAULT_MAX_BATCH


def predictions(predictor: Predictor, movies: list[Movie]) -> list[dict[str, Any]]:
    """One vectorised model call for the whole batch, rows in request order."""
    columns = {name: np.array([getattr(movie, name) for movie in movies], dtype=np.float64) for name in FIELDS}
    out = predictor.predict(columns)
    rows = zip(
        out["revenue"].tolist(),
        out["is_hit"].tolist(),
        out["hit_probability"].tolist(),
        columns["budget"].tolist(),
        strict=True,
    )
    return [
        {
            "predicted_revenue": revenue,
            "predicted_revenue_millions": round(revenue / 1e6, 2),
            "is_hit": hit,
            "hit_probability": probability,
            "budget_millions": round(budget / 1e6, 2),
        }
        for revenue, hit, probability, budget in rows
    ]


def create_app(
    models_dir: str | Path | None = None, lock_path: str | Path | None = None, max_batch: int | None = None
) -> FastAPI:
    models_dir = Path(models_dir or os.environ.get("BOXOFFICE_MODELS_DIR", "models"))
    lock_path = Path(lock_path or os.environ.get("BOXOFFICE_DVC_LOCK", "dvc.lock"))
    max_batch = max_batch or default_max_batch()

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        """Load the models once; a failure leaves the service up and /health at 503."""
        app.state.predictor, app.state.error = None, None
        try:
            app.state.predictor = Predictor.load(models_dir)
        except ModelsUnavailable as err:
            app.state.error = str(err)
            log.error("%s", err)
        yield

    app = FastAPI(
        title="boxoffice",
        version=__version__,
        description="Predict a film's box-office revenue and whether it will earn more than twice its budget. "
        "Hit probabilities come from TMDB's most-voted films, mostly successes: they overrate a typical film.",
        lifespan=lifespan,
    )

    def predictor(request: Request) -> Predictor:
        if request.app.state.predictor is None:
            raise HTTPException(status_code=503, detail=request.app.state.error)
        return request.app.state.predictor

    @app.exception_handler(RequestValidationError)
    async def invalid_request(request: Request, exc: RequestValidationError) -> JSONResponse:
        """422 naming each bad field and why; the offending values are not echoed (NaN is not JSON)."""
        return JSONResponse(status_code=422, content={"detail": [_describe(error) for error in exc.errors()]})

    @app.exception_handler(Exception)
    async def unexpected(request: Request, exc: Exception) -> JSONResponse:
        log.exception("unexpected error on %s %s", request.method, request.url.path)
        return JSONResponse(status_code=500, content={"detail": "internal error; the server log has the details"})

    @app.get("/")
    async def root(request: Request) -> dict[str, str]:
        status = "ok" if request.app.state.predictor else "models unavailable"
        return {"name": "boxoffice", "version": __version__, "status": status, "docs": "/docs"}

    @app.get("/health", response_model=Health, responses={503: {"model": Unhealthy}})
    async def health(request: Request) -> Any:
        loaded = request.app.state.predictor
        if loaded is None:
            return JSONResponse(status_code=503, content={"status": "unhealthy", "detail": request.app.state.error})
        return {
            "status": "healthy",
            "models": {"regressor": loaded.manifest["regressor"]["name"], "classifier": "logistic_regression"},
        }

    @app.post("/predict", responses=ERRORS)
    async def predict(movie: Movie, request: Request) -> Prediction:
        return predictions(predictor(request), [movie])[0]

    Batch = Annotated[list[Movie], Body(min_length=1, max_length=max_batch, examples=[BATCH_EXAMPLES])]

    @app.post("/batch_predict", responses=ERRORS)
    def batch_predict(movies: Batch, request: Request) -> BatchPrediction:
        """Sync on purpose: a 10,000-movie batch runs in the thread pool, not on the event loop."""
        return {"predictions": predictions(predictor(request), movies)}

    @app.get("/model", responses=UNAVAILABLE)
    async def model(request: Request) -> dict[str, Any]:
        """What is being served: models, params, metrics, and file hashes checked against dvc.lock."""
        return predictor(request).describe(lock_path)

    app.state.max_batch = max_batch
    return app


def _describe(error: dict[str, Any]) -> dict[str, str]:
    if error["type"] == "json_invalid":
        position = error["loc"][-1]
        reason = error.get("ctx", {}).get("error", "")
        return {"field": "body", "message": f"invalid JSON at character {position}: {reason}", "type": "json_invalid"}
    return {"field": _field(error["loc"]), "message": error["msg"], "type": error["type"]}


def _field(loc: tuple[Any, ...]) -> str:
    """('body', 3, 'budget') -> '[3].budget'; ('body', 'budget') -> 'budget'."""
    parts = [f"[{part}]" if isinstance(part, int) else f".{part}" for part in loc if part != "body"]
    return "".join(parts).lstrip(".") or "body"
