"""The bulk JSON path of /batch_predict takes exactly what pydantic takes, with the same values."""

from __future__ import annotations

import json

import numpy as np
import pytest
from pydantic import TypeAdapter, ValidationError

from boxoffice.prediction.batch import movie_columns_from_json, request_columns
from boxoffice.prediction.schemas import MAX_BUDGET, Movie

GOOD = {"runtime": 120.0, "popularity": 50.0, "vote_avg": 7.0, "budget": 50_000_000}
MOVIES = TypeAdapter(list[Movie])
CHANGES = [
    {},
    {"budget": 1},
    {"budget": 2**60 + 1},
    {"budget": MAX_BUDGET},
    {"budget": 10**11},
    {"budget": 0},
    {"budget": "5"},
    {"budget": True},
    {"budget": None},
    {"runtime": 1000},
    {"runtime": 1000.0000001},
    {"vote_avg": -0.0},
    {"vote_avg": 10},
    {"popularity": 1e5},
    {"extra": 1},
]


@pytest.mark.parametrize("change", CHANGES, ids=[json.dumps(c) for c in CHANGES])
def test_the_bulk_path_agrees_with_pydantic(change: dict) -> None:
    body = json.dumps([GOOD, {**GOOD, **change}]).encode()
    fast = movie_columns_from_json(body, max_items=10)
    try:
        expected = request_columns(Movie, MOVIES.validate_json(body))
    except ValidationError:
        assert fast is None
        return
    if fast is not None:  # None is always safe: pydantic then decides
        assert list(fast) == list(expected)
        for name in expected:
            assert fast[name].tolist() == expected[name].tolist()
            assert fast[name].dtype == expected[name].dtype


@pytest.mark.parametrize(
    "body",
    [b"", b"[]", b"{}", b"[1]", b"[[]]", b'[{"runtime": 1', json.dumps([GOOD] * 11).encode(), b"[NaN]"],
)
def test_anything_unusual_is_left_to_pydantic(body: bytes) -> None:
    assert movie_columns_from_json(body, max_items=10) is None


def test_a_plain_batch_takes_the_bulk_path() -> None:
    rows = [{**GOOD, "budget": float(b)} for b in np.linspace(1e6, 3e8, 50)]
    columns = movie_columns_from_json(json.dumps(rows).encode(), max_items=100)
    assert columns is not None and columns["budget"].tolist() == [row["budget"] for row in rows]
