"""Benchmark the service's image: its size and its start-up time, each beside a floor from the same run.

Usage: python bench/container.py [--rounds 3]   (after `dvc repro`; needs podman, see docs/deployment.md)

Size: the image against its base (python:3.11-slim), so the ratio is what the service adds; the
compose file's PostgreSQL image against its base (debian:bookworm-slim).
Start-up: from `podman run` to the first 200 from /health (models loaded, every route ready),
against a trivial container from the same base answering HTTP (`python -m http.server`): the
floor is what podman and Python cost before the service's own work. Rounds alternate the two.
Writes bench/results/container/<timestamp>.json (bench/results.py). Traffic on 127.0.0.1 only.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # the project: its harness/ is not in the package

from results import figure, write_result

from harness import containers
from harness.containers import Container

MIB = 1024 * 1024


def start_up(image: str, path: str, command: tuple[str, ...] = ()) -> float:
    """Seconds from `podman run` to the first 200 from ``path``; the container is removed after."""
    start = time.monotonic()
    container = Container(image, *containers.models_mount(), name=f"boxoffice-bench-{os.getpid()}", command=command)
    try:
        containers.wait_for(f"{container.url}{path}", timeout=180, poll=0.02)
        return time.monotonic() - start
    finally:
        container.remove()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=3)
    rounds = parser.parse_args().rounds
    containers.build_images()
    floor_command = ("python", "-m", "http.server", "8000")
    service, floor = [], []
    for _ in range(rounds):
        service.append(start_up(containers.API_IMAGE, "/health"))
        floor.append(start_up(containers.BASE_IMAGE, "/", floor_command))
        print(f"start-up: service {service[-1]:.2f} s, floor {floor[-1]:.2f} s")
    size, base = containers.image_size(containers.API_IMAGE) / MIB, containers.image_size(containers.BASE_IMAGE) / MIB
    database = containers.image_size(containers.POSTGRES_IMAGE) / MIB
    debian = containers.image_size(containers.DEBIAN_IMAGE) / MIB
    figures = [
        figure("image size", size, "MiB", ("base image python:3.11-slim", base)),
        figure("the ledger database's image size", database, "MiB", ("base image debian:bookworm-slim", debian)),
        figure(
            "start-up to a healthy /health (median)",
            statistics.median(service),
            "s",
            ("start-up of python -m http.server from the same base (median)", statistics.median(floor)),
        ),
        *(
            figure(f"start-up round {i + 1}", s, "s", (f"floor round {i + 1}", f))
            for i, (s, f) in enumerate(zip(service, floor, strict=True))
        ),
    ]
    print(f"image {size:.0f} MiB (base {base:.0f} MiB); written to {write_result('container', figures)}")


if __name__ == "__main__":
    main()
