"""Why a comp was picked, in the terms a person picks comps by, and the constraints a request may set.

The model picks comps by how alike it sees two films (``boxoffice.modeling.comps``). A
person reads them by what they share: genres, a budget band (in constant dollars, so a
1985 film and a 2015 one are compared at equal prices), how many years apart they were
released, and their director, cast, companies and keywords. Each comp carries those
reasons; a request can also keep only comps that share a genre, were released within N
years, or sit in the same budget band. A film is never its own comp: a candidate with
the same title (folded as names are) released within a year of the asked date is left out.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import numpy as np

from boxoffice.data.raw import LIST_SEPARATOR
from boxoffice.features.names import fold
from boxoffice.features.transforms import day_numbers

# Request field -> the key its shared names have in a comp's reasons.
SHARED = {
    "genres": "genres",
    "directors": "directors",
    "cast": "cast",
    "production_companies": "companies",
    "keywords": "keywords",
}
SAME_FILM_DAYS = 366  # the same title within this many days of the asked date is the film itself
DAYS_A_YEAR = 365.25


@dataclass(frozen=True)
class CompRules:
    """The constraints a request may put on its comps (all off by default)."""

    share_genre: bool = False
    within_years: int | None = None
    same_budget_band: bool = False


@dataclass(frozen=True)
class Described:
    """Films as a person compares them: name sets per field, release day, budget band, folded title."""

    names: dict[str, list[frozenset[str]]]  # request field -> one set per film
    days: np.ndarray | None  # release day (days since 1970), None when the films have no date
    bands: np.ndarray  # budget band of each film (``distribution.band_of`` on constant-dollar budgets)
    titles: list[str]  # folded; '' when unknown

    @classmethod
    def of(cls, columns: Mapping[str, Any], bands: np.ndarray) -> Described:
        """From columns as the feature code takes them ('|'-joined names, ISO dates); absent ones are empty."""
        n = len(bands)
        empty: list[frozenset[str]] = [frozenset()] * n
        names = {field: _sets(columns[field], field == "keywords") if field in columns else empty for field in SHARED}
        days = day_numbers(columns["release_date"]) if "release_date" in columns else None
        titles = [fold(str(title)) if title is not None else "" for title in columns.get("title", [None] * n)]
        return cls(names, days, np.asarray(bands), titles)

    def allowed(self, asked: Described, i: int, rules: CompRules) -> np.ndarray:
        """Which of these (candidate) films may be asked film ``i``'s comps under ``rules``; never the film itself."""
        keep = np.ones(len(self.bands), dtype=bool)
        apart = self._days_apart(asked, i)
        if asked.titles[i] and apart is not None:
            keep &= ~((np.array(self.titles) == asked.titles[i]) & (apart <= SAME_FILM_DAYS))
        if rules.share_genre:
            genres = asked.names["genres"][i]
            keep &= np.fromiter((bool(genres & own) for own in self.names["genres"]), dtype=bool, count=len(keep))
        if rules.within_years is not None and apart is not None:
            keep &= apart <= rules.within_years * DAYS_A_YEAR
        if rules.same_budget_band:
            keep &= self.bands == asked.bands[i]
        return keep

    def reasons(self, j: int, asked: Described, i: int) -> dict[str, Any]:
        """Why candidate ``j`` is a comp of asked film ``i``: what they share, budget band, years apart."""
        apart = None
        if self.days is not None and asked.days is not None:
            apart = round(abs(float(asked.days[i] - self.days[j])) / DAYS_A_YEAR, 1)
        shared = {key: sorted(asked.names[field][i] & self.names[field][j]) for field, key in SHARED.items()}
        return {
            "same_budget_band": bool(self.bands[j] == asked.bands[i]),
            "years_apart": apart,
            **{f"shared_{key}": names for key, names in shared.items()},
        }

    def _days_apart(self, asked: Described, i: int) -> np.ndarray | None:
        if self.days is None or asked.days is None:
            return None
        return np.abs(self.days - asked.days[i])


def _sets(values: Any, lower: bool) -> list[frozenset[str]]:
    """'|'-joined names as sets (keywords lower case: TMDB's are, a request's may not be)."""
    texts = (str(value).lower() if lower else str(value) for value in values)
    return [frozenset(text.split(LIST_SEPARATOR)) - {""} for text in texts]
