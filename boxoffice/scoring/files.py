"""Score a file of films with the served models: ``python -m boxoffice.scoring INPUT -o OUTPUT``.

INPUT is CSV or Parquet. Its columns are the request fields of ``/predict``
(``--variant main``) or ``/predict/pre_release`` (``--variant pre_release``), lists as
'|'-joined names or JSON lists; or it is TMDB-shaped (the Kaggle movies file's columns:
``vote_average``, JSON name lists). OUTPUT (CSV or Parquet) gets every field the service
answers, one row per film in input order, with the input's row number and id column.

A row that fails validation goes to the rejects file (row number, id, the service's
reason) and is counted in the summary; it never stops the run. The file streams through
in chunks, so memory stays flat, and both files are written beside their final names and
moved into place only when the run completes. ``--scheduler`` runs the same chunk
function on Dask partitions (see ``boxoffice.scoring.on_dask``).
"""

from __future__ import annotations

import os
import time
from collections import deque
from collections.abc import Iterator
from concurrent.futures import Future, ThreadPoolExecutor
from contextlib import ExitStack
from functools import cache
from pathlib import Path
from typing import Any

import numpy as np
import orjson
import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq
from tqdm import tqdm

from boxoffice.io import atomic_path
from boxoffice.prediction.batch import ANSWER_FIELDS, BEYOND_MODEL, PRE_RELEASE_FIELDS, answers
from boxoffice.prediction.predictor import Predictor
from boxoffice.scoring.table_checks import SCHEMAS, check_table

TMDB_NAMES = {"vote_average": "vote_avg"}  # TMDB's column name -> the request field
REJECT_COLUMNS = ["row", "id", "field", "reason"]
CHUNK_SIZE = 100_000
THREADS = min(4, os.cpu_count() or 1)  # more threads mostly wait for Python's GIL
# Every CSV cell is read as text and parsed here, so the single-process and Dask readers
# (whose type inference differs) see the same values. pandas parses numbers correctly rounded.
CSV_OPTIONS: dict[str, Any] = {"dtype": str, "keep_default_na": False, "na_values": [""]}
# The output's columns are measurements, row numbers and (usually unique) ids: Parquet's default
# dictionary encoding finds nothing to share in them, and trying multiplies the write time
# (bench/score.py) for a larger file.
PARQUET_OPTIONS: dict[str, Any] = {"use_dictionary": False}


class ScoreError(ValueError):
    """The input cannot be scored at all (unreadable, or a required column is missing)."""


# ---------------------------------------------------------------- one chunk


def score_chunk(
    predictor: Predictor, frame: pd.DataFrame, first_row: int, id_column: str | None = "id"
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Scores and rejects of one chunk; ``first_row`` is the 1-based number of its first data row."""
    frame = frame.rename(columns={k: v for k, v in TMDB_NAMES.items() if v not in frame})
    rows = np.arange(first_row, first_row + len(frame))
    ids = frame[id_column].to_numpy() if id_column in frame else None
    checked = check_table(frame, SCHEMAS[predictor.variant])
    problems = checked.problems
    fields, finite = answers(predictor, checked.columns) if checked.ok.any() else ({}, np.ones(0, bool))
    scored_rows = np.flatnonzero(checked.ok)
    for position in scored_rows[~finite]:
        problems[int(position)] = ("body", BEYOND_MODEL)
    scored = pd.DataFrame(_flat(fields), columns=list(output_fields(predictor.variant)))
    scored = scored[finite].reset_index(drop=True)
    scored.insert(0, "row", rows[scored_rows[finite]])
    if ids is not None:
        scored.insert(1, id_column or "id", ids[scored_rows[finite]])
    return _typed(scored), _rejects(problems, rows, ids)


def output_fields(variant: str) -> tuple[str, ...]:
    """The answer's columns in the output: /predict's, or /predict/pre_release's (names and warnings as JSON text)."""
    return ANSWER_FIELDS if variant == "main" else (*ANSWER_FIELDS, *PRE_RELEASE_FIELDS)


JSON_FIELDS = ("names", "warnings")  # lists of objects per film: one JSON text cell each


def _flat(fields: dict[str, Any]) -> dict[str, Any]:
    """The answer's columns, each film's names and warnings as JSON text (the service's objects as it sends them)."""
    return {
        name: [orjson.dumps(cell).decode() for cell in column] if name in JSON_FIELDS else column
        for name, column in fields.items()
    }


def _rejects(problems: dict[int, tuple[str, str]], rows: np.ndarray, ids: np.ndarray | None) -> pd.DataFrame:
    positions = sorted(problems)
    return pd.DataFrame(
        {
            "row": rows[positions].astype(np.int64),
            "id": ids[positions].astype(str) if ids is not None else [""] * len(positions),
            "field": [problems[p][0] for p in positions],
            "reason": [problems[p][1] for p in positions],
        },
        columns=REJECT_COLUMNS,
    )


def _typed(scored: pd.DataFrame) -> pd.DataFrame:
    """Fixed dtypes, so every chunk (even an empty one) has the same schema."""
    types: dict[str, Any] = {name: np.float64 for name in (*ANSWER_FIELDS, *PRE_RELEASE_FIELDS)}
    types |= {"is_hit": bool, "row": np.int64} | dict.fromkeys(JSON_FIELDS, str)
    return scored.astype({name: kind for name, kind in types.items() if name in scored})


# ---------------------------------------------------------------- files


def wanted_columns(variant: str, id_column: str | None) -> set[str]:
    """The input columns scoring reads: the request fields (also under TMDB's names) and the id."""
    fields = set(SCHEMAS[variant].model_fields)
    return (
        fields | {raw for raw, field in TMDB_NAMES.items() if field in fields} | ({id_column} if id_column else set())
    )


def read_chunks(path: Path, chunk_size: int, columns: set[str] | None = None) -> Iterator[pd.DataFrame]:
    """The input in chunks of ``chunk_size`` rows, in order (CSV cells as text), only ``columns`` of it.

    Reading only what scoring needs keeps a catalogue's long text columns (overviews,
    keywords for ``main``) out of memory.
    """
    try:
        if path.suffix == ".parquet":
            file = pq.ParquetFile(path)
            names = [name for name in file.schema_arrow.names if columns is None or name in columns]
            for batch in file.iter_batches(batch_size=chunk_size, columns=names):
                yield batch.to_pandas()
        else:
            usecols = None if columns is None else (lambda name: name in columns)
            yield from pd.read_csv(path, chunksize=chunk_size, usecols=usecols, **CSV_OPTIONS)
    except (OSError, pa.ArrowException, pd.errors.ParserError, UnicodeDecodeError) as err:
        raise ScoreError(f"cannot read {path}: {err}") from err


def count_rows(path: Path) -> int | None:
    """Rows in a Parquet file (from its footer); None for CSV (the progress bar then counts up)."""
    return pq.ParquetFile(path).metadata.num_rows if path.suffix == ".parquet" else None


def check_columns(frame: pd.DataFrame, variant: str) -> None:
    """Stop before scoring when a required field has no column at all (every row would fail the same way)."""
    schema = SCHEMAS[variant]
    present = set(frame.columns) | {v for k, v in TMDB_NAMES.items() if k in frame}
    missing = [n for n, f in schema.model_fields.items() if f.is_required() and n not in present]
    if missing:
        raise ScoreError(
            f"the input has no column for {', '.join(missing)}; --variant {variant} needs "
            f"{', '.join(n for n, f in schema.model_fields.items() if f.is_required())}"
        )


class TableWriter:
    """Appends chunks to a CSV or Parquet file (chosen by suffix); one schema for the whole file."""

    def __init__(self, path: Path, suffix: str) -> None:
        self.path, self.parquet = path, suffix == ".parquet"
        self._writer: pq.ParquetWriter | None = None
        self._started = False

    def write(self, frame: pd.DataFrame) -> None:
        if self.parquet:
            table = pa.Table.from_pandas(frame, preserve_index=False)
            if self._writer is None:
                self._writer = pq.ParquetWriter(self.path, table.schema, **PARQUET_OPTIONS)
            self._writer.write_table(table.cast(self._writer.schema))
        else:
            frame.to_csv(self.path, mode="a" if self._started else "w", header=not self._started, index=False)
        self._started = True

    def close(self) -> None:
        if self._writer is not None:
            self._writer.close()


def rejects_path(output: Path) -> Path:
    """out.parquet -> out.rejects.csv (a person reads it)."""
    return output.with_name(f"{output.stem}.rejects.csv")


def score_file(
    source: Path,
    output: Path,
    variant: str = "main",
    models_dir: Path = Path("models"),
    rejects: Path | None = None,
    chunk_size: int = CHUNK_SIZE,
    id_column: str | None = "id",
    progress: bool | None = None,
    threads: int | None = None,
) -> dict[str, Any]:
    """Score ``source`` into ``output`` (and the rejects file); return the counts and timing.

    ``chunk_size`` rows are in memory at once, in ``threads`` pieces scored side by side
    (default ``THREADS``); the output does not depend on either.
    """
    threads = threads or THREADS
    rejects = rejects or rejects_path(output)
    predictor = load_predictor(models_dir, variant)
    started = time.perf_counter()
    counts = {"scored": 0, "rejected": 0}
    with ExitStack() as stack:
        out_tmp = stack.enter_context(atomic_path(output))
        rej_tmp = stack.enter_context(atomic_path(rejects))
        writers = [TableWriter(out_tmp, output.suffix), TableWriter(rej_tmp, rejects.suffix)]
        bar = stack.enter_context(tqdm(total=count_rows(source), unit=" films", disable=_no_bar(progress)))
        pieces = read_chunks(source, max(1, chunk_size // threads), wanted_columns(variant, id_column))
        started_writing = False
        for rows, (scored, rejected) in in_order(_numbered(pieces, variant), predictor, id_column, threads):
            started_writing = True
            writers[0].write(scored)
            writers[1].write(rejected)
            counts["scored"] += len(scored)
            counts["rejected"] += len(rejected)
            bar.update(rows)
            del scored, rejected  # before the next piece is waited for: memory holds chunk_size rows at most
        if not started_writing:  # an input with no rows at all still gets files with the right columns
            empty = pd.DataFrame(columns=[*SCHEMAS[variant].model_fields, *[id_column] * bool(id_column)], dtype=object)
            scored, rejected = score_chunk(predictor, empty, 1, id_column)
            writers[0].write(scored)
            writers[1].write(rejected)
        for writer in writers:
            writer.close()
    seconds = time.perf_counter() - started
    return {**counts, "seconds": seconds, "output": str(output), "rejects": str(rejects)}


def _numbered(pieces: Iterator[pd.DataFrame], variant: str) -> Iterator[tuple[pd.DataFrame, int]]:
    """Each piece with the 1-based number of its first row; the first piece's columns checked."""
    first_row = 1
    for piece in pieces:
        if first_row == 1:
            check_columns(piece, variant)
        yield piece, first_row
        first_row += len(piece)


def in_order(
    pieces: Iterator[tuple[pd.DataFrame, int]], predictor: Predictor, id_column: str | None, threads: int
) -> Iterator[tuple[int, tuple[pd.DataFrame, pd.DataFrame]]]:
    """(rows, ``score_chunk``'s scores and rejects) of each piece, in input order, ``threads`` pieces at a time.

    The compiled kernels, Arrow and numpy release the GIL, so two threads score a pair of
    pieces side by side rather than one after the other (bench/score.py measures it).
    ``Executor.map`` would read the whole file ahead; here a piece is read only when one of
    the ``threads`` before it is done, so memory stays flat.
    """
    if threads <= 1:
        for piece, first_row in pieces:
            yield len(piece), score_chunk(predictor, piece, first_row, id_column)
        return
    with ThreadPoolExecutor(threads, thread_name_prefix="score") as pool:
        waiting: deque[tuple[int, Future[tuple[pd.DataFrame, pd.DataFrame]]]] = deque()
        for piece, first_row in pieces:
            waiting.append((len(piece), pool.submit(score_chunk, predictor, piece, first_row, id_column)))
            del piece
            if len(waiting) >= threads:
                rows, future = waiting.popleft()
                yield rows, future.result()
        while waiting:
            rows, future = waiting.popleft()
            yield rows, future.result()


def _no_bar(progress: bool | None) -> bool | None:
    """tqdm's ``disable``: None lets tqdm hide the bar when stderr is not a terminal."""
    return None if progress is None else not progress


@cache
def load_predictor(models_dir: Path, variant: str) -> Predictor:
    """The served models of ``variant``, loaded once per process (and per Dask worker)."""
    return Predictor.load(models_dir, variant)


def summary(result: dict[str, Any]) -> str:
    total = result["scored"] + result["rejected"]
    rate = total / result["seconds"] if result["seconds"] else float("inf")
    return (
        f"scored {result['scored']:,} films, rejected {result['rejected']:,} (reasons in {result['rejects']}) "
        f"in {result['seconds']:.1f} s ({rate:,.0f} films/s) -> {result['output']}"
    )
