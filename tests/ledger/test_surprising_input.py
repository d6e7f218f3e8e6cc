"""What a new user typed into the ledger: amounts in the wrong unit, dates in the future or before the release,
names with a stray space, a track record of one film. Valid but surprising is recorded and said; invalid is a 422."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from sqlalchemy import update

from boxoffice.ledger.surprises import FAR_OUTSIDE
from boxoffice.ledger.tables import Forecast, Slate
from boxoffice.serving.routes.ledger import FEW_FILMS
from tests.ledger import test_api
from tests.ledger.test_api import FILM, Ledgered

service, ledgered = test_api.service, test_api.ledgered  # the API tests' service, on SQLite and PostgreSQL


def recorded(ledgered: Ledgered, forecast_id: int, revenue: float, known_on: str = "2017-12-01") -> Any:
    body = {"revenue": revenue, "known_on": known_on, "source": "studio"}
    return ledgered.call("PUT", f"/ledger/forecasts/{forecast_id}/actual", json=body)


def codes(answer: dict[str, Any]) -> list[tuple[str, str]]:
    return [(warning["code"], warning["field"]) for warning in answer["warnings"]]


@pytest.mark.parametrize("typo", [95, 0.5])
def test_an_amount_in_the_wrong_unit_is_recorded_and_flagged(ledgered: Ledgered, typo: float) -> None:
    saved = ledgered.save("Typo")
    response = recorded(ledgered, saved["id"], typo)
    assert response.status_code == 200, response.text
    answer = response.json()
    assert answer["actual"]["revenue"] == typo  # accepted: a valid number, said to be surprising
    assert codes(answer) == [("revenue_far_below_forecast", "revenue"), ("revenue_below_data", "revenue")]
    assert all("millions" in warning["message"] for warning in answer["warnings"])


def test_a_plausible_amount_has_no_warning_and_one_far_above_the_interval_has(ledgered: Ledgered) -> None:
    saved = ledgered.save("Plausible")
    answer = saved["current"]["answer"]
    inside = recorded(ledgered, saved["id"], answer["predicted_revenue"]).json()
    assert inside["warnings"] == []
    just_below = recorded(ledgered, saved["id"], answer["revenue_low"] / 2).json()  # outside, not far outside
    assert just_below["warnings"] == []
    far_above = recorded(ledgered, saved["id"], answer["revenue_high"] * FAR_OUTSIDE * 1.01).json()
    assert codes(far_above) == [("revenue_far_above_forecast", "revenue")]
    assert ledgered.call("GET", f"/ledger/forecasts/{saved['id']}").json()["actual"]["revenue"] == pytest.approx(
        answer["revenue_high"] * FAR_OUTSIDE * 1.01
    )


def test_a_date_after_today_is_a_422_naming_known_on_and_records_nothing(ledgered: Ledgered) -> None:
    saved = ledgered.save("Future")
    tomorrow = (dt.date.today() + dt.timedelta(days=1)).isoformat()
    response = recorded(ledgered, saved["id"], 5e8, known_on=tomorrow)
    assert response.status_code == 422
    [error] = response.json()["detail"]
    assert error["field"] == "known_on" and "after today" in error["message"]
    assert ledgered.rows()["actual_results"] == 0
    today = recorded(ledgered, saved["id"], 5e8, known_on=dt.date.today().isoformat())
    assert today.status_code == 200 and today.json()["warnings"] == []


def test_a_date_before_the_release_is_recorded_with_a_warning(ledgered: Ledgered) -> None:
    saved = ledgered.save("Early")
    assert saved["current"]["film"]["release_date"] == "2017-07-21"
    answer = recorded(ledgered, saved["id"], saved["current"]["answer"]["predicted_revenue"], "2017-07-20").json()
    assert codes(answer) == [("known_before_release", "known_on")]
    assert answer["actual"]["known_on"] == "2017-07-20"
    on_the_day = recorded(ledgered, saved["id"], saved["current"]["answer"]["predicted_revenue"], "2017-07-21")
    assert on_the_day.json()["warnings"] == []


def test_surrounding_whitespace_of_names_is_removed_and_older_names_are_kept(ledgered: Ledgered) -> None:
    saved = ledgered.save(" Inception\t", slate="Slate 2027 ")
    assert (saved["slate"], saved["name"]) == ("Slate 2027", "Inception")
    again = ledgered.call("POST", "/ledger/forecasts", json={"slate": "Slate 2027", "name": "Inception", "film": FILM})
    assert again.status_code == 409  # no look-alike slate, no look-alike film
    assert [slate["name"] for slate in ledgered.call("GET", "/ledger/slates").json()["slates"]] == ["Slate 2027"]
    blank = ledgered.call("POST", "/ledger/forecasts", json={"slate": "  \t ", "name": "X", "film": FILM})
    assert blank.status_code == 422 and blank.json()["detail"][0]["field"] == "slate"
    # names saved with their spaces before the API stripped them are left as they were, and found as typed
    with ledgered.ledger.session.begin() as session:
        session.execute(update(Slate).values(name="Slate 2027 "))
        session.execute(update(Forecast).values(name="Inception "))
    page = ledgered.call("GET", "/ledger/forecasts", params={"slate": "Slate 2027 "}).json()
    assert [forecast["name"] for forecast in page["forecasts"]] == ["Inception "]
    schema = ledgered.client.get("/openapi.json").json()["components"]["schemas"]["SaveRequest"]["properties"]
    assert all("surrounding whitespace is removed" in schema[field]["description"] for field in ("slate", "name"))


def test_a_track_record_of_few_films_says_so(ledgered: Ledgered) -> None:
    assert ledgered.call("GET", "/ledger/track_record").json()["warnings"] == []  # no film: nothing to warn about
    saved = [ledgered.save(f"F{i}") for i in range(FEW_FILMS)]
    recorded(ledgered, saved[0]["id"], saved[0]["current"]["answer"]["predicted_revenue"])
    one = ledgered.call("GET", "/ledger/track_record", params={"slate": "Summer"}, token="read").json()
    assert one["films"] == 1 and codes(one) == [("few_films", "films")]
    assert f"fewer than {FEW_FILMS} films" in one["warnings"][0]["message"]
    for forecast in saved[1:]:
        recorded(ledgered, forecast["id"], forecast["current"]["answer"]["predicted_revenue"])
    enough = ledgered.call("GET", "/ledger/track_record").json()
    assert enough["films"] == FEW_FILMS and enough["warnings"] == []
