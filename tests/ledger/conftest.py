"""The ledger's tests run once on SQLite and once on a real PostgreSQL server started here."""

from __future__ import annotations

import itertools
import os
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import create_engine, text

from harness import postgres
from tests.conftest import packages_problem, wait_for_packages

_databases = itertools.count()
BACKENDS = ["sqlite", "postgresql"]


@pytest.fixture(scope="session")
def postgres_cluster() -> Iterator[str]:
    """The session's cluster; without PostgreSQL installed the PG tests are skipped, or fail in CI."""
    wait_for_packages()
    if postgres.binaries() is None:
        if os.environ.get("BOXOFFICE_REQUIRE_POSTGRES") == "1":
            pytest.fail(postgres.MISSING + packages_problem(), pytrace=False)
        pytest.skip(postgres.MISSING)
    with postgres.cluster() as url:
        yield url


def new_postgres_database(cluster: str) -> str:
    name = f"ledger_{next(_databases)}"
    admin = create_engine(cluster, isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(text(f"CREATE DATABASE {name}"))
    admin.dispose()
    return cluster.rsplit("/", 1)[0] + f"/{name}"


def empty_database(request: pytest.FixtureRequest, folder: Path) -> str:
    if request.param == "sqlite":
        return f"sqlite:///{folder / 'ledger.sqlite3'}"
    return new_postgres_database(request.getfixturevalue("postgres_cluster"))


@pytest.fixture(params=BACKENDS)
def database_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """An empty database on each backend: a SQLite file, or a new database in the session's cluster."""
    return empty_database(request, tmp_path)


@pytest.fixture(scope="module", params=BACKENDS)
def module_database_url(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> str:
    """As ``database_url``, shared by a module's tests (a service started once per backend)."""
    return empty_database(request, tmp_path_factory.mktemp("ledger"))
