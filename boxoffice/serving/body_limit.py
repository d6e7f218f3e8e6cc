"""413 for a request body larger than its endpoint's largest legitimate one, before the body is read whole.

An ASGI middleware, so it runs before any endpoint reads ``await request.body()``: a declared
Content-Length over the limit is refused without reading a byte; a body without one (chunked)
is counted as it arrives and refused at the first chunk past the limit. Without it a 400 MB
body of whitespace sent to /batch_predict was read into memory before its 422.

The limits come from the schemas: a film's largest legitimate body is every text field and
list at its maximum length, each character at 4 bytes (UTF-8's most), numbers at 32 bytes,
doubled for indentation and spacing (``largest_body``); never less than 64 KiB.
"""

from __future__ import annotations

from typing import Any

import orjson
from pydantic import BaseModel
from starlette.exceptions import HTTPException

from boxoffice.prediction.scenarios import Scenario
from boxoffice.prediction.schemas import Movie, PreReleaseMovie

Scope = dict[str, Any]
PRE_RELEASE_BATCH_BYTES = 64 * 2**20
# No limit below this: a small body, even malformed, gets its 422 naming the field rather than a 413.
SMALLEST_LIMIT = 64 * 2**10
NUMBER_BYTES = 32  # -1.2345678901234567e+308 and a separator
SLACK = 2  # room for pretty-printing: a legitimate client may indent its JSON
TOO_LARGE = 413


def largest_body(model: type[BaseModel]) -> int:
    """Bytes of the largest body ``model`` accepts, as above (bounded fields only; an unbounded one raises)."""
    return SLACK * _largest(model.model_json_schema(), model.model_json_schema().get("$defs", {}))


def _largest(schema: dict[str, Any], definitions: dict[str, Any]) -> int:
    if "$ref" in schema:
        return _largest(definitions[schema["$ref"].rsplit("/", 1)[-1]], definitions)
    if "anyOf" in schema:
        return max(_largest(option, definitions) for option in schema["anyOf"])
    kind = schema.get("type")
    if kind == "object":
        fields = schema.get("properties", {})
        return 2 + sum(len(name) + 4 + _largest(field, definitions) for name, field in fields.items())
    if kind == "array":
        return 2 + schema["maxItems"] * (_largest(schema["items"], definitions) + 2)
    if kind == "string":
        return 2 + 4 * schema.get("maxLength", 10)  # a date's 10 characters when no maxLength
    return NUMBER_BYTES  # number, integer, boolean, null


def film_limits(max_batch: int, max_scenarios: int) -> dict[str, int]:
    """Each prediction endpoint's limit: its film's largest body, times the most films one request may hold.

    A pre-release batch is the exception: its schema's bound (every list of every film at its
    longest) is gigabytes, so it is capped at ``PRE_RELEASE_BATCH_BYTES``; larger tables go to
    the file scorer (``python -m boxoffice.scoring``).
    """
    movie, film = largest_body(Movie), largest_body(PreReleaseMovie)
    limits = {
        "/predict": movie,
        "/predict/pre_release": film,
        "/batch_predict": 2 + max_batch * (movie + 2),
        "/batch_predict/pre_release": min(2 + max_batch * (film + 2), PRE_RELEASE_BATCH_BYTES),
        "/predict/pre_release/scenarios": film + 2 + max_scenarios * (largest_body(Scenario) + 2),
    }
    return {path: max(limit, SMALLEST_LIMIT) for path, limit in limits.items()}


class BodyLimit:
    """Refuses bodies over ``limits[path]`` (``default`` for any other path) with a 413 naming the limit."""

    def __init__(self, app: Any, limits: dict[str, int], default: int) -> None:
        self.app, self.limits, self.default = app, limits, max(default, SMALLEST_LIMIT)

    async def __call__(self, scope: Scope, receive: Any, send: Any) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        limit = self.limits.get(scope["path"], self.default)
        declared = next((value for name, value in scope["headers"] if name == b"content-length"), None)
        if declared is not None:
            if not declared.isdigit() or int(declared) > limit:
                await refuse(send, limit)
                return
            await self.app(scope, receive, send)  # the server delivers no more than Content-Length
            return
        await self.counted(scope, receive, send, limit)

    async def counted(self, scope: Scope, receive: Any, send: Any, limit: int) -> None:
        """A body of unknown length, counted chunk by chunk."""
        received = 0
        started = False

        async def counting_receive() -> dict[str, Any]:
            nonlocal received
            message = await receive()
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                if received > limit:
                    raise BodyTooLarge(limit)
            return message

        async def tracking_send(message: dict[str, Any]) -> None:
            nonlocal started
            started = started or message["type"] == "http.response.start"
            await send(message)

        try:
            await self.app(scope, counting_receive, tracking_send)
        except BodyTooLarge:
            if not started:
                await refuse(send, limit)


class BodyTooLarge(HTTPException):
    """Raised by the counting receive. An HTTPException, so that FastAPI's body reader passes it on as the
    413 it is (it turns any other error while reading a body into a 400), and the app answers it."""

    def __init__(self, limit: int) -> None:
        super().__init__(TOO_LARGE, too_large(limit))


def too_large(limit: int) -> str:
    return f"the request body is larger than this endpoint's largest request ({limit} bytes)"


async def refuse(send: Any, limit: int) -> None:
    body = orjson.dumps({"detail": too_large(limit)})
    await send(
        {
            "type": "http.response.start",
            "status": TOO_LARGE,
            "headers": [(b"content-type", b"application/json"), (b"content-length", str(len(body)).encode())],
        }
    )
    await send({"type": "http.response.body", "body": body})
