"""Forward-in-time evaluation: the past fits, calibrates and chooses; later films are scored."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from boxoffice.evaluation.forward import by_date, forward_report
from boxoffice.features.build import add_features
from boxoffice.features.track_record import TrackRecord
from boxoffice.params import load_params


def featurized(movies: pd.DataFrame, settings: dict) -> pd.DataFrame:
    """Every film with its track record as of its own date, as featurize writes all.csv."""
    return add_features(movies, settings, TrackRecord.from_films(movies, settings["cast_top"]))


def test_the_split_is_by_date_and_stable() -> None:
    films = pd.DataFrame(
        {"release_date": ["2011-05-01", "2001-01-01", "2009-12-31", "2003-03-03", "2003-03-03", "2010-01-01"]}
    ).assign(order=range(6))
    fit, calibration, scored = by_date(films, "2010-01-01", 0.25)
    assert list(fit["order"]) == [1, 3, 4]  # oldest first; the same-day pair in file order
    assert list(calibration["order"]) == [2]  # the latest quarter of the past
    assert list(scored["order"]) == [0, 5]  # on or after the cutoff, in file order
    with pytest.raises(ValueError, match="forward_cutoff"):
        by_date(films, "2020-01-01", 0.25)


def test_later_films_revenues_never_reach_earlier_films_features(project) -> None:
    """Change every scored film's revenue: the fit and calibration films' features do not move."""
    settings = load_params("featurize", project / "params.yaml")
    movies = pd.read_csv(project / "data" / "prepared" / "movies.csv", keep_default_na=False)
    later = (pd.to_datetime(movies["release_date"]) >= pd.Timestamp("2010-01-01")).to_numpy()
    changed = movies.assign(revenue=np.where(later, movies["revenue"] * 50 + 1, movies["revenue"]))
    before, after = featurized(movies, settings), featurized(changed, settings)
    track = [column for column in before.columns if column.startswith(("director_", "cast_", "company_"))]
    pd.testing.assert_frame_equal(before.loc[~later, track], after.loc[~later, track])
    assert not before.loc[later, "log_revenue"].equals(after.loc[later, "log_revenue"])


def test_the_report_rebuilds_the_models_from_the_past(project) -> None:
    params = load_params(path=project / "params.yaml")
    films = pd.read_csv(project / "data" / "features" / "all.csv", keep_default_na=False)
    report, answers = forward_report(films, params)
    config = params["evaluate"]
    fit, calibration, scored = by_date(films, config["forward_cutoff"], config["forward_calibration"])
    assert report["films"] == {"fit": len(fit), "calibration": len(calibration), "scored": len(scored)}
    assert report["selected"] == min(report["cv_rmse"], key=report["cv_rmse"].get)
    assert len(answers.split.frame) == len(scored)
    assert (pd.to_datetime(answers.split.frame["release_date"]) >= pd.Timestamp("2010-01-01")).all()
    assert sum(row["films"] for row in report["slices"]["budget"]) == len(scored)
    hits = answers.outlook["hit_probability"] >= 0.5
    assert np.array_equal(hits, answers.outlook["median"] > np.log1p(2 * answers.split.budget))
