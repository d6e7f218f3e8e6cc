"""The service's ledger connection: opened with the models when the service starts, closed when it stops."""

from __future__ import annotations

import logging
import os
import sys
from pathlib import Path

from alembic.util import CommandError
from fastapi import FastAPI
from sqlalchemy.exc import SQLAlchemyError

from boxoffice.ledger.database import make_engine, upgrade
from boxoffice.ledger.identity import ModelIdentity
from boxoffice.ledger.settings import LedgerSettings
from boxoffice.ledger.store import Ledger
from boxoffice.ledger.tokens import first_token

log = logging.getLogger("boxoffice.serving.ledger")


def open_ledger(app: FastAPI, models_dir: Path, url: str | None = None) -> None:
    """Connect, bring the schema up to date, and on the first start make a token and print where to use it.

    A ledger that cannot be opened leaves the forecasts served and the ledger's endpoints at 503.
    """
    app.state.ledger, app.state.ledger_error = None, None
    app.state.ledger_identity = ModelIdentity.of(models_dir)
    try:
        engine = make_engine(url or LedgerSettings().database_url())
        upgrade(engine)
        ledger = Ledger(engine)
        with ledger.session.begin() as session:
            token = first_token(session)
    except (SQLAlchemyError, OSError, CommandError) as err:  # CommandError: a database at an unknown revision
        app.state.ledger_error = f"the ledger's database cannot be opened: {type(err).__name__}"
        log.error("%s: %s", app.state.ledger_error, err)
        return
    app.state.ledger = ledger
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
