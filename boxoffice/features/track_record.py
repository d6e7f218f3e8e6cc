"""The track record: directors', lead cast's and companies' past box office, as of a release date.

Built by featurize from the films with known revenue, saved with the models, and read
by the service for pre-release requests.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
from numba import njit

from boxoffice.features.transforms import (
    Columns,
    day_numbers,
    index_of,
    log_budget,
    log_revenue,
    name_lists,
    name_pairs,
)


class TrackRecord:
    """Past box office of directors, lead cast and production companies, "as of" a release date.

    Built from films with known revenue; a query sees only films released strictly
    before the date asked about, so a film's own revenue never feeds its features.
    For each role: how many earlier films, their mean log revenue, and their mean log
    return (log revenue - log budget). A name with no earlier film (unknown, or seen
    only later) gets the means of all earlier films: "a typical film so far".
    """

    STATS = ("log_revenue", "log_roi")
    ALL_FILMS = ("film", "*")  # the (role, name) of the all-films timeline
    # role -> the column of '|'-joined names it reads; cast counts only the first cast_top.
    ROLES = (("director", "directors"), ("cast", "cast"), ("company", "production_companies"))

    def __init__(self, history: pd.DataFrame) -> None:
        """``history``: one row per (role, name, film) with release_date, log_revenue, log_roi."""
        self.history = history
        # One stable sort by (role, name, day) makes each name's films a run in date order;
        # a run's cumulative sums answer "how many films, and what totals, before day d".
        table = history.assign(day=day_numbers(history["release_date"])).sort_values(["role", "name", "day"])
        days, stats = table["day"].to_numpy(), table[list(self.STATS)].to_numpy(dtype=np.float64)
        runs = table.groupby(["role", "name"], sort=False).indices
        self._key = {key: number for number, key in enumerate(runs)}
        self._start = np.array([rows[0] for rows in runs.values()], dtype=np.int64)
        # (run number, day) as one sortable integer, so one searchsorted serves every query.
        run_of_row = np.repeat(np.arange(len(runs)), [len(rows) for rows in runs.values()])
        self._stamp = run_of_row * _DAY_SPAN + (days - _DAY_ZERO)
        # Per role: name -> run number.
        self._runs = {
            role: {name: run for (kind, name), run in self._key.items() if kind == role} for role, _ in self.ROLES
        }

        self._sums = np.concatenate([np.cumsum(stats[rows], axis=0) for rows in runs.values()] or [np.zeros((0, 2))])

    @classmethod
    def from_films(cls, films: pd.DataFrame, cast_top: int, to_dollars: np.ndarray | None = None) -> TrackRecord:
        """History from a table with release_date, budget, revenue and each role's column ('|'-joined).

        ``to_dollars``: per film, a factor to constant dollars (``features.real_dollars``), or None.
        """
        rows = []
        dates = films["release_date"].tolist()
        factor = 1.0 if to_dollars is None else to_dollars
        revenue, budget = films["revenue"].to_numpy() * factor, films["budget"].to_numpy() * factor
        stats = np.column_stack([log_revenue(revenue), log_revenue(revenue) - log_budget(budget)])
        rows += [(*cls.ALL_FILMS, date, *film) for date, film in zip(dates, stats.tolist(), strict=True)]
        for role, column in cls.ROLES:
            top = cast_top if role == "cast" else None
            for names, date, film in zip(name_lists(films[column]), dates, stats.tolist(), strict=True):
                rows += [(role, name, date, *film) for name in names[:top]]
        return cls(pd.DataFrame(rows, columns=["role", "name", "release_date", *cls.STATS]))

    def features(self, columns: Columns, cast_top: int) -> dict[str, np.ndarray]:
        """<role>_films, _log_revenue and _log_roi for each film (see the class doc), all films at once.

        ``columns`` holds release_date and the '|'-joined names of each role; a role
        whose column is absent is left out. Names become run numbers here (a dict look-up);
        the searches and sums for every role are one compiled call (``_as_of``), so a request
        costs a few calls, not the ~30 small numpy calls per role it once did.
        """
        days = day_numbers(columns["release_date"])
        n = len(days)
        roles = [(role, column) for role, column in self.ROLES if column in columns]
        films, runs = [], []
        for role, column in roles:
            film_of, names = name_pairs(columns[column], cast_top if role == "cast" else None)
            films.append(film_of)
            runs.append(index_of(names, self._runs[role]))  # -1 for a name never seen
        group = np.repeat(np.arange(len(roles)), [len(part) for part in films])
        out = np.zeros((len(roles), 3, n))  # per role: films, mean log revenue, mean log roi
        typical_run = self._key.get(self.ALL_FILMS, -1)
        if films:
            film_of, run = np.concatenate(films), np.concatenate(runs)
        else:
            film_of, run = np.zeros(0, np.int64), np.zeros(0, np.int64)
        _as_of(days, film_of, run, group, typical_run, self._stamp, self._start, self._sums, out)
        stats = ("films", *self.STATS)
        return {f"{role}_{name}": out[g, k] for g, (role, _) in enumerate(roles) for k, name in enumerate(stats)}


@njit(cache=True, nogil=True, boundscheck=False)
def _as_of(
    days: np.ndarray,
    film_of: np.ndarray,
    runs: np.ndarray,
    group: np.ndarray,
    typical_run: int,
    stamps: np.ndarray,
    starts: np.ndarray,
    sums: np.ndarray,
    out: np.ndarray,
) -> None:  # pragma: no cover - compiled; tests call it through TrackRecord.features
    """out[g, :, i]: film i's count and mean stats over its role-g names' earlier films.

    Each entry (film_of[e], runs[e], group[e]) is one name; a run of -1 (never seen) adds
    nothing. A film whose names have no earlier film gets the all-films timeline's means
    (``typical_run``) as of its date, or 0 when there is none.
    """
    totals = np.zeros((out.shape[0], days.shape[0], 2))
    for e in range(runs.shape[0]):  # in order, from 0, as a loop over each film's names would add
        count, first, second = _before(runs[e], days[film_of[e]], stamps, starts, sums)
        out[group[e], 0, film_of[e]] += count
        totals[group[e], film_of[e], 0] += first
        totals[group[e], film_of[e], 1] += second
    for i in range(days.shape[0]):
        count, first, second = _before(typical_run, days[i], stamps, starts, sums)
        typical = (first / count, second / count) if count > 0 else (0.0, 0.0)
        for g in range(out.shape[0]):
            seen = out[g, 0, i]
            out[g, 1, i] = totals[g, i, 0] / seen if seen > 0 else typical[0]
            out[g, 2, i] = totals[g, i, 1] / seen if seen > 0 else typical[1]


@njit(cache=True, nogil=True, boundscheck=False)
def _before(
    run: int, day: int, stamps: np.ndarray, starts: np.ndarray, sums: np.ndarray
) -> tuple[int, float, float]:  # pragma: no cover - compiled
    """How many of ``run``'s films came before ``day``, and their stats' sums (a run's cumulative sums)."""
    if run < 0:
        return 0, 0.0, 0.0
    stamp, low, high = run * _DAY_SPAN + (day - _DAY_ZERO), 0, stamps.shape[0]
    while low < high:  # searchsorted(stamps, stamp, side="left")
        middle = (low + high) // 2
        if stamps[middle] < stamp:
            low = middle + 1
        else:
            high = middle
    count = low - starts[run]
    if count <= 0:
        return 0, 0.0, 0.0
    return count, sums[low - 1, 0], sums[low - 1, 1]


# Days since 1970 as integers; any ISO date (years 1-9999) fits between these.
_DAY_ZERO = -800_000
_DAY_SPAN = 1 << 23
