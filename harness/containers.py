"""podman, driven for the container tests and the container benchmark: build, run, wait, remove.

Every call reads deploy/containers.conf (unless CONTAINERS_CONF names another file): the
runtime and limits that start containers on hosts where podman's defaults refuse to.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import time
import urllib.error
import urllib.request
from pathlib import Path

from harness.workspace import ROOT, free_port

API_IMAGE = "localhost/boxoffice-api:latest"
NGINX_IMAGE = "localhost/boxoffice-nginx:latest"
POSTGRES_IMAGE = "localhost/boxoffice-postgres:latest"
BASE_IMAGE = "docker.io/library/python:3.11-slim"  # the Dockerfile's FROM
DEBIAN_IMAGE = "docker.io/library/debian:bookworm-slim"  # the balancer's and the database's FROM
INSTALL_HINT = "install it with `sudo apt-get install podman runc` (Debian/Ubuntu; .ci/run does)"


def podman_env() -> dict[str, str]:
    return {"CONTAINERS_CONF": str(ROOT / "deploy" / "containers.conf"), **os.environ}


def podman(*args: str, check: bool = True, timeout: float = 120) -> subprocess.CompletedProcess:
    """``podman ARGS``, output captured; raise with podman's own words when it fails and ``check``."""
    result = subprocess.run(
        ["podman", *args], env=podman_env(), capture_output=True, text=True, timeout=timeout, check=False
    )
    if check and result.returncode != 0:
        raise RuntimeError(f"podman {' '.join(args)} failed ({result.returncode}): {result.stderr.strip()}")
    return result


def problem() -> str | None:
    """Why podman cannot be used here, in a few words, or None when it answers."""
    if shutil.which("podman") is None:
        return "podman not found"
    info = podman("info", "--format", "{{.Host.OCIRuntime.Name}}", check=False, timeout=60)
    if info.returncode != 0:
        return f"`podman info` failed: {(info.stderr.strip().splitlines() or ['no message'])[-1]}"
    return None


def build_images() -> None:
    """deploy/images.sh: the service's, the balancer's and the database's images (seconds when podman has them)."""
    result = subprocess.run(
        ["bash", str(ROOT / "deploy" / "images.sh")], env=podman_env(), capture_output=True, text=True, check=False
    )
    if result.returncode != 0:
        last = (result.stderr.strip() or result.stdout.strip() or "no message").splitlines()[-1]
        raise RuntimeError(f"deploy/images.sh failed ({result.returncode}): {last}")


def image_size(image: str) -> int:
    """The image's size in bytes, as `podman images` counts it (every layer, uncompressed)."""
    return int(podman("image", "inspect", "--format", "{{.Size}}", image).stdout)


def wait_for(url: str, timeout: float = 120, poll: float = 0.05, statuses: tuple[int, ...] = (200,)) -> float:
    """Poll ``url`` until it answers one of ``statuses``; return the seconds waited. Raise after ``timeout``."""
    start = time.monotonic()
    while time.monotonic() - start < timeout:
        try:
            with urllib.request.urlopen(url, timeout=2) as response:
                if response.status in statuses:
                    return time.monotonic() - start
        except urllib.error.HTTPError as err:
            if err.code in statuses:
                return time.monotonic() - start
        except OSError:
            pass
        time.sleep(poll)
    raise TimeoutError(f"{url} did not answer {' or '.join(map(str, statuses))} within {timeout:g} s")


def wait_healthy(name: str, timeout: float = 240, poll: float = 1) -> None:
    """Run the image's own HEALTHCHECK in container ``name`` until it passes (for ports not published)."""
    deadline = time.monotonic() + timeout
    while podman("healthcheck", "run", name, check=False, timeout=60).returncode != 0:
        if time.monotonic() > deadline:
            raise TimeoutError(f"{name} was not healthy within {timeout:g} s:\n{podman('logs', name).stderr}")
        time.sleep(poll)


class Container:
    """One detached container with its port 8000 (or ``inner_port``) published on a free loopback port."""

    def __init__(self, image: str, *args: str, name: str, inner_port: int = 8000, command: tuple[str, ...] = ()):
        self.name = name
        self.port = free_port()
        publish = f"127.0.0.1:{self.port}:{inner_port}"
        podman(
            "run", "--detach", "--replace", "--pull=never", "--name", name, "--publish", publish, *args, image, *command
        )
        self.url = f"http://127.0.0.1:{self.port}"

    def exec(self, *command: str) -> subprocess.CompletedProcess:
        return podman("exec", self.name, *command, check=False)

    def logs(self) -> str:
        result = podman("logs", self.name, check=False)
        return result.stdout + result.stderr

    def remove(self) -> None:
        podman("rm", "--force", "--time", "2", self.name, check=False)


def models_mount() -> tuple[str, ...]:
    """What the compose file mounts, read-only: the models, dvc.lock and params.yaml of this checkout."""
    files = ("models", "dvc.lock", "params.yaml")
    return tuple(arg for name in files for arg in ("--volume", f"{Path(ROOT, name)}:/app/{name}:ro"))
