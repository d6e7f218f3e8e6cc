"""The forecast ledger's endpoints (``/ledger/...``): every one behind a bearer token.

The token is checked before anything else (before the body is parsed), so a missing or
wrong token gets the same 401 whatever the request, and no ledger row is read or written.
GET needs a read-only or read-write token; everything else a read-write one. The answers
stored are the service's own, computed here from the film; a client never sends one.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import logging
from collections.abc import Callable, Iterator, Sequence
from dataclasses import asdict
from typing import Annotated, Any, cast

import orjson
from fastapi import APIRouter, FastAPI, Path, Query, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, Response, StreamingResponse
from fastapi.routing import APIRoute
from pydantic import BaseModel, ConfigDict, Field, StringConstraints, field_validator
from sqlalchemy.exc import SQLAlchemyError

from boxoffice.features.limits import Warning
from boxoffice.ledger.store import MAX_PAGE, Answered, Ledger, NameTaken, NotFound, PageQuery, ResultKnown
from boxoffice.ledger.surprises import actual_warnings
from boxoffice.ledger.tokens import READ, WRITE, scope_of
from boxoffice.ledger.track_record import track_record
from boxoffice.prediction.batch import BEYOND_MODEL, request_columns
from boxoffice.prediction.scenarios import Scenario, with_changes
from boxoffice.prediction.schemas import (
    LEDGER_NAME_PATTERN,
    MAX_BUDGET,
    PRE_RELEASE_EXAMPLE,
    InvalidRequest,
    IsoDate,
    PreReleaseMovie,
    Problem,
)
from boxoffice.serving.answering import answer_rows
from boxoffice.serving.body_limit import largest_body
from boxoffice.serving.deps import predictor

# A name as typed, its surrounding whitespace removed ("Slate 2027 " is "Slate 2027", not a look-alike): any
# text but empty or blank, or holding a NUL (no database's text column stores one); quotes, SQL and markup are
# kept as they are. Names saved before the stripping are left as they were (and are found as they were typed).
Name = Annotated[
    str, StringConstraints(strip_whitespace=True, min_length=1, max_length=200, pattern=LEDGER_NAME_PATTERN)
]
STRIPPED = " (surrounding whitespace is removed)"
# Fewer released films than this and the track record's figures say little (one film's Brier score can be 0).
FEW_FILMS = 20
# The same words whatever the cause (the log has it): a client learns nothing of the database from them.
UNAVAILABLE = {"detail": "the ledger is unavailable; try again shortly"}
RETRY = {"Retry-After": "5"}
UNAUTHORIZED = {"detail": "a valid ledger token is required (Authorization: Bearer <token>)"}
AUTH_HEADERS = {"WWW-Authenticate": "Bearer"}
LIST_SEPARATOR = "|"
log = logging.getLogger("boxoffice.serving.ledger")
STRICT = ConfigDict(extra="forbid", strict=True, allow_inf_nan=False)
# An id as the databases store it (PostgreSQL's integer): a larger one is a 422, not an overflow.
LARGEST_ID = 2**31 - 1
ForecastId = Annotated[int, Path(ge=1, le=LARGEST_ID, description="the forecast's id")]


class SaveRequest(BaseModel):
    model_config = ConfigDict(
        **STRICT,
        json_schema_extra={"examples": [{"slate": "Summer 2027", "name": "Inception", "film": PRE_RELEASE_EXAMPLE}]},
    )

    slate: Name = Field(description="the slate to save into; created with its first film" + STRIPPED)
    name: Name = Field(description="the film's name in the slate (unique within it)" + STRIPPED)
    film: PreReleaseMovie


class ReforecastRequest(BaseModel):
    model_config = STRICT

    film: PreReleaseMovie | None = Field(
        default=None, description="the film with its facts as they are now; absent: the current revision's film"
    )


class ScenarioRevision(BaseModel):
    model_config = STRICT

    label: Name = Field(description="what the scenario is, e.g. 'December release'" + STRIPPED)
    changes: Scenario = Field(description="the fields of the current film to replace")  # type: ignore[valid-type]


class ActualRequest(BaseModel):
    model_config = ConfigDict(
        **STRICT,
        json_schema_extra={"examples": [{"revenue": 825_532_764, "known_on": "2010-12-31", "source": "studio"}]},
    )

    revenue: float = Field(
        gt=0,
        le=MAX_BUDGET * 100,
        description="worldwide revenue, dollars; an amount far outside the forecast's interval or below the "
        "data's revenues is recorded, with a warning",
    )
    known_on: IsoDate = Field(
        strict=False,
        description="the date the figure was known, YYYY-MM-DD: not after today (the server's clock); a date "
        "before the film's release date is recorded, with a warning",
    )
    source: Name = Field(description="where the figure comes from" + STRIPPED)

    @field_validator("known_on")
    @classmethod
    def _not_in_the_future(cls, known_on: dt.date) -> dt.date:
        today = dt.date.today()
        if known_on > today:
            raise ValueError(f"a figure cannot be known on a date after today ({today.isoformat()})")
        return known_on


# The largest body any ledger endpoint takes (the 413 limit of every path the prediction endpoints' do not set).
LARGEST_REQUEST = max(largest_body(body) for body in (SaveRequest, ReforecastRequest, ScenarioRevision, ActualRequest))


class LedgerRoute(APIRoute):
    """Checks the bearer token before FastAPI reads or validates anything of the request."""

    def get_route_handler(self) -> Callable[[Request], Any]:
        handler = super().get_route_handler()
        needed = READ if (self.methods or set()) <= {"GET", "HEAD"} else WRITE

        async def guarded(request: Request) -> Response:
            if request.app.state.ledger is None:
                return JSONResponse(status_code=503, content=UNAVAILABLE, headers=RETRY)
            try:
                scope = await run_in_threadpool(presented_scope, request)
                if scope is None:
                    return JSONResponse(status_code=401, content=UNAUTHORIZED, headers=AUTH_HEADERS)
                if needed == WRITE and scope != WRITE:
                    return JSONResponse(status_code=403, content={"detail": "this token is read-only"})
                return await handler(request)
            except SQLAlchemyError as err:  # the database went away or is locked: nothing was half-written
                log.error("the ledger's database failed: %s: %s", type(err).__name__, err)
                return JSONResponse(status_code=503, content=UNAVAILABLE, headers=RETRY)

        return guarded


def presented_scope(request: Request) -> str | None:
    scheme, _, token = request.headers.get("authorization", "").partition(" ")
    if scheme.lower() != "bearer" or not token.strip():
        return None
    ledger: Ledger = request.app.state.ledger
    with ledger.session.begin() as session:
        return scope_of(session, token.strip())


def add_routes(app: FastAPI) -> None:
    app.include_router(ledger_router())


def ledger_router() -> APIRouter:
    """The ledger's endpoints, under /ledger."""
    router = APIRouter(
        prefix="/ledger",
        tags=["ledger"],
        route_class=LedgerRoute,
        responses={
            401: {"model": Problem, "description": "no valid token (whatever the request asks for)"},
            403: {"model": Problem, "description": "a read-only token on an endpoint that changes something"},
            404: {"model": Problem, "description": "no such slate or forecast"},
            413: {"model": Problem, "description": "the body is larger than the ledger's largest request"},
            422: {"model": InvalidRequest, "description": "invalid input: which field, and why"},
            503: {"model": Problem, "description": "the models or the ledger's database are unavailable"},
        },
    )

    def answered(request: Request, film: PreReleaseMovie, where: tuple[Any, ...]) -> Answered:
        """The service's answer for ``film`` (a 422 at ``where`` for a film beyond the model)."""
        served = predictor(request, "pre_release")
        row = answer_rows(served, request_columns(PreReleaseMovie, [film]))[0]
        if row is None:
            raise RequestValidationError([{"loc": ("body", *where), "msg": BEYOND_MODEL, "type": "value_error"}])
        identity, multiple = request.app.state.ledger_identity, served.settings["hit_multiple"]
        # Stored as the client reads it: the answer's name readings and warnings are objects that
        # only the service's JSON writer (orjson) knows how to write.
        return Answered(film.model_dump(mode="json"), orjson.loads(orjson.dumps(row)), identity, multiple)

    def ledger(request: Request) -> Ledger:
        return request.app.state.ledger

    @router.post("/forecasts", status_code=201, responses={409: {"model": Problem}})
    def save(request: Request, body: SaveRequest) -> Any:
        """Save a pre-release film's forecast (the service's answer, revision 1) under a name in a slate."""
        try:
            return ledger(request).save(body.slate, body.name, answered(request, body.film, ("film",)))
        except NameTaken as err:
            return JSONResponse(status_code=409, content={"detail": str(err)})

    @router.get("/slates")
    def slates(request: Request) -> Any:
        """Every slate, with how many live forecasts it holds."""
        return {"slates": ledger(request).slates()}

    @router.get("/forecasts")
    def page(
        request: Request,
        slate: Annotated[str, Query(min_length=1, max_length=200)],
        limit: Annotated[int, Query(ge=1, le=MAX_PAGE)] = 50,
        after: Annotated[int, Query(ge=0, le=LARGEST_ID, description="the next_after of the previous page")] = 0,
        name_contains: Annotated[str | None, Query(max_length=200)] = None,
        has_actual: bool | None = None,
        model: Annotated[str | None, Query(max_length=64, description="a serving_hash")] = None,
        deleted: Annotated[bool, Query(description="list the deleted forecasts (to restore) instead")] = False,
    ) -> Any:
        """One page of a slate: each film's current forecast and, where known, its actual result."""
        query = PageQuery(slate, limit, after, name_contains, has_actual, model, deleted)
        return found(lambda: ledger(request).page(query))

    @router.get("/forecasts/{forecast_id}")
    def read(request: Request, forecast_id: ForecastId) -> Any:
        """One forecast with every revision, oldest first."""
        return found(lambda: ledger(request).read(forecast_id))

    @router.post("/forecasts/{forecast_id}/reforecast", responses={409: {"model": Problem}})
    def reforecast(request: Request, forecast_id: ForecastId, body: ReforecastRequest | None = None) -> Any:
        """A new revision answered by the current models (the earlier revisions are kept); a 409 once the film's
        actual result is recorded, since a forecast made then would be scored with hindsight."""
        film = body.film if body is not None and body.film is not None else None
        if film is None:
            stored = found(lambda: ledger(request).current_film(forecast_id))
            if isinstance(stored, JSONResponse):
                return stored
            film = PreReleaseMovie.model_validate(stored, strict=False)
        revision = answered(request, film, ("film",))
        try:
            return found(lambda: ledger(request).revise(forecast_id, "reforecast", revision))
        except ResultKnown as err:
            return JSONResponse(status_code=409, content={"detail": str(err)})

    @router.post("/forecasts/{forecast_id}/scenarios", status_code=201)
    def scenario(request: Request, forecast_id: ForecastId, body: ScenarioRevision) -> Any:
        """A what-if saved as a revision: the current film with ``changes``; the current forecast stays."""
        stored = found(lambda: ledger(request).current_film(forecast_id))
        if isinstance(stored, JSONResponse):
            return stored
        film = with_changes(PreReleaseMovie.model_validate(stored, strict=False), cast(BaseModel, body.changes))
        revision = answered(request, film, ("changes",))
        return found(lambda: ledger(request).revise(forecast_id, "scenario", revision, body.label))

    @router.put("/forecasts/{forecast_id}/actual")
    def actual(request: Request, forecast_id: ForecastId, body: ActualRequest) -> Any:
        """What the film earned (recording again replaces the figure), with ``warnings`` about a surprising one."""
        recorded = found(lambda: ledger(request).record_actual(forecast_id, body.revenue, body.known_on, body.source))
        if isinstance(recorded, JSONResponse):
            return recorded
        current = recorded["current"]
        said = actual_warnings(body.revenue, body.known_on, current["film"], current["answer"], revenue_floor(request))
        return {**recorded, "warnings": [asdict(warning) for warning in said]}

    @router.delete("/forecasts/{forecast_id}")
    def delete(request: Request, forecast_id: ForecastId) -> Any:
        """Delete a forecast: out of its slate's pages and track record, until restored."""
        return found(lambda: ledger(request).delete(forecast_id))

    @router.post("/forecasts/{forecast_id}/restore")
    def restore(request: Request, forecast_id: ForecastId) -> Any:
        return found(lambda: ledger(request).restore(forecast_id))

    @router.get("/export.csv", response_class=StreamingResponse)
    def export(request: Request, slate: Annotated[str, Query(min_length=1, max_length=200)]) -> Any:
        """The slate's live forecasts as CSV: the film, its current forecast, its actual result."""
        missing = found(lambda: ledger(request).slate_id(slate))
        if isinstance(missing, JSONResponse):
            return missing
        return StreamingResponse(
            csv_lines(ledger(request), slate),
            media_type="text/csv; charset=utf-8",
            headers={"Content-Disposition": 'attachment; filename="slate.csv"'},
        )

    @router.get("/track_record")
    def track(request: Request, slate: Annotated[str | None, Query(min_length=1, max_length=200)] = None) -> Any:
        """Forecasts against actual results, overall and per model identity (optionally one slate's), with
        ``warnings`` when they are too few films to say much."""
        record = found(lambda: track_record(ledger(request), slate))
        if isinstance(record, JSONResponse):
            return record
        return {**record, "warnings": [asdict(warning) for warning in few_films(record["films"])]}

    return router


def revenue_floor(request: Request) -> tuple[float, int] | None:
    """The data's low revenue (constant dollars) and the year of those dollars; None while no models are loaded."""
    if request.app.state.error:
        return None
    limits = request.app.state.predictors["pre_release"].limits
    return None if limits.real_revenue is None else (limits.real_revenue[1], limits.cpi_base_year)


def few_films(films: int) -> list[Warning]:
    if films == 0 or films >= FEW_FILMS:
        return []
    return [
        Warning(
            "few_films",
            "films",
            f"only {films} {'film has' if films == 1 else 'films have'} an actual result: figures over fewer than "
            f"{FEW_FILMS} films say little (a single film's Brier score can be 0 by luck)",
        )
    ]


def found(operation: Callable[[], Any]) -> Any:
    """The operation's result, or a 404 naming what was not found."""
    try:
        return operation()
    except NotFound as err:
        return JSONResponse(status_code=404, content={"detail": str(err)})


FILM_COLUMNS = tuple(PreReleaseMovie.model_fields)
CSV_HEADER = (
    "id",
    "slate",
    "name",
    "revision",
    "forecast_at",
    "serving_hash",
    "commit",
    *FILM_COLUMNS,
    "predicted_revenue",
    "revenue_low",
    "revenue_high",
    "interval_coverage",
    "hit_probability",
    "actual_revenue",
    "actual_known_on",
    "actual_source",
)


def csv_lines(ledger: Ledger, slate: str) -> Iterator[str]:
    """The export, a line at a time; lists of names joined by '|' (the films schema's form)."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")

    def line(values: Sequence[Any]) -> str:
        buffer.seek(0)
        buffer.truncate()
        writer.writerow(values)
        return buffer.getvalue()

    yield line(CSV_HEADER)
    slate_cell = as_text(slate)
    for forecast, revision, actual in ledger.slate_rows(slate):
        name = as_text(forecast.name)
        film = [
            as_text(LIST_SEPARATOR.join(value)) if isinstance(value, list) else as_text(value)
            for value in (revision.film.get(column, "") for column in FILM_COLUMNS)
        ]
        yield line(
            [
                forecast.id,
                slate_cell,
                name,
                revision.number,
                revision.created_at.isoformat() + "Z",
                revision.model_hash,
                revision.model_commit,
                *film,
                revision.predicted_revenue,
                revision.revenue_low,
                revision.revenue_high,
                revision.interval_coverage,
                revision.hit_probability,
                *(
                    (actual.revenue, actual.known_on.isoformat(), as_text(actual.source))
                    if actual is not None
                    else ("", "", "")
                ),
            ]
        )


FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def as_text(value: Any) -> Any:
    """A typed text a spreadsheet would run as a formula (``=HYPERLINK(...)``) gets a leading apostrophe;
    numbers and other text are written as they are (the page's CSV export follows the same rule)."""
    return f"'{value}" if isinstance(value, str) and value.startswith(FORMULA_STARTS) else value
