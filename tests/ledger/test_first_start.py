"""Workers (processes, as uvicorn's) starting together on a new database: one schema, one first token."""

from __future__ import annotations

import multiprocessing
from multiprocessing.synchronize import Barrier
from pathlib import Path

import pytest
from fastapi import FastAPI
from sqlalchemy import func, select

from boxoffice.ledger.database import make_engine
from boxoffice.ledger.tables import Token
from boxoffice.serving.ledger_access import close_ledger, open_ledger

# Four, as a small server's workers. A race between them is rare in one run; the commit per SQLite migration
# that once allowed one (see migrations/env.py) is caught every time by test_migrations' count of commits.
WORKERS = 4


def worker(database_url: str, models_dir: Path, ready: Barrier) -> None:
    """A worker's start: the ledger opened once every worker is ready; its error, if any, as the exit code."""
    app = FastAPI()
    ready.wait()
    open_ledger(app, models_dir, database_url)
    close_ledger(app)
    raise SystemExit(app.state.ledger_error)


def test_workers_starting_together_migrate_once_and_make_one_token(
    database_url: str, tmp_path: Path, capfd: pytest.CaptureFixture[str]
) -> None:
    spawn = multiprocessing.get_context("spawn")
    ready = spawn.Barrier(WORKERS)
    workers = [spawn.Process(target=worker, args=(database_url, tmp_path, ready)) for _ in range(WORKERS)]
    for process in workers:
        process.start()
    for process in workers:
        process.join(timeout=120)
    printed = capfd.readouterr().err
    assert [process.exitcode for process in workers] == [0] * WORKERS, printed
    assert printed.count("#token=") == 1, printed
    engine = make_engine(database_url)
    with engine.connect() as connection:
        assert connection.scalar(select(func.count()).select_from(Token)) == 1
    engine.dispose()
