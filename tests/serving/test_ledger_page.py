"""The ledger page's token and the forecast page's save, in headless Chromium against uvicorn.

The service has a fresh SQLite ledger in a temporary folder (``ledger_service``): its first
start prints the link ``/ledger#token=...``, which these tests open as a person would.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from boxoffice.prediction.schemas import PRE_RELEASE_EXAMPLE
from boxoffice.serving.api import create_app
from boxoffice.serving.page import CSP
from tests.serving.ledger_driver import ODD_NAMES, LedgerService, open_with_token, settled
from tests.serving.page_driver import Watched, forecast_example, post

pytestmark = pytest.mark.browser
REFUSED = "the server responded with a status of 401"  # Chromium logs each 4xx
NOT_ACCEPTED = "This token is not accepted"


def test_the_printed_link_opens_the_ledger_and_the_token_leaves_the_address(
    ledger_watched: Callable[..., Watched], ledger_service: LedgerService
) -> None:
    watched = ledger_watched()
    page = watched.page
    # the link names the port the service was started on (uvicorn --port), so it opens as printed
    assert ledger_service.printed_link == f"{ledger_service.origin}/ledger#token={ledger_service.token}"
    page.goto(ledger_service.printed_link)
    page.wait_for_selector("body[data-ready='true']")
    assert page.url == f"{ledger_service.origin}/ledger"  # no fragment left to bookmark or share
    assert page.evaluate("sessionStorage.getItem('boxoffice.ledger.token')") == ledger_service.token
    assert page.locator("#slates-section").is_visible() and page.locator("#token-form").is_hidden()
    # the token went in headers only, never in an address
    assert all(ledger_service.token not in url for url in watched.requests)
    watched.check_clean()


def test_without_a_token_the_page_asks_for_one_and_a_wrong_one_is_not_accepted(
    ledger_watched: Callable[..., Watched], ledger_service: LedgerService
) -> None:
    watched = ledger_watched()
    page = watched.open("/ledger")
    assert page.locator("#token-form").is_visible() and page.locator("#slates-section").is_hidden()
    assert page.evaluate("document.activeElement.id") == "token-input"
    page.fill("#token-input", "not-a-token")
    page.press("#token-input", "Enter")
    settled(page)
    assert NOT_ACCEPTED in page.inner_text("#token-problem")
    assert page.get_attribute("#token-input", "aria-invalid") == "true"
    assert page.evaluate("sessionStorage.getItem('boxoffice.ledger.token')") is None
    page.fill("#token-input", ledger_service.token)
    page.click("#token-use")
    page.wait_for_selector("#slates-section:not([hidden])")
    assert page.locator("#token-form").is_hidden() and page.inner_text("#token-problem") == ""
    # a token that stops being accepted (another ledger's, say) sends the page back to the form
    page.evaluate("sessionStorage.setItem('boxoffice.ledger.token', 'revoked')")
    page.reload()
    page.wait_for_selector("body[data-ready='true']")
    assert NOT_ACCEPTED in page.inner_text("#token-problem") and page.locator("#token-form").is_visible()
    watched.check_clean(expected=REFUSED)


def test_the_forecast_page_saves_the_film_and_the_service_answers_it(
    ledger_watched: Callable[..., Watched], ledger_service: LedgerService
) -> None:
    """The page sends the film only; what the ledger keeps is the service's answer, equal to the one shown."""
    without = ledger_watched()
    page = without.open()
    forecast_example(page)
    # no token held in this tab: no save form, but how to get one (tested in test_ledger_page_trial)
    assert page.locator("#save-form").is_hidden() and page.locator("#save-needs-token").is_visible()
    assert page.get_attribute("footer a[href='/ledger']", "href") == "/ledger"
    without.check_clean()

    watched = ledger_watched()
    page = watched.page
    open_with_token(page, ledger_service.origin, ledger_service.token)
    page.goto(f"{ledger_service.origin}/forecast")  # the same tab: its sessionStorage holds the token
    page.wait_for_selector("body[data-ready='true']")
    forecast_example(page)
    assert page.locator("#save").is_visible()
    assert page.input_value("#save-name") == PRE_RELEASE_EXAMPLE["title"]
    slate = f"Slate {ODD_NAMES[0]}"
    page.fill("#save-slate", slate)
    page.fill("#save-name", ODD_NAMES[2])
    page.click("#save-button")
    page.wait_for_selector("#save-status a")
    said = f"Saved as \u201c{ODD_NAMES[2]}\u201d in the slate \u201c{slate}\u201d"
    assert page.inner_text("#save-status").startswith(said)

    sent = [body for path, body in watched.bodies if path == "/ledger/forecasts"]
    film = [body for path, body in watched.bodies if path.startswith("/predict/pre_release?")][-1]
    assert sent == [{"slate": slate, "name": ODD_NAMES[2], "film": film}]  # no answer sent
    kept = ledger_service.page(slate)["forecasts"]
    assert [forecast["name"] for forecast in kept] == [ODD_NAMES[2]]
    status, answer = post(ledger_service.origin, "/predict/pre_release", film)
    assert status == 200
    stored = kept[0]["current"]["answer"]
    for field in ("predicted_revenue", "revenue_low", "revenue_high", "hit_probability", "profit_probability"):
        assert stored[field] == answer[field]
    assert float(page.get_attribute("#median", "data-value") or "nan") == stored["predicted_revenue"]

    # the same name again: the API's 409 by the name field
    page.click("#save-button")
    page.wait_for_selector("#save-name-error:not(:empty)")
    assert "already has a forecast named" in page.inner_text("#save-name-error")
    assert page.get_attribute("#save-name", "aria-invalid") == "true"
    # a blank slate: the API's 422, by the slate field
    page.fill("#save-slate", "   ")
    page.click("#save-button")
    page.wait_for_selector("#save-slate-error:not(:empty)")
    status, refused = ledger_service.call("POST", "/ledger/forecasts", {"slate": "   ", "name": "x", "film": film})
    assert status == 422 and [error["field"] for error in refused["detail"]] == ["slate"]
    assert refused["detail"][0]["type"] == "string_too_short"  # the spaces stripped: empty
    assert page.inner_text("#save-slate-error") == "Type the slate's name."
    assert page.inner_text("#save-name-error") == ""
    assert len(ledger_service.page(slate)["forecasts"]) == 1
    watched.check_clean(expected="the server responded with a status of")


def test_a_read_only_token_reads_but_saving_and_recording_are_refused_and_said_so(
    ledger_watched: Callable[..., Watched], ledger_service: LedgerService
) -> None:
    slate = "Read-only slate"
    saved = ledger_service.save(slate, "Kept as it is")
    reader = ledger_service.new_token(read_only=True)
    watched = ledger_watched()
    page = watched.page
    open_with_token(page, ledger_service.origin, reader, f"/ledger?slate={slate.replace(' ', '+')}")
    settled(page)
    assert page.locator("#slate-table tbody tr").count() == 1

    page.click("#slate-table button.record")
    page.fill("#revenue", "300M")
    page.fill("#known_on", "2018-01-31")
    page.fill("#source", "studio")
    page.click("#actual-save")
    page.wait_for_selector("#actual-problem:not(:empty)")
    assert "read-only" in page.inner_text("#actual-problem")
    assert ledger_service.page(slate)["forecasts"][0]["actual"] is None

    page.goto(f"{ledger_service.origin}/forecast")
    page.wait_for_selector("body[data-ready='true']")
    forecast_example(page)
    page.fill("#save-slate", slate)
    page.fill("#save-name", "Another")
    page.click("#save-button")
    page.wait_for_selector("#save-problem:not(:empty)")
    assert "read-only" in page.inner_text("#save-problem")
    assert [f["id"] for f in ledger_service.page(slate)["forecasts"]] == [saved["id"]]
    watched.check_clean(expected="the server responded with a status of 403")


def test_the_ledger_page_is_the_apps_own_under_the_pages_policy(project: Path) -> None:
    """GET /ledger needs no token (the page asks for one), names only files this app serves, and is no API route."""
    app = create_app(models_dir=project / "models", lock_path=project / "dvc.lock")
    with TestClient(app) as client:
        page = client.get("/ledger")
        assert page.status_code == 200 and page.headers["content-security-policy"] == CSP
        assert page.headers["referrer-policy"] == "no-referrer"
        urls = re.findall(r'(?:src|href)="([^"]+)"', page.text)
        assert "/forecast/ledger.js" in urls and all(url.startswith("/") and not url.startswith("//") for url in urls)
        assert all(client.get(url).status_code == 200 for url in urls), urls
        assert "/ledger" not in client.get("/openapi.json").json()["paths"]
