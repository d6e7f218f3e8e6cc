"""Loading the served models when the service starts (its lifespan); a failure leaves it up, answering 503."""

from __future__ import annotations

import gc
import logging
from collections.abc import AsyncIterator, Callable
from contextlib import AbstractAsyncContextManager, asynccontextmanager
from pathlib import Path

import orjson
from fastapi import FastAPI

from boxoffice.prediction.batch import request_columns
from boxoffice.prediction.predictor import ModelsUnavailable, Predictor
from boxoffice.prediction.schemas import PRE_RELEASE_EXAMPLE, Movie, PreReleaseMovie
from boxoffice.serving.ledger_access import close_ledger, open_ledger

log = logging.getLogger("boxoffice.serving.api")


def load_predictors(models_dir: Path) -> tuple[dict[str, Predictor], str | None]:
    """Both variants' models; the error message instead when they cannot be served."""
    try:
        loaded = Predictor.load_all(models_dir)
    except ModelsUnavailable as err:
        return {}, str(err)
    try:  # the data's limits, read from the comps table, which every pre-release answer needs
        loaded["pre_release"].limits  # noqa: B018
    except KeyError as err:
        return {}, f"the comps table lacks the films' description ({err.args[0]}); run `dvc repro`"
    try:
        # One answer each before the first request: builds /predict's features (a KeyError names
        # what it lacks) and loads or compiles the numba kernels (seconds when uncached).
        loaded["main"].predict(request_columns(Movie, [Movie(runtime=100.0, popularity=1.0, vote_avg=5.0, budget=1e6)]))
        example = PreReleaseMovie.model_validate_json(orjson.dumps(PRE_RELEASE_EXAMPLE))
        loaded["pre_release"].predict(request_columns(PreReleaseMovie, [example]))
    except KeyError as err:
        return {}, (
            f"the served feature set {loaded['main'].section.features.set!r} needs inputs /predict does not "
            f"take ({err.args[0]}); run the pipeline with features.set=seed to serve /predict"
        )
    try:  # the comps' explanations, once, before the first request that asks for comps
        for served in loaded.values():
            served.comps  # noqa: B018
    except KeyError as err:
        return {}, f"the comps table does not match the served models ({err.args[0]}); run `dvc repro`"
    return loaded, None


def lifespan(models_dir: Path, ledger_url: str | None = None) -> Callable[[FastAPI], AbstractAsyncContextManager[None]]:
    """Load the models once, into ``app.state.predictors`` (or ``app.state.error``), before the first request;
    open the forecast ledger (``ledger_url``, else its settings) into ``app.state.ledger``."""

    @asynccontextmanager
    async def loaded(app: FastAPI) -> AsyncIterator[None]:
        app.state.predictors, app.state.error = load_predictors(models_dir)
        if app.state.error:
            log.error("%s", app.state.error)
        # The models and libraries are long-lived: keep the garbage collector from re-scanning
        # them (a full pass over them is slow) while requests allocate.
        gc.freeze()
        open_ledger(app, models_dir, ledger_url)
        yield
        close_ledger(app)

    return loaded
