"""Driving the forecast page in headless Chromium as a person would, and reading back what it shows.

Each page is watched: every request URL, console message and dialog it produced is kept, so a
test can check that only this origin was asked for anything and no Content-Security-Policy
violation was logged (Chromium logs them to the console).
"""

from __future__ import annotations

import json
import math
import os
import urllib.error
import urllib.request
from pathlib import Path
from typing import Any

from playwright.sync_api import Browser, Page

from tests.conftest import ROOT

LISTS = ("production_companies", "directors", "cast", "keywords")
AXE = Path(__file__).parent / "vendor" / "axe-core" / "axe.min.js"
# screenshots for CI to keep
ARTIFACTS = Path(os.environ.get("BOXOFFICE_TEST_ARTIFACTS", ROOT / "test-artifacts"))


class Watched:
    """A page with every request URL, console message and dialog it produced."""

    def __init__(self, browser: Browser, origin: str, width: int = 1200, height: int = 900) -> None:
        self.origin = origin
        self.requests: list[str] = []
        self.bodies: list[tuple[str, Any]] = []
        self.console: list[str] = []
        self.dialogs: list[str] = []
        self.page: Page = browser.new_page(viewport={"width": width, "height": height})
        self.page.on("request", self._record)
        self.page.on("console", lambda message: self.console.append(f"{message.type}: {message.text}"))
        self.page.on("pageerror", lambda error: self.console.append(f"pageerror: {error}"))
        self.page.on("dialog", lambda dialog: (self.dialogs.append(dialog.message), dialog.dismiss()))

    def _record(self, request: Any) -> None:
        self.requests.append(request.url)
        if request.method == "POST":
            self.bodies.append((request.url.removeprefix(self.origin), request.post_data_json))

    def open(self, path: str = "/forecast") -> Page:
        self.page.goto(f"{self.origin}{path}")
        self.page.wait_for_selector("body[data-ready='true']")
        return self.page

    def check_clean(self, expected: str | None = None) -> None:
        """Only this origin was asked for anything; no console message but ``expected`` ones, no dialog."""
        assert self.requests and all(url.startswith(self.origin + "/") for url in self.requests), self.requests
        assert [line for line in self.console if not (expected and expected in line)] == []
        assert self.dialogs == []


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
    for name in ("title", "budget", "runtime", "release_date", "original_language"):
        if name in film:
            page.fill(f"#{name}", str(film[name]))
    for genre in film["genres"]:
        page.check(f"input[name='genre'][value='{genre}']")
    for field in LISTS:
        for name in film.get(field, []):
            page.fill(f"#{field}-input", name)
            page.press(f"#{field}-input", "Enter")


def forecast_example(page: Page) -> None:
    """Fill in the page's example film and ask; returns once the answer is drawn."""
    page.click("#example")
    page.click("#submit")
    page.wait_for_selector("body[data-drawn='true']")


def money(dollars: float) -> str:
    """The page's format (money.js ``money``)."""
    size = abs(dollars)
    if size >= 999.95e6:
        text = f"${size / 1e9:.2f}B"
    elif size >= 999.95e3:
        text = f"${size / 1e6:.1f}M"
    elif size >= 999.5:
        text = f"${size / 1e3:.1f}K"
    else:
        text = f"${size:.0f}"
    return f"-{text}" if dollars < 0 and text != "$0" else text


def chance(probability: float) -> str:
    """The page's format of an answer's probability (money.js ``chance``): whole percents, never a false 0 or 100."""
    whole = math.floor(100 * probability + 0.5)  # JavaScript's Math.round: halves up
    if whole == 0 < probability:
        return "<1%"
    if whole == 100 > 100 * probability:
        return ">99%"
    return f"{whole}%"


def shown(page: Page, selector: str) -> tuple[float, str]:
    element = page.locator(selector)
    return float(element.get_attribute("data-value") or "nan"), element.inner_text()


def values(page: Page, selector: str) -> list[float]:
    """The API values (data-value) of every element the selector finds, in page order."""
    return page.locator(selector).evaluate_all("nodes => nodes.map(node => Number(node.dataset.value))")


def axe_violations(page: Page) -> list[dict[str, Any]]:
    """axe-core's WCAG 2 A/AA violations on the page as it stands (rule id, impact, the nodes' selectors).

    The script is evaluated by the browser's debugging protocol, which the page's CSP does not govern.
    """
    page.evaluate(AXE.read_text(encoding="utf-8"))
    found = page.evaluate(
        """async () => (await axe.run(document, {runOnly: {type: "tag",
             values: ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa", "best-practice"]}})).violations
           .map(v => ({id: v.id, impact: v.impact, nodes: v.nodes.map(n => n.target.join(" "))}))"""
    )
    return list(found)


# Each chart's labels as boxes in page pixels, with their text, rendered font size and the chart's own box.
CHART_LABELS = """charts => charts.map(chart => {
  const box = chart.getBoundingClientRect();
  const zoom = box.width / chart.viewBox.baseVal.width;
  return {id: chart.id, box: [box.left, box.top, box.right, box.bottom],
    labels: [...chart.querySelectorAll("text")].map(text => {
      const r = text.getBoundingClientRect();
      const size = parseFloat(getComputedStyle(text).fontSize) * zoom;
      return {text: text.textContent, size, box: [r.left, r.top, r.right, r.bottom]};
    })};
})"""


def chart_label_problems(page: Page) -> list[str]:
    """Every chart label under 11 px, outside its chart, or overlapping another label of that chart."""
    problems = []
    for chart in page.locator("svg.chart").evaluate_all(CHART_LABELS):
        left, top, right, bottom = chart["box"]
        labels = chart["labels"]
        assert labels, f"{chart['id']} has no labels"
        for label in labels:
            x0, y0, x1, y1 = label["box"]
            if label["size"] < 11:
                problems.append(f"{chart['id']}: {label['text']!r} is {label['size']:.1f} px")
            if x0 < left or y0 < top or x1 > right or y1 > bottom:
                problems.append(f"{chart['id']}: {label['text']!r} {label['box']} outside {chart['box']}")
        for i, a in enumerate(labels):
            for b in labels[i + 1 :]:
                (ax0, ay0, ax1, ay1), (bx0, by0, bx1, by1) = a["box"], b["box"]
                if ax0 < bx1 and bx0 < ax1 and ay0 < by1 and by0 < ay1:
                    problems.append(f"{chart['id']}: {a['text']!r} overlaps {b['text']!r}")
    return problems
