"""The docs' screenshot of the forecast page, taken from the app serving the real models.

Usage (after `dvc repro`, with a Chromium installed): python docs/screenshots.py
Starts `uvicorn main:app` on a loopback port, opens /forecast in headless Chromium (Playwright
driving the system's browser, as the browser tests do), asks for the page's own example film
and saves what it draws to docs/img/forecast.png. Re-run it when the page changes.
"""

from __future__ import annotations

import os
import shutil
import sys
from pathlib import Path

from playwright.sync_api import sync_playwright

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # the project: its harness/ is not in the package

from harness.workspace import ROOT, start_server

OUT = ROOT / "docs" / "img" / "forecast.png"
VIEWPORT = {"width": 1280, "height": 1000}


def chromium() -> str:
    """The browser to drive: BOXOFFICE_CHROMIUM, else the first Chromium on the PATH."""
    names = ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable")
    found = os.environ.get("BOXOFFICE_CHROMIUM") or next(filter(None, map(shutil.which, names)), None)
    if not found:
        raise SystemExit("no Chromium found: apt-get install chromium (or set BOXOFFICE_CHROMIUM)")
    return found


def main() -> None:
    server, port = start_server("main:app", ROOT, ready_path="/health", timeout=300)  # a busy machine starts slowly
    try:
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=chromium(), args=["--no-sandbox"])
            page = browser.new_page(viewport=VIEWPORT)  # type: ignore[arg-type]
            page.goto(f"http://127.0.0.1:{port}/forecast")
            page.click("#example")
            page.click("#submit")
            page.wait_for_selector("body[data-drawn='true']")
            OUT.parent.mkdir(parents=True, exist_ok=True)
            page.screenshot(path=str(OUT), full_page=True)
            browser.close()
    finally:
        server.terminate()
        server.wait(timeout=10)
    print(f"saved {Path(OUT).relative_to(ROOT)}")


if __name__ == "__main__":
    main()
