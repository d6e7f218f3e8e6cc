"""The images, built once a session from this checkout (after `dvc repro`: the image copies models/).

These tests run only when asked (``pytest -m container``); see tests/conftest.py.
"""

from __future__ import annotations

import os
from collections.abc import Iterator

import pytest

from harness import containers
from harness.containers import Container


@pytest.fixture(scope="session")
def images() -> None:
    """deploy/images.sh; a failure ends the run in one line (podman cannot build or run here)."""
    try:
        containers.build_images()
    except RuntimeError as err:
        pytest.exit(f"container tests: podman could not build the images: {err}", returncode=1)


@pytest.fixture(scope="module")
def api(images: None) -> Iterator[Container]:
    """The service's image, run as the compose file runs it: the models mounted read-only."""
    container = Container(containers.API_IMAGE, *containers.models_mount(), name=f"boxoffice-test-api-{os.getpid()}")
    try:
        containers.wait_for(f"{container.url}/health")
    except TimeoutError as err:
        logs = container.logs()
        container.remove()
        raise RuntimeError(f"{err}; its log:\n{logs}") from None
    yield container
    container.remove()
