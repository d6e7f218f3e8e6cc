"""Forward-in-time rebuild of the pre-release variant: the past's models, to predict films released later.

A pre-release question is asked before a film comes out, about a film later than every
film the models learnt from. The random test split cannot show how that goes; this
does, as the project would have done it on the cutoff date:

- films released before ``evaluate.forward_cutoff`` are the past; the latest
  ``evaluate.forward_calibration`` share of them calibrates the revenue distribution,
  the rest fits and chooses the models as the pipeline does on train (each registered
  type's grid by CV, the type by repeated-CV RMSE as evaluate chooses it, the classifier's C);
- films released on or after the cutoff are scored, each with its track record as of
  its own release date (featurize's ``all.csv``): what the service would have said.

Since a track record only counts films released strictly earlier, no scored film's
revenue reaches a fitted or calibration film's features. The scoring of the later films
is ``boxoffice.evaluation.forward_scores``.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

from boxoffice.features.splits import Split, as_split
from boxoffice.modeling.fitting import calibrated, cross_validate_c, make_classifier
from boxoffice.modeling.training import fit_with_cv
from boxoffice.params import Params

VARIANT = "pre_release"


def by_date(films: pd.DataFrame, cutoff: str, calibration_share: float) -> tuple[pd.DataFrame, ...]:
    """(fit, calibration, scored): before the cutoff in date order, its latest share, and from the cutoff on.

    Films released on the same day keep their file order (a stable sort), so the split
    is the same on every run.
    """
    before = (pd.to_datetime(films["release_date"]) < pd.Timestamp(cutoff)).to_numpy()
    past, scored = films[before].sort_values("release_date", kind="stable"), films[~before]
    n_calibration = round(len(past) * calibration_share)
    if n_calibration < 1 or n_calibration >= len(past) or scored.empty:
        raise ValueError(
            f"forward cutoff {cutoff} leaves {len(past)} earlier and {len(scored)} later films: too few to fit, "
            "calibrate and score; move evaluate.forward_cutoff"
        )
    return past.iloc[:-n_calibration], past.iloc[-n_calibration:], scored


def forward_splits(films: pd.DataFrame, params: Params) -> tuple[Split, Split, Split]:
    """(fit, calibration, scored) of ``by_date`` as the pre-release variant's model arrays."""
    config = params["evaluate"]
    parts = by_date(films, config["forward_cutoff"], config["forward_calibration"])
    fit, calibration, scored = (as_split(part, params, VARIANT) for part in parts)
    return fit, calibration, scored


def fit_forward_regressor(name: str, fit: Split, params: Params) -> tuple[Any, dict[str, Any], dict[str, Any]]:
    """One registered type as the pipeline fits it on train, on the past's fitting films: its grid by CV
    and its repeated-CV scores (``training.fit_with_cv``), by which ``choose_by_cv`` later chooses."""
    model, chosen, _, cv = fit_with_cv(name, fit, params, VARIANT)
    return model, chosen, cv


def fit_forward_classifier(fit: Split, calibration: Split, params: Params) -> tuple[Any, float]:
    """The hit classifier as the past would have built it: C by CV, then fitted on every past film.

    It needs no calibration films, so it learns from fit and calibration films alike.
    """
    config = params["classifier"]
    past_X = np.vstack([fit.X, calibration.X])
    past_hits = np.concatenate([fit.is_hit, calibration.is_hit])
    _, best_c = cross_validate_c(
        past_X, past_hits, config["C"], config["folds"], config["random_state"], config["max_iter"]
    )
    classifier = calibrated(
        make_classifier(best_c, config["max_iter"]), config["calibration"], config["folds"], config["random_state"]
    ).fit(past_X, past_hits)
    return classifier, best_c
