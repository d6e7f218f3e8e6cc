"""Engines and schema upgrades for the ledger, on SQLite or PostgreSQL alike.

SQLite: WAL (readers never wait for the writer), a busy timeout instead of "database is
locked", foreign keys on, and every transaction ``BEGIN IMMEDIATE`` so two writers queue
for the lock instead of one failing when it upgrades a read lock. ``synchronous=FULL``:
an acknowledged save survives a killed process or a power cut. ``log1p`` is registered
for the track record's SQL (``boxoffice.ledger.track_record``).

Two workers starting on one new database must not both migrate it nor both make its first
token: ``one_at_a_time`` queues them. On SQLite, ``BEGIN IMMEDIATE`` already does, as long as
every migration runs in one transaction (``migrations/env.py``); PostgreSQL takes a
transaction-scoped advisory lock.
"""

from __future__ import annotations

import math
from typing import Any

from alembic import command
from alembic.config import Config
from sqlalchemy import Connection, Engine, create_engine, event, text
from sqlalchemy.orm import sessionmaker

MIGRATIONS = "boxoffice.ledger:migrations"
BUSY_TIMEOUT_MS = 30_000
FIRST_START_LOCK = 0x626F786F  # any fixed number: the advisory lock the ledger's start-up takes on PostgreSQL


def make_engine(url: str) -> Engine:
    if url.startswith("sqlite"):
        engine = create_engine(url, connect_args={"timeout": BUSY_TIMEOUT_MS / 1000, "check_same_thread": False})
        event.listen(engine, "connect", _sqlite_settings)
        event.listen(engine, "begin", lambda connection: connection.exec_driver_sql("BEGIN IMMEDIATE"))
        return engine
    return create_engine(url, pool_size=10, max_overflow=20, pool_pre_ping=True)


def _sqlite_settings(dbapi_connection: Any, _record: Any) -> None:
    dbapi_connection.isolation_level = None  # the driver's own BEGIN off: the "begin" event issues ours
    cursor = dbapi_connection.cursor()
    for pragma in ("journal_mode=WAL", "synchronous=FULL", "foreign_keys=ON", f"busy_timeout={BUSY_TIMEOUT_MS}"):
        cursor.execute(f"PRAGMA {pragma}")
    cursor.close()
    dbapi_connection.create_function("log1p", 1, math.log1p, deterministic=True)


def one_at_a_time(connection: Connection) -> None:
    """Within a transaction: wait for any other start-up's transaction (migration, first token) to end.

    Services starting together on a new PostgreSQL database (workers, replicas) would otherwise
    each create the schema, all but one failing, or each make a "first" token. SQLite needs
    nothing: its ``BEGIN IMMEDIATE`` already queues writers.
    """
    if connection.dialect.name == "postgresql":
        connection.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": FIRST_START_LOCK})


def sessions(engine: Engine) -> sessionmaker:
    return sessionmaker(engine, expire_on_commit=False)


def alembic_config(engine: Engine) -> Config:
    config = Config()
    config.set_main_option("script_location", MIGRATIONS)
    config.attributes["engine"] = engine
    return config


def upgrade(engine: Engine, revision: str = "head") -> None:
    """Bring the database to ``revision`` (an empty one is created from nothing)."""
    command.upgrade(alembic_config(engine), revision)
