"""Benchmark the service over loopback, one uvicorn worker, bounded in time.

Usage:
  python bench/serve.py           /predict vs a bare FastAPI floor at 16 connections,
                                  then /batch_predict with 1,000 and 10,000 movies
  python bench/serve.py --wrk     the issue's method: wrk (apt-get install wrk) on one core, the
                                  server pinned to the other; floor, /predict and
                                  /predict/pre_release in alternating rounds at 16 connections,
                                  then once at 1 (no coalescing); 10k batches;
                                  then one worker against --workers 2 (sharing both cores)
  python bench/serve.py --page    the forecast page's work in process (ASGI, no network): one forecast
                                  with 8 comps, explanation and quantiles, and one scenarios call
                                  with a 12-month and a 10-point budget sweep; p50/p90 against
                                  the plain /predict/pre_release measured in the same run
  python bench/serve.py --ledger-idle
                                  /predict and /predict/pre_release beside the floor, in alternating
                                  rounds, with the ledger idle (SQLite) and with none opened; then
                                  the 413 body-limit middleware's cost per request, in process
  python bench/serve.py --cpu [--against DIR ...]
                                  the server's CPU time per request (from /proc, so a busy machine
                                  moves it far less than req/s): the floor, /predict and
                                  /predict/pre_release at 16 connections, in alternating rounds; with
                                  --against, the same for the service of another checkout (its own
                                  models and code, e.g. a `git worktree` of an older commit) beside this one;
                                  this checkout also runs once with BOXOFFICE_COALESCE_TURNS=1
  python bench/serve.py --load    64 connections on /predict for a minute while 10,000-movie
                                  batches run back to back; errors, req/s, p50/p99 and
                                  the server's peak memory
Run from the project root after `dvc repro`. Traffic goes to 127.0.0.1 only. Each mode writes
its figures, beside the floor measured in the same run, to bench/results/serve*/ (bench/results.py).
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import re
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # the project: its harness/ is not in the package

from results import figure, write_result

from harness.workspace import ROOT, start_server

MOVIE = {"runtime": 120.0, "popularity": 50.0, "vote_avg": 7.0, "budget": 50_000_000}


def peak_memory_mib(pid: int) -> float:
    """The process's peak resident memory (VmHWM), from /proc."""
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return float("nan")


@dataclass
class Tally:
    latencies: list[float] = field(default_factory=list)
    errors: int = 0


def request_bytes(port: int, path: str, body: bytes) -> bytes:
    head = f"POST {path} HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nContent-Type: application/json\r\n"
    return head.encode() + f"Content-Length: {len(body)}\r\n\r\n".encode() + body


async def connection(port: int, request: bytes, deadline: float, tally: Tally, limit: int | None = None) -> None:
    """One keep-alive connection sending ``request`` until ``deadline`` (or ``limit`` requests)."""
    reader, writer = await asyncio.open_connection("127.0.0.1", port)
    sent = 0
    try:
        while time.perf_counter() < deadline and (limit is None or sent < limit):
            start = time.perf_counter()
            writer.write(request)
            status = int((await reader.readline()).split()[1])
            length = 0
            while (line := await reader.readline()) not in (b"\r\n", b""):
                if line.lower().startswith(b"content-length:"):
                    length = int(line.split(b":")[1])
            await reader.readexactly(length)
            tally.latencies.append(time.perf_counter() - start)
            tally.errors += status != 200
            sent += 1
    except (OSError, asyncio.IncompleteReadError, ValueError, IndexError):
        tally.errors += 1
    finally:
        writer.close()


async def hammer(port: int, path: str, body: bytes, connections: int, seconds: float) -> tuple[Tally, float]:
    request = request_bytes(port, path, body)
    await asyncio.gather(*(connection(port, request, time.perf_counter() + 1.0, Tally()) for _ in range(connections)))
    tally = Tally()
    start = time.perf_counter()
    deadline = start + seconds
    await asyncio.gather(*(connection(port, request, deadline, tally) for _ in range(connections)))
    return tally, time.perf_counter() - start


def summary(tally: Tally, elapsed: float) -> str:
    ms = np.array(tally.latencies) * 1000
    return (
        f"{len(ms) / elapsed:8.0f} req/s  p50 {np.percentile(ms, 50):6.2f} ms  p99 {np.percentile(ms, 99):6.2f} ms  "
        f"errors {tally.errors}"
    )


def batch_body(n: int) -> bytes:
    rng = np.random.default_rng(0)
    movies = [
        {"runtime": float(r), "popularity": float(p), "vote_avg": float(v), "budget": float(b)}
        for r, p, v, b in zip(
            rng.uniform(80, 180, n), rng.uniform(0, 200, n), rng.uniform(3, 9, n), rng.uniform(1e6, 3e8, n), strict=True
        )
    ]
    return json.dumps(movies).encode()


async def batches(port: int, n: int, repeats: int) -> tuple[Tally, float]:
    tally = Tally()
    request = request_bytes(port, "/batch_predict", batch_body(n))
    await connection(port, request, time.perf_counter() + 600, Tally(), limit=1)  # warm-up
    start = time.perf_counter()
    await connection(port, request, time.perf_counter() + 600, tally, limit=repeats)
    return tally, time.perf_counter() - start


def rate_figures(label: str, tally: Tally, elapsed: float, floor: tuple[Tally, float] | None) -> list[dict]:
    """req/s, p50 and p99 of one run, each beside the floor's own figure from the same run."""
    ms = np.array(tally.latencies) * 1000
    own = {"req/s": len(ms) / elapsed, "p50 ms": np.percentile(ms, 50), "p99 ms": np.percentile(ms, 99)}
    if floor is None:
        return [figure(f"{label} {name}", value, name.split()[-1]) for name, value in own.items()]
    base = rate_figures("floor", *floor, None)
    return [
        figure(f"{label} {name}", value, name.split()[-1], (base_figure["name"], base_figure["value"]))
        for (name, value), base_figure in zip(own.items(), base, strict=True)
    ]


def benchmark(seconds: float) -> None:
    body = json.dumps(MOVIE).encode()
    floor, floor_port = start_server("floor_app:app", ROOT, app_dir=ROOT / "bench")
    try:
        floor_tally, floor_time = asyncio.run(hammer(floor_port, "/predict", body, 16, seconds))
    finally:
        floor.terminate()
    service, port = start_server("main:app", ROOT)
    try:
        tally, elapsed = asyncio.run(hammer(port, "/predict", body, 16, seconds))
        print(f"one uvicorn worker, 16 connections, {seconds:g} s each, loopback")
        print(f"  floor (validate body, return constant) {summary(floor_tally, floor_time)}")
        print(f"  /predict                               {summary(tally, elapsed)}")
        ratio = (len(tally.latencies) / elapsed) / (len(floor_tally.latencies) / floor_time)
        print(f"  /predict throughput = {ratio:.2f} x floor")
        figures = rate_figures("floor, 16 connections:", floor_tally, floor_time, None)
        figures += rate_figures("/predict, 16 connections:", tally, elapsed, (floor_tally, floor_time))
        for n, repeats in ((1_000, 20), (10_000, 5)):
            batch_tally, batch_time = asyncio.run(batches(port, n, repeats))
            figures.append(figure(f"/batch_predict, {n:,} movies", n * repeats / batch_time, "movies/s"))
            print(
                f"  /batch_predict {n:6d} movies: {n * repeats / batch_time:9.0f} movies/s, "
                f"{np.median(batch_tally.latencies) * 1000:7.1f} ms per batch (median of {repeats}), "
                f"errors {batch_tally.errors}"
            )
    finally:
        service.terminate()
    write_result("serve", figures)


async def load_run(port: int, seconds: float) -> tuple[Tally, float, Tally]:
    batch_tally = Tally()
    batch_request = request_bytes(port, "/batch_predict", batch_body(10_000))
    deadline = time.perf_counter() + seconds
    singles = asyncio.create_task(hammer(port, "/predict", json.dumps(MOVIE).encode(), 64, seconds))
    await asyncio.sleep(1.0)  # after hammer's warm-up second
    await connection(port, batch_request, deadline + 1.0, batch_tally)
    tally, elapsed = await singles
    return tally, elapsed, batch_tally


def load(seconds: float) -> None:
    service, port = start_server("main:app", ROOT)
    try:
        idle = peak_memory_mib(service.pid)
        tally, elapsed, batch_tally = asyncio.run(load_run(port, seconds))
        peak = peak_memory_mib(service.pid)
    finally:
        service.terminate()
    ms = np.array(batch_tally.latencies) * 1000
    print(f"load: one uvicorn worker, {seconds:g} s, loopback")
    print(f"  /predict, 64 connections   {summary(tally, elapsed)}")
    print(
        f"  /batch_predict 10,000 movies back to back: {len(ms)} batches, p50 {np.percentile(ms, 50):.0f} ms, "
        f"p99 {np.percentile(ms, 99):.0f} ms, errors {batch_tally.errors}"
    )
    print(f"  server peak memory {peak:.0f} MiB (after start-up {idle:.0f} MiB)")
    print(f"  errors in all: {tally.errors + batch_tally.errors}")
    figures = rate_figures("/predict, 64 connections, batches alongside:", tally, elapsed, None)
    figures += [
        figure("/batch_predict, 10,000 movies, p50", np.percentile(ms, 50), "ms"),
        figure("errors", tally.errors + batch_tally.errors, "requests"),
        figure("server peak memory", peak, "MiB", ("server after start-up", idle)),
    ]
    write_result("serve-load", figures)


WRK_SCRIPT = """
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/json"
wrk.body = [[%s]]
"""


def wrk(port: int, path: str, body: dict, seconds: float, connections: int = 16, cpus: str | None = "1") -> dict:
    """req/s and p50/p99 ms from wrk (2 threads), on ``cpus``; a non-2xx answer counts as an error."""
    with tempfile.NamedTemporaryFile("w", suffix=".lua", delete=False) as script:
        script.write(WRK_SCRIPT % json.dumps(body))
    command = ["wrk", f"-t{min(2, connections)}", f"-c{connections}", f"-d{seconds:g}s", "--latency", "-s", script.name]
    command = [*(["taskset", "-c", cpus] if cpus else []), *command, f"http://127.0.0.1:{port}{path}"]
    out = subprocess.run(command, capture_output=True, text=True, check=True).stdout
    os.unlink(script.name)

    def ms(label: str) -> float:
        value = re.search(rf"^\s+{label}%\s+([\d.]+)(us|ms|s)", out, re.M)
        return float(value[1]) * {"us": 1e-3, "ms": 1.0, "s": 1e3}[value[2]] if value else float("nan")

    errors = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    rate, requests = re.search(r"Requests/sec:\s+([\d.]+)", out), re.search(r"(\d+) requests in", out)
    if rate is None or requests is None:
        raise RuntimeError(f"wrk printed no rate: {out}")
    return {
        "rps": float(rate[1]),
        "p50": ms("50"),
        "p99": ms("99"),
        "errors": int(errors[1]) if errors else 0,
        "requests": int(requests[1]),
    }


def row(label: str, result: dict, floor: float | None = None) -> str:
    ratio = f"{result['rps'] / floor:.2f}" if floor else "1.00"
    return (
        f"| {label} | {result['rps']:,.0f} | {ratio} | {result['p50']:.2f} | {result['p99']:.2f} | {result['errors']} |"
    )


def wrk_benchmark(seconds: float, rounds: int) -> None:
    """Floor and service side by side in one run, in alternating rounds (the machine's speed drifts)."""
    from boxoffice.prediction.schemas import PRE_RELEASE_EXAMPLE

    floor, floor_port = start_server("floor_app:app", ROOT, app_dir=ROOT / "bench", cpus="0")
    service, port = start_server("main:app", ROOT, cpus="0")
    figures: list[dict] = []

    def kept(label: str, result: dict, base: dict | None = None) -> dict:
        """``result`` as figures (req/s and p50 beside the floor's of the same round), returned as it came."""
        for key, unit in (("rps", "req/s"), ("p50", "ms")):
            paired = None if base is None else (f"{label.split(':')[0]}: floor {unit}", base[key])
            figures.append(figure(f"{label} {unit}", result[key], unit, paired))
        return result

    print(
        "| round: endpoint | req/s | x floor | p50 ms | p99 ms | errors |\n| --- | ---: | ---: | ---: | ---: | ---: |"
    )
    try:
        for target, path, body in ((floor_port, "/predict", MOVIE), (port, "/predict", MOVIE)):
            wrk(target, path, body, 2)  # warm-up
        wrk(port, "/predict/pre_release", PRE_RELEASE_EXAMPLE, 2)
        for r in range(1, rounds + 1):
            base = kept(f"round {r}: floor", wrk(floor_port, "/predict", MOVIE, seconds))
            print(row(f"{r}: floor", base), flush=True)
            plain = kept(f"round {r}: /predict", wrk(port, "/predict", MOVIE, seconds), base)
            print(row(f"{r}: /predict", plain, base["rps"]), flush=True)
            pre = wrk(port, "/predict/pre_release", PRE_RELEASE_EXAMPLE, seconds)
            pre = kept(f"round {r}: /predict/pre_release", pre, base)
            print(row(f"{r}: /predict/pre_release", pre, base["rps"]), flush=True)
        # One connection: nothing arrives together, so nothing is coalesced (boxoffice/serving/coalescing.py).
        lone = kept("1 connection: floor", wrk(floor_port, "/predict", MOVIE, seconds, connections=1))
        print(row("1 connection: floor", lone), flush=True)
        plain = kept("1 connection: /predict", wrk(port, "/predict", MOVIE, seconds, connections=1), lone)
        print(row("1 connection: /predict", plain, lone["rps"]))
        pre = wrk(port, "/predict/pre_release", PRE_RELEASE_EXAMPLE, seconds, connections=1)
        pre = kept("1 connection: /predict/pre_release", pre, lone)
        print(row("1 connection: /predict/pre_release", pre, lone["rps"]), flush=True)
        floor.terminate()
        batch_tally, batch_time = asyncio.run(batches(port, 10_000, 10))
        print(
            f"\n/batch_predict, 10,000 movies x 10 (server on one core): {100_000 / batch_time:,.0f} movies/s, "
            f"median {np.median(batch_tally.latencies) * 1000:.0f} ms, errors {batch_tally.errors}"
        )
        figures.append(figure("/batch_predict, 10,000 movies, one core", 100_000 / batch_time, "movies/s"))
    finally:
        floor.terminate()
        service.terminate()
    print("\nworkers on both cores, wrk sharing them, /predict, 16 connections:")
    for workers in (1, 2, 1, 2):
        server, server_port = start_server("main:app", ROOT, workers=workers, timeout=120)  # a busy machine
        try:
            wrk(server_port, "/predict", MOVIE, 2, cpus=None)
            result = wrk(server_port, "/predict", MOVIE, seconds, cpus=None)
            print(
                f"  --workers {workers}: {result['rps']:,.0f} req/s, "
                f"p50 {result['p50']:.2f} ms, p99 {result['p99']:.2f} ms"
            )
            figures.append(figure(f"--workers {workers}, both cores, /predict", result["rps"], "req/s"))
        finally:
            server.terminate()
            server.wait(timeout=10)
    write_result("serve-wrk", figures)


def ledger_idle(seconds: float, rounds: int) -> None:
    """/predict and /predict/pre_release beside the floor, the service's ledger idle on SQLite and not opened at all.

    Three servers, measured in alternating rounds at 16 connections: the floor app, the service
    whose ledger database cannot be opened (so it is never connected: the ledger's endpoints
    answer 503), and the service with an idle SQLite ledger. Then the 413 body-limit middleware
    in process: an ASGI call through it against the same call without it.
    """
    from boxoffice.prediction.schemas import PRE_RELEASE_EXAMPLE

    folder = Path(tempfile.mkdtemp(prefix="boxoffice-ledger-idle-"))
    servers = {}
    try:
        servers["floor"] = start_server("floor_app:app", ROOT, app_dir=ROOT / "bench", timeout=900)
        for label, url in (
            ("no ledger", f"sqlite:///{folder}/missing/folder/ledger.sqlite3"),  # cannot be opened
            ("idle ledger", f"sqlite:///{folder}/ledger.sqlite3"),
        ):
            os.environ["BOXOFFICE_LEDGER_URL"] = url
            servers[label] = start_server("main:app", ROOT, ready_path="/health", timeout=900)
        os.environ.pop("BOXOFFICE_LEDGER_URL")
        plain, pre = json.dumps(MOVIE).encode(), json.dumps(PRE_RELEASE_EXAMPLE).encode()
        runs = [("floor", "/predict", plain)] + [
            (label, path, body)
            for label in ("no ledger", "idle ledger")
            for path, body in (("/predict", plain), ("/predict/pre_release", pre))
        ]
        tallies: dict[tuple[str, str], list[tuple[Tally, float]]] = {(label, path): [] for label, path, _ in runs}
        for _ in range(rounds):
            for label, path, body in runs:
                tallies[(label, path)].append(asyncio.run(hammer(servers[label][1], path, body, 16, seconds)))
    finally:
        for process, _ in servers.values():
            process.terminate()
    figures = []
    for r in range(rounds):
        floor = tallies[("floor", "/predict")][r]
        print(f"round {r + 1}: floor {summary(*floor)}")
        for (label, path), measured in tallies.items():
            if label != "floor":
                print(f"  {label} {path}: {summary(*measured[r])}")
                figures += rate_figures(f"round {r + 1}, {label}, {path}, 16 connections:", *measured[r], floor)
    figures += body_limit_cost()
    write_result("serve-ledger", figures)


def body_limit_cost(calls: int = 20_000, rounds: int = 5) -> list[dict]:
    """Microseconds per request through ``BodyLimit`` (a declared length, then a chunked body), beside the bare app."""
    from boxoffice.serving.body_limit import BodyLimit

    async def app(scope: dict, receive: object, send: object) -> None:
        await receive()  # type: ignore[operator]
        await send({"type": "http.response.start", "status": 200, "headers": []})  # type: ignore[operator]

    limited = BodyLimit(app, {"/predict": 2**16}, default=2**16)
    body = json.dumps(MOVIE).encode()
    declared = {"type": "http", "path": "/predict", "headers": [(b"content-length", str(len(body)).encode())]}
    chunked = {"type": "http", "path": "/predict", "headers": [(b"transfer-encoding", b"chunked")]}

    async def receive() -> dict:
        return {"type": "http.request", "body": body, "more_body": False}

    async def send(message: dict) -> None:
        return None

    async def per_call(target: object, scope: dict) -> float:
        started = time.perf_counter()
        for _ in range(calls):
            await target(scope, receive, send)  # type: ignore[operator]
        return (time.perf_counter() - started) / calls * 1e6

    async def measure() -> dict[str, list[float]]:
        seen: dict[str, list[float]] = {"bare": [], "declared": [], "chunked": []}
        for _ in range(rounds):  # alternating, as the machine's speed drifts
            seen["bare"].append(await per_call(app, declared))
            seen["declared"].append(await per_call(limited, declared))
            seen["chunked"].append(await per_call(limited, chunked))
        return seen

    seen = asyncio.run(measure())
    bare = float(np.median(seen["bare"]))
    print(f"BodyLimit: bare ASGI call {bare:.2f} us, through it (median of {rounds} rounds of {calls:,}):")
    figures = []
    for kind in ("declared", "chunked"):
        through = float(np.median(seen[kind]))
        print(f"  {kind} length: {through:.2f} us, {through - bare:.2f} us more")
        figures.append(
            figure(f"BodyLimit, {kind} length, per request", through, "us", ("the same ASGI call without it", bare))
        )
    return figures


def cpu_seconds(pid: int) -> float:
    """User and system CPU time a process has used so far (/proc/PID/stat, fields 14 and 15)."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def checkout_label(project: Path) -> str:
    """Its commit, marked when tracked files differ from it (a result must not pass for the commit's)."""
    head = subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=project, capture_output=True, text=True)
    changed = subprocess.run(["git", "status", "--porcelain", "--untracked-files=no"], cwd=project, capture_output=True)
    label = head.stdout.strip() or project.name
    return f"{label}+changes" if changed.stdout.strip() else label


def cpu_benchmark(seconds: float, rounds: int, against: list[Path]) -> None:
    """CPU per request of each checkout's service beside the floor's, in alternating rounds.

    Wall-clock rates swing with whatever else the machine runs; the CPU a server spends per
    answered request moves much less, so before/after comparisons hold on a shared machine.
    Each checkout's service runs from its own folder with its own code first on the path.
    """
    from boxoffice.prediction.schemas import PRE_RELEASE_EXAMPLE

    # A title only labels an answer; older checkouts had none and refuse it, so every checkout gets the same film.
    film = {name: value for name, value in PRE_RELEASE_EXAMPLE.items() if name != "title"}
    projects = [ROOT, *(path.resolve() for path in against)]
    labels = [checkout_label(project) for project in projects]
    if len(set(labels)) < len(labels):
        raise SystemExit(f"two checkouts with one label ({', '.join(labels)}): each would hide the other")
    floor, floor_port = start_server("floor_app:app", ROOT, app_dir=ROOT / "bench", cpus="0")
    environments = [{**os.environ, "PYTHONPATH": str(project)} for project in projects]
    # This checkout once more, its single requests grouped within one turn of the event loop only.
    labels.insert(1, f"{labels[0]} coalesce_turns=1")
    environments.insert(1, {**environments[0], "BOXOFFICE_COALESCE_TURNS": "1"})
    projects.insert(1, ROOT)
    servers = {
        label: start_server("main:app", project, cpus="0", env=env, timeout=300)
        for label, project, env in zip(labels, projects, environments, strict=True)
    }
    figures: list[dict] = []

    def measured(process: subprocess.Popen, port: int, path: str, body: dict) -> tuple[float, dict]:
        before = cpu_seconds(process.pid)
        result = wrk(port, path, body, seconds)
        if result["errors"]:
            raise RuntimeError(f"{result['errors']} non-2xx answers from {path} on port {port}")
        return (cpu_seconds(process.pid) - before) / result["requests"] * 1e6, result

    print(
        "| round | checkout | endpoint | req/s | CPU us/request | x floor |\n| --- | --- | --- | ---: | ---: | ---: |"
    )
    try:
        for _, port in (*servers.values(), (floor, floor_port)):
            wrk(port, "/predict", MOVIE, 2)  # warm-up
        for _, port in servers.values():
            wrk(port, "/predict/pre_release", film, 2)
        for r in range(1, rounds + 1):
            base, result = measured(floor, floor_port, "/predict", MOVIE)
            figures.append(figure(f"round {r}: floor CPU per request", base, "us"))
            print(f"| {r} | | floor | {result['rps']:,.0f} | {base:.0f} | 1.00 |", flush=True)
            for label, (process, port) in servers.items():
                for path, body in (("/predict", MOVIE), ("/predict/pre_release", film)):
                    cost, result = measured(process, port, path, body)
                    floor_name = f"round {r}: floor CPU per request"
                    figures.append(figure(f"round {r}: {label} {path} CPU per request", cost, "us", (floor_name, base)))
                    row_cells = f"| {r} | {label} | {path} | {result['rps']:,.0f} | {cost:.0f} | {cost / base:.2f} |"
                    print(row_cells, flush=True)
    finally:
        for process, _ in (*servers.values(), (floor, floor_port)):
            process.terminate()
    write_result("serve-cpu", figures)


BUDGET_FACTORS = (0.25, 0.4, 0.5, 0.67, 0.8, 1, 1.25, 1.5, 2, 3)  # as static/forecast.js sweeps them


def page_work(repeats: int) -> None:
    """What the forecast page asks for one film, timed in process: the app's own cost, without a network."""
    import httpx

    from boxoffice.prediction.schemas import PRE_RELEASE_EXAMPLE
    from boxoffice.serving.api import create_app

    film = PRE_RELEASE_EXAMPLE
    months = [{"release_date": f"2010-{m:02d}-16"} for m in range(1, 13)]
    budgets = [{} if f == 1 else {"budget": round(film["budget"] * f)} for f in BUDGET_FACTORS]
    sweep = {"film": film, "scenarios": months + budgets}

    async def run() -> dict[str, list[float]]:
        app = create_app()
        times: dict[str, list[float]] = {"plain /predict/pre_release": [], "forecast (8 comps)": [], "sweeps (22)": []}
        times["page work (both)"] = []
        async with app.router.lifespan_context(app):
            transport = httpx.ASGITransport(app=app)
            async with httpx.AsyncClient(transport=transport, base_url="http://bench") as client:

                async def timed(label: str, path: str, body: dict) -> float:
                    start = time.perf_counter()
                    response = await client.post(path, json=body)
                    elapsed = time.perf_counter() - start
                    assert response.status_code == 200, response.text
                    times[label].append(elapsed)
                    return elapsed

                for i in range(repeats + 5):  # the first five warm up, then each kind in turn
                    if i == 5:
                        times = {label: [] for label in times}
                    await timed("plain /predict/pre_release", "/predict/pre_release", film)
                    one = await timed(
                        "forecast (8 comps)", "/predict/pre_release?explain=true&quantiles=true&comps=8", film
                    )
                    two = await timed("sweeps (22)", "/predict/pre_release/scenarios", sweep)
                    times["page work (both)"].append(one + two)
        return times

    times = asyncio.run(run())
    floor = np.median(times["plain /predict/pre_release"])
    print(f"forecast page's work in process (httpx ASGI transport, {repeats} of each, after 5 warm-up rounds)")
    figures = []
    for label, values in times.items():
        p50, p90 = np.median(values) * 1000, np.percentile(values, 90) * 1000
        print(f"  {label:28s} p50 {p50:7.2f} ms  p90 {p90:7.2f} ms  ({np.median(values) / floor:5.1f} x plain)")
        if label != "plain /predict/pre_release":
            figures.append(figure(f"{label} p50", p50, "ms", ("plain /predict/pre_release p50", floor * 1000)))
    write_result("serve-page", figures)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--load", action="store_true", help="the 64-connection load run")
    parser.add_argument("--wrk", action="store_true", help="wrk against the pinned server (see above)")
    parser.add_argument("--page", action="store_true", help="the forecast page's work, in process")
    parser.add_argument("--ledger-idle", action="store_true", help="the plain endpoints with the ledger idle or absent")
    parser.add_argument("--cpu", action="store_true", help="CPU per request beside the floor's (see above)")
    parser.add_argument("--against", type=Path, nargs="*", default=[], help="other checkouts' services, with --cpu")
    parser.add_argument("--rounds", type=int, default=3, help="alternating rounds with --wrk or --cpu")
    parser.add_argument("--seconds", type=float, help="length of each run (default 10, or 60 with --load)")
    args = parser.parse_args()
    os.chdir(ROOT)
    if args.cpu:
        cpu_benchmark(args.seconds or 10.0, args.rounds, args.against)
    elif args.wrk:
        wrk_benchmark(args.seconds or 10.0, args.rounds)
    elif args.load:
        load(args.seconds or 60.0)
    elif args.page:
        page_work(200)
    elif args.ledger_idle:
        ledger_idle(args.seconds or 10.0, args.rounds)
    else:
        benchmark(args.seconds or 10.0)


if __name__ == "__main__":
    main()
