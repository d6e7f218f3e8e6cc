"""Outputs are complete or absent; a broken raw file stops `prepare` with a clear message."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
import yaml

from boxoffice.io import atomic_path, read_csv, read_json, write_json
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


def run_prepare(tmp_path: Path, raw: Path, credits: Path | None = None, keep_params: bool = False) -> tuple[int, str]:
    """``python -m stages.prepare RAW CREDITS extra_films out/movies.csv out/extra_films.csv out/prepare.json``
    in ``tmp_path``: exit code, message."""
    if not keep_params:
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


def with_extra_films(tmp_path: Path, names: list[str]) -> None:
    """The run's params.yaml (``run_prepare`` copies the project's) naming extra films files."""
    params = yaml.safe_load((tmp_path / "params.yaml").read_text(encoding="utf-8"))
    params["prepare"]["extra_films"] = names
    (tmp_path / "params.yaml").write_text(yaml.safe_dump(params), encoding="utf-8")


def test_a_bad_extra_films_file_stops_prepare_naming_file_row_and_column(tmp_path: Path, write_raw) -> None:
    (tmp_path / "extra_films").mkdir()
    example = (ROOT / "data" / "extra_films" / "studio_example.csv").read_text(encoding="utf-8").splitlines()
    bad = [example[0], example[1], example[2].replace("45000000", "45M", 1)]
    (tmp_path / "extra_films" / "ours.csv").write_text("\n".join(bad) + "\n", encoding="utf-8")
    shutil.copy(ROOT / "params.yaml", tmp_path / "params.yaml")
    with_extra_films(tmp_path, ["extra_films/ours.csv"])
    code, stderr = run_prepare(tmp_path, write_raw([{"id": 1}]), keep_params=True)
    assert code != 0
    assert stderr == "prepare: extra_films/ours.csv: column 'budget', data row 2: '45M' is not a number"
    assert not (tmp_path / "out").exists()


def test_an_extra_films_file_outside_the_tracked_folder_is_refused(tmp_path: Path, write_raw) -> None:
    (tmp_path / "extra_films").mkdir()
    shutil.copy(ROOT / "data" / "extra_films" / "studio_example.csv", tmp_path / "ours.csv")
    shutil.copy(ROOT / "params.yaml", tmp_path / "params.yaml")
    with_extra_films(tmp_path, ["ours.csv"])
    code, stderr = run_prepare(tmp_path, write_raw([{"id": 1}]), keep_params=True)
    assert code != 0
    assert "names ours.csv: extra films files must be inside extra_films/" in stderr
    assert not (tmp_path / "out").exists()


def test_prepare_adds_the_extra_films_tmdb_lacks_and_counts_the_one_it_has(tmp_path: Path, write_raw) -> None:
    (tmp_path / "extra_films").mkdir()
    shutil.copy(ROOT / "data" / "extra_films" / "studio_example.csv", tmp_path / "extra_films" / "ours.csv")
    shutil.copy(ROOT / "params.yaml", tmp_path / "params.yaml")
    with_extra_films(tmp_path, ["extra_films/ours.csv"])
    avatar = {"id": 19995, "title": "Avatar", "release_date": "2009-12-10"}  # TMDB's date; the studio's is 8 days on
    code, stderr = run_prepare(tmp_path, write_raw([{"id": 1}, avatar]), keep_params=True)
    assert code == 0, stderr
    report = read_json(tmp_path / "out" / "prepare.json")
    counts = {"rows_in": 4, "duplicate_of_tmdb": 1, "duplicate_of_earlier": 0, "rows_out": 3}
    assert report["extra_films"] == {"extra_films/ours.csv": counts}
    assert report["films_by_source"] == {"tmdb_5000": 2, "extra_films/ours.csv": 3}
    extra = read_csv(tmp_path / "out" / "extra_films.csv")
    assert extra["id"].tolist() == [-1, -2, -3]
    assert "Avatar" not in extra["title"].tolist()
    assert set(extra["source"]) == {"extra_films/ours.csv"}
    assert read_csv(tmp_path / "out" / "movies.csv")["id"].tolist() == [1, 19995]  # TMDB's films alone
