"""Outputs are complete or absent; a broken raw file stops `prepare` with a clear message."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from boxoffice.io import atomic_path, read_json, write_json
from tests.conftest import HEADER, ROOT
from tests.tiny import run_script


def test_atomic_path_keeps_the_old_file_when_writing_fails(tmp_path: Path) -> None:
    target = tmp_path / "out.json"
    write_json(target, {"old": 1})
    with pytest.raises(RuntimeError), atomic_path(target) as tmp:
        tmp.write_text("half")
        raise RuntimeError("crash mid-write")
    assert read_json(target) == {"old": 1}
    assert list(tmp_path.iterdir()) == [target]


CREDITS = """movie_id,cast,crew
1,"[{'name': 'Ann Lead', 'order': 0}]","[{'name': 'Dee Rector', 'job': 'Director'}]"
"""


def run_prepare(tmp_path: Path, raw: Path, credits: Path | None = None) -> tuple[int, str]:
    """``python -m stages.prepare RAW CREDITS extra_films out/movies.csv out/extra_films.csv out/prepare.json``
    in ``tmp_path``: exit code, message."""
    shutil.copy(ROOT / "params.yaml", tmp_path / "params.yaml")
    if credits is None:
        credits = tmp_path / "credits.csv"
        credits.write_text(CREDITS)
    args = [str(raw), str(credits), "extra_films", "out/movies.csv", "out/extra_films.csv", "out/prepare.json"]
    return run_script(ROOT / "stages" / "prepare.py", args, tmp_path)


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"", "file is empty"),
        (HEADER.replace("budget,", "cost,", 1).encode() + b"\n1,2\n", "missing required column(s): budget"),
        (HEADER.encode() + b"\n", "no rows"),
        (b"\xff\xfe" + "id,budget\n".encode("utf-16-le"), "not UTF-8"),
    ],
)
def test_broken_raw_file_stops_prepare_and_writes_nothing(tmp_path: Path, content: bytes, message: str) -> None:
    raw = tmp_path / "raw.csv"
    raw.write_bytes(content)
    code, stderr = run_prepare(tmp_path, raw)  # any exception but the stage's own exit would fail here
    assert code != 0
    assert message in stderr
    assert not (tmp_path / "out").exists()


def test_prepare_writes_table_and_counts(tmp_path: Path, write_raw) -> None:
    raw = write_raw([{"id": 1}, {"id": 2, "budget": 0}, {"id": 1}])
    code, stderr = run_prepare(tmp_path, raw)
    assert code == 0, stderr
    report = read_json(tmp_path / "out" / "prepare.json")
    assert report["rows_in"] == 3
    assert report["rows_out"] == 1
    assert report["dropped"]["duplicate_id"] == 1
    assert report["dropped"]["unknown_budget"] == 1
    assert sorted(p.name for p in (tmp_path / "out").iterdir()) == ["extra_films.csv", "movies.csv", "prepare.json"]
    movies = (tmp_path / "out" / "movies.csv").read_text()
    assert "Dee Rector" in movies
    assert "Ann Lead" in movies


def test_broken_credits_file_stops_prepare(tmp_path: Path, write_raw) -> None:
    credits = tmp_path / "credits.csv"
    credits.write_text("movie_id,cast\n1,[]\n")
    code, stderr = run_prepare(tmp_path, write_raw([{"id": 1}]), credits)
    assert code != 0
    assert "missing required column(s): crew" in stderr
    assert not (tmp_path / "out").exists()
