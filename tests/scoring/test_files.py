"""``python -m boxoffice.scoring``: the service's numbers for a file of films, rejects with reasons, atomic output."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from fastapi.testclient import TestClient
from pydantic import ValidationError

from boxoffice.prediction.batch import ANSWER_FIELDS
from boxoffice.prediction.schemas import MAX_BUDGET, MAX_POPULARITY, Movie
from boxoffice.scoring import cli, files
from boxoffice.serving.api import create_app

MAIN_COLUMNS = ["id", "runtime", "popularity", "vote_avg", "budget"]
PRE_COLUMNS = [
    "id",
    "budget",
    "runtime",
    "release_date",
    "original_language",
    "genres",
    "production_companies",
    "directors",
    "cast",
    "keywords",
]
GOOD = {"id": "g", "runtime": 120.0, "popularity": 50.0, "vote_avg": 7.0, "budget": 5e7}


@pytest.fixture(scope="module")
def client(project: Path):
    with TestClient(create_app(models_dir=project / "models", lock_path=project / "dvc.lock")) as test_client:
        yield test_client


@pytest.fixture(scope="module")
def test_split(project: Path) -> pd.DataFrame:
    return pd.read_csv(project / "data" / "features" / "test.csv", dtype={"id": str})


def write(frame: pd.DataFrame, path: Path) -> Path:
    if path.suffix == ".parquet":
        frame.to_parquet(path, index=False)
    else:
        frame.to_csv(path, index=False)
    return path


def read(path: Path) -> pd.DataFrame:
    return pd.read_parquet(path) if path.suffix == ".parquet" else pd.read_csv(path, dtype={"id": str})


def run(project: Path, source: Path, output: Path, variant: str = "main", **options) -> dict:
    return files.score_file(source, output, variant, project / "models", progress=False, **options)


def service_answers(client: TestClient, path: str, bodies: list[dict]) -> pd.DataFrame:
    answers = [client.post(path, json=body).json() for body in bodies]
    return pd.DataFrame(answers, columns=list(ANSWER_FIELDS))


def pre_release_body(row: dict) -> dict:
    body = {name: row[name] for name in PRE_COLUMNS if name != "id"}
    for name in ("genres", "production_companies", "directors", "cast", "keywords"):
        text = body[name]
        body[name] = [] if not isinstance(text, str) or text == "" else text.split("|")
    return body


@pytest.mark.parametrize("suffix", [".parquet", ".csv"])
def test_every_test_film_gets_the_service_numbers(
    project: Path, client: TestClient, test_split: pd.DataFrame, tmp_path: Path, suffix: str
) -> None:
    source = write(test_split[MAIN_COLUMNS], tmp_path / f"films{suffix}")
    result = run(project, source, tmp_path / f"scores{suffix}", chunk_size=17)  # several chunks, one ragged
    got = read(tmp_path / f"scores{suffix}")
    bodies = test_split[MAIN_COLUMNS[1:]].to_dict("records")
    expected = pd.DataFrame(client.post("/batch_predict", json=bodies).json()["predictions"])
    assert result["scored"] == len(test_split) and result["rejected"] == 0
    assert got["row"].tolist() == list(range(1, len(test_split) + 1))
    assert got["id"].tolist() == test_split["id"].tolist()
    pd.testing.assert_frame_equal(got[list(ANSWER_FIELDS)], expected[list(ANSWER_FIELDS)], check_exact=True)


def test_every_test_film_gets_the_pre_release_service_numbers(
    project: Path, client: TestClient, test_split: pd.DataFrame, tmp_path: Path
) -> None:
    source = write(test_split[PRE_COLUMNS], tmp_path / "films.parquet")
    run(project, source, tmp_path / "scores.parquet", "pre_release", chunk_size=25)
    got = read(tmp_path / "scores.parquet")
    bodies = [pre_release_body(row) for row in test_split[PRE_COLUMNS].to_dict("records")]
    expected = service_answers(client, "/predict/pre_release", bodies)
    assert got["id"].tolist() == test_split["id"].tolist()
    pd.testing.assert_frame_equal(got[list(ANSWER_FIELDS)], expected, check_exact=True)
    # The pre-release rows also say how each name was read, what to beware of, and the producer's result.
    service = [client.post("/predict/pre_release", json=body).json() for body in bodies]
    assert [json.loads(cell) for cell in got["names"]] == [answer["names"] for answer in service]
    assert [json.loads(cell) for cell in got["warnings"]] == [answer["warnings"] for answer in service]
    producer = ["profit_probability", "profit_median", "profit_low", "profit_high", "p_and_a", "distributor_share"]
    assert got[producer].to_dict("records") == [{name: answer[name] for name in producer} for answer in service]


def test_lists_as_json_or_tmdb_json_score_like_pipes(project: Path, test_split: pd.DataFrame, tmp_path: Path) -> None:
    films = test_split[PRE_COLUMNS].head(30).fillna("")
    as_json = films.copy()
    as_tmdb = films.copy()
    for name in ("genres", "production_companies", "directors", "cast", "keywords"):
        names = films[name].map(lambda text: text.split("|") if text else [])
        as_json[name] = names.map(json.dumps)
        as_tmdb[name] = names.map(lambda ns: json.dumps([{"id": i, "name": n} for i, n in enumerate(ns)]))
    outputs = []
    for label, frame in {"pipes": films, "json": as_json, "tmdb": as_tmdb}.items():
        run(project, write(frame, tmp_path / f"{label}.csv"), tmp_path / f"{label}.out.csv", "pre_release")
        outputs.append(read(tmp_path / f"{label}.out.csv"))
    pd.testing.assert_frame_equal(outputs[0], outputs[1], check_exact=True)
    pd.testing.assert_frame_equal(outputs[0], outputs[2], check_exact=True)


def test_a_tmdb_shaped_raw_file_scores(project: Path, write_raw: Callable[..., Path], tmp_path: Path) -> None:
    """The Kaggle file's own columns (vote_average, JSON lists) need no conversion; its zero budgets are rejects."""
    raw = write_raw([{"id": 10}, {"id": 11, "budget": 0}, {"id": 12, "vote_average": 7.5, "runtime": 95}])
    for variant in ("main", "pre_release"):
        result = run(project, raw, tmp_path / f"{variant}.csv", variant)
        assert (result["scored"], result["rejected"]) == (2, 1)
        assert read(tmp_path / f"{variant}.csv")["id"].tolist() == ["10", "12"]
        rejects = pd.read_csv(tmp_path / f"{variant}.rejects.csv")
        assert rejects[["row", "id", "field"]].values.tolist() == [[2, 11, "budget"]]


def test_broken_rows_go_to_rejects_with_the_service_reason(project: Path, client: TestClient, tmp_path: Path) -> None:
    broken = [
        {"budget": 0},
        {"runtime": "two hours"},
        {"vote_avg": None},
        {"popularity": -1.0, "runtime": 1001.0},
        {"vote_avg": 10.5},
        {"budget": float("inf")},
    ]
    rows = []
    for i, change in enumerate(broken):
        rows += [{**GOOD, "id": f"ok{i}"}, {**GOOD, **change, "id": f"bad{i}"}]
    source = write(pd.DataFrame(rows), tmp_path / "films.csv")
    result = run(project, source, tmp_path / "out.csv")

    assert (result["scored"], result["rejected"]) == (len(broken), len(broken))
    out = read(tmp_path / "out.csv")
    assert out["row"].tolist() == [1, 3, 5, 7, 9, 11]
    assert out["id"].tolist() == [f"ok{i}" for i in range(len(broken))]
    rejects = pd.read_csv(tmp_path / "out.rejects.csv", keep_default_na=False)
    assert rejects["row"].tolist() == [2, 4, 6, 8, 10, 12]
    assert rejects["id"].tolist() == [f"bad{i}" for i in range(len(broken))]
    for change, reason, field in zip(broken, rejects["reason"], rejects["field"], strict=True):
        body = {k: v for k, v in {**GOOD, **change}.items() if k != "id" and v is not None}
        if body["runtime"] == "two hours" or body["budget"] == float("inf"):
            continue  # JSON cannot carry these as the file does; the reasons are checked below
        detail = client.post("/predict", json=body).json()["detail"]
        assert reason == "; ".join(f"{e['field']}: {e['message']}" for e in detail)
        assert field == ", ".join(e["field"] for e in detail)
    assert rejects["reason"][1] == "runtime: Input should be a valid number"
    assert rejects["reason"][5] == "budget: Input should be a finite number"


@pytest.mark.parametrize(
    ("name", "value"),
    [
        ("runtime", 1000.0),
        ("runtime", np.nextafter(1000.0, 2000.0)),
        ("runtime", 0.0),
        ("runtime", 5e-324),
        ("popularity", 0.0),
        ("popularity", -0.0),
        ("popularity", MAX_POPULARITY),
        ("popularity", np.nextafter(MAX_POPULARITY, np.inf)),
        ("vote_avg", 10.0),
        ("vote_avg", np.nextafter(10.0, 11.0)),
        ("vote_avg", np.nextafter(0.0, -1.0)),
        ("budget", MAX_BUDGET),
        ("budget", np.nextafter(MAX_BUDGET, np.inf)),
        ("budget", -np.inf),
        ("budget", np.nan),
    ],
)
def test_the_vectorised_checks_accept_exactly_what_the_schema_accepts(project: Path, name: str, value: float) -> None:
    row = {**GOOD, name: value}
    try:
        Movie.model_validate({k: v for k, v in row.items() if k != "id" and not np.isnan(v)})
        accepted = True
    except ValidationError:
        accepted = False
    predictor = files.load_predictor(project / "models", "main")
    scored, rejected = files.score_chunk(predictor, pd.DataFrame([row]), 1)
    assert (len(scored), len(rejected)) == ((1, 0) if accepted else (0, 1))


@pytest.mark.parametrize("threads", [1, 3])
def test_a_failed_run_leaves_no_output_and_keeps_the_old_one(
    project: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, threads: int
) -> None:
    source = write(pd.DataFrame([GOOD] * 50), tmp_path / "films.csv")
    output = tmp_path / "out.parquet"
    output.write_bytes(b"yesterday's scores")
    calls = []

    def crash_on_third(*args, **kwargs):
        calls.append(1)
        if len(calls) == 3:
            raise KeyboardInterrupt
        return real(*args, **kwargs)

    real = files.score_chunk
    monkeypatch.setattr(files, "score_chunk", crash_on_third)
    with pytest.raises(KeyboardInterrupt):
        run(project, source, output, chunk_size=10, threads=threads)
    assert output.read_bytes() == b"yesterday's scores"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["films.csv", "out.parquet"]


def test_threads_and_chunk_sizes_do_not_change_the_output(
    project: Path, test_split: pd.DataFrame, tmp_path: Path
) -> None:
    """Pieces scored side by side come out in input order, rows numbered as in one pass."""
    films = test_split[MAIN_COLUMNS].copy()
    films.loc[films.index[::7], "budget"] = -1.0  # rejects spread over the pieces
    source = write(films, tmp_path / "films.parquet")
    outputs = []
    for threads, chunk_size in ((1, 100_000), (3, 30), (2, 7)):
        output = tmp_path / f"out-{threads}-{chunk_size}.parquet"
        run(project, source, output, chunk_size=chunk_size, threads=threads)
        outputs.append((read(output), pd.read_csv(files.rejects_path(output), dtype={"id": str})))
    for scored, rejected in outputs[1:]:
        pd.testing.assert_frame_equal(scored, outputs[0][0])
        pd.testing.assert_frame_equal(rejected, outputs[0][1])
    assert len(outputs[0][1]) == len(films.index[::7]) and len(outputs[0][0]) == len(films) - len(outputs[0][1])


@pytest.mark.parametrize("option", [["--threads", "0"], ["--chunk-size", "-5"], ["--threads", "two"]])
def test_a_bad_thread_count_or_chunk_size_is_refused_naming_it(tmp_path: Path, capsys, option: list[str]) -> None:
    with pytest.raises(SystemExit) as stopped:
        cli.main([str(tmp_path / "in.csv"), "-o", str(tmp_path / "out.csv"), *option])
    assert stopped.value.code == 2
    assert f"{option[0]}: expected a whole number of at least 1, not '{option[1]}'" in capsys.readouterr().err
    assert list(tmp_path.iterdir()) == []


def test_a_missing_column_stops_before_writing(project: Path, tmp_path: Path, capsys) -> None:
    source = write(pd.DataFrame([GOOD]).drop(columns="budget"), tmp_path / "films.csv")
    code = cli.main([str(source), "-o", str(tmp_path / "out.csv"), "--models", str(project / "models")])
    assert code == 2
    assert "no column for budget" in capsys.readouterr().err
    assert sorted(p.name for p in tmp_path.iterdir()) == ["films.csv"]


def test_the_command_prints_a_summary_and_keeps_text_ids(project: Path, tmp_path: Path, capsys) -> None:
    source = write(pd.DataFrame([{**GOOD, "id": "007"}, {**GOOD, "id": "008", "budget": -1}]), tmp_path / "in.csv")
    code = cli.main([str(source), "-o", str(tmp_path / "out.csv"), "--models", str(project / "models")])
    assert code == 0
    err = capsys.readouterr().err
    assert "scored 1 films, rejected 1" in err and "out.rejects.csv" in err
    assert read(tmp_path / "out.csv")["id"].tolist() == ["007"]


def test_an_empty_file_gives_empty_files_with_the_columns(project: Path, tmp_path: Path) -> None:
    source = tmp_path / "empty.csv"
    source.write_text(",".join(MAIN_COLUMNS) + "\n")
    result = run(project, source, tmp_path / "out.parquet")
    assert (result["scored"], result["rejected"]) == (0, 0)
    assert list(read(tmp_path / "out.parquet").columns) == ["row", "id", *ANSWER_FIELDS]


@pytest.mark.parametrize("variant", ["main", "pre_release"])
def test_every_real_test_film_gets_the_service_numbers(pipeline: Path, tmp_path: Path, variant: str) -> None:
    """On the real models: the test split's films, scored from a file, get the service's answers exactly."""
    films = pd.read_csv(pipeline / "data" / "features" / "test.csv", dtype={"id": str})
    films = films[films["runtime"] > 0]  # the service requires a runtime; the data has a few zeros
    columns = MAIN_COLUMNS if variant == "main" else PRE_COLUMNS
    result = run(pipeline, write(films[columns], tmp_path / "films.csv"), tmp_path / "out.parquet", variant)
    app = create_app(models_dir=pipeline / "models", lock_path=pipeline / "dvc.lock")
    with TestClient(app) as service:
        if variant == "main":
            bodies = films[columns[1:]].to_dict("records")
            expected = pd.DataFrame(service.post("/batch_predict", json=bodies).json()["predictions"])
        else:
            bodies = [pre_release_body(row) for row in films[columns].to_dict("records")]
            expected = service_answers(service, "/predict/pre_release", bodies)
    assert (result["scored"], result["rejected"]) == (len(films), 0)
    got = read(tmp_path / "out.parquet")
    pd.testing.assert_frame_equal(got[list(ANSWER_FIELDS)], expected[list(ANSWER_FIELDS)], check_exact=True)
