"""The forecast page in a real browser: headless Chromium (Debian's), driven by Playwright, against uvicorn.

The server is the seed's start command on the tiny project's models (``server`` fixture).
Each test records every request the page makes and every console message: a request to
another origin, or a Content-Security-Policy violation (Chromium logs it to the console),
fails the test. The Inception test saves a screenshot to ``test-artifacts/`` for CI.
"""

from __future__ import annotations

import json
import os
import urllib.error
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Browser, Page, Route, sync_playwright

from boxoffice.serving.schemas import PRE_RELEASE_EXAMPLE
from tests.conftest import ROOT, chromium

pytestmark = pytest.mark.browser
ARTIFACTS = Path(os.environ.get("BOXOFFICE_TEST_ARTIFACTS", ROOT / "test-artifacts"))
PAYLOAD = "<img src=x onerror=alert(1)>"
LISTS = ("production_companies", "directors", "cast", "keywords")


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    with sync_playwright() as playwright:
        # --no-sandbox: CI runs as root, where Chromium's sandbox cannot start
        launched = playwright.chromium.launch(executable_path=chromium(), args=["--no-sandbox"])
        yield launched
        launched.close()


class Watched:
    """A page with every request URL, console message and dialog it produced."""

    def __init__(self, browser: Browser, origin: str) -> None:
        self.origin = origin
        self.requests: list[str] = []
        self.console: list[str] = []
        self.dialogs: list[str] = []
        self.page: Page = browser.new_page(viewport={"width": 1200, "height": 900})
        self.page.on("request", lambda request: self.requests.append(request.url))
        self.page.on("console", lambda message: self.console.append(f"{message.type}: {message.text}"))
        self.page.on("pageerror", lambda error: self.console.append(f"pageerror: {error}"))
        self.page.on("dialog", lambda dialog: (self.dialogs.append(dialog.message), dialog.dismiss()))

    def open(self) -> Page:
        self.page.goto(f"{self.origin}/forecast")
        self.page.wait_for_selector("body[data-ready='true']")
        return self.page

    def check_clean(self, expected: str | None = None) -> None:
        """Only this origin was asked for anything; no console message but ``expected`` ones, no dialog."""
        assert self.requests and all(url.startswith(self.origin + "/") for url in self.requests), self.requests
        assert [line for line in self.console if not (expected and expected in line)] == []
        assert self.dialogs == []


@pytest.fixture
def watched(browser: Browser, server: str) -> Iterator[Watched]:
    page = Watched(browser, server)
    yield page
    page.page.close()


def post(origin: str, path: str, body: Any) -> tuple[int, Any]:
    request = urllib.request.Request(
        origin + path, data=json.dumps(body).encode(), headers={"Content-Type": "application/json"}
    )
    try:
        with urllib.request.urlopen(request) as response:
            return response.status, json.load(response)
    except urllib.error.HTTPError as err:
        return err.code, json.load(err)


def type_film(page: Page, film: dict[str, Any]) -> None:
    """Fill the form as a person would: type each value, tick the genres, add each name with Enter."""
    for name in ("budget", "runtime", "release_date", "original_language"):
        page.fill(f"#{name}", str(film[name]))
    for genre in film["genres"]:
        page.check(f"input[name='genre'][value='{genre}']")
    for field in LISTS:
        for name in film.get(field, []):
            page.fill(f"#{field}-input", name)
            page.press(f"#{field}-input", "Enter")


def money(dollars: float) -> str:
    """The page's format (forecast.js ``money``)."""
    return f"${dollars / 1e9:.2f}B" if dollars >= 1e9 else f"${dollars / 1e6:.1f}M"


def shown(page: Page, selector: str) -> tuple[float, str]:
    element = page.locator(selector)
    return float(element.get_attribute("data-value") or "nan"), element.inner_text()


def test_the_inception_forecast_shows_the_apis_numbers(watched: Watched, server: str) -> None:
    page = watched.open()
    type_film(page, PRE_RELEASE_EXAMPLE)
    page.fill("#comps", "8")
    page.click("#submit")
    page.wait_for_selector("body[data-drawn='true']")

    status, answer = post(server, "/predict/pre_release?explain=true&quantiles=true&comps=8", PRE_RELEASE_EXAMPLE)
    assert status == 200
    for selector, field in (("#median", "predicted_revenue"), ("#low", "revenue_low"), ("#high", "revenue_high")):
        assert shown(page, selector) == (answer[field], money(answer[field]))
    for selector, field in (("#break-even", "break_even_probability"), ("#hit", "hit_probability")):
        assert shown(page, selector) == (answer[field], f"{100 * answer[field]:.1f}%")

    rows = page.locator("#comps-table tbody tr")
    assert rows.count() == 8 == len(answer["comps"])
    table = [[cell.strip() for cell in row.split("\t")] for row in rows.all_inner_texts()]
    assert [row[0] for row in table] == [comp["title"] for comp in answer["comps"]]
    assert all(row[1] < "2010-07-16" for row in table)
    similarity = [float(v) for v in page.locator("#comps-table tbody td:last-child").evaluate_all(
        "cells => cells.map(cell => cell.dataset.value)")]  # fmt: skip
    assert similarity == [comp["similarity"] for comp in answer["comps"]]

    assert page.locator("#cdf-chart .cdf-point").count() == len(answer["quantiles"])
    bars = page.locator("#explanation-chart rect").evaluate_all("bars => bars.map(bar => Number(bar.dataset.value))")
    largest = sorted(answer["explanation"]["contributions"].values(), key=abs, reverse=True)[: len(bars)]
    assert bars == largest and 0 < len(bars) <= 8

    months = [{"release_date": f"2010-{m:02d}-16"} for m in range(1, 13)]
    budgets = [{} if f == 1 else {"budget": round(150e6 * f)} for f in (0.25, 0.4, 0.5, 0.67, 0.8, 1, 1.25, 1.5, 2, 3)]
    status, sweep = post(
        server, "/predict/pre_release/scenarios", {"film": PRE_RELEASE_EXAMPLE, "scenarios": months + budgets}
    )
    assert status == 200
    points = {
        chart: page.locator(f"#{chart}-chart .revenue-point").evaluate_all("ps => ps.map(p => Number(p.dataset.value))")
        for chart in ("month", "budget")
    }
    assert len(points["month"]) == 12 and len(points["budget"]) == 10
    assert points["month"] + points["budget"] == [s["predicted_revenue"] for s in sweep["scenarios"]]
    hits = page.locator("#month-chart .hit-point").evaluate_all("ps => ps.map(p => Number(p.dataset.value))")
    assert hits == [s["hit_probability"] for s in sweep["scenarios"][:12]]

    trust = page.inner_text("#trust")
    assert "forward in time" in trust and "more successful than typical films" in trust
    watched.check_clean()
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "forecast-inception.png"), full_page=True)


def test_a_bad_budget_shows_the_apis_422_message_by_the_field(watched: Watched, server: str) -> None:
    page = watched.open()
    page.click("#example")
    page.fill("#budget", "-5")
    page.click("#submit")
    page.wait_for_selector("[data-error-for='budget']:not(:empty)")
    status, refused = post(server, "/predict/pre_release", {**PRE_RELEASE_EXAMPLE, "budget": -5})
    assert status == 422
    assert page.inner_text("[data-error-for='budget']") == refused["detail"][0]["message"]
    assert page.locator("#budget.invalid").count() == 1 and page.locator("#results").is_hidden()
    page.fill("#budget", "lots")
    page.click("#submit")
    # (a locator, not wait_for_function: the page's CSP forbids the eval that would need)
    page.locator("[data-error-for='budget']", has_text="valid number").wait_for()
    watched.check_clean(expected="the server responded with a status of 422")  # Chromium logs each 4xx


def test_a_typed_name_is_shown_as_text_and_never_runs(watched: Watched) -> None:
    page = watched.open()
    page.click("#example")
    page.fill("#directors-input", PAYLOAD)
    page.click("[data-add='directors']")
    page.click("#submit")
    page.wait_for_selector("body[data-drawn='true']")
    assert PAYLOAD in page.locator("#directors-chips").all_inner_texts()[0]
    assert page.locator("img").count() == 0
    watched.check_clean()


def test_a_returned_name_is_shown_as_text_and_never_runs(watched: Watched) -> None:
    """Films whose titles are markup (as a data file could hold) appear as those characters in the comps table.

    The service's own answer, with every comp's title replaced on its way to the page.
    """

    def markup_titles(route: Route) -> None:
        answer = route.fetch()
        body = answer.json()
        body["comps"] = [{**comp, "title": PAYLOAD} for comp in body["comps"]]
        route.fulfill(response=answer, json=body)

    page = watched.open()
    page.route("**/predict/pre_release?*", markup_titles)
    page.click("#example")
    page.click("#submit")
    page.wait_for_selector("body[data-drawn='true']")
    titles = page.locator("#comps-table tbody td:first-child").all_inner_texts()
    assert titles and set(titles) == {PAYLOAD}
    assert page.locator("img").count() == 0
    watched.check_clean()
