"""The pages, /forecast and /ledger; their files under /forecast/ (served by the app); /forecast/context."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from fastapi import FastAPI, Request
from fastapi.responses import Response

from boxoffice.serving.deps import UNAVAILABLE, predictor
from boxoffice.serving.fast_path import answer
from boxoffice.serving.page import FILES, HEADERS, PAGES, context, page_files


async def forecast_context(request: Request) -> Any:
    """What the forecast page's form suggests (names the models know) and its trust figures."""
    served = predictor(request, "pre_release")
    if getattr(request.app.state, "context", None) is None:  # the same for every request: built once
        request.app.state.context = answer(context(served))
    return request.app.state.context


def add_routes(app: FastAPI) -> None:
    files = page_files()

    def page_file(name: str) -> Callable[[], Any]:
        async def serve_file() -> Response:
            return Response(files[name], media_type=FILES[name], headers=HEADERS)

        return serve_file

    for path, name in PAGES.items():
        app.add_api_route(path, page_file(name), methods=["GET"], include_in_schema=False)
    for name in FILES:
        if name not in PAGES.values():
            app.add_api_route(f"/forecast/{name}", page_file(name), methods=["GET"], include_in_schema=False)
    app.get("/forecast/context", responses=UNAVAILABLE)(forecast_context)
