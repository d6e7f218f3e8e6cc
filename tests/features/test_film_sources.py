"""Extra films beside TMDB 5000: one film once, negative ids, train only, and only the models they can feed."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd

from boxoffice.data.films import PREPARED_COLUMNS, is_extra
from boxoffice.features.film_sources import SOURCE, merge_extra_films, source_of, with_extra_films
from boxoffice.features.splits import with_features
from boxoffice.io import read_csv, write_csv


def films(*rows: tuple[str, str], **columns: object) -> pd.DataFrame:
    """Films-schema tables as read_films gives them: (title, release_date) rows, other columns constant."""
    frame = pd.DataFrame({name: [""] * len(rows) for name in PREPARED_COLUMNS})
    frame["title"], frame["release_date"] = [title for title, _ in rows], [date for _, date in rows]
    for name in ("budget", "revenue", "runtime"):
        frame[name] = 1e7
    for name in ("popularity", "vote_avg", "vote_count"):
        frame[name] = np.nan
    return frame.assign(**columns)


def tmdb(*rows: tuple[str, str]) -> pd.DataFrame:
    return films(*rows, popularity=5.0, vote_avg=6.0, vote_count=100.0).assign(id=range(100, 100 + len(rows)))[
        ["id", *PREPARED_COLUMNS]
    ]


def test_a_film_tmdb_has_is_counted_once_as_tmdb_s_by_folded_title_within_a_year() -> None:
    known = tmdb(("The Dark Knight", "2008-07-16"), ("Solaris", "1972-03-20"))
    studio = films(
        ("dark knight", "2008-12-01"),  # folded title, 138 days later: TMDB's film
        ("Solaris", "2002-11-27"),  # the remake, 30 years on: a film of its own
        ("Night Freight", "2019-10-18"),
        ("NIGHT FREIGHT!", "2019-11-01"),  # the same film again in the file: the first row wins
    )
    ledger = films(("Night Freight", "2020-01-10"), ("Small Hours", "2021-02-12"))
    extra, report = merge_extra_films(known, [("data/extra_films/studio.csv", studio), ("ledger.csv", ledger)])
    assert extra[["title", SOURCE]].values.tolist() == [
        ["Solaris", "data/extra_films/studio.csv"],
        ["Night Freight", "data/extra_films/studio.csv"],
        ["Small Hours", "ledger.csv"],
    ]
    assert report == {
        "data/extra_films/studio.csv": {"rows_in": 4, "duplicate_of_tmdb": 1, "duplicate_of_earlier": 1, "rows_out": 2},
        "ledger.csv": {"rows_in": 2, "duplicate_of_tmdb": 0, "duplicate_of_earlier": 1, "rows_out": 1},
    }
    assert extra["id"].tolist() == [-1, -2, -3]
    assert is_extra(extra["id"]).all() and not is_extra(known["id"]).any()
    assert list(extra.columns) == [*known.columns, SOURCE]
    assert source_of(pd.concat([known["id"], extra["id"]]), extra).tolist() == [
        "tmdb_5000",
        "tmdb_5000",
        "data/extra_films/studio.csv",
        "data/extra_films/studio.csv",
        "ledger.csv",
    ]


def test_without_extra_films_the_table_is_left_as_it_was() -> None:
    known = tmdb(("Solaris", "1972-03-20"))
    extra, report = merge_extra_films(known, [])
    assert extra.empty and report == {} and list(extra.columns) == [*known.columns, SOURCE]
    assert with_extra_films(known, extra) is known


def test_extra_films_join_without_their_source_and_with_numbers_where_the_csv_left_cells_empty(
    tmp_path: Path,
) -> None:
    known = tmdb(("Solaris", "1972-03-20"))
    extra, _ = merge_extra_films(known, [("studio.csv", films(("Small Hours", "2021-02-12")))])
    write_csv(tmp_path / "extra.csv", extra)
    as_read = read_csv(tmp_path / "extra.csv")  # as featurize reads it: empty cells are ''
    assert as_read["popularity"].tolist() == [""]
    joined = with_extra_films(known, as_read)
    assert list(joined.columns) == list(known.columns)
    assert joined["id"].tolist() == [100, -1]
    assert joined["popularity"].isna().tolist() == [False, True]
    assert joined["budget"].dtype == np.float64


def test_a_film_without_a_feature_trains_no_model_that_reads_it() -> None:
    frame = pd.DataFrame({"log_budget": [16.0, 17.0, 18.0], "popularity": [5.0, "", 7.0], "id": [1, -1, 2]})
    assert with_features(frame, ["log_budget", "popularity"])["id"].tolist() == [1, 2]
    assert with_features(frame, ["log_budget", "popularity"])["popularity"].dtype == np.float64
    assert with_features(frame, ["log_budget"])["id"].tolist() == [1, -1, 2]
    complete = frame.iloc[[0, 2]].astype({"popularity": float})
    assert with_features(complete, ["log_budget", "popularity"]) is complete  # TMDB's tables come back as they were
