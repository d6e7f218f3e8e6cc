"""The forecast page holds up: on a phone and a desktop, for a screen reader (axe-core), on paper.

axe-core is vendored from the npm registry (tests/serving/vendor/axe-core: its exact version in
package.json, its licences beside it) and used by these tests only; the page never loads it.
Screenshots at both widths go to ``test-artifacts/``.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from tests.serving.page_driver import ARTIFACTS, Watched, axe_violations, chart_label_problems, forecast_example

pytestmark = pytest.mark.browser
PHONE, DESKTOP = 390, 1280
TAGS_OVER_LINES = """chart => {
  const meets = (a, b) => a.left < b.right && b.left < a.right && a.top < b.bottom && b.top < a.bottom;
  const drawn = [...chart.querySelectorAll("line.mark, path.cdf, circle.cdf-point, circle.median-point")];
  return [...chart.querySelectorAll("text.mark-tag")]
    .filter((tag) => !tag.classList.contains("halo") || drawn.some((other) =>
      (tag.compareDocumentPosition(other) & Node.DOCUMENT_POSITION_FOLLOWING)
      && meets(tag.getBoundingClientRect(), other.getBoundingClientRect())))
    .map((tag) => tag.textContent);
}"""
EXPLANATION_LABELS_OVER_AXIS = """chart => {
  const axis = chart.querySelector("line.axis");
  const at = axis.getBoundingClientRect().left;
  return [...chart.querySelectorAll("text.label")]
    .filter((text) => { const box = text.getBoundingClientRect(); return box.left < at && box.right > at; })
    .map((text) => {
      const style = getComputedStyle(text);
      return {
        text: text.textContent,
        after_axis: Boolean(axis.compareDocumentPosition(text) & Node.DOCUMENT_POSITION_FOLLOWING),
        halo: style.stroke === "rgb(255, 255, 255)" && style.paintOrder.startsWith("stroke"),
      };
    });
}"""


@pytest.mark.parametrize("width", [PHONE, DESKTOP])
def test_the_answer_fits_the_screen_and_every_chart_label_is_readable(
    watched_at: Callable[[int], Watched], width: int
) -> None:
    watched = watched_at(width)
    page = watched.open()
    assert page.evaluate("document.scrollingElement.scrollWidth") <= width
    forecast_example(page)
    assert page.evaluate("document.scrollingElement.scrollWidth") <= width
    assert chart_label_problems(page) == []
    # a long label of the explanation crosses its axis at 390 px: it is painted over the axis, on a white halo
    crossing = page.locator("#explanation-chart").evaluate(EXPLANATION_LABELS_OVER_AXIS)
    assert all(label["after_axis"] and label["halo"] for label in crossing), crossing
    assert width == DESKTOP or crossing  # the example's companies' label crosses it on a phone
    # the revenue chart's tags (budget, hit line, profit) sit among its lines and curve: all drawn after them
    assert page.locator("#cdf-chart text.mark-tag").all_text_contents() == ["budget", "hit line", "profit"]
    assert page.locator("#cdf-chart").evaluate(TAGS_OVER_LINES) == []
    # the comps table scrolls in its own box, not the page
    table, box = page.locator("#comps-table").bounding_box(), page.locator("#comps-table").locator("..").bounding_box()
    assert table and box and box["width"] <= width and (width == DESKTOP or table["width"] > box["width"])
    # a user missed the columns off a phone's edge: the page says the table scrolls, where it does
    assert page.locator("#comps-scroll-note").is_visible() == (table["width"] > box["width"])
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"forecast-{width}px.png"), full_page=True)
    watched.check_clean()


def test_the_charts_are_drawn_again_at_a_new_width(watched_at: Callable[[int], Watched]) -> None:
    watched = watched_at(DESKTOP)
    page = watched.open()
    forecast_example(page)
    wide = page.locator("#cdf-chart").bounding_box()
    page.set_viewport_size({"width": PHONE, "height": 844})
    for _ in range(50):
        narrow = page.locator("#cdf-chart").bounding_box()
        if narrow and wide and narrow["width"] < wide["width"] / 2:
            break
        page.wait_for_timeout(50)
    assert narrow and narrow["width"] <= PHONE
    assert page.evaluate("document.scrollingElement.scrollWidth") <= PHONE
    assert chart_label_problems(page) == []
    watched.check_clean()


def relative_luminance(rgb: str) -> float:
    """WCAG 2's relative luminance of a CSS 'rgb(r, g, b)' colour."""
    channels = [int(part) / 255 for part in rgb.removeprefix("rgb(").removesuffix(")").split(",")[:3]]
    linear = [c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]


def contrast(a: str, b: str) -> float:
    high, low = sorted((relative_luminance(a), relative_luminance(b)), reverse=True)
    return (high + 0.05) / (low + 0.05)


def test_inputs_stand_out_from_the_page(watched: Watched) -> None:
    """WCAG 1.4.11: a field's border at least 3:1 against what surrounds it (axe checks text, not borders)."""
    page = watched.open()
    for selector in ("#budget", "#runtime", "#directors-input", "#genres"):
        border, background = page.eval_on_selector(
            selector, "n => [getComputedStyle(n).borderTopColor, getComputedStyle(document.body).backgroundColor]"
        )
        assert contrast(border, background) >= 3, (selector, border)
    watched.check_clean()


def test_axe_finds_no_violation_blank_answered_or_refused(watched_at: Callable[[int], Watched]) -> None:
    for width in (PHONE, DESKTOP):
        watched = watched_at(width)
        page = watched.open()
        assert axe_violations(page) == [], f"blank at {width} px"
        forecast_example(page)
        for details in page.locator("details.numbers").all():
            details.locator("summary").click()
        assert axe_violations(page) == [], f"answered at {width} px"
        # every chart's numbers fit the screen: no column off a phone's edge (a trial missed P(profit) and factors)
        wider = page.locator("details.numbers .scroll").evaluate_all(
            "boxes => boxes.filter(box => box.scrollWidth > box.clientWidth).map(box => box.id)"
        )
        assert wider == [], f"{wider} scroll sideways at {width} px"
        page.fill("#budget", "lots")
        page.fill("#runtime", "-3")
        page.click("#submit")
        page.wait_for_selector("[data-error-for='budget']:not(:empty)")
        assert axe_violations(page) == [], f"refused at {width} px"
        page.fill("#budget", "90")
        page.fill("#runtime", "148")
        page.click("#submit")
        page.wait_for_selector("#budget-confirm:not([hidden])")
        assert axe_violations(page) == [], f"asking about the budget at {width} px"
        watched.check_clean()


def test_on_paper_the_answer_is_printed_without_the_form(watched: Watched) -> None:
    page = watched.open()
    forecast_example(page)
    page.emulate_media(media="print")
    assert page.locator("#film-form").is_hidden() and page.locator("#export-csv").is_hidden()
    assert page.locator("#results").is_visible() and page.locator("#film-summary").is_visible()
    page.emulate_media(media="screen")
    assert page.locator("#film-form").is_visible()
    watched.check_clean()


@pytest.mark.parametrize(("field", "name"), [("cast", "Actor 333"), ("keywords", "sequels")])
def test_a_names_reading_arriving_as_forecast_is_tapped_does_not_move_the_button(
    watched_at: Callable[[int], Watched], field: str, name: str
) -> None:
    """On a phone, a name added with Enter is read by the API while the person goes on to Forecast: when the
    reading arrives just before the tap, its chip grows, and the button must not move from under the finger
    (it did: the first tap landed beside it and sent nothing, a second one worked)."""
    watched = watched_at(PHONE)
    page = watched.open()
    held: list[Any] = []
    page.route("**/names?*", lambda route: held.append(route))  # the reading arrives when the test lets it
    for selector, value in (("#budget", "40M"), ("#runtime", "120"), ("#release_date", "2012-06-01")):
        page.fill(selector, value)
    page.fill(f"#{field}-input", name)
    page.press(f"#{field}-input", "Enter")
    page.locator("#submit").evaluate("button => button.scrollIntoView({block: 'end'})")
    aimed = page.locator("#submit").bounding_box()  # where the person sees the button, and taps
    assert aimed and held and page.locator(f"#{field}-chips li").count() == 1
    chips_top = page.locator(f"#{field}-chips").bounding_box()
    assert chips_top and 0 <= chips_top["y"] < 844  # the list is on the screen with the button
    while held:
        held.pop().continue_()
    page.locator(f"#{field}-chips .chip-reading").wait_for()
    assert page.locator(f"#{field}-chips .chip-reading").inner_text()  # the reading is shown, and grew the chip
    x, y = aimed["x"] + aimed["width"] / 2, aimed["y"] + aimed["height"] / 2
    assert page.evaluate("([x, y]) => document.elementFromPoint(x, y).id", [x, y]) == "submit"
    page.mouse.click(x, y)
    # the forecast, or first the question about an unknown name with look-alikes ("Actor 333")
    page.wait_for_selector(f"body[data-drawn='true'], #{field}-confirm:not([hidden])", timeout=15_000)
    assert [path for path, _ in watched.bodies if path.startswith("/predict/pre_release?")]
    watched.check_clean()
