"""Feature engineering: the one module both the pipeline and the service call.

Functions take "columns": anything indexable by column name that yields arrays (a
pandas DataFrame in the pipeline, a dict of numpy arrays in the service), so the
same code computes ``log_budget`` for training and for a request.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from typing import Any

import numpy as np
import pandas as pd
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


def flag_column(kind: str, name: str) -> str:
    """('genre', 'Science Fiction') -> 'genre_science_fiction'."""
    return f"{kind}_" + re.sub(r"[^a-z0-9]+", "_", name.lower()).strip("_")


def flags(kind: str, values: Any, names: Sequence[str]) -> dict[str, np.ndarray]:
    """One 0/1 column per name in ``names``, from '|'-joined lists (genres, keywords)."""
    lists = [set(str(value).split(LIST_SEPARATOR)) for value in values]
    return {flag_column(kind, name): np.array([name in items for items in lists], dtype=np.float64) for name in names}


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
        # One stable sort by (role, name, day) makes each name's films a run in date order.
        table = history.assign(day=_days(history["release_date"])).sort_values(["role", "name", "day"])
        days, stats = table["day"].to_numpy(), table[list(self.STATS)].to_numpy(dtype=np.float64)
        self._people: dict[tuple[str, str], tuple[np.ndarray, np.ndarray]] = {
            key: (days[rows], np.cumsum(stats[rows], axis=0))
            for key, rows in table.groupby(["role", "name"], sort=False).indices.items()
        }

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

    def _before(self, key: tuple[str, str], day: int) -> tuple[int, np.ndarray]:
        """How many films of ``key`` came before ``day``, and the sums of their stats."""
        known = self._people.get(key)
        if known is None:
            return 0, np.zeros(len(self.STATS))
        count = int(np.searchsorted(known[0], day, side="left"))
        return count, (known[1][count - 1] if count else np.zeros(len(self.STATS)))

    def features(self, columns: Columns, cast_top: int) -> dict[str, np.ndarray]:
        """<role>_films, _log_revenue and _log_roi for each film (see the class doc).

        ``columns`` holds release_date and the '|'-joined names of each role; a role
        whose column is absent is left out.
        """
        days = _days(columns["release_date"])
        out: dict[str, list[float]] = {}
        for role, column in self.ROLES:
            if column not in columns:
                continue
            top = cast_top if role == "cast" else None
            for names, day in zip(_lists(columns[column]), days, strict=True):
                count, totals = 0, np.zeros(len(self.STATS))
                for name in names[:top]:
                    n, sums = self._before((role, name), int(day))
                    count, totals = count + n, totals + sums
                if count == 0:
                    count_all, totals_all = self._before(self.ALL_FILMS, int(day))
                    means = totals_all / count_all if count_all else np.zeros(len(self.STATS))
                else:
                    means = totals / count
                out.setdefault(f"{role}_films", []).append(float(count))
                for stat, mean in zip(self.STATS, means, strict=True):
                    out.setdefault(f"{role}_{stat}", []).append(float(mean))
        return {key: np.array(values, dtype=np.float64) for key, values in out.items()}


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
