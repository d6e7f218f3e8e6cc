"""Command-line client: check a running service's health and send example movies.

Usage: python -m boxoffice.serving.client [--url http://localhost:8000]
Uses only the standard library, so it runs wherever Python does.
"""

from __future__ import annotations

import argparse
import json
import sys
import urllib.error
import urllib.request
from typing import Any

from boxoffice.prediction.schemas import BATCH_EXAMPLES, SINGLE_EXAMPLE


def call(url: str, body: Any = None, timeout: float = 10.0) -> tuple[int, Any]:
    """GET (no body) or POST JSON; return the status code and the decoded reply."""
    data = None if body is None else json.dumps(body).encode()
    request = urllib.request.Request(url, data=data, headers={"Content-Type": "application/json"})
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:
            return response.status, json.load(response)
    except urllib.error.HTTPError as err:
        return err.code, json.load(err)


def describe(movie: dict[str, float], result: dict[str, Any]) -> str:
    verdict = "HIT" if result["is_hit"] else "not a hit"
    return (
        f"  budget ${result['budget_millions']:,.2f}M, runtime {movie['runtime']:g} min, "
        f"popularity {movie['popularity']:g}, vote {movie['vote_avg']:g}\n"
        f"  -> revenue ${result['predicted_revenue_millions']:,.2f}M, "
        f"{verdict} (P(hit) = {result['hit_probability']:.1%})"
    )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--url", default="http://localhost:8000", help="where the service runs")
    url = parser.parse_args(argv).url.rstrip("/")

    try:
        status, health = call(f"{url}/health")
    except (urllib.error.URLError, OSError) as err:
        print(f"cannot reach {url}: {err}", file=sys.stderr)
        return 1
    print(f"Health ({status}): {json.dumps(health)}")
    if status != 200:
        return 1

    status, single = call(f"{url}/predict", SINGLE_EXAMPLE)
    print(f"\nSingle prediction ({status}):")
    print(describe(SINGLE_EXAMPLE, single) if status == 200 else json.dumps(single))

    status, batch = call(f"{url}/batch_predict", BATCH_EXAMPLES)
    print(f"\nBatch prediction ({status}):")
    if status != 200:
        print(json.dumps(batch))
        return 1
    for number, (movie, result) in enumerate(zip(BATCH_EXAMPLES, batch["predictions"], strict=True), 1):
        print(f" movie {number}:\n{describe(movie, result)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
