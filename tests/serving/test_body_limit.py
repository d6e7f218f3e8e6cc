"""413 before a body is read whole, on every endpoint, through the real server (uvicorn, real HTTP)."""

from __future__ import annotations

import json
from pathlib import Path

import httpx
import psutil

from boxoffice.prediction.schemas import PRE_RELEASE_EXAMPLE, PreReleaseMovie
from boxoffice.serving.body_limit import SMALLEST_LIMIT, film_limits, largest_body
from boxoffice.serving.routes.ledger import LARGEST_REQUEST
from boxoffice.serving.settings import ServeSettings

LIMITS = film_limits(ServeSettings().max_batch, ServeSettings().max_scenarios)


def endpoints(server: str) -> list[tuple[str, str]]:
    """Every (method, path) the service publishes, path parameters filled in."""
    paths = httpx.get(f"{server}/openapi.json").json()["paths"]
    return [(method.upper(), path.replace("{forecast_id}", "1")) for path, ops in paths.items() for method in ops]


def test_every_endpoint_refuses_a_declared_length_over_its_limit(server: str) -> None:
    for method, path in endpoints(server):
        limit = LIMITS.get(path, max(LARGEST_REQUEST, SMALLEST_LIMIT))
        body = b" " * (limit + 1)
        response = httpx.request(method, f"{server}{path}", content=body, headers={"Content-Type": "application/json"})
        assert response.status_code == 413, (method, path, response.status_code)
        assert f"({limit} bytes)" in response.json()["detail"]


def peak_memory(server: str) -> int:
    """The server process's peak resident memory so far (VmHWM), in bytes."""
    port = int(server.rsplit(":", 1)[1])
    listening = [c for c in psutil.net_connections("tcp") if c.laddr.port == port and c.status == psutil.CONN_LISTEN]
    status = Path(f"/proc/{listening[0].pid}/status").read_text()
    return int(next(line for line in status.splitlines() if line.startswith("VmHWM")).split()[1]) * 1024


def test_a_chunked_400_mb_flood_is_refused_without_being_held(server: str) -> None:
    """The issue's case: 400 MB of whitespace, sent without a Content-Length, to /batch_predict."""
    before = peak_memory(server)
    flood = (b" " * 2**20 for _ in range(400))
    response = httpx.post(f"{server}/batch_predict", content=flood, timeout=120)
    assert response.status_code == 413
    assert peak_memory(server) - before < 50 * 2**20


def test_the_largest_legitimate_film_is_answered(server: str) -> None:
    name = "\U0001f3ac" * 200  # 200 characters of 4 bytes each
    film = {
        **PRE_RELEASE_EXAMPLE,
        "genres": [name] * 20,
        "production_companies": [name] * 50,
        "directors": [name] * 10,
        "cast": [name] * 20,
        "keywords": [name] * 100,
    }
    body = json.dumps(film, indent=4, ensure_ascii=False).encode()
    assert len(body) <= largest_body(PreReleaseMovie) <= LIMITS["/predict/pre_release"]
    response = httpx.post(f"{server}/predict/pre_release", content=body, headers={"Content-Type": "application/json"})
    assert response.status_code == 200, response.text
