"""Where the ledger lives, from the environment (pydantic-settings reads it)."""

from __future__ import annotations

from pathlib import Path

from pydantic_settings import BaseSettings, SettingsConfigDict

SQLITE_FILE = "ledger.sqlite3"


class LedgerSettings(BaseSettings):
    """``BOXOFFICE_LEDGER_URL`` (any SQLAlchemy URL, e.g. ``postgresql+psycopg://user:pw@host/db``) wins;
    else a SQLite file in ``BOXOFFICE_LEDGER_DIR`` (``ledger/``), so a fresh clone needs no server."""

    model_config = SettingsConfigDict(env_prefix="BOXOFFICE_LEDGER_")

    url: str | None = None
    dir: Path = Path("ledger")

    def database_url(self) -> str:
        if self.url:
            return self.url
        self.dir.mkdir(parents=True, exist_ok=True)
        return f"sqlite:///{(self.dir / SQLITE_FILE).resolve()}"
