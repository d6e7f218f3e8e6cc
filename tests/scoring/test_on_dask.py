"""``boxoffice.scoring --scheduler``: on a 2-worker ``LocalCluster``, the same numbers as the single-process path."""

from __future__ import annotations

import os
import sys
from collections.abc import Iterator
from pathlib import Path

import cloudpickle
import pandas as pd
import pytest
from distributed import Client

from boxoffice.scoring import cli, files, on_dask

SCORE_PARTITION = on_dask.score_partition
BROKEN = [{"budget": "0"}, {"runtime": "long"}, {"vote_avg": ""}, {"release_date": "2010-13-01"}]


def fail_on_the_last_partition(frame: pd.DataFrame, *args) -> pd.DataFrame:
    """Scores like the real function, except that the partition holding one of the broken films fails."""
    if (frame["id"] == "bad20").any():
        raise RuntimeError("worker lost")
    return SCORE_PARTITION(frame, *args)


@pytest.fixture(scope="module")
def cluster() -> Iterator[str]:
    """``--scheduler local``'s own 2-worker cluster, started once for this module; yields its address.

    Its environment change (the workers' allocator) must be undone when it closes.
    """
    before = os.environ.get(on_dask.ARROW_POOL)
    with on_dask.scheduler_client("local") as client:
        yield client.scheduler.address
    assert os.environ.get(on_dask.ARROW_POOL) == before, "--scheduler local left ARROW_DEFAULT_MEMORY_POOL set"


def test_local_workers_start_with_the_system_allocator(cluster: str) -> None:
    with Client(cluster) as client:
        assert set(client.run(os.environ.get, on_dask.ARROW_POOL).values()) == {"system"}
        assert len(client.scheduler_info()["workers"]) == on_dask.LOCAL_WORKERS


@pytest.fixture(scope="module")
def films(project: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The tiny test split, three times over, with broken rows spread through it (as text, like any CSV)."""
    test = pd.read_csv(project / "data" / "features" / "test.csv", dtype=str, keep_default_na=False)
    frames = []
    for copy in range(3):
        part = test.assign(id=test["id"] + f"-{copy}")
        for i, change in enumerate(BROKEN):
            part.loc[len(part)] = {**part.iloc[i * 7].to_dict(), **change, "id": f"bad{copy}{i}"}
        frames.append(part.sample(frac=1.0, random_state=copy))
    path = tmp_path_factory.mktemp("films") / "films.csv"
    pd.concat(frames).to_csv(path, index=False)
    return path


@pytest.mark.parametrize("suffix", [".csv", ".parquet"])
@pytest.mark.parametrize("variant", ["main", "pre_release"])
def test_dask_gives_the_single_process_numbers(
    project: Path,
    films: Path,
    cluster: str,
    tmp_path: Path,
    variant: str,
    suffix: str,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Scores, rejects and row numbers: a CSV numbered by a cumulative sum, Parquet from its footer."""
    monkeypatch.setattr(on_dask, "CSV_BLOCK", 20_000)  # several partitions from a small file
    if suffix == ".parquet":  # row groups of 29 rows: several partitions
        frame = pd.read_csv(films, dtype=str, keep_default_na=False)
        films = tmp_path / "films.parquet"
        frame.to_parquet(films, index=False, row_group_size=29)
    assert on_dask.read_films(films).npartitions >= 3
    models = project / "models"
    single = files.score_file(films, tmp_path / "single.parquet", variant, models, progress=False)
    spread = on_dask.score_with_dask(films, tmp_path / "dask.parquet", variant, models, cluster)

    assert (spread["scored"], spread["rejected"]) == (single["scored"], single["rejected"])
    assert single["rejected"] == 3 * 3  # each variant ignores one of the four broken fields
    assert len(list((tmp_path / "dask.parquet").glob("*.parquet"))) >= 3
    got = pd.read_parquet(tmp_path / "dask.parquet")
    expected = pd.read_parquet(tmp_path / "single.parquet")
    pd.testing.assert_frame_equal(got, expected, check_exact=True, check_dtype=False)
    pd.testing.assert_frame_equal(
        pd.read_csv(tmp_path / "dask.rejects.csv"), pd.read_csv(tmp_path / "single.rejects.csv"), check_exact=True
    )


def test_the_command_on_a_cluster(project: Path, films: Path, cluster: str, tmp_path: Path, capsys) -> None:
    args = [str(films), "-o", str(tmp_path / "out.parquet"), "--models", str(project / "models")]
    assert cli.main([*args, "--scheduler", cluster]) == 0
    assert "rejected 9" in capsys.readouterr().err
    films_in = 3 * (len(pd.read_csv(project / "data" / "features" / "test.csv")) + len(BROKEN))
    assert len(pd.read_parquet(tmp_path / "out.parquet")) == films_in - 9  # every film scored or rejected
    assert cli.main([*args[:2], str(tmp_path / "out.csv"), *args[3:], "--scheduler", "local"]) == 2
    assert "folder of Parquet files" in capsys.readouterr().err


def test_a_failed_dask_run_keeps_the_old_output(
    project: Path, films: Path, cluster: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    output = tmp_path / "out.parquet"
    output.mkdir()
    (output / "part.0.parquet").write_bytes(b"yesterday")

    monkeypatch.setattr(on_dask, "CSV_BLOCK", 20_000)
    monkeypatch.setattr(on_dask, "score_partition", fail_on_the_last_partition)
    cloudpickle.register_pickle_by_value(sys.modules[__name__])  # the workers cannot import tests/
    with pytest.raises(RuntimeError, match="worker lost"):
        on_dask.score_with_dask(films, output, "main", project / "models", cluster)
    assert [p.name for p in output.iterdir()] == ["part.0.parquet"]
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out.parquet"]
