"""One predictive distribution of log revenue per film: a conformal predictive system, Mondrian by budget band.

crepes' ``ConformalPredictiveSystem`` does the conformal maths: calibrated on the served
regressor's residuals on films it was neither fitted nor selected on (the validation
split), one set of residuals per budget band, so that coverage holds within each band
and not only on average. From a film's distribution come its interval, its quantiles,
P(revenue > hit_multiple x budget) and P(revenue > budget), all from the same function,
so one answer cannot contradict itself.

crepes evaluates its distributions with a Python loop per film, too slow for a
catalogue; ``RevenueDistribution`` evaluates the same step functions for whole
columns at once: percentiles as one table look-up per film, probabilities by a compiled
binary search (numba; numpy's per-call cost was most of a single request's work here).
``tests/modeling/test_distribution.py`` holds every figure to crepes' own numbers.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
from crepes import ConformalPredictiveSystem
from numba import njit

QUANTILES = (10, 90)  # besides the median, the percentiles every answer carries
# What ``outlook`` says about a film: five levels of log revenue, then two probabilities.
OUTLOOK = ("median", *(f"p{q}" for q in QUANTILES), "low", "high", "hit_probability", "break_even_probability")
LEVELS = len(OUTLOOK) - 2


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
    # Derived in __post_init__ for the compiled loops: every band's residuals end to end, where
    # each band starts (and, past the last, ends), the edges as an array; and look-up tables
    # kept per (percent, higher) and per coverage as they are first asked for.
    _alphas: np.ndarray = field(init=False, repr=False, compare=False)
    _starts: np.ndarray = field(init=False, repr=False, compare=False)
    _edges: np.ndarray = field(init=False, repr=False, compare=False)
    _steps: dict[tuple[float, bool], np.ndarray] = field(init=False, repr=False, compare=False)
    _tables: dict[float, np.ndarray] = field(init=False, repr=False, compare=False)

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

    def __post_init__(self) -> None:
        sizes = [len(values) for values in self.residuals]
        object.__setattr__(self, "_alphas", np.concatenate(self.residuals) if self.residuals else np.zeros(0))
        object.__setattr__(self, "_starts", np.concatenate([[0], np.cumsum(sizes)]).astype(np.int64))
        object.__setattr__(self, "_edges", np.asarray(self.edges, dtype=np.float64))
        object.__setattr__(self, "_steps", {})
        object.__setattr__(self, "_tables", {})

    def bands(self, budgets: Any) -> np.ndarray:
        return band_of(budgets, self.edges)

    def below(self, y_hat: np.ndarray, budgets: Any, y: np.ndarray) -> np.ndarray:
        """P(log revenue <= y) for each film: crepes' ``predict_p(y_hat, y, bins=..., smoothing=False)``."""
        y_hat = np.asarray(y_hat, dtype=np.float64)
        lines = np.broadcast_to(np.asarray(y, dtype=np.float64), y_hat.shape)[:, None]
        return self._below(y_hat, self.bands(budgets), lines)[:, 0]

    def percentile(self, y_hat: np.ndarray, budgets: Any, percent: float, higher: bool = False) -> np.ndarray:
        """crepes' lower (or ``higher``) percentile of each film; -inf / inf where a band is too small for it."""
        return np.asarray(y_hat, dtype=np.float64) + self._step(percent, higher)[self.bands(budgets)]

    def interval(self, y_hat: np.ndarray, budgets: Any, coverage: float) -> tuple[np.ndarray, np.ndarray]:
        """crepes' ``predict_int(confidence=coverage)``: lower and higher percentiles around the middle."""
        ends = np.asarray(y_hat, dtype=np.float64)[:, None] + self._interval_steps(coverage)[self.bands(budgets)]
        return ends[:, 0], ends[:, 1]

    def outlook(self, y_hat: np.ndarray, budgets: Any, hit_multiple: float, coverage: float) -> dict[str, np.ndarray]:
        """Everything an answer says about a film's revenue, in log1p dollars, from its one distribution.

        ``median`` and ``p10``/``p90`` are lower percentiles, ``low``/``high`` the interval
        at ``coverage``; ``hit_probability`` = P(revenue > hit_multiple x budget) and
        ``break_even_probability`` = P(revenue > budget). With these conventions
        hit_probability >= 0.5 exactly when the median is above the hit line.
        """
        table = self.outlook_table(y_hat, budgets, hit_multiple, coverage)
        return {name: table[:, j] for j, name in enumerate(OUTLOOK)}

    def outlook_table(
        self, y_hat: np.ndarray, budgets: Any, hit_multiple: float, coverage: float, above: np.ndarray | None = None
    ) -> np.ndarray:
        """``outlook`` as one (films, 7) array, columns in ``OUTLOOK`` order: one compiled call per batch.

        ``above``: more revenue lines (dollars, one column each); P(revenue > line) for each is
        appended as a column, as ``1 - below`` gives it, from the same band search.
        """
        y_hat, budgets = np.asarray(y_hat, dtype=np.float64), np.asarray(budgets, dtype=np.float64)
        more = 0 if above is None else above.shape[1]
        lines = np.empty((len(budgets), 2))
        lines[:, 0], lines[:, 1] = hit_multiple * budgets, budgets
        logged = np.empty((len(budgets), 2 + more))  # log1p in numpy, as everywhere else in the project
        logged[:, :2] = np.log1p(lines)
        if above is not None:
            logged[:, 2:] = np.log1p(np.asarray(above, dtype=np.float64))
        table = np.empty((len(budgets), len(OUTLOOK) + more))
        steps = self._outlook_steps(coverage)
        _outlook(y_hat, budgets, logged, self._edges, steps, self._starts, self._alphas, table)
        return table

    def _below(self, y_hat: np.ndarray, bands: np.ndarray, lines: np.ndarray) -> np.ndarray:
        """P(log revenue <= lines[i, j]) for film i, crepes' (count + 1) / (n + 1) in its band."""
        counts = np.empty(lines.shape, dtype=np.int64)
        _count_at_most(y_hat, bands, np.ascontiguousarray(lines), self._starts, self._alphas, counts)
        return (counts + 1) / (np.diff(self._starts)[bands] + 1)[:, None]

    def _step(self, percent: float, higher: bool) -> np.ndarray:
        """Each band's residual at crepes' lower (or higher) ``percent`` percentile; -inf / inf off either end."""
        key = (percent, higher)
        if key not in self._steps:
            steps = []
            for alphas in self.residuals:
                n = len(alphas)
                # The same expressions as crepes' ConformalPredictiveSystem.predict.
                index = math.ceil(percent / 100 * (n + 1)) - 1 if higher else int(percent / 100 * (n + 1)) - 1
                steps.append(-np.inf if index < 0 else np.inf if index > n - 1 else alphas[index])
            self._steps[key] = np.array(steps, dtype=np.float64)
        return self._steps[key]

    def _interval_steps(self, coverage: float) -> np.ndarray:
        return np.column_stack(
            [self._step((1 - coverage) / 2 * 100, False), self._step((coverage + (1 - coverage) / 2) * 100, True)]
        )

    def _outlook_steps(self, coverage: float) -> np.ndarray:
        """Each band's steps for OUTLOOK's five levels (median, QUANTILES, low, high), one row per band."""
        if coverage not in self._tables:
            lower = [self._step(percent, False) for percent in (50, *QUANTILES)]
            self._tables[coverage] = np.column_stack([*lower, self._interval_steps(coverage)])
        return self._tables[coverage]


def shift_prior(probability: np.ndarray, from_rate: float, to_rate: float) -> np.ndarray:
    """P(hit) re-weighted from a population with hit rate ``from_rate`` to one with ``to_rate``.

    Prior-shift correction: a film's odds are multiplied by the ratio of the two
    populations' odds, which keeps how hits and flops look (the likelihoods) and changes
    only how common hits are. Rankings do not change, so AUC does not either.
    """
    factor = (to_rate / (1 - to_rate)) / (from_rate / (1 - from_rate))
    odds = np.asarray(probability, dtype=np.float64) * factor
    return odds / (odds + (1 - np.asarray(probability, dtype=np.float64)))


@njit(cache=True, nogil=True, boundscheck=False)
def _count_at_most(
    y_hat: np.ndarray, bands: np.ndarray, lines: np.ndarray, starts: np.ndarray, alphas: np.ndarray, out: np.ndarray
) -> None:  # pragma: no cover - compiled; tests call it through RevenueDistribution
    """out[i, j]: how many of film i's ``y_hat + alphas`` (its band's) are <= lines[i, j], as crepes counts."""
    for i in range(y_hat.shape[0]):
        for j in range(lines.shape[1]):
            out[i, j] = _count(y_hat[i], alphas, starts[bands[i]], starts[bands[i] + 1], lines[i, j])


@njit(cache=True, nogil=True, boundscheck=False)
def _count(y_hat: float, alphas: np.ndarray, first: int, end: int, line: float) -> int:  # pragma: no cover
    """How many of ``y_hat + alphas[first:end]`` are <= line, each sum computed as crepes computes it.

    The band's ``alphas`` are sorted, so the sums are too (rounding is monotone) and a
    binary search on the sums themselves is exact.
    """
    low, high = first, end
    while low < high:
        middle = (low + high) // 2
        if y_hat + alphas[middle] <= line:
            low = middle + 1
        else:
            high = middle
    return low - first


@njit(cache=True, nogil=True, boundscheck=False)
def _outlook(
    y_hat: np.ndarray,
    budgets: np.ndarray,
    lines: np.ndarray,
    edges: np.ndarray,
    steps: np.ndarray,
    starts: np.ndarray,
    alphas: np.ndarray,
    out: np.ndarray,
) -> None:  # pragma: no cover - compiled; tests call it through RevenueDistribution
    """Each film's band (``band_of``), its levels (y_hat + step) and 1 - P(log revenue <= line) per line."""
    for i in range(y_hat.shape[0]):
        band = 0
        while band < edges.shape[0] and edges[band] <= budgets[i]:
            band += 1
        for j in range(steps.shape[1]):
            out[i, j] = y_hat[i] + steps[band, j]
        first, end = starts[band], starts[band + 1]
        for j in range(lines.shape[1]):  # 1 - crepes' (count + 1) / (n + 1)
            out[i, steps.shape[1] + j] = 1 - (_count(y_hat[i], alphas, first, end, lines[i, j]) + 1) / (end - first + 1)
