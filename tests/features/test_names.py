"""Names as people type them: read exactly, as a known spelling, as unknown (with suggestions), or not read."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from boxoffice.features.limits import name_warning
from boxoffice.features.names import FEW_FILMS, MUCH_MORE, NameBook, NameReader, fold
from boxoffice.features.track_record import TrackRecord
from boxoffice.io import read_csv
from boxoffice.params import load_params

COMPANIES = {
    "Warner Bros.": 280,
    "Warner Bros. Animation": 5,
    "Twentieth Century Fox Film Corporation": 201,
    "Columbia Pictures": 167,
    "Columbia Pictures Corporation": 86,
    "Metro-Goldwyn-Mayer (MGM)": 92,
    "Universal Pictures": 273,
    "Lionsgate": 49,
    "Canal+": 48,
}
DIRECTORS = {"Christopher Nolan": 8, "Alejandro González Iñárritu": 5, "J.J. Abrams": 6, "Denis Villeneuve": 3}
# (typed, the name it must be read as): case, punctuation, accents, a leading "The", corporate suffixes.
VARIANTS = [
    ("production_companies", "Warner Bros", "Warner Bros."),
    ("production_companies", "warner bros.", "Warner Bros."),
    ("production_companies", "WARNER BROS", "Warner Bros."),
    ("production_companies", "Warner Bros. Pictures", "Warner Bros."),
    ("production_companies", "Warner Bros. Pictures Inc.", "Warner Bros."),
    ("production_companies", "Twentieth Century Fox", "Twentieth Century Fox Film Corporation"),
    ("production_companies", "Twentieth Century-Fox Film Corporation", "Twentieth Century Fox Film Corporation"),
    ("production_companies", "Universal", "Universal Pictures"),
    ("production_companies", "Universal Studios", "Universal Pictures"),
    ("production_companies", "Metro-Goldwyn-Mayer", "Metro-Goldwyn-Mayer (MGM)"),
    ("production_companies", "MGM", "Metro-Goldwyn-Mayer (MGM)"),
    ("production_companies", "Lions Gate Films", "Lionsgate"),
    ("production_companies", "The Lionsgate Company", "Lionsgate"),
    ("directors", "christopher nolan", "Christopher Nolan"),
    ("directors", "Alejandro Gonzalez Inarritu", "Alejandro González Iñárritu"),
    ("directors", "JJ Abrams", "J.J. Abrams"),
    ("directors", "J. J. Abrams", "J.J. Abrams"),
    ("directors", "  Denis   Villeneuve ", "Denis Villeneuve"),
]


@pytest.fixture(scope="module")
def reader() -> NameReader:
    history = pd.DataFrame(
        [("company", name, "2000-01-01") for name, films in COMPANIES.items() for _ in range(films)]
        + [("director", name, "2000-01-01") for name, films in DIRECTORS.items() for _ in range(films)]
        + [("cast", "Leonardo DiCaprio", "2000-01-01")],
        columns=["role", "name", "release_date"],
    )
    return NameReader.of(history, 3, ["sequel", "based on novel"], ["Action", "Science Fiction"], TrackRecord.ROLES)


@pytest.mark.parametrize(("field", "typed", "intended"), VARIANTS)
def test_a_spelling_variant_is_read_as_the_name_it_means(
    reader: NameReader, field: str, typed: str, intended: str
) -> None:
    reading = reader.read_one(field, typed)
    assert (reading.match, reading.read_as, reading.asked) == ("known_spelling", intended, typed)


def test_an_exact_name_is_read_as_itself_even_when_it_folds_like_another(reader: NameReader) -> None:
    for name in COMPANIES:
        assert reader.read_one("production_companies", name).match == "exact"
    assert reader.read_one("production_companies", "Columbia Pictures Corporation").read_as == (
        "Columbia Pictures Corporation"
    )


def test_an_alias_of_two_names_goes_to_the_one_with_more_films_and_says_so(reader: NameReader) -> None:
    reading = reader.read_one("production_companies", "Columbia")
    assert reading.read_as == "Columbia Pictures"  # 167 films against 86
    assert reading.alternatives == ("Columbia Pictures Corporation",)
    tied = NameBook("directors", {"Bo Li": 2, "Bo-Li": 2})  # same fold, same films: alphabetical
    assert tied.read("bo li").read_as == "Bo Li" and tied.read("BO LI").alternatives == ("Bo-Li",)


# Companies of the real data (films each) whose names fold alike: a few films beside many times more.
NAMESAKES = {
    "Paramount Pictures": 245,
    "Paramount": 2,
    "Universal Pictures": 273,
    "Universal Studios": 5,
    "Universal": 3,
    "Walt Disney Pictures": 96,
    "Walt Disney": 7,
    "Miramax Films": 67,
    "Miramax": 8,
    "Columbia Pictures": 167,
    "Columbia Pictures Corporation": 86,
    "Lionsgate": 49,
    "Lions Gate Films": 25,
}


@pytest.mark.parametrize(
    ("typed", "larger"),
    [
        ("Paramount", "Paramount Pictures"),
        ("Universal", "Universal Pictures"),
        ("Universal Studios", "Universal Pictures"),
        ("Walt Disney", "Walt Disney Pictures"),
        ("Miramax", "Miramax Films"),
    ],
)
def test_an_exact_name_with_few_films_is_read_exactly_and_offers_its_much_larger_namesake(
    typed: str, larger: str
) -> None:
    book = NameBook("production_companies", NAMESAKES, corporate=True)
    reading = book.read(typed)
    assert (reading.match, reading.read_as) == ("exact", typed)  # the answer never changes silently
    assert reading.alternatives == reading.suggestions == (larger,)
    warning = name_warning(reading, lambda field, name: book.films[name])
    assert (warning.code, warning.field) == ("larger_namesake", "production_companies")
    assert f"'{larger}' ({NAMESAKES[larger]} films)" in warning.message
    assert f"'{typed}' is in the data with {NAMESAKES[typed]} films" in warning.message


def test_names_with_many_films_or_a_namesake_of_like_size_have_no_larger_namesake() -> None:
    book = NameBook("production_companies", NAMESAKES, corporate=True)
    for name in ("Paramount Pictures", "Universal Pictures", "Columbia Pictures Corporation", "Lions Gate Films"):
        reading = book.read(name)
        assert (reading.match, reading.alternatives, reading.suggestions) == ("exact", (), ()), name
    # The thresholds' edges: FEW_FILMS films is still few; MUCH_MORE times as many is much more.
    edge = NameBook("production_companies", {"Edge Pictures": MUCH_MORE * FEW_FILMS, "Edge": FEW_FILMS}, True)
    assert edge.read("Edge").suggestions == ("Edge Pictures",)
    below = NameBook("production_companies", {"Edge Pictures": MUCH_MORE * FEW_FILMS - 1, "Edge": FEW_FILMS}, True)
    assert below.read("Edge").suggestions == ()
    above = NameBook("production_companies", {"Edge Pictures": 500, "Edge": FEW_FILMS + 1}, True)
    assert above.read("Edge").suggestions == ()


@pytest.mark.parametrize(
    ("typed", "intended"),
    [
        ("paramount", "Paramount Pictures"),
        ("PARAMOUNT", "Paramount Pictures"),
        ("Paramount Pictures Corp.", "Paramount Pictures"),
        ("paramount pictures", "Paramount Pictures"),
        ("universal", "Universal Pictures"),
        ("Universal Studios Inc.", "Universal Pictures"),
        ("Walt Disney Productions", "Walt Disney Pictures"),
        ("miramax", "Miramax Films"),
    ],
)
def test_a_spelling_variant_of_a_small_namesake_is_read_as_the_larger_name(typed: str, intended: str) -> None:
    reading = NameBook("production_companies", NAMESAKES, corporate=True).read(typed)
    assert (reading.match, reading.read_as) == ("known_spelling", intended)


def test_an_unknown_name_is_kept_with_up_to_three_close_suggestions(reader: NameReader) -> None:
    typo = reader.read_one("directors", "Christoper Nolan")
    assert (typo.match, typo.read_as, typo.suggestions) == ("unknown", "Christoper Nolan", ("Christopher Nolan",))
    invented = reader.read_one("directors", "Zyxw Qvbnm")
    assert (invented.match, invented.suggestions) == ("unknown", ())
    assert len(reader.read_one("production_companies", "Warner").suggestions) <= 3
    assert reader.read_one("production_companies", "Warner").suggestions[0] == "Warner Bros."


def test_names_the_models_do_not_read_are_said_to_be_unread(reader: NameReader) -> None:
    assert reader.read_one("cast", "Leonardo DiCaprio", position=3).match == "not_read"  # after cast_top
    assert reader.read_one("cast", "Leonardo DiCaprio", position=2).match == "exact"
    keyword = reader.read_one("keywords", "sequal")
    assert (keyword.match, keyword.suggestions) == ("not_read", ("sequel",))
    assert reader.read_one("keywords", "Based On Novel").read_as == "based on novel"
    assert reader.read_one("genres", "science-fiction").read_as == "Science Fiction"


def test_the_reader_gives_the_models_the_names_read_and_keeps_every_name(reader: NameReader) -> None:
    columns = {
        "directors": np.array(["christopher nolan", "Nobody Known|J.J. Abrams"], dtype=object),
        "production_companies": np.array(["Warner Bros", ""], dtype=object),
        "budget": np.array([1e6, 2e6]),
    }
    replaced, readings = reader.read(columns)
    assert replaced["directors"].tolist() == ["Christopher Nolan", "Nobody Known|J.J. Abrams"]
    assert replaced["production_companies"].tolist() == ["Warner Bros.", ""]
    assert replaced["budget"] is columns["budget"]
    assert [[(r.field, r.asked, r.match) for r in film] for film in readings] == [
        [
            ("directors", "christopher nolan", "known_spelling"),
            ("production_companies", "Warner Bros", "known_spelling"),
        ],
        [("directors", "Nobody Known", "unknown"), ("directors", "J.J. Abrams", "exact")],
    ]


def test_folding_sets_aside_case_accents_punctuation_the_and_suffixes_only_for_companies() -> None:
    assert fold("The Weinstein Company", corporate=True) == fold("Weinstein") == "weinstein"
    assert fold("Pixar Animation Studios", corporate=True) == "pixaranimation"
    assert fold("Film Corporation", corporate=True) == "film"  # never folded to nothing
    assert fold("Working Title Films") == "workingtitlefilms"  # people and keywords keep every word


def test_every_test_split_films_own_names_are_read_exactly(project: Path) -> None:
    """On the tiny project: each test film's directors, lead cast and companies, as the data spells them."""
    params = load_params(path=project / "params.yaml")["featurize"]
    reader = NameReader.of(
        read_csv(project / "models" / "track_record.csv"),
        params["cast_top"],
        params["keywords"],
        [*params["genres"], *params["more_genres"]],
        TrackRecord.ROLES,
    )
    test = read_csv(project / "data" / "features" / "test.csv")
    _, readings = reader.read(test[["directors", "cast", "production_companies"]].to_dict("series"))
    matches = {reading.match for film in readings for reading in film}
    assert matches <= {"exact", "not_read"} and "exact" in matches
    unread = [r for film in readings for r in film if r.match == "not_read"]
    assert all(r.field == "cast" for r in unread)  # only cast after the first cast_top


def test_every_real_test_film_is_read_exactly_and_the_variants_find_the_datas_names(pipeline: Path) -> None:
    """On the real data: the test split's own names, and people's spellings of the data's studios."""
    params = load_params(path=pipeline / "params.yaml")["featurize"]
    history = read_csv(pipeline / "models" / "track_record.csv")
    reader = NameReader.of(history, params["cast_top"], params["keywords"], params["genres"], TrackRecord.ROLES)
    test = read_csv(pipeline / "data" / "features" / "test.csv")
    _, readings = reader.read(test[["directors", "cast", "production_companies"]].to_dict("series"))
    assert {r.match for film in readings for r in film} == {"exact", "not_read"}
    for typed, intended in [
        ("Warner Bros", "Warner Bros."),
        ("Twentieth Century Fox", "Twentieth Century Fox Film Corporation"),
        ("paramount pictures.", "Paramount Pictures"),  # plain "Paramount" is a company of its own in the data
        ("Metro-Goldwyn-Mayer", "Metro-Goldwyn-Mayer (MGM)"),
        ("New Line", "New Line Cinema"),
    ]:
        assert reader.read_one("production_companies", typed).read_as == intended, typed
    # The data's own small namesakes: read exactly, the larger name offered (the alias rule's exception).
    for typed, larger in [
        ("Paramount", "Paramount Pictures"),
        ("Universal", "Universal Pictures"),
        ("Walt Disney", "Walt Disney Pictures"),
        ("Warner Bros. Pictures", "Warner Bros."),
        ("Miramax", "Miramax Films"),
    ]:
        reading = reader.read_one("production_companies", typed)
        assert (reading.match, reading.suggestions[:1]) == ("exact", (larger,)), typed
