"""The ledger page holds up as the forecast page does: on a phone, by keyboard, for axe-core, in every state."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from playwright.sync_api import Page

from tests.serving.ledger_driver import LedgerService, settled
from tests.serving.page_driver import ARTIFACTS, Watched, axe_violations, chart_label_problems

pytestmark = pytest.mark.browser
PHONE, DESKTOP = 390, 1280


def fits(page: Page, width: int) -> bool:
    return page.evaluate("document.scrollingElement.scrollWidth") <= width


def checked(page: Page, width: int, state: str) -> None:
    """No sideways scroll and no axe violation in this state."""
    assert fits(page, width), f"sideways scroll: {state} at {width} px"
    assert axe_violations(page) == [], f"{state} at {width} px"


@pytest.mark.parametrize("width", [PHONE, DESKTOP])
def test_every_state_fits_the_screen_and_axe_finds_no_violation(
    ledger_watched: Callable[..., Watched], ledger_service: LedgerService, width: int
) -> None:
    slate = f"Layout {width} with a long slate name that must wrap on a phone"
    saved = [ledger_service.save(slate, f"A film with a rather long name, number {i}") for i in range(4)]
    for i, forecast in enumerate(saved[:3]):
        ledger_service.record(forecast["id"], 100e6 * (i + 1))
    watched = ledger_watched(width)
    page = watched.open("/ledger")
    checked(page, width, "asking for a token")
    page.fill("#token-input", "wrong")
    page.press("#token-input", "Enter")
    page.wait_for_selector("#token-problem:not(:empty)")
    checked(page, width, "token not accepted")

    page.fill("#token-input", ledger_service.token)
    page.press("#token-input", "Enter")
    page.wait_for_selector("#slates-section:not([hidden])")
    checked(page, width, "slates")
    page.click(f"#slates button[data-slate='{slate}']")
    page.wait_for_selector("#record-section:not([hidden])")
    settled(page)
    for details in page.locator("details.numbers").all():
        details.locator("summary").click()
    checked(page, width, "slate and track record")
    assert chart_label_problems(page) == []

    ticks = page.locator("#slate-table tbody input[type='checkbox']")
    ticks.nth(0).check()
    ticks.nth(1).check()
    page.click("#compare")
    page.wait_for_selector("#compare-section:not([hidden])")
    checked(page, width, "compare")

    page.locator("#slate-table button.record").nth(3).click()
    page.fill("#revenue", "lots")
    page.click("#actual-save")
    page.wait_for_selector("#revenue-error:not(:empty)")
    checked(page, width, "actual result refused")
    page.fill("#revenue", "95")
    page.fill("#known_on", "2018-01-31")
    page.fill("#source", "studio")
    page.click("#actual-save")
    page.wait_for_selector("#revenue-confirm:not([hidden])")
    checked(page, width, "an implausible amount asked about")
    page.click("#revenue-as-typed")
    page.wait_for_selector("#slate-news li")
    checked(page, width, "recorded with the API's warnings")
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"ledger-{width}px.png"), full_page=True)
    watched.check_clean(expected="the server responded with a status of")


def tab_to(page: Page, selector: str, presses: int = 80) -> None:
    """Press Tab until the focused element matches ``selector`` (as a keyboard user gets there)."""
    for _ in range(presses):
        if page.evaluate("s => document.activeElement?.matches(s)", selector):
            return
        page.keyboard.press("Tab")
    raise AssertionError(f"Tab never reached {selector}")


def test_the_ledger_is_usable_by_keyboard_alone(
    ledger_watched: Callable[..., Watched], ledger_service: LedgerService
) -> None:
    slate = "By keyboard"
    saved = [ledger_service.save(slate, name) for name in ("First", "Second")]
    watched = ledger_watched(PHONE)
    page = watched.open("/ledger")
    page.keyboard.type(ledger_service.token)  # the token field has the focus
    page.keyboard.press("Enter")
    page.wait_for_selector("#slates-section:not([hidden])")
    tab_to(page, f"#slates button[data-slate='{slate}']")
    page.keyboard.press("Enter")
    page.wait_for_selector("#slate-section:not([hidden])")
    settled(page)
    assert page.evaluate("document.activeElement.id") == "slate-title"
    for name in ("First", "Second"):
        tab_to(page, f"input[aria-label='Compare {name}']")
        page.keyboard.press("Space")
    tab_to(page, "#compare")
    page.keyboard.press("Enter")
    page.wait_for_selector("#compare-section:not([hidden])")
    assert page.evaluate("document.activeElement.id") == "compare-title"

    page.keyboard.press("Shift+Tab")
    tab_to(page, "button[aria-label='Record the actual result of Second']")
    page.keyboard.press("Enter")
    assert page.evaluate("document.activeElement.id") == "actual-title"
    tab_to(page, "#revenue")
    page.keyboard.type("200M")
    tab_to(page, "#known_on")
    page.keyboard.type("01312018")  # a date field takes its parts typed in order (en-US: month, day, year)
    tab_to(page, "#source")
    page.keyboard.type("studio")
    page.keyboard.press("Enter")
    page.wait_for_selector("#actual-section[hidden]", state="attached")
    settled(page)
    assert page.evaluate("document.activeElement.getAttribute('aria-label')") == "Change the actual result of Second"
    actual = ledger_service.page(slate)["forecasts"][1]["actual"]
    assert actual == {**actual, "revenue": 200e6, "known_on": "2018-01-31", "source": "studio"}
    assert saved[1]["id"] == ledger_service.page(slate)["forecasts"][1]["id"]
    watched.check_clean()
