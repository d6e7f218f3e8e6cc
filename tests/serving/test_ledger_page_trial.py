"""What a new user of the ledger page tripped on (issue 33's user trial), in headless Chromium.

An amount in the wrong unit is asked about before it is recorded; the slate keeps its names in view
and its actions reachable; compare is side by side with the films' inputs; a pasted link works in a
tab already on the page; the forecast page says how to save; a film is re-forecast or restored; the
track record of few films says so; the slate downloads as CSV. Every number and warning is the API's.
"""

from __future__ import annotations

import urllib.parse
import urllib.request
from collections.abc import Callable

import pytest
from playwright.sync_api import Page

from tests.serving.ledger_driver import LedgerService, data_values, settled
from tests.serving.ledger_driver import open_slate as opened
from tests.serving.page_driver import Watched, forecast_example, values

pytestmark = pytest.mark.browser
DESKTOP = 1280
KNOWN_ON = "2018-01-31"


def open_slate(watched: Watched, service: LedgerService, slate: str) -> Page:
    page = opened(watched, service, slate)
    page.wait_for_selector("#record-section:not([hidden])")
    return page


def record_in_form(page: Page, revenue: str, known_on: str = KNOWN_ON, source: str = "studio") -> None:
    page.fill("#revenue", revenue)
    page.fill("#known_on", known_on)
    page.fill("#source", source)
    page.click("#actual-save")


def box(page: Page, selector: str) -> dict[str, float]:
    found = page.locator(selector).first.bounding_box()
    assert found is not None, selector
    return found


def test_an_amount_in_the_wrong_unit_is_asked_about_before_it_is_recorded(
    ledger_watched: Callable[..., Watched], ledger_service: LedgerService
) -> None:
    slate = "Typed in millions"
    saved = ledger_service.save(slate, "Meant as $95M")
    watched = ledger_watched()
    page = open_slate(watched, ledger_service, slate)
    page.click("#slate-table button.record")
    record_in_form(page, "95")
    page.wait_for_selector("#revenue-confirm:not([hidden])")
    assert "Which did you mean?" in page.inner_text("#revenue-confirm-text")
    assert page.inner_text("#revenue-understood") == "read as $95"  # every dollar, not "$0.0M"
    assert page.inner_text("#revenue-as-millions") == "$95.0M (95 million)"
    assert page.evaluate("document.activeElement.id") == "revenue-as-millions"
    assert ledger_service.page(slate)["forecasts"][0]["actual"] is None  # nothing recorded while asking

    page.click("#revenue-as-millions")
    page.wait_for_selector("#actual-section[hidden]", state="attached")
    settled(page)
    assert ledger_service.page(slate)["forecasts"][0]["actual"]["revenue"] == 95_000_000
    assert page.locator("#slate-news li").count() == 0  # a plausible amount: recorded, no warning

    # half a dollar, confirmed as typed: recorded, with the API's warnings shown
    page.click("#slate-table button.record")
    record_in_form(page, "$0.50")
    page.wait_for_selector("#revenue-confirm:not([hidden])")
    page.click("#revenue-as-typed")
    page.wait_for_selector("#actual-section[hidden]", state="attached")
    settled(page)
    status, answer = ledger_service.call(
        "PUT", f"/ledger/forecasts/{saved['id']}/actual", {"revenue": 0.5, "known_on": KNOWN_ON, "source": "studio"}
    )
    assert status == 200 and len(answer["warnings"]) == 2
    shown = page.locator("#slate-news li")
    assert shown.evaluate_all("items => items.map(item => item.dataset.code)") == [
        warning["code"] for warning in answer["warnings"]
    ]
    assert shown.all_inner_texts() == [warning["message"] for warning in answer["warnings"]]
    assert data_values(page, "#slate-table tbody .actual") == [0.5]
    assert page.inner_text("#slate-table tbody .actual") == "$0.5"
    assert page.inner_text("#slate-news").startswith("The actual result of Meant as $95M is recorded, with warnings:")
    watched.check_clean()


def test_a_date_after_today_is_refused_by_its_field_in_words(
    ledger_watched: Callable[..., Watched], ledger_service: LedgerService
) -> None:
    slate = "Known tomorrow"
    ledger_service.save(slate, "Film")
    watched = ledger_watched()
    page = open_slate(watched, ledger_service, slate)
    page.click("#slate-table button.record")
    assert page.get_attribute("#known_on", "max")  # the date picker offers no later day
    record_in_form(page, "200M", known_on="2999-01-01")
    page.wait_for_selector("#known_on-error:not(:empty)")
    assert page.inner_text("#known_on-error").startswith("A figure cannot be known on a date after today")
    assert page.locator(".error:not(:empty)").count() == 1  # one message, by its field
    assert ledger_service.page(slate)["forecasts"][0]["actual"] is None
    watched.check_clean(expected="the server responded with a status of 422")


def test_the_names_stay_in_view_and_the_actions_are_on_screen_at_1280_px(
    ledger_watched: Callable[..., Watched], ledger_service: LedgerService
) -> None:
    slate = "Wide slate"
    for i in range(3):
        ledger_service.save(slate, f"A film with a long working title, part {i}")
    watched = ledger_watched(DESKTOP)
    page = open_slate(watched, ledger_service, slate)
    for selector in ("#slate-table button.record", "#slate-table button.reforecast"):
        assert box(page, selector)["x"] + box(page, selector)["width"] <= DESKTOP, selector
    scroller = "#slate-section .scroll"
    page.locator(scroller).scroll_into_view_if_needed()  # in the window: what elementFromPoint looks at
    page.locator(scroller).evaluate("node => { node.scrollLeft = node.scrollWidth; }")
    assert page.locator(scroller).evaluate("node => node.scrollLeft") > 0  # the table is wider than its box
    name = box(page, "#slate-table tbody th.name")
    assert abs(name["x"] - box(page, scroller)["x"]) < 2  # still at the box's left edge, not scrolled away
    on_top = page.evaluate(
        "([x, y]) => document.elementFromPoint(x, y).closest('th.name')?.textContent",
        [name["x"] + name["width"] / 2, name["y"] + name["height"] / 2],
    )
    assert on_top == "A film with a long working title, part 0"
    watched.check_clean()


def test_compare_is_side_by_side_with_the_films_inputs_and_a_short_hash(
    ledger_watched: Callable[..., Watched], ledger_service: LedgerService
) -> None:
    slate = "Side by side"
    first = ledger_service.save(slate, "First")
    second = ledger_service.save(slate, "Second", budget=90e6, cast=["Tom Hardy", "Emily Blunt", "A newcomer"])
    watched = ledger_watched(DESKTOP)
    page = open_slate(watched, ledger_service, slate)
    ticks = page.locator("#slate-table tbody input[type='checkbox']")
    ticks.nth(0).check()
    ticks.nth(1).check()
    page.click("#compare")
    page.wait_for_selector("#compare-section:not([hidden])")
    settled(page)
    # both films in view at once, without scrolling the table sideways
    region = box(page, "#compare-section .scroll")
    last = box(page, f"#compare-table thead th[data-id='{second['id']}']")
    assert last["x"] + last["width"] <= min(region["x"] + region["width"], DESKTOP) + 1

    def row(label: str) -> list[str]:
        return page.locator(f"#compare-table tbody tr:has(th:text-is('{label}')) td").all_inner_texts()

    films = [forecast["current"]["film"] for forecast in (first, second)]
    assert row("Lead cast") == [", ".join(film["cast"]) for film in films]
    assert row("Genres") == [", ".join(film["genres"]) for film in films]
    assert row("Directors") == [", ".join(film["directors"]) for film in films]
    assert values(page, "#compare-table tbody tr:has(th:text-is('Budget')) td") == [film["budget"] for film in films]
    assert row("Forecast made") == [
        forecast["current"]["created_at"][:19].replace("T", " ") + " UTC" for forecast in (first, second)
    ]
    serving_hash = first["current"]["model"]["serving_hash"]
    assert len(serving_hash) == 64
    summary = page.locator("#compare-table details.hash summary").first
    assert summary.inner_text() == serving_hash[:12] and summary.get_attribute("title") == serving_hash
    summary.click()
    assert page.locator("#compare-table details.hash code").first.inner_text() == serving_hash
    watched.check_clean()


def test_a_link_pasted_into_a_tab_already_on_the_ledger_is_taken(
    ledger_watched: Callable[..., Watched], ledger_service: LedgerService
) -> None:
    watched = ledger_watched()
    page = watched.open("/ledger")
    assert page.locator("#token-form").is_visible()
    page.evaluate("token => { location.hash = 'token=' + token; }", ledger_service.token)  # only the fragment changes
    page.wait_for_selector("#slates-section:not([hidden])")
    settled(page)
    assert page.locator("#token-form").is_hidden()
    assert page.url == f"{ledger_service.origin}/ledger"  # the token left the address bar
    assert page.evaluate("sessionStorage.getItem('boxoffice.ledger.token')") == ledger_service.token
    watched.check_clean()


def test_the_forecast_page_in_a_new_tab_says_how_to_save(
    ledger_watched: Callable[..., Watched], ledger_service: LedgerService
) -> None:
    watched = ledger_watched()
    page = watched.open()
    forecast_example(page)
    assert page.locator("#save").is_visible() and page.locator("#save-form").is_hidden()
    said = page.inner_text("#save-needs-token")
    assert "/ledger#token=" in said and "in this tab" in said
    assert page.get_attribute("#save-needs-token a", "href") == "/ledger"
    assert not [url for url in watched.requests if "/ledger/" in url]  # nothing of the ledger asked for, or shown
    watched.check_clean()


def test_a_film_is_re_forecast_and_a_deleted_one_restored_from_its_row(
    ledger_watched: Callable[..., Watched], ledger_service: LedgerService
) -> None:
    slate = "Revised"
    kept, gone = ledger_service.save(slate, "Kept"), ledger_service.save(slate, "Gone")
    assert ledger_service.call("DELETE", f"/ledger/forecasts/{gone['id']}")[0] == 200
    watched = ledger_watched()
    page = open_slate(watched, ledger_service, slate)
    page.click("button[aria-label='Re-forecast with the current models: Kept']")
    page.wait_for_selector("#slate-news:not(:empty)")
    settled(page)
    status, read = ledger_service.call("GET", f"/ledger/forecasts/{kept['id']}")
    assert status == 200 and read["revision_count"] == 2 and read["revisions"][0]["answer"] == kept["current"]["answer"]
    assert data_values(page, "#slate-table tbody .revisions") == [2]
    assert data_values(page, "#slate-news .news-median") == [read["current"]["answer"]["predicted_revenue"]]
    assert "revision 2" in page.inner_text("#slate-news")

    page.check("#deleted")
    page.click("#filter")
    settled(page)
    page.click("button[aria-label='Restore Gone']")
    page.wait_for_selector("#slate-news:has-text('restored')")
    settled(page)
    assert [forecast["name"] for forecast in ledger_service.page(slate)["forecasts"]] == ["Kept", "Gone"]
    watched.check_clean()


def test_a_track_record_of_few_films_shows_the_apis_warning(
    ledger_watched: Callable[..., Watched], ledger_service: LedgerService
) -> None:
    slate = "One released film"
    saved = ledger_service.save(slate, "Out")
    ledger_service.record(saved["id"], saved["current"]["answer"]["predicted_revenue"])
    watched = ledger_watched()
    page = open_slate(watched, ledger_service, slate)
    status, record = ledger_service.call("GET", "/ledger/track_record?" + urllib.parse.urlencode({"slate": slate}))
    assert status == 200 and [warning["code"] for warning in record["warnings"]] == ["few_films"]
    assert page.locator("#record-warnings li").all_inner_texts() == [record["warnings"][0]["message"]]
    watched.check_clean()


def test_the_slate_downloads_as_the_apis_csv(
    ledger_watched: Callable[..., Watched], ledger_service: LedgerService
) -> None:
    slate = 'Exported "slate"'
    for name in ("One", "=Two"):
        ledger_service.save(slate, name)
    watched = ledger_watched()
    page = open_slate(watched, ledger_service, slate)
    with page.expect_download() as download:
        page.click("#export")
    path = download.value.path()
    exported = path.read_text(encoding="utf-8")
    assert download.value.suggested_filename == "Exported_slate_.csv"
    assert exported == export_text(ledger_service, slate)
    assert all(ledger_service.token not in url for url in watched.requests)  # the token went in a header only
    watched.check_clean()


def export_text(service: LedgerService, slate: str) -> str:
    request = urllib.request.Request(
        f"{service.origin}/ledger/export.csv?" + urllib.parse.urlencode({"slate": slate}),
        headers={"Authorization": f"Bearer {service.token}"},
    )
    with urllib.request.urlopen(request) as response:
        return response.read().decode("utf-8")
