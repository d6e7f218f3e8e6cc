"""An explanation in a producer's words: each fact about the film, and its effect as a factor on revenue.

The explainers (``boxoffice.modeling.explain``) credit each model input with a part of the
predicted log revenue: raw names in log units ("real_log_budget +1.5"). A person reads
facts ("Budget, in 2016 dollars") and factors ("x4.5"). Here the inputs that state one
fact are grouped (a director's earlier films, their mean revenue and mean return are one
fact: "Director's earlier films"), each group is labelled from the film's own values
("Not a drama" for a film whose drama flag is 0), and its contributions' sum c becomes
the factor exp(c): the model's revenue (strictly 1 + revenue, which differs only for
films earning a few dollars) is multiplied by it. The raw names stay with each effect.
"""

from __future__ import annotations

import calendar
from collections.abc import Sequence
from typing import Any

import numpy as np

# Track-record inputs: <role>_<stat>; one fact per role.
ROLES = {
    "director": "Director's earlier films",
    "cast": "Lead cast's earlier films",
    "company": "Companies' earlier films",
}
STATS = ("films", "log_revenue", "log_roi")
ONE_FACT = {  # inputs that state the same fact as another
    "log_popularity": "popularity",
    "log_vote_count": "vote_count",
}


def fact_of(feature: str) -> str:
    """The fact an input states: its own name, or the fact it shares (``director_films`` -> ``director``)."""
    for role in ROLES:
        if feature.startswith(f"{role}_") and feature[len(role) + 1 :] in STATS:
            return role
    return ONE_FACT.get(feature, feature)


def label(fact: str, values: dict[str, float], base_year: int | None, last_year: int | None = None) -> str:
    """The fact in words, from the film's values of its inputs.

    ``last_year``: the data's newest year when the models are flat beyond it (tree ensembles): a later
    release year is said to be read as the data's last years, so that its factor is not taken for that
    year's own (2027 and 2099 get the same one).
    """
    if fact in ROLES:
        films = values.get(f"{fact}_films", 0.0)
        return ROLES[fact] + (f" ({films:g} before this one)" if films else " (none in the data before this one)")
    value = next(iter(values.values()))
    if fact.startswith("genre_") or fact.startswith("keyword_"):
        kind, name = fact.split("_", 1)
        name = name.replace("_", " ")
        if kind == "genre":
            return name.capitalize() if value else f"Not {_article(name)} {name}"
        return f"Keyword '{name}'" if value else f"No keyword '{name}'"
    fixed = {
        "log_budget": "Budget",
        "real_log_budget": f"Budget, in {base_year} dollars",
        "runtime": f"Runtime ({value:g} minutes)",
        "release_year": f"Release year ({value:.0f})"
        if last_year is None or value <= last_year
        else f"Release year ({value:.0f}, read as the data's last years)",
        "release_month": f"Released in {calendar.month_name[int(value)]}" if 1 <= value <= 12 else "Release month",
        "is_english": "In English" if value else "Not in English",
        "n_companies": f"Number of production companies ({value:g})",
        "major_studio": "A major studio among the companies" if value else "No major studio among the companies",
        "popularity": "TMDB popularity",
        "vote_avg": f"Average vote ({value:g})",
        "vote_count": "Number of votes",
    }
    return fixed.get(fact, fact.replace("_", " ").capitalize())


def effects(
    features: Sequence[str],
    values: np.ndarray,
    contributions: np.ndarray,
    base_year: int | None = None,
    last_year: int | None = None,
) -> list[dict[str, Any]]:
    """One film's effects, largest first: label, factor (exp of the group's contribution), and the raw inputs.

    ``values`` and ``contributions``: the film's model inputs and their contributions, in
    ``features`` order. Ties in size keep the order of ``features``. ``last_year``: see ``label``.
    """
    groups: dict[str, list[int]] = {}
    for j, feature in enumerate(features):
        groups.setdefault(fact_of(feature), []).append(j)
    totals = {fact: float(sum(float(contributions[j]) for j in columns)) for fact, columns in groups.items()}
    order = sorted(groups, key=lambda fact: -abs(totals[fact]))  # stable: ties keep the order of features
    return [
        {
            "label": label(fact, {features[j]: float(values[j]) for j in groups[fact]}, base_year, last_year),
            "factor": float(f"{np.exp(totals[fact]):.4g}"),  # 4 figures: a $90 budget's x0.00001379 is not x0
            "contribution": totals[fact],
            "features": [features[j] for j in groups[fact]],
        }
        for fact in order
    ]


def in_dollars(explanation: dict[str, Any], base_year: int | None, factor: float | None = None) -> dict[str, Any]:
    """The explanation with its start and end as revenue: what a reader multiplies the factors into.

    ``base_revenue`` (the typical film's forecast, before any fact) times every effect's
    factor is ``revenue`` (strictly 1 + each); both in ``base_year`` dollars when the models
    work in constant dollars (``dollars_of``), else in the film's release-year dollars (None).
    ``factor``: constant dollars per dollar of the answer (None: the same dollars), so that
    ``revenue_in_answer_dollars`` sits beside the answer's median in the median's own dollars.
    """
    revenue = float(np.expm1(explanation["log_revenue"]))
    return {
        **explanation,
        "base_revenue": float(np.expm1(explanation["base_value"])),
        "revenue": revenue,
        "dollars_of": base_year,
        "revenue_in_answer_dollars": revenue if factor is None else revenue / factor,
    }


def _article(name: str) -> str:
    return "an" if name[:1] in "aeiou" else "a"
