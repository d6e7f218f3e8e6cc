"""``python -m boxoffice.ledger token create``: tokens made outside the service, for the service."""

from __future__ import annotations

import csv
import datetime as dt
import subprocess
import sys
from pathlib import Path

import pytest

from boxoffice.data.films import read_films
from boxoffice.ledger.__main__ import main
from boxoffice.ledger.database import make_engine, upgrade
from boxoffice.ledger.films import FILMS_COLUMNS
from boxoffice.ledger.identity import ModelIdentity
from boxoffice.ledger.store import Answered, Ledger
from boxoffice.ledger.tables import Token
from boxoffice.ledger.tokens import READ, WRITE, digest, scope_of
from boxoffice.prediction.schemas import PRE_RELEASE_EXAMPLE


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


def test_the_command_runs_as_a_module(tmp_path: Path) -> None:
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


def test_export_writes_the_released_films_in_the_films_schema(
    database_url: str, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    engine = make_engine(database_url)
    upgrade(engine)
    ledger = Ledger(engine)
    answer = {"predicted_revenue": 2e8, "revenue_low": 1e8, "revenue_high": 4e8, "interval_coverage": 0.8}
    identity = ModelIdentity("hash", "commit")
    released = {**PRE_RELEASE_EXAMPLE, "cast": ["O'Brien", "<b>Lead</b>"]}
    films = [('Out, "quoted"', released), ("Pending", PRE_RELEASE_EXAMPLE), ("Deleted", PRE_RELEASE_EXAMPLE)]
    ids = [
        ledger.save("S", name, Answered(film, {**answer, "hit_probability": 0.4}, identity, 2.0))["id"]
        for name, film in films
    ]
    ledger.record_actual(ids[0], 8.25e8, dt.date(2010, 12, 31), "studio")
    ledger.record_actual(ids[2], 1e6, dt.date(2010, 12, 31), "studio")
    ledger.delete(ids[2])
    monkeypatch.setenv("BOXOFFICE_LEDGER_URL", database_url)
    out = tmp_path / "films.csv"
    assert main(["export", str(out)]) == 0
    rows = list(csv.DictReader(out.open(encoding="utf-8")))
    assert list(rows[0]) == list(FILMS_COLUMNS)
    assert len(rows) == 1
    row = rows[0]
    assert (row["title"], float(row["revenue"]), row["revenue_source"]) == ('Out, "quoted"', 8.25e8, "studio")
    assert row["cast"].split("|") == ["O'Brien", "<b>Lead</b>"]
    assert row["genres"].split("|") == PRE_RELEASE_EXAMPLE["genres"]
    assert (row["release_date"], float(row["budget"])) == (PRE_RELEASE_EXAMPLE["release_date"], 1.5e8)
    assert read_films(out)["cast"].tolist() == ["O'Brien|<b>Lead</b>"]  # prepare reads the file as written
    engine.dispose()
