"""The forecast page's money words: one meaning per word, the explanation's starting point, each amount's dollars.

Headless Chromium against the tiny project's server; every figure checked is the API's for the same film.
"""

from __future__ import annotations

import json
import math
import urllib.request
from collections.abc import Callable
from typing import Any

import pytest
from playwright.sync_api import Page, Route

from boxoffice.modeling.producer import DEFAULT_P_AND_A_MULTIPLE, DEFAULT_SHARE
from boxoffice.prediction.schemas import PRE_RELEASE_EXAMPLE
from tests.serving.page_driver import Watched, forecast_example, money, post, shown

pytestmark = pytest.mark.browser
FORECAST = (
    "/predict/pre_release?explain=true&quantiles=true&comps=8&comps_share_genre=true&comps_same_budget_band=false"
)
SHOWN_EFFECTS = 8  # the explanation chart's bars (answer.js SHOWN_EFFECTS)


def context_of(server: str) -> dict[str, Any]:
    return dict(json.load(urllib.request.urlopen(f"{server}/forecast/context")))


def forecast_dated(page: Page, date: str) -> None:
    page.click("#example")
    page.fill("#release_date", date)
    page.click("#submit")
    page.wait_for_selector("body[data-drawn='true']")


def test_break_even_is_only_the_producers_and_the_producers_result_comes_first(watched: Watched) -> None:
    page = watched.open()
    terms = page.inner_text("#producer-defaults")  # said before any forecast
    assert f"{100 * DEFAULT_SHARE:.1f}%" in terms
    assert f"{DEFAULT_P_AND_A_MULTIPLE:g}\u00d7 the production budget" in terms
    assert "P&A" in terms and "distributor's share" in terms
    forecast_example(page)
    results = page.inner_text("#results")
    assert "P(break-even)" not in results
    # "break-even" names the producer's line alone: in the terms and the chart's producer mark
    assert "break-even" in page.inner_text("#producer-terms")
    where = page.evaluate(
        """() => {
             const walker = document.createTreeWalker(document.getElementById("results"), NodeFilter.SHOW_TEXT);
             const found = [];
             while (walker.nextNode()) {
               const node = walker.currentNode;
               if (node.textContent.includes("break-even")) found.push([node.textContent,
                 Boolean(node.parentElement.closest("#producer-terms, #cdf-chart"))]);
             }
             return found;
           }"""
    )
    assert where and all(inside for _, inside in where), where
    assert any(text.startswith("producer's break-even") for text, _ in where)
    gross_label = page.locator("#break-even").locator("xpath=preceding-sibling::dt").inner_text()
    assert gross_label.startswith("P(gross > budget)") and "not a profit" in gross_label
    # the question "will it make money?" is answered first: P(profit) and the producer's result above the gross
    order = page.evaluate(
        """ids => ids.map(id => document.getElementById(id).getBoundingClientRect().top)""",
        ["profit-probability", "profit-median", "median", "break-even", "hit"],
    )
    assert max(order[:2]) < min(order[2:])
    watched.check_clean()


def test_the_explanation_starts_from_the_typical_films_forecast_and_accounts_for_every_fact(
    watched: Watched, server: str
) -> None:
    page = watched.open()
    forecast_example(page)
    answer = post(server, FORECAST, PRE_RELEASE_EXAMPLE)[1]
    explanation = answer["explanation"]
    assert shown(page, "#explanation-base") == (explanation["base_revenue"], money(explanation["base_revenue"]))
    assert shown(page, "#explanation-end") == (explanation["revenue"], money(explanation["revenue"]))
    # the same estimate in the median's dollars (a user could not tell why $56M of 2016 led to a $92M median)
    in_answer_dollars = explanation["revenue_in_answer_dollars"]
    assert shown(page, "#explanation-end-answer-dollars") == (in_answer_dollars, money(in_answer_dollars))
    start, rest = page.inner_text("#explanation-start"), page.inner_text("#explanation-rest")
    dollars = f"{explanation['dollars_of']} dollars" if explanation["dollars_of"] else "dollars"
    assert "typical film" in start and "multiplies" in start and dollars in start
    moving = [effect for effect in explanation["effects"] if effect["contribution"] != 0]
    drawn = min(SHOWN_EFFECTS, len(moving))
    assert len(page.locator("#explanation-chart rect").all()) == drawn
    others = len(explanation["effects"]) - drawn
    assert others > 0  # the example's model has more facts than the chart draws
    assert f"the {drawn} largest of {len(explanation['effects'])} facts. The other {others} together" in rest
    combined = math.exp(sum(effect["contribution"] for effect in moving[drawn:]))
    assert shown(page, "#explanation-others")[0] == pytest.approx(combined, rel=1e-12)
    # the drawn factors times the others' take the start to the end (the factors are rounded to 4 places)
    drawn_product = math.prod(effect["factor"] for effect in moving[:drawn])
    assert (1 + explanation["base_revenue"]) * drawn_product * combined == pytest.approx(
        1 + explanation["revenue"], rel=5e-3
    )
    assert money(answer["predicted_revenue"]) in rest and "median" in rest
    # why the median is not the estimate: the budget band's calibration films, said with the multiple between them
    multiple = answer["predicted_revenue"] / in_answer_dollars
    said = f"\u00d7{multiple:.2f} the estimate, because among the films the ranges were calibrated on"
    assert (said in rest) == (abs(multiple - 1) >= 0.02), (multiple, rest)
    watched.check_clean()


@pytest.mark.parametrize("date", [PRE_RELEASE_EXAMPLE["release_date"], "2031-06-18"])
def test_every_amount_says_its_dollars_where_they_are_not_the_release_years(
    watched: Watched, server: str, date: str
) -> None:
    context = context_of(server)
    page = watched.open()
    forecast_dated(page, date)
    year = int(date[:4])
    dollars = f"{year} dollars" if year <= context["prices_until"] else f"{context['prices_until']} prices"
    assert dollars in page.inner_text("#dollars-note")
    assert f"box office, {dollars}" in (page.text_content("#cdf-chart") or "")
    assert f"budget, {dollars}" in (page.text_content("#budget-chart") or "")
    answer = post(server, FORECAST, {**PRE_RELEASE_EXAMPLE, "release_date": date})[1]
    base = answer["explanation"]["dollars_of"]
    assert f"({base} dollars)" in page.inner_text("#explanation-start")
    headers = page.locator("#comps-table thead th").all_inner_texts()
    assert "Budget (its year's $)" in headers and "Revenue (its year's $)" in headers
    assert f"Revenue ({context['cpi_base_year']} $)" in headers
    watched.check_clean()


def test_a_tiny_budget_as_typed_is_shown_in_readable_amounts(watched: Watched, server: str) -> None:
    page = watched.open()
    page.click("#example")
    page.fill("#budget", "90")
    page.click("#submit")
    page.click("#budget-as-typed")
    page.wait_for_selector("body[data-drawn='true']")
    answer = post(server, FORECAST, {**PRE_RELEASE_EXAMPLE, "budget": 90})[1]
    for selector, field in (("#median", "predicted_revenue"), ("#low", "revenue_low"), ("#high", "revenue_high")):
        assert shown(page, selector) == (answer[field], money(answer[field]))
    terms = page.inner_text("#producer-terms")
    assert f"production budget ({money(90)})" in terms and f"P&A ({money(answer['p_and_a'])})" in terms
    assert money(90) == "$90" and answer["p_and_a"] < 1e3
    assert f"budget {money(90)}: P(gross > budget)" in (page.text_content("#cdf-chart") or "")
    assert "$0.0M" not in (page.text_content("#results") or "")
    written = page.locator("#explanation-numbers td").all_inner_texts()
    assert "\u00d70.00" not in written and written  # no factor written as nothing
    watched.check_clean()


@pytest.mark.parametrize(
    ("dollars", "written"),
    [
        (90, "$90"),
        (0.4, "$0"),
        (-0.4, "$0"),
        (1234, "$1.2K"),
        (45_000, "$45.0K"),
        (999_999, "$1.0M"),
        (-38_400_000, "-$38.4M"),
        (1_200_000_000, "$1.20B"),
    ],
)
def test_the_pages_money_format_reads_every_size(watched: Watched, dollars: float, written: str) -> None:
    page = watched.open()
    assert page.evaluate("async d => (await import('/forecast/money.js')).money(d)", dollars) == written
    assert money(dollars) == written  # the tests' copy of the format agrees


def long_reasons(route: Route) -> None:
    """The API's answer, its comps given the longest reasons a comp can have (many shared names)."""
    response = route.fetch()
    body = response.json()
    for comp in body["comps"]:
        comp["title"] = "The Extraordinarily Long-Titled Adventures of Somebody"
        comp["reasons"] = {
            "shared_genres": ["Science Fiction", "Adventure", "Action"],
            "shared_directors": ["Christopher Nolan"],
            "shared_cast": ["Leonardo DiCaprio", "Joseph Gordon-Levitt", "Ellen Page", "Tom Hardy"],
            "shared_companies": ["Warner Bros.", "Legendary Pictures", "Syncopy"],
            "shared_keywords": ["dream", "subconscious", "heist", "ambiguous ending"],
            "same_budget_band": True,
            "years_apart": 6,
        }
    route.fulfill(response=response, json=body)


@pytest.mark.parametrize("width", [390, 1280])
def test_the_comps_reasons_are_read_without_scrolling_on_a_wide_screen(
    watched_at: Callable[[int], Watched], width: int
) -> None:
    watched = watched_at(width)
    page = watched.open()
    page.route("**/predict/pre_release?*", long_reasons)
    forecast_example(page)
    assert page.evaluate("document.scrollingElement.scrollWidth") <= width
    box = page.locator("#comps-table").locator("..")
    if width == 1280:
        assert box.evaluate("node => node.scrollWidth <= node.clientWidth")
        right = box.evaluate("node => node.getBoundingClientRect().right")
        edges = page.locator("#comps-table td.reasons").evaluate_all(
            "cells => cells.map(cell => cell.getBoundingClientRect().right)"
        )
        assert edges and max(edges) <= right + 0.5
    watched.check_clean()
