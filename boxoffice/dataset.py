"""Read one split written by featurize, as the arrays the models take."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from boxoffice.features import feature_matrix, selected_features
from boxoffice.io import read_csv


@dataclass(frozen=True)
class Split:
    frame: pd.DataFrame
    features: list[str]
    X: np.ndarray
    log_revenue: np.ndarray
    is_hit: np.ndarray


def load_split(features_dir: str | Path, name: str, params: dict[str, Any], variant: str = "main") -> Split:
    """``features_dir/name.csv`` with the feature columns of ``variant`` (see params.yaml)."""
    frame = read_csv(Path(features_dir) / f"{name}.csv")
    features = selected_features(params, variant)
    return Split(
        frame=frame,
        features=features,
        X=feature_matrix(frame, features),
        log_revenue=frame["log_revenue"].to_numpy(dtype=np.float64),
        is_hit=frame["is_hit"].to_numpy(dtype=np.int64),
    )


def train_and_validation(splits: Mapping[str, Split]) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """X, log_revenue and is_hit of train then validation: the rows cross-validation uses (never test)."""
    parts = [splits["train"], splits["validation"]]
    return (
        np.vstack([part.X for part in parts]),
        np.concatenate([part.log_revenue for part in parts]),
        np.concatenate([part.is_hit for part in parts]),
    )
