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
from boxoffice.ledger.tables import ActualResult, Forecast, Revision, Slate, utc_now

MAX_PAGE = 500
Rows = TypeVar("Rows", bound=Select[*tuple[Any, ...]])  # a query of forecasts (and what is joined to them)


class NotFound(LookupError):
    """No such slate or forecast (or a deleted forecast where a live one is needed)."""


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
        """A new revision of a live forecast; every earlier one is kept. A scenario does not become current."""
        with self.session.begin() as session:
            forecast = self._live(session, forecast_id, lock=True)
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
        return forecast

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
    def _current_rows() -> Select[Forecast, Revision, ActualResult]:
        """Each forecast with its current revision and, where recorded, its actual result."""
        return (
            select(Forecast, Revision, ActualResult)
            .join(Revision, (Revision.forecast_id == Forecast.id) & (Revision.number == Forecast.current_revision))
            .outerjoin(ActualResult, ActualResult.forecast_id == Forecast.id)
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
        """How many forecasts ``query`` finds, joining only the tables its filters name: every forecast has
        exactly one current revision and at most one actual result, so the joins change no count, and a
        slate of a million is counted on the forecasts' slate index alone."""
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
            rows = self._filtered(self._current_rows(), slate_id, query)
            total = self._count(session, slate_id, query)
            found = session.execute(
                rows.where(Forecast.id > query.after).order_by(Forecast.id).limit(query.limit)
            ).all()
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
                rows = self._filtered(self._current_rows(), self._slate_id(session, slate), PageQuery(slate=slate))
                found = session.execute(rows.where(Forecast.id > after).order_by(Forecast.id).limit(MAX_PAGE)).all()
            yield from ((forecast, revision, actual) for forecast, revision, actual in found)
            if len(found) < MAX_PAGE:
                return
            after = found[-1][0].id

    def slates(self) -> list[dict[str, Any]]:
        with self.session.begin() as session:
            live = func.count(Forecast.id).filter(Forecast.deleted_at.is_(None))
            found = session.execute(
                select(Slate.name, Slate.created_at, live).outerjoin(Forecast).group_by(Slate.id).order_by(Slate.name)
            ).all()
        return [{"name": name, "created_at": when(created), "forecasts": count} for name, created, count in found]
