"""The ledger page's tests: a service with its own fresh SQLite ledger, its printed link, and API calls with a token."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
import urllib.error
import urllib.parse
import urllib.request
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from playwright.sync_api import Page

from boxoffice.prediction.schemas import PRE_RELEASE_EXAMPLE
from tests.serving.page_driver import Watched

FILM = {**PRE_RELEASE_EXAMPLE, "release_date": "2017-07-21"}
# names a person may type: quotes, SQL and markup are kept and shown as typed
ODD_NAMES = [
    'O\'Brien "Quoted"',
    "x'); DROP TABLE forecasts; --",
    "<script>alert(1)</script>",
    "<img src=x onerror=alert(1)>",
]
PRINTED_LINK = re.compile(r"(http://\S+/ledger#token=(\S+))")


@dataclass(frozen=True)
class LedgerService:
    """A running service: its origin, the link it printed on first start, and its ledger's folder."""

    origin: str
    printed_link: str
    token: str
    folder: Path

    def new_token(self, read_only: bool = False) -> str:
        """A token made as the docs say, with ``python -m boxoffice.ledger token create``."""
        made = subprocess.run(
            [sys.executable, "-m", "boxoffice.ledger", "token", "create", *(["--read-only"] if read_only else [])],
            env={**os.environ, "BOXOFFICE_LEDGER_DIR": str(self.folder)},
            capture_output=True,
            text=True,
            check=True,
        )
        return made.stdout.strip()

    def call(self, method: str, path: str, body: Any = None, token: str | None = None) -> tuple[int, Any]:
        """The API's status and JSON for a request with the first token (or ``token``)."""
        request = urllib.request.Request(
            self.origin + path,
            method=method,
            data=None if body is None else json.dumps(body).encode(),
            headers={"Authorization": f"Bearer {token or self.token}", "Content-Type": "application/json"},
        )
        try:
            with urllib.request.urlopen(request) as response:
                return response.status, json.load(response)
        except urllib.error.HTTPError as err:
            return err.code, json.load(err)

    def save(self, slate: str, name: str, **changes: Any) -> dict[str, Any]:
        body = {"slate": slate, "name": name, "film": {**FILM, **changes}}
        status, saved = self.call("POST", "/ledger/forecasts", body)
        assert status == 201, saved
        return saved

    def record(self, forecast_id: int, revenue: float, known_on: str = "2018-01-31", source: str = "studio") -> None:
        body = {"revenue": revenue, "known_on": known_on, "source": source}
        status, answer = self.call("PUT", f"/ledger/forecasts/{forecast_id}/actual", body)
        assert status == 200, answer

    def page(self, slate: str, **query: Any) -> dict[str, Any]:
        status, answer = self.call("GET", "/ledger/forecasts?" + urllib.parse.urlencode({"slate": slate, **query}))
        assert status == 200, answer
        return answer


def link_in(log: Path) -> tuple[str, str]:
    """The page's link and its token, as the service printed them on its first start."""
    found = PRINTED_LINK.search(log.read_text(encoding="utf-8"))
    assert found, log.read_text(encoding="utf-8")
    return found.group(1), found.group(2)


def open_with_token(page: Page, origin: str, token: str, path: str = "/ledger") -> None:
    """Open a ledger page as the printed link does: the token in the fragment."""
    page.goto(f"{origin}{path}#token={token}")
    page.wait_for_selector("body[data-ready='true']")


def open_slate(watched: Watched, service: LedgerService, slate: str) -> Page:
    """The ledger page on ``slate``, opened with the token as the printed link brings it, once it has settled."""
    page = watched.page
    open_with_token(page, service.origin, service.token, "/ledger?" + urllib.parse.urlencode({"slate": slate}))
    page.wait_for_selector("#slate-section:not([hidden])")
    settled(page)
    return page


def settled(page: Page) -> None:
    """Wait until the page has no ledger request out."""
    page.wait_for_selector("body[data-busy='false']")


def data_values(page: Page, selector: str, attribute: str = "value") -> list[float]:
    return page.locator(selector).evaluate_all(f"nodes => nodes.map(node => Number(node.dataset.{attribute}))")
