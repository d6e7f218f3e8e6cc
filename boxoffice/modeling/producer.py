"""The producer's result: what the box office leaves once cinemas, the budget and marketing are paid.

The data's revenue is the worldwide gross, what cinemas take. The distributor (the
studio) keeps a share of it, and spends on prints and advertising (P&A, marketing) on top
of the production budget. So, per film,

    result = revenue x distributor_share - budget - p_and_a

an increasing function of revenue: its quantiles are the revenue distribution's quantiles
pushed through it, and P(result > 0) = P(revenue > (budget + p_and_a) / distributor_share).
Home video, television and streaming income are not in it (nor in the data).

Defaults, both changeable per request: half the gross comes back to the distributor
(``DEFAULT_SHARE``) and P&A is half the production budget (``DEFAULT_P_AND_A_MULTIPLE``);
sources in the documentation page on names and warnings. With them a film needs three
times its budget in gross to break even, where the answer's ``break_even_probability``
counts only the budget.
"""

from __future__ import annotations

from typing import Any

import numpy as np

DEFAULT_SHARE = 0.5
DEFAULT_P_AND_A_MULTIPLE = 0.5


def terms(
    budget: Any, share: Any = None, p_and_a: Any = None, p_and_a_multiple: Any = None
) -> tuple[np.ndarray, np.ndarray]:
    """Each film's (distributor share, P&A in dollars): the request's, or the defaults where it gives none.

    ``share``, ``p_and_a`` (dollars) and ``p_and_a_multiple`` (of the budget) are per-film
    columns or None; a missing value (None or NaN) takes the default. A film giving both P&A
    forms uses the dollars.
    """
    budget = np.asarray(budget, dtype=np.float64)
    n = len(budget)
    given_share = _numbers(share, n)
    dollars, multiple = _numbers(p_and_a, n), _numbers(p_and_a_multiple, n)
    multiple = np.where(np.isnan(multiple), DEFAULT_P_AND_A_MULTIPLE, multiple)
    return (
        np.where(np.isnan(given_share), DEFAULT_SHARE, given_share),
        np.where(np.isnan(dollars), multiple * budget, dollars),
    )


def result(revenue: np.ndarray, budget: np.ndarray, share: np.ndarray, p_and_a: np.ndarray) -> np.ndarray:
    """revenue x share - budget - P&A, elementwise (revenue may be (films, levels) with the others per film)."""
    revenue = np.asarray(revenue, dtype=np.float64)
    column = (slice(None), None) if revenue.ndim == 2 else slice(None)
    return revenue * share[column] - budget[column] - p_and_a[column]


def break_even_revenue(budget: np.ndarray, share: np.ndarray, p_and_a: np.ndarray) -> np.ndarray:
    """The gross at which the result is 0: (budget + P&A) / share."""
    return (budget + p_and_a) / share


def _numbers(values: Any, n: int) -> np.ndarray:
    if values is None:
        return np.full(n, np.nan)
    cells = np.asarray(values, dtype=object).tolist()
    return np.array([np.nan if value is None else value for value in cells], dtype=np.float64)
