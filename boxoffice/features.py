"""Feature engineering: the one module both the pipeline and the service call.

Functions take "columns": anything indexable by column name that yields arrays (a
pandas DataFrame in the pipeline, a dict of numpy arrays in the service), so the
same code computes ``log_budget`` for training and for a request.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from functools import cache
from typing import Any

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc
from sklearn.model_selection import train_test_split

from boxoffice.data import LIST_SEPARATOR

# Known only after a film is out: a pre-release feature set may not use them.
POST_RELEASE = frozenset(
    {"popularity", "log_popularity", "vote_avg", "vote_count", "log_vote_count", "revenue", "log_revenue", "is_hit"}
)
VARIANTS = ("main", "pre_release")  # the models /predict serves, and those /predict/pre_release serves
# In a feature set, these stand for the 0/1 flags of the names listed under the same key in featurize.
FLAG_TOKENS = {"genres": "genre", "more_genres": "genre", "keywords": "keyword"}
TARGETS = ("log_revenue", "is_hit")

Columns = Mapping[str, Any]
# Logged amounts are rounded to this many decimals (a relative 1e-10 of a dollar amount):
# numpy's log1p differs in the last bit between CPUs (AVX-512 kernels or not), and
# rounding makes the feature files, and so every model and metric, agree across machines.
LOG_DECIMALS = 10


def log1p(values: Any) -> np.ndarray:
    """log(1 + x), rounded to ``LOG_DECIMALS``: the same bytes on every CPU (see above)."""
    return np.round(np.log1p(np.asarray(values, dtype=np.float64)), LOG_DECIMALS)


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
    film_of, items = _name_pairs(values, keep_empty=True)
    unique = list(dict.fromkeys(names))
    hits = _lookup(items, {name: j for j, name in enumerate(unique)})  # the flag each item sets, -1 for none
    table = np.zeros((len(values), len(unique)), dtype=np.float64)
    table[film_of[hits >= 0], hits[hits >= 0]] = 1.0
    return {flag_column(kind, name): table[:, unique.index(name)].copy() for name in names}


def _lists(values: Any) -> list[list[str]]:
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
        derived["release_year"] = (days.astype("datetime64[Y]").astype(np.int64) + 1970).astype(np.float64)
        derived["release_month"] = (days.astype("datetime64[M]").astype(np.int64) % 12 + 1).astype(np.float64)
    if "original_language" in columns:
        derived["is_english"] = (np.asarray(columns["original_language"], dtype=object) == "en").astype(np.float64)
    if "production_companies" in columns:
        companies = _lists(columns["production_companies"])
        majors = set(studios)
        derived["n_companies"] = np.array([len(names) for names in companies], dtype=np.float64)
        derived["major_studio"] = np.array([bool(majors.intersection(names)) for names in companies], dtype=np.float64)
    if "genres" in columns and genres:
        derived.update(flags("genre", columns["genres"], genres))
    if "keywords" in columns and keywords:  # TMDB keywords are lower case; a request's may not be
        lowered = [str(value).lower() for value in columns["keywords"]]
        derived.update(flags("keyword", lowered, [keyword.lower() for keyword in keywords]))
    return derived


def derive_all(
    columns: Columns, settings: Mapping[str, Any], record: TrackRecord | None = None
) -> dict[str, np.ndarray]:
    """``derive`` with the featurize settings of params.yaml, plus the track record when given.

    The pipeline (``add_features``) and the service (``Predictor``) both call this, so
    a request gets exactly the features the models were trained on.
    """
    derived = derive(
        columns,
        [*settings.get("genres", []), *settings.get("more_genres", [])],
        settings.get("major_studios", ()),
        settings.get("keywords", ()),
    )
    if record is not None:
        derived.update(record.features(columns, settings["cast_top"]))
    return derived


class TrackRecord:
    """Past box office of directors, lead cast and production companies, "as of" a release date.

    Built from films with known revenue; a query sees only films released strictly
    before the date asked about, so a film's own revenue never feeds its features.
    For each role: how many earlier films, their mean log revenue, and their mean log
    return (log revenue - log budget). A name with no earlier film (unknown, or seen
    only later) gets the means of all earlier films: "a typical film so far".
    """

    STATS = ("log_revenue", "log_roi")
    ALL_FILMS = ("film", "*")  # the (role, name) of the all-films timeline
    # role -> the column of '|'-joined names it reads; cast counts only the first cast_top.
    ROLES = (("director", "directors"), ("cast", "cast"), ("company", "production_companies"))

    def __init__(self, history: pd.DataFrame) -> None:
        """``history``: one row per (role, name, film) with release_date, log_revenue, log_roi."""
        self.history = history
        # One stable sort by (role, name, day) makes each name's films a run in date order;
        # a run's cumulative sums answer "how many films, and what totals, before day d".
        table = history.assign(day=_days(history["release_date"])).sort_values(["role", "name", "day"])
        days, stats = table["day"].to_numpy(), table[list(self.STATS)].to_numpy(dtype=np.float64)
        runs = table.groupby(["role", "name"], sort=False).indices
        self._key = {key: number for number, key in enumerate(runs)}
        self._start = np.array([rows[0] for rows in runs.values()], dtype=np.int64)
        # (run number, day) as one sortable integer, so one searchsorted serves every query.
        run_of_row = np.repeat(np.arange(len(runs)), [len(rows) for rows in runs.values()])
        self._stamp = run_of_row * _DAY_SPAN + (days - _DAY_ZERO)
        # Per role: name -> run number.
        self._runs = {
            role: {name: run for (kind, name), run in self._key.items() if kind == role} for role, _ in self.ROLES
        }

        self._sums = np.concatenate([np.cumsum(stats[rows], axis=0) for rows in runs.values()] or [np.zeros((0, 2))])

    @classmethod
    def from_films(cls, films: pd.DataFrame, cast_top: int) -> TrackRecord:
        """History from a table with release_date, budget, revenue and each role's column ('|'-joined)."""
        rows = []
        dates = films["release_date"].tolist()
        stats = np.column_stack(
            [log_revenue(films["revenue"]), log_revenue(films["revenue"]) - log_budget(films["budget"])]
        )
        rows += [(*cls.ALL_FILMS, date, *film) for date, film in zip(dates, stats.tolist(), strict=True)]
        for role, column in cls.ROLES:
            top = cast_top if role == "cast" else None
            for names, date, film in zip(_lists(films[column]), dates, stats.tolist(), strict=True):
                rows += [(role, name, date, *film) for name in names[:top]]
        return cls(pd.DataFrame(rows, columns=["role", "name", "release_date", *cls.STATS]))

    def _before(self, runs: np.ndarray, days: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """For each (run, day): how many of the run's films came before the day, and their stats' sums.

        ``runs`` of -1 (a name never seen) get 0 films and zero sums.
        """
        known = runs >= 0
        start = self._start[np.where(known, runs, 0)]
        found = np.searchsorted(self._stamp, np.where(known, runs, 0) * _DAY_SPAN + (days - _DAY_ZERO), side="left")
        count = np.where(known, found - start, 0)
        sums = np.where((count > 0)[:, None], self._sums[np.maximum(found - 1, 0)], 0.0)
        return count, sums

    def features(self, columns: Columns, cast_top: int) -> dict[str, np.ndarray]:
        """<role>_films, _log_revenue and _log_roi for each film (see the class doc), all films at once.

        ``columns`` holds release_date and the '|'-joined names of each role; a role
        whose column is absent is left out.
        """
        days = _days(columns["release_date"])
        n = len(days)
        all_runs = np.full(n, self._key.get(self.ALL_FILMS, -1))
        all_count, all_sums = self._before(all_runs, days)
        typical = np.divide(all_sums, all_count[:, None], out=np.zeros_like(all_sums), where=all_count[:, None] > 0)
        out: dict[str, np.ndarray] = {}
        for role, column in self.ROLES:
            if column not in columns:
                continue
            film_of, names = _name_pairs(columns[column], cast_top if role == "cast" else None)
            runs = _lookup(names, self._runs[role])  # -1 for a name never seen
            count, sums = self._before(runs, days[film_of])
            # bincount adds each film's names in order from 0, as a loop over its names would.
            total_count = np.bincount(film_of, weights=count, minlength=n)
            totals = np.column_stack([np.bincount(film_of, weights=sums[:, j], minlength=n) for j in range(2)])
            seen = total_count > 0
            means = np.where(seen[:, None], totals / np.where(seen, total_count, 1)[:, None], typical)
            out[f"{role}_films"] = total_count.astype(np.float64)
            for j, stat in enumerate(self.STATS):
                out[f"{role}_{stat}"] = means[:, j]
        return out


ARROW_FROM = 256  # films; below this _name_pairs splits names in Python
# Days since 1970 as integers; any ISO date (years 1-9999) fits between these.
_DAY_ZERO = -800_000
_DAY_SPAN = 1 << 23


def _name_pairs(values: Any, top: int | None = None, keep_empty: bool = False) -> tuple[np.ndarray, list[str]]:
    """(film position, name) for every name of every film ('|'-joined), the first ``top`` of each.

    Names are read as ``_lists`` reads them (``str`` of each value, empty names dropped
    unless ``keep_empty``). Many films are split by Arrow (a Python loop over a million
    films' names costs seconds); a few by Python (Arrow's per-call cost is ~100 us a request).
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
    return film_of, names.to_pylist()


def _lookup(names: list[str], known: dict[str, int]) -> np.ndarray:
    """Each name's number in ``known``; -1 for a name not in it."""
    return np.fromiter((known.get(name, -1) for name in names), dtype=np.int64, count=len(names))


def _dates(dates: Any) -> np.ndarray:
    """ISO dates ('2010-07-16') as numpy days; any year works (pandas stops at 1677)."""
    return np.asarray(np.asarray(dates, dtype=object).astype(str), dtype="datetime64[D]")


def _days(dates: Any) -> np.ndarray:
    return _dates(dates).astype(np.int64)


def feature_matrix(columns: Columns, features: Sequence[str]) -> np.ndarray:
    """The model input: ``features`` in order, as a float64 (n, k) array."""
    missing = [name for name in features if name not in columns]
    if missing:
        raise KeyError(f"missing feature column(s): {', '.join(missing)}")
    return np.column_stack([np.asarray(columns[name], dtype=np.float64) for name in features])


def check_feature_set(name: str, features: Sequence[str]) -> list[str]:
    """Refuse a pre-release set that uses anything known only after release."""
    leaked = sorted(set(features) & POST_RELEASE)
    if name == "pre_release" and leaked:
        raise ValueError(f"feature set 'pre_release' uses post-release column(s): {', '.join(leaked)}")
    leaked_targets = sorted(set(features) & set(TARGETS))
    if leaked_targets:
        raise ValueError(f"feature set {name!r} uses the target(s): {', '.join(leaked_targets)}")
    return list(features)


def feature_set_name(params: Mapping[str, Any], variant: str = "main") -> str:
    """``features.set`` for the main models; always ``pre_release`` for the pre-release ones."""
    if variant not in VARIANTS:
        raise KeyError(f"unknown variant {variant!r}; known: {', '.join(VARIANTS)}")
    return params["features"]["set"] if variant == "main" else "pre_release"


def expand_set(params: Mapping[str, Any], name: str) -> list[str]:
    """A feature set from params.yaml, checked, with 'genres'/'more_genres'/'keywords' expanded to flags."""
    sets = params["features"]["sets"]
    if name not in sets:
        raise KeyError(f"feature set {name!r} is not defined; params.yaml defines {', '.join(sets)}")
    columns: list[str] = []
    for item in sets[name]:
        if item in FLAG_TOKENS:
            columns += [flag_column(FLAG_TOKENS[item], value) for value in params["featurize"].get(item, [])]
        else:
            columns.append(item)
    return check_feature_set(name, columns)


def selected_features(params: Mapping[str, Any], variant: str = "main") -> list[str]:
    """The feature columns the ``variant``'s models use."""
    return expand_set(params, feature_set_name(params, variant))


def add_features(frame: pd.DataFrame, settings: Mapping[str, Any], record: TrackRecord | None = None) -> pd.DataFrame:
    """The cleaned table plus derived features, track record (when given) and both targets.

    ``settings`` is the featurize section of params.yaml.
    """
    return frame.assign(
        **derive_all(frame, settings, record),
        log_revenue=log_revenue(frame["revenue"]),
        is_hit=is_hit(frame["revenue"], frame["budget"], settings["hit_multiple"]).astype(int),
    )


def split(
    frame: pd.DataFrame, test_size: float, validation_size: float, seed: int
) -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame]:
    """Train/validation/test as the seed did: test first, then validation from the rest."""
    rest, test = train_test_split(frame, test_size=test_size, random_state=seed)
    train, validation = train_test_split(rest, test_size=validation_size, random_state=seed)
    return train, validation, test
