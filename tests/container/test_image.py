"""The service's image, run: the seed's client, a pre-release forecast and the forecast page against it,
as its non-root user with the models read-only; and what the image holds (the service, nothing else)."""

from __future__ import annotations

import json
import os
import re
import urllib.request
from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient

from boxoffice.prediction.schemas import PRE_RELEASE_EXAMPLE
from boxoffice.serving import client
from boxoffice.serving.api import create_app
from boxoffice.serving.page import CSP, FILES, PAGES, STATIC
from harness import containers
from harness.containers import Container
from tests.conftest import ROOT
from tests.test_packaging import pins

pytestmark = pytest.mark.container


@pytest.fixture(scope="module")
def here() -> Iterator[TestClient]:
    """The app made in this process from this checkout's models: what the container must answer."""
    with TestClient(create_app(models_dir=ROOT / "models", lock_path=ROOT / "dvc.lock")) as app:
        yield app


def get(url: str) -> tuple[int, dict[str, str], bytes]:
    with urllib.request.urlopen(url, timeout=10) as response:
        return response.status, dict(response.headers), response.read()


def test_the_seeds_client_against_the_container(api: Container, capsys: pytest.CaptureFixture[str]) -> None:
    assert client.main(["--url", api.url]) == 0
    out = capsys.readouterr().out
    assert "Health (200)" in out and "Single prediction (200)" in out
    assert out.count("-> revenue $") == 4  # one single + three batch movies


def test_a_pre_release_forecast_equals_the_one_made_here_from_the_same_models(api: Container, here: TestClient) -> None:
    path = "/predict/pre_release?explain=1&comps=3"
    status, body = client.call(f"{api.url}{path}", PRE_RELEASE_EXAMPLE)
    assert (status, body) == (200, here.post(path, json=PRE_RELEASE_EXAMPLE).json())


def test_the_pages_and_their_files_are_served(api: Container) -> None:
    """/forecast and /ledger at their own paths, every other file of theirs under /forecast/."""
    page_paths = {name: path for path, name in PAGES.items()}
    for name in FILES:
        path = page_paths.get(name, f"/forecast/{name}")
        status, headers, content = get(f"{api.url}{path}")
        assert (status, headers["content-type"], content) == (200, FILES[name], (STATIC / name).read_bytes())
        assert headers["content-security-policy"] == CSP
    status, _, context = get(f"{api.url}/forecast/context")
    assert status == 200 and json.loads(context)["names"]["directors"]


def test_it_runs_as_the_non_root_user_and_cannot_write_the_models(api: Container) -> None:
    processes = containers.podman("top", api.name, "user", "comm").stdout.split("\n")[1:]
    assert {line.split()[0] for line in processes if line.strip()} == {"boxoffice"}, processes
    assert api.exec("id", "-u").stdout.strip() == "10001"
    refused = api.exec("touch", "/app/models/written-by-the-service")
    assert refused.returncode != 0 and "Read-only file system" in refused.stderr


def test_its_health_check_is_kept_and_passes(api: Container) -> None:
    """The Dockerfile's HEALTHCHECK survives a podman build (docker format) and runs in the container."""
    assert containers.podman("healthcheck", "run", api.name, check=False).returncode == 0


def image_run(*command: str, user: str = "boxoffice", image: str = containers.API_IMAGE) -> str:
    run = ("run", "--rm", "--pull=never", "--user", user, image, *command)
    return containers.podman(*run).stdout


def test_the_image_holds_the_service_and_nothing_else(images: None) -> None:
    """Under /app: the package, main.py, params.yaml, dvc.lock, the models, the pins; no tests, data or git."""
    held = set(image_run("find", "/app", "-type", "f", "-printf", "%P\\n").split())
    package = {str(path.relative_to(ROOT)) for path in (ROOT / "boxoffice").rglob("*") if path.is_file()}
    models = {str(path.relative_to(ROOT)) for path in (ROOT / "models").rglob("*") if path.is_file()}
    package = {name for name in package if "__pycache__" not in name}
    assert held == package | models | {"main.py", "params.yaml", "dvc.lock", "requirements-serve.txt"}


def test_the_image_installs_requirements_serve_only(images: None) -> None:
    installed = {
        re.sub(r"[-_.]+", "-", package["name"]).lower(): package["version"]
        for package in json.loads(image_run("pip", "list", "--format", "json"))
    }
    installer = {"pip", "setuptools"}  # the base image's own, as in python:3.11-slim
    assert {name: version for name, version in installed.items() if name not in installer} == pins(
        "requirements-serve.txt"
    )
    assert not {"pytest", "dvc", "ruff", "mypy", "hypothesis", "playwright"} & set(installed)


SECRET_NAMES = r"\.env|\.netrc|\.pypirc|id_rsa.*|id_ed25519.*|.*\.key|credentials.*|config\.local|\.git-credentials"


def secrets_in(image: str) -> tuple[list[str], list[str], str]:
    """The image's files named like a key, token or credentials file; its environment's secret-like names; its user."""
    every = ("find", "/", "-xdev", "-regextype", "posix-extended")
    found = image_run(*every, "-regex", f".*/({SECRET_NAMES}|\\.git|\\.dvc)", user="root", image=image).split()
    config = json.loads(containers.podman("image", "inspect", image).stdout)[0]["Config"]
    names = [entry.split("=")[0] for entry in config.get("Env", [])]
    return (
        found,
        [name for name in names if re.search("KEY|SECRET|TOKEN|PASSWORD|CREDENTIAL", name, re.I)],
        config["User"],
    )


def test_the_image_holds_no_secret(images: None) -> None:
    """No key, token or credentials file anywhere in the image, and none in its environment."""
    assert secrets_in(containers.API_IMAGE) == ([], [], "boxoffice")


def test_the_databases_image_holds_no_secret_and_no_database(images: None) -> None:
    """The compose file's PostgreSQL: its password reaches it only from the environment, when the
    cluster is made on the volume at the first start; the image holds no cluster, no TLS key."""
    assert secrets_in(containers.POSTGRES_IMAGE) == ([], [], "postgres")
    held = image_run("find", "/var/lib/postgresql", "/etc/postgresql", image=containers.POSTGRES_IMAGE, user="root")
    assert held.split() == ["/var/lib/postgresql", "/var/lib/postgresql/data", "/etc/postgresql"]


def test_without_the_mount_it_serves_the_models_it_was_built_with(images: None, here: TestClient) -> None:
    """The image runs alone too (`docker run`): its copied models/ and dvc.lock are this checkout's, and its
    ledger (SQLite in its own volume) opens, prints its link once and keeps a forecast saved with it."""
    container = Container(containers.API_IMAGE, name=f"boxoffice-test-unmounted-{os.getpid()}")
    try:
        containers.wait_for(f"{container.url}/health")
        status, served = client.call(f"{container.url}/model")
        containers.wait_for(f"{container.url}/ledger/slates", statuses=(401,))  # open, and asking for a token
        tokens = re.findall(r"/ledger#token=([\w-]+)", container.logs())
        assert len(tokens) == 1, container.logs()
        request = urllib.request.Request(
            f"{container.url}/ledger/forecasts",
            data=json.dumps({"slate": "Alone", "name": "Saved in the image", "film": PRE_RELEASE_EXAMPLE}).encode(),
            headers={"Authorization": f"Bearer {tokens[0]}", "Content-Type": "application/json"},
        )
        with urllib.request.urlopen(request, timeout=10) as response:
            saved = (response.status, json.loads(response.read()))
        written = container.exec("ls", "/app/ledger").stdout.split()
    finally:
        container.remove()
    assert (status, served) == (200, here.get("/model").json())
    assert saved[0] in (200, 201) and saved[1]["name"] == "Saved in the image"
    assert "ledger.sqlite3" in written
