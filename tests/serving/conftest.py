"""The browser the forecast page's tests drive: Debian's Chromium, headless, one per test module."""

from __future__ import annotations

from collections.abc import Callable, Iterator

import pytest
from playwright.sync_api import Browser, sync_playwright

from tests.conftest import chromium
from tests.serving.page_driver import Watched


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
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
