"""The data's limits, and the warnings a pre-release request earns by going past them.

A request the service accepts is answered, however surprising (the seed's callers keep
working); these warnings say with the answer where it leaves what the models learned
from: a release date after the newest film or before the oldest, a budget or runtime
outside the data's, a language no film of the data is in, and every name read as
unknown or as an ambiguous spelling (``boxoffice.features.names``).

The limits are those of the films with known revenue the pre-release models and their
track record were built from (``DataLimits.of``); budgets are compared in constant
dollars, as the models see them.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from boxoffice.data.dollars import cpi_u
from boxoffice.features.names import Reading

# The share of the data's films a budget may fall below before it is called small: the data keeps
# a few placeholder budgets ($1, $7) that make its smallest budget meaningless as a limit.
LOW_BUDGET_SHARE = 0.01
FIELD_NAMES = {
    "directors": "director",
    "cast": "cast member",
    "production_companies": "company",
    "keywords": "keyword",
    "genres": "genre",
}


@dataclass(frozen=True, slots=True)
class Warning:  # the answer's own word; the builtin is never used here
    """One thing a person should know about an answer; serialised as it is into answers."""

    code: str  # stable, for programs: see WARNING_CODES
    field: str  # the request field it concerns
    message: str  # for people
    name: str | None = None  # the name as typed, when the warning is about one name


WARNING_CODES = {
    "date_after_data": "the release date is after the newest film in the data",
    "date_before_data": "the release date is before the oldest film in the data",
    "budget_below_data": "the budget is below all but LOW_BUDGET_SHARE of the data's films' (constant dollars)",
    "budget_above_data": "the budget is above every film's in the data (constant dollars)",
    "runtime_outside_data": "the runtime is outside the data's films' runtimes",
    "language_not_in_data": "no film in the data is in this original language",
    "unknown_name": "a name the data does not have: read as a name with no earlier film",
    "not_read_name": "a keyword or genre the models have no flag for: it does not change the forecast",
    "ambiguous_name": "a spelling several known names share: read as the one with the most films",
    "larger_namesake": "a known name with few films where one with many times more folds alike or carries its "
    "every word: read as typed, the larger ones suggested",
}


REMEMBERED_WARNINGS = 10_000  # name warnings DataLimits keeps written
# Years past the latest consumer prices beyond which a release date is asked about (a slate is
# rarely dated further ahead; 2099 is more likely a typing slip than a plan).
FAR_AHEAD = 10


@dataclass(frozen=True)
class DataLimits:
    """Ranges of the films the pre-release models learned from (their track record's films)."""

    first_date: str
    last_date: str
    real_budget: tuple[float, float, float]  # smallest, LOW_BUDGET_SHARE quantile, largest; cpi_base_year dollars
    runtime: tuple[float, float]
    languages: frozenset[str]
    cpi_base_year: int
    trees: bool  # the served model is a tree ensemble (flat beyond what it learned), else it extends a trend
    # smallest, LOW_BUDGET_SHARE quantile; cpi_base_year dollars (what a recorded actual result is checked against)
    real_revenue: tuple[float, float] | None = None
    _said: dict[Reading, Warning] = field(default_factory=dict, init=False, repr=False, compare=False)

    @classmethod
    def of(
        cls,
        films: Mapping[str, Any],
        real_budget: np.ndarray,
        cpi_base_year: int,
        trees: bool,
        real_revenue: np.ndarray | None = None,
    ) -> DataLimits:
        """From a table of films (release_date, runtime, original_language), their budgets in constant dollars
        and, where known, their revenues in constant dollars."""
        dates = sorted(str(date) for date in films["release_date"])
        runtime = np.asarray(films["runtime"], dtype=np.float64)
        runtime = runtime[runtime > 0]  # 0 is the data's "unknown runtime"
        budget = np.asarray(real_budget, dtype=np.float64)
        revenue = None if real_revenue is None else np.asarray(real_revenue, dtype=np.float64)
        return cls(
            first_date=dates[0],
            last_date=dates[-1],
            real_budget=(float(budget.min()), float(np.quantile(budget, LOW_BUDGET_SHARE)), float(budget.max())),
            runtime=(float(runtime.min()), float(runtime.max())),
            languages=frozenset(str(language) for language in films["original_language"]),
            cpi_base_year=cpi_base_year,
            trees=trees,
            real_revenue=None
            if revenue is None
            else (float(revenue.min()), float(np.quantile(revenue, LOW_BUDGET_SHARE))),
        )

    def describe(self) -> dict[str, Any]:
        """The limits as /model and /forecast/context state them."""
        smallest, low, largest = self.real_budget
        revenue = {}
        if self.real_revenue is not None:
            lowest, low_revenue = self.real_revenue
            revenue = {"real_revenue": {"smallest": lowest, "low": low_revenue, "low_share": LOW_BUDGET_SHARE}}
        return {
            "release_dates": {"first": self.first_date, "last": self.last_date},
            "real_budget": {"smallest": smallest, "low": low, "largest": largest, "low_share": LOW_BUDGET_SHARE},
            **revenue,
            "dollars_of": self.cpi_base_year,
            "runtime": {"shortest": self.runtime[0], "longest": self.runtime[1]},
            "original_languages": sorted(self.languages),
        }

    def warnings(
        self,
        columns: Mapping[str, Any],
        real_budget: np.ndarray,
        doubtful: Sequence[Sequence[Reading]],
        films: Callable[[str, str], int],
    ) -> list[list[Warning]]:
        """Each film's warnings: its date, budget, runtime and language against the limits, then its names.

        ``doubtful``: each film's readings worth a warning (``Reading.doubtful``), in field order;
        ``films``: (request field, known name) -> its number of films, for a larger namesake's warning.
        """
        dates = np.asarray(columns["release_date"], dtype=object).tolist()
        budgets = np.asarray(real_budget, dtype=np.float64).tolist()
        runtimes = np.asarray(columns["runtime"], dtype=np.float64).tolist()
        languages = np.asarray(columns["original_language"], dtype=object).tolist()
        _, low, largest = self.real_budget
        shortest, longest = self.runtime
        out = []
        for film, date in enumerate(dates):
            found: list[Warning] = []
            if not self.first_date <= date <= self.last_date:  # the common case is one comparison
                found += self._date(date)
            if not low <= budgets[film] <= largest:
                found += self._budget(budgets[film])
            if not shortest <= runtimes[film] <= longest:
                found += self._runtime(runtimes[film])
            if languages[film] not in self.languages:
                found += self._language(str(languages[film]))
            if doubtful and doubtful[film]:
                found += [self._name_warning(reading, films) for reading in doubtful[film]]
            out.append(found)
        return out

    def _name_warning(self, reading: Reading, films: Callable[[str, str], int]) -> Warning:
        """``name_warning``, written once per reading (the next film with the same names reuses it)."""
        said = self._said.get(reading)
        if said is None:
            if len(self._said) >= REMEMBERED_WARNINGS:  # bounded, as the names' own memory is
                self._said.clear()
            said = self._said[reading] = name_warning(reading, films, self.last_date[:4])
        return said

    def _date(self, date: str) -> list[Warning]:
        if date > self.last_date:
            prices = cpi_u()[0][-1]
            ahead = int(date[:4]) - int(prices)
            year = date[:4]
            check = f"; {year} is {ahead} years past the latest prices: is the year right?" if ahead > FAR_AHEAD else ""
            return [
                Warning(
                    "date_after_data",
                    "release_date",
                    f"the newest film in the data was released on {self.last_date}, "
                    f"{_years(int(date[:4]) - int(self.last_date[:4]))} before this one: {self._beyond('year')}; "
                    f"amounts for years after {prices} are in {prices} prices{check}",
                )
            ]
        if date < self.first_date:
            return [
                Warning(
                    "date_before_data",
                    "release_date",
                    f"the oldest film in the data was released on {self.first_date}: no film came before this "
                    "one, so it has no track record and no comps, and the models extrapolate",
                )
            ]
        return []

    def _budget(self, budget: float) -> list[Warning]:
        smallest, low, largest = self.real_budget
        year = self.cpi_base_year
        if budget < low:
            return [
                Warning(
                    "budget_below_data",
                    "budget",
                    f"{_money(budget)} in {year} dollars is below {1 - LOW_BUDGET_SHARE:.0%} of the data's budgets "
                    f"(from {_money(low)}; the very smallest, {_money(smallest)}, are placeholders): was it meant "
                    "in millions?",
                )
            ]
        if budget > largest:
            return [
                Warning(
                    "budget_above_data",
                    "budget",
                    f"{_money(budget)} in {year} dollars is above the largest budget in the data ({_money(largest)}): "
                    f"{self._beyond('budget')}",
                )
            ]
        return []

    def _beyond(self, what: str) -> str:
        """What the served model does with a ``what`` past the largest it learned from."""
        if self.trees:
            return f"the models (tree ensembles) read a larger {what} as the largest they learned from"
        return f"the linear model extends its trend in the {what} past the data"

    def _runtime(self, runtime: float) -> list[Warning]:
        shortest, longest = self.runtime
        if shortest <= runtime <= longest:
            return []
        return [
            Warning(
                "runtime_outside_data",
                "runtime",
                f"{runtime:g} minutes is outside the data's runtimes ({shortest:g} to {longest:g} minutes)",
            )
        ]

    def _language(self, language: str) -> list[Warning]:
        if language in self.languages:
            return []
        return [
            Warning(
                "language_not_in_data",
                "original_language",
                f"no film in the data is in '{language}': the models read it only as 'not English'",
            )
        ]


def name_warning(reading: Reading, films: Callable[[str, str], int], data_ends: str | None = None) -> Warning:
    """What happened to one doubtful name, in words a producer reads: an unknown name, a name read as the
    known one with few films where a much larger one was likely meant, or a spelling several known names share.

    ``films``: (request field, known name) -> its number of films, so each name the message gives says its size;
    ``data_ends``: the year of the data's newest film (a name may be known for films after it).
    """
    what = FIELD_NAMES[reading.field]
    asked = f"\u2018{reading.asked}\u2019 ({what})"

    def sized(name: str) -> str:
        return f"{name} ({_films(films(reading.field, name))})"

    if reading.match == "not_read":  # a keyword or genre: a flag, with no films to count
        hint = f"; did you mean {_or(list(reading.suggestions))}?" if reading.suggestions else ""
        return Warning(
            "not_read_name",
            reading.field,
            f"{asked}: not one of the {what}s the models read, so it does not change the forecast{hint}",
            name=reading.asked,
        )
    if reading.match == "unknown":
        hint = f"; did you mean {_or([sized(name) for name in reading.suggestions])}?" if reading.suggestions else ""
        return Warning(
            "unknown_name",
            reading.field,
            f"{asked}: not in our data{f' (which ends in {data_ends})' if data_ends else ''}, so the models "
            f"count no earlier film, as for a first-time {what}{hint}",
            name=reading.asked,
        )
    read = f"{asked}: read as {sized(reading.read_as)}"
    if reading.suggestions and reading.match in ("exact", "known_spelling"):
        return Warning(
            "larger_namesake",
            reading.field,
            f"{read}; did you mean {_or([sized(name) for name in reading.suggestions])}?",
            name=reading.asked,
        )
    others = _or([sized(name) for name in reading.alternatives])
    return Warning(
        "ambiguous_name",
        reading.field,
        f"{read}, the one with the most films of the names written this way; {others} "
        f"{'has' if len(reading.alternatives) == 1 else 'have'} the same name once case, punctuation and "
        "suffixes are set aside",
        name=reading.asked,
    )


def _years(count: int) -> str:
    return "1 year" if count == 1 else f"{count} years"


def _films(count: int) -> str:
    return "1 film" if count == 1 else f"{count} films"


def _or(names: Sequence[str]) -> str:
    return names[0] if len(names) == 1 else f"{', '.join(names[:-1])} or {names[-1]}"


def _money(dollars: float) -> str:
    if dollars >= 1e6:
        return f"${dollars / 1e6:,.1f}M"
    return f"${dollars:,.0f}"
