"""Feature engineering and the split, on frames built here."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from boxoffice.features import (
    add_features,
    check_feature_set,
    derive,
    feature_matrix,
    genre_column,
    is_hit,
    selected_features,
    split,
)


def movies(n: int = 10) -> pd.DataFrame:
    return pd.DataFrame(
        {
            "id": range(n),
            "budget": np.linspace(1e6, 1e8, n),
            "revenue": np.linspace(5e6, 1e8, n),
            "runtime": 100.0,
            "popularity": 10.0,
            "vote_avg": 6.0,
            "genres": ["Action|Science Fiction", "Comedy"] * (n // 2),
        }
    )


def test_log_budget_and_targets() -> None:
    frame = add_features(movies(2), genres=["Action"], hit_multiple=2.0)
    assert frame["log_budget"].tolist() == pytest.approx(np.log1p([1e6, 1e8]).tolist())
    assert frame["log_revenue"].tolist() == pytest.approx(np.log1p([5e6, 1e8]).tolist())
    assert frame["is_hit"].tolist() == [1, 0]


def test_hit_is_strictly_more_than_the_multiple() -> None:
    assert is_hit([200, 201], [100, 100], 2.0).tolist() == [False, True]


def test_genre_flags() -> None:
    flags = derive({"genres": ["Action|Science Fiction", "Comedy", ""]}, ["Science Fiction", "Comedy"])
    assert genre_column("Science Fiction") == "genre_science_fiction"
    assert flags["genre_science_fiction"].tolist() == [1, 0, 0]
    assert flags["genre_comedy"].tolist() == [0, 1, 0]


def test_service_and_pipeline_compute_the_same_features() -> None:
    """A dict of arrays (the service) and a DataFrame (the pipeline) give one matrix."""
    frame = add_features(movies(), genres=[], hit_multiple=2.0)
    features = ["runtime", "popularity", "vote_avg", "log_budget"]
    raw = {name: frame[name].to_numpy() for name in ("runtime", "popularity", "vote_avg", "budget")}
    np.testing.assert_array_equal(feature_matrix({**raw, **derive(raw)}, features), feature_matrix(frame, features))


def test_feature_matrix_names_missing_columns() -> None:
    with pytest.raises(KeyError, match="log_budget"):
        feature_matrix({"runtime": [1.0]}, ["runtime", "log_budget"])


def test_split_is_60_20_20_and_disjoint() -> None:
    frame = movies(100)
    train, validation, test = split(frame, 0.2, 0.25, seed=42)
    assert (len(train), len(validation), len(test)) == (60, 20, 20)
    assert set(train.id) | set(validation.id) | set(test.id) == set(range(100))
    assert not set(train.id) & set(test.id)
    again = split(frame, 0.2, 0.25, seed=42)
    assert again[2].id.tolist() == test.id.tolist()


def test_pre_release_set_refuses_post_release_columns() -> None:
    with pytest.raises(ValueError, match="popularity"):
        check_feature_set("pre_release", ["log_budget", "popularity"])
    assert check_feature_set("pre_release", ["log_budget", "runtime"]) == ["log_budget", "runtime"]


def test_no_feature_set_may_use_a_target() -> None:
    with pytest.raises(ValueError, match="log_revenue"):
        check_feature_set("seed", ["log_budget", "log_revenue"])


def test_selected_features_reads_params() -> None:
    params = {"features": {"set": "small", "sets": {"small": ["runtime"], "seed": ["runtime", "log_budget"]}}}
    assert selected_features(params) == ["runtime"]
    with pytest.raises(KeyError, match="nope"):
        selected_features({"features": {"set": "nope", "sets": {}}})
