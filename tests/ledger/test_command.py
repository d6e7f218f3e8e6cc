"""``python -m boxoffice.ledger token create``: tokens made outside the service, for the service."""

from __future__ import annotations

import subprocess
import sys

import pytest

from boxoffice.ledger.__main__ import main
from boxoffice.ledger.database import make_engine
from boxoffice.ledger.store import Ledger
from boxoffice.ledger.tables import Token
from boxoffice.ledger.tokens import READ, WRITE, digest, scope_of


@pytest.mark.parametrize(("options", "scope"), [([], WRITE), (["--read-only"], READ)])
def test_token_create_prints_a_token_of_its_scope_and_stores_its_hash(
    database_url: str,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    options: list[str],
    scope: str,
) -> None:
    monkeypatch.setenv("BOXOFFICE_LEDGER_URL", database_url)
    assert main(["token", "create", *options, "--label", "analyst"]) == 0
    token = capsys.readouterr().out.strip()
    ledger = Ledger(make_engine(database_url))
    with ledger.session.begin() as session:
        assert scope_of(session, token) == scope
        assert scope_of(session, token + "x") is None
        stored = session.query(Token).one()
    assert (stored.digest, stored.label) == (digest(token), "analyst")
    ledger.engine.dispose()


def test_the_command_runs_as_a_module(tmp_path) -> None:
    env = {"BOXOFFICE_LEDGER_DIR": str(tmp_path), "PATH": "/usr/bin:/bin"}
    result = subprocess.run(
        [sys.executable, "-m", "boxoffice.ledger", "token", "create", "--read-only"],
        capture_output=True,
        text=True,
        env=env,
    )
    assert result.returncode == 0, result.stderr
    assert "read-only token" in result.stderr
    assert (tmp_path / "ledger.sqlite3").exists()
