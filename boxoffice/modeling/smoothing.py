"""A regressor's answer averaged over a film's neighbourhood in budget and release month.

Why: a tree ensemble is a step function of each feature. When many of its trees split the
budget (or the month) near one value, a what-if curve jumps there: a slightly larger budget
can multiply the forecast although no film in the data says the value matters that much.
Averaging the answer over nearby budgets (a fixed spread of log offsets, equal weights) and
the neighbouring months (December and January are neighbours) turns each step into a ramp.

The average is the model's prediction everywhere (``Smoothed.predict``): its cross-validation,
its calibration residuals, its held-out and forward figures are all of the smoothed answer,
so they say honestly what the smoothing costs or gains. Its settings are params.yaml keys
of a model (``SMOOTHING``), fixed, never a grid.
"""

from __future__ import annotations

import inspect
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import cached_property
from typing import Any, cast

import numpy as np
from sklearn.base import BaseEstimator, RegressorMixin, clone

Predict = Callable[[np.ndarray], np.ndarray]
Explain = Callable[[np.ndarray], tuple[np.ndarray, np.ndarray]]
BUDGET_FEATURES = ("real_log_budget", "log_budget")  # log1p(budget), whichever dollars the variant uses
MONTH_FEATURE = "release_month"
# params.yaml key of a model -> Smoothed's parameter.
SMOOTHING = {"smooth_budget": "budget_width", "smooth_budget_points": "budget_points", "smooth_month": "month_weight"}


@dataclass(frozen=True)
class Neighbourhood:
    """The films an answer is averaged over: each row's budget times exp(offset), its month +-1.

    ``budget_width``: the largest log offset (0: the budget as given); ``budget_points``
    offsets evenly from -width to +width. ``month_weight``: the weight of each neighbouring
    month (the month itself keeps 1 - 2 x weight; 0: the month as given).
    """

    budget_column: int | None
    month_column: int | None
    budget_width: float = 0.0
    budget_points: int = 5
    month_weight: float = 0.0

    def __post_init__(self) -> None:
        if self.budget_width < 0 or self.budget_points < 1:
            raise ValueError("smooth_budget must be >= 0 and smooth_budget_points >= 1")
        if not 0 <= self.month_weight <= 1 / 3:
            raise ValueError("smooth_month must be between 0 and 1/3 (the month itself keeps 1 - 2 x it)")

    @classmethod
    def of(cls, features: Sequence[str], budget_width: float, budget_points: int, month_weight: float) -> Neighbourhood:
        """For a feature set: the smoothing of a feature the set lacks is off."""
        budget = next((features.index(name) for name in BUDGET_FEATURES if name in features), None)
        month = features.index(MONTH_FEATURE) if MONTH_FEATURE in features else None
        return cls(budget, month, budget_width, budget_points, month_weight)

    @cached_property
    def _offsets(self) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """(log budget offset, month offset, weight) of each neighbour, weights summing to 1."""
        smooth_budget = self.budget_column is not None and self.budget_width > 0
        budget = np.linspace(-self.budget_width, self.budget_width, self.budget_points) if smooth_budget else [0.0]
        smooth_month = self.month_column is not None and self.month_weight > 0
        w = self.month_weight
        months = [(-1, w), (0, 1 - 2 * w), (1, w)] if smooth_month else [(0, 1.0)]
        rows = [(b, m, weight / len(budget)) for b in budget for m, weight in months]
        return tuple(np.array(column, dtype=np.float64) for column in zip(*rows, strict=True))  # type: ignore[return-value]

    @property
    def size(self) -> int:
        return len(self._offsets[2])

    @cached_property
    def _shifts(self) -> tuple[np.ndarray | None, np.ndarray | None]:
        """(budget factor, month offset) of each neighbour; None for a feature left as given."""
        budget, month, _ = self._offsets
        smooth_budget = self.budget_column is not None and budget.any()
        smooth_month = self.month_column is not None and month.any()
        return (np.exp(budget) if smooth_budget else None), (month if smooth_month else None)

    def spread(self, X: np.ndarray) -> np.ndarray:
        """Each row's neighbours, ``size`` consecutive rows per row of ``X``."""
        budget, month = self._shifts
        rows = np.repeat(np.asarray(X, dtype=np.float64), self.size, axis=0)
        if budget is not None:
            column = rows[:, self.budget_column].reshape(len(X), self.size)
            rows[:, self.budget_column] = np.log1p(np.expm1(column) * budget).ravel()
        if month is not None:
            column = rows[:, self.month_column].reshape(len(X), self.size)
            rows[:, self.month_column] = ((column - 1 + month) % 12 + 1).ravel()
        return rows

    def average(self, values: np.ndarray) -> np.ndarray:
        """Each row's weighted mean over its neighbours (``values``: per ``spread`` row, trailing axes kept).

        Summed neighbour by neighbour, in one order for every row, so a film's answer is the same
        to the last bit whether it is asked alone or in a batch (a matrix product's rounding
        depends on the batch's shape: the file scorer and the service would disagree).
        """
        grouped = np.asarray(values, dtype=np.float64).reshape(-1, self.size, *np.shape(values)[1:])
        weighted = grouped * self._offsets[2].reshape(self.size, *[1] * (grouped.ndim - 2))
        # accumulate adds strictly in order (a sum may add pairwise): neighbour 0, then 1, ...
        return np.add.accumulate(weighted, axis=1)[:, -1]

    def smoothed(self, predict: Predict) -> Predict:
        """``predict`` averaged over each row's neighbourhood (itself when there is nothing to average).

        A ``predict`` that takes ``group`` (the tree kernels' fast paths) is told that each
        ``size`` rows are one film's neighbours, which differ only in budget and month.
        """
        if self.size == 1:
            return predict
        if _takes_group(predict):
            grouped = cast("Callable[..., np.ndarray]", predict)
            return lambda X: self.average(grouped(self.spread(X), group=self.size))
        return lambda X: self.average(predict(self.spread(X)))

    def explained(self, explain: Explain) -> Explain:
        """``explain`` averaged the same way: base and contributions still add up to the smoothed prediction."""
        if self.size == 1:
            return explain

        def averaged(X: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
            base, contributions = explain(self.spread(X))
            return self.average(base), self.average(contributions)

        return averaged


class Smoothed(RegressorMixin, BaseEstimator):
    """``estimator`` fitted as it is, its predictions averaged over each film's ``Neighbourhood``.

    ``features``: the names of X's columns (to find the budget and the month).
    """

    def __init__(
        self,
        estimator: Any,
        features: tuple[str, ...] = (),
        budget_width: float = 0.0,
        budget_points: int = 5,
        month_weight: float = 0.0,
    ) -> None:
        self.estimator = estimator
        self.features = features
        self.budget_width = budget_width
        self.budget_points = budget_points
        self.month_weight = month_weight

    @property
    def neighbourhood(self) -> Neighbourhood:
        return Neighbourhood.of(list(self.features), self.budget_width, self.budget_points, self.month_weight)

    def fit(self, X: np.ndarray, y: np.ndarray) -> Smoothed:
        self.neighbourhood  # noqa: B018 - settings checked before the (long) fit
        self.estimator_ = clone(self.estimator).fit(X, y)
        self.n_features_in_ = self.estimator_.n_features_in_
        return self

    def predict(self, X: np.ndarray) -> np.ndarray:
        return self.neighbourhood.smoothed(self.estimator_.predict)(X)


def _takes_group(predict: Predict) -> bool:
    try:
        return "group" in inspect.signature(predict).parameters
    except (TypeError, ValueError):  # a callable without a signature Python can read
        return False


def unwrapped(model: Any) -> Any:
    """The model a ``Smoothed`` averages (fitted once it is), ``model`` itself otherwise."""
    if isinstance(model, Smoothed):
        return getattr(model, "estimator_", model.estimator)
    return model


def settings_of(model: Any) -> dict[str, Any]:
    """A model's params under their params.yaml keys: a ``Smoothed``'s own type's, and its smoothing keys."""
    if not isinstance(model, Smoothed):
        return dict(model.get_params())
    smoothing = {key: getattr(model, name) for key, name in SMOOTHING.items()}
    return {**model.estimator.get_params(), **smoothing}


def smoothing_of(point: dict[str, Any]) -> tuple[dict[str, Any], dict[str, Any]]:
    """A model's params split into (its own, ``Smoothed``'s by their parameter names)."""
    own = {key: value for key, value in point.items() if key not in SMOOTHING}
    return own, {SMOOTHING[key]: value for key, value in point.items() if key in SMOOTHING}
