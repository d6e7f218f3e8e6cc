"""Request-safe transforms: logs, flags, names, dates, the model matrix.

Functions take "columns": anything indexable by column name that yields arrays (a
pandas DataFrame in the pipeline, a dict of numpy arrays in the service), so the
same code computes ``log_budget`` for training and for a request. The track record
(``track_record``) is built on these; ``build`` puts both together.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from functools import cache
from typing import Any, TypeAlias

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from boxoffice.data.raw import LIST_SEPARATOR

Columns = Mapping[str, Any]
# Logged amounts are rounded to this many decimals (a relative 1e-10 of a dollar amount):
# numpy's log1p differs in the last bit between CPUs (AVX-512 kernels or not), and
# rounding makes the feature files, and so every model and metric, agree across machines.
LOG_DECIMALS = 10


def log1p(values: Any) -> np.ndarray:
    """log(1 + x), rounded to ``LOG_DECIMALS``: the same bytes on every CPU (see above)."""
    return np.log1p(np.asarray(values, dtype=np.float64)).round(LOG_DECIMALS)


def log_budget(budget: Any) -> np.ndarray:
    return log1p(budget)


def log_revenue(revenue: Any) -> np.ndarray:
    return log1p(revenue)


def is_hit(revenue: Any, budget: Any, hit_multiple: float) -> np.ndarray:
    """A hit earns more than ``hit_multiple`` times its budget."""
    return np.asarray(revenue, dtype=np.float64) > hit_multiple * np.asarray(budget, dtype=np.float64)


@cache
def flag_column(kind: str, name: str) -> str:
    """('genre', 'Science Fiction') -> 'genre_science_fiction'."""
    return f"{kind}_" + re.sub(r"[^a-z0-9]+", "_", name.lower()).strip("_")


def flags(kind: str, values: Any, names: Sequence[str]) -> dict[str, np.ndarray]:
    """One 0/1 column per name in ``names``, from '|'-joined lists (genres, keywords)."""
    number, columns = _flag_set(kind, tuple(names))
    film_of, items = name_pairs(values, keep_empty=True)
    hits = index_of(items, number)  # the flag each item sets, -1 for none
    table = np.zeros((len(number), len(values)), dtype=np.float64)  # one contiguous row per flag
    table[hits[hits >= 0], film_of[hits >= 0]] = 1.0
    return {column: table[row] for column, row in columns}


@cache
def _flag_set(kind: str, names: tuple[str, ...]) -> tuple[dict[str, int], tuple[tuple[str, int], ...]]:
    """Each distinct name's row, and (column, row) per name: the same few lists, read for every request."""
    number = {name: j for j, name in enumerate(dict.fromkeys(names))}
    return number, tuple((flag_column(kind, name), number[name]) for name in names)


def name_lists(values: Any) -> list[list[str]]:
    """'|'-joined names -> lists of names ('' -> [])."""
    return [[name for name in str(value).split(LIST_SEPARATOR) if name] for value in values]


def derive(
    columns: Columns, genres: Sequence[str] = (), studios: Sequence[str] = (), keywords: Sequence[str] = ()
) -> dict[str, np.ndarray]:
    """Every derived feature whose inputs are present in ``columns``.

    ``genres``, ``studios`` and ``keywords`` (from params.yaml) name the genre flags, the
    studios that count as major, and the keyword flags.
    """
    derived: dict[str, np.ndarray] = {}
    if "budget" in columns:
        derived["log_budget"] = log_budget(columns["budget"])
    if "popularity" in columns:
        derived["log_popularity"] = log1p(columns["popularity"])
    if "vote_count" in columns:
        derived["log_vote_count"] = log1p(columns["vote_count"])
    if "release_date" in columns:
        days = _dates(columns["release_date"])
        derived["release_year"] = _years(days).astype(np.float64)
        derived["release_month"] = (days.astype("datetime64[M]").astype(np.int64) % 12 + 1).astype(np.float64)
    if "original_language" in columns:
        derived["is_english"] = (np.asarray(columns["original_language"], dtype=object) == "en").astype(np.float64)
    if "production_companies" in columns:
        n = len(columns["production_companies"])
        film_of, companies = name_pairs(columns["production_companies"])
        major = index_of(companies, dict.fromkeys(studios, 0)) >= 0
        derived["n_companies"] = np.bincount(film_of, minlength=n).astype(np.float64)
        derived["major_studio"] = (np.bincount(film_of[major], minlength=n) > 0).astype(np.float64)
    if "genres" in columns and genres:
        derived.update(flags("genre", columns["genres"], genres))
    if "keywords" in columns and keywords:  # TMDB keywords are lower case; a request's may not be
        lowered = [str(value).lower() for value in columns["keywords"]]
        derived.update(flags("keyword", lowered, _lower(tuple(keywords))))
    return derived


@cache
def _lower(names: tuple[str, ...]) -> tuple[str, ...]:
    return tuple(name.lower() for name in names)


ARROW_FROM = 256  # films; below this _name_pairs splits names in Python


Names: TypeAlias = "list[str] | pa.Array"  # a few films' names as a list, many films' as an Arrow array


def name_pairs(values: Any, top: int | None = None, keep_empty: bool = False) -> tuple[np.ndarray, Names]:
    """(film position, name) for every name of every film ('|'-joined), the first ``top`` of each.

    Names are read as ``_lists`` reads them (``str`` of each value, empty names dropped
    unless ``keep_empty``). Many films are split by Arrow and their names stay an Arrow
    array for ``index_of`` (a Python loop over a million films' names costs seconds); a few
    by Python (Arrow's fixed per-call cost would outweigh a single request's work).
    """
    texts = [v if type(v) is str else str(v) for v in np.asarray(values, dtype=object).tolist()]
    if len(texts) < ARROW_FROM:
        lists = [[n for n in text.split(LIST_SEPARATOR) if n or keep_empty][:top] for text in texts]
        lengths = np.fromiter(map(len, lists), dtype=np.int64, count=len(lists))
        return np.repeat(np.arange(len(lists), dtype=np.int64), lengths), [n for names in lists for n in names]
    split = pc.split_pattern(pa.array(texts, pa.string()), LIST_SEPARATOR)
    names, film_of = pc.list_flatten(split), pc.list_parent_indices(split).to_numpy().astype(np.int64)
    if not keep_empty:
        kept = pc.not_equal(names, "")
        names, film_of = names.filter(kept), film_of[kept.to_numpy(zero_copy_only=False)]
    if top is not None:  # film_of is sorted: a name's rank is its distance from its film's first name
        first = np.arange(len(film_of)) - np.searchsorted(film_of, film_of, side="left") < top
        names, film_of = names.filter(pa.array(first)), film_of[first]
    return film_of, names


def index_of(names: Names, known: dict[str, int]) -> np.ndarray:
    """Each name's number in ``known``; -1 for a name not in it (an Arrow array: one hashed look-up in C)."""
    if isinstance(names, pa.Array):
        keys = pa.array(list(known), pa.string())
        numbers = np.append(np.fromiter(known.values(), dtype=np.int64, count=len(known)), -1)
        found = pc.fill_null(pc.index_in(names, value_set=keys), len(known)).to_numpy(zero_copy_only=False)
        return numbers[found]
    return np.fromiter((known.get(name, -1) for name in names), dtype=np.int64, count=len(names))


def _dates(dates: Any) -> np.ndarray:
    """ISO dates ('2010-07-16') as numpy days; any year works (pandas stops at 1677)."""
    return np.asarray(np.asarray(dates, dtype=object).astype(str), dtype="datetime64[D]")


def release_years(dates: Any) -> np.ndarray:
    """Calendar year of each ISO date, as integers."""
    return _years(_dates(dates))


def _years(days: np.ndarray) -> np.ndarray:
    return days.astype("datetime64[Y]").astype(np.int64) + 1970


def day_numbers(dates: Any) -> np.ndarray:
    return _dates(dates).astype(np.int64)


def feature_matrix(columns: Columns, features: Sequence[str]) -> np.ndarray:
    """The model input: ``features`` in order, as a float64 (n, k) array."""
    missing = [name for name in features if name not in columns]
    if missing:
        raise KeyError(f"missing feature column(s): {', '.join(missing)}")
    n = len(columns[features[0]]) if features else 0
    matrix = np.empty((n, len(features)))
    for j, name in enumerate(features):  # column by column: np.column_stack adds a copy per column
        matrix[:, j] = columns[name]
    return matrix
