"""A round trip on the tiny project: forecasts saved in a ledger (SQLite), their actual results
recorded, exported in the films schema, named in params.yaml and learnt from; the reports give
figures per source.

The fast test runs the stage scripts in this process (``tests.tiny``); the pipeline test runs
``dvc repro`` and checks which stages each step re-runs.
"""

from __future__ import annotations

import datetime as dt
import json
import re
import shutil
from pathlib import Path

import pandas as pd
import pytest
import yaml

from boxoffice.io import read_csv, read_json
from boxoffice.ledger.__main__ import main as ledger_command
from boxoffice.ledger.database import make_engine, upgrade
from boxoffice.ledger.identity import ModelIdentity
from boxoffice.ledger.store import Answered, Ledger
from harness.workspace import commit, copy_project, run
from tests import tiny

LEDGER_FILE = "data/extra_films/ledger.csv"
ANSWER = {
    "predicted_revenue": 5e7,
    "revenue_low": 2e7,
    "revenue_high": 1e8,
    "interval_coverage": 0.8,
    "hit_probability": 0.4,
}


def pre_release_film(title: str, release_date: str, budget: float) -> dict:
    """A film as /predict/pre_release takes it, with the tiny project's names."""
    return {
        "title": title,
        "budget": budget,
        "runtime": 112,
        "release_date": release_date,
        "genres": ["Action", "Comedy"],
        "original_language": "en",
        "production_companies": ["Warner Bros.", "Garage Films"],
        "directors": ["Director 3"],
        "cast": ["Actor 1", "Actor 7"],
        "keywords": ["sequel"],
    }


def released_slate() -> list[tuple[dict, float | None]]:
    """Five saved forecasts: three new films released after the tiny data, one the tiny TMDB already has
    (its title typed in capitals), and one with no actual result yet (not exported)."""
    movies, _ = tiny.films()
    known = movies.iloc[5]
    return [
        (pre_release_film("Night Freight", "2017-03-10", 4.5e7), 1.2e8),
        (pre_release_film("Small Hours", "2018-06-15", 3.5e6), 2.1e6),
        (pre_release_film("The Lighthouse", "2019-11-20", 1.2e7), 3.15e7),
        (pre_release_film(str(known["title"]).upper(), str(known["release_date"]), float(known["budget"])), 9e7),
        (pre_release_film("Not Out Yet", "2027-05-01", 2e7), None),
    ]


def export_released_films(folder: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Save the slate in a SQLite ledger, record the actual results, and export them to LEDGER_FILE."""
    url = f"sqlite:///{folder.parent / 'ledger.sqlite3'}"  # beside the project, as a service's ledger would be
    engine = make_engine(url)
    upgrade(engine)
    ledger = Ledger(engine)
    for film, revenue in released_slate():
        saved = ledger.save("Our slate", film["title"], Answered(film, ANSWER, ModelIdentity("hash", "commit"), 2.0))
        if revenue is not None:
            ledger.record_actual(saved["id"], revenue, dt.date(2026, 1, 5), "distributor statement")
    engine.dispose()
    monkeypatch.setenv("BOXOFFICE_LEDGER_URL", url)
    assert ledger_command(["export", str(folder / LEDGER_FILE)]) == 0


def with_ledger_films(params: dict) -> dict:
    return {**params, "prepare": {**params["prepare"], "extra_films": [LEDGER_FILE]}}


def check_reports(folder: Path, baseline: Path) -> None:
    """What the merged run must show: the counts, the films in train alone, figures per source."""
    prepare = read_json(folder / "metrics" / "prepare.json")
    counts = {"rows_in": 4, "duplicate_of_tmdb": 1, "duplicate_of_earlier": 0, "rows_out": 3}
    assert prepare["extra_films"] == {LEDGER_FILE: counts}
    assert prepare["films_by_source"] == {"tmdb_5000": prepare["rows_out"], LEDGER_FILE: 3}

    train = read_csv(folder / "data" / "features" / "train.csv")
    extra = train[train["id"] < 0]
    assert sorted(extra["title"]) == ["Night Freight", "Small Hours", "The Lighthouse"]
    assert len(train) == len(read_csv(baseline / "data" / "features" / "train.csv")) + 3
    for name in ("validation", "test"):  # the held-out films and their targets are what they were
        merged, before = (read_csv(root / "data" / "features" / f"{name}.csv") for root in (folder, baseline))
        pd.testing.assert_frame_equal(merged[["id", "log_revenue"]], before[["id", "log_revenue"]])

    forward = read_json(folder / "metrics" / "regression.json")["pre_release"]["forward"]
    by_source = {row["slice"]: row for row in forward["slices"]["source"]}
    assert by_source["extra_films"]["films"] == 3  # released after the cutoff: scored forward in time
    assert by_source["tmdb_5000"]["films"] + 3 == forward["films"]["scored"]
    results = (folder / "reports" / "results.md").read_text(encoding="utf-8")
    assert f"| {LEDGER_FILE} | 4 | 3 | 1 | 0 |" in results
    assert re.search(r"\| pre-release, forward \| extra_films \| 3 \|", results)
    card = (folder / "reports" / "model-card.md").read_text(encoding="utf-8")
    assert f"Extra films from `{LEDGER_FILE}`: 3 of its 4 films, in train only" in card
    assert "| extra_films | 3 |" in card


def test_the_ledgers_released_films_are_learnt_from_and_reported_by_source(
    project: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    folder = tmp_path / "merged"
    shutil.copytree(project, folder)
    export_released_films(folder, monkeypatch)
    tiny.run_stages(folder, with_ledger_films(tiny.tiny_params()))
    check_reports(folder, project)


def ran(output: str) -> set[str]:
    return set(re.findall(r"Running stage '([^']+)'", output))


# The round trip's model types: two of the five. Which stages re-run does not depend on how many there are,
# and each type adds three stages (its two variants and its forward rebuild) of seconds of start-up each.
ROUND_TRIP_MODELS = ["linear_regression", "random_forest"]


def with_two_model_types(params: dict) -> dict:
    return {**params, "regressors": {**params["regressors"], "models": ROUND_TRIP_MODELS}}


@pytest.mark.pipeline
def test_dvc_repro_of_the_round_trip_reruns_exactly_what_the_new_films_change(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The tiny project with two model types as a DVC project (its in-process build committed with `dvc
    commit`), then: the export alone re-runs prepare and nothing after it; naming it in params.yaml
    re-runs every stage, as every film table changes; afterwards the pipeline is up to date."""
    built = tiny.build(tmp_path / "built", params=with_two_model_types(tiny.tiny_params()))
    dvc_project = copy_project(tmp_path / "dvc", clean_outputs=True)
    for name in ("data", "models", "metrics", "plots", "reports"):
        shutil.copytree(built / name, dvc_project / name, dirs_exist_ok=True)
    shutil.copy(built / "params.yaml", dvc_project / "params.yaml")
    run(["dvc", "commit", "--force", "--quiet"], dvc_project)
    commit(dvc_project, "the tiny project")
    assert json.loads(run(["dvc", "status", "--json"], dvc_project).stdout) == {}

    export_released_films(dvc_project, monkeypatch)
    assert ran(run(["dvc", "repro"], dvc_project).stdout) == {"prepare"}  # its outputs are unchanged
    commit(dvc_project, "the ledger's films, not yet named")

    params = with_ledger_films(yaml.safe_load((dvc_project / "params.yaml").read_text(encoding="utf-8")))
    (dvc_project / "params.yaml").write_text(yaml.safe_dump(params), encoding="utf-8")
    stages = {stage.name for stage in tiny.stage_instances(params)}
    assert ran(run(["dvc", "repro"], dvc_project).stdout) == stages
    assert json.loads(run(["dvc", "status", "--json"], dvc_project).stdout) == {}
    changed = json.loads(run(["dvc", "metrics", "diff", "--json"], dvc_project).stdout)
    assert changed["metrics/headline.json"], "the forward figures score three more films"
    check_reports(dvc_project, built)
