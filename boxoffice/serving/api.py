"""The HTTP service: predictions from the models the pipeline produced.

Start it from the project root with ``uvicorn main:app --host 0.0.0.0 --port 8000``.
Settings come from the environment: ``BOXOFFICE_MODELS_DIR`` (default ``models``),
``BOXOFFICE_DVC_LOCK`` (default ``dvc.lock``), ``BOXOFFICE_MAX_BATCH`` and
``BOXOFFICE_COALESCE`` (defaults ``serve.max_batch`` and ``serve.coalesce`` in params.yaml).
"""

import gc
import logging
import os
from collections.abc import AsyncIterator, Callable, Sequence
from contextlib import asynccontextmanager
from itertools import repeat
from pathlib import Path
from typing import Annotated, Any, cast

import numpy as np
import orjson
from fastapi import FastAPI, HTTPException, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, Response
from fastapi.routing import APIRoute
from pydantic import BaseModel, Field, TypeAdapter, ValidationError

from boxoffice import __version__
from boxoffice.features.sets import VARIANTS
from boxoffice.params import load_params
from boxoffice.serving.batch import BEYOND_MODEL, answers, movie_columns_from_json, request_columns
from boxoffice.serving.coalescing import Coalescer
from boxoffice.serving.ledger_routes import close_ledger, ledger_router, open_ledger
from boxoffice.serving.page import FILES, HEADERS, context, page_files
from boxoffice.serving.predictor import ModelsUnavailable, Predictor
from boxoffice.serving.scenarios import (
    SCENARIOS_EXAMPLE,
    ScenarioPredictions,
    ScenarioRequest,
    TooManyScenarios,
    scenario_films,
)
from boxoffice.serving.schemas import (
    BATCH_EXAMPLES,
    PRE_RELEASE_EXAMPLE,
    BatchPrediction,
    Health,
    InvalidRequest,
    Movie,
    Prediction,
    PreReleaseMovie,
    Problem,
    Unhealthy,
    field_path,
)

log = logging.getLogger("boxoffice.serving.api")
DEFAULT_MAX_BATCH = 10_000
DEFAULT_COALESCE = 64
DEFAULT_MAX_COMPS = 20
DEFAULT_MAX_SCENARIOS = 200
UNAVAILABLE: dict[int | str, dict[str, Any]] = {
    503: {"model": Problem, "description": "models missing or unreadable: run `dvc repro`"}
}
ERRORS: dict[int | str, dict[str, Any]] = {
    400: {"model": Problem, "description": "the body could not be decoded (not UTF-8)"},
    422: {"model": InvalidRequest, "description": "invalid input: which field, and why"},
    **UNAVAILABLE,
}


def query_parameter(name: str, schema: dict[str, Any], description: str) -> dict[str, Any]:
    """An optional query parameter as OpenAPI describes it (the endpoints read their queries themselves)."""
    return {"name": name, "in": "query", "required": False, "schema": schema, "description": description}


FLAG = {"type": "boolean", "default": False}
EXPLAIN = query_parameter("explain", FLAG, "add each feature's contribution to the predicted log revenue")
QUANTILES = query_parameter("quantiles", FLAG, "add the revenue distribution's levels 0.05 to 0.95 (its CDF)")


def comps_parameter(most: int) -> dict[str, Any]:
    return query_parameter(
        "comps",
        {"type": "integer", "minimum": 0, "maximum": most, "default": 0},
        "add the N past films most like this one, as the served model sees them",
    )


_BOOL = TypeAdapter(bool)


class DirectRoute(APIRoute):
    """A route whose endpoint takes the Request and returns a Response itself, with no dependency solving.

    FastAPI's per-request machinery (dependencies, body and response handling) cost more
    than the models on /predict (about 35 us a request, bench/serve.py); these endpoints
    read and validate their body themselves. FastAPI still documents them from the decorator.
    """

    def get_route_handler(self) -> Callable[[Request], Any]:
        return self.endpoint


def serve_setting(name: str, default: int) -> int:
    """BOXOFFICE_<NAME>, else serve.<name> in params.yaml, else ``default``."""
    variable = f"BOXOFFICE_{name.upper()}"
    if variable in os.environ:
        return int(os.environ[variable])
    try:
        return int(load_params("serve")[name])
    except (OSError, KeyError):
        return default


def single_scorer(
    app: FastAPI, variant: str, schema: type[Movie] | type[PreReleaseMovie], extras: tuple[bool, int, bool]
) -> Callable[[Sequence[BaseModel]], list[dict[str, Any] | None]]:
    """Validated single requests -> their answers (None: beyond the model), in one vectorised call.

    ``extras``: (explain, comps, quantiles), what the query string asked to add.
    """
    return lambda movies: answer_rows(app.state.predictors[variant], request_columns(schema, movies), *extras)


def predictions(predictor: Predictor, columns: dict[str, np.ndarray], explain: bool = False) -> list[dict[str, Any]]:
    """One vectorised model call for the whole batch, rows in request order."""
    rows = answer_rows(predictor, columns, explain)
    if None in rows:
        raise RequestValidationError([{"loc": ("body", rows.index(None)), "msg": BEYOND_MODEL, "type": "value_error"}])
    return cast(list[dict[str, Any]], rows)


def answer_rows(
    predictor: Predictor, columns: dict[str, np.ndarray], explain: bool = False, comps: int = 0, quantiles: bool = False
) -> list[dict[str, Any] | None]:
    """Each film's response fields, or None for a film beyond what the model can score."""
    fields, finite = answers(predictor, columns, explain, comps, quantiles)
    names = list(fields)
    values = [column.tolist() if isinstance(column, np.ndarray) else column for column in fields.values()]
    # map(dict, ...) builds 10,000 rows in ~2/3 of a comprehension's time.
    rows: list[dict[str, Any] | None] = list(map(dict, map(zip, repeat(names), zip(*values, strict=True))))
    return rows if finite.all() else [row if ok else None for row, ok in zip(rows, finite.tolist(), strict=True)]


def load_predictors(models_dir: Path) -> tuple[dict[str, Predictor], str | None]:
    """Both variants' models; the error message instead when they cannot be served."""
    try:
        loaded = Predictor.load_all(models_dir)
    except ModelsUnavailable as err:
        return {}, str(err)
    try:
        # One answer each before the first request: builds /predict's features (a KeyError names
        # what it lacks) and loads or compiles the numba kernels (seconds when uncached).
        loaded["main"].predict(request_columns(Movie, [Movie(runtime=100.0, popularity=1.0, vote_avg=5.0, budget=1e6)]))
        example = PreReleaseMovie.model_validate_json(orjson.dumps(PRE_RELEASE_EXAMPLE))
        loaded["pre_release"].predict(request_columns(PreReleaseMovie, [example]))
    except KeyError as err:
        return {}, (
            f"the served feature set {loaded['main'].section['features']['set']!r} needs inputs /predict does not "
            f"take ({err.args[0]}); run the pipeline with features.set=seed to serve /predict"
        )
    try:  # the comps' explanations, once, before the first request that asks for comps
        for served in loaded.values():
            served.comps  # noqa: B018
    except KeyError as err:
        return {}, f"the comps table does not match the served models ({err.args[0]}); run `dvc repro`"
    return loaded, None


def predictor_of(app: FastAPI, variant: str) -> Predictor:
    """The served variant; a 503 naming what is wrong when the models are unavailable."""
    if app.state.error:
        raise HTTPException(status_code=503, detail=app.state.error)
    return app.state.predictors[variant]


def create_app(
    models_dir: str | Path | None = None,
    lock_path: str | Path | None = None,
    max_batch: int | None = None,
    coalesce: int | None = None,
    ledger_url: str | None = None,
) -> FastAPI:
    models_dir = Path(models_dir or os.environ.get("BOXOFFICE_MODELS_DIR", "models"))
    lock_path = Path(lock_path or os.environ.get("BOXOFFICE_DVC_LOCK", "dvc.lock"))
    max_batch = max_batch or serve_setting("max_batch", DEFAULT_MAX_BATCH)
    coalesce = coalesce or serve_setting("coalesce", DEFAULT_COALESCE)
    max_comps = serve_setting("max_comps", DEFAULT_MAX_COMPS)
    max_scenarios = serve_setting("max_scenarios", DEFAULT_MAX_SCENARIOS)
    comps_count = TypeAdapter(Annotated[int, Field(ge=0, le=max_comps)])
    files = page_files()

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        """Load the models once; a failure leaves the service up and /health at 503."""
        app.state.predictors, app.state.error = load_predictors(models_dir)
        if app.state.error:
            log.error("%s", app.state.error)
        # The models and libraries are long-lived: keep the garbage collector from re-scanning
        # them (a full pass over them takes ~70 ms) while requests allocate.
        gc.freeze()
        open_ledger(app, models_dir, ledger_url)
        yield
        close_ledger(app)

    app = FastAPI(
        title="boxoffice",
        version=__version__,
        description="Predict a film's box-office revenue and whether it will earn more than twice its budget, "
        "after release (/predict) or before it (/predict/pre_release). Hit probabilities come from TMDB's "
        "most-voted films, mostly successes: they overrate a typical film's chances.",
        lifespan=lifespan,
    )

    def predictor(request: Request, variant: str = "main") -> Predictor:
        return predictor_of(request.app, variant)

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
        status = "models unavailable" if request.app.state.error else "ok"
        return {"name": "boxoffice", "version": __version__, "status": status, "docs": "/docs"}

    @app.get("/health", response_model=Health, responses={503: {"model": Unhealthy}})
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

    # The three prediction endpoints read the raw body with pydantic's own JSON validator and
    # write orjson bytes, on DirectRoutes: FastAPI's generic request and response handling
    # cost more than the models (bench/serve.py --wrk). The schemas still document and check
    # every field.
    def direct(path: str, **options: Any) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
        """``@app.post`` for a DirectRoute (on the app's own router: an included router costs ~13 us a request)."""

        def register(endpoint: Callable[..., Any]) -> Callable[..., Any]:
            app.router.add_api_route(path, endpoint, methods=["POST"], route_class_override=DirectRoute, **options)
            return endpoint

        return register

    # Single films that arrive together are scored by one vectorised call (boxoffice.serving.coalescing),
    # one coalescer for each kind of answer (variant, and what the query adds), made when first asked.
    coalescers: dict[tuple[str, tuple[bool, int, bool]], Coalescer[BaseModel, dict[str, Any] | None]] = {}
    schemas: dict[str, type[Movie] | type[PreReleaseMovie]] = {"main": Movie, "pre_release": PreReleaseMovie}
    plain = (False, 0, False)

    def coalescer(variant: str, extras: tuple[bool, int, bool]) -> Coalescer[BaseModel, dict[str, Any] | None]:
        key = (variant, extras)
        if key not in coalescers:
            coalescers[key] = Coalescer(single_scorer(app, variant, schemas[variant], extras), coalesce)
        return coalescers[key]

    async def single(request: Request, variant: str, schema: type[Movie] | type[PreReleaseMovie]) -> Response:
        movie = parse(schema.model_validate_json, await request.body())
        predictor(request, variant)  # 503 when the models are unavailable
        if request.scope["query_string"]:
            extras = (
                explain(request),
                query(request, "comps", comps_count, 0),
                query(request, "quantiles", _BOOL, False),
            )
            row = await coalescer(variant, extras)(movie)
        else:  # most requests: no query to read
            row = await coalescer(variant, plain)(movie)
        if row is None:
            raise RequestValidationError([{"loc": ("body",), "msg": BEYOND_MODEL, "type": "value_error"}])
        return answer(row)

    batch = TypeAdapter(Annotated[list[Movie], Field(min_length=1, max_length=max_batch)])

    query_options = [EXPLAIN, comps_parameter(max_comps), QUANTILES]

    @direct("/predict", responses=ERRORS, response_model=Prediction, openapi_extra=json_body("Movie", query_options))
    async def predict(request: Request) -> Response:
        return await single(request, "main", Movie)

    @direct(
        "/predict/pre_release",
        responses=ERRORS,
        response_model=Prediction,
        openapi_extra=json_body("PreReleaseMovie", query_options),
    )
    async def predict_pre_release(request: Request) -> Response:
        """Before release: budget, runtime, date, genres, language, companies, director, lead cast, keywords."""
        return await single(request, "pre_release", PreReleaseMovie)

    @direct(
        "/batch_predict",
        responses=ERRORS,
        response_model=BatchPrediction,
        openapi_extra=json_body("Movie", batch=max_batch, examples=[BATCH_EXAMPLES]),
    )
    async def batch_predict(request: Request) -> Response:
        """A 10,000-movie batch is scored in the thread pool, not on the event loop."""
        body = await request.body()
        columns = movie_columns_from_json(body, max_batch) or request_columns(Movie, parse(batch.validate_json, body))
        served = predictor(request)
        scored = await run_in_threadpool(lambda: predictions(served, columns))
        return answer({"predictions": scored})

    pre_release_batch = TypeAdapter(Annotated[list[PreReleaseMovie], Field(min_length=1, max_length=max_batch)])

    @direct(
        "/batch_predict/pre_release",
        responses=ERRORS,
        response_model=BatchPrediction,
        openapi_extra=json_body("PreReleaseMovie", batch=max_batch, examples=[[PRE_RELEASE_EXAMPLE]]),
    )
    async def batch_predict_pre_release(request: Request) -> Response:
        """Many pre-release films in one vectorised call, in the thread pool."""
        films = parse(pre_release_batch.validate_json, await request.body())
        served = predictor(request, "pre_release")
        columns = request_columns(PreReleaseMovie, films)
        scored = await run_in_threadpool(lambda: predictions(served, columns))
        return answer({"predictions": scored})

    @direct(
        "/predict/pre_release/scenarios",
        responses=ERRORS,
        response_model=ScenarioPredictions,
        openapi_extra=json_body("ScenarioRequest", examples=[SCENARIOS_EXAMPLE]),
    )
    async def scenarios(request: Request) -> Response:
        """What-if: the film with some fields replaced, once per scenario, all answered in one vectorised call."""
        asked = parse(ScenarioRequest.model_validate_json, await request.body())
        try:
            films = scenario_films(asked, max_scenarios)
        except TooManyScenarios as err:
            raise RequestValidationError(
                [{"loc": ("body", "scenarios"), "msg": str(err), "type": "too_long"}]
            ) from None
        rows = answer_rows(predictor(request, "pre_release"), request_columns(PreReleaseMovie, films))
        if None in rows:
            where = ("body", "scenarios", rows.index(None))
            raise RequestValidationError([{"loc": where, "msg": BEYOND_MODEL, "type": "value_error"}])
        return answer({"scenarios": rows})

    def score_pre_release(films: Sequence[PreReleaseMovie]) -> list[dict[str, Any] | None]:
        return answer_rows(predictor_of(app, "pre_release"), request_columns(PreReleaseMovie, films))

    app.include_router(
        ledger_router(score_pre_release, lambda: predictor_of(app, "pre_release").settings["hit_multiple"])
    )

    def page_file(name: str) -> Callable[[], Any]:
        async def serve_file() -> Response:
            return Response(files[name], media_type=FILES[name], headers=HEADERS)

        return serve_file

    app.add_api_route("/forecast", page_file("forecast.html"), methods=["GET"], include_in_schema=False)
    for name in FILES:
        if name != "forecast.html":
            app.add_api_route(f"/forecast/{name}", page_file(name), methods=["GET"], include_in_schema=False)

    @app.get("/forecast/context", responses=UNAVAILABLE)
    async def forecast_context(request: Request) -> Any:
        """What the forecast page's form suggests (names the models know) and its trust figures."""
        served = predictor(request, "pre_release")
        if getattr(request.app.state, "context", None) is None:  # the same for every request: built once
            request.app.state.context = answer(context(served))
        return request.app.state.context

    original_openapi = app.openapi

    def openapi() -> dict[str, Any]:
        """FastAPI's schema plus the request bodies the endpoints above validate themselves."""
        schema = original_openapi()
        for model in (Movie, PreReleaseMovie, ScenarioRequest):
            definitions = model.model_json_schema(ref_template="#/components/schemas/{model}")
            schema["components"]["schemas"].update(definitions.pop("$defs", {}))
            schema["components"]["schemas"][model.__name__] = definitions
        scenarios = schema["components"]["schemas"]["ScenarioRequest"]["properties"]["scenarios"]
        scenarios["maxItems"] = max_scenarios
        return schema

    app.openapi = openapi  # type: ignore[method-assign]

    @app.get("/model", responses=UNAVAILABLE)
    async def model(request: Request) -> dict[str, Any]:
        """What is being served: models, params, metrics, and file hashes checked against dvc.lock."""
        return {variant: predictor(request, variant).describe(lock_path) for variant in VARIANTS}

    return app


def json_body(
    model: str,
    parameters: list[dict[str, Any]] | None = None,
    batch: int | None = None,
    examples: list[Any] | None = None,
) -> dict[str, Any]:
    """The OpenAPI request body (and query parameters) of an endpoint that validates its raw request itself."""
    schema: dict[str, Any] = {"$ref": f"#/components/schemas/{model}"}
    if batch is not None:
        schema = {"type": "array", "items": schema, "minItems": 1, "maxItems": batch}
    content: dict[str, Any] = {"schema": schema}
    if examples:
        content["examples"] = {f"example {i + 1}": {"value": value} for i, value in enumerate(examples)}
    return {"requestBody": {"required": True, "content": {"application/json": content}}, "parameters": parameters or []}


def explain(request: Request) -> bool:
    """The ``explain`` query parameter, read as FastAPI would read a bool (true/false, 1/0, yes/no, on/off)."""
    if not request.scope["query_string"]:  # most requests: no need to parse a query
        return False
    return query(request, "explain", _BOOL, False)


def query(request: Request, name: str, adapter: TypeAdapter[Any], default: Any) -> Any:
    """A query parameter validated by ``adapter`` (lax: from text), ``default`` when absent; 422 naming it."""
    value = request.query_params.get(name)
    if value is None:
        return default
    try:
        return adapter.validate_python(value)
    except ValidationError as err:
        raise RequestValidationError([{**err.errors()[0], "loc": ("query", name)}]) from None


def parse(validate_json: Callable[[bytes], Any], body: bytes) -> Any:
    """The validated body; a RequestValidationError (the 422 handler's input) naming what is wrong."""
    if not body.strip():
        raise RequestValidationError([{"loc": ("body",), "msg": "Field required", "type": "missing"}])
    try:
        return validate_json(body)
    except ValidationError as err:
        raise RequestValidationError(
            [{**error, "loc": ("body", *error["loc"])} for error in err.errors(include_url=False)]
        ) from None


def answer(content: Any) -> Response:
    """orjson bytes (the body is already validated and every number finite)."""
    return Response(orjson.dumps(content), media_type="application/json")


def _describe(error: dict[str, Any]) -> dict[str, str]:
    if error["type"] == "json_invalid":
        reason = error.get("ctx", {}).get("error", "")
        return {"field": "body", "message": f"invalid JSON: {reason}", "type": "json_invalid"}
    return {"field": field_path(error["loc"]), "message": error["msg"], "type": error["type"]}
