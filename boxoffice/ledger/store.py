"""The ledger's operations: save, list, read, revise, record what happened, delete and restore.

Every operation is one transaction. The service hands in the answers it computed; nothing
here takes a forecast from a client.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any, TypeVar

from sqlalchemy import Engine, Select, func, select
from sqlalchemy.dialects.postgresql import insert as postgresql_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session, sessionmaker

from boxoffice.ledger.identity import ModelIdentity
from boxoffice.ledger.tables import ActualResult, Forecast, Revision, Slate, SlateCount, utc_now

MAX_PAGE = 500
Rows = TypeVar("Rows", bound=Select[*tuple[Any, ...]])  # a query of forecasts (and what is joined to them)


class NotFound(LookupError):
    """No such slate or forecast (or a deleted forecast where a live one is needed)."""


class ResultKnown(ValueError):
    """The film's actual result is recorded: a forecast made now would be scored with hindsight."""


class NameTaken(ValueError):
    """The slate already holds a forecast of that name (re-forecast it, or restore it if deleted)."""


@dataclass(frozen=True)
class Answered:
    """A film as the client sent it (validated) and the service's answer for it."""

    film: dict[str, Any]
    answer: dict[str, Any]
    identity: ModelIdentity
    hit_multiple: float  # what P(hit) was about: revenue > hit_multiple x budget


@dataclass(frozen=True)
class PageQuery:
    slate: str
    limit: int = 50
    after: int = 0  # the last id of the previous page (keyset paging: as fast on page 20,000 as on page 1)
    name_contains: str | None = None
    has_actual: bool | None = None
    model_hash: str | None = None
    deleted: bool = False  # True: the deleted forecasts (to restore), instead of the live ones


def when(moment: dt.datetime | None) -> str | None:
    return None if moment is None else moment.isoformat(timespec="microseconds") + "Z"


def revision_view(revision: Revision) -> dict[str, Any]:
    return {
        "number": revision.number,
        "kind": revision.kind,
        "label": revision.label,
        "film": revision.film,
        "answer": revision.answer,
        "model": {"serving_hash": revision.model_hash, "commit": revision.model_commit},
        "created_at": when(revision.created_at),
    }


def actual_view(actual: ActualResult | None) -> dict[str, Any] | None:
    if actual is None:
        return None
    return {
        "revenue": actual.revenue,
        "known_on": actual.known_on.isoformat(),
        "source": actual.source,
        "recorded_at": when(actual.recorded_at),
    }


def forecast_view(forecast: Forecast, slate: str, current: Revision, actual: ActualResult | None) -> dict[str, Any]:
    return {
        "id": forecast.id,
        "slate": slate,
        "name": forecast.name,
        "created_at": when(forecast.created_at),
        "deleted_at": when(forecast.deleted_at),
        "revision_count": forecast.revision_count,
        "current": revision_view(current),
        "actual": actual_view(actual),
    }


def new_revision(forecast_id: int, number: int, kind: str, answered: Answered, label: str | None) -> Revision:
    answer = answered.answer
    return Revision(
        forecast_id=forecast_id,
        number=number,
        kind=kind,
        label=label,
        film=answered.film,
        answer=answer,
        predicted_revenue=answer["predicted_revenue"],
        revenue_low=answer["revenue_low"],
        revenue_high=answer["revenue_high"],
        interval_coverage=answer["interval_coverage"],
        hit_probability=answer["hit_probability"],
        budget=answered.film["budget"],
        hit_multiple=answered.hit_multiple,
        model_hash=answered.identity.serving_hash,
        model_commit=answered.identity.commit,
    )


class Ledger:
    def __init__(self, engine: Engine) -> None:
        self.engine = engine
        self.session = sessionmaker(engine, expire_on_commit=False)

    def _slate_id(self, session: Session, name: str, create: bool = False) -> int:
        if create:  # concurrent first saves into one new slate: one row, no error
            insert = postgresql_insert if self.engine.dialect.name == "postgresql" else sqlite_insert
            session.execute(
                insert(Slate).values(name=name, created_at=utc_now()).on_conflict_do_nothing(index_elements=["name"])
            )
        slate_id = session.scalar(select(Slate.id).where(Slate.name == name))
        if slate_id is None:
            raise NotFound(f"no slate named {name!r}")
        return slate_id

    def slate_id(self, name: str) -> int:
        with self.session.begin() as session:
            return self._slate_id(session, name)

    def save(self, slate: str, name: str, answered: Answered) -> dict[str, Any]:
        """A new forecast (revision 1) under ``name`` in ``slate``; the slate is created with its first film."""
        try:
            with self.session.begin() as session:
                slate_id = self._slate_id(session, slate, create=True)
                forecast = Forecast(slate_id=slate_id, name=name, revision_count=1, current_revision=1)
                session.add(forecast)
                session.flush()
                revision = new_revision(forecast.id, 1, "saved", answered, None)
                session.add(revision)
        except IntegrityError:
            raise NameTaken(
                f"slate {slate!r} already has a forecast named {name!r}: choose another name, or re-forecast that one "
                "(its Re-forecast button on the ledger page; a deleted one is restored there first)"
            ) from None
        return forecast_view(forecast, slate, revision, None)

    def revise(self, forecast_id: int, kind: str, answered: Answered, label: str | None = None) -> dict[str, Any]:
        """A new revision of a live forecast; every earlier one is kept. A scenario does not become current.

        Once the film's actual result is recorded its current forecast is final: a new one would be
        made knowing the answer, and the track record would score hindsight (``ResultKnown``).
        Scenarios, which never become current, are still kept.
        """
        with self.session.begin() as session:
            forecast = self._live(session, forecast_id, lock=True)
            if kind != "scenario" and session.get(ActualResult, forecast.id) is not None:
                raise ResultKnown(
                    f"forecast {forecast_id}'s actual result is recorded, so its forecast is final: a forecast made "
                    "now would be scored knowing the answer. Save a scenario to see what the current models say."
                )
            number = forecast.revision_count + 1
            revision = new_revision(forecast.id, number, kind, answered, label)
            session.add(revision)
            forecast.revision_count = number
            if kind != "scenario":
                forecast.current_revision = number
            return self._read(session, forecast)

    def _live(self, session: Session, forecast_id: int, lock: bool = False) -> Forecast:
        query = select(Forecast).where(Forecast.id == forecast_id, Forecast.deleted_at.is_(None))
        forecast = session.scalar(query.with_for_update() if lock else query)
        if forecast is None:
            raise NotFound(f"no forecast {forecast_id}")
        if lock:
            self._lock_slate(session, forecast.slate_id)
        return forecast

    @staticmethod
    def _lock_slate(session: Session, slate_id: int) -> None:
        """Writers of one slate's tallies take its row first, so two of them never lock tally rows in
        opposite orders (a delete and a restore would on PostgreSQL: a deadlock). Not a key lock: saves,
        whose new rows only reference the slate, go on."""
        session.execute(select(Slate.id).where(Slate.id == slate_id).with_for_update(key_share=True))

    def read(self, forecast_id: int) -> dict[str, Any]:
        """The forecast (deleted or not) with every revision, oldest first."""
        with self.session.begin() as session:
            forecast = session.get(Forecast, forecast_id)
            if forecast is None:
                raise NotFound(f"no forecast {forecast_id}")
            return self._read(session, forecast)

    def _read(self, session: Session, forecast: Forecast) -> dict[str, Any]:
        revisions = session.scalars(
            select(Revision).where(Revision.forecast_id == forecast.id).order_by(Revision.number)
        ).all()
        slate = session.scalar(select(Slate.name).where(Slate.id == forecast.slate_id)) or ""
        current = next(r for r in revisions if r.number == forecast.current_revision)
        view = forecast_view(forecast, slate, current, session.get(ActualResult, forecast.id))
        view["revisions"] = [revision_view(revision) for revision in revisions]
        return view

    def record_actual(self, forecast_id: int, revenue: float, known_on: dt.date, source: str) -> dict[str, Any]:
        """What the film earned; recording again replaces the earlier figure."""
        with self.session.begin() as session:
            forecast = self._live(session, forecast_id, lock=True)
            actual = session.get(ActualResult, forecast.id)
            if actual is None:
                actual = ActualResult(forecast_id=forecast.id)
                session.add(actual)
            actual.revenue, actual.known_on, actual.source, actual.recorded_at = revenue, known_on, source, utc_now()
            session.flush()
            return self._read(session, forecast)

    def delete(self, forecast_id: int) -> dict[str, Any]:
        with self.session.begin() as session:
            forecast = self._live(session, forecast_id, lock=True)
            forecast.deleted_at = utc_now()
            return self._read(session, forecast)

    def restore(self, forecast_id: int) -> dict[str, Any]:
        with self.session.begin() as session:
            forecast = session.get(Forecast, forecast_id, with_for_update=True)
            if forecast is None or forecast.deleted_at is None:
                raise NotFound(f"no deleted forecast {forecast_id}")
            self._lock_slate(session, forecast.slate_id)
            forecast.deleted_at = None
            return self._read(session, forecast)

    def current_film(self, forecast_id: int) -> dict[str, Any]:
        """The film of a live forecast's current revision (what a re-forecast answers again)."""
        with self.session.begin() as session:
            forecast = self._live(session, forecast_id)
            return session.scalars(
                select(Revision.film).where(
                    Revision.forecast_id == forecast.id, Revision.number == forecast.current_revision
                )
            ).one()

    @staticmethod
    def _current_rows(after: int) -> Select[Forecast, Revision, ActualResult]:
        """Each forecast after id ``after`` with its current revision and, where recorded, its actual result.

        The bound is repeated on each joined table's id: PostgreSQL carries equalities across a join, not
        inequalities, and without it a merge join reads the revisions' index from the start to reach a page
        from the middle of a slate (bench/ledger.py measures both pages)."""
        return (
            select(Forecast, Revision, ActualResult)
            .join(
                Revision,
                (Revision.forecast_id == Forecast.id)
                & (Revision.number == Forecast.current_revision)
                & (Revision.forecast_id > after),
            )
            .outerjoin(ActualResult, (ActualResult.forecast_id == Forecast.id) & (ActualResult.forecast_id > after))
            .where(Forecast.id > after)
        )

    @staticmethod
    def _filtered(rows: Rows, slate_id: int, query: PageQuery) -> Rows:
        """``rows`` (of forecasts, joined to their current revision and actual result where a filter needs them)
        narrowed to the slate and ``query``'s filters."""
        deleted = Forecast.deleted_at.is_not(None) if query.deleted else Forecast.deleted_at.is_(None)
        rows = rows.where(Forecast.slate_id == slate_id, deleted)
        if query.name_contains:
            rows = rows.where(Forecast.name.icontains(query.name_contains, autoescape=True))
        if query.has_actual is not None:
            rows = rows.where(
                ActualResult.forecast_id.is_not(None) if query.has_actual else ActualResult.forecast_id.is_(None)
            )
        if query.model_hash:
            rows = rows.where(Revision.model_hash == query.model_hash)
        return rows

    def _count(self, session: Session, slate_id: int, query: PageQuery) -> int:
        """How many forecasts ``query`` finds: from the slate's running counts (``boxoffice.ledger.tallies``)
        unless a name or model is asked for, then counted, joining only the tables those filters name."""
        if not query.name_contains and not query.model_hash:
            counted = select(func.coalesce(func.sum(SlateCount.forecasts), 0)).where(
                SlateCount.slate_id == slate_id, SlateCount.deleted == query.deleted
            )
            if query.has_actual is not None:
                counted = counted.where(SlateCount.with_actual == query.has_actual)
            return int(session.scalar(counted) or 0)
        rows = select(func.count()).select_from(Forecast)
        if query.model_hash:
            rows = rows.join(
                Revision, (Revision.forecast_id == Forecast.id) & (Revision.number == Forecast.current_revision)
            )
        if query.has_actual is not None:
            rows = rows.outerjoin(ActualResult, ActualResult.forecast_id == Forecast.id)
        return session.scalar(self._filtered(rows, slate_id, query)) or 0

    def page(self, query: PageQuery) -> dict[str, Any]:
        """One page of a slate, oldest first, each film with its current forecast and actual result."""
        with self.session.begin() as session:
            slate_id = self._slate_id(session, query.slate)
            rows = self._filtered(self._current_rows(query.after), slate_id, query)
            total = self._count(session, slate_id, query)
            found = session.execute(rows.order_by(Forecast.id).limit(query.limit)).all()
        items = [forecast_view(forecast, query.slate, revision, actual) for forecast, revision, actual in found]
        more = len(items) == query.limit and total is not None
        return {
            "slate": query.slate,
            "total": total,
            "forecasts": items,
            "next_after": items[-1]["id"] if more and items else None,
        }

    def slate_rows(self, slate: str) -> Iterator[tuple[Forecast, Revision, ActualResult | None]]:
        """Every live forecast of a slate, oldest first (the CSV export), streamed in pages."""
        after = 0
        while True:
            with self.session.begin() as session:
                rows = self._filtered(self._current_rows(after), self._slate_id(session, slate), PageQuery(slate=slate))
                found = session.execute(rows.order_by(Forecast.id).limit(MAX_PAGE)).all()
            yield from ((forecast, revision, actual) for forecast, revision, actual in found)
            if len(found) < MAX_PAGE:
                return
            after = found[-1][0].id

    def slates(self) -> list[dict[str, Any]]:
        with self.session.begin() as session:
            live = func.coalesce(func.sum(SlateCount.forecasts).filter(SlateCount.deleted.is_(False)), 0)
            found = session.execute(
                select(Slate.name, Slate.created_at, live).outerjoin(SlateCount).group_by(Slate.id).order_by(Slate.name)
            ).all()
        return [{"name": name, "created_at": when(created), "forecasts": count} for name, created, count in found]
