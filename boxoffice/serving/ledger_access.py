"""The service's ledger connection: opened with the models when the service starts, closed when it stops."""

from __future__ import annotations

import logging
import sys
from pathlib import Path
from threading import Event, Thread

import click
from alembic.util import CommandError
from fastapi import FastAPI
from sqlalchemy.exc import SQLAlchemyError

from boxoffice.ledger.database import make_engine, upgrade
from boxoffice.ledger.identity import ModelIdentity
from boxoffice.ledger.links import PUBLIC_URL, page_link, public_base
from boxoffice.ledger.settings import LedgerSettings
from boxoffice.ledger.store import Ledger
from boxoffice.ledger.tokens import first_token

log = logging.getLogger("boxoffice.serving.ledger")


RETRY_SECONDS = 5.0  # how often a ledger that could not be opened is tried again


def open_ledger(app: FastAPI, models_dir: Path, url: str | None = None) -> None:
    """Connect, bring the schema up to date, and on the first start make a token and print where to use it.

    A ledger that cannot be opened leaves the forecasts served and the ledger's endpoints at 503,
    and is tried again every RETRY_SECONDS until it opens: its database may start after the service
    (compose under a podman older than 4.6 ignores ``depends_on: service_healthy``; a server restarting).
    """
    app.state.ledger, app.state.ledger_error = None, None
    app.state.ledger_identity = ModelIdentity.of(models_dir)
    app.state.ledger_stop = stop = Event()
    error = _connect(app, url)
    if error is not None:
        log.error("%s; trying again every %g s", error, RETRY_SECONDS)
        Thread(target=_keep_trying, args=(app, url, stop), name="ledger-reopening", daemon=True).start()


def _keep_trying(app: FastAPI, url: str | None, stop: Event) -> None:
    while not stop.wait(RETRY_SECONDS):
        if _connect(app, url) is None:
            log.info("the ledger's database is open now")
            if stop.is_set():  # the service stopped meanwhile: close_ledger has run
                close_ledger(app)
            return


def _connect(app: FastAPI, url: str | None) -> str | None:
    """Open the ledger into ``app.state.ledger``; None, or why it could not be opened (also in ``ledger_error``)."""
    engine = None
    try:
        engine = make_engine(url or LedgerSettings().database_url())
        upgrade(engine)
        ledger = Ledger(engine)
        with ledger.session.begin() as session:
            token = first_token(session)
    except (SQLAlchemyError, OSError, CommandError) as err:  # CommandError: a database at an unknown revision
        if engine is not None:  # tried again every RETRY_SECONDS: no pool left behind each time
            engine.dispose()
        app.state.ledger_error = f"the ledger's database cannot be opened: {type(err).__name__}"
        return f"{app.state.ledger_error}: {err}"
    app.state.ledger, app.state.ledger_error = ledger, None
    if token is not None:
        print(
            "\nThe forecast ledger's first token (kept only as a hash; more with "
            "`python -m boxoffice.ledger token create`):\n"
            f"    {page_link(token, public_base(*listening()))}\n"
            f"(reached at another address? set {PUBLIC_URL})\n",
            file=sys.stderr,
            flush=True,
        )
    return None


def listening() -> tuple[str | None, int | None]:
    """The host and port uvicorn's command line was given (its options, UVICORN_PORT or its defaults): the service
    starts inside that command. (None, None) when started otherwise, or in a worker process of ``--workers``."""
    command = click.get_current_context(silent=True)
    if command is None:
        return None, None
    return command.params.get("host"), command.params.get("port")


def close_ledger(app: FastAPI) -> None:
    stop = getattr(app.state, "ledger_stop", None)
    if stop is not None:
        stop.set()
    ledger = getattr(app.state, "ledger", None)
    if ledger is not None:
        ledger.engine.dispose()
