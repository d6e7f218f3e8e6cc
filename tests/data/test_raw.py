"""Reading and cleaning the raw file: the quirks of the real data and broken inputs."""

from __future__ import annotations

import pytest

from boxoffice.data.raw import DataError, clean, parse_list, parse_names, read_credits, read_raw
from tests.conftest import HEADER, raw_row


def test_reads_a_well_formed_file(write_raw) -> None:
    frame = read_raw(write_raw([{"id": 1}, {"id": 2, "budget": 0}]))
    assert list(frame["id"]) == [1, 2]
    assert frame["budget"].tolist() == [1_000_000.0, 0.0]


@pytest.mark.parametrize(
    ("rows", "rule"),
    [
        ([{"budget": 0}], "unknown_budget"),  # 0 means unknown in TMDB
        ([{"revenue": 0}], "unknown_revenue"),
        ([{"genres": "[]"}], "missing_genres"),  # 28 real films have an empty genre list
        ([{"release_date": ""}], "missing_release_date"),
        ([{"release_date": "2001-13-45"}], "invalid_release_date"),
        ([{"title": ""}], "missing_title"),
        ([{"original_language": ""}], "missing_language"),
        ([{"runtime": 0}], "unknown_runtime"),  # 35 real runtimes are 0
        ([{"runtime": ""}], "unknown_runtime"),  # and 2 are missing
        ([{"genres": '"[{oops, not json"'}], "invalid_genres"),
        ([{"production_companies": '"[""Open"", unclosed"'}], "invalid_production_companies"),  # never blanked
        ([{"keywords": "[42]"}], "invalid_keywords"),
        ([{"budget": -5}], "invalid_amount"),
        ([{"revenue": -1}], "invalid_amount"),
        ([{"vote_average": 11}], "invalid_amount"),
    ],
)
def test_each_rule_drops_and_counts_its_rows(write_raw, rows, rule) -> None:
    table, report = clean(read_raw(write_raw([{"id": 100}, *[{"id": i, **row} for i, row in enumerate(rows)]])))
    assert table["id"].tolist() == [100]
    assert report["dropped"][rule] == len(rows)
    assert report["rows_in"] - sum(report["dropped"].values()) == report["rows_out"] == 1


def test_duplicate_ids_keep_the_first(write_raw) -> None:
    table, report = clean(read_raw(write_raw([{"id": 7, "title": "First"}, {"id": 7, "title": "Second"}])))
    assert table["title"].tolist() == ["First"]
    assert report["dropped"]["duplicate_id"] == 1


def test_placeholder_amounts_are_kept_by_default_and_dropped_on_request(write_raw) -> None:
    path = write_raw([{"id": 1, "budget": 1}, {"id": 2, "revenue": 12}, {"id": 3}])
    kept, _ = clean(read_raw(path))
    assert len(kept) == 3
    strict, report = clean(read_raw(path), min_budget=10_000, min_revenue=10_000)
    assert strict["id"].tolist() == [3]
    assert report["dropped"]["below_min_budget"] == 1
    assert report["dropped"]["below_min_revenue"] == 1


def test_cleaned_table_has_model_columns(write_raw) -> None:
    genres = '"[{""id"": 28, ""name"": ""Action""}, {""id"": 12, ""name"": ""Adventure""}]"'
    table, _ = clean(read_raw(write_raw([{"genres": genres, "vote_average": 7.5}])))
    row = table.iloc[0]
    assert row["genres"] == "Action|Adventure"
    assert row["vote_avg"] == 7.5
    assert row["release_date"] == "2001-05-04"


def test_lists_joined_by_a_bar_are_read_as_the_file_scorer_reads_them(write_raw) -> None:
    """A studio's table writes 'Action|Drama': each list is kept, none dropped as invalid or blanked."""
    row = {"genres": "Action|Science Fiction", "production_companies": "Harbour Light|Universal Pictures"}
    table, report = clean(read_raw(write_raw([{**row, "keywords": '"[""heist"", ""sequel""]"'}])))
    assert table[["genres", "production_companies", "keywords"]].iloc[0].tolist() == [
        "Action|Science Fiction",
        "Harbour Light|Universal Pictures",
        "heist|sequel",
    ]
    assert report["rows_out"] == 1 and not any(report["dropped"].values())


@pytest.mark.parametrize(
    ("cell", "names"),
    [
        ('[{"id": 1, "name": "Drama"}]', ["Drama"]),
        ('["Drama", " War "]', ["Drama", "War"]),
        ("Drama| War |", ["Drama", "War"]),
        ("Drama", ["Drama"]),
        ("", []),
        ("[]", []),
        ("[{oops", None),
        ('{"name": "Drama"}', ['{"name": "Drama"}']),  # not a list opening: one name, as the scorer reads it
        ("[1, 2]", None),
    ],
)
def test_parse_list(cell: str, names: list[str] | None) -> None:
    assert parse_list(cell) == names


def test_parse_names() -> None:
    assert parse_names('[{"id": 1, "name": "Drama"}]') == ["Drama"]
    assert parse_names("[]") == []
    assert parse_names("") == []
    assert parse_names("[{oops") is None
    assert parse_names('[{"id": 1}]') is None


# Broken files: each stops with a message that says what and where.


def test_missing_file(tmp_path) -> None:
    with pytest.raises(DataError, match=r"file not found \(run `dvc repro --pull`, or `dvc pull -R data/raw`"):
        read_raw(tmp_path / "nope.csv")


def test_empty_file(tmp_path) -> None:
    path = tmp_path / "empty.csv"
    path.write_text("")
    with pytest.raises(DataError, match="empty"):
        read_raw(path)


def test_header_only(tmp_path) -> None:
    path = tmp_path / "header.csv"
    path.write_text(HEADER + "\n")
    with pytest.raises(DataError, match="no rows"):
        read_raw(path)


def test_missing_required_column(write_raw) -> None:
    header = HEADER.replace("revenue,", "income,")
    with pytest.raises(DataError, match=r"missing required column.*revenue"):
        read_raw(write_raw([{}], header=header))


def test_non_numeric_budget_names_column_and_row(write_raw) -> None:
    with pytest.raises(DataError, match=r"column 'budget', data row 2: 'lots' is not a number"):
        read_raw(write_raw([{"id": 1}, {"id": 2, "budget": "lots"}]))


def test_non_numeric_id(write_raw) -> None:
    with pytest.raises(DataError, match=r"column 'id', data row 1"):
        read_raw(write_raw([{"id": "x1"}]))


def test_malformed_row_with_extra_fields(write_raw, tmp_path) -> None:
    path = write_raw([{"id": 1}])
    path.write_text(path.read_text() + raw_row(id=2) + ",surplus\n")
    with pytest.raises(DataError, match=r"malformed CSV.*line 3"):
        read_raw(path)


def test_byte_order_mark_is_accepted(write_raw) -> None:
    path = write_raw([{"id": 1}])
    path.write_bytes(b"\xef\xbb\xbf" + path.read_bytes())
    assert read_raw(path)["id"].tolist() == [1]


def test_other_encoding_is_refused_with_line(write_raw) -> None:
    path = write_raw([{"id": 1}, {"id": 2, "title": "Amélie"}])
    path.write_bytes(path.read_text(encoding="utf-8").encode("latin-1"))
    with pytest.raises(DataError, match=r"not UTF-8.*line 3"):
        read_raw(path)


def test_credits_directors_and_cast_in_billing_order(tmp_path) -> None:
    path = tmp_path / "credits.csv"
    path.write_text(
        "movie_id,cast,crew\n"
        "1,\"[{'name': 'B', 'order': 1}, {'name': 'A', 'order': 0}]\","
        "\"[{'name': 'D1', 'job': 'Director'}, {'name': 'W', 'job': 'Writer'}]\"\n"
        "2,[],[]\n"
        "3,\"[{'name': oops\",[]\n"
    )
    credits, invalid = read_credits(path)
    assert credits["cast"].tolist() == ["A|B", "", ""]
    assert credits["directors"].tolist() == ["D1", "", ""]
    assert invalid == 1
