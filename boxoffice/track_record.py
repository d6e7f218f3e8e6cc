"""The track record: directors', lead cast's and companies' past box office, as of a release date.

Built by featurize from the films with known revenue, saved with the models, and read
by the service for pre-release requests.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from boxoffice.features import Columns, day_numbers, index_of, log_budget, log_revenue, name_lists, name_pairs


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

    def _before(self, runs: np.ndarray, days: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """For each (run, day): how many of the run's films came before the day, and their stats' sums.

        ``runs`` of -1 (a name never seen) get 0 films and zero sums.
        """
        known = runs >= 0
        start = self._start[np.where(known, runs, 0)]
        found = np.searchsorted(self._stamp, np.where(known, runs, 0) * _DAY_SPAN + (days - _DAY_ZERO), side="left")
        count = np.where(known, found - start, 0)
        sums = np.where((count > 0)[:, None], self._sums[np.maximum(found - 1, 0)], 0.0)
        return count, sums

    def features(self, columns: Columns, cast_top: int) -> dict[str, np.ndarray]:
        """<role>_films, _log_revenue and _log_roi for each film (see the class doc), all films at once.

        ``columns`` holds release_date and the '|'-joined names of each role; a role
        whose column is absent is left out.
        """
        days = day_numbers(columns["release_date"])
        n = len(days)
        all_runs = np.full(n, self._key.get(self.ALL_FILMS, -1))
        all_count, all_sums = self._before(all_runs, days)
        typical = np.divide(all_sums, all_count[:, None], out=np.zeros_like(all_sums), where=all_count[:, None] > 0)
        out: dict[str, np.ndarray] = {}
        for role, column in self.ROLES:
            if column not in columns:
                continue
            film_of, names = name_pairs(columns[column], cast_top if role == "cast" else None)
            runs = index_of(names, self._runs[role])  # -1 for a name never seen
            count, sums = self._before(runs, days[film_of])
            # bincount adds each film's names in order from 0, as a loop over its names would.
            total_count = np.bincount(film_of, weights=count, minlength=n)
            totals = np.column_stack([np.bincount(film_of, weights=sums[:, j], minlength=n) for j in range(2)])
            seen = total_count > 0
            means = np.where(seen[:, None], totals / np.where(seen, total_count, 1)[:, None], typical)
            out[f"{role}_films"] = total_count.astype(np.float64)
            for j, stat in enumerate(self.STATS):
                out[f"{role}_{stat}"] = means[:, j]
        return out


# Days since 1970 as integers; any ISO date (years 1-9999) fits between these.
_DAY_ZERO = -800_000
_DAY_SPAN = 1 << 23
