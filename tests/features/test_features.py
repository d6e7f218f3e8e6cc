"""Feature engineering and the split, on frames built here."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from boxoffice.features import transforms
from boxoffice.features.build import add_features
from boxoffice.features.sets import POST_RELEASE, check_feature_set, expand_set, selected_features
from boxoffice.features.splits import hit_labels, split
from boxoffice.features.track_record import TrackRecord
from boxoffice.features.transforms import derive, feature_matrix, flag_column, is_hit


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
    frame = add_features(movies(2), {"genres": ["Action"]})
    assert frame["log_budget"].tolist() == pytest.approx(np.log1p([1e6, 1e8]).tolist())
    assert frame["log_revenue"].tolist() == pytest.approx(np.log1p([5e6, 1e8]).tolist())
    assert hit_labels(frame, {"featurize": {"hit_multiple": 2.0}}).tolist() == [1, 0]


def test_the_features_do_not_depend_on_the_hit_multiple() -> None:
    """featurize leaves the hit label out, so a new hit multiple re-runs no regressor stage."""
    assert "is_hit" not in add_features(movies(2), {"genres": ["Action"]})


def test_hit_is_strictly_more_than_the_multiple() -> None:
    assert is_hit([200, 201], [100, 100], 2.0).tolist() == [False, True]


def test_genre_flags() -> None:
    flags = derive({"genres": ["Action|Science Fiction", "Comedy", ""]}, ["Science Fiction", "Comedy"])
    assert flag_column("genre", "Science Fiction") == "genre_science_fiction"
    assert flags["genre_science_fiction"].tolist() == [1, 0, 0]
    assert flags["genre_comedy"].tolist() == [0, 1, 0]


def test_keyword_flags_ignore_case() -> None:
    columns = {"keywords": ["sequel|3d", "Based On Novel", ""]}
    flags = derive(columns, keywords=["sequel", "based on novel"])
    assert flags["keyword_sequel"].tolist() == [1, 0, 0]
    assert flags["keyword_based_on_novel"].tolist() == [0, 1, 0]


def test_service_and_pipeline_compute_the_same_features() -> None:
    """A dict of arrays (the service) and a DataFrame (the pipeline) give one matrix."""
    frame = add_features(movies(), {})
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


def history_films() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "directors": ["Dee", "Dee", "Dee|Eve", ""],
            "cast": ["Ann|Bob|Cy|Dot", "Ann", "Bob", "Ann"],
            "production_companies": ["Acme", "Acme|Bolt", "", "Bolt"],
            "release_date": ["2000-01-01", "2001-01-01", "2002-01-01", "2001-01-01"],
            "budget": [np.expm1(9.0)] * 4,
            "revenue": [np.expm1(10.0), np.expm1(12.0), np.expm1(14.0), np.expm1(16.0)],
        }
    )


def test_track_record_uses_only_earlier_films() -> None:
    record = TrackRecord.from_films(history_films(), cast_top=3)
    films = record.features(
        {
            "directors": ["Dee", "Dee", "Dee", "Dee|Eve"],
            "cast": ["Ann", "Ann", "Dot", "Ann|Bob"],
            "production_companies": ["Acme", "Bolt", "Acme|Bolt", ""],
            "release_date": ["2000-01-01", "2001-06-01", "2003-01-01", "2003-01-01"],
        },
        cast_top=3,
    )
    # A film never sees itself or later films: nothing before 2000-01-01.
    assert films["director_films"].tolist() == [0, 2, 3, 4]
    # With no earlier film, the mean of all earlier films stands in (none at all: 0).
    assert films["director_log_revenue"].tolist() == pytest.approx([0, 11, 12, (10 + 12 + 14 + 14) / 4])
    assert films["director_log_roi"].tolist() == pytest.approx([0, 2, 3, (10 + 12 + 14 + 14) / 4 - 9])
    # Dot is billed 4th in her only film, beyond cast_top = 3: no history.
    assert films["cast_films"].tolist() == [0, 3, 0, 5]
    all_before_2003 = (10 + 12 + 14 + 16) / 4
    assert films["cast_log_revenue"].tolist() == pytest.approx(
        [0, 38 / 3, all_before_2003, (10 + 12 + 16 + 10 + 14) / 5]
    )
    # Companies: Acme made films 1 and 2, Bolt films 2 and 4 (both released 2001-01-01).
    assert films["company_films"].tolist() == [0, 2, 4, 0]
    assert films["company_log_revenue"].tolist() == pytest.approx([0, 14, (10 + 12 + 12 + 16) / 4, all_before_2003])


def test_track_record_leaves_out_a_role_without_its_column() -> None:
    record = TrackRecord.from_films(history_films(), cast_top=3)
    films = record.features({"directors": ["Dee"], "release_date": ["2020-01-01"]}, cast_top=3)
    assert set(films) == {"director_films", "director_log_revenue", "director_log_roi"}


def test_track_record_treats_unknown_names_as_unseen() -> None:
    record = TrackRecord.from_films(history_films(), cast_top=3)
    films = record.features(
        {
            "directors": ["Nobody"],
            "cast": ["Someone|Else"],
            "production_companies": ["Zed"],
            "release_date": ["2020-01-01"],
        },
        cast_top=3,
    )
    typical = {"log_revenue": 13.0, "log_roi": 4.0}  # the mean of all four earlier films
    assert films["director_films"].tolist() == films["cast_films"].tolist() == films["company_films"].tolist() == [0]
    for role in ("director", "cast", "company"):
        for stat, value in typical.items():
            assert films[f"{role}_{stat}"].tolist() == pytest.approx([value])


def test_release_dates_of_any_year() -> None:
    derived = derive({"release_date": ["0616-01-06", "1916-09-04", "2999-12-31"]})
    assert derived["release_year"].tolist() == [616, 1916, 2999]
    assert derived["release_month"].tolist() == [1, 9, 12]


def test_derive_pre_release_features() -> None:
    columns = {
        "release_date": ["2010-07-16"],
        "original_language": ["en"],
        "production_companies": ["Warner Bros.|Legendary Pictures"],
        "vote_count": [99.0],
    }
    derived = derive(columns, studios=["Warner Bros."])
    assert derived["release_year"].tolist() == [2010]
    assert derived["release_month"].tolist() == [7]
    assert derived["is_english"].tolist() == [1]
    assert derived["n_companies"].tolist() == [2]
    assert derived["major_studio"].tolist() == [1]
    assert derived["log_vote_count"].tolist() == pytest.approx([np.log(100)])


def test_feature_sets_expand_genres_and_stay_pre_release() -> None:
    params = {
        "featurize": {"genres": ["Action", "Science Fiction"], "keywords": ["based on novel"]},
        "features": {
            "set": "seed",
            "sets": {"pre_release": ["log_budget", "genres"], "more": ["keywords"], "bad": ["log_revenue"]},
        },
    }
    assert expand_set(params, "pre_release") == ["log_budget", "genre_action", "genre_science_fiction"]
    assert expand_set(params, "more") == ["keyword_based_on_novel"]
    assert selected_features({**params, "features": {**params["features"], "set": "pre_release"}}) == [
        "log_budget",
        "genre_action",
        "genre_science_fiction",
    ]
    with pytest.raises(ValueError, match="target"):
        expand_set(params, "bad")


def test_the_shipped_pre_release_set_has_no_post_release_column() -> None:
    from boxoffice.params import load_params
    from tests.conftest import ROOT

    params = load_params(path=ROOT / "params.yaml")
    columns = selected_features(params, "pre_release")
    assert not set(columns) & POST_RELEASE
    assert {"real_log_budget", "director_log_revenue", "cast_log_revenue", "release_year"} <= set(
        columns
    )  # constant dollars


@pytest.mark.parametrize("top", [None, 1, 3])
@pytest.mark.parametrize("keep_empty", [False, True])
def test_names_split_the_same_by_python_and_by_arrow(monkeypatch: pytest.MonkeyPatch, top, keep_empty) -> None:
    """Requests take the Python path, files the Arrow one: a film's names must not depend on which."""
    rng = np.random.default_rng(0)
    pool = ["A", "Bé", "C D", "", " ", "Ünï|"]
    values = ["|".join(rng.choice(pool, size=rng.integers(0, 6))) for _ in range(300)] + [None, float("nan"), 7, ""]
    monkeypatch.setattr(transforms, "ARROW_FROM", 10**9)
    by_python = transforms.name_pairs(values, top, keep_empty)
    monkeypatch.setattr(transforms, "ARROW_FROM", 0)
    by_arrow = transforms.name_pairs(values, top, keep_empty)
    assert by_python[0].tolist() == by_arrow[0].tolist()
    assert by_python[1] == by_arrow[1].to_pylist()
    known = {"A": 3, "C D": 0, " ": 7, "absent": 9}  # and each name's number, looked up either way
    numbers = transforms.index_of(by_python[1], known)
    assert numbers.tolist() == transforms.index_of(by_arrow[1], known).tolist()
    assert set(numbers.tolist()) == {3, 0, 7, -1}
