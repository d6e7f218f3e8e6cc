"""One predictive distribution of log revenue per film: a conformal predictive system, Mondrian by budget band.

crepes' ``ConformalPredictiveSystem`` does the conformal maths: calibrated on the served
regressor's residuals on films it was neither fitted nor selected on (the validation
split), one set of residuals per budget band, so that coverage holds within each band
and not only on average. From a film's distribution come its interval, its quantiles,
P(revenue > hit_multiple x budget) and P(revenue > budget), all from the same function,
so one answer cannot contradict itself.

crepes evaluates its distributions with a Python loop per film (about 10 us each), too
slow for a catalogue; ``RevenueDistribution`` evaluates the same step functions for whole
columns at once, and ``tests/test_distribution.py`` holds it to crepes' own numbers.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
from crepes import ConformalPredictiveSystem

QUANTILES = (10, 90)
Rows = (
    np.ndarray | slice
)  # which films of a batch a band holds  # besides the median, the percentiles every answer carries


def band_of(budgets: Any, edges: Sequence[float]) -> np.ndarray:
    """Budget band of each film: 0 below edges[0], i for edges[i-1] <= budget < edges[i], len(edges) above."""
    return np.searchsorted(np.asarray(edges, dtype=np.float64), np.asarray(budgets, dtype=np.float64), side="right")


def merged_edges(budgets: np.ndarray, edges: Sequence[float], min_films: int) -> list[float]:
    """``edges`` less those whose bands hold fewer than ``min_films`` of ``budgets``.

    The smallest short band is merged with its smaller neighbour until every band is
    large enough (or only one band is left): a conformal band needs enough films for
    its quantiles to be finite.
    """
    kept = sorted(float(edge) for edge in edges)
    while kept:
        counts = np.bincount(band_of(budgets, kept), minlength=len(kept) + 1)
        short = int(np.argmin(counts))
        if counts[short] >= min_films:
            break
        if short == 0:
            kept.pop(0)
        elif short == len(kept) or counts[short - 1] <= counts[short + 1]:
            kept.pop(short - 1)
        else:
            kept.pop(short)
    return kept


@dataclass(frozen=True)
class RevenueDistribution:
    """Conformal predictive distributions of log1p(revenue), one residual set per budget band.

    A film's distribution is its point prediction plus the residuals of its band: the
    share of ``y_hat + residuals`` at or below y, with crepes' unsmoothed convention
    (count + 1) / (n + 1).
    """

    edges: tuple[float, ...]
    residuals: tuple[np.ndarray, ...]  # per band, sorted: actual - predicted log revenue

    @classmethod
    def calibrate(
        cls, residuals: np.ndarray, budgets: np.ndarray, edges: Sequence[float], min_films: int
    ) -> RevenueDistribution:
        """From held-out residuals and those films' budgets; bands with under ``min_films`` films are merged."""
        if len(residuals) == 0:
            raise ValueError("no calibration residuals: the validation split is empty")
        kept = merged_edges(budgets, edges, min_films)
        bands = band_of(budgets, kept)
        system = ConformalPredictiveSystem().fit(np.asarray(residuals, dtype=np.float64), bins=bands)
        values, per_band = system.binned_alphas  # crepes' sorted residuals of each band
        if list(values) != list(range(len(kept) + 1)):
            raise ValueError(f"a budget band has no calibration film (bands {list(values)}, edges {kept})")
        return cls(tuple(kept), tuple(per_band))

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> RevenueDistribution:
        return cls(
            tuple(float(edge) for edge in data["edges"]),
            tuple(np.array(values, dtype=np.float64) for values in data["residuals"]),
        )

    def to_json(self) -> dict[str, Any]:
        return {"edges": list(self.edges), "residuals": [values.tolist() for values in self.residuals]}

    def conformal(self) -> ConformalPredictiveSystem:
        """crepes' system fitted on the same residuals and bands (the reference for the methods below)."""
        residuals = np.concatenate(self.residuals)
        bins = np.repeat(np.arange(len(self.residuals)), [len(values) for values in self.residuals])
        return ConformalPredictiveSystem().fit(residuals, bins=bins)

    def bands(self, budgets: Any) -> np.ndarray:
        return band_of(budgets, self.edges)

    def below(self, y_hat: np.ndarray, budgets: Any, y: np.ndarray) -> np.ndarray:
        """P(log revenue <= y) for each film: crepes' ``predict_p(y_hat, y, bins=..., smoothing=False)``."""
        return self._below(np.asarray(y_hat, dtype=np.float64), y, self._rows_by_band(budgets))

    def percentile(self, y_hat: np.ndarray, budgets: Any, percent: float, higher: bool = False) -> np.ndarray:
        """crepes' lower (or ``higher``) percentile of each film; -inf / inf where a band is too small for it."""
        return self._percentile(np.asarray(y_hat, dtype=np.float64), percent, higher, self._rows_by_band(budgets))

    def interval(self, y_hat: np.ndarray, budgets: Any, coverage: float) -> tuple[np.ndarray, np.ndarray]:
        """crepes' ``predict_int(confidence=coverage)``: lower and higher percentiles around the middle."""
        return self._interval(np.asarray(y_hat, dtype=np.float64), coverage, self._rows_by_band(budgets))

    def outlook(self, y_hat: np.ndarray, budgets: Any, hit_multiple: float, coverage: float) -> dict[str, np.ndarray]:
        """Everything an answer says about a film's revenue, in log1p dollars, from its one distribution.

        ``median`` and ``p10``/``p90`` are lower percentiles, ``low``/``high`` the interval
        at ``coverage``; ``hit_probability`` = P(revenue > hit_multiple x budget) and
        ``break_even_probability`` = P(revenue > budget). With these conventions
        hit_probability >= 0.5 exactly when the median is above the hit line.
        """
        y_hat, budgets = np.asarray(y_hat, dtype=np.float64), np.asarray(budgets, dtype=np.float64)
        rows = self._rows_by_band(budgets)  # once for all seven figures
        low, high = self._interval(y_hat, coverage, rows)
        return {
            "median": self._percentile(y_hat, 50, False, rows),
            **{f"p{q}": self._percentile(y_hat, q, False, rows) for q in QUANTILES},
            "low": low,
            "high": high,
            "hit_probability": 1 - self._below(y_hat, np.log1p(hit_multiple * budgets), rows),
            "break_even_probability": 1 - self._below(y_hat, np.log1p(budgets), rows),
        }

    def _below(self, y_hat: np.ndarray, y: Any, bands: list[tuple[int, Rows]]) -> np.ndarray:
        y = np.asarray(y, dtype=np.float64)
        if y.ndim == 0:  # one threshold for every film
            y = np.full(len(y_hat), y)
        out = np.empty(len(y_hat))
        for band, rows in bands:
            alphas = self.residuals[band]
            count = _count_at_most(y_hat[rows], alphas, y[rows])
            out[rows] = (count + 1) / (len(alphas) + 1)
        return out

    def _percentile(self, y_hat: np.ndarray, percent: float, higher: bool, bands: list[tuple[int, Rows]]) -> np.ndarray:
        out = np.empty(len(y_hat))
        for band, rows in bands:
            alphas = self.residuals[band]
            n = len(alphas)
            # The same expressions as crepes' ConformalPredictiveSystem.predict.
            index = math.ceil(percent / 100 * (n + 1)) - 1 if higher else int(percent / 100 * (n + 1)) - 1
            if index < 0:
                out[rows] = -np.inf
            elif index > n - 1:
                out[rows] = np.inf
            else:
                out[rows] = y_hat[rows] + alphas[index]
        return out

    def _interval(
        self, y_hat: np.ndarray, coverage: float, bands: list[tuple[int, Rows]]
    ) -> tuple[np.ndarray, np.ndarray]:
        low = self._percentile(y_hat, (1 - coverage) / 2 * 100, False, bands)
        high = self._percentile(y_hat, (coverage + (1 - coverage) / 2) * 100, True, bands)
        return low, high

    def _rows_by_band(self, budgets: Any) -> list[tuple[int, Rows]]:
        """Each band present and its films' rows; ``slice(None)`` when every film is in one band (a request)."""
        bands = self.bands(budgets)
        if len(bands) == 0 or (bands == bands[0]).all():
            return [(int(bands[0]), slice(None))] if len(bands) else []
        return [(int(band), np.flatnonzero(bands == band)) for band in np.unique(bands)]


def shift_prior(probability: np.ndarray, from_rate: float, to_rate: float) -> np.ndarray:
    """P(hit) re-weighted from a population with hit rate ``from_rate`` to one with ``to_rate``.

    Prior-shift correction: a film's odds are multiplied by the ratio of the two
    populations' odds, which keeps how hits and flops look (the likelihoods) and changes
    only how common hits are. Rankings do not change, so AUC does not either.
    """
    factor = (to_rate / (1 - to_rate)) / (from_rate / (1 - from_rate))
    odds = np.asarray(probability, dtype=np.float64) * factor
    return odds / (odds + (1 - np.asarray(probability, dtype=np.float64)))


def _count_at_most(y_hat: np.ndarray, alphas: np.ndarray, y: np.ndarray) -> np.ndarray:
    """For each film, how many of ``y_hat + alphas`` are <= y, computed as crepes computes each sum.

    ``alphas`` is sorted, so ``y_hat + alphas`` is too (rounding is monotone): a binary
    search on ``y - y_hat`` lands within a step or two of the count, and the loop moves it
    until the sums themselves agree.
    """
    n = len(alphas)
    count = np.searchsorted(alphas, y - y_hat, side="right")
    while True:
        up = (count < n) & (y_hat + alphas[np.minimum(count, n - 1)] <= y)
        down = (count > 0) & (y_hat + alphas[np.maximum(count - 1, 0)] > y)
        if not (up.any() or down.any()):
            return count
        count = count + up - down
