"""Names as people type them: read exactly, as a known spelling, as unknown (with suggestions), or not read."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from boxoffice.features import names
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
    ("production_companies", "Warner Brothers", "Warner Bros."),
    ("production_companies", "Warner Brothers Pictures Inc.", "Warner Bros."),
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
    assert warning.message == (
        f"\u2018{typed}\u2019 (company): read as {typed} ({NAMESAKES[typed]} films); "
        f"did you mean {larger} ({NAMESAKES[larger]} films)?"
    )


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
    read = reader.read(columns)
    replaced, readings = read.columns, read.readings
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
    assert read.as_json == [[r.as_json() for r in film] for film in readings]  # the answer's "names"
    assert [[r.asked for r in film] for film in read.doubtful] == [[], ["Nobody Known"]]  # what its warnings say


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
    readings = reader.read(test[["directors", "cast", "production_companies"]].to_dict("series")).readings
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
    readings = reader.read(test[["directors", "cast", "production_companies"]].to_dict("series")).readings
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


# Companies of the real data (films each) behind the trial's "20th Century Fox" and "Fox".
FOXES = {
    "Twentieth Century Fox Film Corporation": 201,
    "Fox Searchlight Pictures": 47,
    "Fox 2000 Pictures": 43,
    "Twentieth Century Fox Animation": 11,
    "Fox Films Ltd.": 1,
    "20th Century Fox Home Entertainment": 1,
    "20th Century Fox Russia": 1,
    "Cent Productions Inc.": 1,
    "Film4": 23,
    "Channel Four Films": 7,
    "Section Eight": 7,
}


@pytest.mark.parametrize(
    ("typed", "intended"),
    [
        ("20th Century Fox", "Twentieth Century Fox Film Corporation"),
        ("20th Century-Fox Film Corp.", "Twentieth Century Fox Film Corporation"),
        ("twentieth century fox", "Twentieth Century Fox Film Corporation"),
        ("Twentieth Century Fox Home Entertainment", "20th Century Fox Home Entertainment"),
        ("Film Four", "Film4"),
        ("Channel 4 Films", "Channel Four Films"),
        ("Section 8", "Section Eight"),
    ],
)
def test_number_words_and_numerals_in_a_company_name_fold_alike(typed: str, intended: str) -> None:
    reading = NameBook("production_companies", FOXES, corporate=True).read(typed)
    assert (reading.match, reading.read_as, reading.alternatives) == ("known_spelling", intended, ())


def test_number_words_fold_to_digits_ordinals_keeping_their_suffix() -> None:
    assert fold("Twenty-First Century Film", corporate=True) == fold("21st Century", corporate=True) == "21stcentury"
    assert fold("Forty Second Street Productions", corporate=True) == "42ndstreet"
    assert fold("Twentieth Century Fox") == "twentiethcenturyfox"  # people's names keep their words
    # The exact names keep their own reading: the fold never makes an exact name anything else.
    book = NameBook("production_companies", FOXES, corporate=True)
    for name in FOXES:
        assert (book.read(name).match, book.read(name).read_as) == ("exact", name)


def test_a_name_read_as_a_small_company_offers_the_much_larger_ones_carrying_its_words() -> None:
    book = NameBook("production_companies", FOXES, corporate=True)
    fox = book.read("Fox")
    assert (fox.match, fox.read_as, fox.alternatives) == ("known_spelling", "Fox Films Ltd.", ())
    assert fox.suggestions == (
        "Twentieth Century Fox Film Corporation",
        "Fox Searchlight Pictures",
        "Fox 2000 Pictures",
    )
    warning = name_warning(fox, lambda field, name: book.films[name])
    assert warning.code == "larger_namesake"
    assert warning.message.startswith("\u2018Fox\u2019 (company): read as Fox Films Ltd. (1 film); did you mean ")
    assert "Twentieth Century Fox Film Corporation (201 films)" in warning.message
    # A bare exact name gets the same offer; a name typed in full, a large one, or people's names never do.
    small = NameBook("production_companies", {**FOXES, "Fox": 2}, corporate=True).read("Fox")
    assert (small.match, small.suggestions[:1]) == ("exact", ("Twentieth Century Fox Film Corporation",))
    assert book.read("Fox Films Ltd.").suggestions == ()
    assert book.read("Fox 2000 Pictures").suggestions == ()
    assert (
        NameBook("production_companies", {"Films": 1, "Fox Films": 40}, corporate=True).read("Films").suggestions == ()
    )
    people = NameBook("cast", {"Fox": 1, "Michael J. Fox": 20, "Megan Fox": 12})
    assert people.read("Fox").suggestions == ()


def test_an_unknown_name_gets_no_suggestion_that_only_shares_a_few_letters() -> None:
    book = NameBook("cast", {"RZA": 5, "Tim Roth": 30, "T.I.": 3, "Florence Foresti": 2, "Jeanne Moreau": 4})
    for typed in ("Zazie Beetz", "Timothee Chalamet", "Florence Pugh", "Jenna Ortega"):
        assert book.read(typed).suggestions == (), typed
    warning = name_warning(book.read("Zazie Beetz"), lambda field, name: book.films[name], "2016")
    said = "not in our data (which ends in 2016), so the models count no earlier film, as for a first-time "
    said += "cast member"
    assert warning.message == f"\u2018Zazie Beetz\u2019 (cast member): {said}"


def test_every_real_test_film_is_read_exactly_and_the_trials_names_are_read_as_meant(pipeline: Path) -> None:
    """On the real data: a new user's trial. Names the data lacks get no suggestion (better none than a silly
    one), misspellings get the right name first, and "Fox" says the larger Fox was likely meant."""
    params = load_params(path=pipeline / "params.yaml")["featurize"]
    history = read_csv(pipeline / "models" / "track_record.csv")
    reader = NameReader.of(history, params["cast_top"], params["keywords"], params["genres"], TrackRecord.ROLES)
    for field, typed in [
        ("cast", "Zazie Beetz"),
        ("cast", "Timothee Chalamet"),
        ("cast", "Florence Pugh"),
        ("cast", "Jenna Ortega"),
        ("cast", "Paul Mescal"),
        ("directors", "Jordan Peele"),
        ("directors", "Greta Gerwig"),
        ("directors", "Chloe Zhao"),
        ("production_companies", "Apple Original Films"),
        ("production_companies", "Neon"),  # not "Eon Productions"
    ]:
        reading = reader.read_one(field, typed)
        assert (reading.match, reading.suggestions) == ("unknown", ()), typed
    for field, typed, meant in [
        ("directors", "Cristopher Nolan", "Christopher Nolan"),
        ("directors", "Steven Spielburg", "Steven Spielberg"),
        ("directors", "Kathryn Bigalow", "Kathryn Bigelow"),
        ("cast", "Scarlet Johansson", "Scarlett Johansson"),
        ("cast", "Tom Hanx", "Tom Hanks"),
        ("production_companies", "Warner", "Warner Bros."),
    ]:
        reading = reader.read_one(field, typed)
        assert (reading.match, reading.suggestions[:1]) == ("unknown", (meant,)), typed
    brothers = reader.read_one("production_companies", "Warner Brothers")
    assert (brothers.match, brothers.read_as) == ("known_spelling", "Warner Bros.")
    fox = reader.read_one("production_companies", "20th Century Fox")
    assert (fox.match, fox.read_as) == ("known_spelling", "Twentieth Century Fox Film Corporation")
    plain = reader.read_one("production_companies", "Fox")
    assert plain.suggestions[:1] == ("Twentieth Century Fox Film Corporation",)
    assert reader.read_one("production_companies", "Disney Pictures").suggestions == ("Walt Disney Pictures",)
    for small in ("Film Väst", "FilmWorks", "Global Medien KG", "icon"):  # no namesake a person would mean
        assert reader.read_one("production_companies", small).suggestions == (), small


def test_a_typo_in_a_companys_suffix_still_finds_it() -> None:
    """The suffix is set aside only when spelt right: "Picturs" stays, so the name is also compared whole."""
    book = NameBook("production_companies", {"Warner Bros.": 280, "Warner Bros. Pictures": 7, "Roth Films": 9}, True)
    reading = book.read("Warner Bros. Picturs")
    assert (reading.match, reading.suggestions[:1]) == ("unknown", ("Warner Bros. Pictures",))


# The real data's companies (films each) with "Brothers" or "Bros." in their names, and a "Brother".
BROTHERS = {
    "Warner Bros.": 280,
    "Warner Bros. Pictures": 7,
    "Warner Bros. Animation": 5,
    "Warner Brothers/Seven Arts": 1,
    "Wayans Bros. Entertainment": 4,
    "Huayi Brothers Media": 4,
    "Huayi Brothers": 1,
    "Huayi Brothers Pictures": 1,
    "Twin Bros. Productions": 1,
    "Two Brothers Productions": 1,
    "Shaw Brothers": 1,
    "Little Brother Inc.": 1,
}


@pytest.mark.parametrize(
    ("typed", "intended"),
    [
        ("Warner Brothers", "Warner Bros."),
        ("warner brothers pictures", "Warner Bros."),
        ("Wayans Brothers", "Wayans Bros. Entertainment"),
        ("Huayi Bros.", "Huayi Brothers"),
        ("Shaw Bros", "Shaw Brothers"),
    ],
)
def test_brothers_and_bros_in_a_company_name_fold_alike(typed: str, intended: str) -> None:
    reading = NameBook("production_companies", BROTHERS, corporate=True).read(typed)
    assert (reading.match, reading.read_as) == ("known_spelling", intended)


def look_alike_groups(names: Sequence[str]) -> set[frozenset[str]]:
    """The known names that fold alike as companies, as groups of two or more."""
    groups: dict[str, set[str]] = {}
    for name in names:
        groups.setdefault(fold(name, corporate=True), set()).add(name)
    return {frozenset(group) for group in groups.values() if len(group) > 1}


def test_the_brothers_fold_joins_no_two_of_the_datas_company_names(monkeypatch: pytest.MonkeyPatch) -> None:
    """Folding "Brothers" to "Bros" makes no two known names look alike that did not already ("Little Brother"
    stays apart: the singular is not folded), and every exact name is still read as itself."""
    with_fold = look_alike_groups(list(BROTHERS))
    book = NameBook("production_companies", BROTHERS, corporate=True)
    for name in BROTHERS:
        assert (book.read(name).match, book.read(name).read_as) == ("exact", name)
    monkeypatch.setattr(names, "WORD_SPELLINGS", {})
    assert fold("Warner Brothers", corporate=True) == "warnerbrothers"  # the fold is what joined it
    assert with_fold == look_alike_groups(list(BROTHERS))


def test_the_brothers_fold_joins_no_two_of_the_real_datas_company_names(
    pipeline: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    history = read_csv(pipeline / "models" / "track_record.csv")
    companies = sorted(set(history.loc[history["role"] == "company", "name"]))
    with_fold = look_alike_groups(companies)
    monkeypatch.setattr(names, "WORD_SPELLINGS", {})
    assert with_fold == look_alike_groups(companies)


def test_a_genres_common_spellings_are_read_as_it_and_other_words_are_unread_with_suggestions() -> None:
    reader = NameReader.of(
        pd.DataFrame(columns=["role", "name", "release_date"]),
        3,
        ["sequel"],
        ["Science Fiction", "History", "Thriller", "Horror"],
        TrackRecord.ROLES,
    )
    for typed, genre in [
        ("Sci-Fi", "Science Fiction"),
        ("sci fi", "Science Fiction"),
        ("SciFi", "Science Fiction"),
        ("Sci-Fi movie", "Science Fiction"),
        ("Historical", "History"),
        ("Thrillers", "Thriller"),
        ("horror film", "Horror"),
    ]:
        reading = reader.read_one("genres", typed)
        assert (reading.match, reading.read_as) == ("known_spelling", genre), typed
    for typed, offered in [("Sci-Fy", ("Science Fiction",)), ("Thrilers", ("Thriller",)), ("Suspense", ())]:
        reading = reader.read_one("genres", typed)
        assert (reading.match, reading.suggestions) == ("not_read", offered), typed
        warning = name_warning(reading, reader.films)
        assert (warning.code, warning.field) == ("not_read_name", "genres")
        assert warning.message.startswith(f"\u2018{typed}\u2019 (genre): not one of the genres the models read")
    # Spellings are a genre's only: a keyword or a company is not read by them.
    assert reader.read_one("keywords", "Sci-Fi").match == "not_read"


# The real data's exact companies (films each) the word rule offered larger ones to, with those.
SHORTENED = {
    "DreamWorks": 6,
    "DreamWorks SKG": 67,
    "DreamWorks Animation": 31,
    "Disney": 1,
    "Walt Disney Pictures": 96,
    "Walt Disney Feature Animation": 9,
    "Film Council": 1,
    "UK Film Council": 24,
    "Mosaic": 1,
    "Mosaic Media Group": 11,
    "FilmWorks": 2,
    "40 Acres & A Mule Filmworks": 12,
    "Film Väst": 1,
    "Film i Väst": 6,
    "icon": 1,
    "Icon Entertainment International": 8,
    "Scott Pictures": 1,
    "Scott Free Productions": 20,
}


@pytest.mark.parametrize(
    ("typed", "offered"),
    [
        ("DreamWorks", ("DreamWorks SKG", "DreamWorks Animation")),
        ("Disney", ("Walt Disney Pictures",)),  # not the 9-film Walt Disney Feature Animation
        ("Disney Pictures", ("Walt Disney Pictures",)),  # read as "Disney", shortened all the same
        ("Film Council", ("UK Film Council",)),
        ("Mosaic", ("Mosaic Media Group",)),
        ("FilmWorks", ()),  # a kind of company, not 40 Acres & A Mule's
        ("Film Väst", ()),  # a 6-film namesake has no track record to speak of either
        ("icon", ()),
        ("Scott Pictures", ()),  # typed in full: that company
        ("scott pictures", ()),
    ],
)
def test_a_shortened_company_is_offered_only_larger_companies_a_person_would_mean(
    typed: str, offered: tuple[str, ...]
) -> None:
    assert NameBook("production_companies", SHORTENED, corporate=True).read(typed).suggestions == offered


def test_a_name_of_four_letters_gets_no_suggestion_a_letter_away_but_longer_typos_do() -> None:
    book = NameBook("production_companies", {"Eon Productions": 25, "Neo Art & Logic": 3, "Lionsgate": 49}, True)
    assert book.read("Neon").suggestions == ()
    assert book.read("Eon").read_as == "Eon Productions"  # a short name typed right is read as usual
    assert book.read("Lionsgte").suggestions == ("Lionsgate",)
    people = NameBook("cast", {"RZA": 5, "Tom Hanks": 40})
    assert people.read("GZA").suggestions == () and people.read("Tom Hanx").suggestions == ("Tom Hanks",)
