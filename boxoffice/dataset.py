"""Read one split written by featurize, as the arrays the models take."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from boxoffice.features import feature_matrix, selected_features


@dataclass(frozen=True)
class Split:
    frame: pd.DataFrame
    features: list[str]
    X: np.ndarray
    log_revenue: np.ndarray
    is_hit: np.ndarray


def load_split(features_dir: str | Path, name: str, params: dict[str, Any], variant: str = "main") -> Split:
    """``features_dir/name.csv`` with the feature columns of ``variant`` (see params.yaml)."""
    frame = pd.read_csv(Path(features_dir) / f"{name}.csv", keep_default_na=False, na_values={"runtime": ""})
    features = selected_features(params, variant)
    return Split(
        frame=frame,
        features=features,
        X=feature_matrix(frame, features),
        log_revenue=frame["log_revenue"].to_numpy(dtype=np.float64),
        is_hit=frame["is_hit"].to_numpy(dtype=np.int64),
    )
