"""Benchmark ``python -m boxoffice.scoring`` on a generated catalogue: films/s and peak memory.

Usage:
  python bench/score.py                       100k and 1M films, single process and Dask
                                              (2 local workers), main and pre_release
  python bench/score.py --rows 100000 --modes single --variants main

The catalogue is drawn from the training split's distributions (data/features/train.csv):
numbers from each column's own distribution, names, dates and lists from whole training
rows, so the track-record lookups hit the names the models know. One row in a thousand
is broken on purpose (zero budget, runtime as text, a date that does not exist), so the
rejects file is exercised at scale. Every run is a fresh process, so "end to end"
includes Python's start and loading the models; "scoring" is the command's own
figure (reading, checking, scoring, writing). Peak memory is the largest resident size
of the process tree (the Dask workers included), sampled fifty times a second. The floor, measured
in the same run on the same file: a fresh Python that reads it with pandas and writes it back
(the I/O every scorer pays, with no checks and no models). Run from the project root after
``dvc repro``; the figures go to bench/results/score/ (bench/results.py).
"""

from __future__ import annotations

import argparse
import re
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np
import pandas as pd
import psutil

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # the project: its harness/ is not in the package

from results import figure, write_result

from boxoffice.params import load_params
from harness.workspace import ROOT

NUMBERS = ["runtime", "popularity", "vote_avg", "budget"]
TEXTS = ["release_date", "original_language", "genres", "production_companies", "directors", "cast", "keywords"]
BROKEN_EVERY = 1000
ROW_GROUP = 25_000  # Dask reads a Parquet file a row group per partition: 4 even for 100k films


def catalogue(rows: int, seed: int) -> pd.DataFrame:
    """``rows`` films drawn from the training split (see the module doc), with ids and broken rows."""
    train = pd.read_csv(ROOT / "data" / "features" / "train.csv", keep_default_na=False, na_values=[""])
    rng = np.random.default_rng(seed)
    films = {"id": np.char.add("film-", np.arange(rows).astype(str))}
    for name in NUMBERS:
        films[name] = rng.choice(train[name].to_numpy(dtype=np.float64), size=rows)
    picked = rng.integers(0, len(train), size=rows)
    for name in TEXTS:
        films[name] = train[name].fillna("").astype(str).to_numpy(dtype=object)[picked]
    frame = pd.DataFrame(films)
    broken = np.arange(BROKEN_EVERY // 2, rows, BROKEN_EVERY)
    frame["runtime"] = frame["runtime"].astype(object)
    for kind, positions in enumerate([broken[0::3], broken[1::3], broken[2::3]]):
        if kind == 0:
            frame.loc[positions, "budget"] = 0.0
        elif kind == 1:
            frame.loc[positions, "runtime"] = "two hours"
        else:
            frame.loc[positions, "release_date"] = "2010-02-30"
    frame["runtime"] = frame["runtime"].astype(str)  # Parquet needs one type per column; CSV is text anyway
    return frame


def peak_tree_rss_mib(process: subprocess.Popen) -> float:
    """Poll until the process exits; the largest summed RSS of it and its descendants."""
    parent, peak = psutil.Process(process.pid), 0
    while process.poll() is None:
        try:
            tree = [parent, *parent.children(recursive=True)]
            peak = max(peak, sum(p.memory_info().rss for p in tree if p.is_running()))
        except psutil.Error:
            pass
        time.sleep(0.02)
    return peak / 2**20


COPY = "import sys, pandas; pandas.read_parquet(sys.argv[1]).to_parquet(sys.argv[2], index=False)"


def floor(source: Path, output: Path) -> dict:
    """Seconds and peak MiB of reading ``source`` with pandas and writing it back, in a fresh process."""
    started = time.perf_counter()
    process = subprocess.Popen([sys.executable, "-c", COPY, str(source), str(output)], cwd=ROOT)
    peak = peak_tree_rss_mib(process)
    if process.returncode:
        raise SystemExit("the floor (pandas read and write) failed")
    return {"seconds": time.perf_counter() - started, "peak_mib": peak}


def run(source: Path, output: Path, variant: str, mode: str) -> dict:
    command = [sys.executable, "-m", "boxoffice.scoring", str(source), "-o", str(output), "--variant", variant]
    if mode == "dask":
        command += ["--scheduler", "local"]
    started = time.perf_counter()
    process = subprocess.Popen(command, cwd=ROOT, stderr=subprocess.PIPE, text=True)
    peak = peak_tree_rss_mib(process)
    seconds = time.perf_counter() - started
    summary = process.stderr.read().strip().splitlines()[-1] if process.stderr else ""
    if process.returncode:
        raise SystemExit(f"{' '.join(command)} failed:\n{summary}")
    rejects = len(pd.read_csv(output.with_name(f"{output.stem}.rejects.csv")))
    return {"seconds": seconds, "peak_mib": peak, "rejects": rejects, "summary": summary}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rows", type=int, nargs="+", default=[100_000, 1_000_000])
    parser.add_argument("--modes", nargs="+", default=["single", "dask"], choices=["single", "dask"])
    parser.add_argument("--variants", nargs="+", default=["main", "pre_release"], choices=["main", "pre_release"])
    args = parser.parse_args()
    seed = load_params()["featurize"]["random_state"]
    print(
        "| films | variant | mode | seconds, end to end | films/s, end to end | films/s, scoring "
        "| peak MiB | rejects |\n"
        f"|{' --- |' * 8}"
    )
    figures = []
    with tempfile.TemporaryDirectory(prefix="bench-score-") as folder:
        for rows in args.rows:
            source = Path(folder) / f"films-{rows}.parquet"
            catalogue(rows, seed).to_parquet(source, index=False, row_group_size=ROW_GROUP)
            copy = floor(source, Path(folder) / "copy.parquet")
            print(f"| {rows:,} | floor | pandas read + write | {copy['seconds']:.1f} | | | {copy['peak_mib']:,.0f} | |")
            for variant in args.variants:
                for mode in args.modes:
                    result = run(source, Path(folder) / f"out-{mode}.parquet", variant, mode)
                    scoring = re.search(r"\(([\d,]+) films/s\)", result["summary"])
                    label = f"{rows:,} films, {variant}, {mode}"
                    for name, key, unit in (("end to end", "seconds", "s"), ("peak memory", "peak_mib", "MiB")):
                        floor_figure = (f"pandas read + write, {name}", copy[key])
                        figures.append(figure(f"{label}: {name}", result[key], unit, floor_figure))
                    if scoring:
                        figures.append(figure(f"{label}: scoring rate", float(scoring[1].replace(",", "")), "films/s"))
                    print(
                        f"| {rows:,} | {variant} | {mode} | {result['seconds']:.1f} | "
                        f"{rows / result['seconds']:,.0f} | "
                        f"{scoring[1] if scoring else '?'} | {result['peak_mib']:,.0f} | {result['rejects']:,} |",
                        flush=True,
                    )
    write_result("score", figures)


if __name__ == "__main__":
    main()
