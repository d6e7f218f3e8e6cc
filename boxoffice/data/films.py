"""The films schema: a studio's own films, or the ledger's released forecasts, as one CSV file.

``prepare`` adds such files (named in ``params.yaml``'s ``prepare.extra_films``) to TMDB 5000,
and ``python -m boxoffice.ledger export`` writes one. docs/your-own-films.md documents the
columns for the people who write them.

Unlike the raw TMDB file, every problem in an extra films file stops the stage, naming the
file, the data row and the column: the file is the user's own and small, and a film left out
quietly would be a film the user believes the models learnt from.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from boxoffice.data.raw import LIST_SEPARATOR, DataError, parse_list, read_text_csv

TMDB = "tmdb_5000"  # the source of the raw Kaggle films
EXTRA_FILMS = "extra_films"  # the films of every extra films file, together
LISTS = ("genres", "production_companies", "directors", "cast", "keywords")  # names, see ``parse_list``
AMOUNTS = ("budget", "revenue", "runtime")  # dollars, dollars, minutes: known and above zero
POST_RELEASE = (
    "popularity",
    "vote_average",
    "vote_count",
)  # TMDB's; a film without them trains no model that reads them
REQUIRED_COLUMNS = ("title", "release_date", *AMOUNTS, "original_language", "genres")
FILMS_COLUMNS = (*REQUIRED_COLUMNS, *LISTS[1:], *POST_RELEASE, "revenue_source")  # as the ledger writes them
# The prepared table's numbers; an extra film's unknown post-release figure is an empty cell in its CSV.
PREPARED_NUMBERS = ("budget", "revenue", "runtime", "popularity", "vote_avg", "vote_count")
# The prepared table's columns, in its order (``raw.clean`` then ``raw.add_credits``); TMDB's
# vote_average is the prepared table's vote_avg.
PREPARED_COLUMNS = (
    "title",
    "original_language",
    "release_date",
    "genres",
    "budget",
    "revenue",
    "runtime",
    "popularity",
    "vote_avg",
    "vote_count",
    "keywords",
    "production_companies",
    "directors",
    "cast",
)


def is_extra(ids: Any) -> np.ndarray:
    """Which films come from an extra films file: prepare gives them negative ids, TMDB's are positive."""
    return np.asarray(ids, dtype=np.int64) < 0


def read_films(path: str | Path) -> pd.DataFrame:
    """A films-schema file as prepared-table columns (lists '|'-joined); columns beyond the schema are ignored.

    Raises ``DataError`` naming the file, data row and column of the first problem.
    """
    path = Path(path)
    frame = read_text_csv(path, REQUIRED_COLUMNS)
    for column in ("title", "original_language"):
        _stop_at(path, frame, column, frame[column].str.strip() == "", "is empty")
    dates = pd.to_datetime(frame["release_date"].str.strip(), format="%Y-%m-%d", errors="coerce")
    _stop_at(path, frame, "release_date", dates.isna(), "is not a date written YYYY-MM-DD")
    numbers = {column: _numbers(path, frame, column, required=True) for column in AMOUNTS}
    for column in AMOUNTS:
        _stop_at(path, frame, column, ~(numbers[column] > 0), "is not above zero (a film's real figure is needed)")
    numbers |= {column: _numbers(path, frame, column, required=False) for column in POST_RELEASE}
    _stop_at(path, frame, "popularity", numbers["popularity"] < 0, "is below zero")
    _stop_at(path, frame, "vote_count", numbers["vote_count"] < 0, "is below zero")
    votes = numbers["vote_average"]
    _stop_at(path, frame, "vote_average", votes.notna() & ~votes.between(0, 10), "is not between 0 and 10")
    lists = {column: _lists(path, frame, column) for column in LISTS}
    _stop_at(path, frame, "genres", lists["genres"].map(len) == 0, "names no genre")
    films = pd.DataFrame(
        {
            "title": frame["title"].str.strip(),
            "original_language": frame["original_language"].str.strip(),
            "release_date": dates.dt.strftime("%Y-%m-%d"),
            **{column: numbers[column] for column in AMOUNTS},
            "popularity": numbers["popularity"],
            "vote_avg": numbers["vote_average"],
            "vote_count": numbers["vote_count"],
            **{column: lists[column].map(LIST_SEPARATOR.join) for column in LISTS},
        }
    )
    return films[list(PREPARED_COLUMNS)]


def _stop_at(path: Path, frame: pd.DataFrame, column: str, bad: pd.Series, problem: str) -> None:
    """Stop at the first row where ``bad`` holds (a column missing from the file is never bad)."""
    flags = bad.fillna(False).to_numpy(dtype=bool)
    if flags.any():
        row = int(np.flatnonzero(flags)[0])
        cell = frame[column].iloc[row] if column in frame.columns else ""
        raise DataError(f"{path}: column {column!r}, data row {row + 1}: {cell!r} {problem}")


def _numbers(path: Path, frame: pd.DataFrame, column: str, required: bool) -> pd.Series:
    """A number column; where it is optional an empty cell, or the whole column missing, is unknown (NaN)."""
    if column not in frame.columns:
        return pd.Series(np.nan, index=frame.index, dtype="float64")
    text = frame[column].str.strip()
    values = pd.to_numeric(text.where(text != ""), errors="coerce").astype("float64")
    _stop_at(path, frame, column, values.isna() & (text != ""), "is not a number")
    if required:
        _stop_at(path, frame, column, text == "", "is empty (a number is needed)")
    return values


def _lists(path: Path, frame: pd.DataFrame, column: str) -> pd.Series:
    if column not in frame.columns:
        return pd.Series([[] for _ in range(len(frame))], index=frame.index, dtype=object)
    names = frame[column].map(parse_list)
    _stop_at(path, frame, column, names.isna(), "is not a list of names ('A|B', '[\"A\", \"B\"]' or TMDB's JSON)")
    return names
