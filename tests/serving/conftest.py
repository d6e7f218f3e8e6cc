"""The browser the forecast page's tests drive: Debian's Chromium, headless, one for tests/serving."""

from __future__ import annotations

from collections.abc import Callable, Iterator

import pytest
from playwright.sync_api import Browser, sync_playwright

from tests.conftest import chromium
from tests.serving.page_driver import Watched


@pytest.fixture(scope="package")
def browser() -> Iterator[Browser]:
    """One Chromium for every page test under tests/serving: Playwright's driver and the browser
    start once, not once per module. Each test opens its own page (a new browser context).

    While it runs, Playwright's event loop holds this thread: a test here that calls
    ``asyncio.run`` after the first page test would fail (test_api's and test_coalescing's run before).
    """
    with sync_playwright() as playwright:
        # --no-sandbox: CI runs as root, where Chromium's sandbox cannot start
        launched = playwright.chromium.launch(executable_path=chromium(), args=["--no-sandbox"])
        yield launched
        launched.close()


@pytest.fixture
def watched(browser: Browser, server: str) -> Iterator[Watched]:
    page = Watched(browser, server)
    yield page
    page.page.close()


@pytest.fixture
def watched_at(browser: Browser, server: str) -> Iterator[Callable[[int], Watched]]:
    """Pages at a given viewport width (px), closed after the test."""
    pages: list[Watched] = []

    def open_at(width: int) -> Watched:
        pages.append(Watched(browser, server, width=width, height=844))
        return pages[-1]

    yield open_at
    for page in pages:
        page.page.close()
