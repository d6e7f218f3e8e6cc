"""/docs (Swagger UI) and /redoc (ReDoc): they render the API on files the app serves itself.

In a real browser, the browser and the watched page are the forecast page's (``tests/serving/conftest.py``): every
request and console message is recorded, so a request to another origin (a CDN, a font) or
a Content-Security-Policy violation fails the test.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from boxoffice.serving.api import create_app
from tests.serving.page_driver import Watched


def test_each_page_names_only_files_this_app_serves(project: Path) -> None:
    app = create_app(models_dir=project / "models", lock_path=project / "dvc.lock")
    with TestClient(app) as client:
        for path in ("/docs", "/redoc"):
            page = client.get(path)
            assert page.status_code == 200 and "default-src 'none'" in page.headers["content-security-policy"]
            urls = re.findall(r'(?:src|href|url)="([^"]+)"', page.text)
            assert len(urls) >= 2 and all(url.startswith("/") and not url.startswith("//") for url in urls), urls
            assert all(client.get(url).status_code == 200 for url in urls), urls
        assert "swaggerUIRedirectOauth2" in client.get("/docs/oauth2-redirect").text


@pytest.mark.browser
def test_swagger_ui_lists_the_operations_asking_no_other_origin(watched: Watched, server: str) -> None:
    page = watched.page
    page.goto(f"{server}/docs")
    page.wait_for_selector(".opblock-summary-path")
    paths = page.locator(".opblock-summary-path").evaluate_all("paths => paths.map(path => path.dataset.path)")
    assert {"/predict", "/predict/pre_release", "/health"} <= set(paths)
    assert page.locator(".info .title").inner_text().startswith("boxoffice")
    watched.check_clean()


@pytest.mark.browser
def test_redoc_shows_the_api_asking_no_other_origin(watched: Watched, server: str) -> None:
    page = watched.page
    page.goto(f"{server}/redoc")
    page.wait_for_selector("h1")
    assert page.locator("h1").first.inner_text().startswith("boxoffice")
    menu = page.locator(".menu-content").inner_text()
    assert "Predict" in menu, menu
    page.wait_for_load_state("networkidle")
    # ReDoc's search runs in a worker made from a blob: URL, which carries the origin that made it.
    watched.requests = [url.removeprefix("blob:") for url in watched.requests]
    watched.check_clean()
