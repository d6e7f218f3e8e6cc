"""Benchmark the forecast ledger through the real service (uvicorn, loopback), on SQLite and PostgreSQL.

Usage: python bench/ledger.py [--backend sqlite|postgresql|both] [--saves 10000] [--clients 64]
                              [--million 1000000]
For each backend:
- load: ``--clients`` concurrent clients save ``--saves`` forecasts (distinct names); the
  database must then hold exactly that many. Saves/s, p50 and p99, beside the floor: the
  same clients asking /predict/pre_release for the same films (the answer without the save).
- kill: the same load, the server SIGKILLed in the middle; after a restart every save it
  acknowledged (a 201 received) must be there.
- million: ``--million`` forecasts (a tenth with actual results) written straight into the
  database; a slate page (from its middle) and the track record, through HTTP, beside the
  same requests on a 1,000-forecast slate (the floor).
Writes bench/results/ledger/<UTC timestamp>.json (bench/results.py). Run from the project
root after `dvc repro`; PostgreSQL needs Debian's ``postgresql`` package (a throwaway
cluster is started and removed).
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import os
import random
import sys
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import numpy as np
from sqlalchemy import create_engine, func, insert, select, text

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench.results import figure, write_result
from boxoffice.checks import postgres
from boxoffice.checks.workspace import ROOT, start_server
from boxoffice.ledger.database import make_engine, upgrade
from boxoffice.ledger.store import Ledger
from boxoffice.ledger.tables import ActualResult, Forecast, Revision, Slate, utc_now
from boxoffice.ledger.tokens import create_token
from boxoffice.prediction.schemas import PRE_RELEASE_EXAMPLE

SEED = 20261204
FAILURES: list[str] = []  # every request that was not acknowledged, and why
TIMED_REPEATS = 7


def film(i: int) -> dict[str, Any]:
    return {**PRE_RELEASE_EXAMPLE, "budget": 1e6 * (1 + i % 300), "release_date": "2017-07-21"}


async def hammer(
    url: str, token: str, requests: list[tuple[str, dict[str, Any], str]], clients: int, stop_after: float | None = None
) -> tuple[list[float], set[str], float]:
    """Send (path, body, key) requests from ``clients`` concurrent clients; latencies, acknowledged keys, seconds."""
    queue: asyncio.Queue[tuple[str, dict[str, Any], str]] = asyncio.Queue()
    for request in requests:
        queue.put_nowait(request)
    latencies: list[float] = []
    acknowledged: set[str] = set()
    headers = {"Authorization": f"Bearer {token}"}

    async def client(http: httpx.AsyncClient) -> None:
        while not queue.empty():
            path, body, key = queue.get_nowait()
            started = time.perf_counter()
            try:
                response = await http.post(f"{url}{path}", json=body, headers=headers)
            except httpx.TransportError as err:
                FAILURES.append(f"{key}: {type(err).__name__} {err}")
                if stop_after is not None:
                    return  # the server is gone (the kill phase)
                # A connection closed under the request (a keep-alive race): send it again, as a client
                # would. A save is idempotent by name: if the first had been stored, the second is a 409.
                queue.put_nowait((path, body, key))
                continue
            if response.status_code == 409 and any(key in failure for failure in FAILURES):
                acknowledged.add(key)  # the retried save had been stored the first time
            elif response.status_code in (200, 201):
                latencies.append(time.perf_counter() - started)
                acknowledged.add(key)
            else:
                FAILURES.append(f"{key}: {response.status_code} {response.text[:200]}")

    limits = httpx.Limits(max_connections=clients, max_keepalive_connections=clients)
    started = time.perf_counter()
    async with httpx.AsyncClient(limits=limits, timeout=120) as http:
        await asyncio.gather(*(client(http) for _ in range(clients)))
    return latencies, acknowledged, time.perf_counter() - started


def percentiles(latencies: list[float]) -> tuple[float, float]:
    return float(np.percentile(latencies, 50) * 1000), float(np.percentile(latencies, 99) * 1000)


PROJECT = [ROOT]  # where the served models are: this checkout, or the tiny project with --tiny


@contextlib.contextmanager
def server(url: str) -> Iterator[tuple[Any, str]]:
    os.environ["BOXOFFICE_LEDGER_URL"] = url
    process, port = start_server("main:app", cwd=PROJECT[0], ready_path="/health", timeout=120)
    try:
        yield process, f"http://127.0.0.1:{port}"
    finally:
        if process.poll() is None:
            process.terminate()
            process.wait(timeout=30)


def saves(slate: str, count: int) -> list[tuple[str, dict[str, Any], str]]:
    return [
        ("/ledger/forecasts", {"slate": slate, "name": f"film {i}", "film": film(i)}, f"film {i}") for i in range(count)
    ]


def names_in(ledger: Ledger, slate: str) -> list[str]:
    with ledger.session.begin() as session:
        return list(
            session.scalars(select(Forecast.name).join(Slate).where(Slate.name == slate, Forecast.deleted_at.is_(None)))
        )


def load_phase(backend: str, url: str, ledger: Ledger, token: str, count: int, clients: int) -> list[dict[str, Any]]:
    with server(url) as (_, base):
        predict = [("/predict/pre_release", film(i), str(i)) for i in range(count)]
        floor_latencies, _, floor_seconds = asyncio.run(hammer(base, token, predict, clients))
        latencies, acknowledged, seconds = asyncio.run(hammer(base, token, saves("load", count), clients))
    stored = names_in(ledger, "load")
    if len(acknowledged) != count or len(stored) != count or len(set(stored)) != count:
        raise SystemExit(
            f"{backend}: {len(acknowledged)} acknowledged, {len(stored)} stored of {count} saves; failures: {FAILURES}"
        )
    p50, p99 = percentiles(latencies)
    floor_p50, floor_p99 = percentiles(floor_latencies)
    return [
        figure(
            f"{backend} saves per second ({clients} clients)",
            count / seconds,
            "1/s",
            ("/predict/pre_release per second, same clients", count / floor_seconds),
        ),
        figure(f"{backend} save p50", p50, "ms", ("/predict/pre_release p50", floor_p50)),
        figure(f"{backend} save p99", p99, "ms", ("/predict/pre_release p99", floor_p99)),
        figure(f"{backend} forecasts stored after {count} concurrent saves", len(stored), "forecasts"),
    ]


def kill_phase(backend: str, url: str, ledger: Ledger, token: str, count: int, clients: int) -> list[dict[str, Any]]:
    with server(url) as (process, base):

        async def load_then_kill() -> set[str]:
            load = asyncio.create_task(hammer(base, token, saves("kill", count), clients, stop_after=3))
            await asyncio.sleep(3)
            process.kill()  # SIGKILL: no shutdown, no flush
            return (await load)[1]

        acknowledged = asyncio.run(load_then_kill())
        process.wait()
    with server(url):  # the restart: the schema check and recovery of the database on start
        stored = set(names_in(ledger, "kill"))
    lost = acknowledged - stored
    if lost:
        raise SystemExit(f"{backend}: {len(lost)} acknowledged saves lost after SIGKILL")
    return [
        figure(f"{backend} saves acknowledged before SIGKILL", len(acknowledged), "forecasts"),
        figure(f"{backend} acknowledged saves lost after SIGKILL and restart", len(lost), "forecasts"),
    ]


def fill(ledger: Ledger, slate: str, count: int, answer: dict[str, Any]) -> None:
    """``count`` forecasts written straight into the database, a tenth with actual results (seeded)."""
    rng = random.Random(SEED)
    now, batch = utc_now(), 20_000
    with ledger.session.begin() as session:
        session.add(Slate(name=slate))
    slate_id = ledger.slate_id(slate)
    with ledger.engine.begin() as connection:
        first = (connection.scalar(select(func.max(Forecast.id))) or 0) + 1
    for start in range(0, count, batch):
        ids = range(first + start, first + min(start + batch, count))
        forecasts = [
            {
                "id": i,
                "slate_id": slate_id,
                "name": f"film {i}",
                "created_at": now,
                "revision_count": 1,
                "current_revision": 1,
            }
            for i in ids
        ]
        revisions = [
            {
                "forecast_id": i,
                "number": 1,
                "kind": "saved",
                "film": film(i),
                "answer": answer,
                "predicted_revenue": answer["predicted_revenue"],
                "revenue_low": answer["revenue_low"],
                "revenue_high": answer["revenue_high"],
                "interval_coverage": answer["interval_coverage"],
                "hit_probability": answer["hit_probability"],
                "budget": film(i)["budget"],
                "hit_multiple": 2.0,
                "model_hash": "bench",
                "model_commit": "bench",
                "created_at": now,
            }
            for i in ids
        ]
        actuals = [
            {
                "forecast_id": i,
                "revenue": answer["predicted_revenue"] * rng.lognormvariate(0, 1),
                "known_on": now.date(),
                "source": "bench",
                "recorded_at": now,
            }
            for i in ids
            if rng.random() < 0.1
        ]
        with ledger.engine.begin() as connection:
            connection.execute(insert(Forecast), forecasts)
            connection.execute(insert(Revision), revisions)
            if actuals:
                connection.execute(insert(ActualResult), actuals)
    if ledger.engine.dialect.name == "postgresql":
        with ledger.engine.connect() as connection:
            connection.execution_options(isolation_level="AUTOCOMMIT").execute(text("ANALYZE"))


def timed(url: str, token: str, path: str, params: dict[str, Any]) -> float:
    """The median of TIMED_REPEATS requests, in seconds (each must succeed)."""
    seconds = []
    with httpx.Client(timeout=120, headers={"Authorization": f"Bearer {token}"}) as http:
        for _ in range(TIMED_REPEATS):
            started = time.perf_counter()
            response = http.get(f"{url}{path}", params=params)
            seconds.append(time.perf_counter() - started)
            response.raise_for_status()
    return float(np.median(seconds))


def million_phase(backend: str, url: str, ledger: Ledger, token: str, count: int) -> list[dict[str, Any]]:
    with server(url) as (_, base):
        answer = httpx.post(f"{base}/predict/pre_release", json=film(0)).json()
    started = time.perf_counter()
    fill(ledger, "small", 1_000, answer)
    fill(ledger, "million", count, answer)
    filled = time.perf_counter() - started
    middle, small = ledger.slate_id("million"), ledger.slate_id("small")
    with ledger.engine.connect() as connection:  # one connection at a time: SQLite's BEGIN IMMEDIATE
        middle_id = connection.scalar(
            select(Forecast.id).where(Forecast.slate_id == middle).offset(count // 2).limit(1)
        )
        small_id = connection.scalar(select(Forecast.id).where(Forecast.slate_id == small).offset(500).limit(1))
    with server(url) as (_, base):
        page = timed(base, token, "/ledger/forecasts", {"slate": "million", "after": middle_id, "limit": 50})
        small_page = timed(base, token, "/ledger/forecasts", {"slate": "small", "after": small_id, "limit": 50})
        record = timed(base, token, "/ledger/track_record", {"slate": "million"})
        small_record = timed(base, token, "/ledger/track_record", {"slate": "small"})
    return [
        figure(f"{backend} writing {count + 1000} forecasts straight into the database", filled, "s"),
        figure(
            f"{backend} slate page of 50 from the middle of {count} forecasts",
            page * 1000,
            "ms",
            ("the same page of a 1,000-forecast slate", small_page * 1000),
        ),
        figure(
            f"{backend} track record of {count} forecasts ({count // 10} or so with results)",
            record * 1000,
            "ms",
            ("the track record of a 1,000-forecast slate", small_record * 1000),
        ),
    ]


def run_backend(backend: str, url: str, args: argparse.Namespace) -> list[dict[str, Any]]:
    engine = make_engine(url)
    upgrade(engine)
    ledger = Ledger(engine)
    with ledger.session.begin() as session:
        token = create_token(session, label="bench")
    results = load_phase(backend, url, ledger, token, args.saves, args.clients)
    print(results, flush=True)
    results += kill_phase(backend, url, ledger, token, args.saves, args.clients)
    print(results[-2:], flush=True)
    if args.million:
        results += million_phase(backend, url, ledger, token, args.million)
        print(results[-3:], flush=True)
    engine.dispose()
    return results


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--backend", choices=["sqlite", "postgresql", "both"], default="both")
    parser.add_argument("--saves", type=int, default=10_000)
    parser.add_argument("--clients", type=int, default=64)
    parser.add_argument("--million", type=int, default=1_000_000, help="0: leave the million phase out")
    parser.add_argument("--tiny", action="store_true", help="serve the tiny project's models (tests/tiny.py)")
    args = parser.parse_args()
    figures: list[dict[str, Any]] = []
    if args.tiny:
        from tests import tiny

        PROJECT[0] = tiny.build(Path(tempfile.mkdtemp(prefix="boxoffice-tiny-")))
    if args.backend in ("sqlite", "both"):
        with tempfile.TemporaryDirectory() as folder:
            figures += run_backend("sqlite", f"sqlite:///{folder}/ledger.sqlite3", args)
    if args.backend in ("postgresql", "both"):
        with postgres.cluster() as cluster:
            admin = create_engine(cluster, isolation_level="AUTOCOMMIT")
            with admin.connect() as connection:
                connection.execute(text("CREATE DATABASE bench"))
            admin.dispose()
            figures += run_backend("postgresql", cluster.rsplit("/", 1)[0] + "/bench", args)
    if args.tiny:
        for entry in figures:
            entry["name"] += " (tiny project's models)"
    print(f"wrote {write_result('ledger', figures)}")


if __name__ == "__main__":
    main()
