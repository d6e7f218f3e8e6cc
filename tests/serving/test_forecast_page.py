"""The forecast page in a real browser: headless Chromium (Debian's), driven by Playwright, against uvicorn.

The server is the seed's start command on the tiny project's models (``server`` fixture).
Each test records every request the page makes and every console message: a request to
another origin, or a Content-Security-Policy violation (Chromium logs it to the console),
fails the test. The Inception test saves a screenshot to ``test-artifacts/`` for CI.
"""

from __future__ import annotations

import pytest
from playwright.sync_api import Route

from boxoffice.prediction.schemas import PRE_RELEASE_EXAMPLE
from tests.serving.page_driver import ARTIFACTS, Watched, chance, money, post, shown, type_film, values

pytestmark = pytest.mark.browser
PAYLOAD = "<img src=x onerror=alert(1)>"


def test_the_inception_forecast_shows_the_apis_numbers(watched: Watched, server: str) -> None:
    page = watched.open()
    type_film(page, PRE_RELEASE_EXAMPLE)
    page.fill("#comps", "8")
    page.click("#submit")
    page.wait_for_selector("body[data-drawn='true']")

    asked = (
        "/predict/pre_release?explain=true&quantiles=true&comps=8&comps_share_genre=true&comps_same_budget_band=false"
    )
    status, answer = post(server, asked, PRE_RELEASE_EXAMPLE)
    assert status == 200
    for selector, field in (("#median", "predicted_revenue"), ("#low", "revenue_low"), ("#high", "revenue_high")):
        assert shown(page, selector) == (answer[field], money(answer[field]))
    for selector, field in (("#break-even", "break_even_probability"), ("#hit", "hit_probability")):
        assert shown(page, selector) == (answer[field], chance(answer[field]))

    rows = page.locator("#comps-table tbody tr")
    assert rows.count() == 8 == len(answer["comps"])
    table = [[cell.strip() for cell in row.split("\t")] for row in rows.all_inner_texts()]
    assert [row[0] for row in table] == [comp["title"] for comp in answer["comps"]]
    assert all(row[1] < "2010-07-16" for row in table)
    similarity = values(page, "#comps-table tbody td:nth-child(8)")
    assert similarity == [comp["similarity"] for comp in answer["comps"]]

    assert page.locator("#cdf-chart .cdf-point").count() == len(answer["quantiles"])
    bars = values(page, "#explanation-chart rect")
    effects = [effect for effect in answer["explanation"]["effects"] if effect["contribution"] != 0][:8]
    assert bars == [effect["contribution"] for effect in effects] and 0 < len(bars) <= 8
    # each chart's text equivalent: a table of the same numbers
    assert values(page, "#cdf-numbers td:nth-child(2)") == [q["revenue"] for q in answer["quantiles"]]
    assert values(page, "#explanation-numbers td") == [effect["factor"] for effect in effects]
    # the interval's top reads above the table's 90% row for this film: the note under the table says why
    assert money(answer["revenue_high"]) != money(answer["revenue_p90"])
    note = page.locator("#cdf-interval-note")
    assert note.get_attribute("hidden") is None
    said = note.text_content() or ""
    assert (
        f"its top, {money(answer['revenue_high'])}, sits a little above the 90% point, {money(answer['revenue_p90'])}"
        in said
    )
    bottom_differs = money(answer["revenue_low"]) != money(
        answer["revenue_p10"]
    )  # the end that does not differ is not named
    assert ("its bottom" in said) == bottom_differs

    months = [{"release_date": f"2010-{m:02d}-16"} for m in range(1, 13)]
    budgets = [{} if f == 1 else {"budget": round(150e6 * f)} for f in (0.25, 0.4, 0.5, 0.67, 0.8, 1, 1.25, 1.5, 2, 3)]
    status, sweep = post(
        server, "/predict/pre_release/scenarios", {"film": PRE_RELEASE_EXAMPLE, "scenarios": months + budgets}
    )
    assert status == 200
    points = {chart: values(page, f"#{chart}-chart .revenue-point") for chart in ("month", "budget")}
    assert len(points["month"]) == 12 and len(points["budget"]) == 10
    assert points["month"] + points["budget"] == [s["predicted_revenue"] for s in sweep["scenarios"]]
    for chart, scenarios in (("month", sweep["scenarios"][:12]), ("budget", sweep["scenarios"][12:])):
        for point, field in (("hit", "hit_probability"), ("profit", "profit_probability")):
            assert values(page, f"#{chart}-chart .{point}-point") == [s[field] for s in scenarios]
        assert values(page, f"#{chart}-numbers td:nth-child(2)") == [s["predicted_revenue"] for s in scenarios]
        assert values(page, f"#{chart}-numbers td:nth-child(3)") == [s["hit_probability"] for s in scenarios]
        assert values(page, f"#{chart}-numbers td:nth-child(4)") == [s["profit_probability"] for s in scenarios]

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
    assert page.get_attribute("#budget", "aria-invalid") == "true" and page.locator("#results").is_hidden()
    page.fill("#budget", "lots")
    page.click("#submit")
    # what the page cannot read as money is said there, with what works (a locator: the CSP forbids
    # the eval that wait_for_function would need)
    page.locator("[data-error-for='budget']", has_text="90M, $90 million, 90,000,000 or 1.2B").wait_for()
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
