"""Alembic's migrations: from an empty database, and from the previous revision with rows in it."""

from __future__ import annotations

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Engine, event, inspect, text

from boxoffice.ledger.database import alembic_config, make_engine, upgrade
from boxoffice.ledger.store import Ledger, PageQuery
from boxoffice.ledger.tables import Base
from boxoffice.ledger.track_record import track_record
from tests.ledger.test_track_record import expected, fill

FILM = '{"budget": 1000000.0, "runtime": 100.0}'
ANSWER = '{"predicted_revenue": 2000000.0}'


def head(engine: Engine) -> str:
    newest = ScriptDirectory.from_config(alembic_config(engine)).get_current_head()
    assert newest is not None
    return newest


def test_an_empty_database_is_brought_to_the_tables_the_code_declares(database_url: str) -> None:
    engine = make_engine(database_url)
    upgrade(engine)
    with engine.connect() as connection:
        differences = compare_metadata(MigrationContext.configure(connection), Base.metadata)
        assert connection.execute(text("SELECT version_num FROM alembic_version")).scalar() == head(engine)
    assert differences == []
    assert set(inspect(engine).get_table_names()) >= {"slates", "forecasts", "revisions", "actual_results", "tokens"}
    upgrade(engine)  # a second start changes nothing
    engine.dispose()


def test_every_migration_of_a_start_is_one_transaction(database_url: str) -> None:
    """A commit between two migrations lets a worker starting beside this one read a half-made schema and
    run the rest; this one then runs the rest again and fails (SQLite's default in Alembic)."""
    engine = make_engine(database_url)
    commits: list[object] = []
    event.listen(engine, "commit", commits.append)
    upgrade(engine)
    assert len(commits) == 1
    with engine.connect() as connection:
        assert connection.execute(text("SELECT version_num FROM alembic_version")).scalar() == head(engine)
    engine.dispose()


def insert_a_forecast(engine: Engine) -> None:
    """A slate, a forecast and its revision, written as the schema of 0001 has them (odd names kept as typed)."""
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


def assert_the_forecast_kept(engine: Engine) -> None:
    with engine.connect() as connection:
        assert connection.execute(text("SELECT name FROM slates")).scalar() == "O'Brien; DROP TABLE x"
        assert connection.execute(text("SELECT name FROM forecasts")).scalar() == "<b>Film</b>"
        assert connection.execute(text("SELECT predicted_revenue FROM revisions")).scalar() == 2e6
        assert connection.execute(text("SELECT version_num FROM alembic_version")).scalar() == head(engine)


def test_the_first_revision_upgrades_keeping_its_rows(database_url: str) -> None:
    engine = make_engine(database_url)
    upgrade(engine, "0001")
    assert "tokens" not in inspect(engine).get_table_names()
    insert_a_forecast(engine)
    upgrade(engine)
    assert_the_forecast_kept(engine)
    with engine.connect() as connection:
        assert connection.execute(text("SELECT count(*) FROM tokens")).scalar() == 0
    engine.dispose()


def test_the_previous_revision_upgrades_keeping_its_rows_and_gains_the_track_records_index(database_url: str) -> None:
    engine = make_engine(database_url)
    upgrade(engine, "0002")
    assert "ix_revisions_track_record" not in {index["name"] for index in inspect(engine).get_indexes("revisions")}
    insert_a_forecast(engine)
    with engine.begin() as connection:
        connection.execute(
            text("INSERT INTO tokens (digest, read_only, label, created_at) VALUES ('d', false, 'l', :t)"),
            {"t": "2026-01-01 00:00:00"},
        )
    upgrade(engine)
    indexes = {index["name"]: index["column_names"] for index in inspect(engine).get_indexes("revisions")}
    assert indexes["ix_revisions_track_record"][:3] == ["forecast_id", "number", "model_hash"]
    assert_the_forecast_kept(engine)
    with engine.connect() as connection:
        assert connection.execute(text("SELECT digest FROM tokens")).scalar() == "d"
    engine.dispose()


def test_the_tallies_are_backfilled_from_the_rows_of_the_previous_revision(database_url: str) -> None:
    """0003 -> 0004 with slates of forecasts (revised, deleted, released): the tallies count every row already
    there, the track record equals numpy's from the rows, and later writes keep them (the triggers are in)."""
    engine = make_engine(database_url)
    upgrade(engine, "0003")
    ledger = Ledger(engine)
    counted = fill(ledger, 5)
    upgrade(engine)
    assert track_record(ledger, "North") == expected(counted["North"])
    assert track_record(ledger) == expected(counted["North"] + counted["South"])
    with engine.connect() as connection:
        live, deleted, released = (
            connection.execute(text(sql)).scalar()
            for sql in (
                "SELECT count(*) FROM forecasts WHERE slate_id = 1 AND deleted_at IS NULL",
                "SELECT count(*) FROM forecasts WHERE slate_id = 1 AND deleted_at IS NOT NULL",
                "SELECT count(*) FROM released",
            )
        )
    assert ledger.page(PageQuery("North"))["total"] == live > 0
    assert ledger.page(PageQuery("North", deleted=True))["total"] == deleted > 0
    assert released == len(counted["North"]) + len(counted["South"])
    first = ledger.page(PageQuery("North", limit=1))["forecasts"][0]["id"]
    ledger.delete(first)
    assert ledger.page(PageQuery("North"))["total"] == live - 1
    engine.dispose()
