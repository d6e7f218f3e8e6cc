"""``python -m boxoffice.scoring ... --scheduler local|ADDRESS``: the same chunk scorer on Dask partitions.

The input is read as a Dask dataframe; ``boxoffice.scoring.files.score_chunk`` runs on every
partition with ``map_partitions``; scores go to a folder of Parquet files (one per
partition, in input order) and rejects to one CSV. The served models are loaded here and
shipped to the workers inside the task graph, so a worker needs the ``boxoffice``
package and its pinned dependencies, not the models folder.
"""

from __future__ import annotations

import os
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import dask
import dask.dataframe as dd
import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq
from distributed import Client, LocalCluster

from boxoffice.io import atomic_dir, atomic_path
from boxoffice.prediction.predictor import Predictor
from boxoffice.scoring.files import (
    CSV_OPTIONS,
    PARQUET_OPTIONS,
    ScoreError,
    check_columns,
    load_predictor,
    rejects_path,
    score_chunk,
    wanted_columns,
)

LOCAL_WORKERS = 2
CSV_BLOCK = "64MB"
ARROW_POOL = "ARROW_DEFAULT_MEMORY_POOL"
ROW = "__boxoffice_row__"  # the 1-based input row number, added before partitions are scored


def read_films(source: Path, columns: set[str] | None = None) -> dd.DataFrame:
    """The input as a Dask dataframe: one partition per Parquet row group, or per CSV_BLOCK of CSV.

    Parquet goes through ``from_map`` rather than ``read_parquet``, whose optimizer fuses
    row groups when few columns are read (10 row groups of 100k became 3 to 5 partitions,
    and a worker's memory grew with the file).
    """
    if not source.exists():
        raise ScoreError(f"no such file: {source}")
    if source.suffix == ".parquet":
        file = pq.ParquetFile(source)
        names = [name for name in file.schema_arrow.names if columns is None or name in columns]
        sizes = [file.metadata.row_group(group).num_rows for group in range(file.num_row_groups)]
        firsts = np.cumsum([1, *sizes[:-1]]).tolist() if sizes else []
        parts = [(str(source), group, names, first) for group, first in enumerate(firsts)]
        meta = file.schema_arrow.empty_table().select(names).to_pandas().assign(**{ROW: np.zeros(0, np.int64)})
        return dd.from_map(_row_group, parts, meta=meta, enforce_metadata=False)
    usecols = None if columns is None else (lambda name: name in columns)
    films = dd.read_csv(source, blocksize=CSV_BLOCK, usecols=usecols, **CSV_OPTIONS).assign(**{ROW: 1})
    films[ROW] = films[ROW].cumsum()  # a CSV block's row count is known only once it is read
    return films


def _row_group(part: tuple[str, int, list[str], int]) -> pd.DataFrame:
    """One row group, its rows numbered from the file's footer: no partition waits for another's count
    (a cumulative sum over partitions kept read partitions waiting in the workers' memory)."""
    path, group, names, first = part
    frame = pq.ParquetFile(path).read_row_group(group, columns=names).to_pandas()
    return frame.assign(**{ROW: np.arange(first, first + len(frame), dtype=np.int64)})


def score_partition(frame: pd.DataFrame, predictor: Predictor, id_column: str | None, folder: str) -> pd.DataFrame:
    """Score one partition into its own Parquet file in ``folder``; return its rejects.

    The partition carries its rows' numbers in ROW (from the Parquet footer, or a
    cumulative sum over a CSV's blocks), so numbering does not depend on how Dask splits or fuses partitions, and
    the file is named by its first row, so the folder's files sort in input order. Writing
    here, not through ``to_parquet``, means no worker holds scored partitions for later.
    """
    first_row = int(frame[ROW].iloc[0]) if len(frame) else 0
    scored, rejected = score_chunk(predictor, frame.drop(columns=ROW), max(first_row, 1), id_column)
    if len(frame):
        scored.to_parquet(Path(folder) / f"part-{first_row:012d}.parquet", index=False, **PARQUET_OPTIONS)
    return rejected.astype({"id": "string", "field": "string", "reason": "string"})


def score_with_dask(
    source: Path,
    output: Path,
    variant: str,
    models_dir: Path,
    scheduler: str,
    rejects: Path | None = None,
    id_column: str | None = "id",
) -> dict[str, Any]:
    """Score ``source`` into the Parquet folder ``output`` on ``scheduler`` ('local' or an address).

    The workers write into a folder beside ``output``: on a cluster it must be on storage
    every worker and this machine share.
    """
    if output.suffix == ".csv":
        raise ScoreError("with --scheduler the output is a folder of Parquet files: name it e.g. scores.parquet")
    rejects = rejects or rejects_path(output)
    films = read_films(source, wanted_columns(variant, id_column))
    check_columns(films._meta, variant)
    if id_column not in films.columns:
        id_column = None
    predictor = load_predictor(models_dir, variant)
    use_system_allocator()
    with scheduler_client(scheduler) as client:  # the default scheduler of dask.compute while open
        client.run(use_system_allocator)
        clock = time.perf_counter()
        with atomic_dir(output) as out_tmp, atomic_path(rejects) as rej_tmp:
            meta = score_partition(films._meta, predictor, id_column, str(out_tmp))
            rejected = films.map_partitions(
                score_partition, dask.delayed(predictor), id_column, str(out_tmp), meta=meta
            ).compute()
            rejected.reset_index(drop=True).to_csv(rej_tmp, index=False)
            scored = sum(pq.ParquetFile(part).metadata.num_rows for part in out_tmp.glob("*.parquet"))
        seconds = time.perf_counter() - clock
    return {
        "scored": scored,
        "rejected": len(rejected),
        "seconds": seconds,
        "output": str(output),
        "rejects": str(rejects),
    }


def use_system_allocator() -> None:
    """Arrow's default pool (mimalloc) keeps what a task freed: a worker's memory grew with the
    file (pre_release: +30-35% at 1M films against 100k; +16-17% with the system allocator).

    Set from a worker's start (ARROW_DEFAULT_MEMORY_POOL=system, as 'local' does) it holds;
    switched on running workers (what this does on a cluster) it helps less."""
    pa.set_memory_pool(pa.system_memory_pool())


@contextmanager
def scheduler_client(scheduler: str) -> Iterator[Client]:
    """A 2-worker cluster on this machine for 'local', else a connection to a running scheduler."""
    if scheduler == "local":
        # Workers start as fresh interpreters with this environment, so Arrow picks the system
        # allocator before its first allocation (see use_system_allocator); ours is put back after.
        before = os.environ.get(ARROW_POOL)
        os.environ.setdefault(ARROW_POOL, "system")
        try:
            with (
                LocalCluster(n_workers=LOCAL_WORKERS, threads_per_worker=1, dashboard_address=":0") as cluster,
                Client(cluster) as client,
            ):
                yield client
        finally:
            if before is None:
                os.environ.pop(ARROW_POOL, None)
    else:
        with Client(scheduler) as client:
            yield client
