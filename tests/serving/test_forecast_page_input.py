"""What a person types into the forecast page, read as they mean it; what goes wrong, said where it went wrong.

Headless Chromium against the tiny project's server (see test_forecast_page.py).
"""

from __future__ import annotations

import json
import urllib.request

import pytest

from boxoffice.prediction.schemas import PRE_RELEASE_EXAMPLE
from tests.serving.page_driver import Watched, forecast_example, money, post, shown

pytestmark = pytest.mark.browser
FORECAST = (
    "/predict/pre_release?explain=true&quantiles=true&comps=8&comps_share_genre=true&comps_same_budget_band=false"
)


@pytest.mark.parametrize(
    ("typed", "dollars"),
    [
        ("90M", 90_000_000),
        ("$90M", 90_000_000),
        ("90 million", 90_000_000),
        ("$90,000,000", 90_000_000),
        ("1.2B", 1_200_000_000),
        ("$ 2.5 mn", 2_500_000),
        ("150000000", 150_000_000),
    ],
)
def test_money_typed_as_people_type_it_is_sent_as_dollars(
    watched: Watched, server: str, typed: str, dollars: int
) -> None:
    page = watched.open()
    page.click("#example")
    page.fill("#budget", typed)
    assert page.inner_text("#budget-understood") == f"read as ${dollars:,} ({money(dollars)})"
    page.click("#submit")
    page.wait_for_selector("body[data-drawn='true']")
    sent = [body for path, body in watched.bodies if path.startswith("/predict/pre_release?")]
    assert [body["budget"] for body in sent] == [dollars]
    status, answer = post(server, FORECAST, {**PRE_RELEASE_EXAMPLE, "budget": dollars})
    assert status == 200 and shown(page, "#median")[0] == answer["predicted_revenue"]
    assert f"budget ${dollars:,}" in page.inner_text("#film-summary")
    watched.check_clean()


def test_a_budget_too_small_to_be_meant_is_asked_about_before_any_forecast(watched: Watched, server: str) -> None:
    page = watched.open()
    page.click("#example")
    page.fill("#budget", "90")
    assert page.inner_text("#budget-understood") == "read as $90"
    page.click("#submit")
    page.wait_for_selector("#budget-confirm:not([hidden])")
    context = json.load(urllib.request.urlopen(f"{server}/forecast/context"))
    floor = context["data_limits"]["real_budget"]["low"]
    assert floor > 90 and f"more than ${round(floor):,}" in page.inner_text("#budget-confirm-text")
    assert "$90?" in page.inner_text("#budget-confirm-text")
    assert watched.bodies == [] and page.locator("#results").is_hidden()
    assert page.evaluate("document.activeElement.id") == "budget-as-millions"
    page.click("#budget-as-millions")
    page.wait_for_selector("body[data-drawn='true']")
    assert [body["budget"] for _, body in watched.bodies if "?" in _] == [90_000_000]
    assert page.input_value("#budget") == "$90,000,000"

    # the amount as typed, once confirmed, is forecast as typed
    page.fill("#budget", "90")
    page.click("#submit")
    page.click("#budget-as-typed")
    page.locator("#film-summary", has_text="budget $90 ").wait_for()
    assert [body["budget"] for _, body in watched.bodies if "?" in _] == [90_000_000, 90]
    watched.check_clean()


def test_an_error_after_a_forecast_clears_it_and_takes_focus_to_the_field(watched: Watched) -> None:
    page = watched.open()
    forecast_example(page)
    page.fill("#runtime", "-3")
    page.click("#submit")
    page.wait_for_selector("[data-error-for='runtime']:not(:empty)")
    assert page.locator("#results").is_hidden() and page.get_attribute("body", "data-drawn") is None
    assert page.get_attribute("#runtime", "aria-invalid") == "true"
    described = page.get_attribute("#runtime", "aria-describedby") or ""
    assert "runtime-error" in described.split() and page.inner_text("#runtime-error")
    assert page.evaluate("document.activeElement.id") == "runtime"

    # two fields wrong: focus on the first in the form's order; fixing them clears the marks
    page.fill("#budget", "lots")
    page.click("#submit")
    page.wait_for_selector("[data-error-for='budget']:not(:empty)")
    assert page.evaluate("document.activeElement.id") == "budget"
    page.fill("#budget", "150M")
    page.click("#submit")
    page.wait_for_selector("[data-error-for='runtime']:not(:empty)")
    assert page.evaluate("document.activeElement.id") == "runtime"
    assert page.get_attribute("#budget", "aria-invalid") is None
    page.fill("#runtime", "148")
    page.click("#submit")
    page.wait_for_selector("body[data-drawn='true']")
    assert page.locator("[aria-invalid]").count() == 0
    watched.check_clean(expected="the server responded with a status of 422")


def test_removing_a_name_keeps_the_focus_in_its_list(watched: Watched) -> None:
    page = watched.open()
    page.click("#example")
    page.click("[aria-label='Remove Leonardo DiCaprio']")
    assert page.evaluate("document.activeElement.getAttribute('aria-label')") == "Remove Joseph Gordon-Levitt"
    for _ in range(2):
        page.keyboard.press("Enter")
    assert page.evaluate("document.activeElement.id") == "cast-input"
    assert page.locator("#cast-chips li").count() == 0
    watched.check_clean()


def test_the_fields_the_api_requires_are_marked_required_before_anything_is_sent(watched: Watched, server: str) -> None:
    """A trial learnt that runtime is required only from the API's 422: the form says so first, from the schema."""
    with urllib.request.urlopen(f"{server}/openapi.json") as response:
        required = json.load(response)["components"]["schemas"]["PreReleaseMovie"]["required"]
    page = watched.open()
    marked = page.locator("input[aria-required='true']").evaluate_all("inputs => inputs.map(input => input.id)")
    assert sorted(marked) == sorted(required)
    for field in required:
        assert "required" in page.locator(f"label[for='{field}']").inner_text()
    assert "required" not in page.locator("label[for='title']").inner_text()
    watched.check_clean()
