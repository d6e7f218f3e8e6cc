"""What the served answers say about films the models never saw: interval coverage, slices, hit sources.

The evaluate stage measures the test split with these, and the forward-in-time
evaluation (``boxoffice.evaluation.forward_scores``) the films released after its cutoff.
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd
from sklearn.metrics import roc_auc_score

from boxoffice.data.films import EXTRA_FILMS, TMDB, is_extra
from boxoffice.features.splits import Split
from boxoffice.modeling.distribution import RevenueDistribution, band_of
from boxoffice.modeling.metrics import classification_metrics, regression_metrics
from boxoffice.modeling.training import predict_in_order
from boxoffice.params import Params


def calibrate_distribution(model: Any, calibration: Split, params: Params) -> RevenueDistribution:
    """The served regressor's conformal distribution, from its residuals on ``calibration`` (validation)."""
    config = params["evaluate"]
    residuals = calibration.log_revenue - predict_in_order(model, calibration.X)
    budgets = calibration.budget
    return RevenueDistribution.calibrate(residuals, budgets, config["budget_bands"], config["min_band_films"])


@dataclass(frozen=True)
class HeldOutAnswers:
    """What the service would answer for every test film, computed once for every report on them."""

    split: Split
    outlook: dict[str, np.ndarray]  # the served regressor's distribution fields (log revenue), as the service
    sources: dict[str, np.ndarray]  # hit_probability from each source: 'distribution' and 'classifier'

    @classmethod
    def of(
        cls, model: Any, distribution: RevenueDistribution, classifier: Any, test: Split, params: Params
    ) -> HeldOutAnswers:
        budgets = test.budget
        hit_multiple, coverage = params["featurize"]["hit_multiple"], params["evaluate"]["interval_coverage"]
        outlook = distribution.outlook(predict_in_order(model, test.X), budgets, hit_multiple, coverage)
        sources = {"distribution": outlook["hit_probability"], "classifier": classifier.predict_proba(test.X)[:, 1]}
        return cls(test, outlook, sources)

    @property
    def inside(self) -> np.ndarray:
        """Which films' actual log revenue fell inside their interval."""
        return (self.split.log_revenue >= self.outlook["low"]) & (self.split.log_revenue <= self.outlook["high"])


def interval_report(answers: HeldOutAnswers, distribution: RevenueDistribution, params: Params) -> dict[str, Any]:
    """Coverage and width of the configured interval on the untouched test split."""
    outlook = answers.outlook
    return {
        "coverage": params["evaluate"]["interval_coverage"],
        "calibration_bands": list(distribution.edges),
        "calibration_films": [len(values) for values in distribution.residuals],
        "test_coverage": round(float(answers.inside.mean()), 6),
        "width_factor": round(float(np.median(np.exp(outlook["high"] - outlook["low"]))), 3),  # high / low, median
    }


def slice_report(answers: HeldOutAnswers, params: Params) -> dict[str, list[dict[str, Any]]]:
    """Per budget band and per decade of release, in order, on test: coverage, bias of the median, hit AUCs;
    per source too where extra films are among the films scored.

    ``bias`` is the mean of predicted median - actual log revenue (positive: too high).
    An AUC is None where a slice holds only hits or only flops.
    """
    test, inside = answers.split, answers.inside
    edges = params["evaluate"]["budget_bands"]
    bands = band_of(test.budget, edges)  # in the variant's dollars, as the distribution's bands
    decades = (pd.to_datetime(test.frame["release_date"]).dt.year // 10 * 10).to_numpy()
    groupings = {
        "budget": {label: bands == band for band, label in enumerate(band_labels(edges))},
        "decade": {f"{decade}s": decades == decade for decade in np.unique(decades)},
    }
    extra = is_extra(test.frame["id"])
    if extra.any():  # extra films are scored (forward in time; never in the test split): figures per source
        groupings["source"] = {TMDB: ~extra, EXTRA_FILMS: extra}
    report: dict[str, list[dict[str, Any]]] = {}
    for grouping, masks in groupings.items():
        report[grouping] = []
        for label, rows in masks.items():
            hits = test.is_hit[rows]
            two_classes = 0 < hits.sum() < len(hits)
            report[grouping].append(
                {
                    "slice": label,
                    "films": int(rows.sum()),
                    "coverage": _mean(inside[rows]),
                    "bias": _mean((answers.outlook["median"] - test.log_revenue)[rows]),
                    "hit_rate": _mean(hits),
                    **{
                        f"{name}_auc": round(float(roc_auc_score(hits, proba[rows])), 6) if two_classes else None
                        for name, proba in answers.sources.items()
                    },
                }
            )
    return report


def hit_sources_report(answers: HeldOutAnswers, params: Params) -> dict[str, Any]:
    """Both sources of hit_probability on test: the revenue distribution's and the logistic regression's.

    ``called`` is the share of films called hits at classifier.threshold; a constant
    forecast at the actual hit rate scores ``constant_brier``.
    """
    threshold, hits = params["classifier"]["threshold"], answers.split.is_hit
    rate = float(hits.mean())
    report: dict[str, Any] = {
        "hit_rate": round(rate, 6),
        "constant_brier": round(rate * (1 - rate), 6),
        "served": params["serve"]["hit_source"],
    }
    for name, proba in answers.sources.items():
        scores = classification_metrics(hits, proba, threshold)
        report[name] = {
            **{key: scores[key] for key in ("auc", "brier", "f1", "accuracy")},
            "called": round(float((proba >= threshold).mean()), 6),
        }
    return report


def _mean(values: np.ndarray) -> float | None:
    return round(float(np.mean(values)), 6) if len(values) else None


def band_labels(edges: list[float]) -> list[str]:
    """'$0-10M', '$10-40M', ..., '$100M+' for the bands of ``edges`` (dollars)."""
    names = ["0"] + [f"{edge / 1e6:g}" for edge in edges]
    return [f"${low}-{high}M" for low, high in itertools.pairwise(names)] + [f"${names[-1]}M+"]


def held_out_scores(model: Any, splits: dict[str, Split]) -> dict[str, Any]:
    """{"validation", "test": metrics} of a fitted regressor (reported only; nothing here feeds the fit)."""
    return {
        part: regression_metrics(splits[part].log_revenue, predict_in_order(model, splits[part].X))
        for part in ("validation", "test")
    }
