"""The ledger's released films in the films schema (``boxoffice.data.films``): one row per film with its actual result.

Columns (``FILMS_COLUMNS``): ``title`` (the forecast's name), ``release_date`` (YYYY-MM-DD),
``budget`` and ``revenue`` (dollars), ``runtime`` (minutes), ``original_language``,
``genres``, ``production_companies``, ``directors``, ``cast``, ``keywords`` (names joined
by ``|``, as the file scorer reads them), ``popularity``, ``vote_average``, ``vote_count``
(left empty: a forecast has none), ``revenue_source`` (where the revenue figure comes from).
Each film is its current revision's film; deleted forecasts are left out. ``prepare`` reads
the file when ``params.yaml``'s ``prepare.extra_films`` names it.
"""

from __future__ import annotations

import csv
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from sqlalchemy import select

from boxoffice.data.films import FILMS_COLUMNS, LISTS
from boxoffice.data.raw import LIST_SEPARATOR
from boxoffice.io import atomic_path
from boxoffice.ledger.store import Ledger
from boxoffice.ledger.tables import ActualResult, Forecast, Revision


def released_films(ledger: Ledger) -> Iterator[dict[str, Any]]:
    """Every live forecast with an actual result, as a films-schema row, oldest forecast first."""
    query = (
        select(Forecast.name, Revision.film, ActualResult.revenue, ActualResult.source)
        .join(Revision, (Revision.forecast_id == Forecast.id) & (Revision.number == Forecast.current_revision))
        .join(ActualResult, ActualResult.forecast_id == Forecast.id)
        .where(Forecast.deleted_at.is_(None))
        .order_by(Forecast.id)
    )
    with ledger.session.begin() as session:
        found = session.execute(query).all()
    for name, film, revenue, source in found:
        lists = {field: LIST_SEPARATOR.join(film.get(field, [])) for field in LISTS}
        yield {
            "title": name,
            "release_date": film["release_date"],
            "budget": film["budget"],
            "revenue": revenue,
            "runtime": film["runtime"],
            "original_language": film["original_language"],
            **lists,
            "revenue_source": source,
        }


def export_films(ledger: Ledger, path: Path) -> int:
    """Write the released films to ``path`` (whole or not at all); how many."""
    count = 0
    with atomic_path(path) as partial, partial.open("w", newline="", encoding="utf-8") as out:
        writer = csv.DictWriter(out, fieldnames=FILMS_COLUMNS, restval="", lineterminator="\n")
        writer.writeheader()
        for row in released_films(ledger):
            writer.writerow(row)
            count += 1
    return count
