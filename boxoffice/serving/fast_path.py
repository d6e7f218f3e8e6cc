"""The prediction endpoints' fast path: routes that take the Request and return a Response themselves.

FastAPI's per-request machinery (dependency solving, body and response handling) costs more
than the models on /predict (bench/serve.py measures it against a floor app): these endpoints
read the raw body with pydantic's own JSON validator, read their query themselves and write
orjson bytes. FastAPI still documents them from their registration, and ``document_bodies``
adds the request bodies it cannot see to the OpenAPI schema.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

import orjson
from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import Response
from fastapi.routing import APIRoute
from pydantic import BaseModel, TypeAdapter, ValidationError

BOOL = TypeAdapter(bool)


class DirectRoute(APIRoute):
    """A route whose endpoint takes the Request and returns a Response itself, with no dependency solving."""

    def get_route_handler(self) -> Callable[[Request], Any]:
        return self.endpoint


def add_direct_route(app: FastAPI, path: str, endpoint: Callable[..., Any], **options: Any) -> None:
    """POST ``path`` as a DirectRoute on the app's own router: an included router adds a routing step a request."""
    app.router.add_api_route(path, endpoint, methods=["POST"], route_class_override=DirectRoute, **options)


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


def explain(request: Request) -> bool:
    """The ``explain`` query parameter, read as FastAPI would read a bool (true/false, 1/0, yes/no, on/off)."""
    if not request.scope["query_string"]:  # most requests: no need to parse a query
        return False
    return query(request, "explain", BOOL, False)


def query(request: Request, name: str, adapter: TypeAdapter[Any], default: Any) -> Any:
    """A query parameter validated by ``adapter`` (lax: from text), ``default`` when absent; 422 naming it."""
    value = request.query_params.get(name)
    if value is None:
        return default
    try:
        return adapter.validate_python(value)
    except ValidationError as err:
        raise RequestValidationError([{**err.errors()[0], "loc": ("query", name)}]) from None


def query_parameter(name: str, schema: dict[str, Any], description: str) -> dict[str, Any]:
    """An optional query parameter as OpenAPI describes it (the endpoints read their queries themselves)."""
    return {"name": name, "in": "query", "required": False, "schema": schema, "description": description}


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


def document_bodies(app: FastAPI, models: Sequence[type[BaseModel]], max_items: dict[tuple[str, str], int]) -> None:
    """Add the request bodies the direct endpoints validate themselves to the app's OpenAPI schema.

    ``max_items``: (model, list field) -> its largest length, a limit set when the service starts.
    """
    original_openapi = app.openapi

    def openapi() -> dict[str, Any]:
        schema = original_openapi()
        for model in models:
            definitions = model.model_json_schema(ref_template="#/components/schemas/{model}")
            schema["components"]["schemas"].update(definitions.pop("$defs", {}))
            schema["components"]["schemas"][model.__name__] = definitions
        for (model_name, field), most in max_items.items():
            schema["components"]["schemas"][model_name]["properties"][field]["maxItems"] = most
        return schema

    app.openapi = openapi  # type: ignore[method-assign]
