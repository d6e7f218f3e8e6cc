"""An answer's probabilities are printed in whole percents: their conformal levels move in steps of a few percent.

Headless Chromium against the tiny project's server: every probability the page prints of the answer
(the summary, the charts' marks and point labels, their tables) against the API's value in that format.
"""

from __future__ import annotations

import re

import pytest

from boxoffice.prediction.schemas import PRE_RELEASE_EXAMPLE
from tests.serving.page_driver import Watched, chance, forecast_example, post, shown

pytestmark = pytest.mark.browser
FORECAST = (
    "/predict/pre_release?explain=true&quantiles=true&comps=8&comps_share_genre=true&comps_same_budget_band=false"
)
PRINTED = re.compile(r"P\((?:hit|profit|gross > budget)\) ([<>]?\d+(?:\.\d+)?%)")


def test_every_probability_of_the_answer_is_a_whole_percent(watched: Watched, server: str) -> None:
    page = watched.open()
    forecast_example(page)
    status, answer = post(server, FORECAST, PRE_RELEASE_EXAMPLE)
    assert status == 200
    for selector, field in (
        ("#hit", "hit_probability"),
        ("#break-even", "break_even_probability"),
        ("#profit-probability", "profit_probability"),
    ):
        assert shown(page, selector) == (answer[field], chance(answer[field]))
    marks = " ".join(page.locator("#cdf-chart text").all_text_contents())
    for said, field in (("P(hit)", "hit_probability"), ("P(gross > budget)", "break_even_probability")):
        assert f"{said} {chance(answer[field])}" in marks
    assert f"P(profit) {chance(answer['profit_probability'])}" in marks
    for chart in ("month", "budget"):
        for column in (3, 4):  # P(hit), P(profit)
            cells = page.locator(f"#{chart}-numbers td:nth-child({column})")
            values = cells.evaluate_all("cells => cells.map(cell => Number(cell.dataset.value))")
            assert cells.all_text_contents() == [chance(value) for value in values] and len(values) >= 10
    assert page.locator("#cdf-numbers tbody th").all_text_contents() == [
        chance(q["probability"]) for q in answer["quantiles"]
    ]
    # every P(...) the page prints, in its text and the charts' point labels, is a whole percent
    printed = PRINTED.findall(
        (page.locator("#results").text_content() or "") + " ".join(page.locator("svg title").all_text_contents())
    )
    assert len(printed) >= 3 + 22 and all(re.fullmatch(r"[<>]?\d+%", p) for p in printed), printed
    watched.check_clean()


@pytest.mark.parametrize(
    ("probability", "written"),
    [
        (0.391, "39%"),
        (0.605, "61%"),
        (0.2872340425531915, "29%"),
        (0, "0%"),
        (0.004, "<1%"),
        (0.996, ">99%"),
        (1, "100%"),
    ],
)
def test_the_pages_probability_format_is_whole_percents_never_a_false_certainty(
    watched: Watched, probability: float, written: str
) -> None:
    page = watched.open()
    assert page.evaluate("async p => (await import('/forecast/money.js')).chance(p)", probability) == written
    assert chance(probability) == written  # the tests' copy of the format agrees
