"""The ledger page's slate view, compare, actual results and track record, in headless Chromium.

Every number shown is compared with the ledger API's JSON for the same request (the page keeps
each value it shows in its element's data-value). Names are typed with quotes, SQL and markup.
"""

from __future__ import annotations

import urllib.parse
from collections.abc import Callable
from typing import Any

import pytest
from playwright.sync_api import Page

from tests.serving.ledger_driver import ODD_NAMES, LedgerService, data_values, open_slate, settled
from tests.serving.page_driver import Watched, chance, chart_label_problems, values

pytestmark = pytest.mark.browser
REFUSED_422 = "the server responded with a status of 422"


def seeded(service: LedgerService, slate: str, films: int, actuals: int) -> list[dict[str, Any]]:
    """``films`` forecasts in ``slate`` (the odd names first, budgets apart), the first ``actuals`` with results."""
    names = [*ODD_NAMES, *(f"Film {i:02d}" for i in range(films))][:films]
    saved = [service.save(slate, name, budget=40e6 + 15e6 * i) for i, name in enumerate(names)]
    for i, forecast in enumerate(saved[:actuals]):
        service.record(forecast["id"], 60e6 + 90e6 * i, source=f"source {i}")
    return saved


def shown_rows(page: Page) -> dict[str, list[Any]]:
    """The slate table's names and each column's API values, in page order."""
    return {
        "names": page.locator("#slate-table tbody th.name").all_inner_texts(),
        **{column: data_values(page, f"#slate-table tbody .{column}") for column in COLUMNS},
    }


COLUMNS = ("median", "low", "high", "hit", "profit", "revisions")


def api_rows(forecasts: list[dict[str, Any]]) -> dict[str, list[Any]]:
    answers = [forecast["current"]["answer"] for forecast in forecasts]
    return {
        "names": [forecast["name"] for forecast in forecasts],
        "median": [a["predicted_revenue"] for a in answers],
        "low": [a["revenue_low"] for a in answers],
        "high": [a["revenue_high"] for a in answers],
        "hit": [a["hit_probability"] for a in answers],
        "profit": [a["profit_probability"] for a in answers],
        "revisions": [forecast["revision_count"] for forecast in forecasts],
    }


def test_the_slate_is_shown_a_page_at_a_time_with_the_apis_numbers_and_filters(
    ledger_watched: Callable[..., Watched], ledger_service: LedgerService
) -> None:
    slate = 'Slate <b>"views"</b>\'; --'
    seeded(ledger_service, slate, films=12, actuals=3)
    watched = ledger_watched()
    page = open_slate(watched, ledger_service, slate)
    assert page.inner_text("#slate-title") == f"Slate: {slate}"
    page.select_option("#limit", "10")
    page.click("#filter")
    settled(page)
    first = ledger_service.page(slate, limit=10)
    assert shown_rows(page) == api_rows(first["forecasts"])
    for column in ("hit", "profit"):  # an answer's probabilities in whole percents, as on the forecast page
        cells = page.locator(f"#slate-table tbody .{column}")
        assert cells.all_inner_texts() == [chance(p) for p in data_values(page, f"#slate-table tbody .{column}")]
    assert data_values(page, "#page-status") == [first["total"]] and first["total"] == 12
    # the odd names as typed, none run: the page's only script is its own module
    assert page.locator("#slate-table tbody th.name").all_inner_texts()[:4] == ODD_NAMES
    assert page.locator("img").count() == 0 and page.locator("script").count() == 1
    actual = [f["actual"]["revenue"] if f["actual"] else None for f in first["forecasts"]]
    assert page.locator("#slate-table tbody .actual").all_inner_texts()[3:] == ["\u2014"] * 7
    assert data_values(page, "#slate-table tbody .actual")[:3] == actual[:3]
    assert page.locator("#slate-table tbody .source").all_inner_texts()[:3] == [f"source {i}" for i in range(3)]

    page.click("#next-page")
    settled(page)
    second = ledger_service.page(slate, limit=10, after=first["next_after"])
    assert shown_rows(page) == api_rows(second["forecasts"]) and len(second["forecasts"]) == 2
    assert page.is_disabled("#next-page") and not page.is_disabled("#previous-page")
    page.click("#previous-page")
    settled(page)
    assert shown_rows(page) == api_rows(first["forecasts"])

    page.fill("#name_contains", "'")
    page.click("#filter")
    settled(page)
    quoted = ledger_service.page(slate, name_contains="'")
    assert shown_rows(page) == api_rows(quoted["forecasts"]) and len(quoted["forecasts"]) == 2
    page.fill("#name_contains", "")
    page.select_option("#has_actual", "true")
    page.click("#filter")
    settled(page)
    assert shown_rows(page) == api_rows(ledger_service.page(slate, has_actual="true")["forecasts"])

    deleted = first["forecasts"][5]
    assert ledger_service.call("DELETE", f"/ledger/forecasts/{deleted['id']}")[0] == 200
    page.select_option("#has_actual", "")
    page.check("#deleted")
    page.click("#filter")
    settled(page)
    assert page.locator("#slate-table tbody th.name").all_inner_texts() == [deleted["name"]]
    assert shown_rows(page) == api_rows(ledger_service.page(slate, deleted="true")["forecasts"])
    page.uncheck("#deleted")

    page.fill("#model", "x" * 65)  # longer than a serving hash: the API's 422, by the field
    page.click("#filter")
    page.wait_for_selector("#model-error:not(:empty)")
    status, refused = ledger_service.call(
        "GET", "/ledger/forecasts?" + urllib.parse.urlencode({"slate": slate, "model": "x" * 65})
    )
    assert status == 422 and page.inner_text("#model-error") == refused["detail"][0]["message"]
    assert page.get_attribute("#model", "aria-invalid") == "true"
    watched.check_clean(expected=REFUSED_422)


def test_two_to_four_forecasts_are_compared_side_by_side(
    ledger_watched: Callable[..., Watched], ledger_service: LedgerService
) -> None:
    slate = "Compared"
    saved = seeded(ledger_service, slate, films=5, actuals=1)
    watched = ledger_watched()
    page = open_slate(watched, ledger_service, slate)
    ticks = page.locator("#slate-table tbody input[type='checkbox']")
    ticks.nth(0).check()
    page.click("#compare")
    assert "Tick 2 to 4 forecasts to compare (1 ticked)" in page.inner_text("#compare-problem")
    for i in range(1, 5):
        ticks.nth(i).check()
    page.click("#compare")
    assert "(5 ticked)" in page.inner_text("#compare-problem") and page.locator("#compare-section").is_hidden()
    ticks.nth(2).uncheck()
    ticks.nth(4).uncheck()
    page.click("#compare")
    page.wait_for_selector("#compare-section:not([hidden])")
    settled(page)
    chosen = [ledger_service.call("GET", f"/ledger/forecasts/{saved[i]['id']}")[1] for i in (0, 1, 3)]
    assert page.locator("#compare-table thead th[data-id]").all_inner_texts() == [f["name"] for f in chosen]

    def row(label: str) -> list[float]:
        return values(page, f"#compare-table tbody tr:has(th:text-is('{label}')) td")

    answers = [f["current"]["answer"] for f in chosen]
    assert row("Median revenue") == [a["predicted_revenue"] for a in answers]
    assert row("Interval low") == [a["revenue_low"] for a in answers]
    assert row("Interval high") == [a["revenue_high"] for a in answers]
    assert row("P(hit)") == [a["hit_probability"] for a in answers]
    assert row("P(profit)") == [a["profit_probability"] for a in answers]
    assert row("Budget") == [f["current"]["film"]["budget"] for f in chosen]
    assert row("Actual revenue")[0] == chosen[0]["actual"]["revenue"]
    actual_cells = page.locator("#compare-table tbody tr:has(th:text-is('Actual revenue')) td").all_inner_texts()
    assert actual_cells[1:] == ["\u2014", "\u2014"]
    assert page.evaluate("document.activeElement.id") == "compare-title"
    watched.check_clean()


def test_an_actual_result_is_recorded_with_the_apis_422s_by_their_fields(
    ledger_watched: Callable[..., Watched], ledger_service: LedgerService
) -> None:
    slate = "Recorded"
    saved = seeded(ledger_service, slate, films=2, actuals=0)
    watched = ledger_watched()
    page = open_slate(watched, ledger_service, slate)
    page.locator("#slate-table button.record").nth(1).click()
    assert page.inner_text("#actual-title") == f"What {ODD_NAMES[1]} earned"
    page.fill("#revenue", "-5")
    page.fill("#source", "   ")
    page.click("#actual-save")
    page.wait_for_selector("#revenue-error:not(:empty)")
    path = f"/ledger/forecasts/{saved[1]['id']}/actual"
    status, refused = ledger_service.call("PUT", path, {"revenue": -5, "source": "   "})
    assert status == 422
    assert {error["field"] for error in refused["detail"]} == {"revenue", "known_on", "source"}
    # one message a field, in words (pydantic's "Field required" is not one), and no hint stacked on it
    assert {field: page.inner_text(f"#{field}-error") for field in ("revenue", "known_on", "source")} == {
        "revenue": "A revenue is more than $0.",
        "known_on": "Choose the date the figure was known.",
        "source": "Say where the figure comes from, such as studio or Box Office Mojo.",
    }
    assert all(page.get_attribute(f"#{field}", "aria-invalid") == "true" for field in ("revenue", "known_on", "source"))
    assert page.inner_text("#revenue-understood") == ""
    assert page.evaluate("document.activeElement.id") == "revenue"
    # an amount the page cannot read is said once, by the page, and not sent
    page.fill("#revenue", "lots")
    page.click("#actual-save")
    page.wait_for_selector("#revenue-error:has-text('not an amount the page can read')")
    assert page.inner_text("#revenue-understood") == "" and page.locator("#actual-form .error:not(:empty)").count() == 1
    assert ledger_service.page(slate)["forecasts"][1]["actual"] is None

    source = 'Box Office "Mojo" <b>bold</b>'
    page.fill("#revenue", "825.5M")
    assert page.inner_text("#revenue-understood") == "read as $825.5M"
    page.fill("#known_on", "2018-01-31")
    page.fill("#source", source)
    page.click("#actual-save")
    page.wait_for_selector("#actual-section[hidden]", state="attached")
    settled(page)
    kept = ledger_service.page(slate)["forecasts"][1]["actual"]
    assert kept["revenue"] == 825_500_000 and kept["known_on"] == "2018-01-31" and kept["source"] == source
    row = page.locator("#slate-table tbody tr").nth(1)
    assert data_values(page, "#slate-table tbody tr:nth-child(2) .actual") == [kept["revenue"]]
    assert row.locator(".source").inner_text() == source and row.locator(".known-on").inner_text() == "2018-01-31"
    assert page.locator("b").count() == 0
    # its forecast is final now (the API refuses a re-forecast made knowing the answer): no button offers one
    assert row.locator("button.record").inner_text() == "Change" and row.locator("button.reforecast").count() == 0
    assert page.locator("#slate-table tbody tr").nth(0).locator("button.reforecast").count() == 1
    watched.check_clean(expected=REFUSED_422)


def test_the_track_record_is_the_apis_drawn_forecast_against_actual(
    ledger_watched: Callable[..., Watched], ledger_service: LedgerService
) -> None:
    slate = "Track record"
    seeded(ledger_service, slate, films=6, actuals=5)
    watched = ledger_watched()
    page = open_slate(watched, ledger_service, slate)
    page.wait_for_selector("#record-section:not([hidden])")
    status, record = ledger_service.call("GET", "/ledger/track_record?" + urllib.parse.urlencode({"slate": slate}))
    assert status == 200 and record["films"] == 5
    overall = record["overall"]
    figures = {
        "films": overall["films"],
        "r2": overall["log_revenue"]["r2"],
        "median_abs_pct_error": overall["median_abs_pct_error"],
        "covered": overall["interval"]["covered"],
        "brier": overall["hit"]["brier"],
        "constant_brier": overall["hit"]["constant_brier"],
    }
    assert {key: data_values(page, f"#record-figures [data-figure='{key}']")[0] for key in figures} == figures

    released = ledger_service.page(slate, has_actual="true", limit=500)["forecasts"]
    answers = [f["current"]["answer"] for f in released]
    assert data_values(page, "#record-chart .record-point") == [a["predicted_revenue"] for a in answers]
    assert data_values(page, "#record-chart .record-point", "actual") == [f["actual"]["revenue"] for f in released]
    assert data_values(page, "#record-chart .record-interval", "low") == [a["revenue_low"] for a in answers]
    assert data_values(page, "#record-chart .record-interval", "high") == [a["revenue_high"] for a in answers]
    page.click("#record-figure details.numbers summary")
    assert page.locator("#record-numbers th[scope='row']").all_inner_texts() == [f["name"] for f in released]
    assert values(page, "#record-numbers td:nth-child(2)") == [f["actual"]["revenue"] for f in released]
    assert values(page, "#record-numbers td:nth-child(3)") == [a["predicted_revenue"] for a in answers]
    # per model identity and the calibration table: the API's rows
    assert values(page, "#models-table td:nth-child(2)") == [m["films"] for m in record["models"]]
    assert values(page, "#calibration-table td:nth-child(4)") == [
        band["mean_hit_probability"] for band in overall["calibration"]
    ]
    # each dot lies on its bar, at the actual revenue's x; the labels are readable and clear of each other
    geometry = page.locator("#record-chart .record-point").evaluate_all(
        "dots => dots.map((dot, i) => [dot.getAttribute('cx'),"
        " document.querySelectorAll('#record-chart .record-interval')[i].getAttribute('x1')])"
    )
    assert all(cx == x1 for cx, x1 in geometry)
    assert chart_label_problems(page) == []
    watched.check_clean()
