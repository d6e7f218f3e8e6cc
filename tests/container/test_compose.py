"""docker-compose.yml brought up with podman-compose: the default profile, then the replicas behind nginx.

One bring-up serves every check, in this order. Traffic goes to loopback ports only.
- The ledger on the compose file's PostgreSQL: a forecast saved through the API with the token
  its log printed, read back after the API container restarts; one saved through nginx with a
  token from `exec ... token create`, read by every replica and by the API.
- The burst stops one replica half-way: every answer nginx gives must be the right one or a
  clear 502, and the two left must carry the rest.
- Last, the whole project goes `down` (keeping its volume) and comes `up` again: every saved
  forecast and every token are still there.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import urllib.error
import urllib.request
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass

import pytest

from boxoffice.prediction.schemas import BATCH_EXAMPLES, PRE_RELEASE_EXAMPLE
from boxoffice.serving import client
from harness import containers
from harness.workspace import BIN, ROOT, free_port

pytestmark = pytest.mark.container
REPLICAS = ("api-1", "api-2", "api-3")
FILM = PRE_RELEASE_EXAMPLE
SLATE = "Compose"
BURST = 240  # requests through nginx; a third before the stop, a third during it, a third after


@dataclass
class Compose:
    """One podman-compose project of docker-compose.yml, on free loopback ports."""

    project: str
    env: dict[str, str]

    def __call__(self, *args: str, timeout: float = 300) -> str:
        command = [str(BIN / "podman-compose"), "-p", self.project, *args]  # pinned in requirements.txt
        result = subprocess.run(command, cwd=ROOT, env=self.env, capture_output=True, text=True, timeout=timeout)
        if result.returncode != 0:
            raise RuntimeError(f"{' '.join(command)} failed ({result.returncode}):\n{result.stdout}\n{result.stderr}")
        return result.stdout

    def container(self, service: str) -> str:
        return f"{self.project}_{service}_1"

    def logs(self, service: str) -> str:
        result = containers.podman("logs", self.container(service))
        return result.stdout + result.stderr

    def url(self, variable: str) -> str:
        return f"http://127.0.0.1:{self.env[variable]}"


@pytest.fixture(scope="module")
def compose(images: None) -> Iterator[Compose]:
    ports = {"BOXOFFICE_PORT": str(free_port()), "BOXOFFICE_BALANCER_PORT": str(free_port())}
    env = {**containers.podman_env(), "BOXOFFICE_ADDRESS": "127.0.0.1", **ports}
    up = Compose(f"boxoffice-test-{os.getpid()}", env)
    try:
        up("up", "--detach", "--no-build")
        containers.wait_for(f"{up.url('BOXOFFICE_PORT')}/health")
        yield up
    finally:
        up("--profile", "replicas", "down", "--volumes", "--timeout", "2")


def running(compose: Compose) -> set[str]:
    names = containers.podman("ps", "--filter", f"label=io.podman.compose.project={compose.project}")
    return {line.split()[-1] for line in names.stdout.splitlines()[1:]}


def test_the_default_profile_runs_the_api_and_the_ledgers_database(
    compose: Compose, capsys: pytest.CaptureFixture[str]
) -> None:
    assert running(compose) == {compose.container("api"), compose.container("db")}
    assert client.main(["--url", compose.url("BOXOFFICE_PORT")]) == 0
    assert capsys.readouterr().out.count("-> revenue $") == 4


def ledger_call(url: str, token: str, body: dict | None = None) -> tuple[int, str, dict]:
    """One ledger request (a POST when there is a body): status, the replica nginx named (if any), the JSON."""
    data = None if body is None else json.dumps(body).encode()
    headers = {"Authorization": f"Bearer {token}", "Content-Type": "application/json"}
    request = urllib.request.Request(url, data, headers)
    try:
        with urllib.request.urlopen(request, timeout=20) as response:
            return response.status, response.headers.get("X-Upstream", ""), json.loads(response.read())
    except urllib.error.HTTPError as err:
        return err.code, err.headers.get("X-Upstream", ""), json.loads(err.read())


def saved_through(url: str, token: str, name: str) -> dict:
    """Save FILM under ``name``; the forecast as read back at once (with its revisions), to compare later reads with."""
    status, _, saved = ledger_call(f"{url}/ledger/forecasts", token, {"slate": SLATE, "name": name, "film": FILM})
    assert status == 201, saved
    status, _, read = ledger_call(f"{url}/ledger/forecasts/{saved['id']}", token)
    assert (status, read) == (200, {**saved, "revisions": [saved["current"]]})
    return read


@dataclass
class Saved:
    """What the tests saved, by the API's URL and by nginx's, to be read back after restarts."""

    token: str
    forecasts: dict[int, dict]


@pytest.fixture(scope="module")
def saved(compose: Compose) -> Saved:
    """A forecast saved through the API with the first token, which its log printed (one, for two workers)."""
    containers.wait_for(f"{compose.url('BOXOFFICE_PORT')}/ledger/slates", statuses=(401,))  # the ledger is open
    tokens = re.findall(r"/ledger#token=([\w-]+)", compose.logs("api"))
    assert len(tokens) == 1, compose.logs("api")
    forecast = saved_through(compose.url("BOXOFFICE_PORT"), tokens[0], "Through the API")
    return Saved(tokens[0], {forecast["id"]: forecast})


def read_back(url: str, saved: Saved) -> None:
    for number, forecast in saved.forecasts.items():
        status, _, read = ledger_call(f"{url}/ledger/forecasts/{number}", saved.token)
        assert (status, read) == (200, forecast)


def test_a_forecast_saved_through_the_api_records_the_images_commit_and_the_answer(
    compose: Compose, saved: Saved
) -> None:
    (forecast,) = saved.forecasts.values()
    commit = subprocess.run(["git", "rev-parse", "HEAD"], cwd=ROOT, capture_output=True, text=True, check=True)
    assert forecast["current"]["model"]["commit"] == commit.stdout.strip()  # BOXOFFICE_COMMIT, built in
    assert forecast["current"]["answer"] == client.call(f"{compose.url('BOXOFFICE_PORT')}/predict/pre_release", FILM)[1]
    read_back(compose.url("BOXOFFICE_PORT"), saved)


def test_restarting_the_api_container_loses_nothing(compose: Compose, saved: Saved) -> None:
    containers.podman("restart", "--time", "5", compose.container("api"))
    containers.wait_for(f"{compose.url('BOXOFFICE_PORT')}/ledger/slates", statuses=(401,))
    read_back(compose.url("BOXOFFICE_PORT"), saved)
    assert compose.logs("api").count("#token=") == 1  # the first start's, and no new one


@pytest.fixture(scope="module")
def balancer(compose: Compose) -> str:
    compose("--profile", "replicas", "up", "--detach", "--no-build")
    url = compose.url("BOXOFFICE_BALANCER_PORT")
    for replica in REPLICAS:  # each is healthy (the image's HEALTHCHECK) before nginx is asked
        containers.wait_healthy(compose.container(replica))
    containers.wait_for(f"{url}/health")
    return url


def test_the_seeds_client_through_nginx(balancer: str, capsys: pytest.CaptureFixture[str]) -> None:
    assert client.main(["--url", balancer]) == 0
    assert capsys.readouterr().out.count("-> revenue $") == 4


def test_a_forecast_saved_through_nginx_is_read_by_every_replica_and_by_the_api(
    compose: Compose, balancer: str, saved: Saved
) -> None:
    """A token made as the docs say (`exec api-1 python -m boxoffice.ledger token create`) works everywhere."""
    create = ("python", "-m", "boxoffice.ledger", "token", "create")
    token = compose("--profile", "replicas", "exec", "-T", "api-1", *create).strip()
    assert re.fullmatch(r"[\w-]{43}", token), token
    forecast = saved_through(balancer, token, "Through nginx")
    saved.forecasts[forecast["id"]] = forecast
    replica_of = {address: name for name, address in addresses(compose).items()}
    answered = set()
    for _ in range(2 * len(REPLICAS)):
        status, upstream, read = ledger_call(f"{balancer}/ledger/forecasts/{forecast['id']}", saved.token)
        assert (status, read) == (200, forecast)
        answered.add(replica_of[upstream.split(", ")[-1]])
    assert answered == set(REPLICAS)
    read_back(compose.url("BOXOFFICE_PORT"), saved)
    read_back(balancer, Saved(token, saved.forecasts))


def post(url: str, body: dict) -> tuple[int, str, bytes]:
    """One POST through nginx: status, the replica address(es) nginx named, the body."""
    request = urllib.request.Request(url, json.dumps(body).encode(), {"Content-Type": "application/json"})
    try:
        with urllib.request.urlopen(request, timeout=20) as response:
            return response.status, response.headers.get("X-Upstream", ""), response.read()
    except urllib.error.HTTPError as err:
        return err.code, err.headers.get("X-Upstream", ""), err.read()


def addresses(compose: Compose) -> dict[str, str]:
    """Replica name -> its address on the project's network, as nginx names it."""
    found = {}
    for replica in REPLICAS:
        inspect = containers.podman("inspect", compose.container(replica), "--format", "{{json .NetworkSettings}}")
        networks = json.loads(inspect.stdout)["Networks"]
        found[replica] = next(iter(networks.values()))["IPAddress"] + ":8000"
    return found


def test_a_burst_reaches_every_replica_and_stays_right_when_one_stops(compose: Compose, balancer: str) -> None:
    movies = BATCH_EXAMPLES
    expected = {i: client.call(f"{compose.url('BOXOFFICE_PORT')}/predict", movie) for i, movie in enumerate(movies)}
    assert all(status == 200 for status, _ in expected.values())
    replica_of = {address: name for name, address in addresses(compose).items()}

    def send(number: int) -> tuple[int, int, str, bytes]:
        movie = number % len(movies)
        return (movie, *post(f"{balancer}/predict", movies[movie]))

    third = BURST // 3
    with ThreadPoolExecutor(max_workers=6) as pool:
        before = list(pool.map(send, range(third)))
        stopping = pool.submit(containers.podman, "stop", "--time", "5", compose.container("api-2"))
        during = list(pool.map(send, range(third, 2 * third)))
        stopping.result()
        after = list(pool.map(send, range(2 * third, BURST)))

    for movie, status, upstream, body in before + during + after:
        assert status in (200, 502), (status, upstream, body)
        if status == 200:
            assert json.loads(body) == expected[movie][1], upstream
    answered = [replica_of[upstream.split(", ")[-1]] for _, status, upstream, _ in before if status == 200]
    assert set(answered) == set(REPLICAS), answered
    assert [status for _, status, _, _ in before] == [200] * third
    last = [(status, replica_of.get(upstream.split(", ")[-1])) for _, status, upstream, _ in after]
    assert {replica for _, replica in last} == {"api-1", "api-3"} and {status for status, _ in last} == {200}
    print(f"burst of {BURST}: 502s while api-2 stopped: {sum(status == 502 for _, status, _, _ in during)}")


def test_down_and_up_again_keeps_every_forecast_and_token(compose: Compose, saved: Saved) -> None:
    """`down` without `--volumes` removes the containers and keeps the database's named volume."""
    compose("--profile", "replicas", "down", "--timeout", "2")
    assert running(compose) == set()
    containers.podman("volume", "exists", f"{compose.project}_ledger-db")
    compose("up", "--detach", "--no-build")
    containers.wait_for(f"{compose.url('BOXOFFICE_PORT')}/ledger/slates", statuses=(401,))
    assert len(saved.forecasts) == 2
    read_back(compose.url("BOXOFFICE_PORT"), saved)
    assert "#token=" not in compose.logs("api")
