"""Keeping a forecast: its link reopens it, its CSV holds the API's numbers (headless Chromium)."""

from __future__ import annotations

import csv
import io

import pytest
from playwright.sync_api import Browser

from boxoffice.prediction.schemas import PRE_RELEASE_EXAMPLE
from tests.serving.page_driver import Watched, forecast_example, post, values

pytestmark = pytest.mark.browser
FORECAST = (
    "/predict/pre_release?explain=true&quantiles=true&comps=8&comps_share_genre=true&comps_same_budget_band=false"
)
SHOWN = ("#median", "#low", "#high", "#break-even", "#hit", "#comps-table td.number", ".revenue-point", ".hit-point")


def test_a_shared_link_reopens_the_same_forecast(watched: Watched, browser: Browser, server: str) -> None:
    page = watched.open()
    page.click("#example")
    page.fill("#budget", "150M")
    page.fill("#directors-input", "A & B = C?")  # a name that must survive the URL's encoding
    page.press("#directors-input", "Enter")
    page.uncheck("#comps_share_genre")  # ticked by default: unticked, the link must say so
    page.click("#submit")
    page.wait_for_selector("body[data-drawn='true']")
    link = page.get_attribute("#share-link", "href")
    assert link and page.url == f"{server}{link}"
    before = {selector: values(page, selector) for selector in SHOWN}

    other = Watched(browser, server, width=390)
    try:
        reopened = other.open(link)
        reopened.wait_for_selector("body[data-drawn='true']")
        assert {selector: values(reopened, selector) for selector in SHOWN} == before
        assert other.bodies == watched.bodies
        assert "A & B = C?" in reopened.inner_text("#directors-chips")
        assert not reopened.is_checked("#comps_share_genre") and "comps_share_genre=false" in link
        other.check_clean()
    finally:
        other.page.close()
    watched.check_clean()


def test_a_link_without_the_comps_flags_reopens_them_unticked_as_it_was_made(watched: Watched, server: str) -> None:
    """Links made before "share a genre" was ticked by default carry no flag: they reopen with the comps they had."""
    page = watched.open()
    forecast_example(page)
    link = page.get_attribute("#share-link", "href") or ""
    assert page.is_checked("#comps_share_genre") and "comps_share_genre=true" in link
    older = link.replace("&comps_share_genre=true", "").replace("&comps_same_budget_band=false", "")
    assert "comps_share_genre" not in older
    watched.bodies.clear()
    page.goto(f"{server}{older}")
    page.wait_for_selector("body[data-drawn='true']")
    assert not page.is_checked("#comps_share_genre")
    asked = [path for path, _ in watched.bodies if path.startswith("/predict/pre_release?")]
    assert asked == [FORECAST.replace("comps_share_genre=true", "comps_share_genre=false")]
    watched.check_clean()


def test_the_csv_export_holds_the_apis_answer(watched: Watched, server: str) -> None:
    page = watched.open()
    forecast_example(page)
    with page.expect_download() as download:
        page.click("#export-csv")
    assert download.value.suggested_filename == "forecast-2010-07-16.csv"
    rows = list(csv.DictReader(io.StringIO(download.value.path().read_text(encoding="utf-8"))))
    status, answer = post(server, FORECAST, PRE_RELEASE_EXAMPLE)
    assert status == 200
    forecast = {row["field"]: row["value"] for row in rows if row["part"] == "forecast"}
    for field in ("predicted_revenue", "revenue_low", "revenue_high", "break_even_probability", "hit_probability"):
        assert float(forecast[field]) == answer[field]
    assert [float(row["value"]) for row in rows if row["part"] == "quantile"] == [
        q["revenue"] for q in answer["quantiles"]
    ]
    # the classifier's decision, labelled as what it is: a film can be a "hit" by it and still lose money
    decision = [row for row in rows if row["part"] == "forecast" and row["field"].startswith("is_hit")]
    assert [row["value"] for row in decision] == [str(answer["is_hit"]).lower()]
    assert "threshold" in decision[0]["field"] and "not the producer's result" in decision[0]["field"]
    titles = [row["value"] for row in rows if row["part"] == "comp" and row["field"] == "title"]
    assert titles == [comp["title"] for comp in answer["comps"]]
    film = [(row["field"], row["value"]) for row in rows if row["part"] == "film"]
    assert ("directors", "Christopher Nolan") in film and ("budget", "150000000") in film
    what_ifs = [row for row in rows if row["part"].startswith("what-if")]
    assert [row["field"] for row in what_ifs] == ["predicted_revenue", "hit_probability", "profit_probability"] * 22
    watched.check_clean()
