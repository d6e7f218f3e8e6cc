"""The modelling splits: made once by featurize (train/validation/test), read back as model arrays."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path

import numpy as np
import pandas as pd
from sklearn.model_selection import train_test_split

from boxoffice.data.films import PREPARED_NUMBERS
from boxoffice.features.build import add_features, real_dollars
from boxoffice.features.sets import in_constant_dollars, selected_features
from boxoffice.features.track_record import TrackRecord
from boxoffice.features.transforms import feature_matrix, is_hit
from boxoffice.io import read_csv
from boxoffice.params import FeaturizeParams, Params


@dataclass(frozen=True)
class Split:
    frame: pd.DataFrame
    features: list[str]
    X: np.ndarray
    log_revenue: np.ndarray  # the target: log1p(revenue), in constant dollars where the variant uses them
    budget: np.ndarray  # dollars, in the same terms as the target
    params: Params = field(repr=False)

    @cached_property
    def is_hit(self) -> np.ndarray:
        """The hit label, made here on first use rather than by featurize: only the stages that
        use it read ``featurize.hit_multiple``, so a new multiple re-runs no regressor."""
        return hit_labels(self.frame, self.params)


def hit_labels(frame: pd.DataFrame, params: Params) -> np.ndarray:
    """1 where a film earned more than ``featurize.hit_multiple`` times its budget (nominal dollars), else 0."""
    return is_hit(frame["revenue"], frame["budget"], params["featurize"]["hit_multiple"]).astype(np.int64)


def load_split(features_dir: str | Path, name: str, params: Params, variant: str = "main") -> Split:
    """``features_dir/name.csv`` with the feature columns of ``variant`` (see params.yaml)."""
    return as_split(read_csv(Path(features_dir) / f"{name}.csv"), params, variant)


def as_split(frame: pd.DataFrame, params: Params, variant: str = "main") -> Split:
    """A featurized table's films that have every feature of the variant, as its model arrays
    (see ``sets.in_constant_dollars`` and ``with_features``)."""
    features = selected_features(params, variant)
    frame = with_features(frame, features)
    real = in_constant_dollars(params, variant)
    budget = frame["budget"].to_numpy(dtype=np.float64)
    factor = real_dollars(frame, params["featurize"]) if real else None
    return Split(
        frame=frame,
        features=features,
        X=feature_matrix(frame, features),
        log_revenue=frame["real_log_revenue" if real else "log_revenue"].to_numpy(dtype=np.float64),
        budget=budget if factor is None else budget * factor,
        params=params,
    )


def with_features(frame: pd.DataFrame, features: Sequence[str]) -> pd.DataFrame:
    """The films that have every one of ``features``, with the amounts and features as numbers.

    An extra film may lack TMDB's post-release figures (popularity, votes): it trains the
    models that do not read them and no other (``features.film_sources``); a CSV keeps such
    a figure as an empty cell, which ``read_csv`` reads as ''. TMDB's films have every
    feature, so their table comes back as it was.
    """
    numbers = [name for name in dict.fromkeys([*features, *PREPARED_NUMBERS]) if name in frame.columns]
    texts = {name: frame[name] for name in numbers if not pd.api.types.is_numeric_dtype(frame[name])}
    if texts:
        frame = frame.assign(**{name: pd.to_numeric(column.replace("", np.nan)) for name, column in texts.items()})
    known = frame[[name for name in features if name in frame.columns]].notna().all(axis=1).to_numpy()
    return frame if known.all() else frame[known]


def train_and_validation(splits: Mapping[str, Split]) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """X, log_revenue and is_hit of train then validation: the rows cross-validation uses (never test)."""
    parts = [splits["train"], splits["validation"]]
    return (
        np.vstack([part.X for part in parts]),
        np.concatenate([part.log_revenue for part in parts]),
        np.concatenate([part.is_hit for part in parts]),
    )


def split(
    frame: pd.DataFrame, test_size: float, validation_size: float, seed: int
) -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame]:
    """Train/validation/test as the seed did: test first, then validation from the rest."""
    rest, test = train_test_split(frame, test_size=test_size, random_state=seed)
    train, validation = train_test_split(rest, test_size=validation_size, random_state=seed)
    return train, validation, test


def featurize_splits(
    parts: Sequence[pd.DataFrame], settings: FeaturizeParams
) -> tuple[list[pd.DataFrame], TrackRecord]:
    """Features of train, validation and test (or any parts), each with the track record of its own and earlier parts.

    Train's track record is built from train films only; validation's from train and
    validation (it calibrates the intervals, so test revenues must not reach it); test's
    from every film, which is what the service knows. A held-out film's revenue thus
    never feeds the features of a film that fits, selects or calibrates a model.
    Returns the three tables and the last record (every film's: the one the service reads).
    """
    known: list[pd.DataFrame] = []
    featurized = []
    for part in parts:
        known.append(part)
        films = pd.concat(known)
        record = TrackRecord.from_films(films, settings["cast_top"], real_dollars(films, settings))
        featurized.append(add_features(part, settings, record))
    return featurized, record
