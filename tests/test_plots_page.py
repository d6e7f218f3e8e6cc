"""`dvc plots show` through the project's page template renders every plot with no other origin asked for anything.

The template (vendor/vega/plots.html, named in .dvc/config) loads the vendored Vega,
Vega-Lite and vega-embed instead of DVC's CDN copies, so the page works offline. Checked
in headless Chromium over real HTTP: every request goes to the page's own origin, and
each plot DVC wrote becomes a drawn chart.
"""

from __future__ import annotations

import functools
import http.server
import shutil
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import sync_playwright

from tests.conftest import ROOT, installed_chromium, run

pytestmark = pytest.mark.browser


@pytest.fixture
def plots_site(tmp_path: Path) -> Iterator[str]:
    """dvc_plots/index.html as `dvc plots show` writes it, beside a copy of vendor/, over HTTP on loopback."""
    shutil.copytree(ROOT / "vendor" / "vega", tmp_path / "vendor" / "vega")
    run(["dvc", "plots", "show", "-o", str(tmp_path / "dvc_plots")], ROOT)
    handler = functools.partial(http.server.SimpleHTTPRequestHandler, directory=str(tmp_path))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()
        thread.join()


def test_the_plots_page_draws_every_plot_from_its_own_origin(plots_site: str) -> None:
    requests: list[str] = []
    errors: list[str] = []
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=installed_chromium(), args=["--no-sandbox"])
        try:
            page = browser.new_page()
            page.on("request", lambda request: requests.append(request.url))
            page.on("pageerror", lambda error: errors.append(str(error)))
            page.on("console", lambda message: errors.append(message.text) if message.type == "error" else None)
            page.goto(f"{plots_site}/dvc_plots/index.html")
            plots = page.locator("body > div[id]").count()
            page.wait_for_function(f"document.querySelectorAll('.vega-embed .marks').length >= {plots}")
            drawn = page.locator(".vega-embed .marks").count()
        finally:
            browser.close()
    assert plots > 0
    assert drawn == plots
    assert errors == []
    assert requests and all(url.startswith(plots_site + "/") for url in requests), requests
