"""A name read as a small namesake of a much larger one is asked about before any forecast is shown.

"Universal" is a known company with a few films; "Universal Pictures" has many times more. The answers
differ a lot, so the page asks which was meant, in the API's words (each name with its films), and
forecasts only once the person has chosen. Headless Chromium against the tiny project's server.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

import pytest
from playwright.sync_api import Page

from boxoffice.prediction.schemas import PRE_RELEASE_EXAMPLE
from tests.serving.page_driver import Watched, axe_violations, post, shown

pytestmark = pytest.mark.browser
FORECAST = (
    "/predict/pre_release?explain=true&quantiles=true&comps=8&comps_share_genre=true&comps_same_budget_band=false"
)
QUESTION = "#production_companies-confirm"


def ask_with_company(page: Page, company: str) -> None:
    """The example film with one company typed instead of its own, then Forecast."""
    page.click("#example")
    while page.locator("#production_companies-chips button.remove").count():
        page.locator("#production_companies-chips button.remove").first.click()
    page.fill("#production_companies-input", company)
    page.press("#production_companies-input", "Enter")
    page.click("#submit")


def answer_for(server: str, company: str) -> dict[str, Any]:
    status, answer = post(server, FORECAST, {**PRE_RELEASE_EXAMPLE, "production_companies": [company]})
    assert status == 200
    return answer


def forecasts_sent(watched: Watched) -> list[list[str]]:
    """The companies of every forecast the page asked for."""
    return [body["production_companies"] for path, body in watched.bodies if path == FORECAST]


def test_a_small_namesake_is_asked_about_and_the_larger_one_taken_by_keyboard(watched: Watched, server: str) -> None:
    small = answer_for(server, "Universal")
    warning = next(w for w in small["warnings"] if w["code"] == "larger_namesake")
    assert len(re.findall(r"\(\d+ films?\)", warning["message"])) == 2  # both names, each with its films
    page = watched.open()
    ask_with_company(page, "Universal")
    page.wait_for_selector(f"{QUESTION}:not([hidden])")
    assert warning["message"] in page.inner_text(f"{QUESTION}-text")
    choices = page.locator(f"{QUESTION} button").all_inner_texts()
    assert choices == ["Use Universal Pictures", "Keep Universal, as typed"]
    assert page.locator("#results").is_hidden()  # nothing forecast yet: the question comes first
    assert [path for path, _ in watched.bodies] == [FORECAST]  # the API's words only; no scenarios asked
    assert page.evaluate("document.activeElement.textContent") == "Use Universal Pictures"
    assert page.get_attribute(QUESTION, "role") == "group"
    assert page.get_attribute(QUESTION, "aria-labelledby") == "production_companies-confirm-text"

    page.keyboard.press("Enter")
    page.wait_for_selector("body[data-drawn='true']")
    assert page.locator(QUESTION).is_hidden()
    assert page.locator("#production_companies-chips .chip-name").all_inner_texts() == ["Universal Pictures"]
    assert forecasts_sent(watched) == [["Universal"], ["Universal Pictures"]]
    assert shown(page, "#median")[0] == answer_for(server, "Universal Pictures")["predicted_revenue"]
    watched.check_clean()


def test_a_name_kept_as_typed_is_forecast_as_typed_and_not_asked_about_again(watched: Watched, server: str) -> None:
    page = watched.open()
    ask_with_company(page, "Universal")
    page.wait_for_selector(f"{QUESTION}:not([hidden])")
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.textContent") == "Keep Universal, as typed"
    page.keyboard.press("Enter")
    page.wait_for_selector("body[data-drawn='true']")
    assert shown(page, "#median")[0] == answer_for(server, "Universal")["predicted_revenue"]
    assert page.locator("#production_companies-chips .chip-name").all_inner_texts() == ["Universal"]

    page.fill("#budget", "120M")  # asked again: the kept name is not questioned twice
    page.click("#submit")
    page.locator("#film-summary", has_text="budget $120,000,000").wait_for()
    assert page.locator(QUESTION).is_hidden()
    assert forecasts_sent(watched) == [["Universal"]] * 3
    watched.check_clean()


@pytest.mark.parametrize("width", [390, 1280])
def test_the_question_fits_a_phone_and_axe_finds_no_violation(watched_at: Callable[[int], Watched], width: int) -> None:
    watched = watched_at(width)
    page = watched.open()
    ask_with_company(page, "Universal")
    page.wait_for_selector(f"{QUESTION}:not([hidden])")
    assert page.evaluate("document.scrollingElement.scrollWidth") <= width
    assert axe_violations(page) == []
    watched.check_clean()
