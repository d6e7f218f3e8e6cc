"""A tiny project for the fast tier: synthetic TMDB-shaped films through the real stage scripts.

``build(folder)`` writes ~300 made-up films and their credits, a ``params.yaml`` with the
real settings but tiny models (10 trees, one CV repeat), and runs every stage of
``dvc.yaml`` in this process, in order, with the commands written there. The result has
the layout of a real run (``data/``, ``models/``, ``metrics/``, ``plots/``), in seconds.
"""

from __future__ import annotations

import contextlib
import itertools
import json
import os
import re
import runpy
import shlex
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import NamedTuple

import numpy as np
import pandas as pd
import yaml

from boxoffice.io import md5_of
from harness.workspace import ROOT
from tests.reads import StageReads, recording_files, recording_params

GENRES = ["Action", "Adventure", "Comedy", "Drama", "Science Fiction", "Thriller", "Horror", "Family"]
COMPANIES = ["Warner Bros.", "Universal Pictures", "Garage Films", "Small Studio", "Indie House"]
KEYWORDS = ["sequel", "based on novel", "dream", "heist", "superhero"]
TINY_SETTINGS = {
    ("regressors", "random_forest"): {"n_estimators": 10, "max_depth": [3, 5], "random_state": 0, "n_jobs": 1},
    ("regressors", "gradient_boosting"): {"n_estimators": 10, "max_depth": 2, "random_state": 0},
    ("regressors", "xgboost"): {"n_estimators": 10, "max_depth": 2, "random_state": 0, "n_jobs": 1},
    ("regressors", "hist_gradient_boosting"): {
        "max_iter": 10,
        "max_leaf_nodes": 7,
        "early_stopping": False,
        "random_state": 0,
    },
    # One job: histogram gradient boosting's grid would start worker processes (about 1.3 s)
    # to search a few milliseconds of fits.
    ("regressors", "search"): {"folds": 5, "random_state": 42, "n_jobs": 1},
    ("classifier", "C"): [0.1, 1.0],
    ("classifier", "folds"): 3,
    ("evaluate", "cv_folds"): 3,
    ("evaluate", "cv_repeats"): 1,
    ("evaluate", "n_jobs"): 1,
    ("evaluate", "importance_repeats"): 1,
}


def films(n: int = 300, seed: int = 0) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Raw movies and credits tables in the Kaggle files' shapes; revenue grows with budget and votes."""
    rng = np.random.default_rng(seed)
    budget = np.round(np.exp(rng.normal(16.5, 1.2, n)), -3)
    quality = rng.normal(0, 1, n)
    revenue = np.round(budget * np.exp(0.6 + 0.8 * quality + rng.normal(0, 0.7, n)))
    days = rng.integers(np.datetime64("1985-01-01").astype(int), np.datetime64("2015-12-31").astype(int), n)

    def named(names: list[str]) -> str:
        return json.dumps([{"id": i, "name": name} for i, name in enumerate(names)])

    def pick(pool: list[str], most: int) -> list[str]:
        return [str(name) for name in rng.choice(pool, size=rng.integers(1, most + 1), replace=False)]

    movies = pd.DataFrame(
        {
            "budget": budget.astype(int),
            "genres": [named(pick(GENRES, 3)) for _ in range(n)],
            "homepage": "",
            "id": np.arange(1, n + 1),
            "keywords": [named(pick(KEYWORDS, 2)) for _ in range(n)],
            "original_language": rng.choice(["en", "en", "en", "fr"], n),
            "original_title": [f"Film {i}" for i in range(n)],
            "overview": "",
            "popularity": np.round(np.exp(2.5 + quality + rng.normal(0, 0.5, n)), 3),
            "production_companies": [named(pick(COMPANIES, 2)) for _ in range(n)],
            "production_countries": "[]",
            "release_date": np.datetime_as_string(days.astype("datetime64[D]")),
            "revenue": revenue.astype(int),
            "runtime": rng.integers(80, 170, n),
            "spoken_languages": "[]",
            "status": "Released",
            "tagline": "",
            "title": [f"Film {i}" for i in range(n)],
            "vote_average": np.round(np.clip(6.2 + 0.8 * quality + rng.normal(0, 0.4, n), 0, 10), 1),
            "vote_count": np.round(np.exp(6 + quality + rng.normal(0, 0.5, n))).astype(int),
        }
    )
    # Two films credit "Universal": a name with few films beside a much larger namesake ("Universal
    # Pictures"), as the real data's "Paramount" (2 films) sits beside "Paramount Pictures" (245).
    universal = movies.index[movies["production_companies"].str.contains('"Universal Pictures"')][:2]
    movies.loc[universal, "production_companies"] = movies.loc[universal, "production_companies"].str.replace(
        '"Universal Pictures"', '"Universal"'
    )
    directors, actors = [f"Director {i}" for i in range(40)], [f"Actor {i}" for i in range(80)]
    credits = pd.DataFrame(
        {
            "movie_id": movies["id"],
            "cast": [str([{"name": name, "order": k} for k, name in enumerate(pick(actors, 5))]) for _ in range(n)],
            "crew": [str([{"name": name, "job": "Director"} for name in pick(directors, 1)]) for _ in range(n)],
        }
    )
    return movies, credits


def tiny_params() -> dict:
    """The project's params.yaml with the tiny model settings above."""
    params = yaml.safe_load((ROOT / "params.yaml").read_text(encoding="utf-8"))
    for (section, key), value in TINY_SETTINGS.items():
        params[section][key] = value
    return params


class Stage(NamedTuple):
    """One stage of dvc.yaml, the matrix expanded: what it runs, and what it declares."""

    name: str  # as DVC names it: train-regressors@xgboost-main
    cmd: list[str]
    deps: list[str]
    params: list[str]
    outs: list[str]


def stage_instances(params: dict) -> list[Stage]:
    """Every stage of dvc.yaml in file order, the matrix expanded as DVC does, ``${...}``
    resolved from the matrix item or from ``params``."""
    instances = []
    for name, spec in yaml.safe_load((ROOT / "dvc.yaml").read_text(encoding="utf-8"))["stages"].items():
        matrix = spec.get("matrix", {})
        values = {key: params["regressors"]["models"] if key == "model" else options for key, options in matrix.items()}
        for combination in itertools.product(*values.values()):
            item = {f"item.{key}": value for key, value in zip(values, combination, strict=True)}
            instances.append(
                Stage(
                    f"{name}@{'-'.join(map(str, combination))}" if matrix else name,
                    shlex.split(_resolve(spec["cmd"], item, params)),
                    _paths(spec.get("deps", []), item, params),
                    _paths(spec.get("params", []), item, params),
                    _paths(spec.get("outs", []) + spec.get("metrics", []), item, params),
                )
            )
    return instances


def _resolve(text: str, item: dict, params: dict) -> str:
    """dvc.yaml's ``${...}``: from the matrix item, else from params.yaml."""

    def value(found: re.Match) -> str:
        key = found[1]
        return str(item[key] if key in item else dotted(params, key))

    return re.sub(r"\$\{([^}]+)\}", value, text)


def _paths(entries: list, item: dict, params: dict) -> list[str]:
    """A dvc.yaml list of deps, params or outs: each entry a string, or ``{string: options}``."""
    return [_resolve(entry if isinstance(entry, str) else next(iter(entry)), item, params) for entry in entries]


def dotted(params: dict, key: str) -> object:
    value: object = params
    for part in key.split("."):
        value = value[part]  # type: ignore[index]
    return value


@contextlib.contextmanager
def _inside(folder: Path, argv: list[str]) -> Iterator[None]:
    cwd, old_argv = Path.cwd(), sys.argv
    os.chdir(folder)
    sys.argv = argv
    try:
        yield
    finally:
        os.chdir(cwd)
        sys.argv = old_argv


def run_script(script: Path, args: list[str], folder: Path) -> tuple[int, str]:
    """Run a stage script in this process as ``python script args`` in ``folder`` would: its exit code and message.

    In this process, not a fresh interpreter (about a second each): an exception other than
    the script's ``sys.exit`` propagates, so a script that would print a traceback fails the test.
    """
    with _inside(folder, [str(script), *args]):
        try:
            runpy.run_path(str(script), run_name="__main__")
        except SystemExit as exit:
            if exit.code in (None, 0):
                return 0, ""
            return (exit.code, "") if isinstance(exit.code, int) else (1, str(exit.code))
    return 0, ""


def build(folder: Path, reads: dict[str, StageReads] | None = None, params: dict | None = None) -> Path:
    """A folder with the tiny project's data, params, main.py and every stage's outputs.

    ``reads``, when given, gets what each stage read, by stage name: its params
    (``recording_params``) and files (``recording_files``). ``params`` replaces ``tiny_params()``.
    """
    movies, credits = films()
    (folder / "data" / "raw").mkdir(parents=True)
    movies.to_csv(folder / "data" / "raw" / "tmdb_5000_movies.csv", index=False)
    credits.to_csv(folder / "data" / "raw" / "tmdb_5000_credits_slim.csv", index=False)
    (folder / "data" / "extra_films").mkdir()  # prepare.extra_films names none: films of TMDB's shape alone
    (folder / "main.py").write_text((ROOT / "main.py").read_text(encoding="utf-8"), encoding="utf-8")
    return run_stages(folder, params or tiny_params(), reads)


def run_stages(folder: Path, params: dict, reads: dict[str, StageReads] | None = None, start: str = "prepare") -> Path:
    """Write ``params`` as the folder's params.yaml and run the stages of dvc.yaml from ``start`` on, in order.

    From a later stage, on a built folder: what ``dvc exp run`` of a change would re-run (and more).
    """
    (folder / "params.yaml").write_text(yaml.safe_dump(params), encoding="utf-8")
    stages = stage_instances(params)
    first = next(index for index, stage in enumerate(stages) if stage.name.split("@")[0] == start)
    for stage in stages[first:]:
        assert stage.cmd[:2] == ["python", "-m"], stage.cmd
        script = ROOT / (stage.cmd[2].replace(".", "/") + ".py")  # this checkout's stage, as `python -m` finds it
        seen = StageReads(set(), set())
        with recording_params(seen.params), recording_files(folder, seen.files):
            code, message = run_script(script, stage.cmd[3:], folder)
        assert code == 0, message
        if reads is not None:
            reads[stage.name] = seen
    _write_lock(folder)
    return folder


def _write_lock(folder: Path) -> None:
    """A dvc.lock listing each model file's md5, as DVC would: what /model checks the files against."""
    outs = [
        {"path": path.relative_to(folder).as_posix(), "md5": md5_of(path)}
        for path in sorted((folder / "models").rglob("*.joblib"))
    ]
    (folder / "dvc.lock").write_text(yaml.safe_dump({"schema": "2.0", "stages": {"tiny": {"outs": outs}}}))
