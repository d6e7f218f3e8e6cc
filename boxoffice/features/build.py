"""A film's whole feature row: the transforms, constant dollars and its track record.

The pipeline (``add_features``) and the service (``Predictor``) both call ``derive_all``
(or ``derive_in_dollars``), so a request gets exactly the features the models were
trained on.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from boxoffice.data.dollars import to_base_year
from boxoffice.features.track_record import TrackRecord
from boxoffice.features.transforms import Columns, derive, log_budget, log_revenue, release_years
from boxoffice.params import FeaturizeParams


def derive_all(columns: Columns, settings: FeaturizeParams, record: TrackRecord | None = None) -> dict[str, np.ndarray]:
    """``derive`` with the featurize settings of params.yaml, plus the track record when given.

    The pipeline (``add_features``) and the service (``Predictor``) both call this, so
    a request gets exactly the features the models were trained on.
    """
    return derive_in_dollars(columns, settings, real_dollars(columns, settings), record)


def derive_in_dollars(
    columns: Columns, settings: FeaturizeParams, factor: np.ndarray | None, record: TrackRecord | None = None
) -> dict[str, np.ndarray]:
    """``derive_all`` given ``real_dollars(columns, settings)`` (the service needs it again for its answer)."""
    derived = derive(
        columns,
        [*settings.get("genres", []), *settings.get("more_genres", [])],
        settings.get("major_studios", ()),
        settings.get("keywords", ()),
    )
    if factor is not None and "budget" in columns:
        derived["real_log_budget"] = log_budget(np.asarray(columns["budget"], dtype=np.float64) * factor)
    if record is not None:
        derived.update(record.features(columns, settings["cast_top"]))
    return derived


def real_dollars(columns: Columns, settings: FeaturizeParams) -> np.ndarray | None:
    """Per film, the factor from its release year's dollars to constant ``cpi_base_year`` dollars.

    None when ``constant_dollars`` is off or the films have no release date (/predict's).
    """
    if not settings.get("constant_dollars") or "release_date" not in columns:
        return None
    return to_base_year(release_years(columns["release_date"]), settings["cpi_base_year"])


def add_features(frame: pd.DataFrame, settings: FeaturizeParams, record: TrackRecord | None = None) -> pd.DataFrame:
    """The cleaned table plus derived features, track record (when given) and the revenue target.

    ``settings`` is the featurize section of params.yaml. The hit label is not here: it is
    made where it is used (``splits.hit_labels``), so that the regressors never depend on it.
    """
    factor = real_dollars(frame, settings)
    real = {} if factor is None else {"real_log_revenue": log_revenue(frame["revenue"].to_numpy() * factor)}
    return frame.assign(
        **derive_all(frame, settings, record),
        **real,
        log_revenue=log_revenue(frame["revenue"]),
    )
