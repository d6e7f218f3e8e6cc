"""The service's ledger connection: opened with the models when the service starts, closed when it stops."""

from __future__ import annotations

import logging
import os
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path
from threading import Lock

from fastapi import FastAPI
from sqlalchemy.exc import SQLAlchemyError

from boxoffice.ledger.database import make_engine, upgrade
from boxoffice.ledger.identity import ModelIdentity
from boxoffice.ledger.settings import LedgerSettings
from boxoffice.ledger.store import Ledger
from boxoffice.ledger.tokens import first_token

log = logging.getLogger("boxoffice.serving.ledger")


RETRY_SECONDS = 5.0  # how often a ledger that could not be opened is tried again, at most


@dataclass
class Reopening:
    """When a ledger that could not be opened may be tried again: its database may start after the
    service (compose under a podman too old for ``depends_on: service_healthy``, a server restarting)."""

    url: str | None
    next_try: float = field(default_factory=lambda: time.monotonic() + RETRY_SECONDS)
    lock: Lock = field(default_factory=Lock)


def open_ledger(app: FastAPI, models_dir: Path, url: str | None = None) -> None:
    """Connect, bring the schema up to date, and on the first start make a token and print where to use it.

    A ledger that cannot be opened leaves the forecasts served and the ledger's endpoints at 503
    until ``reopen_ledger`` opens it.
    """
    app.state.ledger, app.state.ledger_error = None, None
    app.state.ledger_identity = ModelIdentity.of(models_dir)
    app.state.ledger_reopening = Reopening(url)
    _connect(app, url)


def reopen_ledger(app: FastAPI) -> None:
    """Try again to open a ledger that could not be opened, if RETRY_SECONDS have passed (one thread at a time)."""
    reopening: Reopening | None = getattr(app.state, "ledger_reopening", None)
    if reopening is None or not reopening.lock.acquire(blocking=False):
        return
    try:
        if app.state.ledger is None and time.monotonic() >= reopening.next_try:
            reopening.next_try = time.monotonic() + RETRY_SECONDS
            _connect(app, reopening.url)
            if app.state.ledger is not None:
                log.info("the ledger's database is open now")
    finally:
        reopening.lock.release()


def _connect(app: FastAPI, url: str | None) -> None:
    try:
        engine = make_engine(url or LedgerSettings().database_url())
        upgrade(engine)
        ledger = Ledger(engine)
        with ledger.session.begin() as session:
            token = first_token(session)
    except (SQLAlchemyError, OSError) as err:
        app.state.ledger_error = f"the ledger's database cannot be opened: {type(err).__name__}"
        log.error("%s: %s", app.state.ledger_error, err)
        return
    app.state.ledger, app.state.ledger_error = ledger, None
    if token is not None:
        base = os.environ.get("BOXOFFICE_PUBLIC_URL", "http://127.0.0.1:8000").rstrip("/")
        print(
            "\nThe forecast ledger's first token (kept only as a hash; more with "
            "`python -m boxoffice.ledger token create`):\n"
            f"    {base}/ledger#token={token}\n",
            file=sys.stderr,
            flush=True,
        )


def close_ledger(app: FastAPI) -> None:
    ledger = getattr(app.state, "ledger", None)
    if ledger is not None:
        ledger.engine.dispose()
