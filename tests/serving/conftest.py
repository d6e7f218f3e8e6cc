"""The browser the pages' tests drive (Debian's Chromium, headless, one per module); the ledger page's service."""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser, sync_playwright

from harness.workspace import start_server
from tests.conftest import installed_chromium
from tests.serving.ledger_driver import LedgerService, link_in
from tests.serving.page_driver import Watched


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    with sync_playwright() as playwright:
        # --no-sandbox: CI runs as root, where Chromium's sandbox cannot start
        launched = playwright.chromium.launch(executable_path=installed_chromium(), args=["--no-sandbox"])
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


@pytest.fixture(scope="session")
def ledger_service(project: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[LedgerService]:
    """The seed's start command on the tiny project's models, with a fresh SQLite ledger of its own.

    Its first start prints the ledger page's link with a token (read here from its stderr).
    """
    folder = tmp_path_factory.mktemp("page-ledger")
    log = folder / "server.log"
    env = {**os.environ, "BOXOFFICE_LEDGER_DIR": str(folder)}
    process, port = start_server("main:app", cwd=project, ready_path="/health", timeout=120, env=env, log_path=log)
    try:
        origin = f"http://127.0.0.1:{port}"
        link, token = link_in(log)
        yield LedgerService(origin, link, token, folder)
    finally:
        process.terminate()
        process.wait(timeout=10)


@pytest.fixture
def ledger_watched(browser: Browser, ledger_service: LedgerService) -> Iterator[Callable[..., Watched]]:
    """Pages on the ledger's service (each a new browser context: an empty sessionStorage), closed after the test."""
    pages: list[Watched] = []

    def open_at(width: int = 1200) -> Watched:
        pages.append(Watched(browser, ledger_service.origin, width=width, height=844))
        return pages[-1]

    yield open_at
    for page in pages:
        page.page.close()
