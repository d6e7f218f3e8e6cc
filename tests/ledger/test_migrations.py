"""Alembic's migrations: from an empty database, and from the previous revision with rows in it."""

from __future__ import annotations

import multiprocessing
from concurrent.futures import ProcessPoolExecutor
from threading import Barrier

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import inspect, text

from boxoffice.ledger.database import make_engine, upgrade
from boxoffice.ledger.store import Ledger
from boxoffice.ledger.tables import Base
from boxoffice.ledger.tokens import first_token

FILM = '{"budget": 1000000.0, "runtime": 100.0}'
ANSWER = '{"predicted_revenue": 2000000.0}'
STARTING = 4  # services opening one new database at once (compose: two workers, or several replicas)


def test_an_empty_database_is_brought_to_the_tables_the_code_declares(database_url: str) -> None:
    engine = make_engine(database_url)
    upgrade(engine)
    with engine.connect() as connection:
        differences = compare_metadata(MigrationContext.configure(connection), Base.metadata)
        assert connection.execute(text("SELECT version_num FROM alembic_version")).scalar() == "0002"
    assert differences == []
    assert set(inspect(engine).get_table_names()) >= {"slates", "forecasts", "revisions", "actual_results", "tokens"}
    upgrade(engine)  # a second start changes nothing
    engine.dispose()


def test_the_previous_revision_upgrades_keeping_its_rows(database_url: str) -> None:
    engine = make_engine(database_url)
    upgrade(engine, "0001")
    assert "tokens" not in inspect(engine).get_table_names()
    with engine.begin() as connection:
        connection.execute(
            text("INSERT INTO slates (id, name, created_at) VALUES (1, 'O''Brien; DROP TABLE x', :t)"),
            {"t": "2026-01-01 00:00:00"},
        )
        connection.execute(
            text(
                "INSERT INTO forecasts (id, slate_id, name, created_at, revision_count, current_revision) "
                "VALUES (1, 1, '<b>Film</b>', :t, 1, 1)"
            ),
            {"t": "2026-01-01 00:00:00"},
        )
        connection.execute(
            text(
                "INSERT INTO revisions (forecast_id, number, kind, film, answer, predicted_revenue, revenue_low, "
                "revenue_high, interval_coverage, hit_probability, budget, hit_multiple, model_hash, model_commit, "
                "created_at) VALUES (1, 1, 'saved', :film, :answer, 2e6, 1e6, 4e6, 0.8, 0.3, 1e6, 2, 'h', 'c', :t)"
            ),
            {"film": FILM, "answer": ANSWER, "t": "2026-01-01 00:00:00"},
        )
    upgrade(engine)
    with engine.connect() as connection:
        assert connection.execute(text("SELECT name FROM slates")).scalar() == "O'Brien; DROP TABLE x"
        assert connection.execute(text("SELECT name FROM forecasts")).scalar() == "<b>Film</b>"
        assert connection.execute(text("SELECT predicted_revenue FROM revisions")).scalar() == 2e6
        assert connection.execute(text("SELECT count(*) FROM tokens")).scalar() == 0
    engine.dispose()


def start_a_service(database_url: str, starting: Barrier) -> bool:
    """What a service does on start (serving.ledger_access), in a process of its own: True if it made the token."""
    engine = make_engine(database_url)
    starting.wait()
    try:
        upgrade(engine)
        with Ledger(engine).session.begin() as session:
            return first_token(session) is not None
    finally:
        engine.dispose()


def test_services_starting_together_on_one_database_all_open_it_and_make_one_first_token(database_url: str) -> None:
    """Workers and replicas start at once on a new database (compose's first `up`): each brings the schema
    up and looks for a first token at the same moment; every one must succeed, and only one token be made."""
    spawn = multiprocessing.get_context("spawn")  # separate processes, as workers and replicas are
    with spawn.Manager() as manager, ProcessPoolExecutor(STARTING, mp_context=spawn) as pool:
        starting = manager.Barrier(STARTING)
        made = list(pool.map(start_a_service, [database_url] * STARTING, [starting] * STARTING))
    assert sorted(made) == [False] * (STARTING - 1) + [True]
