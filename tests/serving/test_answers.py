"""Answers a person can act on (issue 30): names read, warnings, the producer's result, effects, comps' reasons.

On the models the stage scripts fitted (tiny project): its films' companies include
"Warner Bros." and "Universal Pictures", its directors are "Director 0".. "Director 39",
its languages "en" and "fr", its dates 1985-2015.
"""

from __future__ import annotations

import math
from pathlib import Path

import numpy as np
import pytest
from fastapi.testclient import TestClient

from boxoffice.data.dollars import to_base_year
from boxoffice.io import read_csv
from boxoffice.modeling.producer import DEFAULT_P_AND_A_MULTIPLE, DEFAULT_SHARE
from boxoffice.prediction.schemas import PRE_RELEASE_EXAMPLE, PreReleasePrediction
from boxoffice.serving.api import create_app
from tests.serving.test_whatif_and_comps import films_of, pre_release_bodies

FILM = {
    **PRE_RELEASE_EXAMPLE,
    "production_companies": ["Warner Bros."],
    "directors": ["Director 3"],
    "cast": ["Actor 1", "Actor 2"],
    "release_date": "2012-06-15",
    "keywords": ["sequel"],  # one the models read (the example's "dream" and "heist" are not: a warning each)
}


@pytest.fixture(scope="module")
def client(project: Path):
    with TestClient(create_app(models_dir=project / "models", lock_path=project / "dvc.lock")) as test_client:
        yield test_client


def ask(client: TestClient, film: dict, query: str = "") -> dict:
    response = client.post(f"/predict/pre_release{query}", json=film)
    assert response.status_code == 200, response.text
    return response.json()


def codes(answer: dict) -> set[str]:
    return {warning["code"] for warning in answer["warnings"]}


def test_every_pre_release_answer_reads_its_names_and_fits_the_schema(client: TestClient) -> None:
    single = ask(client, FILM)
    batch = client.post("/batch_predict/pre_release", json=[FILM, FILM]).json()["predictions"]
    scenarios = client.post("/predict/pre_release/scenarios", json={"film": FILM, "scenarios": [{}]}).json()
    for answer in (single, *batch, *scenarios["scenarios"]):
        PreReleasePrediction.model_validate(answer)
        assert [(name["field"], name["asked"]) for name in answer["names"]] == [
            ("directors", "Director 3"),
            ("cast", "Actor 1"),
            ("cast", "Actor 2"),
            ("production_companies", "Warner Bros."),
            *(("keywords", keyword) for keyword in FILM["keywords"]),
            *(("genres", genre) for genre in FILM["genres"]),
        ]
    assert single == batch[0] == scenarios["scenarios"][0]


def test_a_known_spelling_gets_the_known_names_forecast_and_says_what_it_was_read_as(client: TestClient) -> None:
    exact = ask(client, FILM)
    typed = ask(client, {**FILM, "production_companies": ["warner bros"], "directors": ["DIRECTOR 3"]})
    assert typed["predicted_revenue"] == exact["predicted_revenue"]
    assert typed["revenue_high"] == exact["revenue_high"]
    read = {name["asked"]: (name["match"], name["read_as"]) for name in typed["names"]}
    assert read["warner bros"] == ("known_spelling", "Warner Bros.")
    assert read["DIRECTOR 3"] == ("known_spelling", "Director 3")
    assert codes(exact) == codes(typed) == set()


@pytest.mark.parametrize("typed", ["Sci-Fi", "Sci Fi", "SciFi", "sci-fi", "Sci-Fi film"])
def test_a_genre_typed_as_people_type_it_is_read_as_the_datas_genre_and_says_so(client: TestClient, typed: str) -> None:
    exact = ask(client, FILM)  # the example's genres: Action, Science Fiction, Adventure
    typed_film = {**FILM, "genres": [typed if genre == "Science Fiction" else genre for genre in FILM["genres"]]}
    answer = ask(client, typed_film, "?explain=true")
    genre = next(name for name in answer["names"] if name["field"] == "genres" and name["asked"] == typed)
    assert (genre["match"], genre["read_as"]) == ("known_spelling", "Science Fiction")
    assert answer["predicted_revenue"] == exact["predicted_revenue"] and answer["warnings"] == exact["warnings"]
    said = {effect["label"] for effect in answer["explanation"]["effects"]}
    assert "Not science fiction" not in said  # the models were given the genre, not nothing
    PreReleasePrediction.model_validate(answer)


def test_a_genre_or_keyword_the_models_do_not_read_is_warned_about_with_suggestions(client: TestClient) -> None:
    """Never dropped silently: each unread genre or keyword gets a warning naming it, and the close known ones."""
    answer = ask(client, {**FILM, "genres": ["Sci-Fy", "Western"], "keywords": ["sequels", "time travel"]})
    PreReleasePrediction.model_validate(answer)
    unread = [(w["code"], w["field"], w["message"]) for w in answer["warnings"] if w["code"] == "not_read_name"]
    models_read = "not one of the {}s the models read, so it does not change the forecast"
    assert unread == [
        (
            "not_read_name",
            "keywords",
            f"\u2018sequels\u2019 (keyword): {models_read.format('keyword')}; did you mean sequel?",
        ),
        ("not_read_name", "keywords", f"\u2018time travel\u2019 (keyword): {models_read.format('keyword')}"),
        (
            "not_read_name",
            "genres",
            f"\u2018Sci-Fy\u2019 (genre): {models_read.format('genre')}; did you mean Science Fiction?",
        ),
        ("not_read_name", "genres", f"\u2018Western\u2019 (genre): {models_read.format('genre')}"),
    ]
    read = client.get("/names", params={"field": "genres", "name": "Sci-Fy"}).json()
    assert (read["match"], read["suggestions"]) == ("not_read", ["Science Fiction"])


def test_an_unknown_name_is_flagged_with_suggestions_and_still_answered(client: TestClient) -> None:
    answer = ask(client, {**FILM, "directors": ["Directr 3"], "production_companies": ["Acme Film Trust"]})
    director = next(name for name in answer["names"] if name["field"] == "directors")
    assert director["match"] == "unknown" and director["read_as"] == "Directr 3"
    assert "Director 3" in director["suggestions"] and len(director["suggestions"]) <= 3
    unknown = [w for w in answer["warnings"] if w["code"] == "unknown_name"]
    assert [w["field"] for w in unknown] == ["directors", "production_companies"]
    assert unknown[0]["message"].startswith("\u2018Directr 3\u2019 (director): not in our data")
    assert "did you mean Director 3 (" in unknown[0]["message"]


def test_a_small_company_with_a_much_larger_namesake_is_read_exactly_and_warned_about(
    client: TestClient, project: Path
) -> None:
    """The tiny data's "Universal" (2 films) beside "Universal Pictures", as the real "Paramount" beside its studio."""
    history = read_csv(project / "models" / "track_record.csv")
    films = history[history["role"] == "company"].groupby("name").size()
    answer = ask(client, {**FILM, "production_companies": ["Universal"]})
    company = next(name for name in answer["names"] if name["field"] == "production_companies")
    assert (company["match"], company["read_as"]) == ("exact", "Universal")
    assert company["alternatives"] == company["suggestions"] == ["Universal Pictures"]
    (warning,) = [w for w in answer["warnings"] if w["field"] == "production_companies"]
    assert warning["code"] == "larger_namesake"
    assert warning["message"] == (
        f"\u2018Universal\u2019 (company): read as Universal ({films['Universal']} films); "
        f"did you mean Universal Pictures ({films['Universal Pictures']} films)?"
    )
    # Read exactly: the same forecast as before the rule, not the larger studio's.
    larger = ask(client, {**FILM, "production_companies": ["Universal Pictures"]})
    assert codes(larger) == set()
    typed = ask(client, {**FILM, "production_companies": ["universal"]})  # not exact: the alias rule's reading
    assert next(n for n in typed["names"] if n["field"] == "production_companies")["read_as"] == "Universal Pictures"
    assert typed["predicted_revenue"] == larger["predicted_revenue"]


@pytest.mark.parametrize(
    ("change", "code", "field"),
    [
        ({"release_date": "2099-06-18"}, "date_after_data", "release_date"),
        ({"release_date": "1850-06-18", "budget": 1e5}, "date_before_data", "release_date"),
        ({"budget": 90.0}, "budget_below_data", "budget"),
        ({"budget": 9e9}, "budget_above_data", "budget"),
        ({"runtime": 999.0}, "runtime_outside_data", "runtime"),
        ({"original_language": "xx"}, "language_not_in_data", "original_language"),
    ],
)
def test_leaving_the_data_is_answered_with_a_warning_on_its_field(
    client: TestClient, change: dict, code: str, field: str
) -> None:
    answer = ask(client, {**FILM, **change})  # accepted as before: a warning, never a 422
    assert [(w["code"], w["field"]) for w in answer["warnings"]] == [(code, field)]


def test_after_the_newest_film_the_warning_says_what_the_model_does_with_the_year(client: TestClient) -> None:
    late, later = (
        ask(client, {**FILM, "release_date": "2027-06-18"}),
        ask(client, {**FILM, "release_date": "2099-06-18"}),
    )
    message = late["warnings"][0]["message"]
    limits = client.get("/model").json()["pre_release"]["data_limits"]
    assert limits["release_dates"]["last"] in message
    assert "read a larger year as the largest they learned from" in message  # the tiny models are tree ensembles
    assert late["predicted_revenue"] == later["predicted_revenue"]  # as the warning says
    last_year = int(limits["release_dates"]["last"][:4])
    assert f"{2099 - last_year} years before this one" in later["warnings"][0]["message"]
    assert "is the year right?" in later["warnings"][0]["message"]  # 2099 is asked about; 2027 is not
    assert "is the year right?" not in message


def test_after_the_newest_film_the_explanation_says_the_year_is_read_as_the_datas_last(client: TestClient) -> None:
    """A trial read 'Release year (2027) x1.12' as that year's own effect; 2099 gets the same factor."""
    last = client.get("/model").json()["pre_release"]["data_limits"]["release_dates"]["last"][:4]
    said = {}
    for date in ("2027-06-18", "2099-06-18", f"{last}-01-15"):
        effects = ask(client, {**FILM, "release_date": date}, "?explain=true")["explanation"]["effects"]
        said[date[:4]] = next(e for e in effects if "release_year" in e["features"])
    for year in ("2027", "2099"):
        assert said[year]["label"] == f"Release year ({year}, read as the data's last years)"
    assert said["2027"]["factor"] == said["2099"]["factor"]
    assert said[last]["label"] == f"Release year ({last})"


def test_the_datas_limits_are_in_model_and_the_page_context(client: TestClient, project: Path) -> None:
    films = read_csv(project / "data" / "features" / "all.csv")
    for limits in (
        client.get("/model").json()["pre_release"]["data_limits"],
        client.get("/forecast/context").json()["data_limits"],
    ):
        assert limits["release_dates"] == {"first": films["release_date"].min(), "last": films["release_date"].max()}
        assert limits["original_languages"] == sorted(set(films["original_language"]))
        assert limits["runtime"] == {"shortest": films["runtime"].min(), "longest": films["runtime"].max()}
        assert limits["real_budget"]["smallest"] <= limits["real_budget"]["low"] <= limits["real_budget"]["largest"]


def test_the_producers_result_is_the_revenue_pushed_through_its_formula(client: TestClient) -> None:
    answer = ask(client, FILM, "?quantiles=true")
    budget = FILM["budget"]
    share, p_and_a = DEFAULT_SHARE, DEFAULT_P_AND_A_MULTIPLE * budget
    assert (answer["distributor_share"], answer["p_and_a"]) == (share, p_and_a)
    for level, revenue in (("median", "predicted_revenue"), ("low", "revenue_low"), ("high", "revenue_high")):
        assert answer[f"profit_{level}"] == answer[revenue] * share - budget - p_and_a
    line = answer["producer_break_even_revenue"]
    assert line == (budget + p_and_a) / share
    # P(result > 0) = P(revenue > line): between the distribution's levels either side of the line.
    below = [q["probability"] for q in answer["quantiles"] if q["revenue"] <= line]
    above = [q["probability"] for q in answer["quantiles"] if q["revenue"] > line]
    assert (1 - min(above, default=1.0)) <= answer["profit_probability"] <= 1 - max(below, default=0.0) + 0.05


def test_with_the_whole_gross_and_no_marketing_profit_is_the_budgets_break_even(client: TestClient) -> None:
    plain = ask(client, {**FILM, "distributor_share": 1.0, "p_and_a": 0.0})
    assert plain["profit_probability"] == plain["break_even_probability"]
    assert plain["profit_median"] == plain["predicted_revenue"] - FILM["budget"]
    half = ask(client, {**FILM, "distributor_share": 0.5, "p_and_a_multiple": 0.0})
    assert half["profit_probability"] == half["hit_probability"]  # the line is 2 x budget, the hit line
    both = ask(client, {**FILM, "p_and_a": 1e7, "p_and_a_multiple": 3.0})
    assert both["p_and_a"] == 1e7  # given both, the dollars count


def test_scenarios_take_the_share_and_marketing_too(client: TestClient) -> None:
    film = {**FILM, "p_and_a": 5e7}
    changes = [{}, {"distributor_share": 0.4}, {"p_and_a_multiple": 1.0}, {"p_and_a": 0.0}]
    got = client.post("/predict/pre_release/scenarios", json={"film": film, "scenarios": changes}).json()["scenarios"]
    assert [answer["p_and_a"] for answer in got] == [5e7, 5e7, FILM["budget"], 0.0]  # one form given drops the other
    assert [answer["distributor_share"] for answer in got] == [DEFAULT_SHARE, 0.4, DEFAULT_SHARE, DEFAULT_SHARE]
    assert got[1]["profit_probability"] <= got[0]["profit_probability"]


def test_the_interval_and_the_percentiles_are_one_pair_or_one_step_apart(client: TestClient) -> None:
    answer = ask(client, FILM, "?quantiles=true")
    assert answer["revenue_low"] == answer["revenue_p10"]
    assert answer["revenue_high"] >= answer["revenue_p90"]
    assert answer["revenue_p90"] == next(q["revenue"] for q in answer["quantiles"] if q["probability"] == 0.9)


def test_the_explanation_in_facts_with_factors_keeps_the_raw_contributions(client: TestClient) -> None:
    explanation = ask(client, {**FILM, "genres": ["Action"]}, "?explain=true")["explanation"]
    effects, contributions = explanation["effects"], explanation["contributions"]
    features = [feature for effect in effects for feature in effect["features"]]
    assert sorted(features) == sorted(contributions)  # every feature in exactly one fact
    for effect in effects:
        assert effect["contribution"] == pytest.approx(sum(contributions[f] for f in effect["features"]), abs=1e-12)
        assert effect["factor"] == float(f"{math.exp(effect['contribution']):.4g}")
    labels = {effect["label"]: effect["features"] for effect in effects}
    assert labels["Not a drama"] == ["genre_drama"] and labels["Action"] == ["genre_action"]
    assert labels["Budget, in 2016 dollars"] == ["real_log_budget"]
    director = next(label for label in labels if label.startswith("Director's earlier films"))
    assert labels[director] == ["director_films", "director_log_revenue", "director_log_roi"]
    sizes = [abs(effect["contribution"]) for effect in effects]
    assert sizes == sorted(sizes, reverse=True)


def test_comps_carry_reasons_and_keep_to_the_constraints_asked(client: TestClient) -> None:
    comps = ask(client, FILM, "?comps=20")["comps"]
    assert comps and all({"same_budget_band", "years_apart", "shared_genres"} <= set(c["reasons"]) for c in comps)
    genres = set(FILM["genres"])
    shared = ask(client, FILM, "?comps=20&comps_share_genre=true")["comps"]
    assert shared and all(
        set(c["reasons"]["shared_genres"]) and set(c["reasons"]["shared_genres"]) <= genres for c in shared
    )
    recent = ask(client, FILM, "?comps=20&comps_within_years=3")["comps"]
    assert recent and all(c["reasons"]["years_apart"] <= 3 for c in recent)
    assert min(c["reasons"]["years_apart"] for c in comps) <= 3 < max(c["reasons"]["years_apart"] for c in comps)
    band = ask(client, FILM, "?comps=20&comps_same_budget_band=true")["comps"]
    assert band and all(c["reasons"]["same_budget_band"] for c in band)
    assert client.post("/predict/pre_release?comps=5&comps_within_years=-1", json=FILM).status_code == 422


def test_a_film_is_never_its_own_comp_when_its_title_is_given(client: TestClient, project: Path) -> None:
    """Asked a few days after its own release date, a film is a candidate; its title (any case) leaves it out."""
    films = films_of(project, "test").head(10)
    seen = 0
    for film, body in zip(films.itertuples(), pre_release_bodies(films), strict=True):
        body["release_date"] = str(np.datetime64(film.release_date) + np.timedelta64(3, "D"))
        untitled = [c["id"] for c in ask(client, body, "?comps=20")["comps"]]
        titled = [c["id"] for c in ask(client, {**body, "title": film.title.upper()}, "?comps=20")["comps"]]
        assert film.id not in titled
        if film.id in untitled:
            seen += 1
            assert titled[:19] == [comp for comp in untitled if comp != film.id]
    assert seen  # the rule was put to the test


def test_the_name_endpoint_reads_as_the_answers_do(client: TestClient) -> None:
    read = client.get("/names", params={"field": "production_companies", "name": "warner bros"}).json()
    assert read == next(
        n
        for n in ask(client, {**FILM, "production_companies": ["warner bros"]})["names"]
        if n["field"] == "production_companies"
    )
    assert client.get("/names", params={"field": "title", "name": "x"}).status_code == 422


def test_the_explanation_says_where_its_factors_start_and_what_they_come_to(client: TestClient) -> None:
    """The typical film's forecast times every effect's factor is the model's estimate (log terms: they add up)."""
    explanation = ask(client, FILM, "?explain=true")["explanation"]
    assert explanation["base_revenue"] == pytest.approx(math.expm1(explanation["base_value"]))
    assert explanation["revenue"] == pytest.approx(math.expm1(explanation["log_revenue"]))
    product = math.prod(effect["factor"] for effect in explanation["effects"])
    assert (1 + explanation["base_revenue"]) * product == pytest.approx(1 + explanation["revenue"], rel=5e-3)
    assert explanation["dollars_of"] in (None, *range(1900, 2100))


def test_the_explanations_estimate_is_also_given_in_the_medians_dollars(client: TestClient) -> None:
    """A 2027 film's answer is in the price index's last year's prices; its explanation in constant dollars."""
    answer = ask(client, {**FILM, "release_date": "2027-06-18"}, "?explain=true")
    explanation = answer["explanation"]
    assert explanation["dollars_of"] is not None  # the tiny project's models work in constant dollars too
    factor = to_base_year([2027], explanation["dollars_of"])[0]  # held at the price index's last year
    assert factor < 1 and explanation["revenue_in_answer_dollars"] == pytest.approx(explanation["revenue"] / factor)
    plain = ask(client, {**FILM, "release_date": "2027-06-18"})
    assert answer["predicted_revenue"] == plain["predicted_revenue"]  # the median: the same dollars, unchanged


def test_a_warning_about_a_name_names_it_as_typed_so_a_page_can_put_it_beside_that_name(client: TestClient) -> None:
    answer = ask(client, {**FILM, "release_date": "2099-06-18", "directors": ["Nobody Known"], "keywords": ["heist"]})
    assert {(w["code"], w["name"]) for w in answer["warnings"]} == {
        ("date_after_data", None),
        ("unknown_name", "Nobody Known"),
        ("not_read_name", "heist"),
    }
    PreReleasePrediction.model_validate(answer)
