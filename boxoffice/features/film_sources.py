"""Where each film comes from (TMDB 5000 or an extra films file), which are one film, and which split takes them.

**One film once.** A film of an extra file that TMDB 5000 already has (the same title as
``names.fold`` folds names: case, accents, punctuation, a leading "The"; released within
``SAME_FILM_DAYS`` of each other, as release dates differ by country) is left out and
counted (``duplicate_of_tmdb``): TMDB's row stays, with its split and its post-release
facts, so the held-out films and their targets stay exactly what they were and a run with
extra films is scored on the same test films as one without. Between extra files the one
listed first in ``params.yaml`` wins (``duplicate_of_earlier``), and so does a file's first
row over a later one.

**Ids.** Extra films get negative ids (-1, -2, ... in the order of the list and of the
rows): TMDB's are positive, so the two never collide, and a later stage tells them apart
by id alone (``data.films.is_extra``).

**Splits.** Extra films go to train only (``with_extra_films``): TMDB's split is made as it
always was, so no extra film reaches validation (which calibrates the intervals) or test,
and the test split is the same films whether or not extra films are given. They are in the
table of every film that the forward-in-time evaluation splits by date: one released before
``evaluate.forward_cutoff`` may fit a forward model, one released after it is scored.
"""

from __future__ import annotations

from collections import defaultdict

import numpy as np
import pandas as pd

from boxoffice.data.films import PREPARED_NUMBERS, TMDB
from boxoffice.features.names import fold

SAME_FILM_DAYS = 365
SOURCE = "source"  # the extra films table's column: the file a film came from, as params.yaml names it


class _Seen:
    """Release days by folded title: is a film (title, day) already here?"""

    def __init__(self) -> None:
        self.days: defaultdict[str, list[int]] = defaultdict(list)

    def add(self, title: str, day: int) -> None:
        self.days[fold(title)].append(day)

    def has(self, title: str, day: int) -> bool:
        return any(abs(day - known) <= SAME_FILM_DAYS for known in self.days.get(fold(title), ()))


def _days(dates: pd.Series) -> list[int]:
    return np.asarray(dates.to_numpy(dtype=str), dtype="datetime64[D]").astype(np.int64).tolist()


def merge_extra_films(tmdb: pd.DataFrame, extra: list[tuple[str, pd.DataFrame]]) -> tuple[pd.DataFrame, dict]:
    """The extra films TMDB 5000 and earlier files do not have, with their ids and source, and each file's counts.

    ``tmdb``: the prepared TMDB table; ``extra``: (source, films-schema table) in params order.
    """
    in_tmdb, in_extra = _Seen(), _Seen()
    for title, day in zip(tmdb["title"].tolist(), _days(tmdb["release_date"]), strict=True):
        in_tmdb.add(title, day)
    kept: list[pd.DataFrame] = []
    report: dict[str, dict[str, int]] = {}
    for source, films in extra:
        keep, counts = [], {"rows_in": len(films), "duplicate_of_tmdb": 0, "duplicate_of_earlier": 0}
        for title, day in zip(films["title"].tolist(), _days(films["release_date"]), strict=True):
            known = (
                "duplicate_of_tmdb"
                if in_tmdb.has(title, day)
                else "duplicate_of_earlier"
                if in_extra.has(title, day)
                else None
            )
            if known:
                counts[known] += 1
            else:
                in_extra.add(title, day)
            keep.append(known is None)
        report[source] = counts | {"rows_out": sum(keep)}
        kept.append(films[keep].assign(**{SOURCE: source}))
    columns = [name for name in tmdb.columns if name != "id"]
    table = pd.concat(kept, ignore_index=True) if kept else pd.DataFrame(columns=[*columns, SOURCE])
    table.insert(0, "id", -np.arange(1, len(table) + 1, dtype=np.int64))
    return table[[*tmdb.columns, SOURCE]], report


def with_extra_films(frame: pd.DataFrame, extra: pd.DataFrame) -> pd.DataFrame:
    """``frame`` then the extra films (without their source column); ``frame`` itself when there are none,
    so a run without extra films writes exactly what it wrote before."""
    if extra.empty:
        return frame
    films = extra.assign(**{name: pd.to_numeric(extra[name], errors="coerce") for name in PREPARED_NUMBERS})
    return pd.concat([frame, films[list(frame.columns)]], ignore_index=True)


def source_of(ids: pd.Series, extra: pd.DataFrame) -> pd.Series:
    """Each film's source: its extra films file, else TMDB 5000."""
    by_id = dict(zip(extra["id"].astype(np.int64).tolist(), extra[SOURCE].tolist(), strict=True))
    return ids.map(lambda film: by_id.get(int(film), TMDB))
