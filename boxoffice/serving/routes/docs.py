"""The API's documentation pages, /docs (Swagger UI) and /redoc (ReDoc), on files the app serves itself.

FastAPI's own pages load their scripts, styles, fonts and icon from CDNs, so without internet
they render blank. These are the same pages (FastAPI's ``get_swagger_ui_html`` and
``get_redoc_html``) pointed at copies under ``static/vendor/`` (its README names the versions).
Each page's Content-Security-Policy allows this origin only; the inline script or style that
FastAPI's HTML carries is allowed by its hash, so no other inline code can run.
"""

from __future__ import annotations

import base64
import hashlib
import re
from collections.abc import Awaitable, Callable

from fastapi import FastAPI
from fastapi.openapi.docs import get_redoc_html, get_swagger_ui_html, get_swagger_ui_oauth2_redirect_html
from fastapi.responses import HTMLResponse, Response
from fastapi.staticfiles import StaticFiles

from boxoffice.serving.page import HEADERS, STATIC

ASSETS = "/docs/vendor"
FAVICON = "/docs/favicon.svg"
# Swagger UI's stylesheet draws its icons from data: URLs.
POLICY = (
    "default-src 'none'; script-src 'self' {scripts}; style-src 'self' {styles}; img-src 'self' data:; "
    "connect-src 'self'; worker-src {workers}; font-src 'self'; form-action 'self'; base-uri 'none'; "
    "frame-ancestors 'none'"
)
# ReDoc styles itself with styled-components, which writes <style> elements at run time (no hash
# can name them beforehand, and a hash in style-src would void 'unsafe-inline'), and runs its
# search in a Web Worker made from a blob: URL. Inline script stays forbidden.
REDOC = {"styles": "'unsafe-inline'", "workers": "blob:"}


def add_routes(app: FastAPI) -> None:
    openapi_url = app.openapi_url or "/openapi.json"
    redirect_url = app.swagger_ui_oauth2_redirect_url
    swagger = get_swagger_ui_html(
        openapi_url=openapi_url,
        title=f"{app.title} - Swagger UI",
        swagger_js_url=f"{ASSETS}/swagger-ui/swagger-ui-bundle.js",
        swagger_css_url=f"{ASSETS}/swagger-ui/swagger-ui.css",
        swagger_favicon_url=FAVICON,
        oauth2_redirect_url=redirect_url,
        init_oauth=app.swagger_ui_init_oauth,
        swagger_ui_parameters=app.swagger_ui_parameters,
    )
    redoc = get_redoc_html(
        openapi_url=openapi_url,
        title=f"{app.title} - ReDoc",
        redoc_js_url=f"{ASSETS}/redoc/redoc.standalone.js",
        redoc_favicon_url=FAVICON,
        with_google_fonts=False,
    )
    app.add_api_route("/docs", guarded(swagger), methods=["GET"], include_in_schema=False)
    app.add_api_route("/redoc", guarded(redoc, **REDOC), methods=["GET"], include_in_schema=False)
    if redirect_url:
        redirect = guarded(get_swagger_ui_oauth2_redirect_html())
        app.add_api_route(redirect_url, redirect, methods=["GET"], include_in_schema=False)
    favicon = (STATIC / "favicon.svg").read_bytes()
    app.add_api_route(FAVICON, lambda: Response(favicon, media_type="image/svg+xml"), include_in_schema=False)
    app.mount(ASSETS, StaticFiles(directory=STATIC / "vendor"), name="docs-vendor")


def guarded(
    page: HTMLResponse, styles: str | None = None, workers: str = "'none'"
) -> Callable[[], Awaitable[HTMLResponse]]:
    """An endpoint answering ``page`` with the forecast page's headers and a policy fitted to the page.

    The policy allows the page's inline ``<script>`` blocks by hash, and its ``<style>`` blocks
    too unless ``styles`` says what style-src allows instead.
    """
    html = bytes(page.body).decode()
    inline_styles = " ".join(hashes(html, "style")) if styles is None else styles
    csp = POLICY.format(scripts=" ".join(hashes(html, "script")), styles=inline_styles, workers=workers)
    headers = {**HEADERS, "Content-Security-Policy": csp}

    async def serve() -> HTMLResponse:
        return HTMLResponse(page.body, headers=headers)

    return serve


def hashes(html: str, tag: str) -> list[str]:
    """CSP source expressions for each inline ``<tag>`` block (one with attributes, such as ``src``, is not inline)."""
    blocks = re.findall(rf"<{tag}>(.*?)</{tag}>", html, flags=re.DOTALL)
    return [f"'sha256-{base64.b64encode(hashlib.sha256(block.encode()).digest()).decode()}'" for block in blocks]
