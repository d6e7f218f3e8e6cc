"""docker-compose.yml brought up with podman-compose: the default profile, then the replicas behind nginx.

Traffic goes to loopback ports only. The burst stops one replica half-way: every answer
nginx gives must be the right one or a clear 502, and the two left must carry the rest.
"""

from __future__ import annotations

import json
import os
import subprocess
import urllib.error
import urllib.request
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass

import pytest

from boxoffice.checks import containers
from boxoffice.checks.workspace import BIN, ROOT, free_port
from boxoffice.prediction.schemas import BATCH_EXAMPLES
from boxoffice.serving import client

pytestmark = pytest.mark.container
REPLICAS = ("api-1", "api-2", "api-3")
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
        up("--profile", "replicas", "down", "--timeout", "2")


def running(compose: Compose) -> set[str]:
    names = containers.podman("ps", "--filter", f"label=io.podman.compose.project={compose.project}")
    return {line.split()[-1] for line in names.stdout.splitlines()[1:]}


def test_the_default_profile_runs_the_api_alone(compose: Compose, capsys: pytest.CaptureFixture[str]) -> None:
    assert running(compose) == {compose.container("api")}
    assert client.main(["--url", compose.url("BOXOFFICE_PORT")]) == 0
    assert capsys.readouterr().out.count("-> revenue $") == 4


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
