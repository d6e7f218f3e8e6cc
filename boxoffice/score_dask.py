"""``python -m boxoffice.score ... --scheduler local|ADDRESS``: the same chunk scorer on Dask partitions.

The input is read as a Dask dataframe; ``boxoffice.score.score_chunk`` runs on every
partition with ``map_partitions``; scores go to a folder of Parquet files (one per
partition, in input order) and rejects to one CSV. The served models are loaded here and
shipped to the workers inside the task graph, so a worker needs the ``boxoffice``
package and its pinned dependencies, not the models folder.
"""

from __future__ import annotations

import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import dask
import dask.dataframe as dd
import pandas as pd
import pyarrow.parquet as pq
from distributed import Client, LocalCluster

from boxoffice.batch import ANSWER_FIELDS
from boxoffice.io import atomic_dir, atomic_path
from boxoffice.predictor import Predictor
from boxoffice.score import (
    CSV_OPTIONS,
    REJECT_COLUMNS,
    ScoreError,
    check_columns,
    load_predictor,
    rejects_path,
    score_chunk,
    wanted_columns,
)

LOCAL_WORKERS = 2
CSV_BLOCK = "64MB"
ROW = "__boxoffice_row__"  # the 1-based input row number, added before partitions are scored


def read_films(source: Path, columns: set[str] | None = None) -> dd.DataFrame:
    """The input as a Dask dataframe: a partition per Parquet row group, or per CSV_BLOCK of CSV."""
    if not source.exists():
        raise ScoreError(f"no such file: {source}")
    if source.suffix == ".parquet":
        names = [name for name in pq.read_schema(source).names if columns is None or name in columns]
        return dd.read_parquet(source, columns=names, split_row_groups=True)
    usecols = None if columns is None else (lambda name: name in columns)
    return dd.read_csv(source, blocksize=CSV_BLOCK, usecols=usecols, **CSV_OPTIONS)


def score_partition(frame: pd.DataFrame, predictor: Predictor, id_column: str | None) -> pd.DataFrame:
    """Scores and rejects of one partition in one frame (``rejected`` tells them apart).

    The partition carries its rows' numbers in ROW (a cumulative sum over the whole
    dataframe), so numbering does not depend on how Dask splits or fuses partitions.
    """
    first_row = int(frame[ROW].iloc[0]) if len(frame) else 1
    scored, rejected = score_chunk(predictor, frame.drop(columns=ROW), first_row, id_column)
    rejected = rejected.rename(columns={"id": id_column or "id"})
    both = pd.concat(
        [scored.assign(field="", reason="", rejected=False), rejected.assign(rejected=True)], ignore_index=True
    )
    both["is_hit"] = both["is_hit"].astype("boolean")
    if id_column and both[id_column].dtype == object:  # text ids: a dtype Dask's Parquet writer can infer
        both[id_column] = both[id_column].astype("string")
    return both.sort_values("row", kind="stable").reset_index(drop=True)


def score_with_dask(
    source: Path,
    output: Path,
    variant: str,
    models_dir: Path,
    scheduler: str,
    rejects: Path | None = None,
    id_column: str | None = "id",
) -> dict[str, Any]:
    """Score ``source`` into the Parquet folder ``output`` on ``scheduler`` ('local' or an address)."""
    if output.suffix == ".csv":
        raise ScoreError("with --scheduler the output is a folder of Parquet files: name it e.g. scores.parquet")
    rejects = rejects or rejects_path(output)
    films = read_films(source, wanted_columns(variant, id_column))
    check_columns(films._meta, variant)
    if id_column not in films.columns:
        id_column = None
    predictor = load_predictor(models_dir, variant)
    with _client(scheduler):  # the default scheduler of dask.compute while open
        clock = time.perf_counter()
        films = films.assign(**{ROW: 1})
        films[ROW] = films[ROW].cumsum()
        meta = score_partition(films._meta, predictor, id_column)
        both = films.map_partitions(score_partition, dask.delayed(predictor), id_column, meta=meta)
        keep = ["row", *([id_column] if id_column else []), *ANSWER_FIELDS]
        scores = both[~both["rejected"]][keep].astype({"is_hit": bool})
        with atomic_dir(output) as out_tmp, atomic_path(rejects) as rej_tmp:
            write = scores.to_parquet(out_tmp, write_index=False, compute=False)
            _, rejected = dask.compute(write, both[both["rejected"]])  # one pass: the two share the scoring
            rejected = rejected.rename(columns={id_column or "id": "id"})[REJECT_COLUMNS]
            rejected.to_csv(rej_tmp, index=False)
            scored = sum(pq.ParquetFile(part).metadata.num_rows for part in out_tmp.glob("*.parquet"))
        seconds = time.perf_counter() - clock
    return {
        "scored": scored,
        "rejected": len(rejected),
        "seconds": seconds,
        "output": str(output),
        "rejects": str(rejects),
    }


@contextmanager
def _client(scheduler: str) -> Iterator[Client]:
    """A 2-worker cluster on this machine for 'local', else a connection to a running scheduler."""
    if scheduler == "local":
        with (
            LocalCluster(n_workers=LOCAL_WORKERS, threads_per_worker=1, dashboard_address=":0") as cluster,
            Client(cluster) as client,
        ):
            yield client
    else:
        with Client(scheduler) as client:
            yield client
