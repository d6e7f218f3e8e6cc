"""The films schema: a studio's own file, read as prepare reads it; every problem names file, row and column."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest

from boxoffice.data.films import FILMS_COLUMNS, PREPARED_COLUMNS, REQUIRED_COLUMNS, read_films
from boxoffice.data.raw import DataError
from tests.conftest import ROOT

GOOD = {
    "title": "Night Freight",
    "release_date": "2019-10-18",
    "budget": "45000000",
    "revenue": "88200000",
    "runtime": "118",
    "original_language": "en",
    "genres": "Action|Thriller",
}


def write(tmp_path: Path, rows: list[dict[str, str]], columns: tuple[str, ...] = REQUIRED_COLUMNS) -> Path:
    path = tmp_path / "films.csv"
    with path.open("w", newline="", encoding="utf-8") as out:
        writer = csv.DictWriter(out, fieldnames=columns, restval="", extrasaction="ignore")
        writer.writeheader()
        writer.writerows(rows)
    return path


def test_the_example_file_reads_both_list_forms_as_the_prepared_table_holds_them() -> None:
    films = read_films(ROOT / "data" / "extra_films" / "studio_example.csv")
    assert list(films.columns) == list(PREPARED_COLUMNS)
    night = films.set_index("title").loc["Night Freight"]
    assert (night["genres"], night["production_companies"]) == (
        "Action|Thriller",
        "Harbour Light Films|Universal Pictures",
    )
    assert night["cast"] == "Cole Mercer|Ana Duarte"  # a JSON list, in billing order
    assert (night["budget"], night["revenue"]) == (45e6, 88.2e6)
    assert films["popularity"].isna().all()  # left empty: unknown, not zero


def test_optional_columns_may_be_missing_and_every_schema_column_is_read(tmp_path: Path) -> None:
    only_required = read_films(write(tmp_path, [GOOD]))
    assert only_required[["directors", "cast", "keywords", "production_companies"]].iloc[0].tolist() == [""] * 4
    full = {**GOOD, "directors": "Dev Anand Rao", "popularity": "12.5", "vote_average": "6.1", "vote_count": "900"}
    row = read_films(write(tmp_path, [full], FILMS_COLUMNS)).iloc[0]
    assert (row["directors"], row["popularity"], row["vote_avg"], row["vote_count"]) == (
        "Dev Anand Rao",
        12.5,
        6.1,
        900,
    )


@pytest.mark.parametrize(
    ("column", "value", "problem"),
    [
        ("budget", "45M", "'45M' is not a number"),
        ("revenue", "", "'' is empty (a number is needed)"),
        ("runtime", "0", "'0' is not above zero"),
        ("release_date", "18/10/2019", "'18/10/2019' is not a date written YYYY-MM-DD"),
        ("release_date", "2019-02-30", "is not a date"),
        ("title", "  ", "'  ' is empty"),
        ("genres", "", "'' names no genre"),
        ("genres", '["Action", ', "is not a list of names"),
        ("cast", "[1, 2]", "'[1, 2]' is not a list of names"),
        ("vote_average", "11", "'11' is not between 0 and 10"),
        ("vote_count", "many", "'many' is not a number"),
    ],
)
def test_a_bad_cell_stops_naming_file_row_and_column(tmp_path: Path, column: str, value: str, problem: str) -> None:
    path = write(tmp_path, [GOOD, GOOD, {**GOOD, column: value}], FILMS_COLUMNS)
    with pytest.raises(DataError) as raised:
        read_films(path)
    assert str(raised.value).startswith(f"{path}: column {column!r}, data row 3: ")
    assert problem in str(raised.value)


def test_a_missing_column_or_an_unreadable_file_stops_naming_the_file(tmp_path: Path) -> None:
    path = write(tmp_path, [GOOD], tuple(c for c in REQUIRED_COLUMNS if c != "runtime"))
    with pytest.raises(DataError, match=r"films\.csv: missing required column\(s\): runtime"):
        read_films(path)
    path.write_bytes(b"title,budget\n\xff\xfe\n")
    with pytest.raises(DataError, match=r"films\.csv: not UTF-8"):
        read_films(path)
    with pytest.raises(DataError, match=r"nope\.csv: file not found"):
        read_films(tmp_path / "nope.csv")
