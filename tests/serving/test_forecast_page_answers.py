"""The answer's own words on the forecast page: how each name was read, the data's limits, the producer's result.

Headless Chromium against the tiny project's server; every shown figure and message is compared
with the API's JSON for the same film.
"""

from __future__ import annotations

import json
import urllib.parse
import urllib.request
from typing import Any

import pytest
from playwright.sync_api import Page

from boxoffice.prediction.schemas import PRE_RELEASE_EXAMPLE
from tests.serving.page_driver import Watched, forecast_example, post, shown, values

pytestmark = pytest.mark.browser
FORECAST = (
    "/predict/pre_release?explain=true&quantiles=true&comps=8&comps_share_genre=true&comps_same_budget_band=false"
)


def forecast_with(page: Page, keeping: str | tuple[str, ...] = (), **changes: Any) -> None:
    """The example film with some fields typed differently (lists replace the example's), then asked; ``keeping``:
    the lists whose name the page asks about (a small namesake, an unknown name with look-alikes) is kept as typed,
    in the order the page asks."""
    page.click("#example")
    for field, value in changes.items():
        if isinstance(value, list):
            while page.locator(f"#{field}-chips button.remove").count():
                page.locator(f"#{field}-chips button.remove").first.click()
            for name in value:
                page.fill(f"#{field}-input", name)
                page.press(f"#{field}-input", "Enter")
        else:
            page.fill(f"#{field}", value)
    page.click("#submit")
    for field in (keeping,) if isinstance(keeping, str) else keeping:
        page.locator(f"#{field}-confirm button", has_text="as typed").click()
    page.wait_for_selector("body[data-drawn='true']")


def reading(answer: dict[str, Any], field: str, asked: str) -> dict[str, Any]:
    return next(r for r in answer["names"] if r["field"] == field and r["asked"] == asked)


def test_a_studio_spelt_another_way_is_read_as_the_known_name_and_says_so(watched: Watched, server: str) -> None:
    page = watched.open()
    forecast_with(page, production_companies=["Warner Bros"])
    chip = page.locator("#production_companies-chips li").first
    assert "known spelling of Warner Bros." in chip.inner_text()
    exact = post(server, FORECAST, {**PRE_RELEASE_EXAMPLE, "production_companies": ["Warner Bros."]})[1]
    assert shown(page, "#median")[0] == exact["predicted_revenue"]
    assert values(page, "#comps-table td.number") == [
        comp[field]
        for comp in exact["comps"]
        for field in ("budget", "revenue", "real_revenue", "revenue_multiple", "similarity")
    ]
    watched.check_clean()


def test_an_invented_director_is_flagged_with_the_apis_suggestions_one_click_away(
    watched: Watched, server: str
) -> None:
    page = watched.open()
    forecast_with(page, keeping="directors", directors=["Director 333"])
    answer = post(server, FORECAST, {**PRE_RELEASE_EXAMPLE, "directors": ["Director 333"]})[1]
    read = reading(answer, "directors", "Director 333")
    assert read["match"] == "unknown" and read["suggestions"]
    chip = page.locator("#directors-chips li").first
    last = answer_dates(server)["last"][:4]
    assert f"not in our data (which ends in {last}): no earlier film counted" in chip.inner_text()
    assert chip.locator("button.suggestion").all_inner_texts() == read["suggestions"]
    assert any(w["field"] == "directors" for w in answer["warnings"])

    chip.locator("button.suggestion").first.click()  # replaces the name and forecasts again
    page.locator("#directors-chips li", has_text="known").first.wait_for()
    assert page.locator("#directors-chips .chip-name").all_inner_texts() == [read["suggestions"][0]]
    page.wait_for_selector("body[data-drawn='true']")
    sent = [body for path, body in watched.bodies if path == FORECAST]
    assert sent[-1]["directors"] == [read["suggestions"][0]]
    watched.check_clean()


def test_a_company_with_a_much_larger_namesake_offers_it_on_its_chip_one_click_away(
    watched: Watched, server: str
) -> None:
    page = watched.open()
    forecast_with(page, keeping="production_companies", production_companies=["Universal"])
    answer = post(server, FORECAST, {**PRE_RELEASE_EXAMPLE, "production_companies": ["Universal"]})[1]
    read = reading(answer, "production_companies", "Universal")
    assert (read["match"], read["suggestions"]) == ("exact", ["Universal Pictures"])
    chip = page.locator("#production_companies-chips li").first
    assert "known, with few films" in chip.inner_text()
    assert chip.locator("button.suggestion").all_inner_texts() == ["Universal Pictures"]
    warning = next(w for w in answer["warnings"] if w["code"] == "larger_namesake")
    assert page.locator("#warnings [data-code='larger_namesake']").text_content() == warning["message"]
    assert shown(page, "#median")[0] == answer["predicted_revenue"]  # read exactly, as the API did

    chip.locator("button.suggestion").first.click()  # replaces the name and forecasts again
    page.locator("#production_companies-chips li", has_text="known").first.wait_for()
    assert page.locator("#production_companies-chips .chip-name").all_inner_texts() == ["Universal Pictures"]
    page.wait_for_selector("body[data-drawn='true']")
    sent = [body for path, body in watched.bodies if path == FORECAST]
    assert sent[-1]["production_companies"] == ["Universal Pictures"]
    watched.check_clean()


def test_a_date_beyond_the_data_is_warned_about_by_the_numbers_and_the_field(watched: Watched, server: str) -> None:
    page = watched.open()
    forecast_with(page, release_date="2099-06-18")
    answer = post(server, FORECAST, {**PRE_RELEASE_EXAMPLE, "release_date": "2099-06-18"})[1]
    dated = [w for w in answer["warnings"] if w["code"] == "date_after_data"]
    assert len(dated) == 1
    listed = page.locator("#warnings li[data-code='date_after_data']")
    assert listed.inner_text() == dated[0]["message"]
    assert page.inner_text("#release_date-warning") == dated[0]["message"]
    assert "release_date-warning" in (page.get_attribute("#release_date", "aria-describedby") or "").split()
    # the names' warnings are gathered in one item, each of the API's messages inside it, one per name
    name_fields = ("directors", "cast", "production_companies", "keywords", "genres")
    about_names = [w["message"] for w in answer["warnings"] if w["field"] in name_fields]
    folded = page.locator("#warnings li[data-code='names'] li")
    assert about_names and folded.all_text_contents() == about_names
    unknown = sum(w["code"] == "unknown_name" for w in answer["warnings"])
    unread = sum(w["code"] == "not_read_name" for w in answer["warnings"])  # the example's keywords
    summary = page.inner_text("#warnings li[data-code='names'] summary")
    assert summary.startswith(f"{len(about_names)} name") and f"{unknown} not in our data" in summary
    assert unread == 2 and f"{unread} not read by the models" in summary
    assert folded.first.is_visible() == (len(about_names) <= 3)  # many names stay folded: the numbers stay in view
    assert page.locator("#warnings > li").count() == len(answer["warnings"]) - len(about_names) + 1
    watched.check_clean()


def test_the_producers_result_is_the_apis_with_the_terms_typed(watched: Watched, server: str) -> None:
    page = watched.open()
    forecast_example(page)
    answer = post(server, FORECAST, PRE_RELEASE_EXAMPLE)[1]
    for selector, field in (
        ("#profit-probability", "profit_probability"),
        ("#profit-median", "profit_median"),
        ("#profit-low", "profit_low"),
        ("#profit-high", "profit_high"),
    ):
        assert shown(page, selector)[0] == answer[field]
    assert "P(profit)" in page.inner_text("#producer") and "P(hit)" in page.inner_text("#hit-label")
    # the budget what-if's P(profit) counts P&A as the forecast does: by default, the API's share of each budget
    default = answer["p_and_a"] / PRE_RELEASE_EXAMPLE["budget"]
    assert f"P&A as {default:g}\u00d7 each budget (the default;" in page.inner_text("#budget-whatif-note")

    forecast_with(page, distributor_share="45%", p_and_a="0.8x")
    assert page.inner_text("#distributor_share-understood") == "read as 45.0% of the gross"
    sent = [body for path, body in watched.bodies if path == FORECAST][-1]
    assert sent["distributor_share"] == 0.45 and sent["p_and_a_multiple"] == 0.8
    answer = post(server, FORECAST, sent)[1]
    assert answer["distributor_share"] == 0.45 and answer["p_and_a"] == 0.8 * PRE_RELEASE_EXAMPLE["budget"]
    assert shown(page, "#profit-probability")[0] == answer["profit_probability"]
    assert "P&A as 0.8\u00d7 each budget (as typed)" in page.inner_text("#budget-whatif-note")
    forecast_with(page, p_and_a="20M")
    assert "the same P&A at every budget, $20.0M, as typed" in page.inner_text("#budget-whatif-note")
    watched.check_clean()


def test_the_explanation_is_in_words_with_the_apis_factors(watched: Watched, server: str) -> None:
    page = watched.open()
    forecast_example(page)
    effects = post(server, FORECAST, PRE_RELEASE_EXAMPLE)[1]["explanation"]["effects"]
    shown_effects = [e for e in effects if e["contribution"] != 0][:8]
    assert values(page, "#explanation-chart rect") == [e["contribution"] for e in shown_effects]
    assert page.locator("#explanation-numbers th[scope='row']").all_text_contents() == [
        e["label"] for e in shown_effects
    ]
    assert values(page, "#explanation-numbers td") == [e["factor"] for e in shown_effects]
    # a factor is an association in past films, not a lever (a trial read runtime's as one): said above the chart
    assert "not what changing it would do" in page.inner_text("#explanation-start")
    watched.check_clean()


def test_a_film_with_no_genre_shares_none_and_the_empty_comps_say_why(watched: Watched, server: str) -> None:
    page = watched.open()
    page.click("#example")
    ticked = page.locator("#genres input:checked")
    while ticked.count():
        ticked.first.uncheck()
    page.click("#submit")
    page.wait_for_selector("body[data-drawn='true']")
    sent = [path for path, _ in watched.bodies if path.startswith("/predict/pre_release?")]
    assert sent == [FORECAST] and post(server, FORECAST, {**PRE_RELEASE_EXAMPLE, "genres": []})[1]["comps"] == []
    assert page.locator("#comps-table tbody tr").count() == 0
    assert "a film with no genre shares none" in page.inner_text("#comps-note")
    watched.check_clean()


def test_the_comps_say_why_and_keep_to_the_constraints_asked(watched: Watched, server: str) -> None:
    page = watched.open()
    page.click("#example")
    assert page.is_checked("#comps_share_genre")  # the page's default: a film is compared with films of its genre
    page.fill("#comps_within_years", "5")
    page.click("#submit")
    page.wait_for_selector("body[data-drawn='true']")
    asked = (
        "/predict/pre_release?explain=true&quantiles=true&comps=8&comps_share_genre=true"
        "&comps_same_budget_band=false&comps_within_years=5"
    )
    assert [path for path, _ in watched.bodies if path.startswith("/predict/pre_release?")] == [asked]
    comps = post(server, asked, PRE_RELEASE_EXAMPLE)[1]["comps"]
    assert comps and all(comp["reasons"]["shared_genres"] and comp["reasons"]["years_apart"] <= 5 for comp in comps)
    titles = page.locator("#comps-table tbody td:first-child").all_inner_texts()
    assert titles == [comp["title"] for comp in comps]
    reasons = page.locator("#comps-table td.reasons").all_inner_texts()
    for comp, said in zip(comps, reasons, strict=True):
        assert f"genres: {', '.join(comp['reasons']['shared_genres'])}" in said
        assert f"{comp['reasons']['years_apart']:g} years apart" in said  # as JavaScript writes a number
    # the constraints are part of the link
    link = page.get_attribute("#share-link", "href") or ""
    assert "comps_share_genre=true" in link and "comps_within_years=5" in link
    watched.check_clean()


def test_a_producer_with_no_break_even_is_told_so_and_no_mark_is_drawn(watched: Watched) -> None:
    """The API's null break-even (terms no box office a number holds can repay) reads as words, not "$0.0M"."""

    def no_break_even(route: Any) -> None:
        answer = route.fetch()
        body = answer.json()
        body["producer_break_even_revenue"] = None
        route.fulfill(response=answer, json=body)

    page = watched.open()
    page.route("**/predict/pre_release?*", no_break_even)
    forecast_example(page)
    terms = page.inner_text("#producer-terms")
    assert "No box office a number can hold brings it above zero" in terms and "$0.0M" not in terms
    assert "producer's break-even" not in (page.text_content("#cdf-chart") or "")
    assert "budget" in (page.text_content("#cdf-chart") or "")  # the other marks are drawn
    watched.check_clean()


def names_api(server: str, field: str, name: str, position: int = 0) -> dict[str, Any]:
    query = urllib.parse.urlencode({"field": field, "name": name, "position": position})
    with urllib.request.urlopen(f"{server}/names?{query}") as response:
        return dict(json.load(response))


def test_a_names_chip_says_how_the_api_reads_it_as_soon_as_it_is_added(watched: Watched, server: str) -> None:
    """Before any forecast: each chip shows the API's reading (GET /names) and its suggestions."""
    page = watched.open()
    for field, name in [
        ("directors", "Director 333"),
        ("production_companies", "Warner Bros"),
        ("production_companies", "Universal"),
        ("keywords", "dream"),
    ]:
        page.fill(f"#{field}-input", name)
        page.press(f"#{field}-input", "Enter")
    companies = page.locator("#production_companies-chips li")
    companies.nth(1).locator(".chip-reading").wait_for()
    director = page.locator("#directors-chips li").first
    director.locator(".chip-reading").wait_for()
    unknown = names_api(server, "directors", "Director 333")
    assert unknown["match"] == "unknown" and unknown["suggestions"]
    assert "not in our data" in director.inner_text()
    assert director.locator("button.suggestion").all_inner_texts() == unknown["suggestions"]
    assert names_api(server, "production_companies", "Warner Bros", 0)["read_as"] == "Warner Bros."
    assert "known spelling of Warner Bros." in companies.nth(0).inner_text()
    larger = names_api(server, "production_companies", "Universal", 1)
    assert "known, with few films" in companies.nth(1).inner_text()
    last = answer_dates(server)["last"][:4]  # a known name's record stops where the data does; an unknown has none
    assert [
        f"; its films to {last} counted" in chip for chip in [*companies.all_inner_texts(), director.inner_text()]
    ] == [
        True,
        True,
        False,
    ]
    assert companies.nth(1).locator("button.suggestion").all_inner_texts() == larger["suggestions"]
    keyword = page.locator("#keywords-chips li").first
    keyword.locator(".chip-reading").wait_for()
    assert names_api(server, "keywords", "dream")["match"] == "not_read"  # no flag: the forecast ignores it
    assert "not used by the models (a comp's reasons may still name it)" in keyword.inner_text()
    assert page.locator("#results").is_hidden()
    assert not [path for path, _ in watched.bodies if path.startswith("/predict")]  # no forecast was asked for
    watched.check_clean()


def test_names_typed_in_one_box_with_commas_are_split_when_the_person_asks(watched: Watched, server: str) -> None:
    """A trial typed two actors in one box: one unknown chip. It offers to split; it never splits unasked."""
    page = watched.open()
    page.fill("#cast-input", "Actor 1, Actor 2")
    page.press("#cast-input", "Enter")
    chip = page.locator("#cast-chips li").first
    chip.locator(".chip-reading").wait_for()
    assert names_api(server, "cast", "Actor 1, Actor 2")["match"] == "unknown"
    assert page.locator("#cast-chips .chip-name").all_inner_texts() == ["Actor 1, Actor 2"]
    chip.get_by_role("button", name="Split Actor 1, Actor 2 into 2 names: Actor 1; Actor 2").click()
    assert page.locator("#cast-chips .chip-name").all_inner_texts() == ["Actor 1", "Actor 2"]
    assert page.evaluate("document.activeElement.id") == "cast-input"
    page.locator("#cast-chips li").nth(1).locator(".chip-reading").wait_for()
    for position, name in enumerate(["Actor 1", "Actor 2"]):
        assert names_api(server, "cast", name, position)["match"] == "exact"
        assert "split at the commas" not in page.locator("#cast-chips li").nth(position).inner_text()
    assert not [path for path, _ in watched.bodies if path.startswith("/predict")]  # nothing forecast unasked
    watched.check_clean()


def test_a_cast_members_chip_follows_its_place_in_the_billing(watched: Watched, server: str) -> None:
    """The models read the first few cast members only: the chip says so, and says it again when one leaves."""
    page = watched.open()
    cast = ["Actor 1", "Actor 2", "Actor 3", "Actor 4"]
    for name in cast:
        page.fill("#cast-input", name)
        page.press("#cast-input", "Enter")
    chips = page.locator("#cast-chips li")
    chips.nth(3).locator(".chip-reading").wait_for()
    assert names_api(server, "cast", "Actor 4", 3)["match"] == "not_read"
    assert "not used by the models" in chips.nth(3).inner_text()
    page.locator("#cast-chips button.remove").first.click()
    page.locator("#cast-chips li", has_text="Actor 4").locator(".chip-reading").wait_for()
    read = names_api(server, "cast", "Actor 4", 2)
    assert read["match"] != "not_read"
    assert "not used by the models" not in page.locator("#cast-chips li", has_text="Actor 4").inner_text()
    watched.check_clean()


def test_a_few_doubtful_names_are_said_one_by_one_in_view(watched: Watched, server: str) -> None:
    page = watched.open()
    names = {"directors": ["Director 333"], "cast": ["Actor 1"], "production_companies": ["Universal"]}
    names["keywords"] = ["sequel"]  # one the models read (the example's two are not: two more warnings)
    forecast_with(page, keeping=("directors", "production_companies"), **names)
    answer = post(server, FORECAST, {**PRE_RELEASE_EXAMPLE, **names})[1]
    about_names = [w for w in answer["warnings"] if w["field"] in names]
    assert [w["code"] for w in about_names] == ["unknown_name", "larger_namesake"]
    assert page.inner_text("#warnings li[data-code='names'] summary") == (
        "2 names to check: 1 not in our data, 1 perhaps meant as a larger name"
    )
    listed = page.locator("#warnings li[data-code='names'] li")
    assert listed.all_inner_texts() == [w["message"] for w in about_names]
    assert listed.first.is_visible() and listed.nth(1).is_visible()
    watched.check_clean()


def test_the_page_says_every_figure_leans_as_p_hit_does(watched: Watched, server: str) -> None:
    """A user read the optimism note as about P(hit) alone; the revenue and P(profit) come from the same films."""
    page = watched.open()
    page.wait_for_function("document.getElementById('population-text').textContent.length > 0")
    with urllib.request.urlopen(f"{server}/forecast/context") as response:
        population = json.load(response)["population"]
    said = page.locator("#population-text").text_content() or ""
    assert f"{100 * population['learnt_hit_rate']:.1f}% of them are hits" in said  # the API's number
    assert "P(profit) and P(gross > budget) come from the same films and lean the same way" in said


def answer_dates(server: str) -> dict[str, str]:
    """The data's first and last release dates, as the page's context gives them."""
    with urllib.request.urlopen(f"{server}/forecast/context") as response:
        return json.load(response)["data_limits"]["release_dates"]


def test_an_unknown_name_with_look_alikes_is_asked_about_before_any_forecast(watched: Watched, server: str) -> None:
    """A misspelt name would count as a name with no earlier film: the page asks first, in the API's words."""
    page = watched.open()
    page.click("#example")
    while page.locator("#directors-chips button.remove").count():
        page.locator("#directors-chips button.remove").first.click()
    page.fill("#directors-input", "Director 333")
    page.press("#directors-input", "Enter")
    page.click("#submit")
    question = page.locator("#directors-confirm")
    question.wait_for(state="visible")
    answer = post(server, FORECAST, {**PRE_RELEASE_EXAMPLE, "directors": ["Director 333"]})[1]
    warning = next(w for w in answer["warnings"] if w["code"] == "unknown_name" and w["name"] == "Director 333")
    assert warning["message"] in (question.text_content() or "")
    assert page.get_attribute("body", "data-drawn") is None  # nothing shown before the choice
    suggested = reading(answer, "directors", "Director 333")["suggestions"]
    buttons = question.locator("button").all_inner_texts()
    assert buttons == [*(f"Use {name}" for name in suggested), "Keep Director 333, as typed"]
    page.keyboard.press("Enter")  # the focus is on the first choice: the first known look-alike
    page.wait_for_selector("body[data-drawn='true']")
    sent = [body for path, body in watched.bodies if path == FORECAST]
    assert sent[-1]["directors"] == [suggested[0]]
    exact = post(server, FORECAST, {**PRE_RELEASE_EXAMPLE, "directors": [suggested[0]]})[1]
    assert shown(page, "#median")[0] == exact["predicted_revenue"]
    watched.check_clean()
