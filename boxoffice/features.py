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
POST_RELEASE = frozenset({"popularity", "vote_avg", "vote_count", "revenue", "log_revenue", "is_hit"})
TARGETS = ("log_revenue", "is_hit")

Columns = Mapping[str, Any]


def log_budget(budget: Any) -> np.ndarray:
    return np.log1p(np.asarray(budget, dtype=np.float64))


def log_revenue(revenue: Any) -> np.ndarray:
    return np.log1p(np.asarray(revenue, dtype=np.float64))


def is_hit(revenue: Any, budget: Any, hit_multiple: float) -> np.ndarray:
    """A hit earns more than ``hit_multiple`` times its budget."""
    return np.asarray(revenue, dtype=np.float64) > hit_multiple * np.asarray(budget, dtype=np.float64)


def genre_column(genre: str) -> str:
    """'Science Fiction' -> 'genre_science_fiction'."""
    return "genre_" + re.sub(r"[^a-z0-9]+", "_", genre.lower()).strip("_")


def genre_flags(genres: Any, names: Sequence[str]) -> dict[str, np.ndarray]:
    """One 0/1 column per genre in ``names``, from '|'-joined genre lists."""
    lists = [set(str(value).split(LIST_SEPARATOR)) for value in genres]
    return {genre_column(name): np.array([name in items for items in lists], dtype=np.float64) for name in names}


def derive(columns: Columns, genres: Sequence[str] = ()) -> dict[str, np.ndarray]:
    """Every derived feature whose inputs are present in ``columns``."""
    derived: dict[str, np.ndarray] = {}
    if "budget" in columns:
        derived["log_budget"] = log_budget(columns["budget"])
    if "genres" in columns and genres:
        derived.update(genre_flags(columns["genres"], genres))
    return derived


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


def selected_features(params: Mapping[str, Any]) -> list[str]:
    """The feature list chosen by ``features.set`` in params.yaml."""
    name = params["features"]["set"]
    sets = params["features"]["sets"]
    if name not in sets:
        raise KeyError(f"features.set is {name!r}; params.yaml defines {', '.join(sets)}")
    return check_feature_set(name, sets[name])


def add_features(frame: pd.DataFrame, genres: Sequence[str], hit_multiple: float) -> pd.DataFrame:
    """The cleaned table plus derived features and both targets."""
    return frame.assign(
        **derive(frame, genres),
        log_revenue=log_revenue(frame["revenue"]),
        is_hit=is_hit(frame["revenue"], frame["budget"], hit_multiple).astype(int),
    )


def split(
    frame: pd.DataFrame, test_size: float, validation_size: float, seed: int
) -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame]:
    """Train/validation/test as the seed did: test first, then validation from the rest."""
    rest, test = train_test_split(frame, test_size=test_size, random_state=seed)
    train, validation = train_test_split(rest, test_size=validation_size, random_state=seed)
    return train, validation, test
