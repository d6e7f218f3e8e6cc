"""The HTTP service: predictions from the models the pipeline produced.

Start it from the project root with ``uvicorn main:app --host 0.0.0.0 --port 8000``.
Its settings (``boxoffice.serving.settings``) come from the environment over ``serve.*`` in
params.yaml; its endpoints, by concern, from ``boxoffice.serving.routes``.
"""

from __future__ import annotations

import logging
from pathlib import Path
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse

from boxoffice import __version__
from boxoffice.prediction.scenarios import ScenarioRequest
from boxoffice.prediction.schemas import PATTERN_WORDS, Movie, PreReleaseMovie, field_path
from boxoffice.serving.body_limit import BodyLimit, film_limits
from boxoffice.serving.fast_path import document_bodies
from boxoffice.serving.loading import lifespan
from boxoffice.serving.routes import docs, ledger, model_info, page, pre_release, seed
from boxoffice.serving.settings import ServeSettings

log = logging.getLogger("boxoffice.serving.api")


def create_app(
    models_dir: str | Path | None = None,
    lock_path: str | Path | None = None,
    max_batch: int | None = None,
    coalesce: int | None = None,
    ledger_url: str | None = None,
) -> FastAPI:
    """The service; a keyword given here wins over the environment and params.yaml (``ServeSettings``),
    ``ledger_url`` over the ledger's (``boxoffice.ledger.settings``)."""
    given: dict[str, Any] = {
        "models_dir": models_dir,
        "dvc_lock": lock_path,
        "max_batch": max_batch,
        "coalesce": coalesce,
    }
    settings = ServeSettings(**{name: value for name, value in given.items() if value is not None})
    app = FastAPI(
        title="boxoffice",
        version=__version__,
        description="Predict a film's box-office revenue and whether it will earn more than twice its budget, "
        "after release (/predict) or before it (/predict/pre_release). Hit probabilities come from TMDB's "
        "most-voted films, mostly successes: they overrate a typical film's chances.",
        lifespan=lifespan(settings.models_dir, ledger_url),
        docs_url=None,  # /docs and /redoc on vendored files: boxoffice.serving.routes.docs
        redoc_url=None,
    )
    app.add_exception_handler(RequestValidationError, invalid_request)  # type: ignore[arg-type]
    app.add_exception_handler(Exception, unexpected)
    seed.add_routes(app, settings)
    pre_release.add_routes(app, settings)
    page.add_routes(app)
    model_info.add_routes(app, settings)
    docs.add_routes(app)
    ledger.add_routes(app)
    app.add_middleware(
        BodyLimit,
        limits=film_limits(settings.max_batch, settings.max_scenarios),
        default=ledger.LARGEST_REQUEST,
    )
    document_bodies(
        app, (Movie, PreReleaseMovie, ScenarioRequest), {("ScenarioRequest", "scenarios"): settings.max_scenarios}
    )
    return app


async def invalid_request(request: Request, exc: RequestValidationError) -> JSONResponse:
    """422 naming each bad field and why; the offending values are not echoed (NaN is not JSON)."""
    return JSONResponse(status_code=422, content={"detail": [_describe(error) for error in exc.errors()]})


async def unexpected(request: Request, exc: Exception) -> JSONResponse:
    log.exception("unexpected error on %s %s", request.method, request.url.path)
    return JSONResponse(status_code=500, content={"detail": "internal error; the server log has the details"})


def _describe(error: dict[str, Any]) -> dict[str, str]:
    if error["type"] == "json_invalid":
        reason = error.get("ctx", {}).get("error", "")
        return {"field": "body", "message": f"invalid JSON: {reason}", "type": "json_invalid"}
    message = error["msg"]
    if error["type"] == "string_pattern_mismatch":
        message = PATTERN_WORDS.get(error.get("ctx", {}).get("pattern", ""), message)
    return {"field": field_path(error["loc"]), "message": message, "type": error["type"]}
